package extract

import "testing"

// Words a headline capitalises before a name, an article other than the
// name's own, and a possessive written every time (extract/README.md,
// companies named as the text writes them).
func TestCompanyFormLeadAndPossessive(t *testing.T) {
	for _, tt := range []struct{ name, text, company, want string }{
		{"headline words before a name written alone", "Design Blog Quillpost Raises €200K\n\nThe blog, Quillpost, took money from angels. We saw Quillpost hire.", "Design Blog Quillpost", "Quillpost"},
		{"another article before the name", "Das Joint Venture Tessel Speicher Plattform erhielt 40 Millionen Euro. Die Tessel Speicher Plattform baut zwei Anlagen.", "Das Joint Venture Tessel Speicher Plattform", "Tessel Speicher Plattform"},
		{"the name's own article", "The Brindle Company raised $5 million. The Brindle Company makes robots.", "The Brindle Company", "The Brindle Company"},
		{"a possessive written every time", "Quillu's board approved the round. Quillu's app has ten million users.", "Quillu", "Quillu's"},
		{"a typographic possessive", "Quillu’s round closed. Quillu’s founders said so.", "Quillu", "Quillu’s"},
		{"a possessive written once", "Quillu's board approved a $5 million round.", "Quillu", "Quillu"},
		{"a possessive not written every time", "Quillu's board approved the round. Quillu will hire.", "Quillu", "Quillu"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := newDoc(tt.text, loadVocab())
			if got := d.companyForm(nil, tt.company); got != tt.want {
				t.Errorf("companyForm(%q) in %q = %q, want %q", tt.company, tt.text, got, tt.want)
			}
		})
	}
}

// A person named by the surname alone or with a title glued to the name
// is no company; a one-word company after a given name written once is
// kept apart from it only by the rest of the text.
func TestPersonShapes(t *testing.T) {
	for _, tt := range []struct {
		text, name string
		want       bool
	}{
		{"Billionaire Warren Quastel is buying into Brindle. Quastel said the $90 million deal suits him.", "Quastel", true},
		{"Quastel raised $90 million from Alder.", "Quastel", false},
		{"Scientists Laurent Quastel and Ann Roe left. Quastel Labs raised $9 million.", "Scientists Laurent Quastel", true},
		{"Chief Scientist Laurent Quastel joined Brindle.", "Chief Scientist Laurent Quastel", true},
		{"Brindle Quantum Labs raised $9 million.", "Brindle Quantum Labs", false},
	} {
		d := newDoc(tt.text, loadVocab())
		if got := d.surnameAlone(tt.name) || d.titleInName(tt.name); got != tt.want {
			t.Errorf("person %q in %q = %v, want %v", tt.name, tt.text, got, tt.want)
		}
	}
}

// The giver written as the subject of a giving verb before the deal's
// figure is no company: the name after the verb is.
func TestReceiverOfGiver(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"Tollhaus doubles down on game studio Brindle Games with $90M investment", "Brindle Games"},
	} {
		x := Extract(tt.text)
		if len(x.Deals) == 0 || x.Deals[0].Company != tt.want {
			t.Errorf("Extract(%q) = %+v, want the company %q", tt.text, x.Deals, tt.want)
		}
	}
	text := "Orvane Capital has agreed to provide a $1 billion loan to Heliosphere Power to finance a 500 MW solar park."
	for _, dl := range Extract(text).Deals {
		if dl.Company == "500 MW" {
			t.Errorf("Extract(%q): a figure became the company", text)
		}
	}
}
