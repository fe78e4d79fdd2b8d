package extract

import "testing"

// generalCases8 are paragraphs written for extract-32 in the shapes of the
// investors, leads and shares the folds missed: a share told with a verb of
// injecting money, a list ended by undisclosed investors, a Romance
// descriptor after its head, a flag after each name, a sole lender, and an
// earlier round in a relative clause beside the new one. Every company,
// investor and person is invented. They train the models beside the devset
// (testdata/general.jsonl); gap marks a case the extractor still gets wrong
// (logged, not failed).
var generalCases8 = []generalCase{
	{in: "Dovetail Robotics, which raised a $3 million seed round from Alder Ventures in 2020, has now closed a $12 million Series A led by Brook Capital. Cobalt Partners infused $4 million in the round.",
		want: []string{"Dovetail Robotics | series a | $12 million | - | Brook Capital*, Cobalt Partners=$4 million | "}},
	{in: "Larkmoor has raised $20 million in a Series B round led by Fenwick Capital.\n\nOther participants included Gorse Holdings, Heron Partners and undisclosed strategic investors.",
		want: []string{"Larkmoor | series b | $20 million | - | Fenwick Capital*, Gorse Holdings, Heron Partners | "}},
	{in: "La start-up Orlane a levé 12 millions d’euros lors d’un tour mené par le fonds d’investissement breton Ivoire Capital, avec la participation de Jasmin Ventures.",
		want: []string{"Orlane | unknown | 12 millions d’euros | - | Ivoire Capital*, Jasmin Ventures | "}},
	{in: "Quarrystone 🇲🇽 raised a $6 Million Seed round led by Kestrel Ventures 🇺🇸 with funding from Lumen Fund 🇺🇸, Marten Capital 🇧🇷, and Nettle VC 🇸🇬 to build a payroll platform.",
		want: []string{"Quarrystone | seed | $6 Million | - | Kestrel Ventures*, Lumen Fund, Marten Capital, Nettle VC | "}},
	{in: "Osprey Bank has provided a $60 million construction loan to Pellham Data for its campus in Ohio, the developer said.",
		want: []string{"Pellham Data | debt | $60 million | - | Osprey Bank | "}},
}

func TestGeneral8(t *testing.T) { checkGeneral(t, generalCases8) }
