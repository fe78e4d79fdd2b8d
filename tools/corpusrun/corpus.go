package main

import (
	"fmt"
	"strings"

	"github.com/dealwire/dealwire/extract"
)

// doc is one labelled document of the corpus, in the devset schema.
type doc struct{ extract.GoldDoc }

// readCorpus reads the corpus JSONL file. Ids must be unique: pages and
// records are mapped back to documents by them.
func readCorpus(path string) ([]doc, error) {
	gold, err := extract.ReadGoldFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading corpus: %w", err)
	}
	seen := map[string]bool{}
	docs := make([]doc, 0, len(gold))
	for n, g := range gold {
		if g.ID == "" || seen[g.ID] {
			return nil, fmt.Errorf("reading corpus document %d: id %q empty or repeated", n+1, g.ID)
		}
		seen[g.ID] = true
		docs = append(docs, doc{g})
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("reading corpus %s: no documents", path)
	}
	return docs, nil
}

// paragraphs are the document's non-empty lines, trimmed: one HTML
// paragraph each.
func (d doc) paragraphs() []string {
	var out []string
	for _, l := range strings.Split(d.Text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// headline is the feed item's and the page's title: the document's title,
// else its first line (the corpus leaves title empty unless the headline is
// part of the text).
func (d doc) headline() string {
	if t := strings.TrimSpace(d.Title); t != "" {
		return t
	}
	if p := d.paragraphs(); len(p) > 0 {
		return p[0]
	}
	return d.ID
}
