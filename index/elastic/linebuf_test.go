package elastic

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/dealwire/dealwire/index/indextest"
)

// TestLineBufsAreReleased: every reader of a request body that the HTTP
// transport made is closed once a batch is written, so the batch's line
// buffer goes back to the store for the next batch; and batches written
// at once on buffers used again store their own records (run it with
// -race: a buffer used again while the transport still read it is a
// race).
func TestLineBufsAreReleased(t *testing.T) {
	s := openTest(t, Config{})
	recs := indextest.SyntheticRecords(400, 7)
	raws := make([][]byte, len(recs))
	for i, r := range recs {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		raws[i] = b
	}

	// One batch, its buffer held by the test too: once written, the test's
	// hold must be the only one left.
	lb := s.lineBuf(linesSize(raws[:100]))
	lb.hold()
	docs := make([]bulkDoc, 100)
	for i, r := range raws[:100] {
		docs[i] = s.rawLines(lb, r, "index")
	}
	for i, err := range s.write(t.Context(), docs, s.cfg.Index, lb) {
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for lb.refs.Load() != 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // polling the transport's closes, not synchronising
	}
	if n := lb.refs.Load(); n != 1 {
		t.Fatalf("%d holds on a written batch's buffer, want 1 (the test's): a request body was not closed", n)
	}

	// Four writers, three rounds each, on the store's buffers.
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			part := raws[w*100 : (w+1)*100]
			for range 3 {
				for i, err := range s.IndexRaw(t.Context(), part) {
					if err != nil {
						t.Errorf("writer %d, record %d: %v", w, i, err)
					}
				}
			}
		})
	}
	wg.Wait()
	if err := s.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(recs); i += 37 {
		got, err := s.Get(t.Context(), recs[i].Article.ID)
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if got.Article.Title != recs[i].Article.Title || got.Article.Text != recs[i].Article.Text {
			t.Errorf("record %d reads back as %q, want %q", i, got.Article.Title, recs[i].Article.Title)
		}
	}
}
