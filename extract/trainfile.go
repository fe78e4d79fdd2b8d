package extract

import (
	"bytes"
	"fmt"
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
