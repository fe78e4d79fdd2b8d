package extract

import "testing"

// generalCases3 are paragraphs written for extract-11 in the shapes of the
// investor lists the folds missed most: lists written in German, French,
// Spanish and Portuguese (a lead cue, then participation cues before the
// names), a lead named by a copula ("the lead investor is X"), backers of
// earlier rounds beside this round's (dated, or "past investors"), a
// partner named as a board member, and lenders beside an arranger. Every
// company and investor is invented. They train the models beside the
// devset (testdata/general.jsonl); gap marks a case the extractor still
// gets wrong (logged, not failed).
var generalCases3 = []generalCase{
	{in: "Das Berliner Startup Kornblick hat 12 Millionen Euro eingesammelt. Angeführt wurde die Runde von Halvard Capital, außerdem beteiligten sich Ostwind Ventures und Talbruck Partners.",
		want: []string{"Kornblick | unknown | 12 Millionen Euro | - | Halvard Capital*, Ostwind Ventures, Talbruck Partners | "}},
	{in: "Die Münchner Firma Sensolith hat in einer Series-A-Runde 8 Millionen Euro erhalten. Leadinvestor ist Brennholt Ventures, zum Investorenkreis zählen außerdem Fjordlicht Capital und Weidemann Partners.",
		want: []string{"Sensolith | series a | 8 Millionen Euro | - | Brennholt Ventures*, Fjordlicht Capital, Weidemann Partners | "}},
	{in: "Das Kölner Startup Lumaro sammelt 5 Millionen Euro ein. An der Runde beteiligten sich Rhenus Invest und Altbau Capital.",
		want: []string{"Lumaro | unknown | 5 Millionen Euro | - | Altbau Capital, Rhenus Invest | "}},
	{in: "La start-up lyonnaise Vertalis a levé 15 millions d'euros auprès de Carmine Partners et Bois-Joli Capital.",
		want: []string{"Vertalis | unknown | 15 millions d'euros | - | Bois-Joli Capital, Carmine Partners | "}},
	{in: "La jeune pousse parisienne Ondalys lève 7 millions d'euros. L'opération a été menée par Serac Ventures, avec la participation de Mistral Ridge Capital et Lavande Invest.",
		want: []string{"Ondalys | unknown | 7 millions d'euros | - | Lavande Invest, Mistral Ridge Capital, Serac Ventures* | "}},
	{in: "La startup madrileña Tramonta ha cerrado una ronda de 10 millones de euros liderada por Sierra Alta Capital, con la participación de Fondo Brisa y Cumbre Ventures.",
		want: []string{"Tramonta | unknown | 10 millones de euros | - | Cumbre Ventures, Fondo Brisa, Sierra Alta Capital* | "}},
	{in: "La española Nubelia recauda 4 millones de euros en una ronda en la que han participado Arrecife Ventures y Olivo Capital.",
		want: []string{"Nubelia | unknown | 4 millones de euros | - | Arrecife Ventures, Olivo Capital | "}},
	{in: "A startup brasileira Pontual captou R$ 30 milhões em uma rodada liderada pela Cerrado Ventures, com participação da Ipê Capital e da Jatobá Investimentos.",
		want: []string{"Pontual | unknown | R$ 30 milhões | - | Cerrado Ventures*, Ipê Capital, Jatobá Investimentos | "}},
	{in: "A portuguesa Lumensa angariou 6 milhões de euros. A ronda foi liderada pela Atlântico Capital e contou com a participação de Ribeira Ventures.",
		want: []string{"Lumensa | unknown | 6 milhões de euros | - | Atlântico Capital*, Ribeira Ventures | "}},
	{in: "Tallwick raised $20 million in a Series B round led by Orchid Capital. Past investors include Birchway Ventures and Stonefield Partners.",
		want: []string{"Tallwick | series b | $20 million | - | Orchid Capital* | "}},
	{in: "Corvion, which raised a $5 million seed round from Quarry Ventures in 2019, has now closed a $25 million Series A led by Helix Peak Capital.",
		want: []string{"Corvion | series a | $25 million | - | Helix Peak Capital* | "}},
	{in: "Plumbright has raised $15 million in a Series A round led by Marlow Peak Partners. In 2021, Fernleaf Capital and Dovecote Ventures invested $3 million in the company.",
		want: []string{"Plumbright | series a | $15 million | - | Marlow Peak Partners* | "}, gap: true},
	{in: "Zentrio has raised $12 million. The lead investor is Ashgrove Capital, with participation from Kestrel Bay Ventures.",
		want: []string{"Zentrio | unknown | $12 million | - | Ashgrove Capital*, Kestrel Bay Ventures | "}},
	{in: "Brightmoor raised $30 million in a Series B round led by Tidewell Partners. Tidewell partner Anna Kovacs has joined the company's board.",
		want: []string{"Brightmoor | series b | $30 million | - | Tidewell Partners* | "}},
	{in: "Solvane Energy has secured a €200 million loan for its solar park from a group of lenders made up of Banco Meridional, Nordhavn Bank and Caixa Serrana.",
		want: []string{"Solvane Energy | debt | €200 million | - | Banco Meridional, Caixa Serrana, Nordhavn Bank | "}},
	{in: "Harrowgate Wind has closed £150 million of debt financing. The loan was arranged by Ostrava Securities, with Lindqvist Bank and Harbourline Credit providing the debt.",
		want: []string{"Harrowgate Wind | debt | £150 million | - | Harbourline Credit, Lindqvist Bank | "}},
	{in: "Clovermint, a Pune-based dental chain, raised $40 million in a Series C round led by investment firm Harbourgate. The round also saw the participation of Tidemark Capital and Rowan Peak Partners.",
		want: []string{"Clovermint | series c | $40 million | - | Harbourgate*, Rowan Peak Partners, Tidemark Capital | "}},
	{in: "Fitbolt has raised $6 million in a seed round led by Granite Loop Ventures. Former tennis champion Maria Velasquez and entrepreneur Tomas Eriksen also invested.",
		want: []string{"Fitbolt | seed | $6 million | - | Granite Loop Ventures*, Maria Velasquez, Tomas Eriksen | "}},
	{in: "Orbitly raised $15 million in a Series A round led by Kestrel Ventures. Its customers include Halcyon Airlines and Marrow Foods.",
		want: []string{"Orbitly | series a | $15 million | - | Kestrel Ventures* | "}},
	{in: "Drayfield raised $22 million from Coppice Capital to expand its warehouse robots. Rivals such as Lumwell and Tessaro have raised larger rounds this year.",
		want: []string{"Drayfield | unknown | $22 million | - | Coppice Capital | "}},
	{in: "La fintech nantaise Paylo boucle un tour de table de 5 millions d'euros mené par Ouest Horizon Capital, aux côtés de ses investisseurs historiques Granit Ventures et Estuaire Invest.",
		want: []string{"Paylo | unknown | 5 millions d'euros | - | Estuaire Invest, Granit Ventures, Ouest Horizon Capital* | "}},
	{in: "Das Hamburger Startup Kaimove hat 6 Millionen Euro eingesammelt. Zu den Investoren gehören Elbufer Ventures und Speicherstadt Capital.",
		want: []string{"Kaimove | unknown | 6 Millionen Euro | - | Elbufer Ventures, Speicherstadt Capital | "}},
	{in: "A fintech paulista Bravi recebeu um aporte de R$ 50 milhões liderado pela Ipanema Capital, com participação da Serra Azul Ventures.",
		want: []string{"Bravi | unknown | R$ 50 milhões | - | Ipanema Capital*, Serra Azul Ventures | "}},
	{in: "Tallgrass has raised $40 million in a Series B led by Cypress Row Capital. Its Series A in 2022 was led by Brookline Ventures.",
		want: []string{"Tallgrass | series b | $40 million | - | Cypress Row Capital* | "}, gap: true}, // extract-44's retrained name model adds the earlier round's lead
	{in: "Marrowby raised $18 million in a Series A led by Foxhill Partners. As part of the deal, Foxhill's Daniel Okafor joins the board.",
		want: []string{"Marrowby | series a | $18 million | - | Foxhill Partners* | "}},
}

func TestGeneral3(t *testing.T) { checkGeneral(t, generalCases3) }
