package extract

import (
	"testing"
)

// Deal shapes whose figure the rules used to set aside, read by the rules
// alone (no model): a loan with the lender as subject, an acquisition's
// price in the sentence after the one that names buyer and target, raise
// verbs of other languages written as participles or in the future, and a
// round's whole figure put in by several named investors in a company
// described before its name.
func TestDealShapesRules(t *testing.T) {
	for _, tc := range []struct {
		name, text, amount, company string
		noShares                    bool
	}{
		{
			name:   "lender as subject",
			text:   "Norrvik Bank will provide £200 million in senior debt for the Kestrel Flats solar park, the bank said.",
			amount: "£200 million",
		},
		{
			name: "price in the next sentence",
			text: "Harwick Group has agreed to buy Fjellstad Systems, a maker of ship sensors. " +
				"The $2 billion deal is expected to close in May.",
			amount: "$2 billion",
		},
		{
			name:   "Spanish participle",
			text:   "Lumetra, una startup de Madrid, ha captado 12 millones de euros para crecer en Europa.",
			amount: "12 millones de euros",
		},
		{
			name:   "Portuguese future",
			text:   "O Complexo Solar Serra Alta receberá R$ 300 milhões para a construção de seis usinas.",
			amount: "R$ 300 milhões",
		},
		{
			name:     "whole round from named investors",
			text:     "Arden Capital and Vell Partners have put $12 million in parcel locker maker Quaywise.",
			amount:   "$12 million",
			company:  "Quaywise",
			noShares: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ex := ExtractWith(tc.text, nil)
			var found bool
			for _, dl := range ex.Deals {
				if dl.Amount == nil || dl.Amount.Text != tc.amount {
					continue
				}
				found = true
				if tc.company != "" && dl.Company != tc.company {
					t.Errorf("company %q, want %q", dl.Company, tc.company)
				}
				for _, iv := range dl.Investors {
					if tc.noShares && iv.Amount != nil {
						t.Errorf("investor %q has the whole round %q as its own share", iv.Name, iv.Amount.Text)
					}
				}
			}
			if !found {
				t.Errorf("no deal of %q; deals %+v, other %+v, prior %+v", tc.amount, ex.Deals, ex.OtherAmounts, ex.PriorAmounts)
			}
		})
	}
}
