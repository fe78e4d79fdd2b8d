package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/dealwire/dealwire/ingest"
)

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
