package main

import (
	"context"

	"golang.org/x/sync/errgroup"

	"github.com/dealwire/dealwire/dealindexstage"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/indexstage"
)

func runIndex(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "reindex" {
		return runReindex(ctx, e, args[1:])
	}
	const summary = "run the index stage against an external NATS: consume the RECORDS and DEALS streams and bulk-write to the index, " +
		"acking each message only after its item is stored. 'dealwire index reindex --help' describes rebuilding the index"
	fs := newFlagSet(e, "index", summary)
	cfgPath := fs.String("config", "", "configuration file (YAML); default $DEALWIRE_CONFIG")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	d := newDeps(cfg, "index")
	logger := d.logger
	if err := connectBus(ctx, d, "index", false); err != nil {
		return err
	}
	// Shutdown order: the consumer settles its last batch (RunBatch returns),
	// then the store closes, then the connection drains.
	defer d.closeBus()
	store, err := openStore(ctx, cfg, logger, d.reg)
	if err != nil {
		return err
	}
	defer closeStore(store, logger)
	is, err := newIndexStage(ctx, d, store)
	if err != nil {
		return err
	}
	ds, err := newDealIndexStage(ctx, d, store)
	if err != nil {
		return err
	}
	logger.Info("index stage running", "workers", cfg.Index.Workers, "batch", cfg.Index.Batch)
	return d.runWithObs(ctx, store, func(ctx context.Context) error {
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() error { return is.Run(gctx) })
		g.Go(func() error { return ds.Run(gctx) })
		return g.Wait()
	})
}

// newIndexStage builds the index stage on d's connection, writing to store.
func newIndexStage(ctx context.Context, d *deps, store index.Store) (*indexstage.Stage, error) {
	return indexstage.New(ctx, d.js, store, d.cfg.Index, indexstage.Options{NATS: d.cfg.NATS, Logger: d.logger, Registerer: d.reg})
}

// newDealIndexStage builds the deal-indexing stage on d's connection, with
// the index stage's batch settings.
func newDealIndexStage(ctx context.Context, d *deps, store dealindexstage.Store) (*dealindexstage.Stage, error) {
	return dealindexstage.New(ctx, d.js, store,
		dealindexstage.Config{Batch: d.cfg.Index.Batch, FlushInterval: d.cfg.Index.FlushInterval},
		dealindexstage.Options{NATS: d.cfg.NATS, Deals: d.cfg.Deals, Logger: d.logger, Registerer: d.reg})
}
