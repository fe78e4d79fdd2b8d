package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
		fmt.Fprintln(e.stderr, "dealwire train: at least one --gold is required")
		return errUsage
	}
	var docs []extract.GoldDoc
	var names []string
	for _, g := range golds {
		d, err := extract.ReadGoldFile(g)
		if err != nil {
			return err
		}
		docs = append(docs, d...)
		names = append(names, fmt.Sprintf("%s (%d documents)", filepath.Base(g), len(d)))
	}
	opt := extract.TrainOptions{Progress: func(task string, epoch int, loss float64) {
		fmt.Fprintf(e.stderr, "training %s: epoch %d, mean loss %.4f\n", task, epoch, loss)
	}}
	m := extract.Train(docs, opt)
	tmp := *out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("creating weights file: %w", err)
	}
	header := fmt.Sprintf("dealwire extractor decision model, %s\ntrained on %s\nregenerate: scripts/train\nformat: task <TAB> feature <TAB> one weight per class", extract.Version, strings.Join(names, ", "))
	if err := m.Write(f, header); err != nil {
		f.Close()
		return fmt.Errorf("writing weights: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing weights: %w", err)
	}
	if err := os.Rename(tmp, *out); err != nil {
		return fmt.Errorf("replacing weights file: %w", err)
	}
	fmt.Fprintf(e.stdout, "trained on %d documents (%s): %d amount, %d power, %d name, %d share, %d round examples; wrote %s\n",
		len(docs), strings.Join(names, ", "), m.Examples["amount"], m.Examples["power"], m.Examples["name"], m.Examples["link"], m.Examples["round"], *out)
	return nil
}
