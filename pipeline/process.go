package pipeline

import (
	"context"
	"log/slog"
	"os"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/api"
	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/config"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/obs"
)

// Process holds what one process builds once and its stages share: the
// configuration, the logger, the metrics registry and, after
// [Process.Connect], the NATS connection.
type Process struct {
	Config   *config.Config
	Logger   *slog.Logger
	Registry *prometheus.Registry
	// JS is the JetStream context of the process's connection.
	JS jetstream.JetStream

	bus *bus.Client
	// obs answers /metrics, /healthz and /readyz (see newObs).
	obs *obs.Server
	// alertFeeds serves /alerts/<rule>.atom when set.
	alertFeeds api.AlertFeeds
}

// New returns the process of cfg with its logger (writing to standard
// error; its lines carry the stage name unless stage is empty) and a fresh
// registry.
func New(cfg *config.Config, stage string) *Process {
	logger := cfg.NewLogger(os.Stderr)
	if stage != "" {
		logger = logger.With("stage", stage)
	}
	return &Process{Config: cfg, Logger: logger, Registry: obs.NewRegistry()}
}

// Connect connects to NATS as "dealwire-"+name ([bus.Open]; emb says what
// happens without nats.url) and declares the streams.
func (p *Process) Connect(ctx context.Context, name string, emb bus.Embedding) error {
	c, err := bus.Open(ctx, p.Config.NATS, name, emb, p.Logger)
	if err != nil {
		return err
	}
	p.bus, p.JS = c, c.JS
	return nil
}

// Close drains the NATS connection, then stops the embedded server if
// Connect started one. Call it after every stage on the connection returned.
func (p *Process) Close() {
	if p.bus != nil {
		p.bus.Close()
		p.bus = nil
	}
}

// newObs builds the process's /metrics, /healthz and /readyz: ready when
// the NATS connection is up and, with a store, the index answers. A stage
// process serves them on obs.addr ([Process.runBeside]); serve and run
// also mount /readyz on the API's address.
func (p *Process) newObs(store index.Getter) error {
	o, err := obs.New(p.Config.Obs, p.Registry, p.Logger)
	if err != nil {
		return err
	}
	if p.bus != nil {
		o.AddCheck("nats", 0, bus.Ready(p.bus.Conn))
	}
	if store != nil {
		o.AddCheck("index", 0, index.Probe(store))
	}
	p.obs = o
	return nil
}

// runBeside runs stage beside the process's /metrics, /healthz and /readyz
// on obs.addr (store, when not nil, is the index /readyz checks).
func (p *Process) runBeside(ctx context.Context, store index.Getter, stage func(context.Context) error) error {
	if err := p.newObs(store); err != nil {
		return err
	}
	return p.obs.RunBeside(ctx, stage)
}
