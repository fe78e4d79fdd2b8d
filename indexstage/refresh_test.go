package indexstage

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/elastic"
	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/news"
)

// TestPartialBatchSearchable runs the stage into Elasticsearch with the
// index's scheduled refresh turned off: records of a batch cut short by
// the flush interval must be searchable as soon as they are acked.
func TestPartialBatchSearchable(t *testing.T) {
	u := indextest.ElasticURL(t)
	ctx := t.Context()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	alias := "dealwire-test-" + hex.EncodeToString(b)
	store, err := elastic.New(ctx, elastic.Config{URLs: []string{u}, Index: alias}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := store.Delete(ctx); err != nil {
			t.Error(err)
		}
		store.Close()
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u+"/"+alias+"/_settings",
		bytes.NewReader([]byte(`{"index":{"refresh_interval":"-1"}}`)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("turning the refresh off: status %d", resp.StatusCode)
	}

	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	cfg := bus.Config{}.WithDefaults()
	if err := bus.EnsureStreams(ctx, js, cfg); err != nil {
		t.Fatal(err)
	}
	const n = 3
	publishRecords(t, js, n)
	st, err := New(ctx, js, store, Config{Workers: 1, Batch: 10, FlushInterval: 100 * time.Millisecond}, Options{NATS: cfg})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- st.Run(runCtx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		busy, err := bustest.Busy(ctx, js, news.StreamRecords, "index")
		if err != nil {
			t.Fatal(err)
		}
		if busy == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30s: %s", busy)
		}
		time.Sleep(10 * time.Millisecond) // polling with a deadline
	}
	res, err := store.Search(ctx, index.Query{Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != n {
		t.Errorf("right after the acks a search finds %d records, want %d", res.Total, n)
	}
	checkStored(t, store, n)
}
