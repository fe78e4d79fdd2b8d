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

func runIndex(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "reindex" {
		return runReindex(ctx, e, args[1:])
	}
	fs := newFlagSet(e, "index", "run the index stage against an external NATS: consume the RECORDS and DEALS streams and bulk-write to the index, "+
		"acking each message only after its item is stored. 'dealwire index reindex --help' describes rebuilding the index")
	configFlag(fs)
	cfg, err := parseConfig(fs, args)
	if err != nil {
		return err
	}
	return pipeline.Index(ctx, cfg)
}

func runReindex(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "index reindex", "rebuild the index: replay every record of the RECORDS stream and every resolved deal into it (--from stream), "+
		"or copy Elasticsearch's previous concrete index into the one of the current mapping and switch the alias (--from index)")
	configFlag(fs)
	from := fs.String("from", "stream", "where to rebuild from: stream or index")
	batch := fs.Int("batch", 500, "records per bulk write")
	cfg, err := parseConfig(fs, args)
	if err != nil {
		return err
	}
	if *from != "stream" && *from != "index" {
		return usageError(e, "index reindex: --from %q: want stream or index", *from)
	}
	return pipeline.Reindex(ctx, cfg, e.stdout, *from == "index", *batch)
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "serve", "serve the search API (GET /api/search, GET /api/articles/{id}) and the web search page from the configured index")
	configFlag(fs)
	fs.String("http-addr", "", "listen address (default 127.0.0.1:8080)")
	cfg, err := parseConfig(fs, args)
	if err != nil {
		return err
	}
	return pipeline.Serve(ctx, cfg)
}
