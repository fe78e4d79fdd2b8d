package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/dealwire/dealwire/alerts"
	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/config"
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
	"run, test or list", map[string]runFunc{"run": runAlertsStage, "test": runAlertsTest, "list": runAlertsList})

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
		return usageError(e, "alerts test: name a rule: dealwire alerts test RULE")
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
	from, err := index.ParseFrom(*since)
	if err != nil {
		return fmt.Errorf("--since %q: %w", *since, err)
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
	configFlag(fs)
	fs.String("nats", "", "NATS server URL; default nats.url or $DEALWIRE_NATS_URL, else the embedded server of 'dealwire run'")
	asJSON := fs.Bool("json", false, "print one JSON object per rule and sink")
	cfg, err := parseConfig(fs, args)
	if err != nil {
		return err
	}
	if len(cfg.Alerts.Rules) == 0 {
		fmt.Fprintln(e.stdout, "no alert rules (add them to the alerts section of the configuration, see configs/dealwire.yaml)")
		return nil
	}
	rates, err := cfg.FXTable() // the line per rule below the table compiles the rule with it
	if err != nil {
		return err
	}
	c, err := bus.Open(ctx, cfg.NATS, "alerts", bus.Attach, cfg.NewLogger(os.Stderr).With("stage", "alerts"))
	if err != nil {
		return err
	}
	defer c.Close()
	return alerts.WriteList(ctx, e.stdout, c.JS, cfg.Alerts, rates, *asJSON)
}
