package extract

import "testing"

// generalCases9 are paragraphs written for extract-51 in the shapes of the
// lenders and backers the folds missed in sentences that no list cue
// opens: an arranging group named after a copula, a project finance
// agreement with several banks, German and Spanish lists with an article
// before each name, an apposition of earlier backers with the verb after
// the list. Every company, investor and person is invented. They train the
// models beside the devset (testdata/general.jsonl); gap marks a case the
// extractor still gets wrong (logged, not failed).
var generalCases9 = []generalCase{
	{in: "Tessaro Solar has closed €140 million of senior debt for its Valdemar park.\n\nThe lenders on the deal are the Banco Ortiga, Caja Serrano, Kestrel Bank and Norbanc Capital.",
		want: []string{"Tessaro Solar | debt | €140 million | - | Banco Ortiga, Caja Serrano, Kestrel Bank, Norbanc Capital | "}},
	{in: "Halvard Wind said it borrowed €60 million to build two parks near Segovia. It signed the project finance agreement with Banco Lirio, Caja Moral and Quimera Bank on Friday.",
		want: []string{"Halvard Wind | debt | €60 million | - | Banco Lirio, Caja Moral, Quimera Bank | "}},
	{in: "Die Hollweg Solar GmbH bekommt 45 Millionen Euro für ihren neuen Solarpark. Das Geld stellt die Ostbank gemeinsam mit der Landesbank Rhein und der Sparkasse Elmtal bereit.",
		want: []string{"Hollweg Solar GmbH | debt | 45 Millionen Euro | - | Ostbank, Landesbank Rhein, Sparkasse Elmtal | "}},
	{in: "Brezo Labs cerró una ronda de 5 millones de euros. Aportaron el capital el Fondo Acebo, el Banco Nogal y la gestora Pinar Capital.",
		want: []string{"Brezo Labs | unknown | 5 millones de euros | - | Fondo Acebo, Banco Nogal, Pinar Capital | "}},
	{in: "Moliva annonce une levée de 8 millions d’euros. Ses actionnaires de la première heure, Fonds Aubier, Cerisaie Capital et Lanterne Partners, ont remis de l’argent eux aussi.",
		want: []string{"Moliva | unknown | 8 millions d’euros | - | Fonds Aubier, Cerisaie Capital, Lanterne Partners | "}},
}

func TestGeneral9(t *testing.T) { checkGeneral(t, generalCases9) }
