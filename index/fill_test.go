package index_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/news"
)

// TestDocFill: one Doc filled with record after record, of every shape
// (deals or none, investors with one key or two, doubtful deals, figures),
// is each time what NewDoc makes of the record, whatever the record before
// left in its lists; and filling it leaves the Docs NewDoc gave alone.
func TestDocFill(t *testing.T) {
	rates, err := fx.Default()
	if err != nil {
		t.Fatal(err)
	}
	recs := append(indextest.Records(), indextest.SyntheticRecords(40, 9)...)
	doubtful := indextest.Records()[2]
	doubtful.Article.ID = "doubtful"
	doubtful.Extraction.Doubtful = doubtful.Extraction.Deals
	recs = append(recs, doubtful, news.Record{Article: news.Article{ID: "bare"}})
	// Forwards, backwards, and the richest record between bare ones.
	order := slices.Concat(recs, recs)
	slices.Reverse(order[len(recs):])
	for _, rec := range recs {
		order = append(order, rec, news.Record{Article: news.Article{ID: "bare"}})
	}
	want := make([]index.Doc, len(order))
	for i, rec := range order {
		want[i] = index.NewDoc(rec, rates)
	}
	wantCopy := make([]index.Doc, len(order))
	for i, rec := range order {
		wantCopy[i] = index.NewDoc(rec, rates)
	}
	var d index.Doc
	for i, rec := range order {
		d.Fill(rec, rates)
		// A list Fill kept may be empty where NewDoc's is nil.
		if diff := cmp.Diff(want[i], d, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("record %d (%s) filled after others (-NewDoc +Fill):\n%s", i, rec.Article.ID, diff)
		}
	}
	if diff := cmp.Diff(wantCopy, want); diff != "" {
		t.Errorf("filling a Doc changed Docs of NewDoc:\n%s", diff)
	}
}
