package extract

import "testing"

// A text whose headline denies a reported round has no deal: its figures
// are other money, noted as denied (realnews convention 3).
func TestDeniedRoundIsNoDeal(t *testing.T) {
	text := "Quillbox denies report it is raising at a $2 billion valuation\n\n" +
		"Quillbox, the maker of warehouse scheduling software, said on Monday that a report of a $300 million round at a $2 billion valuation was wrong.\n\n" +
		"The company last raised money in 2022 and has no plans to seek more this year, a spokeswoman said."
	ex := Extract(text)
	if len(ex.Deals) != 0 {
		t.Fatalf("%d deals, want none: %+v", len(ex.Deals), ex.Deals)
	}
	denied := 0
	for _, f := range ex.OtherAmounts {
		if f.Note == "denied" {
			denied++
		}
	}
	if denied == 0 {
		t.Errorf("no other amount noted as denied: %+v", ex.OtherAmounts)
	}
}

// A figure whose own clause calls its deal off is set aside, while the
// round the same text reports stays a deal.
func TestCalledOffMergerIsNoDeal(t *testing.T) {
	text := "Harrowgate Labs raises $12 million Series A\n\n" +
		"Harrowgate Labs has raised $12 million from Tollmere Ventures, which led its Series A.\n\n" +
		"Brackley Bio has terminated its $60 million acquisition of Harrowgate Labs' imaging unit."
	ex := Extract(text)
	if len(ex.Deals) != 1 {
		t.Fatalf("%d deals, want the Series A alone: %+v", len(ex.Deals), ex.Deals)
	}
	if a := ex.Deals[0].Amount; a == nil || a.Value.String() != "12000000" {
		t.Errorf("deal amount %+v, want the $12 million round", a)
	}
	found := false
	for _, f := range ex.OtherAmounts {
		if f.Value != nil && f.Value.String() == "60000000" {
			found = true
			if f.Note != "called off" {
				t.Errorf("the merger's figure is noted %q, want \"called off\"", f.Note)
			}
		}
	}
	if !found {
		t.Errorf("the merger's $60 million is not among the other amounts: %+v", ex.OtherAmounts)
	}
}
