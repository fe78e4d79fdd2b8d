package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/config"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/elastic"
	"github.com/dealwire/dealwire/news"
	"github.com/dealwire/dealwire/pipeline"
)

// TestIndexStageRidesOutAnElasticsearchOutage stops a real Elasticsearch
// node while the index stage runs and records keep arriving: the stage must
// stop fetching and probe, dead-letter nothing, and index every record once
// the node is back. It starts and stops its own node with
// scripts/elasticsearch on DEALWIRE_ES_OUTAGE_PORT (e.g. 9210), so it runs
// only when that is set: two node starts take a minute or more.
func TestIndexStageRidesOutAnElasticsearchOutage(t *testing.T) {
	port := os.Getenv("DEALWIRE_ES_OUTAGE_PORT")
	if port == "" {
		t.Skip("DEALWIRE_ES_OUTAGE_PORT not set: the outage test starts and stops its own Elasticsearch node on that port")
	}
	esctl := func(cmd string) {
		t.Helper()
		c := exec.Command("../../scripts/elasticsearch", cmd)
		c.Env = append(os.Environ(), "ES_PORT="+port)
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("scripts/elasticsearch %s on port %s: %v\n%s", cmd, port, err, out)
		}
	}
	esctl("start")
	t.Cleanup(func() { esctl("stop") })

	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	t.Setenv("DEALWIRE_CONFIG", "")
	cfg, err := config.Load("", config.DataDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Index.Batch, cfg.Index.FlushInterval = 20, 100*time.Millisecond
	cfg.NATS.ProbeMaxInterval = 2 * time.Second
	if err := bus.EnsureStreams(t.Context(), js, cfg.NATS); err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	d := &pipeline.Process{Config: cfg, Logger: slog.New(slog.DiscardHandler), Registry: reg, JS: js}
	store, err := elastic.New(t.Context(), elastic.Config{URLs: []string{"http://127.0.0.1:" + port},
		Index: fmt.Sprintf("outage-%d", time.Now().UnixNano()), Timeout: 5 * time.Second}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var handledWhileDown atomic.Int64
	var down atomic.Bool
	is, err := d.NewIndexStage(t.Context(), countingStore{Store: store, down: &down, n: &handledWhileDown})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- is.Run(ctx) }()
	defer func() { cancel(); <-done }()

	publishRecords(t, js, 0, 20)
	waitUntil(t, 60*time.Second, "the first records are indexed", func() bool { return indexed(t, store) == 20 })

	esctl("stop")
	stopped := time.Now()
	down.Store(true)
	publishRecords(t, js, 20, 200)
	waitUntil(t, 60*time.Second, "the stage pauses and probes", func() bool {
		return metricValue(t, reg, "dealwire_stage_paused") == 1 && metricValue(t, reg, "dealwire_stage_store_probes_total") >= 3
	})
	seen := handledWhileDown.Load()
	esctl("start")
	outage := time.Since(stopped)
	down.Store(false)
	waitUntil(t, 120*time.Second, "every record is indexed after the outage", func() bool { return indexed(t, store) == 200 })

	// PauseAfter failed batches of Batch records, plus one batch in the hand of each worker.
	if limit := int64((cfg.NATS.PauseAfter + cfg.Index.Workers) * cfg.Index.Batch); seen > limit {
		t.Errorf("%d records handed to the index while it was down, want at most %d: the stage kept fetching", seen, limit)
	}
	if n := streamCount(t, js, news.StreamDead); n != 0 {
		t.Errorf("%d dead letters after the outage, want 0", n)
	}
	t.Logf("outage %.0fs: %d records handed to the stopped node before the stage paused; %v probes; all %d indexed %.1fs after the node answered again",
		outage.Seconds(), seen, metricValue(t, reg, "dealwire_stage_store_probes_total"), 200, time.Since(stopped.Add(outage)).Seconds())
}

// countingStore counts the records handed to the index while down is set.
type countingStore struct {
	index.Store
	down *atomic.Bool
	n    *atomic.Int64
}

func (c countingStore) Index(ctx context.Context, recs []news.Record) []error {
	if c.down.Load() {
		c.n.Add(int64(len(recs)))
	}
	return c.Store.Index(ctx, recs)
}

func publishRecords(t *testing.T, js jetstream.JetStream, from, to int) {
	t.Helper()
	at := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	for i := from; i < to; i++ {
		id := fmt.Sprintf("outage%04d", i)
		rec := news.Record{V: news.SchemaVersion, ExtractorVersion: "test", ExtractedAt: at,
			Article: news.Article{V: news.SchemaVersion, ID: id, URL: "https://example.com/" + id, Source: "example",
				Title: "Record " + id, Text: "Nothing happened at " + id + ".", PublishedAt: at, FetchedAt: at}}
		if _, err := bus.Publish(t.Context(), js, news.RecordSubject(rec.Article.Source), rec.MsgID(), rec); err != nil {
			t.Fatal(err)
		}
	}
}

// indexed is how many records the store holds, or -1 when it does not answer.
func indexed(t *testing.T, store index.Store) int {
	t.Helper()
	if err := store.Refresh(t.Context()); err != nil {
		return -1
	}
	res, err := store.Search(t.Context(), index.Query{Size: 1})
	if err != nil {
		return -1
	}
	return res.Total
}

func waitUntil(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(limit); !cond(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("not reached within %s: %s", limit, what)
		}
	}
}

// metricValue sums the samples of the metric name in reg.
func metricValue(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			sum += m.GetGauge().GetValue() + m.GetCounter().GetValue()
		}
	}
	return sum
}

func streamCount(t *testing.T, js jetstream.JetStream, name string) uint64 {
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
