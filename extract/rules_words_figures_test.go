package extract

import (
	"testing"
)

// TestPhraseAt checks the matching of multi-word rule entries against the
// lower-cased tokens: whole words only, never across a line break.
func TestPhraseAt(t *testing.T) {
	for _, c := range []struct {
		text  string
		i     int
		class string
		want  int
	}{
		{"a quarter of a billion", 0, "money.spelled_quarter", 4},
		{"A Quarter Of A billion", 0, "money.spelled_quarter", 4},
		{"a quarter of\n\na billion", 0, "money.spelled_quarter", 0},
		{"a quarter of\na billion", 0, "money.spelled_quarter", 4}, // a wrapped line
		{"a quarter of", 0, "money.spelled_quarter", 0},
		{"half a million", 0, "money.spelled_half", 2},
		{"a half million", 0, "money.spelled_half", 2},
		{"a halfway", 0, "money.spelled_half", 0},
		{"one and a half million", 1, "money.spelled_and_half", 3},
		{"one and a half million", 0, "money.spelled_and_half", 0},
		{"one and a half million", -1, "money.spelled_and_half", 0},
	} {
		d := newDoc(c.text, loadVocab())
		if got := d.phraseAt(c.class, c.i); got != c.want {
			t.Errorf("phraseAt(%q, %q, %d) = %d, want %d", c.class, c.text, c.i, got, c.want)
		}
		d.release()
	}
}
