package index

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/dealwire/dealwire/news"
)

// WriteResult writes res as "dealwire search" prints it: with asJSON the
// JSON of GET /api/search, indented; else a table with one line per hit
// and its largest deal, then a line for each of its other deals, each with
// the extractor model's confidence ("-" when unscored), followed by the
// count, the next-page cursor and the facets.
func WriteResult(w io.Writer, res Result, asJSON bool) error {
	if asJSON {
		if res.Hits == nil {
			res.Hits = []Hit{} // an empty list, as the HTTP API answers
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDATE\tSOURCE\tAMOUNT\tROUND\tCONF\tCOMPANY\tTITLE")
	hidden := 0
	for _, h := range res.Hits {
		hidden += h.HiddenDeals
		a := h.Record.Article
		date := a.PublishedAt
		if date.IsZero() {
			date = a.FetchedAt
		}
		deals := h.Record.Extraction.Deals
		first := largestDeal(deals)
		line := func(id, date, source string, d *news.Deal, title string) {
			amount, round, conf, company := "", "", "", ""
			if d != nil {
				round, conf, company = d.Round, formatConfidence(d.Confidence), d.Company
				if d.Amount != nil {
					amount = formatMoney(*d.Amount)
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", id, date, source, amount, round, conf, short(company, 24), title)
		}
		line(short(h.ID, 12), date.Format("2006-01-02"), short(a.Source, 16), first, short(a.Title, 70))
		for i := range deals {
			if d := &deals[i]; d != first {
				line("", "", "", d, "")
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d of %d matching records", len(res.Hits), res.Total)
	switch {
	case res.MinConfidence > 0 && hidden > 0:
		fmt.Fprintf(w, "; %d %s below confidence %g hidden (--min-confidence 0 shows all)", hidden, plural(hidden, "deal", "deals"), res.MinConfidence)
	case res.MinConfidence > 0:
		fmt.Fprintf(w, "; deals below confidence %g hidden (--min-confidence 0 shows all)", res.MinConfidence)
	}
	if res.Next != "" {
		fmt.Fprintf(w, "; next page: --after %s", res.Next)
	}
	fmt.Fprintln(w)
	if f := res.Facets; f != nil {
		for _, g := range []struct {
			name string
			bs   []Bucket
		}{{"investors", f.Investors}, {"rounds", f.Rounds}, {"currencies", f.Currencies}, {"sources", f.Sources}, {"months", f.Months}} {
			parts := make([]string, len(g.bs))
			for i, b := range g.bs {
				parts[i] = fmt.Sprintf("%s (%d)", b.Key, b.Count)
			}
			fmt.Fprintf(w, "%-11s %s\n", g.name+":", strings.Join(parts, ", "))
		}
	}
	return nil
}

// largestDeal is the deal with the largest amount in approximate USD, or
// the first deal when none has one.
func largestDeal(deals []news.Deal) *news.Deal {
	var best *news.Deal
	bestUSD := -1.0
	for i := range deals {
		d := &deals[i]
		usd := 0.0
		if d.Amount != nil {
			usd = d.Amount.USD
			if usd == 0 && d.Amount.Currency == "USD" {
				usd = d.Amount.Value.Float64()
			}
		}
		if usd > bestUSD {
			best, bestUSD = d, usd
		}
	}
	return best
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// formatConfidence writes a deal's confidence with two decimals, or "-"
// when the model did not score it.
func formatConfidence(c float64) string {
	if c == 0 {
		return "-"
	}
	return strconv.FormatFloat(c, 'f', 2, 64)
}

// formatMoney writes m compactly: "USD 2.5B", "EUR 40M".
func formatMoney(m news.Money) string {
	v := m.Value.Float64()
	for _, s := range []struct {
		div    float64
		suffix string
	}{{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "K"}} {
		if v >= s.div {
			return m.Currency + " " + strconv.FormatFloat(v/s.div, 'f', -1, 64) + s.suffix
		}
	}
	return m.Currency + " " + strconv.FormatFloat(v, 'f', -1, 64)
}

// short puts s on one line with single spaces and cuts it to n runes,
// marking the cut.
func short(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
