package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/dealwire/dealwire/extract"
)

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
