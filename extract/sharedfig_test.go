package extract

import (
	"strings"
	"testing"

	"github.com/dealwire/dealwire/news"
)

// A figure given to two investors goes to the one named nearest to it,
// unless the text says each of them gave it.
func TestSharedFigures(t *testing.T) {
	for _, c := range []struct {
		text string
		drop []bool // per investor: loses the figure
	}{
		{"Kestrel raised $40 million. Alder Capital led the round and Birch Ventures put in $10 million.", []bool{true, false}},
		{"Kestrel raised $40 million. Alder Capital and Birch Ventures put in $10 million each.", []bool{false, false}},
		{"Kestrel raised $40 million. Alder Capital and Birch Ventures, each of whom put in $10 million, joined.", []bool{false, false}},
	} {
		d := newDoc(c.text, loadVocab())
		a := d.analyse()
		j := -1
		for x, am := range a.amts {
			if am.h.value.String() == "10000000" {
				j = x
			}
		}
		if j < 0 {
			t.Fatalf("%q: no $10 million figure read", c.text)
		}
		var ivs []investorB
		for _, name := range []string{"Alder Capital", "Birch Ventures"} {
			s := strings.Index(c.text, name)
			ivs = append(ivs, investorB{name: name, amt: j, span: news.Span{Start: s, End: s + len(name)}})
		}
		got := d.sharedFigures(a.amts, ivs)
		for x := range ivs {
			if got[x] != c.drop[x] {
				t.Errorf("%q: %s loses the figure = %v, want %v", c.text, ivs[x].name, got[x], c.drop[x])
			}
		}
		d.release()
	}
}
