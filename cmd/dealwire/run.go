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
	"github.com/dealwire/dealwire/progress"
	"github.com/dealwire/dealwire/sample"
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
	useSample := fs.Bool("sample", false, "poll only the bundled sample: fictional articles of seven made-up outlets, served from inside the process on 127.0.0.1 (no network needed)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *useSample && len(feeds) > 0 {
		fmt.Fprintln(e.stderr, "dealwire run: --sample and --feed exclude each other")
		return errUsage
	}
	cfg, err := loadConfig(*cfgPath, dataDirFlag(*dataDir), httpAddrFlag(*addr))
	if err != nil {
		return err
	}
	d := newDeps(cfg, "")
	logger := d.logger
	var samples *sample.Site
	if *useSample {
		if samples, err = newSampleSite(cfg, logger); err != nil {
			return err
		}
		defer samples.Close()
	} else if err := chooseFeeds(cfg, feeds, logger); err != nil {
		return err
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
	if err := d.newObs(store); err != nil { // /readyz beside the API's /metrics and /healthz
		return err
	}
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
	fetch := func(ctx context.Context) error {
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() error { return poller.Run(gctx) })
		if samples != nil {
			g.Go(func() error { return samples.Serve(gctx) })
		} else {
			start := time.Now()
			g.Go(func() error { ingest.WarnIfNoFeedReached(gctx, d.js, cfg.Ingest, start, logger); return nil })
		}
		return g.Wait()
	}
	return runPipeline(ctx, d, store, ln, websub, fetch)
}

// chooseFeeds sets the feed list of the fetch stage: the feeds given with
// --feed if any, else the configured ones, else the shipped list.
func chooseFeeds(cfg *config, flagFeeds []string, logger *slog.Logger) error {
	if len(flagFeeds) > 0 {
		cfg.Ingest.Feeds = nil
		return addFeeds(cfg, flagFeeds, logger)
	}
	if len(cfg.Ingest.Feeds) > 0 {
		return nil
	}
	fl, err := defaultFeeds()
	if err != nil {
		return err
	}
	cfg.Ingest.Feeds = fl
	logger.Info("no feeds configured; using the default feed list (configs/feeds.yaml)", "feeds", len(fl))
	return nil
}

// Sample feeds are polled often enough that a correction (served from a
// feed's second request on) lands within a minute; they are our own server,
// so this costs no one anything.
const (
	sampleInterval    = 10 * time.Second
	sampleMinInterval = 5 * time.Second
)

// newSampleSite starts listening for the bundled sample on a free loopback
// port and makes its feeds the only ones polled. The private-address guard
// lets through that loopback address only (it cannot tell ports apart), and
// the per-host delay goes, since every page is on that one host.
func newSampleSite(cfg *config, logger *slog.Logger) (*sample.Site, error) {
	corpus, err := sample.Load()
	if err != nil {
		return nil, err
	}
	site, err := corpus.Listen()
	if err != nil {
		return nil, err
	}
	cfg.Ingest.Feeds = nil
	for _, f := range corpus.Feeds() {
		cfg.Ingest.Feeds = append(cfg.Ingest.Feeds, ingest.FeedConfig{
			Name: f.Name, URL: site.URL() + f.Path, Interval: sampleInterval, Tags: []string{"sample"},
		})
	}
	cfg.Ingest.AllowPrivate = []string{site.IP()}
	cfg.Ingest.HostDelay = 0
	cfg.Ingest.MinInterval = min(cfg.Ingest.MinInterval, sampleMinInterval)
	cfg.Ingest.WebSubCallback = ""
	logger.Info("polling the bundled sample: fictional articles served from inside this process",
		"feeds", len(cfg.Ingest.Feeds), "stories", corpus.Stories(), "sample_url", site.URL()+"/")
	return site, nil
}

// runPipeline runs fetch, extract, index, alerts and serve until ctx ends. The
// caller owns the NATS connection and the store and closes them after it
// returns, in this order:
//  1. the poller stops publishing and the consumers stop fetching; each
//     settles (acks) the batch it holds, so nothing in flight is redelivered;
//  2. the store is closed (the caller's defer), flushing what it buffered;
//  3. the NATS connection drains, then the embedded server shuts down.
//
// fetch is the fetch stage's loop, normally [ingest.Poller.Run].
func runPipeline(ctx context.Context, d *deps, store indexStore, ln net.Listener, websub http.Handler, fetch func(context.Context) error) error {
	xs, err := newExtractStage(ctx, d)
	if err != nil {
		ln.Close()
		return err
	}
	is, err := newIndexStage(ctx, d, store)
	if err != nil {
		ln.Close()
		return err
	}
	ds, err := newDealIndexStage(ctx, d, store)
	if err != nil {
		ln.Close()
		return err
	}
	alertStage, err := newAlertStage(ctx, d) // nil without alert rules
	if err != nil {
		ln.Close()
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	if alertStage != nil {
		g.Go(func() error { return alertStage.Run(gctx) })
	}
	g.Go(func() error { return fetch(gctx) })
	g.Go(func() error { return xs.Run(gctx) })
	g.Go(func() error { return is.Run(gctx) })
	g.Go(func() error { return ds.Run(gctx) })
	g.Go(func() error { return serveHTTP(gctx, d, store, websub, ln) })
	g.Go(func() error { return progress.Log(gctx, d.js, d.logger, 15*time.Second) })
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
