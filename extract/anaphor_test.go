package extract

import "testing"

// A sentence that refers to its company by a pronoun or a definite
// descriptor before the figure, in the corpus's languages; a sector noun
// after "the" ("the ketchup business") or "the start of" refers to none.
func TestAnaphorBefore(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"Today the startup said it closed a $9 million round.", true},
		{"It has closed a $9 million round.", true},
		{"La jeune société bordelaise a levé 8 millions d'euros.", true},
		{"Das Kölner Start-up sammelt 5 Millionen Euro ein.", true},
		{"La empresa madrileña cerró una ronda de 3 millones de euros.", true},
		{"Quillmark raised $9 million from Alder Capital.", false},
		{"Tollhaus bought into the ketchup trade with $9 million.", false},
		{"The start of the year saw $9 million raised by Quillmark.", false},
	} {
		d := newDoc(tc.text, loadVocab())
		a := d.analyse()
		qi := len(d.toks)
		if len(a.amts) > 0 {
			qi = a.amts[0].h.qi
		}
		if got := d.anaphorBefore(0, qi); got != tc.want {
			t.Errorf("%q: anaphor before the figure %v, want %v", tc.text, got, tc.want)
		}
		d.release()
	}
}

// A deal left without a company whose sentence refers to it as "the
// startup" takes the subject of the sentence before, unless that is an
// investor of the deal, a place, a given name alone or a frequent word not
// written in capitals. The model's beliefs are set by hand so that retraining cannot
// move the cases.
func TestAnaphorCompany(t *testing.T) {
	const deal = " The startup said it raised €8 million from Alder Capital."
	for _, tc := range []struct {
		name, text, want string
	}{
		{"the name before", "Quillmark builds maps for farms." + deal, "Quillmark"},
		{"not the deal's investor", "Alder Capital builds maps for farms." + deal, ""},
		{"not a place", "Bordeaux builds maps for farms." + deal, ""},
		{"not a given name alone", "Marta builds maps for farms." + deal, ""},
		{"not a frequent word", "Water builds maps for farms." + deal, ""},
		{"a frequent word in capitals", "WATER builds maps for farms." + deal, "WATER"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, a, m := scoredAnalysis(tc.text, false)
			defer d.release()
			believeCompanies(d, m, a, 0.5)
			for _, p := range a.amtProb {
				if p != nil {
					clear(p)
					p[amRaise], p[amOther] = 0.9, 0.1
				}
			}
			d.decideAmounts(a)
			var db *dealB
			for _, x := range a.deals {
				if x.amt >= 0 {
					db = x
				}
			}
			if db == nil {
				t.Fatal("no deal with a figure")
			}
			db.company, db.companyAt = "", -1
			db.investors = []investorB{{key: d.normName("Alder Capital"), name: "Alder Capital", amt: -1}}
			d.anaphorCompany(a, db, d.keysBySentence(a))
			if db.company != tc.want {
				t.Errorf("company %q, want %q", db.company, tc.want)
			}
		})
	}
}
