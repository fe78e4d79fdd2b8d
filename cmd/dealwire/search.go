package main

import (
	"context"
	"os"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/pipeline"
)

func runSearch(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "search [flags] [QUERY]", "search the configured index (SQLite, or Elasticsearch when elasticsearch.urls is set) "+
		"and print a table or JSON; QUERY is full text: words and \"phrases\" must occur, -word excludes")
	configFlag(fs)
	asJSON := fs.Bool("json", false, "print the result as JSON (hits with whole records, next cursor, facets)")
	facets := fs.Bool("facets", false, "also count investors, rounds, currencies, sources and months")
	query := index.AddFlags(fs, nil)
	cfg, err := parseConfig(fs, args)
	if err != nil {
		return err
	}
	v := query()
	if *facets {
		v.Set("facets", "true")
	}
	q, err := index.ParseQuery(v, cfg.Search)
	if err != nil {
		return usageError(e, "search: %v", err)
	}
	logger := cfg.NewLogger(os.Stderr).With("command", "search")
	store, err := pipeline.OpenStore(ctx, cfg, logger, nil)
	if err != nil {
		return err
	}
	defer pipeline.CloseStore(store, logger)
	res, err := store.Search(ctx, q)
	if err != nil {
		return err
	}
	return index.WriteResult(e.stdout, res, *asJSON)
}
