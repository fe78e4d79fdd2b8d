package extract

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/dealwire/dealwire/news"
)

// jsonlIn is one input line of [JSONL].
type jsonlIn struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Title string `json:"title"`
}

// jsonlOut is one output line of [JSONL]. OffsetsInto says which
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

// JSONL is "dealwire extract --jsonl", the contract evaluators use: it
// reads lines {"id", "text", "title"} from r and writes one result line per
// input line to w, flushed at once, in order. A title the text does not
// start with is put in front of it (the line says so in offsets_into). A
// malformed line gives a line with "error" and the stream goes on.
func JSONL(ctx context.Context, r io.Reader, w io.Writer) error {
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
		out := jsonlOut{ExtractorVersion: Version}
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
			x := Extract(text)
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
