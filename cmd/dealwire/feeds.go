package main

import (
	"context"
	"fmt"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/ingest"
)

var runFeeds = group("feeds", "feeds list: show each feed with its last status, last success and error count; feeds import FILE.opml: add an OPML file's feeds to a feeds YAML file",
	"  dealwire feeds list [--config FILE] [--nats URL] [--json]\n  dealwire feeds import [--out FILE] FILE.opml\n",
	"list or import", map[string]runFunc{"list": runFeedsList, "import": runFeedsImport})

func runFeedsList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "feeds list", "list the configured feeds with the state the fetch stage keeps in NATS (last status, last success, errors, next poll)")
	configFlag(fs)
	fs.String("nats", "", "NATS server URL; default nats.url or $DEALWIRE_NATS_URL")
	asJSON := fs.Bool("json", false, "print the states as JSON lines")
	cfg, err := parseConfig(fs, args)
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
	return ingest.WriteStatuses(e.stdout, ingest.FeedStatuses(cfg.Ingest.Feeds, states), *asJSON)
}

func runFeedsImport(_ context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "feeds import", "add the feeds of an OPML file to a feeds YAML file, keeping its existing entries and comments")
	out := fs.String("out", "configs/feeds.yaml", "feeds YAML file to write (created if missing)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError(e, "feeds import: want exactly one OPML file")
	}
	found, added, err := ingest.ImportOPML(fs.Arg(0), *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d feeds in %s, %d new, written to %s\n", found, fs.Arg(0), added, *out)
	return nil
}
