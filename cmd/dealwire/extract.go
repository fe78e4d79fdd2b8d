package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/dealwire/dealwire/extract"
	"github.com/dealwire/dealwire/news"
)

// runExtract prints the deal facts of the text on stdin, or with --jsonl
// extracts one result line per input line, or with --stage runs the
// pipeline's extract stage.
func runExtract(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "extract", "extract deal facts from text on stdin (or run the extract stage with --stage)")
	jsonl := fs.Bool("jsonl", false, `read {"id","text","title"} lines and write one result line each, in order`)
	stage := fs.Bool("stage", false, "run the extract stage of the pipeline (consume ARTICLES, publish RECORDS)")
	config := fs.String("config", "", "configuration file for --stage")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *stage {
		return runExtractStage(ctx, e, *config)
	}
	if *jsonl {
		return extractJSONL(ctx, e.stdin, e.stdout)
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

// jsonlIn is one input line of extract --jsonl.
type jsonlIn struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Title string `json:"title"`
}

// jsonlOut is one output line of extract --jsonl. OffsetsInto says which
// string the spans point into when the title was prepended to the text.
type jsonlOut struct {
	ID               string        `json:"id"`
	Deals            []news.Deal   `json:"deals"`
	PriorAmounts     []news.Figure `json:"prior_amounts"`
	OtherAmounts     []news.Figure `json:"other_amounts"`
	OffsetsInto      string        `json:"offsets_into,omitempty"`
	ExtractorVersion string        `json:"extractor_version"`
	Error            string        `json:"error,omitempty"`
}

// extractJSONL streams: each input line gives one output line, flushed at
// once; a malformed line gives a line with "error" and the stream goes on.
func extractJSONL(ctx context.Context, r io.Reader, w io.Writer) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for n := 1; sc.Scan(); n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var in jsonlIn
		out := jsonlOut{ExtractorVersion: extract.Version}
		if err := json.Unmarshal([]byte(line), &in); err != nil {
			out.Error = fmt.Sprintf("line %d: decoding input: %v", n, err)
			out.Deals, out.PriorAmounts, out.OtherAmounts = []news.Deal{}, []news.Figure{}, []news.Figure{}
		} else {
			out.ID = in.ID
			text := in.Text
			if t := strings.TrimSpace(in.Title); t != "" && !strings.HasPrefix(strings.TrimSpace(text), t) {
				text = t + "\n" + text
				out.OffsetsInto = "title+\"\\n\"+text"
			}
			x := extract.Extract(text)
			out.Deals, out.PriorAmounts, out.OtherAmounts = x.Deals, x.PriorAmounts, x.OtherAmounts
		}
		if err := enc.Encode(out); err != nil {
			return fmt.Errorf("writing result line %d: %w", n, err)
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("writing result line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading stdin: %w", err)
	}
	return nil
}
