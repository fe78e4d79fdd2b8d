package indexstage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/goleak"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/sqlite"
	"github.com/dealwire/dealwire/news"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func record(i int) news.Record {
	at := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	id := fmt.Sprintf("rec%03d", i)
	return news.Record{V: news.SchemaVersion, ExtractorVersion: "test", ExtractedAt: at,
		Article: news.Article{V: news.SchemaVersion, ID: id, URL: "https://example.com/" + id, Source: "example",
			Title: "Record " + id, Text: "Nothing happened at " + id + ".", PublishedAt: at, FetchedAt: at}}
}

// TestStage indexes records from a real NATS server into SQLite; a record
// without an article id is dead-lettered, the others are acked once stored;
// Replay then writes the whole stream into a second store.
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
	const n = 25
	publishRecords(t, js, n)
	if _, err := bus.Publish(ctx, js, news.RecordSubject("example"), "bad", news.Record{V: news.SchemaVersion}); err != nil {
		t.Fatal(err)
	}
	runStageUntil(t, js, store, cfg, n, 1)
	checkStored(t, store, 2)

	again, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "again.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { again.Close() })
	got, err := Replay(ctx, js, again, 7, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != n || count(t, again) != n {
		t.Errorf("Replay wrote %d records, the store holds %d; want %d", got, count(t, again), n)
	}
}

// publishRecords publishes record(0) to record(n-1) to RECORDS: the first
// as indented JSON, on many lines, and the second with a field this
// version does not know, as a later extractor might write it.
func publishRecords(t *testing.T, js jetstream.JetStream, n int) {
	t.Helper()
	for i := range n {
		r := record(i)
		var data []byte
		var err error
		switch i {
		case 0:
			data, err = json.MarshalIndent(r, "", "  ")
		case 1:
			data, err = json.Marshal(struct {
				news.Record
				Future string `json:"future_field"`
			}{r, "from a later version"})
		default:
			data, err = json.Marshal(r)
		}
		if err != nil {
			t.Fatal(err)
		}
		msg := &nats.Msg{Subject: news.RecordSubject(r.Article.Source), Data: data}
		if _, err := js.PublishMsg(t.Context(), msg, jetstream.WithMsgID(r.MsgID())); err != nil {
			t.Fatal(err)
		}
	}
}

// checkStored reads record(0) to record(n-1) back from store.
func checkStored(t *testing.T, store Store, n int) {
	t.Helper()
	for i := range n {
		want := record(i)
		got, err := store.Get(t.Context(), want.Article.ID)
		if err != nil {
			t.Errorf("Get(%s): %v", want.Article.ID, err)
			continue
		}
		if got.Article.Title != want.Article.Title || got.Article.Text != want.Article.Text || !got.ExtractedAt.Equal(want.ExtractedAt) {
			t.Errorf("Get(%s) = %+v, want %+v", want.Article.ID, got.Article, want.Article)
		}
	}
}

func count(t *testing.T, store index.Store) int {
	t.Helper()
	if err := store.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	res, err := store.Search(t.Context(), index.Query{Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	return res.Total
}

func streamMsgs(t *testing.T, js jetstream.JetStream, name string) uint64 {
	t.Helper()
	s, err := js.Stream(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

// runStageUntil runs the stage (one worker, batches of 10) from js into
// store until store holds records records and DEAD holds dead messages,
// then stops it; after 30 s it fails t with both counts.
func runStageUntil(t *testing.T, js jetstream.JetStream, store index.Store, cfg bus.Config, records, dead int) {
	t.Helper()
	st, err := New(t.Context(), js, store, Config{Workers: 1, Batch: 10, FlushInterval: 50 * time.Millisecond}, Options{NATS: cfg})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- st.Run(runCtx) }()
	deadline := time.Now().Add(30 * time.Second)
	for count(t, store) < records || streamMsgs(t, js, news.StreamDead) < uint64(dead) {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("after 30s: %d records indexed, %d dead letters; want %d and %d", count(t, store), streamMsgs(t, js, news.StreamDead), records, dead)
		}
		time.Sleep(20 * time.Millisecond) // polling with a deadline
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
}
