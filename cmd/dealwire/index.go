package main

import (
	"context"

	"github.com/dealwire/dealwire/pipeline"
)

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
