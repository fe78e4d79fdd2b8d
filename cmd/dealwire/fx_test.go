package main

import (
	"context"
	"log/slog"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/config"
	"github.com/dealwire/dealwire/config/configtest"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
	"github.com/dealwire/dealwire/pipeline"
)

// TestOneFXTable configures an FX table that values the euro at two
// dollars and checks that the record's USD values (extract stage) and the
// index's USD filter both convert with it, not with the shipped table.
func TestOneFXTable(t *testing.T) {
	dir := t.TempDir()
	cfgPath := configtest.FXConfig(t, dir)
	t.Setenv("DEALWIRE_CONFIG", "")
	cfg, err := config.Load(cfgPath, config.DataDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	// config.TestFXTableIsTheConfiguredOne checks the table itself; this test
	// checks that the stages and the index convert with it.
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	if err := bus.EnsureStreams(t.Context(), js, cfg.NATS); err != nil {
		t.Fatal(err)
	}
	d := &pipeline.Process{Config: cfg, Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(), JS: js}
	store, err := pipeline.OpenStore(t.Context(), cfg, d.Logger, d.Registry)
	if err != nil {
		t.Fatal(err)
	}
	defer pipeline.CloseStore(store, d.Logger)
	xs, err := d.NewExtractStage(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	is, err := d.NewIndexStage(t.Context(), store)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return xs.Run(gctx) })
	g.Go(func() error { return is.Run(gctx) })
	a := news.Article{V: news.SchemaVersion, ID: "fx1", URL: "https://example.com/fx1", Source: "example",
		Title: "Kovo raises €18 million", Text: "Kovo, a Berlin startup, raised €18 million in a Series A round led by Index Ventures."}
	if _, err := bus.Publish(t.Context(), js, news.ArticleSubject(a.Source), a.MsgID(), a); err != nil {
		t.Fatal(err)
	}
	waitConsumed(t, js, news.StreamArticles, "extract")
	waitConsumed(t, js, news.StreamRecords, "index")
	cancel()
	if err := g.Wait(); err != nil && ctx.Err() == nil {
		t.Fatal(err)
	}

	rec, err := store.Get(t.Context(), "fx1")
	if err != nil {
		t.Fatal(err)
	}
	if ds := rec.Extraction.Deals; len(ds) != 1 || ds[0].Amount == nil || ds[0].Amount.USD != 36e6 {
		t.Fatalf("record deals %+v, want one of €18 million = $36 million by the configured table", ds)
	}
	// $30M is above €18M at the shipped rate and below it at the configured one.
	q, err := index.ParseQuery(map[string][]string{"amount_usd_min": {"30000000"}, "min_confidence": {"0"}}, cfg.Search)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	res, err := store.Search(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 {
		t.Errorf("amount_usd_min=30000000 finds %d records, want 1: the index must convert with the configured table", res.Total)
	}
}
