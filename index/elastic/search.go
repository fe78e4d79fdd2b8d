package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// cursor is where the next page starts: the sort values of the last hit
// and, from the second page on, the point in time that keeps the pages of
// one result consistent while the indexer writes.
type cursor struct {
	Sort   string            `json:"s"`
	PIT    string            `json:"p,omitempty"`
	Values []json.RawMessage `json:"v"`
}

type obj = map[string]any

// Search answers q. The first page searches the alias; the second opens a
// point in time and it and all following pages page through it with
// search_after, so they stay consistent however deep they go while the
// indexer writes. The point in time is closed after the last page and
// expires after PITKeepAlive when a reader stops paging.
func (s *Store) Search(ctx context.Context, q index.Query) (index.Result, error) {
	page, err := s.searchPage(ctx, s.cfg.Index, q, false)
	if err != nil {
		return index.Result{}, err
	}
	res := index.Result{Total: page.Total, Next: page.Next, Facets: page.Facets, MinConfidence: q.MinConfidence}
	for _, h := range page.Hits {
		var rec news.Record
		if err := json.Unmarshal(h.Source.Record, &rec); err != nil {
			return index.Result{}, fmt.Errorf("decoding %s: %w", h.ID, err)
		}
		hit := index.Hit{ID: h.ID, Score: h.Score, Record: rec}
		q.Hide(&hit)
		res.Hits = append(res.Hits, hit)
	}
	return res, nil
}

// SearchDeals answers q over the resolved deals, like [Store.Search].
func (s *Store) SearchDeals(ctx context.Context, q index.Query) (index.DealResult, error) {
	page, err := s.searchPage(ctx, s.DealsIndex(), q, true)
	if err != nil {
		return index.DealResult{}, err
	}
	res := index.DealResult{Total: page.Total, Next: page.Next, Facets: page.Facets, MinConfidence: q.MinConfidence}
	for _, h := range page.Hits {
		var dr news.DealRecord
		if err := json.Unmarshal(h.Source.Record, &dr); err != nil {
			return index.DealResult{}, fmt.Errorf("decoding %s: %w", h.ID, err)
		}
		res.Hits = append(res.Hits, index.DealHit{ID: h.ID, Score: h.Score, Deal: dr})
	}
	return res, nil
}

// page is one page of hits whose payloads are still JSON.
type page struct {
	Total  int
	Hits   []searchHit
	Next   string
	Facets *index.Facets
}

// searchPage answers q over alias. deals says that the alias holds deal
// records, each one deal, which q's MinConfidence hides as a whole.
func (s *Store) searchPage(ctx context.Context, alias string, q index.Query, deals bool) (page, error) {
	if err := q.Validate(); err != nil {
		return page{}, fmt.Errorf("searching: %w", err)
	}
	q = q.Normalized()
	var after *cursor
	if q.After != "" {
		after = new(cursor)
		if err := index.DecodeCursor(q.After, after); err != nil {
			return page{}, fmt.Errorf("searching: %w", err)
		}
		if after.Sort != q.Sort || len(after.Values) != len(sortFields(q)) {
			return page{}, fmt.Errorf("searching: %w: not written for sort %q", index.ErrBadCursor, q.Sort)
		}
	}
	body := obj{
		"query":            s.query(q, deals),
		"sort":             sortFields(q),
		"size":             q.Size + 1,
		"track_total_hits": true,
		"track_scores":     true,
		"_source":          []string{"record"},
	}
	if q.Facets {
		body["aggs"] = facetAggs(q.MinConfidence)
	}
	if after != nil {
		sa := make([]any, 0, len(after.Values)+1)
		for _, v := range after.Values {
			sa = append(sa, v)
		}
		body["search_after"] = sa
	}
	if after != nil && after.PIT == "" {
		// The second page: from here on, page through one point in time.
		// Opening it only now spares one for every search that never pages.
		var err error
		if after.PIT, err = s.openPIT(ctx, alias); err != nil {
			s.logger.Warn("opening point in time; paging without one", "error", err)
		}
	}
	ans, err := s.search(ctx, alias, body, after)
	if err != nil {
		return page{}, err
	}

	res := page{Total: ans.Hits.Total.Value}
	hits := ans.Hits.Hits
	more := len(hits) > q.Size
	if more {
		hits = hits[:q.Size]
	}
	res.Hits = hits
	pit := ans.PITID
	switch {
	case more:
		last := hits[len(hits)-1].Sort
		res.Next = index.EncodeCursor(cursor{Sort: q.Sort, PIT: pit, Values: last[:len(sortFields(q))]})
	case pit != "":
		s.closePIT(ctx, pit)
	}
	if q.Facets {
		res.Facets = ans.facets()
	}
	return res, nil
}

type searchHit struct {
	ID     string  `json:"_id"`
	Score  float64 `json:"_score"`
	Source struct {
		Record json.RawMessage `json:"record"`
	} `json:"_source"`
	Sort []json.RawMessage `json:"sort"`
}

type searchAnswer struct {
	PITID string `json:"pit_id"`
	Hits  struct {
		Total struct {
			Value int `json:"value"`
		} `json:"total"`
		Hits []searchHit `json:"hits"`
	} `json:"hits"`
	Aggs aggAnswer `json:"aggregations"`
}

// search runs body, through the cursor's point in time when it has one.
// An expired point in time is not an error: the page is read from the alias
// with the same search_after, which is still correct unless the index
// changed in between.
func (s *Store) search(ctx context.Context, alias string, body obj, after *cursor) (searchAnswer, error) {
	var ans searchAnswer
	if after != nil && after.PIT != "" {
		body["pit"] = obj{"id": after.PIT, "keep_alive": keepAlive(s.cfg.PITKeepAlive)}
		// The point in time adds _shard_doc as a last sort key; the largest
		// value puts the page right after the last hit, whose id (the key
		// before it) is unique anyway.
		body["search_after"] = append(body["search_after"].([]any), int64(math.MaxInt64))
		err := s.client.do(ctx, http.MethodPost, "/_search", body, &ans)
		if err == nil {
			return ans, nil
		}
		if !isStatus(err, http.StatusNotFound) {
			return ans, fmt.Errorf("searching: %w", err)
		}
		s.logger.Debug("point in time expired; searching the alias", "error", err)
		delete(body, "pit")
		sa := body["search_after"].([]any)
		body["search_after"] = sa[:len(sa)-1]
	}
	if err := s.client.do(ctx, http.MethodPost, "/"+alias+"/_search", body, &ans); err != nil {
		return ans, fmt.Errorf("searching: %w", err)
	}
	ans.PITID = ""
	return ans, nil
}

func keepAlive(d time.Duration) string { return fmt.Sprintf("%ds", max(1, int(d.Seconds()))) }

func (s *Store) openPIT(ctx context.Context, alias string) (string, error) {
	var ans struct {
		ID string `json:"id"`
	}
	if err := s.client.do(ctx, http.MethodPost, "/"+alias+"/_pit?keep_alive="+keepAlive(s.cfg.PITKeepAlive), nil, &ans); err != nil {
		return "", fmt.Errorf("opening point in time: %w", err)
	}
	return ans.ID, nil
}

// closePIT frees a point in time early; failing is harmless, it expires.
func (s *Store) closePIT(ctx context.Context, id string) {
	if err := s.client.do(ctx, http.MethodDelete, "/_pit", obj{"id": id}, nil); err != nil {
		s.logger.Debug("closing point in time", "error", err)
	}
}

// sortFields is the sort of q's order. Every order ends with the date and
// the unique id, so that search_after never skips or repeats a hit.
func sortFields(q index.Query) []obj {
	tail := []obj{{"date": obj{"order": "desc"}}, {"id": obj{"order": "asc"}}}
	switch q.Sort {
	case index.SortDate:
		return tail
	case index.SortAmount:
		if q.MinConfidence == 0 {
			return append([]obj{{"amount_usd_max": obj{"order": "desc"}}}, tail...)
		}
		// The largest amount among the deals shown; 0 without one, as
		// amount_usd_max is 0 for a record without amounts.
		return append([]obj{{"deals.amount_usd": obj{"order": "desc", "mode": "max", "missing": 0,
			"nested": obj{"path": "deals", "filter": shown(q.MinConfidence)}}}}, tail...)
	default:
		return append([]obj{{"_score": obj{"order": "desc"}}}, tail...)
	}
}

// shown matches, inside the nested deals, the deals a query of threshold
// minConf shows: confidence at least minConf, or no confidence at all
// (unscored, which is also every deal indexed before mapping version 2).
func shown(minConf float64) obj {
	return obj{"bool": obj{"should": []any{
		obj{"range": obj{"deals.confidence": obj{"gte": index.StoredConfidence(minConf)}}},
		obj{"bool": obj{"must_not": []any{obj{"exists": obj{"field": "deals.confidence"}}}}},
	}, "minimum_should_match": 1}}
}

// query translates q: text as phrase matches over title and text, filters
// in filter context (no effect on scores), deal filters in one nested query
// that matches only the deals q shows. With deals set (the alias holds deal
// records) a document must have a deal q shows.
func (s *Store) query(q index.Query, deals bool) obj {
	var must, mustNot, filter []any
	text := index.ParseText(q.Text)
	for _, m := range text.Must {
		must = append(must, phraseQuery(m))
	}
	for _, n := range text.Not {
		mustNot = append(mustNot, phraseQuery(n))
	}
	if q.Source != "" {
		filter = append(filter, term("source", q.Source))
	}
	if !q.PublishedFrom.IsZero() || !q.PublishedTo.IsZero() {
		r := obj{"format": "epoch_millis"}
		if !q.PublishedFrom.IsZero() {
			r["gte"] = q.PublishedFrom.UnixMilli()
		}
		if !q.PublishedTo.IsZero() {
			r["lt"] = q.PublishedTo.UnixMilli()
		}
		filter = append(filter, obj{"range": obj{"date": r}})
	}
	if q.HasDealFilter() || deals && q.MinConfidence > 0 {
		var deal []any
		if q.MinConfidence > 0 {
			deal = append(deal, shown(q.MinConfidence))
		}
		if q.Company != "" {
			deal = append(deal, term("deals.company_key", q.Company))
		}
		if q.Round != "" {
			deal = append(deal, term("deals.round", q.Round))
		}
		if q.Currency != "" {
			deal = append(deal, term("deals.currency", q.Currency))
		}
		deal = appendRange(deal, "deals.amount", q.Amount)
		deal = appendRange(deal, "deals.amount_usd", q.AmountUSD)
		deal = appendRange(deal, "deals.valuation", q.Valuation)
		deal = appendRange(deal, "deals.valuation_usd", q.ValuationUSD)
		deal = appendRange(deal, "deals.capacity_watts", q.Capacity)
		if q.Investor != "" {
			deal = append(deal, nested("deals.investors", term("deals.investors.keys", q.Investor)))
		}
		if q.LeadInvestor != "" {
			deal = append(deal, nested("deals.investors",
				term("deals.investors.keys", q.LeadInvestor), term("deals.investors.lead", true)))
		}
		filter = append(filter, nested("deals", deal...))
	}
	b := obj{}
	if len(must) > 0 {
		b["must"] = must
	}
	if len(mustNot) > 0 {
		b["must_not"] = mustNot
	}
	if len(filter) > 0 {
		b["filter"] = filter
	}
	if len(b) == 0 {
		return obj{"match_all": obj{}}
	}
	return obj{"bool": b}
}

func phraseQuery(p string) obj {
	return obj{"multi_match": obj{"query": p, "type": "phrase", "fields": []string{"title^2", "text"}}}
}

func term(field string, v any) obj { return obj{"term": obj{field: v}} }

func nested(path string, filters ...any) obj {
	return obj{"nested": obj{"path": path, "score_mode": "none", "query": obj{"bool": obj{"filter": filters}}}}
}

func appendRange(qs []any, field string, r index.Range) []any {
	if r.IsZero() {
		return qs
	}
	b := obj{}
	if r.Min != 0 {
		b["gte"] = r.Min
	}
	if r.Max != 0 {
		b["lte"] = r.Max
	}
	return append(qs, obj{"range": obj{field: b}})
}

// facetAggs counts records, not deals: the terms inside nested objects are
// ordered by a reverse_nested count, which is the number of records. Only
// the deals shown at threshold minConf count.
func facetAggs(minConf float64) obj {
	byRecords := func(field string) obj {
		return obj{
			"terms": obj{"field": field, "size": index.FacetSize,
				"order": []obj{{"records": "desc"}, {"_key": "asc"}}},
			"aggs": obj{"records": obj{"reverse_nested": obj{}}},
		}
	}
	filter := obj{"match_all": obj{}}
	if minConf > 0 {
		filter = shown(minConf)
	}
	return obj{
		"deals": obj{
			"nested": obj{"path": "deals"},
			"aggs": obj{"shown": obj{
				"filter": filter,
				"aggs": obj{
					"rounds":     byRecords("deals.round"),
					"currencies": byRecords("deals.currency"),
					"investors": obj{
						"nested": obj{"path": "deals.investors"},
						"aggs":   obj{"names": byRecords("deals.investors.canonical")},
					},
				},
			}},
		},
		"sources": obj{"terms": obj{"field": "source", "size": index.FacetSize,
			"order": []obj{{"_count": "desc"}, {"_key": "asc"}}}},
		"months": obj{
			"filter": obj{"range": obj{"date": obj{"gt": 0}}},
			"aggs": obj{"by_month": obj{"date_histogram": obj{
				"field": "date", "calendar_interval": "month", "format": "yyyy-MM", "min_doc_count": 1,
			}}},
		},
	}
}

type bucket struct {
	Key         json.RawMessage `json:"key"`
	KeyAsString string          `json:"key_as_string"`
	DocCount    int             `json:"doc_count"`
	Records     *struct {
		DocCount int `json:"doc_count"`
	} `json:"records"`
}

type terms struct {
	Buckets []bucket `json:"buckets"`
}

type aggAnswer struct {
	Deals struct {
		Shown struct {
			Rounds     terms `json:"rounds"`
			Currencies terms `json:"currencies"`
			Investors  struct {
				Names terms `json:"names"`
			} `json:"investors"`
		} `json:"shown"`
	} `json:"deals"`
	Sources terms `json:"sources"`
	Months  struct {
		ByMonth terms `json:"by_month"`
	} `json:"months"`
}

func (a searchAnswer) facets() *index.Facets {
	return &index.Facets{
		Investors:  buckets(a.Aggs.Deals.Shown.Investors.Names),
		Rounds:     buckets(a.Aggs.Deals.Shown.Rounds),
		Currencies: buckets(a.Aggs.Deals.Shown.Currencies),
		Sources:    buckets(a.Aggs.Sources),
		Months:     buckets(a.Aggs.Months.ByMonth),
	}
}

func buckets(t terms) []index.Bucket {
	out := []index.Bucket{}
	for _, b := range t.Buckets {
		key := b.KeyAsString
		if key == "" {
			var s string
			if json.Unmarshal(b.Key, &s) != nil {
				s = string(bytes.Trim(b.Key, `"`))
			}
			key = s
		}
		n := b.DocCount
		if b.Records != nil {
			n = b.Records.DocCount
		}
		out = append(out, index.Bucket{Key: key, Count: n})
	}
	return out
}
