package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/dealwire/dealwire/extract"
)

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
		fmt.Fprintln(e.stderr, "dealwire eval: --gold is required")
		return errUsage
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
	var more []extract.GoldDoc
	for _, p := range extra {
		m, err := extract.ReadGoldFile(p)
		if err != nil {
			return err
		}
		more = append(more, m...)
	}
	fold, err := hostFolds(docs, *folds)
	if err != nil {
		return err
	}
	opt := extract.TrainOptions{Epochs: *epochs, L2: *l2, Rate: *rate}
	rep, err := extract.CrossValidate(docs, more, *folds, fold, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "extractor %s, %d documents, %d folds by host, cross-validated (each fold scored by a model trained without it; +%d training-only documents)\n", extract.Version, len(docs), *folds, len(more))
	return extract.WriteReport(e.stdout, rep, *verbose)
}

// hostFolds assigns each document the fold of its URL's host, so that an
// outlet's templates never sit on both sides of a split.
func hostFolds(docs []extract.GoldDoc, n int) (func(extract.GoldDoc) int, error) {
	if n < 2 {
		return nil, fmt.Errorf("--folds: want 2 or more, got %d", n)
	}
	byID := map[string]int{}
	for _, g := range docs {
		u, err := url.Parse(g.URL)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("document %s: folds need a url with a host (got %q); use a gold file with urls, such as ../shared/realnews", g.ID, g.URL)
		}
		byID[g.ID] = extract.Fold(u.Hostname(), n)
	}
	return func(g extract.GoldDoc) int { return byID[g.ID] }, nil
}
