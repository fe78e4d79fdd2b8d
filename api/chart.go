package api

import (
	"context"
	"net/http"
	"time"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// maxChartDeals bounds the deals one chart reads: past it the chart says it
// is partial rather than holding the request for a scan of the whole index.
const maxChartDeals = 20_000

// Chart is the answer of GET /api/chart: deal count and total amount per
// month for a query, the data of the page's chart.
type Chart struct {
	// Of is "deals" when the months count resolved deals (one per round),
	// "articles" when the backend keeps no resolved deals and they count
	// the shown deals of matching articles.
	Of     string       `json:"of"`
	Months []ChartMonth `json:"months"`
	// Deals is how many deals were read; Partial is set when there were
	// more than the chart reads (maxChartDeals), which it leaves out.
	Deals   int  `json:"deals"`
	Partial bool `json:"partial,omitempty"`
	// MinConfidence is the threshold the query applied.
	MinConfidence float64 `json:"min_confidence"`
}

// ChartMonth is one month of a [Chart]; months without deals between the
// first and the last are present with zero counts, so bars line up in time.
type ChartMonth struct {
	Month string `json:"month"` // "2006-01"
	Deals int    `json:"deals"`
	// AmountUSD sums the deals' amounts in approximate US dollars; Unpriced
	// counts deals without an amount or a USD value, which it leaves out.
	AmountUSD float64 `json:"amount_usd"`
	Unpriced  int     `json:"unpriced,omitempty"`
}

// chart answers GET /api/chart with the query parameters of /api/search:
// resolved deals per month (announcement month) when the backend stores
// them, else the shown deals of the matching articles per publication month.
func (h *handler) chart(w http.ResponseWriter, r *http.Request) {
	answerSearch(h, w, r, "the index for the chart", func(ctx context.Context, q index.Query) (Chart, error) {
		q.Size, q.After, q.Facets, q.Sort = index.MaxSize, "", false, index.SortDate
		months := map[string]*ChartMonth{}
		c := Chart{Of: "deals", MinConfidence: q.MinConfidence}
		add := func(at time.Time, m *news.Money) {
			key := at.UTC().Format("2006-01")
			cm := months[key]
			if cm == nil {
				cm = &ChartMonth{Month: key}
				months[key] = cm
			}
			cm.Deals++
			c.Deals++
			if usd := usdOf(m); usd > 0 {
				cm.AmountUSD += usd
			} else {
				cm.Unpriced++
			}
		}
		ds, byDeal := h.s.(dealSearcher)
		if !byDeal {
			c.Of = "articles"
		}
		for c.Deals < maxChartDeals {
			var next string
			if byDeal {
				res, err := ds.SearchDeals(ctx, q)
				if err != nil {
					return c, err
				}
				for _, hit := range res.Hits {
					add(hit.Deal.AnnouncedAt, hit.Deal.Amount)
				}
				next = res.Next
			} else {
				res, err := h.s.Search(ctx, q)
				if err != nil {
					return c, err
				}
				for _, hit := range res.Hits {
					a := hit.Record.Article
					at := a.PublishedAt
					if at.IsZero() {
						at = a.FetchedAt
					}
					for _, d := range hit.Record.Extraction.Deals {
						add(at, d.Amount)
					}
				}
				next = res.Next
			}
			if next == "" {
				break
			}
			q.After = next
			c.Partial = c.Deals >= maxChartDeals
		}
		c.Months = fillMonths(months)
		return c, nil
	})
}

// usdOf is m in approximate US dollars, 0 when unknown.
func usdOf(m *news.Money) float64 {
	switch {
	case m == nil:
		return 0
	case m.USD > 0:
		return m.USD
	case m.Currency == "USD":
		return m.Value.Float64()
	}
	return 0
}

// fillMonths returns the months in order from the first to the last,
// the empty ones between included.
func fillMonths(months map[string]*ChartMonth) []ChartMonth {
	out := []ChartMonth{}
	var first, last time.Time
	for k := range months {
		t, err := time.Parse("2006-01", k)
		if err != nil {
			continue // impossible: the keys are formatted by add
		}
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	if first.IsZero() {
		return out
	}
	for t := first; !t.After(last); t = t.AddDate(0, 1, 0) {
		k := t.Format("2006-01")
		if m := months[k]; m != nil {
			out = append(out, *m)
		} else {
			out = append(out, ChartMonth{Month: k})
		}
	}
	return out
}
