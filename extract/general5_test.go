package extract

import "testing"

// generalCases5 are paragraphs written for extract-20 in the shapes of the
// investors the folds got wrong most: lists whose items carry descriptors
// that are no descriptor words of their own ("pharmaceutical firms A and
// B"), German descriptors capitalised like every German noun ("die
// bestehenden Investoren A und B"), French descriptors with an elided
// preposition, lender syndicates, a legal form set off by a comma; and the
// names beside the investors that are none: board members, founders,
// customers and portfolio companies after "include", an earlier round's
// backers. Every company, investor and person is invented. They train the
// models beside the devset (testdata/general.jsonl); gap marks a case the
// extractor still gets wrong (logged, not failed).
var generalCases5 = []generalCase{
	{in: "Orlena Bio has raised $40 million from drugmakers Tavish and Morrow Labs, growth funds Keelby Partners and Ostrander Capital, the round's co-leads, licensing firm Penwick Group and life-science investors Harl Bio Fund and Sallow Health Investors.",
		want: []string{"Orlena Bio | unknown | $40 million | - | Harl Bio Fund, Keelby Partners*, Morrow Labs, Ostrander Capital*, Penwick Group, Sallow Health Investors, Tavish | "}},
	{in: "Quillmore raised $15 million from Brannock Ventures, biotech investor Calloway Partners and insurance group Dunmere.",
		want: []string{"Quillmore | unknown | $15 million | - | Brannock Ventures, Calloway Partners, Dunmere | "}},
	{in: "Das Münchner Startup Feldhain hat 9 Millionen Euro eingesammelt. Auch die bestehenden Investoren Auerbach Capital, Brenntal Ventures und Corvin Partners beteiligten sich an der Finanzierungsrunde.",
		want: []string{"Feldhain | unknown | 9 Millionen Euro | - | Auerbach Capital, Brenntal Ventures, Corvin Partners | "}},
	{in: "Das Kölner Startup Lindwerk hat 20 Millionen Euro erhalten. Leadinvestor ist der Wagniskapitalgeber Hollerau Capital. Außerdem beteiligten sich die Konzerne Grimstad und Velmar.",
		want: []string{"Lindwerk | unknown | 20 Millionen Euro | - | Grimstad, Hollerau Capital*, Velmar | "}},
	{in: "Die Runde über 6 Millionen Euro für Stellwerk wurde vom Investor Ammertal Partners angeführt, daneben investierten die VCs Birkhof Ventures und Crailing Capital.",
		want: []string{"Stellwerk | unknown | 6 Millionen Euro | - | Ammertal Partners*, Birkhof Ventures, Crailing Capital | "}, gap: true},
	{in: "La start-up Verdelune a levé 8 millions d'euros auprès de Brionne Capital, ainsi qu'avec la société d'investissement Castelroc et la société d'ingénierie logicielle Dauvin.",
		want: []string{"Verdelune | unknown | 8 millions d'euros | - | Brionne Capital, Castelroc, Dauvin | "}},
	{in: "Harlow Grid has closed a $200 million credit facility for its solar portfolio. The banking club consisting of Norden Bank, Banca Rivale S.p.A., Kestel Bank and Orvik Bank GmbH provided the loan.",
		want: []string{"Harlow Grid | debt | $200 million | - | Banca Rivale S.p.A., Kestel Bank, Norden Bank, Orvik Bank GmbH | "}},
	{in: "Tessaline Wind secured a €90 million loan from Banco Ejemplar S.A. and Caixa Montes for its wind farm in Galicia.",
		want: []string{"Tessaline Wind | debt | €90 million | - | Banco Ejemplar S.A., Caixa Montes | "}},
	{in: "Brightwater Robotics raised $30 million in a Series B led by Tidewell Partners. Tidewell partner Anna Kovacs takes a board seat, and Ravi Mehta, who runs the firm's growth fund, becomes an observer.",
		want: []string{"Brightwater Robotics | series b | $30 million | - | Tidewell Partners* | "}},
	{in: "Founded by Lena Ortiz and Marco Vial, Quorrel raised $6 million in seed funding from Arbor Seed Fund.",
		want: []string{"Quorrel | seed | $6 million | - | Arbor Seed Fund | "}},
	{in: "Velmora raised $15 million from Harbor Lane Capital. Its customers include Northwind Foods, Castell Retail and Pardoe Markets.",
		want: []string{"Velmora | unknown | $15 million | - | Harbor Lane Capital | "}},
	{in: "Ashgrove Ventures, whose portfolio includes Brisklane and Calyxo, led the $8 million round in Dovetail Health.",
		want: []string{"Dovetail Health | unknown | $8 million | - | Ashgrove Ventures* | "}},
	{in: "Merriton raised $50 million in a Series C led by Fallow Peak. Gansey Capital led the company's earlier $12 million round, where Hollis Ventures and Ivor Partners also took part.",
		want: []string{"Merriton | series c | $50 million | - | Fallow Peak* | "}},
	{in: "Cardova Energy won $80 million in debt from Lismore Bank for its battery park. A consortium of Penrith Power and Quarry Grid will build the park.",
		want: []string{"Cardova Energy | debt | $80 million | - | Lismore Bank | "}},
}

func TestGeneral5(t *testing.T) { checkGeneral(t, generalCases5) }
