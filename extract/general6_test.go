package extract

import "testing"

// generalCases6 are paragraphs written for extract-23 in the shapes of the
// investors and investor amounts the folds missed: lists whose items are
// written as what the investor is with its name in brackets, names followed
// by a bracketed acronym or description inside a list, a lead noun tied to
// its name by a copula across words about the round (in English, German,
// French and Italian) or written right before the name, and a sole investor
// whose figure is its own ("invests $25 million in") beside one whose
// figure is the round's. Every company, investor and person is invented.
// They train the models beside the devset (testdata/general.jsonl); gap
// marks a case the extractor still gets wrong (logged, not failed).
var generalCases6 = []generalCase{
	{in: "Pellow Robotics raised $60 million in a Series B co-led by four investors that span logistics (Harrowgate), chipmaking (Quillon), a sovereign fund (Tamsin Capital) and a family office (Ordell Holdings).",
		want: []string{"Pellow Robotics | series b | $60 million | - | Harrowgate*, Ordell Holdings*, Quillon*, Tamsin Capital* | "}},
	{in: "Vellmar Wind secured a €120 million loan from Landesbank Ostmark (Ostbank), Kessler Bank and the Nordfeld Investment Fund (NIF) for its wind park.",
		want: []string{"Vellmar Wind | debt | €120 million | - | Kessler Bank, Landesbank Ostmark, Nordfeld Investment Fund | "}},
	{in: "Quibble raised $4 million in seed funding from Anneli Rosk (founder of Tessel), Bodo Lindqvist (former CFO of Marrow Bank) and Carla Dunstan.",
		want: []string{"Quibble | seed | $4 million | - | Anneli Rosk, Bodo Lindqvist, Carla Dunstan | "}},
	{in: "Das Startup Sonnfeld hat 30 Millionen Euro eingesammelt. An der Runde beteiligten sich die Landesbank Westmark (Westbank) und die Kornhaus Bank.",
		want: []string{"Sonnfeld | unknown | 30 Millionen Euro | - | Kornhaus Bank, Landesbank Westmark | "}},
	{in: "The lead investor in Harvel's $25 million Series A is Ostmoor Capital. Pinder Ventures also took part in the round.",
		want: []string{"Harvel | series a | $25 million | - | Ostmoor Capital*, Pinder Ventures | "}},
	{in: "Das Berliner Startup Lumwerk hat 12 Millionen Euro eingesammelt. Hauptgeldgeber dieser Runde ist Tannberg Ventures.",
		want: []string{"Lumwerk | unknown | 12 Millionen Euro | - | Tannberg Ventures* | "}, gap: true},
	{in: "Corvala has raised $9 million to expand its claims software. Lead investor Brisco Partners said the market is ready for it.",
		want: []string{"Corvala | unknown | $9 million | - | Brisco Partners* | "}},
	{in: "La fintech Ovalis lève 7 millions d'euros. L'investisseur principal de ce tour est Fonds Marbeuf, aux côtés de Caprice Invest.",
		want: []string{"Ovalis | unknown | 7 millions d'euros | - | Caprice Invest, Fonds Marbeuf* | "}},
	{in: "Harwick Motors has invested $25 million in Quenby, a maker of charging software, and will sell its chargers in its dealerships.",
		want: []string{"Quenby | unknown | $25 million | - | Harwick Motors=$25 million | "}},
	{in: "Marden Capital's $30 million investment in Ovela will fund the grocer's new warehouses.",
		want: []string{"Ovela | unknown | $30 million | - | Marden Capital=$30 million | "}, gap: true},
	{in: "Tessaro raised $18 million in a round led by Glenholm Partners, which also led its seed round.",
		want: []string{"Tessaro | unknown | $18 million | - | Glenholm Partners* | "}},
}

func TestGeneral6(t *testing.T) { checkGeneral(t, generalCases6) }
