package index

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Params documents the URL parameters [ParseQuery] reads, in order, with
// what each means. GET /api/search and "dealwire search" share them.
var Params = [][2]string{
	{"q", `full text over title and text: words and "phrases" must all occur, -word excludes`},
	{"investor", "an investor of the deal, by name as written or canonical name (case-insensitive)"},
	{"lead_investor", "a lead investor of the deal"},
	{"company", "the company that raised (case-insensitive, exact)"},
	{"round", `the round: "seed", "series a", "debt", "ipo"...`},
	{"currency", "ISO 4217 code of the deal amount"},
	{"source", "the article's source (feed name)"},
	{"amount_min / amount_max", "deal amount in its own currency: 500000, 1.5e9, 20m, 1.2bn"},
	{"amount_usd_min / amount_usd_max", "deal amount in approximate USD (FX table)"},
	{"valuation_min / valuation_max", "valuation in its own currency"},
	{"valuation_usd_min / valuation_usd_max", "valuation in approximate USD"},
	{"capacity_min / capacity_max", "a power figure of the deal: watts, or with a unit: 500MW, 2GW"},
	{"min_confidence", fmt.Sprintf("show only deals the extractor's model scored at least this confident, 0 to 1; 0 shows every deal, unscored deals always show. Default: search.min_confidence of the configuration (%g unless set)", DefaultMinConfidence)},
	{"from / to", "publication date: 2024-03-01 or 2024-03 or RFC 3339; from inclusive, to inclusive of the whole day or month given"},
	{"sort", "relevance (default), date (newest first) or amount (largest first)"},
	{"size", fmt.Sprintf("hits per page, default %d, at most %d", DefaultSize, MaxSize)},
	{"after", "the next cursor of the previous page"},
	{"facets", "true to count investors, rounds, currencies, sources and months"},
}

// ParamError reports a URL parameter whose value could not be read, shaped
// like [strconv.NumError].
type ParamError struct {
	Param string
	Value string
	Err   error
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("parameter %s=%q: %v", e.Param, e.Value, e.Err)
}

// Unwrap returns the cause.
func (e *ParamError) Unwrap() error { return e.Err }

// ParseQuery reads a [Query] from URL parameters (see [Params]) and validates
// it; a parameter left out takes its default from cfg. Unknown parameters
// are ignored so that callers can add their own (format, pretty...). Every
// bad parameter is reported, joined.
func ParseQuery(v url.Values, cfg Config) (Query, error) {
	q := Query{MinConfidence: cfg.MinConfidence}
	var errs []error
	bad := func(p, val string, err error) { errs = append(errs, &ParamError{Param: p, Value: val, Err: err}) }
	q.Text = v.Get("q")
	q.Investor = v.Get("investor")
	q.LeadInvestor = v.Get("lead_investor")
	q.Company = v.Get("company")
	q.Round = v.Get("round")
	q.Currency = v.Get("currency")
	q.Source = v.Get("source")
	q.Sort = v.Get("sort")
	q.After = v.Get("after")
	ranges := []struct {
		name  string
		r     *Range
		parse func(string) (float64, error)
	}{
		{"amount", &q.Amount, ParseAmount},
		{"amount_usd", &q.AmountUSD, ParseAmount},
		{"valuation", &q.Valuation, ParseAmount},
		{"valuation_usd", &q.ValuationUSD, ParseAmount},
		{"capacity", &q.Capacity, ParseWatts},
	}
	for _, r := range ranges {
		for _, end := range []struct {
			suffix string
			dst    *float64
		}{{"_min", &r.r.Min}, {"_max", &r.r.Max}} {
			p := r.name + end.suffix
			if s := v.Get(p); s != "" {
				f, err := r.parse(s)
				if err != nil {
					bad(p, s, err)
				}
				*end.dst = f
			}
		}
	}
	if s := v.Get("from"); s != "" {
		t, _, err := parseDate(s)
		if err != nil {
			bad("from", s, err)
		}
		q.PublishedFrom = t
	}
	if s := v.Get("to"); s != "" {
		t, next, err := parseDate(s)
		if err != nil {
			bad("to", s, err)
		}
		q.PublishedTo = next(t)
	}
	if s := v.Get("min_confidence"); s != "" {
		c, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || !validConfidence(c) {
			bad("min_confidence", s, errors.New("want a number from 0 to 1, such as 0.5; 0 shows every deal"))
		}
		q.MinConfidence = c
	}
	if s := v.Get("size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			bad("size", s, err)
		}
		q.Size = n
	}
	if s := v.Get("facets"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			bad("facets", s, err)
		}
		q.Facets = b
	}
	if len(errs) == 0 {
		if err := q.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	return q, errors.Join(errs...)
}

// parseDate reads a day, a month or an RFC 3339 time. next maps the parsed
// time to the exclusive end of the period the user named, so "to=2024-03"
// includes all of March.
func parseDate(s string) (t time.Time, next func(time.Time) time.Time, err error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }, nil
	}
	if t, err := time.Parse("2006-01", s); err == nil {
		return t, func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }, nil
	}
	t, err = time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, nil, errors.New("want YYYY-MM-DD, YYYY-MM or RFC 3339")
	}
	return t, func(t time.Time) time.Time { return t.Add(time.Millisecond) }, nil
}

// ParseAmount reads an amount in base units: "1500000", "1,500,000", "1.5e6",
// "1.5m", "20k", "1.2bn", "3b", "1t". Scale letters are case-insensitive.
func ParseAmount(s string) (float64, error) {
	t := strings.ToLower(strings.TrimSpace(strings.ReplaceAll(s, ",", "")))
	scale := 1.0
	for _, sc := range []struct {
		suffix string
		mul    float64
	}{{"bn", 1e9}, {"mn", 1e6}, {"k", 1e3}, {"m", 1e6}, {"b", 1e9}, {"t", 1e12}} {
		if strings.HasSuffix(t, sc.suffix) {
			t, scale = strings.TrimSpace(strings.TrimSuffix(t, sc.suffix)), sc.mul
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return 0, errors.New("want a number such as 2500000, 2.5m or 1.2bn")
	}
	if f < 0 {
		return 0, errors.New("negative")
	}
	return f * scale, nil
}

// ParseWatts reads a power in watts: "2000000", "2e9", "500MW", "2 GW", "10kW".
func ParseWatts(s string) (float64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	scale := 1.0
	for _, sc := range []struct {
		suffix string
		mul    float64
	}{{"tw", 1e12}, {"gw", 1e9}, {"mw", 1e6}, {"kw", 1e3}, {"w", 1}} {
		if strings.HasSuffix(t, sc.suffix) {
			t, scale = strings.TrimSpace(strings.TrimSuffix(t, sc.suffix)), sc.mul
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return 0, errors.New("want watts or a number with W, kW, MW, GW or TW")
	}
	if f < 0 {
		return 0, errors.New("negative")
	}
	return f * scale, nil
}
