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
		want: []string{"Hollweg Solar GmbH | debt | 45 Millionen Euro | - | Landesbank Rhein, Ostbank, Sparkasse Elmtal | "}, gap: true},
	{in: "Brezo Labs cerró una ronda de 5 millones de euros. Aportaron el capital el Fondo Acebo, el Banco Nogal y la gestora Pinar Capital.",
		want: []string{"Brezo Labs | unknown | 5 millones de euros | - | Banco Nogal, Fondo Acebo, Pinar Capital | "}},
	{in: "Moliva annonce une levée de 8 millions d’euros. Ses actionnaires de la première heure, Fonds Aubier, Cerisaie Capital et Lanterne Partners, ont remis de l’argent eux aussi.",
		want: []string{"Moliva | unknown | 8 millions d’euros | - | Cerisaie Capital, Fonds Aubier, Lanterne Partners | "}},
	{in: "Quellen Health has raised €18 million. Das Kapital stammt vom dänischen Fonds Alderhus, dem Wagniskapitalgeber Brookvale und Cobaltine aus Finnland.",
		want: []string{"Quellen Health | unknown | €18 million | - | Alderhus, Brookvale, Cobaltine | "}, gap: true},
	{in: "Verdana Foods raised R$ 30 milhões. A ronda teve ainda o apoio de investidores que já estavam no capital, como a Alvorada Capital, a Brisa Ventures e a Colina Partners.",
		want: []string{"Verdana Foods | unknown | R$ 30 milhões | - | Alvorada Capital, Brisa Ventures, Colina Partners | "}},
	{in: "Pellmark Bio closed a $75 million Series C led by Dunstan Capital. Pension funds Elmira and Fairlow made up the rest of the syndicate together with returning backers such as Gantry Partners.",
		want: []string{"Pellmark Bio | series c | $75 million | - | Dunstan Capital*, Elmira, Fairlow, Gantry Partners | "}},
	{in: "Rookwell raised $10 million in a Series A led by Harlan Ventures. Harlan partner Ann Roe joins the board alongside Ivel Capital principal Bo Lind.",
		want: []string{"Rookwell | series a | $10 million | - | Harlan Ventures* | "}},
}

func TestGeneral9(t *testing.T) { checkGeneral(t, generalCases9) }
