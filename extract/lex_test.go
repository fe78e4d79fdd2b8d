package extract

import (
	"slices"
	"testing"
)

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

// TestSnapshotIsOwn: a doubtful deal's snapshot keeps its lists when the
// deal it was taken from loses members (deleted in place).
// TestFlagsAreSpace: a flag emoji is read as space, so that the words
// and commas around it keep their order and nothing of the flag remains;
// other emoji stay punctuation.
func TestFlagsAreSpace(t *testing.T) {
	text := "Alder Lake 🇺🇸, Brook 🇧🇷🇵🇹 and Cobalt 💸"
	var got []string
	for _, tk := range lex(text) {
		got = append(got, text[tk.start:tk.end])
	}
	want := []string{"Alder", "Lake", ",", "Brook", "and", "Cobalt", "💸"}
	if !slices.Equal(got, want) {
		t.Errorf("tokens of %q = %q, want %q", text, got, want)
	}
	for i, tk := range lex(text) {
		if i == 2 && !tk.gap {
			t.Errorf("the comma after a flag has no gap before it")
		}
	}
}

func TestSnapshotIsOwn(t *testing.T) {
	db := &dealB{vals: []int{1, 2}, investors: []investorB{{key: "a"}, {key: "b"}}, capacity: []powerHit{{ti: 3, tj: 5}, {ti: 7, tj: 9}}, invIdx: map[invKey]int{{name: "a"}: 0}}
	s := db.snapshot()
	db.vals = slices.DeleteFunc(db.vals, func(v int) bool { return v == 1 })
	db.investors = slices.DeleteFunc(db.investors, func(iv investorB) bool { return iv.key == "a" })
	db.capacity = slices.DeleteFunc(db.capacity, func(p powerHit) bool { return p.ti == 3 })
	db.invIdx[invKey{name: "b"}] = 1
	if len(s.vals) != 2 || s.vals[1] != 2 || len(s.investors) != 2 || s.investors[1].key != "b" ||
		len(s.capacity) != 2 || s.capacity[1].tj != 9 || len(s.invIdx) != 1 {
		t.Errorf("snapshot changed with its deal: %+v", s)
	}
}
