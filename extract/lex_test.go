package extract

import "testing"

// TestWrappedLines: a line break inside a sentence (hard-wrapped text) is a
// space; one that ends a heading, a sentence or a paragraph stays a break.
func TestWrappedLines(t *testing.T) {
	for _, c := range []struct {
		text string
		brk  bool
	}{
		{"at a valuation of $9\nbillion", false},
		{"led by Acme,\nwith Beta", false},
		{"raised in\n2024 from", false},
		{"Acme raises $5 million\nThe company", true}, // a headline above its text
		{"the round closed.\nit was", true},
		{"the round closed\n\nin May", true}, // a paragraph
		{"Amount:\n5 million", true},
		{"Investors\n• Acme", true},
		{"\nacme", true},
		{"acme\n", true},
	} {
		got := false
		for _, tk := range lex(c.text) {
			got = got || tk.kind == tkNewline
		}
		if got != c.brk {
			t.Errorf("%q: line break kept %v, want %v", c.text, got, c.brk)
		}
	}
	// The wrapped figure reads as one amount.
	d := newDoc("Acme is in talks to raise $2 billion at a valuation of $9\nbillion.", loadVocab())
	defer d.release()
	amts, _ := d.scan()
	if len(amts) != 2 || amts[1].h.value.Float64() != 9e9 {
		t.Errorf("amounts of a wrapped line: %+v, want $2 billion and $9 billion", amts)
	}
}
