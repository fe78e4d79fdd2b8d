package extract

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSpanKey checks the allocation-free name key against normName, which
// it must equal on every text: on a table of edge cases and on every run
// of up to six tokens of the project's own articles and labelled sentences.
func TestSpanKey(t *testing.T) {
	v := loadVocab()
	texts := []string{
		"Acme raised money", "Acme Ltd", "Acme Holdings Ltd.", "ACME  Labs", "Ltd", "O'Neil Capital",
		"Société Générale", "8VC", "a16z Crypto", "Acme, Inc", "Acme-Beta Labs", "Acme\tLabs", " Acme ",
	}
	files, err := filepath.Glob("testdata/articles/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	gold, err := ReadGoldFile("testdata/general.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gold {
		texts = append(texts, g.Text)
	}
	n := 0
	for _, text := range texts {
		d := newDoc(text, v)
		for s := range d.toks {
			for e := s + 1; e <= len(d.toks) && e <= s+6; e++ {
				want := normName(v, d.nameText(nameRef{s: s, e: e}))
				if got := d.spanKey(s, e); got != want {
					t.Errorf("spanKey(%q) = %q, normName gives %q", d.nameText(nameRef{s: s, e: e}), got, want)
				}
				n++
			}
		}
		d.release()
	}
	if n < 10000 {
		t.Fatalf("compared %d token runs, want at least 10000", n)
	}
}
