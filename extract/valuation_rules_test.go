package extract

import "testing"

// The rules' reading of a figure after a valuation cue (before any model):
// "worth" gives what a company is worth only after a copula or an adverb
// of state, unless a deal noun is its subject ("the deal is worth $X" is the
// price); "valued" reads a valuation when its preposition comes before
// the figure, and an earlier round's when it opens a relative clause after
// that round; a range opened by "between" may stand after the cue's
// preposition; "now" before the cue makes the figure current whatever past
// its sentence names; the valuation as the subject of a copula gives the
// figure after it; a short bracketed aside may stand between the cue and
// its preposition, which may be "near"; a valuation told in the pluperfect
// is an earlier one unless reported speech keeps it current; and a listed
// company's market capitalisation is no round's
// valuation (the realnews convention puts it in other_amounts), nor is the
// price of existing shares changing hands in a sentence beside it (a
// tender offer, a stake bought from a holder: convention 9).
func TestValuationCueReadings(t *testing.T) {
	for _, tc := range []struct {
		text, fig string
		want      role
	}{
		{"Tessel Robotics is now worth $6 billion after the round.", "$6 billion", roleValuation},
		{"Tessel Robotics raised $300 million and is worth $6 billion.", "$6 billion", roleValuation},
		{"Tessel Robotics secured a new investment worth $40 million.", "$40 million", roleRaise},
		{"Tessel Robotics closed a Series A round worth $12 million.", "$12 million", roleRaise},
		{"Brindle agreed to acquire Tessel Robotics. The transaction is worth some $450 million.", "$450 million", roleRaise},
		{"Tessel Robotics issued stock options worth $4 million to its staff.", "$4 million", roleOther},
		{"Tessel Robotics raised $300 million at a valuation of $6 billion.", "$6 billion", roleValuation},
		{"Tessel lève 30 millions d'euros et se voit estimée à 400 millions d'euros.", "400 millions d'euros", roleValuation},
		{"Tessel obtuvo US$ 30 millones de dos fondos, que la valuaron en US$ 400 millones.", "US$ 400 millones", roleValuation},
		{"Investoren heben die Unternehmensbewertung von Tessel auf vier Milliarden Euro.", "vier Milliarden Euro", roleValuation},
		{"Alder led Tessel's $250 million round in March 2020, valuing the company at $2 billion.", "$2 billion", rolePrior},
		{"Tessel raised $60 million this week, valuing the company at $2 billion.", "$2 billion", roleValuation},
		{"Tessel raised $60 million in a round led by Alder, which valued the company at $2 billion.", "$2 billion", roleValuation},
		{"Tessel had taken $250 million from Brook in March 2020, which valued it at $2 billion.", "$2 billion", rolePrior},
		{"Tessel raised $60 million from Alder, a valued partner of its founders.", "$60 million", roleRaise},
		{"Tessel raised $60 million from Alder. Founded two years ago, it is now valued at $700 million.", "$700 million", roleValuation},
		{"Tessel raised $60 million from Alder. Two years ago, it was valued at $1 billion.", "$1 billion", rolePrior},
		{"Tessel raised $60 million from Alder. Its valuation after the round is now $900 million.", "$900 million", roleValuation},
		{"Tessel raised $60 million from Alder, which values it at between $600 million and $700 million.", "$600 million and $700 million", roleValuation},
		{"Tessel raised $60 million from Alder. It is now valued (post-money) at $700 million.", "$700 million", roleValuation},
		{"Tessel raised $60 million from Alder. The firm is valued (for now) at $700 million.", "$700 million", roleValuation},
		{"Tessel raised $60 million from Alder (a partner since 2019) at $2 per share.", "$60 million", roleRaise},
		{"Tessel is raising $60 million from Alder, with its valuation set near $700 million.", "$700 million", roleValuation},
		{"Tessel raised $60 million from Alder. Its seed round, which had valued it at $90 million, came from Brook.", "$90 million", rolePrior},
		{"Brindle bought Tessel for $60 million, a blow to backers who had once given it a $2 billion valuation.", "$2 billion", rolePrior},
		{"Tessel said it had closed a round from Alder at a valuation of $700 million.", "$700 million", roleValuation},
		{"Tessel announced it had closed a round from Alder at a valuation of $700 million.", "$700 million", roleValuation},
		{"Its rival Brindle, listed since 2019, has a market cap of $9 billion.", "$9 billion", roleOther},
		{"Brindle's market capitalization was about $9 billion on Friday.", "$9 billion", roleOther},
		{"Staff of Tessel may sell $300 million of stock to Alder in a tender offer. The company adds a little cash of its own. The sale values Tessel at $4 billion.", "$4 billion", roleOther},
		{"Brook is to take a 10% stake in Tessel for $40 million at a valuation of $400 million. Brook buys the stake from Alder and from the founders.", "$400 million", roleOther},
		{"Tessel raised $60 million from Alder at a valuation of $700 million. The round is led by Brook.", "$700 million", roleValuation},
	} {
		d := newDoc(tc.text, loadVocab())
		ams := figuresWritten(d, d.analyse(), tc.fig)
		for _, am := range ams {
			if am.role != tc.want {
				t.Errorf("%q: %s read as %s, want %s", tc.text, tc.fig, roleNames[am.role], roleNames[tc.want])
			}
		}
		if len(ams) == 0 {
			t.Errorf("%q: no figure %s", tc.text, tc.fig)
		}
		d.release()
	}
}

// A valuation the rules read before any deal was known, and that the model
// believes a valuation most, joins the deal found later by position; one
// the model believes something else stays without a deal, as does one
// whose deal has a valuation already. The beliefs are set by hand.
func TestAdoptOrphanValuations(t *testing.T) {
	text := "Quillbox Raises $240 Million\n\n" +
		"The round values Quillbox at $2 billion, and a rival at $3 billion."
	for _, tc := range []struct {
		name  string
		probs []float64 // of the $2 billion figure, by class
		held  bool      // the deal has a valuation already
		want  int       // valuations of the deal
	}{
		{"believed", []float64{0.1, 0.6, 0, 0.1, 0.2}, false, 1},
		{"doubted", []float64{0.1, 0.3, 0, 0.1, 0.5}, false, 0},
		{"deal has one", []float64{0.1, 0.6, 0, 0.1, 0.2}, true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDoc(text, loadVocab())
			defer d.release()
			a := d.analyse()
			a.amtProb = make([][]float64, len(a.amts))
			fig := -1
			for j, am := range a.amts {
				a.amtProb[j] = []float64{0, 0, 0, 0, 1}
				if d.toMoney(am.h).Text == "$2 billion" {
					fig = j
					a.amtProb[j] = tc.probs
				}
				if am.role == roleValuation {
					am.deal = -1
					a.amts[j] = am
				}
			}
			if fig < 0 || a.amts[fig].role != roleValuation {
				t.Fatalf("the rules read no valuation $2 billion: %+v", a.amts)
			}
			for _, db := range a.deals {
				db.vals = nil
			}
			if len(a.deals) != 1 {
				t.Fatalf("%d deals, want the headline's one", len(a.deals))
			}
			if tc.held {
				a.deals[0].vals = []int{len(a.amts) - 1}
			}
			d.adoptOrphanValuations(a)
			if got := len(a.deals[0].vals); got != tc.want {
				t.Fatalf("deal has %d valuations, want %d", got, tc.want)
			}
			if tc.want == 1 && !tc.held && a.deals[0].vals[0] != fig {
				t.Errorf("deal took figure %d, want %d", a.deals[0].vals[0], fig)
			}
		})
	}
}

// Paraphrases of the basis that the cue classes do not hold set a
// valuation's basis (roles.basis_post before the figure, from its clause's
// start, or just after it; roles.basis_pre a few tokens after it); without
// one the basis stays unspecified.
func TestValuationBasisPhrases(t *testing.T) {
	for _, tc := range []struct {
		text, fig, want string
	}{
		{"Tessel raised $60 million at a post-investment valuation of $700 million.", "$700 million", "post-money"},
		{"Tessel raised $60 million and will be valued at $700 million after this round.", "$700 million", "post-money"},
		{"Tessel is raising $60 million at a valuation of $700 million including the new capital.", "$700 million", "post-money"},
		{"Tessel raised $60 million from Alder. Its valuation after the funding round is now $700 million.", "$700 million", "post-money"},
		{"Tessel is raising $60 million at a $700 million valuation, not including the investment.", "$700 million", "pre-money"},
		{"Tessel raised $60 million at a valuation of $700 million.", "$700 million", "unspecified"},
	} {
		d := newDoc(tc.text, loadVocab())
		ams := figuresWritten(d, d.analyse(), tc.fig)
		for _, am := range ams {
			if am.role != roleValuation || am.basis != tc.want {
				t.Errorf("%q: %s read as %s with basis %q, want a valuation with basis %q", tc.text, tc.fig, roleNames[am.role], am.basis, tc.want)
			}
		}
		if len(ams) == 0 {
			t.Errorf("%q: no figure %s", tc.text, tc.fig)
		}
		d.release()
	}
}

// figuresWritten returns the money figures of a that the text writes as
// fig ("$700 million").
func figuresWritten(d *doc, a *analysis, fig string) []amount {
	var out []amount
	for _, am := range a.amts {
		if d.toMoney(am.h).Text == fig {
			out = append(out, am)
		}
	}
	return out
}
