package ingest_test

// The text part of the bad-input catalogue: ten megabytes of digits and
// currency signs taken through page parsing and then the extractor, the way
// the pipeline takes them. This file sits in the external test package: the
// ingest package itself never imports extract.

import (
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dealwire/dealwire/extract"
	"github.com/dealwire/dealwire/ingest"
	"github.com/dealwire/dealwire/news"
)

// allocatedBytes returns the bytes the process allocated while f ran.
func allocatedBytes(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// checkSpans fails t when a figure's span is out of text or does not hold
// its text.
func checkSpans(t *testing.T, text string, figs []news.Figure) {
	t.Helper()
	for _, f := range figs {
		if f.Span.Start < 0 || f.Span.End > len(text) || f.Span.Start > f.Span.End || text[f.Span.Start:f.Span.End] != f.Text {
			t.Fatalf("figure %q has span %v outside or off the text", f.Text, f.Span)
		}
	}
}

func TestHostileText(t *testing.T) {
	const size = 10 << 20
	fill := func(unit string) string { return strings.Repeat(unit, size/len(unit)+1)[:size] }
	tests := []struct {
		name string
		text string
		// maxAlloc bounds what parsing the page and extracting from its
		// text allocate together.
		maxAlloc uint64
	}{
		{"digits", fill("1234567890"), 512 << 20},
		{"currency signs", fill("$€£¥₹₩"), 512 << 20},
		{"amounts", fill("$1 €2bn £3.5m ¥4,000 "), 512 << 20},
		{"digits and signs run together", fill("9$9€9£9¥9.9,9"), 512 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := "<html><head><title>Figures</title></head><body><article><p>" + tt.text + "</p></article></body></html>"
			var p ingest.Page
			var out news.Extraction
			var err error
			alloc := allocatedBytes(func() {
				p, err = ingest.ParsePage(strings.NewReader(page), "https://example.com/figures")
				if err == nil {
					out, err = extract.ExtractChecked(p.Text)
				}
			})
			if err != nil {
				t.Fatalf("parsing and extracting: %v", err)
			}
			// The page's text is cut to a prefix of the input, well under the
			// ten megabytes and valid UTF-8 even where the cut fell.
			if len(p.Text) > 256<<10 || len(p.Text) < 64<<10 || !utf8.ValidString(p.Text) {
				t.Errorf("page text of %d bytes (valid UTF-8: %v), want a valid prefix of 64 to 256 KiB", len(p.Text), utf8.ValidString(p.Text))
			}
			if !strings.HasPrefix(tt.text, strings.TrimSpace(p.Text)[:32]) {
				t.Errorf("page text starts %q, not with the input", p.Text[:32])
			}
			checkSpans(t, p.Text, out.OtherAmounts)
			checkSpans(t, p.Text, out.PriorAmounts)
			if alloc > tt.maxAlloc {
				t.Errorf("allocated %d MiB, bound %d MiB", alloc>>20, tt.maxAlloc>>20)
			}
			t.Logf("text %d KiB, %d deals, %d other amounts, allocated %d MiB", len(p.Text)>>10, len(out.Deals), len(out.OtherAmounts), alloc>>20)
		})
	}

	// The shape the extractor reads in linear time also goes in whole, as
	// `dealwire extract` would pass it; the shapes with many figures do not
	// (see the README's safety section).
	digits := fill("1234567890")
	var out news.Extraction
	var err error
	alloc := allocatedBytes(func() { out, err = extract.ExtractChecked(digits) })
	if err != nil {
		t.Fatalf("extracting ten megabytes of digits: %v", err)
	}
	if len(out.Deals) != 0 {
		t.Errorf("%d deals in a run of digits", len(out.Deals))
	}
	checkSpans(t, digits, out.OtherAmounts)
	if alloc > 256<<20 {
		t.Errorf("extracting ten megabytes of digits allocated %d MiB, bound 256 MiB", alloc>>20)
	}
}
