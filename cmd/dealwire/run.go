package main

import (
	"context"

	"github.com/dealwire/dealwire/pipeline"
)

func runAll(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "run", "run every stage in one process: fetch, extract, index and the search API. "+
		"Without nats.url it embeds a NATS server (JetStream under the data directory); without "+
		"elasticsearch.urls it uses the embedded SQLite index.")
	fs.String("config", "", "configuration file (YAML, see configs/dealwire.yaml); default $DEALWIRE_CONFIG, else built-in defaults")
	var feeds []string
	listFlag(fs, &feeds, "feed", "feed URL to poll, repeatable; replaces the configured feed list (a local feed's host is let through the private-address guard)")
	fs.String("data-dir", "", "data directory for the embedded NATS store and SQLite index (default ./data)")
	fs.String("http-addr", "", "listen address of the search API (default 127.0.0.1:8080)")
	useSample := fs.Bool("sample", false, "poll only the bundled sample: fictional articles of seven made-up outlets, served from inside the process on 127.0.0.1 (no network needed)")
	cfg, err := parseConfig(fs, args)
	if err != nil {
		return err
	}
	if *useSample && len(feeds) > 0 {
		return usageError(e, "run: --sample and --feed exclude each other")
	}
	return pipeline.RunAll(ctx, cfg, pipeline.RunOptions{Feeds: feeds, Sample: *useSample})
}
