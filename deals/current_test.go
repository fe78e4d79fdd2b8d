package deals

import (
	"testing"

	"github.com/dealwire/dealwire/news"
)

func TestCurrentReturnsNewestState(t *testing.T) {
	r := newResolver(t, Config{})
	recs := fourOutlets()
	first, err := r.Resolve(t.Context(), recs[0])
	if err != nil || len(first) != 1 {
		t.Fatalf("Resolve(first) = %d records, %v", len(first), err)
	}
	resolveAll(t, r, recs[1:])
	cur, err := r.Current(t.Context(), first[0])
	if err != nil {
		t.Fatal(err)
	}
	if cur.ID != first[0].ID || cur.Deleted || len(cur.Sources) != len(recs) {
		t.Errorf("Current of a stale one-source record: id %s deleted %v with %d sources, want %s with %d",
			cur.ID, cur.Deleted, len(cur.Sources), first[0].ID, len(recs))
	}
	unknown := first[0]
	unknown.ID = "no-such-deal"
	if cur, err := r.Current(t.Context(), unknown); err != nil || !cur.Deleted || cur.ID != "no-such-deal" {
		t.Errorf("Current of an unknown id = %+v, %v; want a tombstone", cur, err)
	}
	if cur, err := r.Current(t.Context(), news.DealRecord{ID: "x", Deleted: true}); err != nil || !cur.Deleted {
		t.Errorf("Current of a tombstone = %+v, %v", cur, err)
	}
}
