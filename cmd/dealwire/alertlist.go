package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/dealwire/dealwire/alerts"
)

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
