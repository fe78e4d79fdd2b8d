package extract

import "testing"

// The company is written as the rest of the text writes it: without a
// dateline, an article or a descriptor the text also leaves off, with a
// word the readers cut that the text never leaves off, and whole when glued
// to the word before it.
func TestCompanyForm(t *testing.T) {
	for _, tt := range []struct{ name, text, company, want string }{
		{"dateline", "NAIROBI Kestrel Oil raised $300 million in a bond sale. Kestrel Oil said the notes were priced at par.", "NAIROBI Kestrel Oil", "Kestrel Oil"},
		{"article", "O Colmeia recebeu R$ 3 milhões. Com o dinheiro, o Colmeia vai crescer.", "O Colmeia", "Colmeia"},
		{"descriptor", "Battery Maker Vantor Grid Secures $320 Million. Vantor Grid will build ten sites.", "Battery Maker Vantor Grid", "Vantor Grid"},
		{"common words before a preposition", "Alder Bank Arranges $120MM in Loan Facilities for Quillora. Quillora makes sensors.", "Loan Facilities for Quillora", "Quillora"},
		{"a sector word the text never leaves off", "Satellite Quill raised £12.7m in a Series A round. Satellite Quill makes cameras.", "Quill", "Satellite Quill"},
		{"a stop word the text never leaves off", "New Tillbrook closed a $290 million term loan. New Tillbrook will build plants.", "Tillbrook", "New Tillbrook"},
		{"glued by a full stop", "Reverso.AI raised $15M in a Series A round.", "AI", "Reverso.AI"},
		{"glued by a hyphen to a lower-case word", "Chip startup d-Quill has raised $110m.", "Quill", "d-Quill"},
		{"two names joined by a hyphen stay apart", "Under the Alder-Brook Systems deal, Brook Systems holders get $30 a share.", "Brook Systems", "Brook Systems"},
		{"the text writes it with the dateline as often", "DUBAI Kestrel Oil raised $300 million.", "DUBAI Kestrel Oil", "DUBAI Kestrel Oil"},
		{"a common word left alone is no name", "Green Monday raised $70 million on Monday.", "Green Monday", "Green Monday"},
		{"a place left alone is no name", "Bank of America lent $50 million. America is its market.", "Bank of America", "Bank of America"},
		{"a person keeps the given name", "Frank Tollan led the round. Tollan said the $5 million would last.", "Frank Tollan", "Frank Tollan"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := newDoc(tt.text, loadVocab())
			if got := d.companyForm(nil, tt.company); got != tt.want {
				t.Errorf("companyForm(%q) in %q = %q, want %q", tt.company, tt.text, got, tt.want)
			}
		})
	}
}

// What a headline glues onto the company is no part of it.
func TestCompanyFormTrimsHeadline(t *testing.T) {
	for _, tt := range []struct{ text, company, want string }{
		{"Harbor Partners Leads $7M Tessel Games Raise", "M Tessel Games", "Tessel Games"},
		{"Lumetra Therapeutics Closes $40 Million Series B", "Lumetra Therapeutics Closes", "Lumetra Therapeutics"},
		{"Quillbox Sets Listing Terms", "Quillbox Sets Listing Terms", "Quillbox"},
		{"TOLLHAUS TO ACQUIRE BRINDLE IN USD 48M PURCHASE", "BRINDLE IN USD 48M PURCHASE", "BRINDLE"},
		{"Drei Startups: Quellbach 370.000 Euro, Tannmark 220.000 Euro.", "Quellbach 370.000 Euro", "Quellbach"},
		{"Brindle Systems S.A. raised $109 million.", "Brindle Systems S.A.", "Brindle Systems S.A."},
	} {
		d := newDoc(tt.text, loadVocab())
		d.analyse() // the figures
		if got := d.companyForm(nil, tt.company); got != tt.want {
			t.Errorf("companyForm(%q) in %q = %q, want %q", tt.company, tt.text, got, tt.want)
		}
	}
}

// The company takes the fuller name the text writes it with, unless the
// model takes that name for an investor.
func TestCompanyFormFullName(t *testing.T) {
	for _, tt := range []struct{ text, company, want string }{
		{"Quill Robotics raised $20 million. Quill said it would hire.", "Quill", "Quill Robotics"},
		{"Tessel Sleep Inc closed a $5 million round. Tessel sells beds.", "Tessel", "Tessel Sleep Inc"},
		{"Quillora raised $5 million. Quillora Model Two ships in May.", "Quillora", "Quillora"},
	} {
		d := newDoc(tt.text, loadVocab())
		if got := d.companyForm(nil, tt.company); got != tt.want {
			t.Errorf("companyForm(%q) in %q = %q, want %q", tt.company, tt.text, got, tt.want)
		}
	}
	text := "Google Ventures led a $10 million round in Quillbox, and Google joined."
	x := Extract(text)
	for _, dl := range x.Deals {
		if dl.Company == "Google Ventures" {
			t.Errorf("Extract(%q): the investor %q became the company", text, dl.Company)
		}
	}
}

// A name the text gives a person's title is a person's.
func TestTitledPerson(t *testing.T) {
	for _, tt := range []struct {
		text, name string
		want       bool
	}{
		{"Company founder Zhu Wenbo says the $50 million will fund research.", "Zhu Wenbo", true},
		{"Lian Fengyu, founder and chairman of Hollin Capital, plans a $300 million vehicle.", "Lian Fengyu", true},
		{"Quill Robotics, a startup, raised $20 million.", "Quill Robotics", false},
		{"Founder Partners led the round.", "Founder Partners", false},
		{"Ann Roe said Quillbox raised $5 million.", "Ann Roe", false},
	} {
		d := newDoc(tt.text, loadVocab())
		if got := d.titledPerson(tt.name); got != tt.want {
			t.Errorf("titledPerson(%q) in %q = %v, want %v", tt.name, tt.text, got, tt.want)
		}
	}
}

// A name the text cites as its source is a source's.
func TestSourceName(t *testing.T) {
	for _, tt := range []struct {
		text, name string
		want       bool
	}{
		{"The startup tells Ledger Daily that it closed a $15 million Series A.", "Ledger Daily", true},
		{"Wire News has learnt that Quillbox has secured $40m.", "Wire News", true},
		{"Quillbox told investors it had raised $40m.", "Quillbox", false},
		{"According to Quillbox, the $40m round closed in May.", "Quillbox", false},
	} {
		d := newDoc(tt.text, loadVocab())
		if got := d.sourceName(tt.name); got != tt.want {
			t.Errorf("sourceName(%q) in %q = %v, want %v", tt.name, tt.text, got, tt.want)
		}
	}
}

// An abbreviation the text defines in brackets is written out; one it does
// not define, or whose initials the words before the bracket do not spell,
// stays as written.
func TestCompanyFormSpellsOutAbbreviation(t *testing.T) {
	for _, tt := range []struct{ text, company, want string }{
		{"Harlow Devices Systems SA (HDS) took in €1 million from Alder Capital. HDS makes monitors.", "HDS", "Harlow Devices Systems SA"},
		{"Quill Battery Technology Co. Ltd. (QBTL) raised $300 million.", "QBTL", "Quill Battery Technology Co. Ltd."},
		{"Tessel Fusion Works (“TFW”), a university spinout, raised $80 million.", "TFW", "Tessel Fusion Works"},
		{"Cloud leader\nThe Bank of Tessel Media Group (BTMG) set up a £35m fund.", "BTMG", "Bank of Tessel Media Group"},
		{"Quillbox makes sensors. Alder Brook Capital (ABC) led its $5 million round.", "QB", "QB"},
		{"Vantor Grid (VTG) raised $20 million.", "VTG", "VTG"},
		{"KQRT Pension Fund (PF) bought shares worth $9 million.", "PF", "KQRT Pension Fund"},
		{"The US Tessel Lending Corporation (TLC) approved a $50 million loan.", "TLC", "Tessel Lending Corporation"},
		{"Kestrel Oil raised $300 million. KOL said the notes were priced at par.", "KOL", "KOL"},
	} {
		d := newDoc(tt.text, loadVocab())
		if got := d.companyForm(nil, tt.company); got != tt.want {
			t.Errorf("companyForm(%q) in %q = %q, want %q", tt.company, tt.text, got, tt.want)
		}
	}
}
