package main

import (
	"context"

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
	seed := fs.Uint64("seed", 0, "order of the training examples per fold (0: the trainer's default); the table moves by about 0.005 with it, so compare changes over several")
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
	more, _, err := extract.ReadGoldFiles(extra)
	if err != nil {
		return err
	}
	opt := extract.TrainOptions{Epochs: *epochs, L2: *l2, Rate: *rate, Seed: *seed}
	return extract.Evaluate(e.stdout, docs, extract.EvalOptions{Folds: *folds, Extra: more, Train: opt, Verbose: *verbose})
}
