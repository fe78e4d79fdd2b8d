package main

import (
	"context"
	"os"

	"golang.org/x/sync/errgroup"

	"github.com/dealwire/dealwire/ingest"
	"github.com/dealwire/dealwire/obs"
)

func runFetch(ctx context.Context, e *env, args []string) error {
	const summary = "run the fetch stage against an external NATS: poll the configured feeds, fetch article pages, publish articles to the ARTICLES stream"
	fs := newFlagSet(e, "fetch", summary)
	cfgPath := fs.String("config", "", "configuration file (YAML); default $DEALWIRE_CONFIG")
	var feeds stringList
	fs.Var(&feeds, "feed", "feed URL to poll, repeatable; replaces the configured feed list (default: the configured feeds, else the shipped configs/feeds.yaml)")
	once := fs.Bool("once", false, "poll every feed once, wait for every article's PubAck, then exit")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, os.Stderr).With("stage", "fetch")
	// The same list as "dealwire run": --feed, else the configured feeds,
	// else the shipped configs/feeds.yaml.
	if err := chooseFeeds(cfg, feeds, logger); err != nil {
		return err
	}
	d := &deps{cfg: cfg, logger: logger, reg: obs.NewRegistry()}
	if err := connectBus(ctx, d, "fetch", false); err != nil {
		return err
	}
	defer d.closeBus()
	poller, err := ingest.NewPoller(cfg.Ingest, d.js, logger, d.reg)
	if err != nil {
		return err
	}
	if *once {
		return poller.PollOnce(ctx)
	}
	if cfg.Ingest.WebSubCallback == "" {
		return d.runWithObs(ctx, nil, poller.Run)
	}
	// WebSub pushes arrive over HTTP: serve the callback beside polling.
	ln, err := listenHTTP(cfg)
	if err != nil {
		return err
	}
	return d.runWithObs(ctx, nil, func(ctx context.Context) error {
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() error { return poller.Run(gctx) })
		g.Go(func() error { return serveHTTP(gctx, d, nil, poller.WebSubHandler(), ln) })
		return g.Wait()
	})
}
