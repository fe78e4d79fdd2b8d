package main

import (
	"context"

	"github.com/dealwire/dealwire/pipeline"
)

func runFetch(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "fetch", "run the fetch stage against an external NATS: poll the configured feeds, fetch article pages, publish articles to the ARTICLES stream")
	configFlag(fs)
	var feeds []string
	listFlag(fs, &feeds, "feed", "feed URL to poll, repeatable; replaces the configured feed list (default: the configured feeds, else the shipped configs/feeds.yaml)")
	once := fs.Bool("once", false, "poll every feed once, wait for every article's PubAck, then exit")
	cfg, err := parseConfig(fs, args)
	if err != nil {
		return err
	}
	return pipeline.Fetch(ctx, cfg, feeds, *once)
}
