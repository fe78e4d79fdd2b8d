package extract

import "testing"

// TestAmountRoleReadings holds the rules' first reading of figures whose
// shape they once set aside as other money: an acquisition's price told
// with a copula or after an apposition without an article, and a buyer
// described by a hyphenated modifier holding a word of other money. These
// are the first readings (classify), before deals are built; the models
// decide on them.
func TestAmountRoleReadings(t *testing.T) {
	for _, c := range []struct {
		name, text, fig string
		want            role
	}{
		{"copula price", "Tollhaus agreed to buy Brindle. Its transaction value is approximately $410 million, debt included.", "approximately $410 million", roleRaise},
		{"copula price past", "Tollhaus agreed to buy Brindle. The deal was around $61 million, paid in shares.", "around $61 million", roleRaise},
		{"price consists of", "Tollhaus will acquire Brindle for $12 a share. The deal consists of about $7.8 billion in cash.", "about $7.8 billion", roleRaise},
		{"copula without acquisition", "The deal was around $61 million, paid in shares.", "around $61 million", roleOther},
		{"hyphenated modifier", "Tollhaus to acquire weight-loss drug maker Brindle for $3.1B.", "$3.1B", roleRaise},
		{"cost word of its own", "Tollhaus to acquire Brindle, whose cost was $3.1B.", "$3.1B", roleOther},
		{"apposition without article", "A Tollhaus comprou a Brindle, empresa de software, por R$ 2,5 bilhões.", "R$ 2,5 bilhões", roleRaise},
		{"apposition with article", "Tollhaus agreed to acquire Brindle, a developer tools startup, for $1.5 billion.", "$1.5 billion", roleRaise},
		{"raised each", "Quellmark and Tessaly raised $2 million each.", "$2 million", roleRaise},
		{"raised more than each", "Quellmark and Tessaly raised more than $2 million each.", "more than $2 million", roleRaise},
		{"price each", "Brindle sold 10 million shares at $18 each.", "$18", roleOther},
		{"gross proceeds", "The listing gave Marlow Grid gross proceeds of $95 million.", "$95 million", roleRaise},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := newDoc(c.text, loadVocab())
			defer d.release()
			amts, _ := d.scan()
			d.indexAmounts(amts)
			d.classify(amts)
			for _, x := range amts {
				if got := c.text[d.toks[x.h.qi].start:d.toks[x.h.tj-1].end]; got != c.fig {
					continue
				}
				if x.role != c.want {
					t.Errorf("%q in %q: role %s, want %s", c.fig, c.text, roleNames[x.role], roleNames[c.want])
				}
				return
			}
			t.Errorf("no figure %q in %q", c.fig, c.text)
		})
	}
}
