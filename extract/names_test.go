package extract

import (
	"strings"
	"testing"
)

// Places and nationalities, by the public data sets, are never investors or
// companies, wherever they stand in a sentence.
func TestPlacesAndNationalitiesAreNotOrganisations(t *testing.T) {
	for _, in := range []string{
		"Bengaluru-based fintech Jupiter has raised $20 million from German investor Mubadala and Dutch fund Peak Capital.",
		"Hong Kong startup Lalaport has raised US$300 million from Sequoia Capital China, with Singapore and India its first markets.",
		"Nigerian payments firm Korapay raised $5 million from American and British investors including Tiger Global.",
		"The Swedish battery maker closed a SEK 500 million round led by Norwegian fund Investinor, with Danish and Finnish backers joining.",
	} {
		for _, dl := range Extract(in).Deals {
			if vocabOK := loadVocab(); vocabOK.isPlaceOrPeople(dl.Company) {
				t.Errorf("Extract(%q): company %q is a place or nationality", in, dl.Company)
			}
			for _, iv := range dl.Investors {
				if loadVocab().isPlaceOrPeople(iv.Name) {
					t.Errorf("Extract(%q): investor %q is a place or nationality", in, iv.Name)
				}
			}
		}
	}
}

// Lettered rounds in the forms trade copy and other languages write them.
func TestSeriesForms(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Investors have raised $35 million in series B funding for Acme.", "series b"},
		{"Acme closed a $12 million Series A round.", "series a"},
		{"Das Zürcher Unternehmen Acme hat in einer Series-C-Runde 70 Millionen Euro eingesammelt.", "series c"},
		{"Acme raised $5 million to build a series of products.", "unknown"},
	} {
		x := Extract(tt.in)
		if len(x.Deals) == 0 {
			t.Errorf("Extract(%q): no deal", tt.in)
			continue
		}
		if got := x.Deals[0].Round; got != tt.want {
			t.Errorf("Extract(%q): round %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A run of legal-form words alone ("Ltd", "Co.") is what is left of a name
// cut off before it, never a company or an investor of its own.
func TestLegalFormAloneIsNoName(t *testing.T) {
	for _, text := range []string{
		"Torvik, Ltd. raised $20 million from Alder Capital.",
		"Ltd has raised $20 million in a round from Alder Capital and Co.",
		"Merbau Tech Co., Ltd. secured $5 million from Brisa Partners, Ltd.",
	} {
		ex := Extract(text)
		for _, dl := range ex.Deals {
			names := []string{dl.Company}
			for _, inv := range dl.Investors {
				names = append(names, inv.Name)
			}
			for _, n := range names {
				switch strings.Trim(strings.ToLower(n), ". ") {
				case "ltd", "co", "inc", "llc", "pvt":
					t.Errorf("%q: the legal form %q became a name (deal %+v)", text, n, dl)
				}
			}
		}
		if len(ex.Deals) == 0 {
			t.Errorf("%q: no deal", text)
		}
	}
}

// A name opened by a word that alone opens none ("Founders", "Angel",
// "One", "Venture") is read whole when an organisation word ends it, or
// when it and one other word stand as an item of a list ("Venture Tarn");
// such a word before a stop word, an organisation word alone or a single
// word outside a list opens no name.
func TestStopWordOpensOrganisation(t *testing.T) {
	d := newDoc("from Founders Quarry Capital, Angel Tessel Fund, One Harrow Ventures, Angel Investors, Founders Fund, Venture Tarn and Venture Capital. Venture Quill said so", loadVocab())
	defer d.release()
	var got []string
	for i := range d.toks {
		if e := d.stopHeadRun(i, len(d.toks)); e > i {
			got = append(got, d.text[d.toks[i].start:d.toks[e-1].end])
		}
	}
	want := []string{"Founders Quarry Capital", "Angel Tessel Fund", "One Harrow Ventures", "Venture Tarn"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("names opened by a stop word: got %q, want %q", got, want)
	}
}
