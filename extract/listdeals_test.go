package extract

import (
	"slices"
	"testing"
)

// A roundup's list of companies gets a deal per company: a figure each of
// them raised, figures paired in order with "respectively", and a bracketed
// item whose figure repeats an earlier item's. The rules alone decide
// (ExtractWith nil), so that retraining cannot move the cases.
func TestListCompanies(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string // company and amount text of every deal, in output order
	}{
		{"each after the figure",
			"Tessaly and Quellmark raised $2 million each.",
			[]string{"Quellmark $2 million", "Tessaly $2 million"}},
		{"each after a qualified figure, four names",
			"In health, Brindle, Korvath, Lumetra and Ostwind raised more than $50m each, while others waited.",
			[]string{"Brindle $50m", "Korvath $50m", "Lumetra $50m", "Ostwind $50m"}},
		{"an investor's share each stays one deal",
			"Kestrel raised $40 million. Alder Capital and Birch Ventures invested $10 million each.",
			[]string{"Kestrel $40 million"}},
		{"respectively, a plain list",
			"Tessaly and Quellmark raised $3 million and $2 million, respectively.",
			[]string{"Tessaly $3 million", "Quellmark $2 million"}},
		{"respectively, names after what they do",
			"Antiviral drug maker Tessaly and chip and sensor developer Quellmark raised £3m and £2m respectively.",
			[]string{"Tessaly £3m", "Quellmark £2m"}},
		{"respectively, the list not the subject",
			"Kestrel said Tessaly and Quellmark raised £3m and £2m respectively.",
			[]string{"Kestrel £3m", "Kestrel £2m"}},
		{"a repeated figure in a roundup's brackets",
			"Of the startups, Tessaly ($1m), Orvane ($2m), Quellmark ($1m) and Brindle ($4m) raised money.",
			[]string{"Tessaly $1m", "Quellmark $1m", "Orvane $2m", "Brindle $4m"}},
		{"a restatement outside brackets stays one deal",
			"Tessaly raised $1 million in May. Quellmark ($1m) and Orvane ($2m) followed.",
			[]string{"Tessaly $1 million", "Orvane $2m"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, dl := range ExtractWith(tc.text, nil).Deals {
				am := ""
				if dl.Amount != nil {
					am = dl.Amount.Text
				}
				got = append(got, dl.Company+" "+am)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("deals %q, want %q", got, tc.want)
			}
		})
	}
}

// "Both" before the raise verb gives the figure to each name of the list
// before it, as "each" after the figure does; the rules name no company
// there (the model does), so the deal is set by hand.
func TestEachList(t *testing.T) {
	for _, tc := range []struct {
		text, company string
		want          []string
	}{
		{"Tessaly and Quellmark both raised $40 million.", "Quellmark", []string{"Tessaly", "Quellmark"}},
		{"Tessaly and Quellmark raised $40 million each.", "Tessaly", []string{"Tessaly", "Quellmark"}},
		{"Tessaly and Quellmark raised $40 million.", "Quellmark", nil},
		{"Tessaly and Quellmark both raised $40 million.", "Kestrel", nil},
	} {
		d := newDoc(tc.text, loadVocab())
		a := d.analyse()
		if len(a.amts) != 1 {
			t.Fatalf("%q: %d figures read, want 1", tc.text, len(a.amts))
		}
		db := &dealB{amt: 0, sent: 0, company: tc.company, companyAt: -1}
		var got []string
		for _, it := range d.eachList(a, db) {
			got = append(got, d.nameText(it.nameRef))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q with %s: list %q, want %q", tc.text, tc.company, got, tc.want)
		}
		d.release()
	}
}
