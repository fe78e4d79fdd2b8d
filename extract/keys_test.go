package extract

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/dealwire/dealwire/news"
)

// TestValKeyAsText: two amounts share a valID exactly when their currency
// and decimal text are the same, as the text keys it replaced did.
func TestValKeyAsText(t *testing.T) {
	var hits []moneyHit
	for _, cur := range []string{"USD", "EUR"} {
		for _, coef := range []int64{0, 1, 5, 10, 15, 150, 1500, -15, -150, 105, 1050} {
			for exp := int32(-4); exp <= 3; exp++ {
				hits = append(hits, moneyHit{currency: cur, value: news.Decimal{Coef: coef, Exp: exp}})
			}
		}
	}
	for _, a := range hits {
		for _, b := range hits {
			text := a.currency+" "+a.value.String() == b.currency+" "+b.value.String()
			if id := valKey(a) == valKey(b); id != text {
				t.Fatalf("%s %s and %s %s: same valID %v, same text %v", a.currency, a.value, b.currency, b.value, id, text)
			}
		}
	}
}

// TestNormNameArena: keys written into a doc's arena equal the keys built
// alone, and stay unchanged while later keys fill and replace the chunks.
func TestNormNameArena(t *testing.T) {
	v := loadVocab()
	d := newDoc("Harwick Motor", v)
	defer d.release()
	names := []string{"Harwick Motor Group Ltd", "ÉLAN Capital, S.A.", "İstanbul Ventures", "  a16z  ", "", "Ωmega", "O'Neil & Co.",
		strings.Repeat("Long Name ", 200)}
	var got, want []string
	for i := range 3000 {
		n := names[i%len(names)]
		got = append(got, d.normName(n))
		want = append(want, normName(v, n))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("key %d of %q: arena %q, alone %q", i, names[i%len(names)], got[i], want[i])
		}
	}
}

// TestWordShapeTable: the shapes read from the table are the shapes built
// letter by letter.
func TestWordShapeTable(t *testing.T) {
	built := func(s string) string {
		var b []byte
		last := byte(0)
		for _, r := range s {
			c := byte('-')
			switch {
			case unicode.IsUpper(r):
				c = 'X'
			case unicode.IsLower(r):
				c = 'x'
			case unicode.IsDigit(r):
				c = '9'
			}
			if c != last && len(b) < 4 {
				b = append(b, c)
			}
			last = c
		}
		return string(b)
	}
	words := []string{"", "a", "A", "Ab", "AB", "a16z", "X-9x", "Ölfeld", "3M", "x1-Y2z", "--", "Series-B2", "ÉLAN", "9", "\xffAb", "A\xc3", "٣x", "Ⅻb"}
	v := loadVocab()
	for _, text := range ownTexts(t) {
		d := newDoc(text, v)
		for i := range d.toks {
			words = append(words, d.tx(i))
		}
		d.release()
	}
	for _, w := range words {
		if got, want := wordShape(w), built(w); got != want {
			t.Errorf("wordShape(%q) = %q, want %q", w, got, want)
		}
	}
}

// TestConcurrentExtract: texts extracted at once on several goroutines,
// each doc with its pooled buffers, come out as they do one after another.
func TestConcurrentExtract(t *testing.T) {
	files, err := filepath.Glob("testdata/articles/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no articles in testdata/articles: %v", err)
	}
	var texts []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	out := func(s string) string {
		b, err := json.Marshal(Extract(s))
		if err != nil {
			t.Error(err)
		}
		return string(b)
	}
	want := make([]string, len(texts))
	for i, s := range texts {
		want[i] = out(s)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 3*len(texts))
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range texts {
				x := (i + g*7) % len(texts)
				if got := out(texts[x]); got != want[x] {
					errs <- files[x]
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for f := range errs {
		t.Errorf("%s: extracted concurrently, the output differs", f)
	}
}
