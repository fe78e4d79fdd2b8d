package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// searchFlags are the query flags of "dealwire search"; each is the URL
// parameter of GET /api/search with '-' for '_', read by index.ParseQuery.
var searchFlags = []string{
	"investor", "lead_investor", "company", "round", "currency", "source",
	"amount_min", "amount_max", "amount_usd_min", "amount_usd_max",
	"valuation_min", "valuation_max", "valuation_usd_min", "valuation_usd_max",
	"capacity_min", "capacity_max", "min_confidence", "from", "to", "sort", "size", "after",
}

// addSearchFlags registers the query flags of searchFlags on fs (except
// skip; overrides replaces a flag's help) and returns what reads them, after
// parsing, as the URL parameters of GET /api/search, with the remaining
// arguments as the full-text query q.
func addSearchFlags(fs *flag.FlagSet, overrides map[string]string, skip ...string) func() url.Values {
	help := map[string]string{}
	for _, p := range index.Params {
		for _, name := range strings.Split(p[0], " / ") {
			help[name] = p[1]
		}
	}
	maps.Copy(help, overrides)
	vals := make(map[string]*string, len(searchFlags))
	for _, name := range searchFlags {
		if !slices.Contains(skip, name) {
			vals[name] = fs.String(strings.ReplaceAll(name, "_", "-"), "", help[name])
		}
	}
	return func() url.Values {
		v := url.Values{}
		for name, p := range vals {
			if *p != "" {
				v.Set(name, *p)
			}
		}
		if q := strings.Join(fs.Args(), " "); q != "" {
			v.Set("q", q)
		}
		return v
	}
}

func runSearch(ctx context.Context, e *env, args []string) error {
	const summary = "search the configured index (SQLite, or Elasticsearch when elasticsearch.urls is set) and print a table or JSON; QUERY is full text: words and \"phrases\" must occur, -word excludes"
	fs := newFlagSet(e, "search [flags] [QUERY]", summary)
	cfgPath := fs.String("config", "", "configuration file (YAML); default $DEALWIRE_CONFIG")
	asJSON := fs.Bool("json", false, "print the result as JSON (hits with whole records, next cursor, facets)")
	facets := fs.Bool("facets", false, "also count investors, rounds, currencies, sources and months")
	query := addSearchFlags(fs, nil)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	v := query()
	if *facets {
		v.Set("facets", "true")
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	q, err := index.ParseQuery(v, cfg.Search)
	if err != nil {
		fmt.Fprintln(e.stderr, "dealwire search:", err)
		return errUsage
	}
	logger := newLogger(cfg, os.Stderr).With("command", "search")
	store, err := openStore(ctx, cfg, logger, prometheus.NewRegistry())
	if err != nil {
		return err
	}
	defer closeStore(store, logger)
	res, err := store.Search(ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		if res.Hits == nil {
			res.Hits = []index.Hit{} // an empty list, as the HTTP API answers
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	return printResult(e.stdout, res)
}

// printResult writes res as a table: one line per hit with its largest
// deal, then one line for each of its other deals, each with the extractor
// model's confidence ("-" when unscored).
func printResult(w io.Writer, res index.Result) error {
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
			bs   []index.Bucket
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

func short(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
