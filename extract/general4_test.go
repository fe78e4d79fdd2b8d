package extract

import "testing"

// generalCases4 are paragraphs written for extract-16 in the shapes of the
// amounts the folds got wrong most: background figures beside the news (a
// week's or a quarter's total, an earlier round of the same company, a
// fund's size, a spending commitment, a target beside the amount raised so
// far, revenue) and deals the rules did not find (German verb-final
// sentences, a Dutch list, Portuguese and Italian project finance, debt
// lined up by an arranger, IPO proceeds, an acquisition in a digest), and
// figures of texts that name no company, which make no deal.
// Every company and investor is invented. They train the models beside the
// devset (testdata/general.jsonl); gap marks a case the extractor still
// gets wrong (logged, not failed).
var generalCases4 = []generalCase{
	{in: "French startups raised €80 million this week across twelve rounds. Lumetra led the week with €15 million from Arbalest Capital.",
		want: []string{"Lumetra | unknown | €15 million | - | Arbalest Capital | "}, gap: true},
	{in: "Fintech startups in Europe raised $4.2 billion in the first quarter, down 20% from a year earlier. Among them, Parvane raised $60 million in a Series B led by Quillon Partners.",
		want: []string{"Parvane | series b | $60 million | - | Quillon Partners* | "}},
	{in: "Vantor AI has raised $300 million led by Ferrow Capital. Under a separate agreement, Vantor AI agreed to spend $2 billion on Halcyon's cloud over five years.",
		want: []string{"Vantor AI | unknown | $300 million | - | Ferrow Capital* | "}},
	{in: "Ostara Bio has raised $12 million so far toward a $20 million Series A, according to a regulatory filing.",
		want: []string{"Ostara Bio | series a | $12 million | - |  | "}},
	{in: "Korvane raised $30 million in a Series B led by Pellucid Ventures. The company raised a $10 million Series A in 2022 and has now raised $45 million in total.",
		want: []string{"Korvane | series b | $30 million | - | Pellucid Ventures* | "}},
	{in: "Tessary, whose annual revenue passed $50 million last year, has raised $25 million from Brackwater Growth.",
		want: []string{"Tessary | unknown | $25 million | - | Brackwater Growth | "}},
	{in: "Arbalest Capital, which closed a $500 million fund in March, led the $20 million round in Miravel.",
		want: []string{"Miravel | unknown | $20 million | - | Arbalest Capital* | "}},
	{in: "Shares of Dunmore Systems closed at $42.10 on Monday. Separately, Quenby Health said it had raised $18 million from Lorrey Ventures.",
		want: []string{"Quenby Health | unknown | $18 million | - | Lorrey Ventures | "}},
	{in: "Für Lumetra gab es 12 Millionen Euro von Halvard Capital.",
		want: []string{"Lumetra | unknown | 12 Millionen Euro | - | Halvard Capital | "}, gap: true},
	{in: "Das Dresdner Startup Quelltal bekommt 7 Millionen Euro. Angeführt wird die Runde von Elbtal Ventures.",
		want: []string{"Quelltal | unknown | 7 Millionen Euro | - | Elbtal Ventures* | "}},
	{in: "Deze week haalden Veldwerk (3 miljoen euro) en Tulpa (1,5 miljoen euro) geld op bij investeerders.",
		want: []string{"Veldwerk | unknown | 3 miljoen euro | - |  | ", "Tulpa | unknown | 1,5 miljoen euro | - |  | "}},
	{in: "A Sertaneja Energia recebeu um empréstimo de R$ 200 milhões do Banco Planalto para construir o seu parque solar na Bahia.",
		want: []string{"Sertaneja Energia | debt | R$ 200 milhões | - | Banco Planalto | "}},
	{in: "La società Vetralux ha ottenuto un prestito di 15 milioni di euro da Banca Collina per il nuovo impianto di Brescia.",
		want: []string{"Vetralux | debt | 15 milioni di euro | - | Banca Collina | "}},
	{in: "To finance the build-out of its Ohio campus, Calder Bank lined up $2 billion of debt for Vantor Data.",
		want: []string{"Vantor Data | debt | $2 billion | - |  | "}},
	{in: "Brightline Robotics rose 12% on its first day of trading after raising HK$1.2 billion in its Hong Kong IPO.",
		want: []string{"Brightline Robotics | ipo | HK$1.2 billion | - |  | "}},
	{in: "Selvane Therapeutics priced its initial public offering at $16 per share. The offering raised about $150 million in gross proceeds.",
		want: []string{"Selvane Therapeutics | ipo | $150 million | - |  | "}},
	{in: "The startup raised $5 million. Its app lets farmers sell their crops to restaurants."},
	{in: "The company secured $12 million last week, its chief executive said, without naming the investors."},
	{in: "In other news: Roventa agreed to acquire Calmwater Therapeutics for $3.1 billion. Pellmar Foods cut 200 jobs.",
		want: []string{"Calmwater Therapeutics | acquisition | $3.1 billion | - |  | "}},
}

func TestGeneral4(t *testing.T) { checkGeneral(t, generalCases4) }
