package extract

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/dealwire/dealwire/news"
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

// TestMagnitude checks the digit count of a value's integer part against
// its plain notation, which the feature was first computed from.
func TestMagnitude(t *testing.T) {
	for _, v := range []news.Decimal{
		{}, {Coef: 5}, {Coef: 5, Exp: -1}, {Coef: 15, Exp: -1}, {Coef: 12, Exp: 8}, {Coef: 1250, Exp: -3},
		{Coef: -3, Exp: 2}, {Coef: -35, Exp: -1}, {Coef: 7, Exp: -5}, {Coef: 1000, Exp: -3}, {Coef: 110, Exp: 9},
		{Coef: math.MaxInt64}, {Coef: math.MinInt64}, {Coef: 999, Exp: -2},
	} {
		want := 0
		for _, r := range v.String() {
			if r == '.' {
				break
			}
			if r >= '0' && r <= '9' {
				want++
			}
		}
		if got := magnitude(v); got != want {
			t.Errorf("magnitude(%s) = %d, want %d", v, got, want)
		}
	}
}

// TestTemplatePrefixes checks that features hashed from a remembered
// template prefix equal featHash and featHash2, also when templates share
// a slot of the memo or are built at run time.
func TestTemplatePrefixes(t *testing.T) {
	var pre tmplHashes
	plain, memo := featSet{}, featSet{pre: &pre}
	tmpls := []string{"w-1", "w+1", "wl", "wr", "cue_l", "rule_company", "first_name1", "", "x"}
	for i := range 300 {
		tmpls = append(tmpls, "t"+strconv.Itoa(i)) // more templates than slots
	}
	for round := range 2 {
		for _, tm := range tmpls {
			for _, v := range []string{"", "led", "by", "<s>", "1"} {
				plain.add(tm, v)
				memo.add(tm, v)
				plain.add2(tm, v, "series")
				memo.add2(tm, v, "series")
			}
		}
		if !slices.Equal(plain.h, memo.h) {
			t.Fatalf("round %d: hashes from remembered prefixes differ from featHash", round)
		}
	}
	if plain.h[0] != featHash("w-1", "") || plain.h[1] != featHash2("w-1", "", "series") {
		t.Fatal("featSet.add does not hash as featHash")
	}
}
