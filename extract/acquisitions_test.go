package extract

import (
	"slices"
	"testing"
)

// An acquisition told without a figure, with its buyer and its target, is
// a deal of the target; one dated in the past, called off, already a
// deal's, or whose target is a place is not. The rules alone decide
// (ExtractWith nil), so that retraining cannot move the cases.
func TestOpenAcquisitions(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string // company, buyer and round of every deal
	}{
		{"a digest's lines",
			"Harwick acquires Fjellstad / US, HR Software\nOstwind acquires Tessaly Labs / UK, Payroll",
			[]string{"Fjellstad|Harwick|acquisition", "Tessaly Labs|Ostwind|acquisition"}},
		{"a perfect with a descriptor",
			"Lumetra has acquired London-based advisory firm Quellmark Partners as it pushes into the UK.",
			[]string{"Quellmark Partners|Lumetra|acquisition"}},
		{"a year dates it",
			"Kestrel raised $5 million from Alder Capital. It acquired Brindle in 2019.",
			[]string{"Kestrel||unknown"}},
		{"an opening month dates it",
			"Kestrel raised $5 million from Alder Capital. Its shares rose. The team grew. In April, Kestrel acquired Brindle Labs.",
			[]string{"Kestrel||unknown"}},
		{"called off",
			"Harwick abandons plan to acquire Fjellstad",
			nil},
		{"the deal with its figure stays the only one",
			"Harwick buys Fjellstad for $40 million. Harwick acquires Fjellstad to grow.",
			[]string{"Fjellstad|Harwick|acquisition"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, dl := range ExtractWith(tc.text, nil).Deals {
				got = append(got, dl.Company+"|"+dl.Acquirer+"|"+dl.Round)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("deals %q, want %q", got, tc.want)
			}
		})
	}
}
