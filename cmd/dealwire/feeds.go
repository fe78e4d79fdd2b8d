package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/ingest"
)

func runFeeds(ctx context.Context, e *env, args []string) error {
	const summary = "feeds list: show each feed with its last status, last success and error count; feeds import FILE.opml: add an OPML file's feeds to a feeds YAML file"
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(e.stderr, "dealwire feeds: %s\n\nUsage:\n  dealwire feeds list [--config FILE] [--nats URL] [--json]\n  dealwire feeds import [--out FILE] FILE.opml\n", summary)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	switch args[0] {
	case "list":
		return runFeedsList(ctx, e, args[1:])
	case "import":
		return runFeedsImport(e, args[1:])
	default:
		fmt.Fprintf(e.stderr, "dealwire feeds: unknown subcommand %q (want list or import)\n", args[0])
		return errUsage
	}
}

func runFeedsList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "feeds list", "list the configured feeds with the state the fetch stage keeps in NATS (last status, last success, errors, next poll)")
	cfgPath := fs.String("config", "", "configuration file (YAML); default $DEALWIRE_CONFIG")
	natsURL := fs.String("nats", "", "NATS server URL; default nats.url or $DEALWIRE_NATS_URL")
	asJSON := fs.Bool("json", false, "print the states as JSON lines")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	// The URL goes in before validation, which checks credentials against it.
	cfg, err := loadConfig(*cfgPath, func(c *config) {
		if *natsURL != "" {
			c.NATS.URL = *natsURL
		}
	})
	if err != nil {
		return err
	}
	var states []ingest.FeedState
	if cfg.NATS.URL == "" {
		fmt.Fprintln(e.stderr, "dealwire feeds list: no NATS URL (--nats or DEALWIRE_NATS_URL): showing the configured feeds without state")
	} else {
		nc, js, err := bus.Connect(ctx, cfg.NATS.URL, cfg.NATS, "dealwire-feeds", nil)
		if err != nil {
			return err
		}
		defer nc.Close()
		if states, err = ingest.ListFeedStates(ctx, js, cfg.Ingest.StateBucket); err != nil {
			return err
		}
	}
	rows := ingest.FeedStatuses(cfg.Ingest.Feeds, states)
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return fmt.Errorf("writing feeds: %w", err)
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATUS\tLAST SUCCESS\tERRORS\tNEXT POLL\tPUBLISHED\tURL\tLAST ERROR")
	for _, r := range rows {
		status := r.LastStatus
		if status == "" {
			status = "-"
		}
		if !r.Configured {
			status += " (not configured)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d\t%s\t%d\t%s\t%s\n", r.Name, status, ago(r.LastSuccess), r.ErrorCount, r.TotalErrors,
			until(r.NextPoll), r.Published, r.URL, truncate(r.LastError, 80))
	}
	return tw.Flush()
}

func ago(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return time.Since(t).Round(time.Second).String() + " ago"
}

func until(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	if d := time.Until(t); d > 0 {
		return "in " + d.Round(time.Second).String()
	}
	return "due"
}

func truncate(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func runFeedsImport(e *env, args []string) error {
	fs := newFlagSet(e, "feeds import", "add the feeds of an OPML file to a feeds YAML file, keeping its existing entries and comments")
	out := fs.String("out", "configs/feeds.yaml", "feeds YAML file to write (created if missing)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "dealwire feeds import: want exactly one OPML file")
		return errUsage
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("opening opml: %w", err)
	}
	defer f.Close()
	feeds, err := ingest.ParseOPML(f)
	if err != nil {
		return err
	}
	added, err := ingest.MergeFeeds(*out, feeds)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d feeds in %s, %d new, written to %s\n", len(feeds), fs.Arg(0), added, *out)
	return nil
}
