package alerts

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
)

// This file holds what the commands "dealwire alerts list" and "dealwire
// alerts test" show, so that the binary only parses their flags.

// HasAtomSink reports whether a rule delivers to an Atom feed, which the
// HTTP server then answers at /alerts/<rule>.atom.
func (c Config) HasAtomSink() bool {
	for _, r := range c.Rules {
		for _, s := range r.Sinks {
			if s.Type == SinkAtom {
				return true
			}
		}
	}
	return false
}

// CompileRule compiles the rule of c named name ([Compile]); the error
// of an unknown name lists the rules there are.
func (c Config) CompileRule(name string, rates *fx.Table) (*Rule, error) {
	rc, ok := c.Rule(name)
	if !ok {
		names := make([]string, 0, len(c.Rules))
		for _, r := range c.Rules {
			names = append(names, r.Name)
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("no alert rule %q: the configuration has no alert rules (add them to its alerts section, see configs/dealwire.yaml)", name)
		}
		return nil, fmt.Errorf("no alert rule %q in the configuration (rules: %s)", name, strings.Join(names, ", "))
	}
	r, err := Compile(rc, rates)
	if err != nil {
		return nil, fmt.Errorf("alert rule %s: %w", name, err)
	}
	return r, nil
}

// WriteList writes what every sink of every rule in cfg sent last
// ([ListLast]) as "dealwire alerts list" shows it: with asJSON one JSON
// object per rule and sink; else a table of what each sink sent last and
// its last failure, then a line per rule with its conditions ([Describe]),
// compiled with rates.
func WriteList(ctx context.Context, w io.Writer, js jetstream.JetStream, cfg Config, rates *fx.Table, asJSON bool) error {
	last, err := ListLast(ctx, js, cfg)
	if err != nil {
		return err
	}
	return writeList(w, last, cfg, rates, asJSON)
}

func writeList(w io.Writer, last []LastSent, cfg Config, rates *fx.Table, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		for _, ls := range last {
			if err := enc.Encode(ls); err != nil {
				return fmt.Errorf("writing: %w", err)
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSINK\tSENT\tLAST SENT\tLAST ALERT\tLAST FAILURE")
	for _, ls := range last {
		at, failure := "-", "-"
		if !ls.At.IsZero() {
			at = ls.At.Local().Format("2006-01-02 15:04:05")
		}
		if ls.Error != "" {
			failure = ls.ErrorAt.Local().Format("2006-01-02 15:04:05") + " " + firstLine(ls.Error)
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
	for _, rc := range cfg.Rules {
		r, err := Compile(rc, rates)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "rule %s: %s\n", rc.Name, Describe(r))
	}
	return nil
}

// Describe lists a rule's conditions in one line, "every deal" when it has
// none.
func Describe(r *Rule) string {
	rc := r.Config
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

// DealSearcher is the part of the deal index [DryRun] reads.
type DealSearcher interface {
	SearchDeals(ctx context.Context, q index.Query) (index.DealResult, error)
}

// DryRunOptions narrow and shape a [DryRun].
type DryRunOptions struct {
	Since time.Time // only deals announced on or after it; zero for all
	Limit int       // print at most this many alerts, newest deal first; 0 for all
	JSON  bool      // each alert as the JSON a webhook would get, one per line
}

// DryRun runs r over every deal in s and writes the alerts it would have
// sent, each as for a new deal: the state of what was sent is not
// consulted, and nothing is sent. Without opt.JSON it ends with a line
// counting the matches.
func DryRun(ctx context.Context, w io.Writer, s DealSearcher, r *Rule, opt DryRunOptions) error {
	rule := r.Config.Name
	q := index.Query{Sort: index.SortDate, Size: index.MaxSize, PublishedFrom: opt.Since}
	sinks := make([]string, 0, len(r.Config.Sinks))
	for _, s := range r.Config.Sinks {
		sinks = append(sinks, s.Name)
	}
	matched, scanned := 0, 0
	for {
		res, err := s.SearchDeals(ctx, q)
		if err != nil {
			return fmt.Errorf("searching the deal index: %w", err)
		}
		for _, h := range res.Hits {
			scanned++
			if !r.Match(h.Deal) {
				continue
			}
			matched++
			if opt.Limit > 0 && matched > opt.Limit {
				continue
			}
			a := Alert{V: 1, ID: rule + "/" + h.Deal.ID + "/1", Rule: rule, Kind: KindNew, Thread: h.Deal.ID, Version: 1,
				Summary: Summary(h.Deal), CreatedAt: time.Now().UTC(), Deal: h.Deal}
			if len(h.Deal.Sources) > 0 {
				a.URL = h.Deal.Sources[0].URL
			}
			if opt.JSON {
				b, err := json.Marshal(a)
				if err != nil {
					return fmt.Errorf("encoding alert: %w", err)
				}
				fmt.Fprintln(w, string(b))
				continue
			}
			fmt.Fprintf(w, "%s  %s\n  to %s; deal %s, %s\n", h.Deal.AnnouncedAt.Format("2006-01-02"), a.Title(),
				strings.Join(sinks, ", "), h.Deal.ID, cmp.Or(a.URL, "-"))
		}
		if res.Next == "" || len(res.Hits) == 0 {
			break
		}
		q.After = res.Next
	}
	if !opt.JSON {
		shown := matched
		if opt.Limit > 0 {
			shown = min(matched, opt.Limit)
		}
		fmt.Fprintf(w, "rule %s (query %q) matches %d of %d indexed deals; %d shown\n", rule, r.Query.String(), matched, scanned, shown)
	}
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
