package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/dealwire/dealwire/alerts"
	"github.com/dealwire/dealwire/index"
)

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
