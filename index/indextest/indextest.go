// Package indextest is the conformance suite of [index.Store]: one table of
// queries with the answers every backend must give, plus the write, read and
// pagination contracts. Each backend package runs it against a real store:
//
//	func TestConformance(t *testing.T) { indextest.Run(t, openStore) }
package indextest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// Run runs the suite. open returns a new, empty store; it is called once for
// the read-only cases and once more for each case that writes.
func Run(t *testing.T, open func(t *testing.T) index.Store) {
	t.Helper()
	s := open(t)
	load(t, s, Records())
	t.Run("queries", func(t *testing.T) { runQueries(t, s) })
	t.Run("facets", func(t *testing.T) { runFacets(t, s) })
	t.Run("pagination", func(t *testing.T) { runPagination(t, s) })
	t.Run("confidence", func(t *testing.T) { runConfidence(t, s) })
	t.Run("get", func(t *testing.T) { runGet(t, s) })
	t.Run("errors", func(t *testing.T) { runErrors(t, s) })
	t.Run("overwrite", func(t *testing.T) { runOverwrite(t, open(t)) })
	t.Run("per-record results", func(t *testing.T) { runPerRecord(t, open(t)) })
}

func load(t *testing.T, s index.Store, recs []news.Record) {
	t.Helper()
	for i, err := range s.Index(t.Context(), recs) {
		if err != nil {
			t.Fatalf("Index record %s: %v", recs[i].Article.ID, err)
		}
	}
	if err := s.Refresh(t.Context()); err != nil {
		t.Fatalf("Refresh: %v", err)
	}
}

// byDate is every fixture id, newest first.
var byDate = []string{"r7", "r6", "r4", "r3", "r2", "r8", "r1", "r5"}

type queryCase struct {
	name string
	q    index.Query
	want []string // ids in order
	// anyOrder compares want as a set (relevance order is backend-specific).
	anyOrder bool
}

func queryCases() []queryCase {
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	return []queryCase{
		{name: "everything by date", q: index.Query{Sort: index.SortDate}, want: byDate},
		{name: "no text relevance is date order", q: index.Query{}, want: byDate},
		{name: "word in title or text", q: index.Query{Text: "nvidia"}, want: []string{"r1", "r2", "r3", "r5", "r6"}, anyOrder: true},
		{name: "word case-insensitive by date", q: index.Query{Text: "NVIDIA", Sort: index.SortDate}, want: []string{"r6", "r3", "r2", "r1", "r5"}},
		{name: "all words must occur", q: index.Query{Text: "nvidia storage", Sort: index.SortDate}, want: []string{"r6"}},
		{name: "phrase", q: index.Query{Text: `"series b"`, Sort: index.SortDate}, want: []string{"r6", "r2"}},
		{name: "phrase words apart do not match", q: index.Query{Text: `"raised seed"`}, want: nil},
		{name: "exclusion", q: index.Query{Text: "raised -nvidia", Sort: index.SortDate}, want: []string{"r8"}},
		{name: "only exclusion", q: index.Query{Text: "-nvidia", Sort: index.SortDate}, want: []string{"r7", "r4", "r8"}},
		{name: "stray syntax is text", q: index.Query{Text: `acme AND "ai`, Sort: index.SortDate}, want: nil},
		{name: "stray quote", q: index.Query{Text: `"acme ai`, Sort: index.SortDate}, want: []string{"r1"}},
		{name: "punctuation only matches all", q: index.Query{Text: `- & "`, Sort: index.SortDate}, want: byDate},
		{name: "investor", q: index.Query{Investor: "Nvidia", Sort: index.SortDate}, want: []string{"r6", "r3", "r2", "r1"}},
		{name: "investor by canonical name", q: index.Query{Investor: "andreessen horowitz"}, want: []string{"r2"}},
		{name: "investor by name as written", q: index.Query{Investor: "A16Z"}, want: []string{"r2"}},
		{name: "investor is exact", q: index.Query{Investor: "nvid"}, want: nil},
		{name: "lead investor", q: index.Query{LeadInvestor: "nvidia"}, want: []string{"r1"}},
		{name: "lead investor by written name", q: index.Query{LeadInvestor: "a16z"}, want: []string{"r2"}},
		{name: "investor and lead in one deal", q: index.Query{Investor: "nvidia", LeadInvestor: "blackrock"}, want: []string{"r6"}},
		{name: "investor and lead in different deals", q: index.Query{Investor: "nvidia", LeadInvestor: "softbank"}, want: nil},
		{name: "investor with amount in the same deal", q: index.Query{Investor: "nvidia", AmountUSD: index.Range{Min: 1e9}}, want: []string{"r1"}},
		{name: "investor with amount range", q: index.Query{Investor: "nvidia", AmountUSD: index.Range{Min: 1e8, Max: 1e9}, Sort: index.SortDate}, want: []string{"r6", "r2"}},
		{name: "usd amount", q: index.Query{AmountUSD: index.Range{Min: 1e9}, Sort: index.SortDate}, want: []string{"r3", "r1"}},
		{name: "usd amount max", q: index.Query{AmountUSD: index.Range{Max: 60e6}, Sort: index.SortDate}, want: []string{"r3", "r8"}},
		{name: "native amount", q: index.Query{Amount: index.Range{Min: 1e9}, Sort: index.SortDate}, want: []string{"r4", "r3", "r1"}},
		{name: "native amount and currency", q: index.Query{Amount: index.Range{Min: 1e9}, Currency: "jpy"}, want: []string{"r4"}},
		{name: "currency", q: index.Query{Currency: "EUR"}, want: []string{"r2"}},
		{name: "round normalised", q: index.Query{Round: "Series B", Sort: index.SortDate}, want: []string{"r6", "r2"}},
		{name: "round and company in one deal", q: index.Query{Round: "seed", Company: "gamma"}, want: []string{"r3"}},
		{name: "round and company in different deals", q: index.Query{Round: "seed", Company: "delta"}, want: nil},
		{name: "company", q: index.Query{Company: "ACME AI"}, want: []string{"r1"}},
		{name: "valuation usd", q: index.Query{ValuationUSD: index.Range{Min: 1e9}}, want: []string{"r1"}},
		{name: "valuation native", q: index.Query{Valuation: index.Range{Min: 100e6}, Sort: index.SortDate}, want: []string{"r8", "r1"}},
		{name: "capacity at least 1 GW", q: index.Query{Capacity: index.Range{Min: 1e9}}, want: []string{"r4"}},
		{name: "capacity range", q: index.Query{Capacity: index.Range{Min: 100e6, Max: 600e6}}, want: []string{"r6"}},
		{name: "source", q: index.Query{Source: "sifted", Sort: index.SortDate}, want: []string{"r2", "r8", "r5"}},
		{name: "date range", q: index.Query{PublishedFrom: d("2024-02-01"), PublishedTo: d("2024-03-01"), Sort: index.SortDate}, want: []string{"r3", "r2"}},
		{name: "date range end exclusive", q: index.Query{PublishedTo: d("2024-01-15").Add(9 * time.Hour), Sort: index.SortDate}, want: []string{"r5"}},
		{name: "fetched date stands in", q: index.Query{PublishedFrom: d("2024-03-25"), Sort: index.SortDate}, want: []string{"r7"}},
		{name: "text and filters", q: index.Query{Text: "raised", Investor: "nvidia", Round: "series b", Sort: index.SortDate}, want: []string{"r6"}},
		{name: "sort by amount", q: index.Query{Sort: index.SortAmount}, want: []string{"r3", "r1", "r2", "r6", "r4", "r8", "r7", "r5"}},
		{name: "sort by amount with filter", q: index.Query{Source: "techcrunch", Sort: index.SortAmount}, want: []string{"r3", "r1", "r6"}},
		{name: "nothing", q: index.Query{Text: "xylophone"}, want: nil},

		// min_confidence: deal filters and the amount sort see only the
		// deals shown; records match their text, source and date regardless.
		{name: "confidence: every record still matches", q: index.Query{Sort: index.SortDate, MinConfidence: 0.5}, want: byDate},
		{name: "confidence: text still matches", q: index.Query{Text: "softbank", MinConfidence: 0.5}, want: []string{"r3"}},
		{name: "confidence: investor of a low deal shown at 0", q: index.Query{Investor: "softbank"}, want: []string{"r3"}},
		{name: "confidence: investor of a low deal hidden", q: index.Query{Investor: "softbank", MinConfidence: 0.5}, want: nil},
		{name: "confidence: at the threshold shows", q: index.Query{Investor: "softbank", MinConfidence: 0.2}, want: []string{"r3"}},
		{name: "confidence: amount of a hidden deal", q: index.Query{AmountUSD: index.Range{Min: 1e9}, Sort: index.SortDate, MinConfidence: 0.5}, want: []string{"r1"}},
		{name: "confidence: round of a hidden deal", q: index.Query{Round: "acquisition", MinConfidence: 0.5}, want: nil},
		{name: "confidence: shown deal of a record with a hidden one", q: index.Query{Round: "seed", Investor: "nvidia", MinConfidence: 0.5}, want: []string{"r3"}},
		{name: "confidence: unscored deals always show", q: index.Query{Investor: "nvidia", Sort: index.SortDate, MinConfidence: 1}, want: []string{"r6", "r2"}},
		{name: "confidence: sort by amount of shown deals", q: index.Query{Sort: index.SortAmount, MinConfidence: 0.5},
			want: []string{"r1", "r2", "r6", "r4", "r8", "r3", "r7", "r5"}},
		{name: "confidence: sort by amount with filter", q: index.Query{Source: "techcrunch", Sort: index.SortAmount, MinConfidence: 0.5},
			want: []string{"r1", "r6", "r3"}},
		{name: "confidence: text sorted by amount", q: index.Query{Text: "raised", Sort: index.SortAmount, MinConfidence: 0.5},
			want: []string{"r1", "r6", "r8", "r3"}},
		{name: "confidence: text sorted by amount, all shown", q: index.Query{Text: "raised", Sort: index.SortAmount},
			want: []string{"r3", "r1", "r6", "r8"}},
	}
}

func ids(hits []index.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

func runQueries(t *testing.T, s index.Store) {
	for _, tt := range queryCases() {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			q.Size = index.MaxSize
			res, err := s.Search(t.Context(), q)
			if err != nil {
				t.Fatalf("Search(%+v): %v", q, err)
			}
			got, want := ids(res.Hits), tt.want
			if tt.anyOrder {
				got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
			}
			if !slices.Equal(got, want) {
				t.Errorf("Search(%+v) ids = %v, want %v", q, got, want)
			}
			if res.Total != len(tt.want) {
				t.Errorf("Total = %d, want %d", res.Total, len(tt.want))
			}
			if res.Next != "" {
				t.Errorf("Next = %q on the only page, want empty", res.Next)
			}
			for i := 1; i < len(res.Hits); i++ {
				if q.Sort == "" && tt.q.Text != "" && res.Hits[i].Score > res.Hits[i-1].Score {
					t.Errorf("relevance order: hit %d score %g above hit %d score %g", i, res.Hits[i].Score, i-1, res.Hits[i-1].Score)
				}
			}
			for _, h := range res.Hits {
				if h.Record.Article.ID != h.ID {
					t.Errorf("hit %s carries record %q", h.ID, h.Record.Article.ID)
				}
			}
			if res.Facets != nil {
				t.Errorf("Facets = %+v without asking", res.Facets)
			}
		})
	}
}

func runFacets(t *testing.T, s index.Store) {
	b := func(kv ...any) []index.Bucket {
		out := []index.Bucket{}
		for i := 0; i < len(kv); i += 2 {
			out = append(out, index.Bucket{Key: kv[i].(string), Count: kv[i+1].(int)})
		}
		return out
	}
	tests := []struct {
		name string
		q    index.Query
		want index.Facets
	}{
		{"all records", index.Query{Facets: true, Size: 1}, index.Facets{
			Investors:  b("Nvidia", 4, "Andreessen Horowitz", 1, "BlackRock", 1, "Index Ventures", 1, "Mizuho", 1, "Sequoia Capital", 1, "SoftBank", 1),
			Rounds:     b("series b", 2, "acquisition", 1, "debt", 1, "seed", 1, "series a", 1, "series c", 1, "series d", 1),
			Currencies: b("USD", 3, "EUR", 1, "GBP", 1, "JPY", 1),
			Sources:    b("sifted", 3, "techcrunch", 3, "nikkei", 1, "reuters", 1),
			Months:     b("2023-12", 1, "2024-01", 2, "2024-02", 2, "2024-03", 2, "2024-04", 1),
		}},
		// A record counts for every value of any of its deals, not only the
		// deal that matched: r3 matches through Gamma and still counts SoftBank.
		{"filtered by investor", index.Query{Facets: true, Investor: "nvidia", AmountUSD: index.Range{Max: 1e9}}, index.Facets{
			Investors:  b("Nvidia", 3, "Andreessen Horowitz", 1, "BlackRock", 1, "SoftBank", 1),
			Rounds:     b("series b", 2, "seed", 1, "series d", 1),
			Currencies: b("USD", 2, "EUR", 1),
			Sources:    b("techcrunch", 2, "sifted", 1),
			Months:     b("2024-02", 2, "2024-03", 1),
		}},
		{"with text", index.Query{Facets: true, Text: "fund"}, index.Facets{
			Investors: b(), Rounds: b(), Currencies: b(),
			Sources: b("sifted", 1),
			Months:  b("2023-12", 1),
		}},
		{"nothing matches", index.Query{Facets: true, Text: "xylophone"}, index.Facets{
			Investors: b(), Rounds: b(), Currencies: b(), Sources: b(), Months: b(),
		}},
		// Hidden deals (r3's Delta, r7's Iota) count for no investor, round
		// or currency; their records still count for sources and months.
		{"all records, low confidence hidden", index.Query{Facets: true, Size: 1, MinConfidence: 0.5}, index.Facets{
			Investors:  b("Nvidia", 4, "Andreessen Horowitz", 1, "BlackRock", 1, "Index Ventures", 1, "Mizuho", 1, "Sequoia Capital", 1),
			Rounds:     b("series b", 2, "debt", 1, "seed", 1, "series a", 1, "series c", 1),
			Currencies: b("USD", 3, "EUR", 1, "GBP", 1, "JPY", 1),
			Sources:    b("sifted", 3, "techcrunch", 3, "nikkei", 1, "reuters", 1),
			Months:     b("2023-12", 1, "2024-01", 2, "2024-02", 2, "2024-03", 2, "2024-04", 1),
		}},
		{"filtered by investor, low confidence hidden", index.Query{Facets: true, Investor: "nvidia", AmountUSD: index.Range{Max: 1e9}, MinConfidence: 0.5}, index.Facets{
			Investors:  b("Nvidia", 3, "Andreessen Horowitz", 1, "BlackRock", 1),
			Rounds:     b("series b", 2, "seed", 1),
			Currencies: b("USD", 2, "EUR", 1),
			Sources:    b("techcrunch", 2, "sifted", 1),
			Months:     b("2024-02", 2, "2024-03", 1),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Search(t.Context(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if res.Facets == nil {
				t.Fatal("Facets = nil")
			}
			if diff := cmp.Diff(tt.want, *res.Facets); diff != "" {
				t.Errorf("facets (-want +got):\n%s", diff)
			}
		})
	}
}

func runPagination(t *testing.T, s index.Store) {
	for _, tt := range queryCases() {
		if len(tt.want) < 3 {
			continue
		}
		for _, size := range []int{1, 3} {
			t.Run(fmt.Sprintf("%s/size %d", tt.name, size), func(t *testing.T) {
				q := tt.q
				q.Size = size
				all, err := s.Search(t.Context(), index.Query{Text: q.Text, Investor: q.Investor, Source: q.Source,
					Amount: q.Amount, AmountUSD: q.AmountUSD, Sort: q.Sort, MinConfidence: q.MinConfidence, Size: index.MaxSize})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for page := 0; ; page++ {
					if page > len(tt.want) {
						t.Fatalf("more than %d pages", page)
					}
					res, err := s.Search(t.Context(), q)
					if err != nil {
						t.Fatalf("page %d: %v", page, err)
					}
					if res.Total != len(tt.want) {
						t.Errorf("page %d: Total = %d, want %d", page, res.Total, len(tt.want))
					}
					if len(res.Hits) > size {
						t.Fatalf("page %d: %d hits, size %d", page, len(res.Hits), size)
					}
					got = append(got, ids(res.Hits)...)
					if res.Next == "" {
						break
					}
					if len(res.Hits) != size {
						t.Errorf("page %d: %d hits before the last page, want %d", page, len(res.Hits), size)
					}
					q.After = res.Next
				}
				if want := ids(all.Hits); !slices.Equal(got, want) {
					t.Errorf("pages = %v, one page = %v", got, want)
				}
			})
		}
	}
}

// runConfidence checks what the hits carry under a threshold: only the
// deals shown, the number hidden, and the threshold applied.
func runConfidence(t *testing.T, s index.Store) {
	type shown struct {
		Deals  []string // companies
		Hidden int
	}
	tests := []struct {
		name string
		q    index.Query
		want map[string]shown
	}{
		{"all shown", index.Query{Sort: index.SortDate}, map[string]shown{
			"r1": {[]string{"Acme AI"}, 0}, "r3": {[]string{"Gamma", "Delta"}, 0}, "r5": {nil, 0}, "r7": {[]string{"Iota"}, 0}}},
		{"low hidden", index.Query{Sort: index.SortDate, MinConfidence: 0.5}, map[string]shown{
			"r1": {[]string{"Acme AI"}, 0}, "r3": {[]string{"Gamma"}, 1}, "r5": {nil, 0}, "r7": {nil, 1}}},
		{"high threshold", index.Query{Sort: index.SortDate, MinConfidence: 0.95}, map[string]shown{
			"r1": {nil, 1}, "r2": {[]string{"Beta Robotics"}, 0}, "r3": {nil, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			q.Size = index.MaxSize
			res, err := s.Search(t.Context(), q)
			if err != nil {
				t.Fatal(err)
			}
			if res.MinConfidence != tt.q.MinConfidence {
				t.Errorf("MinConfidence = %g, want %g", res.MinConfidence, tt.q.MinConfidence)
			}
			got := map[string]shown{}
			for _, h := range res.Hits {
				if _, ok := tt.want[h.ID]; !ok {
					continue
				}
				var sh shown
				for _, d := range h.Record.Extraction.Deals {
					sh.Deals = append(sh.Deals, d.Company)
				}
				sh.Hidden = h.HiddenDeals
				got[h.ID] = sh
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("deals of the hits (-want +got):\n%s", diff)
			}
		})
	}
	// Get returns the record as stored, every deal included.
	rec, err := s.Get(t.Context(), "r3")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rec.Extraction.Deals); n != 2 || rec.Extraction.Deals[1].Confidence != 0.2 {
		t.Errorf("Get(r3): %d deals, want 2 with the stored confidences", n)
	}
}

func runGet(t *testing.T, s index.Store) {
	for _, want := range Records() {
		got, err := s.Get(t.Context(), want.Article.ID)
		if err != nil {
			t.Fatalf("Get(%s): %v", want.Article.ID, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Get(%s) (-want +got):\n%s", want.Article.ID, diff)
		}
	}
	if _, err := s.Get(t.Context(), "no-such-id"); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("Get(no-such-id) error = %v, want ErrNotFound", err)
	}
}

func runErrors(t *testing.T, s index.Store) {
	tests := []struct {
		name string
		q    index.Query
	}{
		{"bad sort", index.Query{Sort: "random"}},
		{"size too big", index.Query{Size: index.MaxSize + 1}},
		{"negative size", index.Query{Size: -1}},
		{"inverted range", index.Query{AmountUSD: index.Range{Min: 10, Max: 1}}},
		{"inverted dates", index.Query{PublishedFrom: time.Now(), PublishedTo: time.Now().Add(-time.Hour)}},
		{"min confidence above 1", index.Query{MinConfidence: 1.5}},
		{"negative min confidence", index.Query{MinConfidence: -0.5}},
		{"garbage cursor", index.Query{After: "%%%"}},
		{"base64 garbage cursor", index.Query{After: "bm90IGpzb24"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.Search(t.Context(), tt.q); err == nil {
				t.Errorf("Search(%+v) error = nil", tt.q)
			}
		})
	}
}

func runOverwrite(t *testing.T, s index.Store) {
	recs := Records()
	load(t, s, recs)
	changed := recs[0]
	changed.Article.Title = "Renamed headline about quokkas"
	changed.Extraction.Deals = changed.Extraction.Deals[:0]
	load(t, s, []news.Record{changed, changed})

	res, err := s.Search(t.Context(), index.Query{Size: index.MaxSize, Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != len(recs) {
		t.Errorf("Total after re-indexing one record twice = %d, want %d", res.Total, len(recs))
	}
	if got := res.Facets.Investors[0]; got != (index.Bucket{Key: "Nvidia", Count: 3}) {
		t.Errorf("top investor after removing r1's deal = %+v, want Nvidia 3", got)
	}
	res, err = s.Search(t.Context(), index.Query{Text: "quokkas"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res.Hits); !slices.Equal(got, []string{"r1"}) {
		t.Errorf("new title matches %v, want [r1]", got)
	}
	res, err = s.Search(t.Context(), index.Query{LeadInvestor: "nvidia"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 0 {
		t.Errorf("old deal still matches: %v", ids(res.Hits))
	}
	got, err := s.Get(t.Context(), "r1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Article.Title != changed.Article.Title {
		t.Errorf("Get title = %q, want %q", got.Article.Title, changed.Article.Title)
	}
}

func runPerRecord(t *testing.T, s index.Store) {
	recs := Records()[:3]
	bad := recs[1]
	bad.Article.ID = ""
	batch := []news.Record{recs[0], bad, recs[2]}
	errs := s.Index(t.Context(), batch)
	if len(errs) != len(batch) {
		t.Fatalf("Index returned %d results for %d records", len(errs), len(batch))
	}
	if errs[0] != nil || errs[2] != nil {
		t.Errorf("good records: errors %v, %v", errs[0], errs[2])
	}
	if !news.IsPermanent(errs[1]) {
		t.Errorf("record without id: error %v, want a permanent error", errs[1])
	}
	if got := s.Index(t.Context(), nil); len(got) != 0 {
		t.Errorf("Index(nil) = %v", got)
	}
	if err := s.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	res, err := s.Search(t.Context(), index.Query{Sort: index.SortDate})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res.Hits); !slices.Equal(got, []string{"r3", "r1"}) {
		t.Errorf("stored = %v, want [r3 r1]", got)
	}
}
