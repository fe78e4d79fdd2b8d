package api

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/dealwire/dealwire/index"
)

// outletTTL is how long the page keeps the outlet name it looked up for a
// source: an outlet's name rarely changes, and a source none of whose
// records named one yet (records fetched before outlets were kept) is
// looked up again after it.
const outletTTL = 10 * time.Minute

// outletNames names the sources of the page's sources facet by their
// outlets ([news.Article.Outlet]). The hits of a page name the outlets of
// their own sources; a source of the facet that no hit of the page comes
// from is named by its newest record, looked up once per [outletTTL].
type outletNames struct {
	// mu guards known.
	mu sync.Mutex
	// known maps a source to its outlet name ("" for none) and when it
	// was looked up.
	known map[string]outletName
}

type outletName struct {
	name string
	at   time.Time
}

// fill adds to outlets (source -> outlet name, from the page's hits) the
// outlet of each source in buckets that outlets does not name. A failed
// lookup is logged and leaves the source unnamed: the facet then shows
// the source itself.
func (o *outletNames) fill(ctx context.Context, s searcher, logger *slog.Logger, buckets []index.Bucket, outlets map[string]string) {
	now := time.Now()
	for _, b := range buckets {
		if b.Key == "" || outlets[b.Key] != "" {
			continue
		}
		o.mu.Lock()
		k, ok := o.known[b.Key]
		o.mu.Unlock()
		if !ok || now.Sub(k.at) > outletTTL {
			res, err := s.Search(ctx, index.Query{Source: b.Key, Size: 1, Sort: index.SortDate})
			if err != nil {
				logger.Warn("naming a source's outlet", "source", b.Key, "error", err)
				continue
			}
			k = outletName{at: now}
			if len(res.Hits) > 0 {
				k.name = res.Hits[0].Record.Article.Outlet
			}
			o.mu.Lock()
			if o.known == nil {
				o.known = map[string]outletName{}
			}
			o.known[b.Key] = k
			o.mu.Unlock()
		}
		if k.name != "" {
			outlets[b.Key] = k.name
		}
	}
}
