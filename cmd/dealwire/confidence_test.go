package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/config"
	"github.com/dealwire/dealwire/deals"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/sqlite"
	"github.com/dealwire/dealwire/news"
	"github.com/dealwire/dealwire/pipeline"
)

// TestIndexStageKeepsLowConfidenceDeals runs a record whose deals the model
// doubts (0.2) beside one it trusts (0.9) through deal resolution and the
// index stage's consumers of RECORDS and DEALS: every deal must arrive in the
// index with its confidence, and only searches hide the doubtful ones.
func TestIndexStageKeepsLowConfidenceDeals(t *testing.T) {
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	t.Setenv("DEALWIRE_CONFIG", "")
	cfg, err := config.Load("", config.DataDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Index.FlushInterval = 50 * time.Millisecond
	if err := bus.EnsureStreams(t.Context(), js, cfg.NATS); err != nil {
		t.Fatal(err)
	}
	d := &pipeline.Process{Config: cfg, Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(), JS: js}
	store, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "index.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()

	usd := func(v int64) *news.Money {
		return &news.Money{Value: news.Decimal{Coef: v}, Currency: "USD", Text: "$"}
	}
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	rec := news.Record{
		V: news.SchemaVersion,
		Article: news.Article{V: news.SchemaVersion, ID: "conf1", URL: "https://example.com/conf1", Source: "example",
			Title: "Quillstone raises $40 million; Brightmoor said to raise $90 million", PublishedAt: at, FetchedAt: at},
		ExtractorVersion: "test", ExtractedAt: at,
		Extraction: news.Extraction{Deals: []news.Deal{
			{Company: "Quillstone", Round: "series a", Amount: usd(40_000_000), Confidence: 0.9},
			{Company: "Brightmoor", Round: "series b", Amount: usd(90_000_000), Confidence: 0.2},
		}},
	}
	// What the extract stage does after extracting: publish the record,
	// resolve its deals, publish every deal record that changed.
	if _, err := bus.Publish(t.Context(), js, news.RecordSubject(rec.Article.Source), rec.MsgID(), rec); err != nil {
		t.Fatal(err)
	}
	resolver, err := deals.NewResolver(t.Context(), js, deals.Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	changed, err := resolver.Resolve(t.Context(), rec)
	if err != nil {
		t.Fatal(err)
	}
	if len(changed) != 2 {
		t.Fatalf("Resolve = %d deal records, want 2 (the doubtful one too)", len(changed))
	}
	for _, dr := range changed {
		if _, err := bus.Publish(t.Context(), js, news.DealSubject(dr.Round), dr.ID, dr); err != nil {
			t.Fatal(err)
		}
	}

	ctx, cancel := context.WithCancel(t.Context())
	g, gctx := errgroup.WithContext(ctx)
	is, err := d.NewIndexStage(gctx, store)
	if err != nil {
		t.Fatal(err)
	}
	g.Go(func() error { return is.Run(gctx) })
	ds, err := d.NewDealIndexStage(gctx, store)
	if err != nil {
		t.Fatal(err)
	}
	g.Go(func() error { return ds.Run(gctx) })
	waitConsumed(t, js, news.StreamRecords, "index")
	waitConsumed(t, js, news.StreamDeals, "index-deals")
	cancel()
	if err := g.Wait(); err != nil && ctx.Err() == nil {
		t.Fatal(err)
	}

	got, err := store.Get(t.Context(), "conf1")
	if err != nil {
		t.Fatal(err)
	}
	var confs []float64
	for _, d := range got.Extraction.Deals {
		confs = append(confs, d.Confidence)
	}
	if !slices.Equal(confs, []float64{0.9, 0.2}) {
		t.Errorf("stored record's deal confidences = %v, want [0.9 0.2]", confs)
	}
	for _, tt := range []struct {
		min        float64
		wantDeals  []string
		wantHidden int
	}{{0, []string{"Quillstone", "Brightmoor"}, 0}, {0.5, []string{"Quillstone"}, 1}} {
		res, err := store.Search(t.Context(), index.Query{MinConfidence: tt.min})
		if err != nil || len(res.Hits) != 1 {
			t.Fatalf("Search(min_confidence %g) = %+v, %v", tt.min, res, err)
		}
		var names []string
		for _, d := range res.Hits[0].Record.Extraction.Deals {
			names = append(names, d.Company)
		}
		if !slices.Equal(names, tt.wantDeals) || res.Hits[0].HiddenDeals != tt.wantHidden {
			t.Errorf("min_confidence %g: deals %v, %d hidden; want %v, %d", tt.min, names, res.Hits[0].HiddenDeals, tt.wantDeals, tt.wantHidden)
		}
		dres, err := store.SearchDeals(t.Context(), index.Query{MinConfidence: tt.min, Sort: index.SortAmount})
		if err != nil {
			t.Fatal(err)
		}
		var companies []string
		for _, h := range dres.Hits {
			companies = append(companies, h.Deal.Company)
			b, _ := json.Marshal(h.Deal)
			if h.Deal.Confidence == 0 {
				t.Errorf("indexed deal record without a confidence: %s", b)
			}
		}
		slices.Sort(companies)
		want := slices.Sorted(slices.Values(tt.wantDeals))
		if !slices.Equal(companies, want) {
			t.Errorf("deal search at min_confidence %g = %v, want %v", tt.min, companies, want)
		}
	}
}
