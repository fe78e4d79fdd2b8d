package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/dealwire/dealwire/configs"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/ingest"
)

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// defaultFeeds is the feed list shipped in configs/feeds.yaml, embedded so
// that the binary finds it from any directory; "dealwire run" polls it when
// no feed is configured.
func defaultFeeds() ([]ingest.FeedConfig, error) {
	b, err := configs.Files.ReadFile("feeds.yaml")
	if err != nil {
		return nil, fmt.Errorf("reading the default feed list: %w", err)
	}
	return ingest.ParseFeeds(b, "configs/feeds.yaml")
}

func runAll(ctx context.Context, e *env, args []string) error {
	const summary = "run every stage in one process: fetch, extract, index and the search API. " +
		"Without nats.url it embeds a NATS server (JetStream under the data directory); without " +
		"elasticsearch.urls it uses the embedded SQLite index."
	fs := newFlagSet(e, "run", summary)
	cfgPath := fs.String("config", "", "configuration file (YAML, see configs/dealwire.yaml); default $DEALWIRE_CONFIG, else built-in defaults")
	var feeds stringList
	fs.Var(&feeds, "feed", "feed URL to poll, repeatable; replaces the configured feed list (a local feed's host is let through the private-address guard)")
	dataDir := fs.String("data-dir", "", "data directory for the embedded NATS store and SQLite index (default ./data)")
	addr := fs.String("http-addr", "", "listen address of the search API (default 127.0.0.1:8080)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath, dataDirFlag(*dataDir), httpAddrFlag(*addr))
	if err != nil {
		return err
	}
	d := newDeps(cfg, "")
	logger := d.logger
	if len(feeds) > 0 {
		cfg.Ingest.Feeds = nil
		if err := addFeeds(cfg, feeds, logger); err != nil {
			return err
		}
	} else if len(cfg.Ingest.Feeds) == 0 {
		fl, err := defaultFeeds()
		if err != nil {
			return err
		}
		cfg.Ingest.Feeds = fl
		logger.Info("no feeds configured; using the default feed list (configs/feeds.yaml)", "feeds", len(fl))
	}
	if err := cfg.Ingest.Validate(); err != nil {
		return fmt.Errorf("invalid configuration: ingest: %w", err)
	}

	if err := connectBus(ctx, d, "run", true); err != nil {
		return err
	}
	defer d.closeBus()
	store, err := openStore(ctx, cfg, logger, d.reg)
	if err != nil {
		return err
	}
	defer closeStore(store, logger)
	ln, err := listenHTTP(cfg)
	if err != nil {
		return err
	}
	poller, err := ingest.NewPoller(cfg.Ingest, d.js, logger.With("stage", "fetch"), d.reg)
	if err != nil {
		ln.Close()
		return err
	}
	var websub http.Handler
	if cfg.Ingest.WebSubCallback != "" {
		websub = poller.WebSubHandler()
	}
	return runPipeline(ctx, d, store, ln, websub, poller.Run)
}

// runPipeline runs fetch, extract, index and serve until ctx ends. The
// caller owns the NATS connection and the store and closes them after it
// returns, in this order:
//  1. the poller stops publishing and the consumers stop fetching; each
//     settles (acks) the batch it holds, so nothing in flight is redelivered;
//  2. the store is closed (the caller's defer), flushing what it buffered;
//  3. the NATS connection drains, then the embedded server shuts down.
//
// fetch is the fetch stage's loop, normally [ingest.Poller.Run].
func runPipeline(ctx context.Context, d *deps, store index.Store, ln net.Listener, websub http.Handler, fetch func(context.Context) error) error {
	xs, err := newExtractStage(ctx, d)
	if err != nil {
		ln.Close()
		return err
	}
	extractCons, err := newExtractConsumer(ctx, d)
	if err != nil {
		ln.Close()
		return err
	}
	indexCons, err := newIndexConsumer(ctx, d, store)
	if err != nil {
		ln.Close()
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return fetch(gctx) })
	g.Go(func() error { return extractCons.Run(gctx, xs.handle) })
	g.Go(func() error { return indexCons.RunBatch(gctx, indexHandler(store)) })
	g.Go(func() error { return runDealIndexing(gctx, d, store) })
	g.Go(func() error { return serveHTTP(gctx, d, store, websub, ln) })
	g.Go(func() error { return reportProgress(gctx, d, 15*time.Second) })
	err = g.Wait()
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	d.logger.Info("stopped")
	return err
}

func closeStore(store index.Store, logger *slog.Logger) {
	if err := store.Close(); err != nil {
		logger.Warn("closing index", "error", err)
	}
}
