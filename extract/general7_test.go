package extract

import "testing"

// generalCases7 are paragraphs written for extract-27 in the shapes of the
// investors the folds missed that no list rule read: a newsletter's digest
// lines whose last slash field lists the investors, and names the page
// glued together without their comma ("Ingot CapitalVesper Capital").
// Every company, investor and person is invented. They train the models
// beside the devset (testdata/general.jsonl); gap marks a case the
// extractor still gets wrong (logged, not failed).
var generalCases7 = []generalCase{
	{in: "This week in funding\nQuenby raises $8M / UK, Fintech / Alder Ventures, Brook Capital\nMarrow Labs raises $12M / US, Health / Cobalt Partners, Dunmore\n",
		want: []string{"Quenby | unknown | $8M | - | Alder Ventures, Brook Capital | ", "Marrow Labs | unknown | $12M | - | Cobalt Partners, Dunmore | "}},
	{in: "Brindle, a Lagos-based lender, raised $1 million in a seed round led by Harrow Ventures, with participation from Ingot CapitalVesper Capital, the Quill Syndicate Fund and other angels.",
		want: []string{"Brindle | seed | $1 million | - | Harrow Ventures*, Ingot Capital, Quill Syndicate Fund, Vesper Capital | "}},
	{in: "Tessel raised $5 million from investors including Norrow PartnersGlobal Tannin and Dune Capital.",
		want: []string{"Tessel | unknown | $5 million | - | Dune Capital, Global Tannin, Norrow Partners | "}},
}

func TestGeneral7(t *testing.T) { checkGeneral(t, generalCases7) }
