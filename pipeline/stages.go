package pipeline

import (
	"context"
	"fmt"

	"github.com/dealwire/dealwire/alerts"
	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/dealindexstage"
	"github.com/dealwire/dealwire/deals"
	"github.com/dealwire/dealwire/extractstage"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/indexstage"
)

// NewExtractStage builds the extract stage on p's connection, converting
// with the process's FX table.
func (p *Process) NewExtractStage(ctx context.Context) (*extractstage.Stage, error) {
	cfg := p.Config
	rates, err := cfg.FXTable()
	if err != nil {
		return nil, err
	}
	return extractstage.New(ctx, p.JS, cfg.Extract, extractstage.Options{
		NATS: cfg.NATS, Dedup: cfg.Dedup, Deals: cfg.Deals,
		Rates: rates, Logger: p.Logger, Registerer: p.Registry,
	})
}

// NewIndexStage builds the index stage on p's connection, writing to store.
func (p *Process) NewIndexStage(ctx context.Context, store index.Store) (*indexstage.Stage, error) {
	cfg := p.Config
	return indexstage.New(ctx, p.JS, store, cfg.Index, indexstage.Options{NATS: cfg.NATS, Logger: p.Logger, Registerer: p.Registry})
}

// NewDealIndexStage builds the deal-indexing stage on p's connection, with
// the index stage's batch settings.
func (p *Process) NewDealIndexStage(ctx context.Context, store dealindexstage.Store) (*dealindexstage.Stage, error) {
	cfg := p.Config
	return dealindexstage.New(ctx, p.JS, store,
		dealindexstage.Config{Batch: cfg.Index.Batch, FlushInterval: cfg.Index.FlushInterval},
		dealindexstage.Options{NATS: cfg.NATS, Deals: cfg.Deals, Logger: p.Logger, Registerer: p.Registry})
}

// NewAlertStage builds the alerts stage of p's configuration, reading
// deals through the resolver's current state; nil when no rule is
// configured. With an atom sink, the process's HTTP server answers
// /alerts/<rule>.atom from the stage's feeds.
func (p *Process) NewAlertStage(ctx context.Context) (*alerts.Stage, error) {
	cfg := p.Config
	if len(cfg.Alerts.Rules) == 0 {
		return nil, nil
	}
	resolver, err := deals.NewResolver(ctx, p.JS, deals.Config{Replicas: cfg.NATS.Replicas}, p.Logger)
	if err != nil {
		return nil, fmt.Errorf("opening deal resolver: %w", err)
	}
	rates, err := cfg.FXTable()
	if err != nil {
		return nil, err
	}
	st, err := alerts.New(ctx, p.JS, cfg.Alerts, alerts.Options{
		NATS: cfg.NATS, Current: resolver.Current, Rates: rates, Logger: p.Logger, Registerer: p.Registry,
	})
	if err != nil {
		return nil, fmt.Errorf("starting the alerts stage: %w", err)
	}
	if cfg.Alerts.HasAtomSink() {
		p.alertFeeds = st.Feeds()
	}
	return st, nil
}

// openAlertFeeds lets "dealwire serve" answer /alerts/<rule>.atom: it
// connects to nats.url when a rule has an atom sink.
func (p *Process) openAlertFeeds(ctx context.Context) error {
	cfg := p.Config
	if !cfg.Alerts.HasAtomSink() {
		return nil
	}
	if cfg.NATS.URL == "" {
		p.Logger.Warn("alert rules have atom sinks, but serve reads the feeds from NATS and nats.url is not set; /alerts/ is not served")
		return nil
	}
	if err := p.Connect(ctx, "serve", bus.External); err != nil {
		return err
	}
	feeds, err := alerts.OpenFeeds(ctx, p.JS, cfg.Alerts, cfg.NATS.Replicas)
	if err != nil {
		return err
	}
	p.alertFeeds = feeds
	return nil
}
