package extract

import (
	"slices"
	"testing"

	"github.com/dealwire/dealwire/news"
)

// A deal reported with no figure and no cue the rules read ("undisclosed",
// a named round) is opened by the name model: the backed company is named
// where money moves, and nothing else is a deal. (The committed model
// believes this company at about 0.87, well above openProb.)
func TestModelOpensDealsWithoutFigure(t *testing.T) {
	text := "Ostwind Capital backs Lumetra Robotics\n\n" +
		"Ostwind Capital has invested in Lumetra Robotics, a Tallinn maker of warehouse robots, the two companies said on Tuesday. " +
		"The terms of the investment were not given."
	ex := Extract(text)
	if len(ex.Deals) != 1 {
		t.Fatalf("%d deals, want one: %+v", len(ex.Deals), ex.Deals)
	}
	dl := ex.Deals[0]
	if dl.Company != "Lumetra Robotics" || dl.Amount != nil {
		t.Errorf("deal %q with amount %+v, want Lumetra Robotics with none", dl.Company, dl.Amount)
	}
	if !slices.ContainsFunc(dl.Investors, func(iv news.Investor) bool { return iv.Name == "Ostwind Capital" }) {
		t.Errorf("investors %+v, want Ostwind Capital among them", dl.Investors)
	}
	if dl.Confidence <= openProb || dl.Confidence >= 1 {
		t.Errorf("confidence %v, want the model's belief in the company, above %v", dl.Confidence, openProb)
	}
}

// openNoFigureDeals decides by the name model's belief alone; here the
// beliefs are set by hand, so that retraining cannot move the case across
// the bound. A plant named where money is lent opens a deal when its name
// is believed a company (and its capacity then joins it), not below
// openProb; a rule's deal keeps the name it will be given.
func TestOpenNoFigureDealsByBelief(t *testing.T) {
	plant := "Halvorsen Bank finances Kestrel Ridge wind farm\n\n" +
		"Halvorsen Bank has agreed to finance the construction of the Kestrel Ridge wind farm, developed by Brantwood Renewables. " +
		"The plant will have a capacity of 48 MW."
	for _, tc := range []struct {
		name        string
		text        string
		belief      float64
		wantCompany string // "" for no deal opened
	}{
		{"believed", plant, 0.9, "Kestrel Ridge"},
		{"doubted", plant, openProb - 0.1, ""},
		{"a rule's deal keeps its name", "Ostwind Capital Closes $75 Million Round to Advance LR-104\n\n" +
			"Lumetra Robotics closed a $75 million round led by Ostwind Capital. " +
			"The funding lets Lumetra Robotics build its first plant, said its chief executive.", 0.9, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, a, m := scoredAnalysis(tc.text, true)
			defer d.release()
			before := len(a.deals)
			a.keyProb, a.lazy = eagerNameProbs(d, m, a), nil // every key, to be overwritten
			for k, p := range a.keyProb {
				p[nmCompany] = 0.05
				if keysMatch(k, "lumetra robotics") || keysMatch(k, "kestrel ridge") {
					p[nmCompany] = tc.belief
				}
			}
			for i := range a.capProb {
				a.capProb[i] = 0.9
			}
			d.openNoFigureDeals(a)
			if tc.wantCompany == "" {
				if opened := a.deals[before:]; len(opened) != 0 {
					t.Fatalf("opened %d deals (first %q), want none", len(opened), opened[0].company)
				}
				return
			}
			d.decidePowers(a)
			opened := a.deals[before:]
			if len(opened) != 1 || opened[0].company != tc.wantCompany || opened[0].amt != -1 {
				t.Fatalf("opened %+v, want one deal of %q without a figure", opened, tc.wantCompany)
			}
			if len(opened[0].capacity) != 1 || opened[0].capacity[0].value.Float64() != 48e6 {
				t.Errorf("capacity %+v, want the plant's 48 MW", opened[0].capacity)
			}
		})
	}
}

// A power figure the model is sure the text's money pays for opens a deal
// of its own when no deal was found (the loans' total is written where the
// rules read no figure), its company left for decideCompanies to name; in a
// text where no money moves (installed capacity, a tender's results) the
// same belief opens nothing. The beliefs are set by hand, as above.
func TestSurePowerOpensDeal(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []float64 // capacities of the one deal opened; nil for none
	}{
		{"financed", "Halvorsen Bank will provide a loan for the Kestrel Ridge wind farms of Brantwood Renewables.\n\n" +
			"The eleven farms will have a total capacity of 312MW, and the first three about 64MW.", []float64{312e6, 64e6}},
		{"no money moves", "Brantwood Renewables reported its quarterly results.\n\n" +
			"Its wind farms now have a total capacity of 312MW, and the farms under construction about 64MW.", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, a := analyseNoDeal(t, tc.text)
			defer d.release()
			believeAllPowers(d, a, sureCapProb+0.1)
			if tc.want == nil {
				if len(a.deals) != 0 {
					t.Fatalf("opened %d deals, want none", len(a.deals))
				}
				return
			}
			if len(a.deals) != 1 || a.deals[0].amt != -1 || a.deals[0].company != "" {
				t.Fatalf("deals %+v, want one without figure or company", a.deals)
			}
			got := dealCaps(a, 0)
			if !slices.Equal(got, tc.want) {
				t.Errorf("capacities %v, want %v", got, tc.want)
			}
		})
	}
}

// "undisclosed" before an investor noun keeps back who invested, not how
// much: the list it ends belongs to the round told before, and its first
// name is no company of a deal without a figure. "An undisclosed amount"
// still opens one.
func TestUndisclosedInvestorsOpenNoDeal(t *testing.T) {
	checkDeals(t, "Kestrel has raised $20 million in a Series B round led by Fjord Capital.\n\n"+
		"Other participants included Alderhouse, Brook China, Cobalt Capital and undisclosed strategic investors.",
		"Kestrel | series b | $20 million | - | Alderhouse, Brook China, Cobalt Capital, Fjord Capital* | ")
	checkDeals(t, "Tillhaus has raised an undisclosed amount from investors in a seed round led by Project A Ventures.",
		"Tillhaus | seed | - | - | Project A Ventures* | ")
}

// A sole lender or grant maker is not given its loan's or grant's whole
// figure as its own share; a sole investor in a round may be.
func TestSoleLenderTakesNoDealFigure(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Alder Bank has provided a $44 million construction loan to Kestrel Data for its campus in Virginia.",
			"Kestrel Data | debt | $44 million | - | Alder Bank | "},
		{"The Alder Foundation has awarded Kestrel Labs a $2 million grant.",
			"Kestrel Labs | grant | $2 million | - | Alder Foundation | "},
		{"Tollhaus invests $40 million in Brindle.",
			"Brindle | unknown | $40 million | - | Tollhaus=$40 million | "},
	} {
		checkDeals(t, c.in, c.want)
	}
}
