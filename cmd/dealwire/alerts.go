package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"

	"github.com/dealwire/dealwire/alerts"
	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/deals"
)

func runAlerts(ctx context.Context, e *env, args []string) error {
	const summary = "alert rules (the alerts section of the configuration): run the alerts stage, test a rule " +
		"against what is indexed, or list the rules and what each sent last"
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(e.stderr, "dealwire alerts: %s\n\nUsage:\n"+
			"  dealwire alerts run [--config FILE]                 run the alerts stage alone (needs nats.url)\n"+
			"  dealwire alerts test RULE [--since DATE] [--limit N] [--json] [--config FILE]\n"+
			"                                                       what RULE would have sent for the indexed deals\n"+
			"  dealwire alerts list [--json] [--config FILE] [--nats URL]\n"+
			"                                                       the rules and what each sink sent last\n", summary)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	switch args[0] {
	case "run":
		return runAlertsStage(ctx, e, args[1:])
	case "test":
		return runAlertsTest(ctx, e, args[1:])
	case "list":
		return runAlertsList(ctx, e, args[1:])
	default:
		fmt.Fprintf(e.stderr, "dealwire alerts: unknown subcommand %q (want run, test or list)\n", args[0])
		return errUsage
	}
}

// newAlertStage builds the alerts stage of d's configuration, reading deals
// through the resolver's current state; nil when no rule is configured.
func newAlertStage(ctx context.Context, d *deps) (*alerts.Stage, error) {
	if len(d.cfg.Alerts.Rules) == 0 {
		return nil, nil
	}
	resolver, err := deals.NewResolver(ctx, d.js, deals.Config{Replicas: d.cfg.NATS.Replicas}, d.logger)
	if err != nil {
		return nil, fmt.Errorf("opening deal resolver: %w", err)
	}
	rates, err := d.cfg.fxTable()
	if err != nil {
		return nil, err
	}
	st, err := alerts.New(ctx, d.js, d.cfg.Alerts, alerts.Options{
		NATS: d.cfg.NATS, Current: resolver.Current, Rates: rates, Logger: d.logger, Registerer: d.reg,
	})
	if err != nil {
		return nil, fmt.Errorf("starting the alerts stage: %w", err)
	}
	if hasAtomSink(d.cfg.Alerts) {
		d.alertFeeds = st.Feeds()
	}
	return st, nil
}

func hasAtomSink(c alerts.Config) bool {
	for _, r := range c.Rules {
		for _, s := range r.Sinks {
			if s.Type == alerts.SinkAtom {
				return true
			}
		}
	}
	return false
}

// openAlertFeeds lets "dealwire serve" answer /alerts/<rule>.atom: it
// connects to nats.url when a rule has an atom sink.
func openAlertFeeds(ctx context.Context, d *deps) error {
	if !hasAtomSink(d.cfg.Alerts) {
		return nil
	}
	if d.cfg.NATS.URL == "" {
		d.logger.Warn("alert rules have atom sinks, but serve reads the feeds from NATS and nats.url is not set; /alerts/ is not served")
		return nil
	}
	if err := connectBus(ctx, d, "serve", false); err != nil {
		return err
	}
	feeds, err := alerts.OpenFeeds(ctx, d.js, d.cfg.Alerts, d.cfg.NATS.Replicas)
	if err != nil {
		return err
	}
	d.alertFeeds = feeds
	return nil
}

// runAlertsStage is "dealwire alerts run": the alerts stage alone against
// an external NATS; run as many replicas as wanted.
func runAlertsStage(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "alerts run", "run the alerts stage against an external NATS: evaluate the rules on every deal of DEALS and deliver the alerts")
	cfgPath := fs.String("config", "", "configuration file (YAML); default $DEALWIRE_CONFIG")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if len(cfg.Alerts.Rules) == 0 {
		return errors.New("no alert rules: add rules to the alerts section of the configuration (see configs/dealwire.yaml)")
	}
	d := newDeps(cfg, "")
	if err := connectBus(ctx, d, "alerts", false); err != nil {
		return err
	}
	// Shutdown order: both consumers settle what they hold (Run returns),
	// then the connection drains.
	defer d.closeBus()
	st, err := newAlertStage(ctx, d)
	if err != nil {
		return err
	}
	return d.runWithObs(ctx, nil, st.Run)
}

// connectForAlerts connects to nats.url, or to the embedded server of a
// running "dealwire run", or starts that server on its store when none
// answers, so the alert state can be read while the pipeline is stopped.
func connectForAlerts(ctx context.Context, cfg *config) (*deps, error) {
	d := newDeps(cfg, "")
	if cfg.NATS.URL != "" {
		return d, connectBus(ctx, d, "alerts", false)
	}
	emb := cfg.NATS.Embedded
	url := "nats://" + net.JoinHostPort(emb.Host, strconv.Itoa(emb.Port))
	if nc, js, err := bus.Connect(ctx, url, cfg.NATS, "dealwire-alerts", discardLogger()); err == nil {
		d.nc, d.js = nc, js
		return d, nil
	}
	return d, connectBus(ctx, d, "alerts", true)
}
