package main

import (
	"context"

	"github.com/dealwire/dealwire/extractstage"
)

// runExtractStage runs the pipeline's extract stage against an external
// NATS: consume ARTICLES, publish RECORDS; "dealwire extract --stage" calls it.
func runExtractStage(ctx context.Context, e *env, configPath string) error {
	cfg, err := loadConfig(configPath)
	if err != nil {
		return err
	}
	d := newDeps(cfg, "extract")
	logger := d.logger
	if err := connectBus(ctx, d, "extract", false); err != nil {
		return err
	}
	// Shutdown order: the consumer stops fetching and settles what it holds
	// (Run returns), then the connection drains.
	defer d.closeBus()
	xs, err := newExtractStage(ctx, d)
	if err != nil {
		return err
	}
	logger.Info("extract stage running", "workers", cfg.Extract.Workers)
	return d.runWithObs(ctx, nil, xs.Run)
}

// newExtractStage builds the extract stage on d's connection.
func newExtractStage(ctx context.Context, d *deps) (*extractstage.Stage, error) {
	rates, err := d.cfg.fxTable()
	if err != nil {
		return nil, err
	}
	return extractstage.New(ctx, d.js, d.cfg.Extract, extractstage.Options{
		NATS: d.cfg.NATS, Dedup: d.cfg.Dedup, Deals: d.cfg.Deals,
		Rates: rates, Logger: d.logger, Registerer: d.reg,
	})
}
