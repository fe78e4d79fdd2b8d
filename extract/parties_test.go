package extract

import "testing"

// TestRuleParties checks the company the rules read for a deal's figure
// (companyFor), before the model decides: the borrower an arranger lines
// money up for, the target after a place's possessive, the asset a seller
// sells, and a name kept whole across "Pvt." before "Ltd". These cases are
// not in the general tables, so they do not train the model.
func TestRuleParties(t *testing.T) {
	for _, tt := range []struct{ in, round, want string }{
		{"Calder Bank lined up $2 billion of debt for the Orrin data centre in Texas.", "debt", "Orrin"},
		{"Ostrava Securities arranged a $300 million term loan for fibre operator Kestrel Fibre.", "debt", "Kestrel Fibre"},
		{"Harwick will buy Norway's Fjellstad for $420 million in cash.", "acquisition", "Fjellstad"},
		{"Oberon Group is selling its Tallis Logistics unit to private equity firm Wexford Partners for $1.1 billion.", "acquisition", "Tallis Logistics"},
		{"Brennan Media has closed the sale of newswire service Corvid Wire to Halden for $840 million.", "acquisition", "Corvid Wire"},
		{"Tarnside Cabs Pvt. Ltd has raised Rs 12 crore from Ardent Capital to add vehicles.", "unknown", "Tarnside Cabs Pvt. Ltd"},
		// A stake written as an interest, or in another language.
		{"Harwick Motor agreed to buy a 30% interest in Tessel Foods for $40 million.", "acquisition", "Tessel Foods"},
		{"Harwick Motor vai comprar uma participação na Tessel Alimentos por R$ 40 milhões.", "acquisition", "Tessel Alimentos"},
		// Without an arranging verb "for" names what the money is for.
		{"Palisade Bank lent $40 million to Corran Foods for the Tessel plant.", "debt", "Corran Foods"},
	} {
		d := newDoc(tt.in, loadVocab())
		amts, _ := d.scan()
		if len(amts) == 0 {
			d.release()
			t.Fatalf("no figure in %q", tt.in)
		}
		a := amts[0]
		got, _, _ := d.companyFor(a.h.qi, a.h.tj, a.sent, tt.round, "")
		d.release()
		if got != tt.want {
			t.Errorf("companyFor(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSentenceOpenerNoName checks that a sentence opener of another
// corpus language is no name candidate ("Avec 9 millions levés, Antaios
// ...").
func TestSentenceOpenerNoName(t *testing.T) {
	d := newDoc("Avec 9 millions d'euros levés, Antaios occupe la première place.", loadVocab())
	defer d.release()
	if _, _, ok := d.nameRun(0, len(d.toks)); ok {
		t.Errorf("nameRun read a name at %q", d.tx(0))
	}
}
