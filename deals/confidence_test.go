package deals

import (
	"slices"
	"testing"

	"github.com/dealwire/dealwire/news"
)

// scored is d with the model's confidence c.
func scored(d news.Deal, c float64) news.Deal {
	d.Confidence = c
	return d
}

// TestConfidence checks that a resolved deal carries the highest confidence
// of its sources, that low-confidence deals are resolved like any other (the
// searches hide them, resolution never drops them), and that each source's
// confidence is kept in the bucket's entry.
func TestConfidence(t *testing.T) {
	r := newResolver(t, Config{})
	recs := []news.Record{
		report{"low", "techcrunch", day(0), []news.Deal{
			scored(deal("Acme Robotics", "Series B", money(40_000_000, "USD"), "Accel"), 0.2),
			scored(deal("Acme Foods", "seed", money(2_000_000, "USD")), 0.2)}}.record(),
		report{"high", "businesswire", day(1), []news.Deal{scored(deal("Acme Robotics", "Series B", money(40_000_000, "USD")), 0.9)}}.record(),
		report{"unscored", "sifted", day(2), []news.Deal{deal("Acme Robotics", "Series B", money(40_000_000, "USD"))}}.record(),
		report{"mixed", "sifted", day(3), []news.Deal{deal("Brightmoor", "seed", money(1_000_000, "USD"))}}.record(),
		report{"mixed2", "techcrunch", day(3), []news.Deal{scored(deal("Brightmoor", "seed", money(1_000_000, "USD")), 0.4)}}.record(),
		report{"none", "sifted", day(4), []news.Deal{deal("Quillstone", "seed", money(3_000_000, "USD"))}}.record(),
	}
	first, err := r.Resolve(t.Context(), recs[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 2 || first[0].Confidence != 0.2 || first[1].Confidence != 0.2 {
		t.Fatalf("Resolve(low) = %s, want both low-confidence deals with confidence 0.2", dealsJSON(t, first))
	}
	resolveAll(t, r, recs[1:])

	want := map[string]float64{"acme robotics": 0.9, "acme foods": 0.2, "brightmoor": 0.4, "quillstone": 0}
	ds := allDeals(t, r)
	if len(ds) != len(want) {
		t.Fatalf("got %d deals, want %d: %s", len(ds), len(want), dealsJSON(t, ds))
	}
	for _, d := range ds {
		if c, ok := want[d.CompanyKey]; !ok || d.Confidence != c {
			t.Errorf("deal %s: confidence %g, want %g", d.CompanyKey, d.Confidence, c)
		}
		cur, err := r.Current(t.Context(), d)
		if err != nil || cur.Confidence != d.Confidence {
			t.Errorf("Current(%s) confidence %g (%v), want %g", d.CompanyKey, cur.Confidence, err, d.Confidence)
		}
	}

	e, _, err := r.entry(t.Context(), "co.acme")
	if err != nil {
		t.Fatal(err)
	}
	var got []float64
	for _, c := range e.Contributions {
		got = append(got, c.Src.Deal.Confidence)
	}
	slices.Sort(got)
	if want := []float64{0, 0.2, 0.2, 0.9}; !slices.Equal(got, want) {
		t.Errorf("confidences stored in entry co.acme = %v, want %v", got, want)
	}

	// The confidence is part of the pure function: any order gives it.
	r2 := newResolver(t, Config{})
	resolveAll(t, r2, reversed(recs))
	if a, b := dealsJSON(t, ds), dealsJSON(t, allDeals(t, r2)); a != b {
		t.Errorf("reverse order gives other deals:\n%s\nwant\n%s", b, a)
	}
}
