package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/dealwire/dealwire/extract"
)

// runEval scores the extractor against a labelled JSONL file and prints
// precision, recall and F1 per fact kind; -v adds every miss and false
// positive per document.
func runEval(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "eval", "score the extractor against a labeled JSONL file")
	gold := fs.String("gold", "", "labelled JSONL file (the devset format)")
	verbose := fs.Bool("v", false, "list misses and false positives per document")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *gold == "" {
		fmt.Fprintln(e.stderr, "dealwire eval: --gold is required")
		return errUsage
	}
	f, err := os.Open(*gold)
	if err != nil {
		return fmt.Errorf("opening gold file: %w", err)
	}
	defer f.Close()
	docs, err := extract.ReadGold(f)
	if err != nil {
		return err
	}
	if len(docs) == 0 {
		return errors.New("gold file holds no documents")
	}
	rep := extract.Score(docs, extract.Extract)
	fmt.Fprintf(e.stdout, "extractor %s, %d documents\n", extract.Version, len(docs))
	return extract.WriteReport(e.stdout, rep, *verbose)
}
