package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/dealwire/dealwire/export"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/pipeline"
)

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "export [flags] [QUERY]", "export the resolved deals a search matches as CSV, NDJSON or Parquet: one row per deal, "+
		"per investor participation or per reported amount, with sources, evidence, FX and confidence (columns: README, Exports); QUERY is full text like dealwire search")
	configFlag(fs)
	format := fs.String("format", "csv", "csv, ndjson or parquet")
	rows := fs.String("rows", "deals", "deals (one row per deal), investors (per investor participation) or amounts (per amount a source reported)")
	output := fs.String("o", "", "write to this file instead of standard output (written under a temporary name, renamed when complete)")
	query := index.AddFlags(fs, map[string]string{"sort": "date (default, newest first), amount (largest first) or relevance"},
		"size", "after") // the export pages by itself
	cfg, err := parseConfig(fs, args)
	if err != nil {
		return err
	}
	f, err := export.ParseFormat(*format)
	if err == nil {
		_, err = export.ParseRows(*rows)
	}
	if err != nil {
		return usageError(e, "export: %v", err)
	}
	q, err := index.ParseQuery(query(), cfg.Search)
	if err != nil {
		return usageError(e, "export: %v", err)
	}
	if *output == "" && f == export.FormatParquet && export.IsTerminal(e.stdout) {
		return usageError(e, "export: parquet is binary: write it to a file with -o FILE or redirect standard output")
	}
	rates, err := cfg.FXTable()
	if err != nil {
		return err
	}
	export.TuneCollector()
	logger := cfg.NewLogger(os.Stderr).With("command", "export")
	cfg.SQLite.Unmapped = true // read once, every page: keep them out of the resident set
	store, err := pipeline.OpenStore(ctx, cfg, logger, nil)
	if err != nil {
		return err
	}
	defer pipeline.CloseStore(store, logger)
	// A page may wait long on a busy machine; the export as a whole ends
	// with ctx (Ctrl-C).
	opt := export.Options{Format: f, Rows: export.Rows(*rows), Query: q, Rates: rates, PageTimeout: 5 * time.Minute}
	if err := export.Run(ctx, store, opt, *output, e.stdout, e.stderr); err != nil {
		return fmt.Errorf("exporting %s: %w", *rows, err)
	}
	return nil
}
