package extract

import "testing"

// TestPersonLike checks the names read as a person's (a given name of the
// first-name data, then a surname), which are never a deal's company.
func TestPersonLike(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"Marta Quist", true},
		{"Jonas Berglund Hale", true},
		{"Lila Sciences", false},         // a common word ends it
		{"Serena Capital", false},        // an organisation word
		{"Theo AI", false},               // an acronym, not a surname
		{"Marta Quist Ltd", false},       // a legal form
		{"Quillfeather Robotics", false}, // no given name
		{"Marta", false},                 // one word
	} {
		d := newDoc(tt.in, loadVocab())
		got := d.personLike(0, len(d.toks))
		d.release()
		if got != tt.want {
			t.Errorf("personLike(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestPersonIsNoCompany checks that a founder read as the subject does not
// become the deal's company, whatever the model believes of the name, when
// the text calls the person by the surname too; a company named like a
// person ("Aurora Hydrogen", TestGeneral2) keeps its name.
func TestPersonIsNoCompany(t *testing.T) {
	text := "Marta Quist leaves Orbitel to start a robot maker\nMarta Quist closed $20 million for the venture from Harbor Ventures and two angels, Quist said.\n"
	ex := Extract(text)
	if len(ex.Deals) == 0 {
		t.Fatalf("no deal in %q", text)
	}
	for _, dl := range ex.Deals {
		if dl.Company == "Marta Quist" {
			t.Errorf("deal %+v names the founder as its company", dl)
		}
	}
}

// TestPartyShortened checks that a deal's acquirer written shorter ("Harwick
// Motor" for "Harwick Motor Group Ltd") is still the buyer, not the target.
func TestPartyShortened(t *testing.T) {
	d := newDoc("Harwick Motor", loadVocab())
	defer d.release()
	db := &dealB{acquirer: "Harwick Motor Group Ltd"}
	if !d.partyOf(db, d.normName("Harwick Motor")) {
		t.Errorf("partyOf: the shortened acquirer is not the deal's buyer")
	}
	if d.partyOf(db, d.normName("Tessel Foods")) {
		t.Errorf("partyOf: another name is the deal's buyer")
	}
}

// TestDefiniteSubjectNamesEarlier checks that "The payments company closed
// ..." takes the company named in the sentence before when the text's
// opening names none.
func TestDefiniteSubjectNamesEarlier(t *testing.T) {
	text := "West African markets go cashless.\n\nTessolar, which makes terminals for market traders, announced new funding on Monday. " +
		"The payments company closed $40 million in a Series B round, its founders told reporters.\n"
	ex := Extract(text)
	found := false
	for _, dl := range ex.Deals {
		if dl.Amount != nil {
			found = true
			if dl.Company != "Tessolar" {
				t.Errorf("the $40 million deal's company = %q, want Tessolar", dl.Company)
			}
		}
	}
	if !found {
		t.Errorf("no deal with the figure in %+v", ex.Deals)
	}
}

// TestChosenCompanyWithoutDescriptor checks that the name the model
// chooses as a deal's company is given without the descriptor written
// before it ("Bicycle Startup Quillora" is Quillora).
func TestChosenCompanyWithoutDescriptor(t *testing.T) {
	d := newDoc("Bicycle Startup Quillora Lands $3 Million", loadVocab())
	defer d.release()
	a := &analysis{
		deals:   []*dealB{{company: ""}},
		names:   []nameCand{{r: nameRef{s: 0, e: 3}, key: "bicycle startup quillora", text: "Bicycle Startup Quillora"}},
		keys:    []nameKey{{key: "bicycle startup quillora", first: 0, occ: []int{0}}},
		keyProb: map[string][]float64{"bicycle startup quillora": {0.1, 0.8, 0.05, 0.05}},
	}
	d.decideCompany(a, a.deals[0], []int{0})
	if got := a.deals[0].company; got != "Quillora" {
		t.Errorf("company = %q, want Quillora", got)
	}
}

// TestOneLetterIsNoCompany checks that an elided article read as a name
// ("L" of "L'entreprise") is neither kept as the rules' company nor chosen.
func TestOneLetterIsNoCompany(t *testing.T) {
	d := newDoc("L'entreprise Quillora annonce 8 millions d'euros.", loadVocab())
	defer d.release()
	a := &analysis{
		deals:   []*dealB{{company: "L"}},
		names:   []nameCand{{r: nameRef{s: 0, e: 1}, key: "l", text: "L"}, {r: nameRef{s: 3, e: 4}, key: "quillora", text: "Quillora"}},
		keys:    []nameKey{{key: "l", first: 0, occ: []int{0}}, {key: "quillora", first: 1, occ: []int{1}}},
		keyProb: map[string][]float64{"l": {0.4, 0.5, 0.05, 0.05}, "quillora": {0.6, 0.3, 0.05, 0.05}},
	}
	d.decideCompany(a, a.deals[0], []int{0, 1})
	if got := a.deals[0].company; got != "Quillora" {
		t.Errorf("company = %q, want Quillora", got)
	}
}
