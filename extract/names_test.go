package extract

import "testing"

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
