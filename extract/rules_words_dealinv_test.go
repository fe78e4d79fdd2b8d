package extract

import (
	"testing"
)

// TestPhraseEndsAt checks the leftward matching of multi-word rule entries
// that leftList uses: whole words only, never across a line break.
func TestPhraseEndsAt(t *testing.T) {
	for _, c := range []struct {
		text string
		e    int
		want int
	}{
		{"A as well as B", 3, 3},
		{"A As Well As B", 3, 3},
		{"A as well as B", 2, 0},
		{"as well\nas B", 3, 0},
		{"well as", 1, 0},
	} {
		d := newDoc(c.text, loadVocab())
		if got := d.phraseEndsAt("investors.as_well_as", c.e); got != c.want {
			t.Errorf("phraseEndsAt(%q, %d) = %d, want %d", c.text, c.e, got, c.want)
		}
		d.release()
	}
}
