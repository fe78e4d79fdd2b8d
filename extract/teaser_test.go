package extract

import (
	"strings"
	"testing"
)

// TestTeaserLine: a line opening with a link to another article ("Read
// also:", "ALSO READ |", "Lire aussi" glued to the linked title) is a
// teaser up to its end, every sentence of it; the line after it is text
// again; a raise in a teaser is the other article's, no deal.
func TestTeaserLine(t *testing.T) {
	for _, c := range []struct {
		in     string
		teaser bool
	}{
		{"Quarrywell raises $12 million\nRead also: Brindlecot lands $40 million. Its rival follows\nQuarrywell raised $12 million.", true},
		{"Quarrywell raises $12 million\nALSO READ | Brindlecot lands $40 million for drones\nQuarrywell raised $12 million.", true},
		{"Quarrywell lève 12 millions d'euros\nLire aussiBrindlecot lève 40 millions d'euros\nQuarrywell a levé 12 millions d'euros.", true},
		{"Quarrywell lève 12 millions d'euros\nLäs också:Brindlecot tar in 40 miljoner kronor\nQuarrywell a levé 12 millions d'euros.", true},
		{"Quarrywell raises $12 million\nReadmore Labs raised $40 million last year.\nQuarrywell raised $12 million.", false},
		{"Quarrywell raises $12 million\nRead the filing: Brindlecot raised $40 million.\nQuarrywell raised $12 million.", false},
	} {
		d := newDoc(c.in, loadVocab())
		line := strings.Index(c.in, "\n") + 1
		next := line + strings.Index(c.in[line:], "\n") + 1
		seen := false
		for _, sn := range d.sents {
			at := int(d.toks[sn.s].start)
			switch {
			case at >= line && at < next:
				seen = true
				if sn.teaser != c.teaser {
					t.Errorf("%q: sentence at %d of the second line teaser = %v, want %v", c.in, at, sn.teaser, c.teaser)
				}
			case at >= next && sn.teaser:
				t.Errorf("%q: sentence at %d after the second line is a teaser", c.in, at)
			}
		}
		d.release()
		if !seen {
			t.Errorf("%q: no sentence starts on the second line", c.in)
		}
	}
	in := "Quarrywell raises $12 million\nRead also: Brindlecot lands $40 million\nQuarrywell raised $12 million from Harbor Peak."
	for _, dl := range Extract(in).Deals {
		if strings.Contains(dealLine(dl), "40") {
			t.Errorf("Extract(%q) took the teaser's figure: %s", in, dealLine(dl))
		}
	}
}

// TestPastOpeningBeforeArticle: a sentence opening with a past year before
// its comma sets the amount after it in the past, also when the clause
// after the comma opens with a word that may continue a clause (the
// Portuguese article "a", the English "a").
func TestPastOpeningBeforeArticle(t *testing.T) {
	for _, in := range []string{
		"A Quarrywell levantou 12 milhões de euros numa ronda liderada pela Harbor Peak. Em 2019, a Quarrywell recebeu 3 milhões de euros da Lindenfield Capital.",
		"Quarrywell raised $12 million, Harbor Peak leading. In 2019, a unit of Quarrywell received $3 million from Lindenfield Capital.",
	} {
		x := Extract(in)
		if len(x.Deals) != 1 || !strings.Contains(dealLine(x.Deals[0]), "12 mil") && !strings.Contains(dealLine(x.Deals[0]), "$12 million") {
			var got []string
			for _, dl := range x.Deals {
				got = append(got, dealLine(dl))
			}
			t.Errorf("Extract(%q) = %q, want only the 12 million raise", in, got)
		}
	}
}
