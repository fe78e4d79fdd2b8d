package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"

	"golang.org/x/sync/errgroup"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/config"
	"github.com/dealwire/dealwire/dealindexstage"
	"github.com/dealwire/dealwire/indexstage"
	"github.com/dealwire/dealwire/ingest"
)

// This file runs one stage per process against an external NATS: each
// serves /metrics, /healthz and /readyz on obs.addr beside its stage.

// Fetch runs the fetch stage: poll the feeds (urls if given, else the
// configured ones, else the shipped list), publish articles. With once it
// polls every feed once, waits for every PubAck and returns.
func Fetch(ctx context.Context, cfg *config.Config, urls []string, once bool) error {
	p := New(cfg, "fetch")
	if err := cfg.Ingest.ChooseFeeds(urls, p.Logger); err != nil {
		return err
	}
	if err := p.Connect(ctx, "fetch", bus.External); err != nil {
		return err
	}
	defer p.Close()
	poller, err := ingest.NewPoller(cfg.Ingest, p.JS, p.Logger, p.Registry)
	if err != nil {
		return err
	}
	if once {
		return poller.PollOnce(ctx)
	}
	if cfg.Ingest.WebSubCallback == "" {
		return p.runBeside(ctx, nil, poller.Run)
	}
	// WebSub pushes arrive over HTTP: serve the callback beside polling.
	ln, err := ListenHTTP(cfg)
	if err != nil {
		return err
	}
	return p.runBeside(ctx, nil, func(ctx context.Context) error {
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() error { return poller.Run(gctx) })
		g.Go(func() error { return p.serveHTTP(gctx, nil, poller.WebSubHandler(), ln) })
		return g.Wait()
	})
}

// Extract runs the extract stage: consume ARTICLES, publish RECORDS and
// DEALS.
func Extract(ctx context.Context, cfg *config.Config) error {
	p := New(cfg, "extract")
	if err := p.Connect(ctx, "extract", bus.External); err != nil {
		return err
	}
	defer p.Close()
	xs, err := p.NewExtractStage(ctx)
	if err != nil {
		return err
	}
	p.Logger.Info("extract stage running", "workers", cfg.Extract.Workers)
	return p.runBeside(ctx, nil, xs.Run)
}

// Index runs the index stage: consume RECORDS and DEALS and bulk-write
// them to the index, acking each message only after its item is stored.
func Index(ctx context.Context, cfg *config.Config) error {
	p := New(cfg, "index")
	if err := p.Connect(ctx, "index", bus.External); err != nil {
		return err
	}
	defer p.Close()
	store, err := OpenStore(ctx, cfg, p.Logger, p.Registry)
	if err != nil {
		return err
	}
	defer CloseStore(store, p.Logger)
	is, err := p.NewIndexStage(ctx, store)
	if err != nil {
		return err
	}
	ds, err := p.NewDealIndexStage(ctx, store)
	if err != nil {
		return err
	}
	p.Logger.Info("index stage running", "workers", cfg.Index.Workers, "batch", cfg.Index.Batch)
	return p.runBeside(ctx, store, func(ctx context.Context) error {
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() error { return is.Run(gctx) })
		g.Go(func() error { return ds.Run(gctx) })
		return g.Wait()
	})
}

// Alerts runs the alerts stage alone: evaluate the rules on every deal of
// DEALS and deliver the alerts. Run as many replicas as wanted.
func Alerts(ctx context.Context, cfg *config.Config) error {
	if len(cfg.Alerts.Rules) == 0 {
		return errors.New("no alert rules: add rules to the alerts section of the configuration (see configs/dealwire.yaml)")
	}
	p := New(cfg, "")
	if err := p.Connect(ctx, "alerts", bus.External); err != nil {
		return err
	}
	defer p.Close()
	st, err := p.NewAlertStage(ctx)
	if err != nil {
		return err
	}
	return p.runBeside(ctx, nil, st.Run)
}

// Serve serves the search API and web page from the configured index, and
// the alert feeds when a rule has an atom sink and nats.url is set.
func Serve(ctx context.Context, cfg *config.Config) error {
	p := New(cfg, "serve")
	store, err := OpenStore(ctx, cfg, p.Logger, p.Registry)
	if err != nil {
		return err
	}
	defer CloseStore(store, p.Logger)
	if err := p.openAlertFeeds(ctx); err != nil {
		return err
	}
	defer p.Close()
	if err := p.newObs(store); err != nil { // /readyz beside the API's /metrics and /healthz
		return err
	}
	ln, err := ListenHTTP(cfg)
	if err != nil {
		return err
	}
	return p.serveHTTP(ctx, store, nil, ln)
}

// reindexer is an index that can rebuild itself from its previous version
// (Elasticsearch: copy the old concrete index into the new one, then move
// the alias).
type reindexer interface {
	Reindex(ctx context.Context) (int, error)
}

// Reindex rebuilds the index and writes what it did to w: with fromIndex
// by copying Elasticsearch's previous concrete index, else by replaying
// every record of RECORDS and every deal of DEALS in batches of batch. The
// streams are on the embedded server unless nats.url is set.
func Reindex(ctx context.Context, cfg *config.Config, w io.Writer, fromIndex bool, batch int) error {
	p := New(cfg, "reindex")
	store, err := OpenStore(ctx, cfg, p.Logger, p.Registry)
	if err != nil {
		return err
	}
	defer CloseStore(store, p.Logger)
	if fromIndex {
		ri, ok := store.(reindexer)
		if !ok {
			return errors.New("reindexing from the index: only Elasticsearch keeps an old index to copy; use --from stream")
		}
		n, err := ri.Reindex(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "reindexed %d records\n", n)
		return nil
	}
	if err := p.Connect(ctx, "reindex", bus.Embed); err != nil {
		return err
	}
	defer p.Close()
	n, err := indexstage.Replay(ctx, p.JS, store, batch, p.Logger)
	if err != nil {
		return err
	}
	nd, err := dealindexstage.Replay(ctx, p.JS, store, cfg.Deals, p.Logger)
	if err != nil {
		return err
	}
	if err := store.Refresh(ctx); err != nil {
		return err
	}
	fmt.Fprintf(w, "reindexed %d records and %d deals from the stream\n", n, nd)
	return nil
}
