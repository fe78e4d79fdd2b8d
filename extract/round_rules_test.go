package extract

import "testing"

// roundAtWord is roundAt at the first token whose text is word.
func roundAtWord(t *testing.T, d *doc, word string) (string, bool) {
	t.Helper()
	for i := range d.toks {
		if d.tx(i) == word {
			r, _, ok := d.roundAt(i)
			return r, ok
		}
	}
	t.Fatalf("no token %q", word)
	return "", false
}

// TestRoundPhrases: which words open a round, and of which kind.
func TestRoundPhrases(t *testing.T) {
	for _, c := range []struct {
		text, word string
		want       string // "" for no round
	}{
		{"Vantor closed a $4 Million Seed round on Monday.", "Seed", "seed"},
		{"The round drew Vantor Seed Partners and others.", "Seed", ""},
		{"Vantor finalise sa levée de fonds, 3 millions d'euros.", "fonds", ""},
		{"Vantor finalise sa levée de fonds, 3 millions d'euros.", "levée", "unknown"},
		{"Vantor took $2 million as its pre-seed round.", "seed", ""},
		{"Vantor took $2 million as its pre-seed round.", "pre", "pre-seed"},
		{"Vantor raised $90 million in its Series I round.", "Series", "unknown"},
		{"Vantor raised $90 million in its Series H round.", "Series", "series h"},
		{"Vantor sold $9 million of Series F Redeemable Preferred Stock.", "Series", ""},
		{"Vantor sold $9 million of Series K stock to Orlen Partners.", "Series", ""},
		{"Vantor won approval to borrow $50 million.", "borrow", "debt"},
		{"Vantor Capital held the first close of its fund at $40 million.", "first", "fund"},
		{"Vantor landed $20 million in strategic financing.", "strategic", "strategic"},
	} {
		d := newDoc(c.text, loadVocab())
		r, ok := roundAtWord(t, d, c.word)
		d.release()
		if !ok {
			r = ""
		}
		if r != c.want {
			t.Errorf("%q at %q: round %q, want %q", c.text, c.word, r, c.want)
		}
	}
}

// TestRoundPastConversion: the round after a figure is read past the
// figure's bracketed conversion.
func TestRoundPastConversion(t *testing.T) {
	text := "Harnsby Robotics has raised $12 million (€11 million) from nine backers for a Series B round."
	d := newDoc(text, loadVocab())
	defer d.release()
	a := d.analyse()
	for _, am := range a.amts {
		if am.role != roleRaise {
			continue
		}
		if r, _ := d.roundNear(am.h.qi, am.h.tj); r != "series b" {
			t.Errorf("round beside %q: %q, want series b", text[d.toks[am.h.qi].start:d.toks[am.h.tj-1].end], r)
		}
		return
	}
	t.Fatalf("no raise in %q", text)
}

// TestNamedBesideFigure: the round model may not replace a named stage the
// rules read beside the deal's figure, but may replace one they took from
// elsewhere in the text.
func TestNamedBesideFigure(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"Harnsby Robotics raised $12 million in a seed round.", true},
		{"Harnsby Robotics raised $12 million.\n\nIts seed round drew Orlen Partners.", false},
	} {
		d := newDoc(c.text, loadVocab())
		a := d.analyse()
		if len(a.deals) == 0 {
			d.release()
			t.Fatalf("%q: no deal", c.text)
		}
		db := a.deals[0]
		db.round = "seed" // as the rules' or the text's fallback read it
		if got := d.namedBesideFigure(a, db); got != c.want {
			t.Errorf("%q: namedBesideFigure = %v, want %v", c.text, got, c.want)
		}
		db.round = "debt"
		if d.namedBesideFigure(a, db) {
			t.Errorf("%q: a debt round counts as a named stage", c.text)
		}
		d.release()
	}
}
