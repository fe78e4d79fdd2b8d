package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/dealwire/dealwire/alerts"
	"github.com/dealwire/dealwire/config"
	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/pipeline"
)

var runAlerts = group("alerts", "alert rules (the alerts section of the configuration): run the alerts stage, test a rule "+
	"against what is indexed, or list the rules and what each sent last",
	"  dealwire alerts run [--config FILE]                 run the alerts stage alone (needs nats.url)\n"+
		"  dealwire alerts test RULE [--since DATE] [--limit N] [--json] [--config FILE]\n"+
		"                                                       what RULE would have sent for the indexed deals\n"+
		"  dealwire alerts list [--json] [--config FILE] [--nats URL]\n"+
		"                                                       the rules and what each sink sent last\n",
	subcommand{"run", runAlertsStage}, subcommand{"test", runAlertsTest}, subcommand{"list", runAlertsList})

func runAlertsStage(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "alerts run", "run the alerts stage against an external NATS: evaluate the rules on every deal of DEALS and deliver the alerts")
	configFlag(fs)
	cfg, err := parseConfig(fs, args)
	if err != nil {
		return err
	}
	return pipeline.Alerts(ctx, cfg)
}

func runAlertsTest(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "alerts test", "run RULE over the deals in the index and print the alerts it would have sent "+
		"(each as a new deal: the state of what was sent is not consulted, and nothing is sent)")
	cfgPath := configFlag(fs)
	since := fs.String("since", "", "only deals announced on or after this date (2026-01-02 or 2026-01)")
	limit := fs.Int("limit", 20, "print at most this many alerts, newest deal first; 0 for all")
	asJSON := fs.Bool("json", false, "print each alert as the JSON a webhook would get, one per line")
	var rule string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") { // RULE may come before the flags
		rule, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if rule == "" && fs.NArg() > 0 {
		rule = fs.Arg(0)
	}
	if rule == "" {
		fmt.Fprintln(e.stderr, "dealwire alerts test: name a rule: dealwire alerts test RULE")
		return errUsage
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		return err
	}
	rates, err := cfg.FXTable()
	if err != nil {
		return err
	}
	r, err := cfg.Alerts.CompileRule(rule, rates)
	if err != nil {
		return err
	}
	var from time.Time
	if *since != "" {
		v, err := index.ParseQuery(map[string][]string{"from": {*since}}, index.Config{})
		if err != nil {
			return fmt.Errorf("--since %q: %w", *since, err)
		}
		from = v.PublishedFrom
	}
	quiet := slog.New(slog.DiscardHandler) // the alerts are the output
	store, err := pipeline.OpenStore(ctx, cfg, quiet, nil)
	if err != nil {
		return err
	}
	defer pipeline.CloseStore(store, quiet)
	return alerts.DryRun(ctx, e.stdout, store, r, alerts.DryRunOptions{Since: from, Limit: *limit, JSON: *asJSON})
}

func runAlertsList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "alerts list", "list the alert rules and what each sink sent last (from the alert state in NATS)")
	cfgPath := configFlag(fs)
	natsURL := fs.String("nats", "", "NATS server URL; default nats.url or $DEALWIRE_NATS_URL, else the embedded server of 'dealwire run'")
	asJSON := fs.Bool("json", false, "print one JSON object per rule and sink")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := config.Load(*cfgPath, config.NATSURL(*natsURL))
	if err != nil {
		return err
	}
	if len(cfg.Alerts.Rules) == 0 {
		fmt.Fprintln(e.stdout, "no alert rules (add them to the alerts section of the configuration, see configs/dealwire.yaml)")
		return nil
	}
	c, err := attach(ctx, cfg, "alerts")
	if err != nil {
		return err
	}
	defer c.Close()
	last, err := alerts.ListLast(ctx, c.JS, cfg.Alerts)
	if err != nil {
		return err
	}
	var rates *fx.Table // the table's rule lines compile each rule
	if !*asJSON {
		if rates, err = cfg.FXTable(); err != nil {
			return err
		}
	}
	return alerts.WriteList(e.stdout, last, cfg.Alerts, rates, *asJSON)
}
