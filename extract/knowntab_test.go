package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKnownTable holds the frozen table's answer equal to vocab.known's
// for every key, for every key cut short or run on by a byte, and for
// every token of the project's own texts.
func TestKnownTable(t *testing.T) {
	v := loadVocab()
	check := func(s string) {
		t.Helper()
		if got, want := v.knownTab.get(s), v.known[s]; got != want {
			t.Fatalf("knownTab.get(%q) = %p, known[%q] = %p", s, got, s, want)
		}
	}
	check("")
	for k := range v.known {
		check(k)
		check(k + "x")
		if len(k) > 1 {
			check(k[:len(k)-1])
			check(k[1:])
		}
		check(strings.ToUpper(k))
	}
	files, err := filepath.Glob("testdata/articles/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no texts in testdata/articles: %v", err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		low := asciiLower(text)
		for _, tok := range lexInto(text, nil) {
			check(text[tok.start:tok.end])
			check(low[tok.start:tok.end])
		}
	}
}
