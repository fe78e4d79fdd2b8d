package extract

import "testing"

// A round a company plans is no deal: only the note it raised is.
func TestPlannedRoundIsNoDeal(t *testing.T) {
	text := "Corrabin Cement raises $8M bridge\n\n" +
		"Corrabin Cement has raised $8 million in a convertible note from existing investors, led by Wetherly Fund.\n\n" +
		"Corrabin expects to raise a larger Series B once its first kiln is running next summer."
	ex := Extract(text)
	if len(ex.Deals) != 1 {
		t.Fatalf("%d deals, want the note alone: %+v", len(ex.Deals), ex.Deals)
	}
	if ex.Deals[0].Amount == nil || ex.Deals[0].Amount.Text != "$8M" && ex.Deals[0].Amount.Text != "$8 million" {
		t.Errorf("deal amount %+v, want the $8 million note", ex.Deals[0].Amount)
	}
}
