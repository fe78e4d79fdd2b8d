package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/dealwire/dealwire/config"
	"github.com/dealwire/dealwire/extract"
	"github.com/dealwire/dealwire/pipeline"
)

func runExtract(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "extract", "extract deal facts from text on stdin (or run the extract stage with --stage)")
	jsonl := fs.Bool("jsonl", false, `read {"id","text","title"} lines and write one result line each, in order`)
	stage := fs.Bool("stage", false, "run the extract stage of the pipeline (consume ARTICLES, publish RECORDS)")
	cfgPath := fs.String("config", "", "configuration file for --stage")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *stage {
		cfg, err := config.Load(*cfgPath)
		if err != nil {
			return err
		}
		return pipeline.Extract(ctx, cfg) // consume ARTICLES, publish RECORDS and DEALS
	}
	if *jsonl {
		return extract.JSONL(ctx, e.stdin, e.stdout)
	}
	b, err := io.ReadAll(e.stdin)
	if err != nil {
		return fmt.Errorf("reading stdin: %w", err)
	}
	out, err := json.MarshalIndent(extract.Extract(string(b)), "", "  ")
	if err != nil {
		return fmt.Errorf("encoding result: %w", err)
	}
	_, err = fmt.Fprintf(e.stdout, "%s\n", out)
	return err
}
