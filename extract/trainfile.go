package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// ReadGoldFiles reads labelled JSONL files in order and returns their
// documents and, per file, its name with its document count (for reports
// and the weights file's header).
func ReadGoldFiles(paths []string) ([]GoldDoc, []string, error) {
	var docs []GoldDoc
	var names []string
	for _, p := range paths {
		d, err := ReadGoldFile(p)
		if err != nil {
			return nil, nil, err
		}
		docs = append(docs, d...)
		names = append(names, fmt.Sprintf("%s (%d documents)", filepath.Base(p), len(d)))
	}
	return docs, names, nil
}

// HostFolds assigns each document the fold of its URL's host among n, so
// that an outlet's templates never sit on both sides of a split.
func HostFolds(docs []GoldDoc, n int) (func(GoldDoc) int, error) {
	if n < 2 {
		return nil, fmt.Errorf("folds: want 2 or more, got %d", n)
	}
	byID := map[string]int{}
	for _, g := range docs {
		u, err := url.Parse(g.URL)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("document %s: folds need a url with a host (got %q); use a gold file with urls, such as ../shared/realnews", g.ID, g.URL)
		}
		byID[g.ID] = Fold(u.Hostname(), n)
	}
	return func(g GoldDoc) int { return byID[g.ID] }, nil
}

// WriteFile writes the weights to path (whole, under a temporary name,
// then renamed over the old file) with a header naming the extractor
// version and the training data, sources (see [ReadGoldFiles]).
func (t *Trained) WriteFile(path string, sources []string) error {
	header := fmt.Sprintf("dealwire extractor decision model, %s\ntrained on %s\nregenerate: scripts/train\nformat: task <TAB> feature <TAB> one weight per class", Version, strings.Join(sources, ", "))
	var b bytes.Buffer
	if err := t.Write(&b, header); err != nil {
		return fmt.Errorf("writing weights: %w", err)
	}
	if err := os.WriteFile(path+".tmp", b.Bytes(), 0o666); err != nil {
		return fmt.Errorf("writing weights: %w", err)
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		return fmt.Errorf("replacing weights file %s: %w", path, err)
	}
	return nil
}

// EvalOptions says how [Evaluate] scores.
type EvalOptions struct {
	Folds   int       // cross-validate by host in this many folds; 0 scores the committed model
	Extra   []GoldDoc // added to every fold's training data, never scored
	Train   TrainOptions
	Verbose bool // list every miss and false positive per document
}

// Evaluate scores docs and writes the table to w: with the committed model
// when o.Folds is 0, else cross-validated by the host of each document's
// URL, each fold extracted by a model trained without it. Documents the
// extractor fails on are listed and make the error, so that a bug cannot
// pass as a lower score.
func Evaluate(w io.Writer, docs []GoldDoc, o EvalOptions) error {
	if len(docs) == 0 {
		return errors.New("gold file holds no documents")
	}
	var rep Report
	if o.Folds == 0 {
		rep = ScoreChecked(docs, ExtractChecked)
		fmt.Fprintf(w, "extractor %s, %d documents\n", Version, len(docs))
	} else {
		fold, err := HostFolds(docs, o.Folds)
		if err != nil {
			return fmt.Errorf("--%w", err)
		}
		if rep, err = CrossValidate(docs, o.Extra, o.Folds, fold, o.Train); err != nil {
			return err
		}
		fmt.Fprintf(w, "extractor %s, %d documents, %d folds by host, cross-validated (each fold scored by a model trained without it; +%d training-only documents)\n", Version, len(docs), o.Folds, len(o.Extra))
	}
	if err := WriteReport(w, rep, o.Verbose); err != nil {
		return err
	}
	if len(rep.Failed) > 0 {
		return fmt.Errorf("the extractor failed on %d documents; the first: %s", len(rep.Failed), rep.Failed[0])
	}
	return nil
}
