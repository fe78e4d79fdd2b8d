package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
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
	answerSearch(h, w, r, "the index for the chart", h.chartOf)
}

// chartOf counts the deals of q per month: the chart of GET /api/chart and
// of the page.
func (h *handler) chartOf(ctx context.Context, q index.Query) (Chart, error) {
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

// chartView is the geometry of the page's chart of a [Chart], in SVG user
// units: a bar per month for the deal count on the left scale, and a line
// with a dot per month for the total amount in USD on the right scale.
type chartView struct {
	W, H                  int
	AxisX1, AxisX2, AxisY int
	MaxDeals              int
	MaxAmount             string
	TopY, LeftX, RightX   int
	Bars                  []chartBar
	Labels                []chartLabel
	Line                  string // the polyline's points
	Dots                  []chartDot
	Of                    string // what the bars count, for the legend
	Deals                 int
	Partial               bool
	Err                   string // why there is no chart
	Empty                 bool
}

type chartBar struct {
	Month      string
	Deals      int
	X, Y, W, H string
	Title      string
}

type chartLabel struct {
	X, Y string
	Text string
}

type chartDot struct {
	X, Y   string
	Amount float64
	Title  string
}

// svgNum writes an SVG coordinate with one decimal.
func svgNum(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// newChartView lays c out for the page.
func newChartView(c Chart) chartView {
	const W, H, L, R, T, B = 640, 170, 30, 58, 10, 24
	const ih = H - T - B
	v := chartView{W: W, H: H, AxisX1: L, AxisX2: W - R, AxisY: T + ih, TopY: T + 8, LeftX: L - 4, RightX: W - R + 4,
		Of: "resolved deals", Deals: c.Deals, Partial: c.Partial, Empty: len(c.Months) == 0}
	if c.Of != "deals" {
		v.Of = "deals of the matching articles"
	}
	if v.Empty {
		return v
	}
	bw := min(64, float64(W-L-R)/float64(len(c.Months)))
	maxN, maxA := 1, 1.0
	for _, m := range c.Months {
		maxN, maxA = max(maxN, m.Deals), max(maxA, m.AmountUSD)
	}
	v.MaxDeals, v.MaxAmount = maxN, "$"+short(maxA)
	step := (len(c.Months) + 11) / 12 // at most 12 month labels
	var pts []string
	for i, m := range c.Months {
		x := L + float64(i)*bw
		h := float64(ih) * float64(m.Deals) / float64(maxN)
		title := fmt.Sprintf("%s: %d deal%s, $%s", m.Month, m.Deals, plural(m.Deals), short(m.AmountUSD))
		if m.Unpriced > 0 {
			title += fmt.Sprintf(" (%d without a USD amount)", m.Unpriced)
		}
		v.Bars = append(v.Bars, chartBar{Month: m.Month, Deals: m.Deals, Title: title,
			X: svgNum(x + bw*0.15), Y: svgNum(T + ih - h), W: svgNum(bw * 0.7), H: svgNum(h)})
		if i%step == 0 {
			v.Labels = append(v.Labels, chartLabel{X: svgNum(x + bw/2), Y: strconv.Itoa(H - 8), Text: m.Month})
		}
		dot := chartDot{X: svgNum(x + bw/2), Y: svgNum(T + ih - ih*m.AmountUSD/maxA), Amount: m.AmountUSD,
			Title: fmt.Sprintf("%s: $%s", m.Month, short(m.AmountUSD))}
		v.Dots = append(v.Dots, dot)
		pts = append(pts, dot.X+","+dot.Y)
	}
	v.Line = strings.Join(pts, " ")
	return v
}

// plural is "s" unless n is 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
