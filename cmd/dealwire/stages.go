package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/api"
	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/elastic"
	"github.com/dealwire/dealwire/index/sqlite"
	"github.com/dealwire/dealwire/obs"
)

// deps are the long-lived connections a process builds once.
type deps struct {
	cfg    *config
	logger *slog.Logger
	reg    *prometheus.Registry
	srv    *server.Server // embedded NATS, nil when nats.url is set
	nc     *nats.Conn
	js     jetstream.JetStream
	// alertFeeds serves /alerts/<rule>.atom when set (cmd/dealwire/alerts.go).
	alertFeeds api.AlertFeeds
	// obs answers /metrics, /healthz and /readyz (see newObs).
	obs *obs.Server
}

// newObs builds the process's /metrics, /healthz and /readyz: ready when
// the NATS connection is up and, with a store, the index answers. A stage
// process serves them on obs.addr (runObs); serve and run also mount them
// on the API's address.
func (d *deps) newObs(store index.Getter) error {
	o, err := obs.New(d.cfg.Obs, d.reg, d.logger)
	if err != nil {
		return err
	}
	if d.nc != nil {
		o.AddCheck("nats", 0, bus.Ready(d.nc))
	}
	if store != nil {
		o.AddCheck("index", 0, index.Probe(store))
	}
	d.obs = o
	return nil
}

// runWithObs runs stage beside the process's /metrics, /healthz and
// /readyz on obs.addr (store, when not nil, is the index /readyz checks),
// and stops serving them when stage returns.
func (d *deps) runWithObs(ctx context.Context, store index.Getter, stage func(context.Context) error) error {
	if err := d.newObs(store); err != nil {
		return err
	}
	octx, cancel := context.WithCancel(ctx)
	defer cancel()
	serve, err := d.runObs(octx)
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- serve() }()
	err = stage(ctx)
	cancel()
	if oerr := <-errc; oerr != nil {
		d.logger.Warn("metrics and health server", "error", oerr)
	}
	return err
}

// runObs serves d.obs on obs.addr until ctx ends. It opens the listener
// first, so that a taken port fails the process at once with what to set.
func (d *deps) runObs(ctx context.Context) (func() error, error) {
	if d.cfg.Obs.Addr == obs.Off {
		return func() error { <-ctx.Done(); return nil }, nil
	}
	ln, err := net.Listen("tcp", d.cfg.Obs.Addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s for /metrics and /readyz: %w (each process needs its own obs.addr or DEALWIRE_OBS_ADDR; \"off\" disables it)", d.cfg.Obs.Addr, err)
	}
	return func() error { return d.obs.Serve(ctx, ln) }, nil
}

// newDeps builds the logger and registry of one stage; logs carry the
// stage name unless stage is empty.
func newDeps(cfg *config, stage string) *deps {
	logger := newLogger(cfg, os.Stderr)
	if stage != "" {
		logger = logger.With("stage", stage)
	}
	return &deps{cfg: cfg, logger: logger, reg: obs.NewRegistry()}
}

// listenHTTP opens the listener of the search API.
func listenHTTP(cfg *config) (net.Listener, error) {
	ln, err := net.Listen("tcp", cfg.HTTP.Addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w (set http.addr or --http-addr)", cfg.HTTP.Addr, err)
	}
	return ln, nil
}

// connectBus connects to NATS (starting the embedded server when
// allowEmbedded and nats.url is empty) and declares the streams.
func connectBus(ctx context.Context, d *deps, name string, allowEmbedded bool) error {
	url := d.cfg.NATS.URL
	if url == "" {
		if !allowEmbedded {
			return errors.New("nats.url is not set: single stages need an external NATS server (set nats.url or DEALWIRE_NATS_URL), or use 'dealwire run'")
		}
		srv, err := bus.StartEmbedded(d.cfg.NATS, d.logger)
		if err != nil {
			return err
		}
		d.srv = srv
		url = srv.ClientURL()
	}
	nc, js, err := bus.Connect(ctx, url, d.cfg.NATS, "dealwire-"+name, d.logger)
	if err != nil {
		d.shutdownServer()
		return err
	}
	d.nc, d.js = nc, js
	if err := bus.EnsureStreams(ctx, js, d.cfg.NATS); err != nil {
		d.closeBus()
		return err
	}
	return nil
}

// closeBus drains the connection (flushing pending publishes and acks), then
// stops the embedded server.
func (d *deps) closeBus() {
	if d.nc != nil {
		if err := bus.Drain(d.nc, 30*time.Second); err != nil {
			d.logger.Warn("closing nats connection", "error", err)
		}
	}
	d.shutdownServer()
}

func (d *deps) shutdownServer() {
	if d.srv != nil {
		d.srv.Shutdown()
		d.srv.WaitForShutdown()
		d.srv = nil
	}
}

// indexStore is the index of records and of resolved deals; both backends
// are both.
type indexStore interface {
	index.Store
	index.DealStore
}

// openStore opens the configured index: Elasticsearch when
// elasticsearch.urls is set, the embedded SQLite index otherwise.
func openStore(ctx context.Context, c *config, logger *slog.Logger, reg prometheus.Registerer) (indexStore, error) {
	rates, err := c.fxTable()
	if err != nil {
		return nil, err
	}
	c.Elasticsearch.Rates, c.SQLite.Rates = rates, rates
	if c.useElasticsearch() {
		return elastic.New(ctx, c.Elasticsearch, logger, reg)
	}
	if err := os.MkdirAll(c.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating data directory: %w", err)
	}
	st, err := sqlite.Open(ctx, c.SQLite, logger)
	if err != nil || reg == nil {
		return st, err
	}
	if err := st.RegisterMetrics(reg); err != nil {
		st.Close()
		return nil, fmt.Errorf("registering metrics of the sqlite index: %w", err)
	}
	return st, nil
}

// serveHTTP serves the API (when store is not nil) and the WebSub
// callbacks (when websub is not nil) until ctx ends, then shuts down
// gracefully.
func serveHTTP(ctx context.Context, d *deps, store index.Store, websub http.Handler, ln net.Listener) error {
	mux := http.NewServeMux()
	if store != nil {
		hc := d.cfg.HTTP
		rates, err := d.cfg.fxTable()
		if err != nil {
			return err
		}
		hc.Rates = rates // the index's table: exports convert as the index does
		mux.Handle("/", api.NewHandler(hc, store, d.logger, d.reg))
	}
	if d.obs != nil {
		mux.Handle("GET /readyz", d.obs.Handler())
	}
	if d.alertFeeds != nil {
		mux.Handle("GET /alerts/", api.NewAlertFeedHandler(d.cfg.HTTP, d.alertFeeds, d.logger))
	}
	if websub != nil {
		path := websubPath(d.cfg.Ingest.WebSubCallback)
		mux.Handle(path, websub)
		d.logger.Info("taking WebSub pushes", "path", path, "callback", d.cfg.Ingest.WebSubCallback)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	d.logger.Info("serving http", "url", "http://"+ln.Addr().String()+"/")
	select {
	case err := <-errc:
		return fmt.Errorf("serving http: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutting down http server: %w", err)
	}
	<-errc
	return nil
}

// websubPath is the path prefix of the WebSub callback URL, ending in '/'.
func websubPath(callback string) string {
	u, err := url.Parse(callback)
	if err != nil || u.Path == "" {
		return "/websub/"
	}
	if !strings.HasSuffix(u.Path, "/") {
		return u.Path + "/"
	}
	return u.Path
}

// isLocalHost reports whether host names this machine or a private network.
func isLocalHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified())
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
