package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/dealwire/dealwire/news"
)

// doc is one labelled document of the corpus: the fields of a realnews line
// that the run uses. Deals are in the devset schema, which is [news.Deal]'s.
type doc struct {
	ID    string      `json:"id"`
	URL   string      `json:"url"`
	Title string      `json:"title"`
	Text  string      `json:"text"`
	Deals []news.Deal `json:"deals"`
}

// readCorpus reads the corpus JSONL file. Ids must be unique: pages and
// records are mapped back to documents by them.
func readCorpus(path string) ([]doc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening corpus: %w", err)
	}
	defer f.Close()
	var docs []doc
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var d doc
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			return nil, fmt.Errorf("reading corpus line %d: %w", n, err)
		}
		if d.ID == "" || seen[d.ID] {
			return nil, fmt.Errorf("reading corpus line %d: id %q empty or repeated", n, d.ID)
		}
		seen[d.ID] = true
		docs = append(docs, d)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading corpus: %w", err)
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
