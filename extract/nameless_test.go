package extract

import "testing"

// decideCompany no longer leaves a deal nameless when the rules read its
// company right but the model doubts it, when the rules stopped at a
// country that only describes the company, or when the company stands in
// apposition between commas before the raise verb. The name model's
// beliefs are set by hand (every name 0.05 a company, below addProb and
// junkCompany; the figure 0.95 a raise), so that retraining cannot move
// the cases.
func TestDecideCompanyNameless(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"a rule's word of no language stays",
			"Vantquill raised €4 million from Ostwind Capital to build inspection drones.", "Vantquill"},
		{"a rule's plain word goes",
			"Further raised €4 million from Ostwind Capital to build inspection drones.", ""},
		{"the name a country describes",
			"Ostwind Capital is in talks to lead a £90 million round in UK challenger bank Quellmark, people familiar said.", "Quellmark"},
		{"a name between commas before the verb",
			"Danish online grocer, and a delivery service as well, Quellmark, has raised about €40 million.", "Quellmark"},
		{"a person between commas is no company",
			"The round's backer, Ann Roe, raised €40 million for Quellmark last week. Roe said so.", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, a, m := scoredAnalysis(tc.text, false)
			defer d.release()
			for _, p := range a.amtProb {
				if p != nil {
					clear(p)
					p[amRaise] = 0.95 // the figure is the raise, as the model would promote it
				}
			}
			d.decideAmounts(a)
			believeCompanies(d, m, a, 0.05)
			withFigure := figureDeals(a)
			if len(withFigure) != 1 {
				t.Fatalf("%d deals with a figure, want one", len(withFigure))
			}
			d.decideCompanies(a)
			if got := withFigure[0].company; got != tc.want {
				t.Errorf("company %q, want %q", got, tc.want)
			}
		})
	}
}
