package extract

import "testing"

// generalCases10 are paragraphs written in the shapes of the investors the
// name model doubted most on the folds (believed below 0.3, counted by
// helper inv15 on the default order): a list opened by a verb the cues do
// not take, an investor named after what it does ("impact investor",
// "startup builder", "asset management firm"), a list broken by "along
// with" or a place before a member, lenders in a syndicate line or
// providing "the remaining debt", a lender written as the subject, and
// people named with what they do. Every company, investor and person is
// invented. They train the models beside the devset
// (testdata/general.jsonl); gap marks a case the extractor still gets
// wrong (logged, not failed).
var generalCases10 = []generalCase{
	{in: "Pellory Health has raised $9 million. Foxmere Capital led the investment, Gildea Ventures took part, and a handful of angels also chipped in.",
		want: []string{"Pellory Health | unknown | $9 million | - | Foxmere Capital*, Gildea Ventures | "}},
	{in: "Kenyan logistics startup Tavora has secured $300,000 from Boston-based impact investor Verdant Arc Capital to grow its delivery fleet.",
		want: []string{"Tavora | unknown | $300,000 | - | Verdant Arc Capital | "}},
	{in: "Norvale, which runs a payments app for small shops, said it had raised $4 million from startup builder Pellbrook Studios and Jakarta-based venture capital firm 2041 Ventures.",
		want: []string{"Norvale | unknown | $4 million | - | 2041 Ventures, Pellbrook Studios | "}, gap: true},
	{in: "Diagnostics startup Quellon took in $5 million of bridge money from Osaka asset management firm Sorano Holdings.",
		want: []string{"Quellon | unknown | $5 million | - | Sorano Holdings | "}},
	{in: "Calder Wind has closed €180 million of debt for its Ostrow park. The syndicate was composed of Harwick Bank, Ostmark Bank and Caldera Credit.",
		want: []string{"Calder Wind | debt | €180 million | - | Caldera Credit, Harwick Bank, Ostmark Bank | "}, gap: true},
	{in: "The Harbor Development Bank will lend €90 million to Brisa Solar for its Tarnow plant. According to the bank, its loan covers about half of the senior debt, with Banco Ribeira and Caixa Lusa providing the remaining debt.",
		want: []string{"Brisa Solar | debt | €90 million | - | Banco Ribeira, Caixa Lusa, Harbor Development Bank | "}, gap: true},
	{in: "Crestholm, Quayside Venture Partners and Leeds-based Marlin Partners invested $12 million in the latest round for Oberon Bio, a maker of lab robots.",
		want: []string{"Oberon Bio | unknown | $12 million | - | Crestholm, Marlin Partners, Quayside Venture Partners | "}, gap: true},
	{in: "Omrick Health and Sunvale Innovation Fund, along with the Halden University Fund, Verso Partners and Tallis Innovate, invested $9 million in heart-monitoring startup Kardiant as part of its Series B round.",
		want: []string{"Kardiant | series b | $9 million | - | Halden University Fund, Omrick Health, Sunvale Innovation Fund, Tallis Innovate, Verso Partners | "}},
	{in: "Sports data firm Velocue has closed a $7 million round led by Ridgeback Ventures. Former basketball players Dario Velt and Sam Oduya put money in too, and so did Quillpay co-founder Rina Matsu.",
		want: []string{"Velocue | unknown | $7 million | - | Dario Velt, Ridgeback Ventures*, Rina Matsu, Sam Oduya | "}},
	{in: "Greenleaf Schools took $3 million of seed money led by Harlow Partners. The round also drew angel investment from Brightleaf founder Tomas Ekberg and the singer Lio Marant.",
		want: []string{"Greenleaf Schools | seed | $3 million | - | Harlow Partners*, Lio Marant, Tomas Ekberg | "}},
	{in: "Orbis Earth closed a $35 million Series C round. The round includes investment from Telwick Space Inc., Ardent Future Fund, Investissement Norvège, and Orland Space Fund SCSp.",
		want: []string{"Orbis Earth | series c | $35 million | - | Ardent Future Fund, Investissement Norvège, Orland Space Fund SCSp, Telwick Space Inc | "}},
	{in: "Hexaline, a maker of surveillance drones, has secured €20 million. The round was spearheaded by Edinburgh fund manager Dunmore Baillie and the Arcadia Defence Fund.",
		want: []string{"Hexaline | unknown | €20 million | - | Arcadia Defence Fund*, Dunmore Baillie* | "}, gap: true},
	{in: "Das Tallinner Startup Vesilo hat 3 Millionen Euro eingesammelt. Auch der Quillbank-CEO Lars Petter und der Fernlink-Gründer Timo Saar beteiligten sich.",
		want: []string{"Vesilo | unknown | 3 Millionen Euro | - | Lars Petter, Timo Saar | "}},
	{in: "La startup Cucharo ha cerrado una ronda de 6 millones de euros. En la ronda ha puesto la mayor parte la gestora de capital riesgo Olmeda, junto con Brasa, dueña de la cadena de restaurantes Fogón.",
		want: []string{"Cucharo | unknown | 6 millones de euros | - | Brasa, Olmeda | "}},
	{in: "Norvik Bank has provided a €35 million loan to Skerry Wind for its 60 MW park off the coast of Jutland.",
		want: []string{"Skerry Wind | debt | €35 million | - | Norvik Bank | 60000000"}},
	{in: "Lumetra closed a $40 million Series B led by Cobalt Row Capital. Greyfield Ventures joined too, as did internet group Tessaly.",
		want: []string{"Lumetra | series b | $40 million | - | Cobalt Row Capital*, Greyfield Ventures, Tessaly | "}},
	{in: "Grenlow Storage has received £30 million from Tamsin Bank, which it will use to build a 50 MW battery site near Leeds.",
		want: []string{"Grenlow Storage | unknown | £30 million | - | Tamsin Bank | 50000000"}},
	{in: "Marbly pulled in a $14 million Series B led by Qinlan Bank, with Goldcrest Resources Corp.",
		want: []string{"Marbly | series b | $14 million | - | Goldcrest Resources Corp, Qinlan Bank* | "}},
	{in: "Tolland Grid has signed A$400 million of debt for its battery project. The consortium includes three of the country's big banks: Norbank, Austral Bank and Harbour Trust.",
		want: []string{"Tolland Grid | debt | A$400 million | - | Austral Bank, Harbour Trust, Norbank | "}},
	{in: "Pinecrest Data has closed a $600 million credit facility. A group of banks headed by Kessler Bank put the facility together, with support from Halvard Securities, Ostrander Bank, and Coastline Capital.",
		want: []string{"Pinecrest Data | debt | $600 million | - | Coastline Capital, Halvard Securities, Kessler Bank, Ostrander Bank | "}},
	{in: "Gamewright raised $15 million. Other participants include Rendel Ventures, Ann Roe (co-founder of Quarrel Games), Bo Lind (CEO of Tessel Studios) and Cai Moreno.",
		want: []string{"Gamewright | unknown | $15 million | - | Ann Roe, Bo Lind, Cai Moreno, Rendel Ventures | "}},
	{in: "Alder Group and Brookway, plus Cobalt Motors with a strategic stake, have funded ride-hailing firm Dunlo as part of a $500 million Series F deal.",
		want: []string{"Dunlo | series f | $500 million | - | Alder Group, Brookway, Cobalt Motors | "}},
	{in: "Meadowlark Learning has raised $60 million. New backers such as the Ruritania Investment Authority and Owlet Ventures came on board as well.",
		want: []string{"Meadowlark Learning | unknown | $60 million | - | Owlet Ventures, Ruritania Investment Authority | "}},
	{in: "Halden Farms has raised $45 million. Fernway Ventures, a food-focused venture investor, came in as well, next to returning backers Gable Ventures, Hollis Capital and Ivory Partners.",
		want: []string{"Halden Farms | unknown | $45 million | - | Fernway Ventures, Gable Ventures, Hollis Capital, Ivory Partners | "}},
}

func TestGeneral10(t *testing.T) { checkGeneral(t, generalCases10) }
