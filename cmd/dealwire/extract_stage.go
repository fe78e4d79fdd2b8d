package main

import (
	"context"
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
	cons, err := newExtractConsumer(ctx, d)
	if err != nil {
		return err
	}
	logger.Info("extract stage running", "workers", cfg.Extract.Workers)
	return cons.Run(ctx, xs.handle)
}
