package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dealwire/dealwire/alerts"
	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/deals"
	"github.com/dealwire/dealwire/index"
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
	return st.Run(ctx)
}

// runAlertsTest is "dealwire alerts test RULE": the rule over the indexed
// deals, printing what it would have sent.
func runAlertsTest(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "alerts test", "run RULE over the deals in the index and print the alerts it would have sent "+
		"(each as a new deal: the state of what was sent is not consulted, and nothing is sent)")
	cfgPath := fs.String("config", "", "configuration file (YAML); default $DEALWIRE_CONFIG")
	since := fs.String("since", "", "only deals announced on or after this date (2026-01-02 or 2026-01)")
	limit := fs.Int("limit", 20, "print at most this many alerts, newest deal first; 0 for all")
	asJSON := fs.Bool("json", false, "print each alert as the JSON a webhook would get, one per line")
	var rule string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
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
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	rc, ok := cfg.Alerts.Rule(rule)
	if !ok {
		names := make([]string, 0, len(cfg.Alerts.Rules))
		for _, r := range cfg.Alerts.Rules {
			names = append(names, r.Name)
		}
		if len(names) == 0 {
			return fmt.Errorf("no alert rule %q: the configuration has no alert rules (add them to its alerts section, see configs/dealwire.yaml)", rule)
		}
		return fmt.Errorf("no alert rule %q in the configuration (rules: %s)", rule, strings.Join(names, ", "))
	}
	rates, err := cfg.fxTable()
	if err != nil {
		return err
	}
	r, err := alerts.Compile(rc, rates)
	if err != nil {
		return fmt.Errorf("alert rule %s: %w", rule, err)
	}
	q := index.Query{Sort: index.SortDate, Size: index.MaxSize}
	if *since != "" {
		v, err := index.ParseQuery(map[string][]string{"from": {*since}}, index.Config{})
		if err != nil {
			return fmt.Errorf("--since %q: %w", *since, err)
		}
		q.PublishedFrom = v.PublishedFrom
	}
	d := newDeps(cfg, "")
	d.logger = discardLogger()
	store, err := openStore(ctx, cfg, d.logger, d.reg)
	if err != nil {
		return err
	}
	defer closeStore(store, d.logger)
	sinks := make([]string, 0, len(rc.Sinks))
	for _, s := range rc.Sinks {
		sinks = append(sinks, s.Name)
	}
	matched, scanned := 0, 0
	for {
		res, err := store.SearchDeals(ctx, q)
		if err != nil {
			return fmt.Errorf("searching the deal index: %w", err)
		}
		for _, h := range res.Hits {
			scanned++
			if !r.Match(h.Deal) {
				continue
			}
			matched++
			if *limit > 0 && matched > *limit {
				continue
			}
			a := alerts.Alert{V: 1, ID: rule + "/" + h.Deal.ID + "/1", Rule: rule, Kind: alerts.KindNew, Thread: h.Deal.ID, Version: 1,
				Summary: alerts.Summary(h.Deal), CreatedAt: time.Now().UTC(), Deal: h.Deal}
			if len(h.Deal.Sources) > 0 {
				a.URL = h.Deal.Sources[0].URL
			}
			if *asJSON {
				b, err := json.Marshal(a)
				if err != nil {
					return fmt.Errorf("encoding alert: %w", err)
				}
				fmt.Fprintln(e.stdout, string(b))
				continue
			}
			fmt.Fprintf(e.stdout, "%s  %s\n  to %s; deal %s, %s\n", h.Deal.AnnouncedAt.Format("2006-01-02"), a.Title(),
				strings.Join(sinks, ", "), h.Deal.ID, cmpOrDash(a.URL))
		}
		if res.Next == "" || len(res.Hits) == 0 {
			break
		}
		q.After = res.Next
	}
	if !*asJSON {
		shown := matched
		if *limit > 0 {
			shown = min(matched, *limit)
		}
		fmt.Fprintf(e.stdout, "rule %s (query %q) matches %d of %d indexed deals; %d shown\n", rule, r.Query.String(), matched, scanned, shown)
	}
	return nil
}

func cmpOrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// runAlertsList is "dealwire alerts list": every rule and what each of its
// sinks sent last, from the alert state in NATS.
func runAlertsList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "alerts list", "list the alert rules and what each sink sent last (from the alert state in NATS)")
	cfgPath := fs.String("config", "", "configuration file (YAML); default $DEALWIRE_CONFIG")
	natsURL := fs.String("nats", "", "NATS server URL; default nats.url or $DEALWIRE_NATS_URL, else the embedded server of 'dealwire run'")
	asJSON := fs.Bool("json", false, "print one JSON object per rule and sink")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if len(cfg.Alerts.Rules) == 0 {
		fmt.Fprintln(e.stdout, "no alert rules (add them to the alerts section of the configuration, see configs/dealwire.yaml)")
		return nil
	}
	if *natsURL != "" {
		cfg.NATS.URL = *natsURL
	}
	d, err := connectForAlerts(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.closeBus()
	last, err := alerts.ListLast(ctx, d.js, cfg.Alerts)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		for _, ls := range last {
			if err := enc.Encode(ls); err != nil {
				return fmt.Errorf("writing: %w", err)
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSINK\tSENT\tLAST SENT\tLAST ALERT\tLAST FAILURE")
	for _, ls := range last {
		at, failure := "-", "-"
		if !ls.At.IsZero() {
			at = ls.At.Local().Format("2006-01-02 15:04:05")
		}
		if ls.Error != "" {
			failure = ls.ErrorAt.Local().Format("2006-01-02 15:04:05") + " " + firstLineOf(ls.Error)
		}
		alert := "-"
		if ls.AlertID != "" {
			alert = ls.Kind + ": " + ls.Summary
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", ls.Rule, ls.Sink, ls.Sent, at, alert, failure)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing: %w", err)
	}
	rates, err := cfg.fxTable()
	if err != nil {
		return err
	}
	for _, rc := range cfg.Alerts.Rules {
		r, err := alerts.Compile(rc, rates)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "rule %s: %s\n", rc.Name, describeRule(rc, r))
	}
	return nil
}

// describeRule lists a rule's conditions in one line.
func describeRule(rc alerts.RuleConfig, r *alerts.Rule) string {
	var c []string
	if !r.Query.IsZero() {
		c = append(c, fmt.Sprintf("query %q", r.Query.String()))
	}
	add := func(name, v, cur string) {
		if v != "" {
			c = append(c, strings.TrimSpace(name+" >= "+v+" "+cur))
		}
	}
	add("amount", rc.AmountMin, cmp.Or(rc.AmountCurrency, "USD"))
	add("valuation", rc.ValuationMin, cmp.Or(rc.ValuationCurrency, "USD"))
	add("capacity", rc.CapacityMin, "")
	for _, l := range []struct {
		name string
		v    []string
	}{{"investor", rc.Investors}, {"lead investor", rc.LeadInvestors}, {"round", rc.Rounds}, {"company", rc.Companies}, {"source", rc.Sources}} {
		if len(l.v) > 0 {
			c = append(c, l.name+" in ["+strings.Join(l.v, ", ")+"]")
		}
	}
	if rc.MinConfidence > 0 {
		c = append(c, "confidence >= "+strconv.FormatFloat(rc.MinConfidence, 'g', -1, 64))
	}
	if len(c) == 0 {
		return "every deal"
	}
	return strings.Join(c, ", ")
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
