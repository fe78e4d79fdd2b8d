package indextest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// DealStore is what [RunDeals] needs of a backend.
type DealStore interface {
	index.DealStore
	Refresh(ctx context.Context) error
}

func dealSource(article, source, published, title string, d news.Deal) news.DealSource {
	return news.DealSource{ArticleID: article, URL: "https://example.com/" + article, Source: source, Title: title,
		PublishedAt: day(published), Authority: 1, ExtractorVersion: "test-1", ExtractedAt: day("2024-04-02"), Deal: d}
}

func dealRecord(id, published string, d news.Deal, sources ...news.DealSource) news.DealRecord {
	dr := news.DealRecord{V: news.SchemaVersion, ID: id, Key: index.Key(d.Company) + "|" + d.Round + "|" + published,
		Company: d.Company, CompanyKey: index.Key(d.Company), Round: d.Round, AnnouncedAt: day(published),
		Amount: d.Amount, Valuation: d.Valuation, Investors: d.Investors, Capacity: d.Capacity,
		Sources: sources, UpdatedAt: day("2024-04-02")}
	for _, s := range sources {
		dr.Confidence = max(dr.Confidence, s.Deal.Confidence) // as package deals merges
	}
	return dr
}

// DealRecords is the fixture of [RunDeals]: the deals of [Records] resolved,
// some reported by two sources. d1 (Acme) and d3 (Gamma) have confidence
// 0.9, d4 (Delta) 0.2, the others are unscored.
func DealRecords() []news.DealRecord {
	r := Records()
	acme, beta, gamma, delta, eps := r[0].Extraction.Deals[0], r[1].Extraction.Deals[0], r[2].Extraction.Deals[0],
		r[2].Extraction.Deals[1], r[3].Extraction.Deals[0]
	acme.Evidence = "Acme AI raised $2 billion in a Series C round led by Nvidia."
	return []news.DealRecord{
		dealRecord("d1", "2024-01-15", acme,
			dealSource("r1", "techcrunch", "2024-01-15", r[0].Article.Title, acme),
			dealSource("x1", "reuters", "2024-01-16", "Acme AI valued at $20 billion after new round", acme)),
		dealRecord("d2", "2024-02-10", beta, dealSource("r2", "sifted", "2024-02-10", r[1].Article.Title, beta)),
		dealRecord("d3", "2024-02-20", gamma, dealSource("r3", "techcrunch", "2024-02-20", r[2].Article.Title, gamma)),
		dealRecord("d4", "2024-02-20", delta,
			dealSource("r3", "techcrunch", "2024-02-20", r[2].Article.Title, delta),
			dealSource("x2", "bloomberg", "2024-02-21", "SoftBank bets $3 billion on Delta", delta)),
		dealRecord("d5", "2024-03-05", eps, dealSource("r4", "nikkei", "2024-03-05", r[3].Article.Title, eps)),
	}
}

// RunDeals is the conformance suite of [index.DealStore].
func RunDeals(t *testing.T, open func(t *testing.T) DealStore) {
	t.Helper()
	s := open(t)
	deals := DealRecords()
	for i, err := range s.IndexDeals(t.Context(), deals) {
		if err != nil {
			t.Fatalf("IndexDeals %s: %v", deals[i].ID, err)
		}
	}
	if err := s.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		q        index.Query
		want     []string
		anyOrder bool
	}{
		{name: "all by date", q: index.Query{Sort: index.SortDate}, want: []string{"d5", "d3", "d4", "d2", "d1"}},
		{name: "text in a source title", q: index.Query{Text: "nvidia"}, want: []string{"d1", "d3", "d4"}, anyOrder: true},
		{name: "text in the second source only", q: index.Query{Text: "softbank bets"}, want: []string{"d4"}},
		{name: "text in company", q: index.Query{Text: "acme"}, want: []string{"d1"}},
		{name: "text in evidence", q: index.Query{Text: `"series c round led"`}, want: []string{"d1"}},
		{name: "investor and amount", q: index.Query{Investor: "nvidia", AmountUSD: index.Range{Min: 1e9}}, want: []string{"d1"}},
		{name: "lead investor by written name", q: index.Query{LeadInvestor: "a16z"}, want: []string{"d2"}},
		{name: "any source", q: index.Query{Source: "reuters"}, want: []string{"d1"}},
		{name: "source by date", q: index.Query{Source: "techcrunch", Sort: index.SortDate}, want: []string{"d3", "d4", "d1"}},
		{name: "capacity", q: index.Query{Capacity: index.Range{Min: 1e9}}, want: []string{"d5"}},
		{name: "round", q: index.Query{Round: "series b"}, want: []string{"d2"}},
		{name: "by amount", q: index.Query{Sort: index.SortAmount}, want: []string{"d4", "d1", "d2", "d5", "d3"}},
		// min_confidence hides d4 (0.2) as a whole.
		{name: "confidence: all by date", q: index.Query{Sort: index.SortDate, MinConfidence: 0.5}, want: []string{"d5", "d3", "d2", "d1"}},
		{name: "confidence: by amount", q: index.Query{Sort: index.SortAmount, MinConfidence: 0.5}, want: []string{"d1", "d2", "d5", "d3"}},
		{name: "confidence: text of a hidden deal", q: index.Query{Text: "softbank bets", MinConfidence: 0.5}, want: nil},
		{name: "confidence: source of a hidden deal", q: index.Query{Source: "bloomberg", MinConfidence: 0.5}, want: nil},
		{name: "confidence: at the threshold", q: index.Query{Investor: "softbank", MinConfidence: 0.2}, want: []string{"d4"}},
		{name: "confidence: unscored always shows", q: index.Query{Sort: index.SortDate, MinConfidence: 1}, want: []string{"d5", "d2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			q.Size = index.MaxSize
			res, err := s.SearchDeals(t.Context(), q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.ID)
				if h.Deal.ID != h.ID {
					t.Errorf("hit %s carries deal %q", h.ID, h.Deal.ID)
				}
			}
			want := tt.want
			if tt.anyOrder {
				got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
			}
			if !slices.Equal(got, want) || res.Total != len(tt.want) {
				t.Errorf("SearchDeals(%+v) = %v (total %d), want %v", q, got, res.Total, want)
			}
			if res.MinConfidence != tt.q.MinConfidence {
				t.Errorf("MinConfidence = %g, want %g", res.MinConfidence, tt.q.MinConfidence)
			}
		})
	}
	t.Run("facets", func(t *testing.T) { dealFacets(t, s) })
	t.Run("pages", func(t *testing.T) { dealPages(t, s) })
	t.Run("get", func(t *testing.T) { dealGet(t, s, deals) })
	t.Run("tombstones and bad ids", func(t *testing.T) { dealTombstones(t, s, deals) })
}

// dealFacets checks the deal facets at two confidence thresholds.
func dealFacets(t *testing.T, s DealStore) {
	b := func(kv ...any) []index.Bucket {
		out := []index.Bucket{}
		for i := 0; i < len(kv); i += 2 {
			out = append(out, index.Bucket{Key: kv[i].(string), Count: kv[i+1].(int)})
		}
		return out
	}
	for _, tt := range []struct {
		minConf float64
		want    index.Facets
	}{
		{0, index.Facets{
			Investors:  b("Nvidia", 3, "Andreessen Horowitz", 1, "Mizuho", 1, "Sequoia Capital", 1, "SoftBank", 1),
			Rounds:     b("debt", 1, "seed", 1, "series b", 1, "series c", 1, "series d", 1),
			Currencies: b("USD", 3, "EUR", 1, "JPY", 1),
			Sources:    b("techcrunch", 3, "bloomberg", 1, "nikkei", 1, "reuters", 1, "sifted", 1),
			Months:     b("2024-01", 1, "2024-02", 3, "2024-03", 1),
		}},
		{0.5, index.Facets{ // without d4
			Investors:  b("Nvidia", 3, "Andreessen Horowitz", 1, "Mizuho", 1, "Sequoia Capital", 1),
			Rounds:     b("debt", 1, "seed", 1, "series b", 1, "series c", 1),
			Currencies: b("USD", 2, "EUR", 1, "JPY", 1),
			Sources:    b("techcrunch", 2, "nikkei", 1, "reuters", 1, "sifted", 1),
			Months:     b("2024-01", 1, "2024-02", 2, "2024-03", 1),
		}},
	} {
		res, err := s.SearchDeals(t.Context(), index.Query{Facets: true, Size: 1, MinConfidence: tt.minConf})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, *res.Facets); diff != "" {
			t.Errorf("deal facets at min_confidence %g (-want +got):\n%s", tt.minConf, diff)
		}
	}
}

// dealPages pages through deals by date and by amount.
func dealPages(t *testing.T, s DealStore) {
	for _, tt := range []struct {
		q    index.Query
		want []string
	}{
		{index.Query{Sort: index.SortDate, Size: 2}, []string{"d5", "d3", "d4", "d2", "d1"}},
		{index.Query{Sort: index.SortAmount, Size: 1, MinConfidence: 0.5}, []string{"d1", "d2", "d5", "d3"}},
	} {
		q := tt.q
		var got []string
		for {
			res, err := s.SearchDeals(t.Context(), q)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
			if res.Next == "" {
				break
			}
			q.After = res.Next
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("pages of %+v = %v, want %v", tt.q, got, tt.want)
		}
	}
}

// dealGet reads every deal back by id, and a missing one.
func dealGet(t *testing.T, s DealStore, deals []news.DealRecord) {
	for _, want := range deals {
		got, err := s.GetDeal(t.Context(), want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("GetDeal(%s) (-want +got):\n%s", want.ID, diff)
		}
	}
	if _, err := s.GetDeal(t.Context(), "nope"); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("GetDeal(nope) = %v, want ErrNotFound", err)
	}
}

// dealTombstones deletes a deal by tombstone and refuses a deal without an id.
func dealTombstones(t *testing.T, s DealStore, deals []news.DealRecord) {
	extra := deals[0]
	extra.ID = "d9"
	if errs := s.IndexDeals(t.Context(), []news.DealRecord{extra}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	errs := s.IndexDeals(t.Context(), []news.DealRecord{
		{ID: "d9", Deleted: true}, {ID: "never-there", Deleted: true}, {Company: "no id"}})
	if errs[0] != nil || errs[1] != nil {
		t.Errorf("tombstones: %v, %v", errs[0], errs[1])
	}
	if !news.IsPermanent(errs[2]) {
		t.Errorf("deal without id: %v, want permanent", errs[2])
	}
	if err := s.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetDeal(t.Context(), "d9"); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("GetDeal after tombstone = %v, want ErrNotFound", err)
	}
	res, err := s.SearchDeals(t.Context(), index.Query{})
	if err != nil || res.Total != len(deals) {
		t.Errorf("total after tombstone = %d, %v; want %d", res.Total, err, len(deals))
	}
}
