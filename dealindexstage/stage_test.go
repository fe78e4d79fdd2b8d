package dealindexstage

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/deals"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/sqlite"
	"github.com/dealwire/dealwire/news"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestStage writes resolved deals from a real NATS server into SQLite: the
// deal's current state from the resolver is what lands, whatever the
// message says, and Replay writes every deal the resolver holds.
func TestStage(t *testing.T) {
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	ctx := t.Context()
	cfg := bus.Config{}.WithDefaults()
	if err := bus.EnsureStreams(ctx, js, cfg); err != nil {
		t.Fatal(err)
	}
	store, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "index.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })

	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	rec := news.Record{
		V: news.SchemaVersion,
		Article: news.Article{V: news.SchemaVersion, ID: "q1", URL: "https://example.com/q1", Source: "example",
			Title: "Quillstone raises $40 million", PublishedAt: at, FetchedAt: at},
		ExtractorVersion: "test", ExtractedAt: at,
		Extraction: news.Extraction{Deals: []news.Deal{{Company: "Quillstone", Round: "series a",
			Amount: &news.Money{Value: news.Decimal{Coef: 40_000_000}, Currency: "USD", Text: "$40 million"}, Confidence: 0.9}}},
	}
	resolver, err := deals.NewResolver(ctx, js, deals.Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	changed, err := resolver.Resolve(ctx, rec)
	if err != nil || len(changed) != 1 {
		t.Fatalf("Resolve = %d deals, %v; want 1", len(changed), err)
	}
	// A stale message (no amount) and the real one: the index gets the
	// resolver's current state either way.
	stale := changed[0]
	stale.Amount = nil
	for i, dr := range []news.DealRecord{stale, changed[0]} {
		if _, err := bus.Publish(ctx, js, news.DealSubject(dr.Round), dr.ID+"/"+string(rune('a'+i)), dr); err != nil {
			t.Fatal(err)
		}
	}

	st, err := New(ctx, js, store, Config{Batch: 10, FlushInterval: 50 * time.Millisecond}, Options{NATS: cfg})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- st.Run(runCtx) }()
	id := changed[0].ID
	var got news.DealRecord
	for deadline := time.Now().Add(30 * time.Second); ; {
		if got, err = store.GetDeal(ctx, id); err == nil {
			break
		} else if !errors.Is(err, index.ErrNotFound) {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("deal %s not indexed after 30s", id)
		}
		time.Sleep(20 * time.Millisecond) // polling with a deadline
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	if got.Amount == nil || got.Amount.Value.Float64() != 40e6 {
		t.Errorf("indexed deal amount = %+v, want the resolver's $40 million", got.Amount)
	}

	again, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "again.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { again.Close() })
	n, err := Replay(ctx, js, again, deals.Config{}, nil)
	if err != nil || n != 1 {
		t.Fatalf("Replay = %d, %v; want 1 deal", n, err)
	}
	if _, err := again.GetDeal(ctx, id); err != nil {
		t.Errorf("replayed deal: %v", err)
	}
}
