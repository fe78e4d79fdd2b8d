package extract

import "testing"

// A heading that rounds the body's figure, or the body's conversion of it,
// restates the deal; a near figure in a roundup's next sentence is another
// company's deal.
func TestRoundedHeadingFigureIsOneDeal(t *testing.T) {
	for _, c := range []struct {
		name, text, currency string
	}{
		{"rounded conversion", "Halvard Jewels gets $7 Mn in venture debt\n\n" +
			"The ring maker Halvard Jewels has taken Rs 58 crore (about $6.9 million) of venture debt, which Norbank provided.", "INR"},
		{"same currency, as many digits", "Quellmark closes $41.6m for its wafers\n\n" +
			"Tarn Capital put money into Quellmark Photonics, whose new funding comes to $41.5 million.", "USD"},
		{"tilde before the conversion", "Brindle Solar lands $33 million of credit\n\n" +
			"Brindle Solar has obtained a €30 million (~$33 million) loan from Norbank for its rooftop fleet.", "EUR"},
		{"second conversion after a slash", "Halden Storage borrows EUR 81m for batteries\n\n" +
			"Halden Storage has obtained a GBP 70 million (USD 95m/EUR 81m) loan from Norbank.", "GBP"},
	} {
		ex := Extract(c.text)
		if len(ex.Deals) != 1 || ex.Deals[0].Amount == nil || ex.Deals[0].Amount.Currency != c.currency {
			t.Errorf("%s: %d deals %+v, want one in %s", c.name, len(ex.Deals), ex.Deals, c.currency)
		}
	}
	text := "Notes from the week\n" +
		"Alder Dairy has raised $9 million in a seed round from Tarn Capital.\n" +
		"Brook Cells has raised $8.8 million in a Series A from Ostrea Ventures.\n"
	if ex := Extract(text); len(ex.Deals) != 2 {
		t.Errorf("roundup: %d deals %+v, want 2", len(ex.Deals), ex.Deals)
	}
}

func TestRoundingOf(t *testing.T) {
	hit := func(coef int64, exp int32) moneyHit {
		var h moneyHit
		h.currency, h.value.Coef, h.value.Exp = "USD", coef, exp
		return h
	}
	for _, c := range []struct {
		x, y moneyHit
		want int
	}{
		{hit(7, 6), hit(69, 5), 1},     // $7M rounds $6.9M
		{hit(2, 7), hit(196, 5), 1},    // $20M rounds $19.6M
		{hit(416, 5), hit(415, 5), 0},  // $41.6M beside $41.5M
		{hit(120, 6), hit(124, 6), -1}, // 3.3% apart
		{hit(69, 5), hit(7, 6), -1},    // more digits than the other
		{hit(4, 7), hit(4, 7), -1},     // equal: the exact rules restate it
	} {
		if got := roundingOf(c.x, c.y); got != c.want {
			t.Errorf("roundingOf(%v, %v) = %d, want %d", c.x.value, c.y.value, got, c.want)
		}
	}
}
