package index

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dealwire/dealwire/news"
)

// Sort orders of a [Query].
const (
	// SortRelevance orders by full-text score, then date, newest first. Without
	// text every score is equal, so it is the same as [SortDate].
	SortRelevance = "relevance"
	// SortDate orders by date, newest first. A record's date is its
	// published time, or its fetched time when the feed gave none.
	SortDate = "date"
	// SortAmount orders by the largest amount, in approximate USD, among
	// the deals of the record that the query shows (see
	// [Query.MinConfidence]), largest first; records without such an amount
	// come last.
	SortAmount = "amount"
)

// Size limits of a [Query].
const (
	DefaultSize = 20
	MaxSize     = 500
	// FacetSize is how many buckets the investor, round, currency and source
	// facets return at most; the month histogram returns every month.
	FacetSize = 20
)

// DefaultMinConfidence is the [Config.MinConfidence] of a configuration
// that does not set one: deals the extractor's model gives less than even
// odds are hidden.
const DefaultMinConfidence = 0.5

// Config holds the defaults of searches: what a query that does not say
// otherwise gets. The HTTP API and "dealwire search" apply it through
// [ParseQuery]; it is the "search" section of the configuration file.
type Config struct {
	// MinConfidence is the [Query.MinConfidence] of a query without a
	// min_confidence parameter, in [0, 1]. 0 shows every deal.
	MinConfidence float64 `yaml:"min_confidence"`
}

// DefaultConfig returns the defaults: MinConfidence [DefaultMinConfidence].
func DefaultConfig() Config { return Config{MinConfidence: DefaultMinConfidence} }

// Validate reports a setting out of range.
func (c Config) Validate() error {
	if !validConfidence(c.MinConfidence) {
		return fmt.Errorf("search.min_confidence %g: want a number from 0 to 1", c.MinConfidence)
	}
	return nil
}

func validConfidence(c float64) bool { return c >= 0 && c <= 1 } // false for NaN

// StoredConfidence is c at the precision both backends store and compare
// confidences: 32 bits, Elasticsearch's float. Rounding the deals'
// confidences and the threshold alike makes both backends, and
// [Query.Shows], draw the line in the same place.
func StoredConfidence(c float64) float64 { return float64(float32(c)) }

// Range is a closed interval [Min, Max]; a zero bound is open. Amounts,
// valuations and capacities are positive, so zero never needs to be a bound.
type Range struct {
	Min float64 `json:"min,omitempty"`
	Max float64 `json:"max,omitempty"`
}

// IsZero reports whether r leaves both ends open.
func (r Range) IsZero() bool { return r.Min == 0 && r.Max == 0 }

// Contains reports whether v lies in r.
func (r Range) Contains(v float64) bool {
	return (r.Min == 0 || v >= r.Min) && (r.Max == 0 || v <= r.Max)
}

// Query is one search: full text, filters, sort, page and facets. Both
// backends give the same answer to the same Query.
//
// The deal filters (Investor, LeadInvestor, Company, Round, Currency, Amount,
// AmountUSD, Valuation, ValuationUSD, Capacity) must all hold for the same
// deal of a record: "Nvidia with more than $1B" does not match a record where
// Nvidia joined a $10M round and another deal raised $2B. Names match case
// insensitively and exactly; an investor matches by the name as written or by
// its canonical gazetteer name.
//
// MinConfidence hides doubtful deals everywhere in the answer: the deal
// filters match only the deals it shows, the hits carry only those (see
// [Hit.HiddenDeals]), the amount sort and the facets count only those, and
// a deal search ([DealStore]) returns only those. Records match their text,
// source and date whatever the confidence of their deals.
type Query struct {
	// Text is matched against title and text: words and "quoted phrases"
	// must all occur; a leading '-' excludes a word or phrase.
	Text string `json:"q,omitempty"`

	Investor     string `json:"investor,omitempty"`
	LeadInvestor string `json:"lead_investor,omitempty"`
	Company      string `json:"company,omitempty"`
	Round        string `json:"round,omitempty"`    // "seed", "series b"...
	Currency     string `json:"currency,omitempty"` // ISO 4217 code of the deal amount
	Source       string `json:"source,omitempty"`   // the article's source (feed name)

	Amount       Range `json:"amount,omitzero"`        // deal amount in its own currency
	AmountUSD    Range `json:"amount_usd,omitzero"`    // deal amount in approximate USD
	Valuation    Range `json:"valuation,omitzero"`     // valuation in its own currency
	ValuationUSD Range `json:"valuation_usd,omitzero"` // valuation in approximate USD
	Capacity     Range `json:"capacity,omitzero"`      // any power figure of the deal, watts

	// MinConfidence shows only the deals whose [news.Deal.Confidence] (for
	// a resolved deal [news.DealRecord.Confidence]) is at least this, in
	// [0, 1]. A deal of confidence 0 was not scored by the extractor's model
	// and always shows: unknown is not doubtful. 0, the zero value, shows
	// every deal. Confidences compare at [StoredConfidence] precision.
	MinConfidence float64 `json:"min_confidence,omitempty"`

	// PublishedFrom (inclusive) and PublishedTo (exclusive) bound the date.
	PublishedFrom time.Time `json:"from,omitzero"`
	PublishedTo   time.Time `json:"to,omitzero"`

	Sort string `json:"sort,omitempty"` // SortRelevance (default), SortDate or SortAmount
	Size int    `json:"size,omitempty"` // hits per page, default DefaultSize, at most MaxSize
	// After is the Next cursor of the previous page. It is opaque and only
	// valid with the same query.
	After string `json:"after,omitempty"`
	// Facets asks for counts of investors, rounds, currencies, sources and
	// months over every matching record.
	Facets bool `json:"facets,omitempty"`
}

// Result is one page of answers.
type Result struct {
	Total  int     `json:"total"` // matching records, over all pages
	Hits   []Hit   `json:"hits"`
	Next   string  `json:"next,omitempty"` // cursor for the next page, "" after the last
	Facets *Facets `json:"facets,omitempty"`
	// MinConfidence is the threshold the answer applied ([Query.MinConfidence]).
	MinConfidence float64 `json:"min_confidence"`
}

// Hit is one matching record.
type Hit struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"` // backend-specific relevance, higher is better
	// Record is the stored record with only the deals the query shows;
	// GET /api/articles/{id} ([Store.Get]) has them all.
	Record news.Record `json:"record"`
	// HiddenDeals is how many deals of the record were left out for a
	// confidence below [Query.MinConfidence].
	HiddenDeals int `json:"hidden_deals,omitempty"`
}

// Facets counts matching records per value. A record counts once per value,
// in whichever of its shown deals ([Query.MinConfidence]) the value occurs.
type Facets struct {
	Investors  []Bucket `json:"investors"`  // canonical investor names
	Rounds     []Bucket `json:"rounds"`     // deal rounds
	Currencies []Bucket `json:"currencies"` // deal amount currencies
	Sources    []Bucket `json:"sources"`
	Months     []Bucket `json:"months"` // "2006-01", oldest first, months without records left out
}

// Bucket is one facet value and the number of matching records that have it.
// Buckets are ordered by count, largest first, then by key.
type Bucket struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// Validate reports a query that cannot be answered.
func (q Query) Validate() error {
	var errs []error
	switch q.Sort {
	case "", SortRelevance, SortDate, SortAmount:
	default:
		errs = append(errs, fmt.Errorf("sort %q: want %s, %s or %s", q.Sort, SortRelevance, SortDate, SortAmount))
	}
	if q.Size < 0 || q.Size > MaxSize {
		errs = append(errs, fmt.Errorf("size %d: want 1 to %d", q.Size, MaxSize))
	}
	for _, r := range []struct {
		name string
		r    Range
	}{{"amount", q.Amount}, {"amount_usd", q.AmountUSD}, {"valuation", q.Valuation}, {"valuation_usd", q.ValuationUSD}, {"capacity", q.Capacity}} {
		if r.r.Min < 0 || r.r.Max < 0 {
			errs = append(errs, fmt.Errorf("%s: negative bound", r.name))
		}
		if r.r.Max != 0 && r.r.Min > r.r.Max {
			errs = append(errs, fmt.Errorf("%s: min %g above max %g", r.name, r.r.Min, r.r.Max))
		}
	}
	if !validConfidence(q.MinConfidence) {
		errs = append(errs, fmt.Errorf("min_confidence %g: want a number from 0 to 1", q.MinConfidence))
	}
	if !q.PublishedFrom.IsZero() && !q.PublishedTo.IsZero() && !q.PublishedFrom.Before(q.PublishedTo) {
		errs = append(errs, errors.New("from: not before to"))
	}
	return errors.Join(errs...)
}

// Normalized returns q with defaults filled in and names in the form the
// backends store them: keys lower case, currency upper case.
func (q Query) Normalized() Query {
	if q.Sort == "" {
		q.Sort = SortRelevance
	}
	if q.Size == 0 {
		q.Size = DefaultSize
	}
	q.Text = strings.TrimSpace(q.Text)
	q.Investor = Key(q.Investor)
	q.LeadInvestor = Key(q.LeadInvestor)
	q.Company = Key(q.Company)
	q.Round = Key(q.Round)
	q.Currency = strings.ToUpper(strings.TrimSpace(q.Currency))
	q.Source = strings.TrimSpace(q.Source)
	return q
}

// HasDealFilter reports whether q filters on any deal field.
func (q Query) HasDealFilter() bool {
	return q.Investor != "" || q.LeadInvestor != "" || q.Company != "" || q.Round != "" || q.Currency != "" ||
		!q.Amount.IsZero() || !q.AmountUSD.IsZero() || !q.Valuation.IsZero() || !q.ValuationUSD.IsZero() || !q.Capacity.IsZero()
}

// Shows reports whether q shows a deal of confidence c: c was not scored
// (0), or reaches q.MinConfidence at [StoredConfidence] precision.
func (q Query) Shows(c float64) bool {
	return q.MinConfidence == 0 || c == 0 || StoredConfidence(c) >= StoredConfidence(q.MinConfidence)
}

// Hide removes from h's record the deals q does not show and counts them in
// h.HiddenDeals. Both backends call it on every hit, so that what a hit
// shows agrees with what the deal filters matched.
//
// The deals the extractor's model rejected (Extraction.Doubtful) join the
// shown deals when q reaches down to their confidence, and count as hidden
// otherwise.
func (q Query) Hide(h *Hit) {
	ex := &h.Record.Extraction
	deals, doubt := ex.Deals, ex.Doubtful
	if len(deals)+len(doubt) == 0 {
		return
	}
	shown := make([]news.Deal, 0, len(deals)+len(doubt))
	for _, d := range deals {
		if q.Shows(d.Confidence) {
			shown = append(shown, d)
		}
	}
	for _, d := range doubt {
		if q.Shows(d.Confidence) {
			shown = append(shown, d)
		}
	}
	h.HiddenDeals = len(deals) + len(doubt) - len(shown)
	ex.Deals, ex.Doubtful = shown, nil
}

// Key is the form in which names are stored for exact, case-insensitive
// matching: trimmed, inner white space collapsed, lower case.
func Key(s string) string {
	if k, ok := asciiKey(s); ok {
		return k
	}
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// asciiKey is [Key] of s when s is ASCII, the common case, in one pass and
// at most one allocation (none when s is its own key): the index stage
// computes a key for every company, round and investor, and splitting,
// joining and lowering each was a tenth of building an Elasticsearch
// document. ok is false for any other s.
func asciiKey(s string) (key string, ok bool) {
	var stack [64]byte
	b := stack[:0]
	if len(s) > len(stack) {
		b = make([]byte, 0, len(s))
	}
	space := true // at the start or after white space
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x80:
			return "", false
		case c == ' ' || '\t' <= c && c <= '\r': // unicode.IsSpace in ASCII
			space = true
		default:
			if space && len(b) > 0 {
				b = append(b, ' ')
			}
			space = false
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		}
	}
	if string(b) == s {
		return s, true
	}
	return string(b), true
}
