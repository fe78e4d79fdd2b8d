package extract

import "testing"

// A headline that gives a round in the dollars the body converts it to
// reports the same deal, not a second one.
func TestConvertedHeadlineFigureIsOneDeal(t *testing.T) {
	text := "Brevanne Imaging raises $21.8M for its portable scanner\n\n" +
		"Nantes-based Brevanne Imaging has raised €20 million (about $21.8 million) in a Series B round led by Quaylight Partners."
	ex := Extract(text)
	if len(ex.Deals) != 1 {
		t.Fatalf("%d deals, want 1: %+v", len(ex.Deals), ex.Deals)
	}
	d := ex.Deals[0]
	if d.Company != "Brevanne Imaging" || d.Amount == nil || d.Amount.Currency != "EUR" {
		t.Errorf("deal %q %+v, want Brevanne Imaging with the €20 million it raised", d.Company, d.Amount)
	}
}
