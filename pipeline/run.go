package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/config"
	"github.com/dealwire/dealwire/ingest"
	"github.com/dealwire/dealwire/progress"
	"github.com/dealwire/dealwire/sample"
)

// RunOptions are the choices of "dealwire run" beyond the configuration.
type RunOptions struct {
	// Feeds replace the configured feed list ([ingest.Config.ChooseFeeds]).
	Feeds []string
	// Sample polls only the bundled sample, served from inside the process.
	Sample bool
}

// RunAll runs every stage in one process until ctx ends: fetch, extract,
// index, deal indexing, alerts and the search API, on the embedded NATS
// server unless nats.url is set.
func RunAll(ctx context.Context, cfg *config.Config, opt RunOptions) error {
	p := New(cfg, "")
	logger := p.Logger
	var samples *sample.Site
	if opt.Sample {
		var err error
		if samples, err = useSample(cfg, logger); err != nil {
			return err
		}
		defer samples.Close()
	} else if err := cfg.Ingest.ChooseFeeds(opt.Feeds, logger); err != nil {
		return err
	}
	if err := cfg.Ingest.Validate(); err != nil {
		return fmt.Errorf("invalid configuration: ingest: %w", err)
	}
	if err := p.Connect(ctx, "run", bus.Embed); err != nil {
		return err
	}
	defer p.Close()
	store, err := OpenStore(ctx, cfg, logger, p.Registry)
	if err != nil {
		return err
	}
	defer CloseStore(store, logger)
	if err := p.newObs(store); err != nil { // /readyz beside the API's /metrics and /healthz
		return err
	}
	ln, err := ListenHTTP(cfg)
	if err != nil {
		return err
	}
	poller, err := ingest.NewPoller(cfg.Ingest, p.JS, logger.With("stage", "fetch"), p.Registry)
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
			g.Go(func() error { ingest.WarnIfNoFeedReached(gctx, p.JS, cfg.Ingest, start, logger); return nil })
		}
		return g.Wait()
	}
	return p.Run(ctx, store, ln, websub, fetch)
}

// Sample feeds are polled often enough that a correction (served from a
// feed's second request on) lands within a minute; they are our own server,
// so this costs no one anything.
const (
	sampleInterval    = 10 * time.Second
	sampleMinInterval = 5 * time.Second
)

// useSample starts listening for the bundled sample on a free loopback
// port and makes its feeds the only ones polled. The private-address guard
// lets through that loopback address only (it cannot tell ports apart), and
// the per-host delay goes, since every page is on that one host.
func useSample(cfg *config.Config, logger *slog.Logger) (*sample.Site, error) {
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

// Run runs fetch, extract, index, deal indexing, alerts and the HTTP server
// on ln until ctx ends. The caller owns the NATS connection and the store
// and closes them after Run returns, in the package's shutdown order.
// fetch is the fetch stage's loop, normally [ingest.Poller.Run]; websub,
// when not nil, takes WebSub pushes.
func (p *Process) Run(ctx context.Context, store Store, ln net.Listener, websub http.Handler, fetch func(context.Context) error) error {
	xs, err := p.NewExtractStage(ctx)
	if err != nil {
		ln.Close()
		return err
	}
	is, err := p.NewIndexStage(ctx, store)
	if err != nil {
		ln.Close()
		return err
	}
	ds, err := p.NewDealIndexStage(ctx, store)
	if err != nil {
		ln.Close()
		return err
	}
	alertStage, err := p.NewAlertStage(ctx) // nil without alert rules
	if err != nil {
		ln.Close()
		return err
	}
	// Every stage returns once it settled what it holds; the HTTP server
	// shuts down gracefully.
	g, gctx := errgroup.WithContext(ctx)
	if alertStage != nil {
		g.Go(func() error { return alertStage.Run(gctx) })
	}
	g.Go(func() error { return fetch(gctx) })
	g.Go(func() error { return xs.Run(gctx) })
	g.Go(func() error { return is.Run(gctx) })
	g.Go(func() error { return ds.Run(gctx) })
	g.Go(func() error { return p.serveHTTP(gctx, store, websub, ln) })
	g.Go(func() error { return progress.Log(gctx, p.JS, p.Logger, 15*time.Second) })
	err = g.Wait()
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	p.Logger.Info("stopped")
	return err
}
