package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/term"

	"github.com/dealwire/dealwire/export"
	"github.com/dealwire/dealwire/index"
)

func runExport(ctx context.Context, e *env, args []string) error {
	const summary = "export the resolved deals a search matches as CSV, NDJSON or Parquet: one row per deal, per investor participation or per reported amount, with sources, evidence, FX and confidence (columns: README, Exports); QUERY is full text like dealwire search"
	fs := newFlagSet(e, "export [flags] [QUERY]", summary)
	cfgPath := fs.String("config", "", "configuration file (YAML); default $DEALWIRE_CONFIG")
	format := fs.String("format", "csv", "csv, ndjson or parquet")
	rows := fs.String("rows", "deals", "deals (one row per deal), investors (per investor participation) or amounts (per amount a source reported)")
	output := fs.String("o", "", "write to this file instead of standard output (written under a temporary name, renamed when complete)")
	query := addSearchFlags(fs, map[string]string{"sort": "date (default, newest first), amount (largest first) or relevance"},
		"size", "after") // the export pages by itself
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	v := query()
	f, err := export.ParseFormat(*format)
	if err == nil {
		_, err = export.ParseRows(*rows)
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "dealwire export:", err)
		return errUsage
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	q, err := index.ParseQuery(v, cfg.Search)
	if err != nil {
		fmt.Fprintln(e.stderr, "dealwire export:", err)
		return errUsage
	}
	if *output == "" && f == export.FormatParquet && isTerminal(e.stdout) {
		fmt.Fprintln(e.stderr, "dealwire export: parquet is binary: write it to a file with -o FILE or redirect standard output")
		return errUsage
	}
	rates, err := cfg.fxTable()
	if err != nil {
		return err
	}

	logger := newLogger(cfg, os.Stderr).With("command", "export")
	store, err := openStore(ctx, cfg, logger, prometheus.NewRegistry())
	if err != nil {
		return err
	}
	defer closeStore(store, logger)

	out, commit, abort, err := exportOutput(e.stdout, *output)
	if err != nil {
		return err
	}
	// A page may wait long on a busy machine; the export as a whole ends
	// with ctx (Ctrl-C).
	opt := export.Options{Format: f, Rows: export.Rows(*rows), Query: q, Rates: rates, PageTimeout: 5 * time.Minute}
	// The bar redraws one line of standard error: only on a terminal, and
	// not over rows going to the same terminal.
	var bar *export.Bar
	if isTerminal(e.stderr) && (*output != "" || !isTerminal(e.stdout)) {
		bar = &export.Bar{W: e.stderr}
		opt.Progress = bar.Update
	}
	p, err := export.Export(ctx, out, store, opt)
	if bar != nil {
		bar.Clear()
	}
	if err == nil {
		err = commit()
	} else {
		abort()
	}
	if err != nil {
		return fmt.Errorf("exporting %s: %w", *rows, err)
	}
	fmt.Fprintln(e.stderr, p.String())
	return nil
}

// exportOutput returns where the export writes: standard output, or a
// temporary file beside path that commit renames to path and abort removes,
// so that a failed export leaves no truncated file behind.
func exportOutput(stdout io.Writer, path string) (w io.Writer, commit func() error, abort func(), err error) {
	if path == "" {
		return stdout, func() error { return nil }, func() {}, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, nil, nil, fmt.Errorf("creating the output file: %w", err)
	}
	commit = func() error {
		if err := tmp.Sync(); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return fmt.Errorf("writing %s: %w", path, err)
		}
		if err := tmp.Close(); err != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("writing %s: %w", path, err)
		}
		if err := os.Rename(tmp.Name(), path); err != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("writing %s: %w", path, err)
		}
		return nil
	}
	abort = func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}
	return tmp, commit, abort, nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
