package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dealwire/dealwire/config"
	"github.com/dealwire/dealwire/extract"
	"github.com/dealwire/dealwire/ingest"
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

func runPage(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "page", "read one HTML page on stdin and print its main text and metadata as JSON (title, text, published, authors, canonical_url, lang)")
	pageURL := fs.String("url", "", "the page's address: resolves relative links and is the canonical URL when the page names none")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(e, "page: unexpected arguments %q; the page is read from stdin", fs.Args())
	}
	p, err := ingest.ParsePage(e.stdin, *pageURL)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return fmt.Errorf("writing page json: %w", err)
	}
	return nil
}

// runTrain fits the extractor's decision model on labelled JSONL files and
// writes the weights file that extract embeds.
func runTrain(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "train", "train the extractor's decision model on labelled JSONL files")
	var golds []string
	listFlag(fs, &golds, "gold", "labelled JSONL file to train on (repeat for several)")
	out := fs.String("out", "extract/model/weights.tsv", "weights file to write")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(golds) == 0 {
		return usageError(e, "train: at least one --gold is required")
	}
	docs, names, err := extract.ReadGoldFiles(golds)
	if err != nil {
		return err
	}
	opt := extract.TrainOptions{Progress: func(task string, epoch int, loss float64) {
		fmt.Fprintf(e.stderr, "training %s: epoch %d, mean loss %.4f\n", task, epoch, loss)
	}}
	m := extract.Train(docs, opt)
	if err := m.WriteFile(*out, names); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "trained on %d documents (%s): %d amount, %d power, %d name, %d share, %d round examples; wrote %s\n",
		len(docs), strings.Join(names, ", "), m.Examples["amount"], m.Examples["power"], m.Examples["name"], m.Examples["link"], m.Examples["round"], *out)
	return nil
}

// runEval scores the extractor against a labelled JSONL file and prints
// precision, recall and F1 per fact kind; -v adds every miss and false
// positive per document. With --folds N the score is cross-validated: the
// documents are split by the host of their URL into N folds, and each fold
// is extracted by a model trained on the other folds (plus --train-extra).
func runEval(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "eval", "score the extractor against a labeled JSONL file")
	gold := fs.String("gold", "", "labelled JSONL file (the devset format)")
	verbose := fs.Bool("v", false, "list misses and false positives per document")
	folds := fs.Int("folds", 0, "cross-validate by outlet in N folds (retrains the model per fold); 0 scores the committed model")
	var extra []string
	listFlag(fs, &extra, "train-extra", "labelled JSONL file added to every fold's training data, never scored (repeat for several; e.g. the devset)")
	epochs := fs.Int("epochs", 0, "training epochs per fold (0: the trainer's default)")
	l2 := fs.Float64("l2", 0, "L2 weight decay per fold (0: the trainer's default)")
	rate := fs.Float64("rate", 0, "AdaGrad learning rate per fold (0: the trainer's default)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *gold == "" {
		return usageError(e, "eval: --gold is required")
	}
	docs, err := extract.ReadGoldFile(*gold)
	if err != nil {
		return err
	}
	if len(docs) == 0 {
		return errors.New("gold file holds no documents")
	}
	if *folds == 0 {
		rep := extract.Score(docs, extract.Extract)
		fmt.Fprintf(e.stdout, "extractor %s, %d documents\n", extract.Version, len(docs))
		return extract.WriteReport(e.stdout, rep, *verbose)
	}
	more, _, err := extract.ReadGoldFiles(extra)
	if err != nil {
		return err
	}
	fold, err := extract.HostFolds(docs, *folds)
	if err != nil {
		return fmt.Errorf("--%w", err)
	}
	opt := extract.TrainOptions{Epochs: *epochs, L2: *l2, Rate: *rate}
	rep, err := extract.CrossValidate(docs, more, *folds, fold, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "extractor %s, %d documents, %d folds by host, cross-validated (each fold scored by a model trained without it; +%d training-only documents)\n", extract.Version, len(docs), *folds, len(more))
	return extract.WriteReport(e.stdout, rep, *verbose)
}
