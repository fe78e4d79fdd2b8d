package extract

import (
	"strings"
	"testing"
)

// tokenAt is the index of the first token of text at the first occurrence
// of sub, or -1.
func tokenAt(d *doc, text, sub string) int {
	at := strings.Index(text, sub)
	for i, tk := range d.toks {
		if int(tk.start) == at {
			return i
		}
	}
	return -1
}

// amountOf is the amount of analysis a whose text is figure, or nil.
func amountOf(d *doc, a *analysis, figure string) *amount {
	for x := range a.amts {
		s, e := d.spanOf(a.amts[x].h.ti, a.amts[x].h.tj)
		if d.text[s:e] == figure {
			return &a.amts[x]
		}
	}
	return nil
}

// A figure that several givers listed after it share with no "each" is
// their combined amount, no investor's own (convention 8). Every name is
// invented.
func TestNoOwnShare(t *testing.T) {
	for _, c := range []struct {
		text, figure string
		noShare      bool
	}{
		{"Kestrel Energy raised $90 million this week, $20 million from Alder Capital, Birch Ventures and Cobalt Partners.", "$20 million", true},
		{"Kestrel Energy raised $90 million this week, $20 million each from Alder Capital and Birch Ventures.", "$20 million", false},
		{"Kestrel Energy raised $90 million this week, $20 million from Alder Capital.", "$20 million", false},
	} {
		d := newDoc(c.text, loadVocab())
		a := d.analyse()
		am := amountOf(d, a, c.figure)
		if am == nil {
			t.Errorf("%q: no figure %s read", c.text, c.figure)
		} else if am.noShare != c.noShare {
			t.Errorf("%q: %s noShare = %v, want %v (role %v)", c.text, c.figure, am.noShare, c.noShare, am.role)
		}
		d.release()
	}
}

// A "led by" whose head noun names what the names head (a project, an
// initiative, an advisory) opens no investor list; a round's does.
func TestLedOther(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"A research initiative led by Ann Roe landed $70 million from the Orrin Project.", true},
		{"An advisory led by Vell Capital Markets worked on the sale.", true},
		{"Four bidders, among them those led by Alder Group and Birch Bank, want licences.", true},
		{"The seed was led by Quill Partners.", false},
		{"The round was led by Quill Partners.", false},
	} {
		d := newDoc(c.text, loadVocab())
		d.analyse()
		if got := d.ledOther(tokenAt(d, c.text, "led by")); got != c.want {
			t.Errorf("%q: ledOther = %v, want %v", c.text, got, c.want)
		}
		d.release()
	}
}

// A lead verb whose object holds an earlier round's figure leads that
// round, not this one.
func TestLeadOfEarlierFigure(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"Brindle took $92 million from its backers. Harbor Lane led Brindle's $45 million Series A in 2019.", true},
		{"Brindle took $92 million from its backers. Harbor Lane led the $92 million round.", false},
	} {
		d := newDoc(c.text, loadVocab())
		d.analyse()
		if got := d.objectIsPrior(tokenAt(d, c.text, "led ") + 1); got != c.want {
			t.Errorf("%q: objectIsPrior = %v, want %v", c.text, got, c.want)
		}
		d.release()
	}
}
