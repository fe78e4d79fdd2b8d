package extract

import (
	"slices"
	"strings"
	"testing"
)

// An investment told without a figure, with the investor right before its
// investing phrase and the companies after it, is a deal of each company
// with the investor; one dated in the past, told in a relative clause or of
// a portfolio, planned, or whose company is a descriptor is not. The rules
// alone decide (ExtractWith nil), so that retraining cannot move the cases.
func TestOpenInvestments(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string // company and investors of every deal
	}{
		{"a descriptor before the company",
			"Orvane Ventures has invested in software startup Quellmark, the fund said on Monday.",
			[]string{"Quellmark|Orvane Ventures"}},
		{"a digest's line with two companies",
			"Harwick Partners backs Tessaly and Brindle Labs",
			[]string{"Tessaly|Harwick Partners", "Brindle Labs|Harwick Partners"}},
		{"an announced investment",
			"Kestrelmoor has announced its investment in Norwegian firm Fjellstad Marine, which builds electric ferries.",
			[]string{"Fjellstad Marine|Kestrelmoor"}},
		{"a relative clause tells of the past",
			"Quorra raised $4 million from Alder Capital. Alder Capital, which invested in Brindle, led it.",
			[]string{"Quorra|Alder Capital"}},
		{"a year dates it",
			"Quorra raised $4 million from Alder Capital. Alder Capital invested in Brindle in 2019.",
			[]string{"Quorra|Alder Capital"}},
		{"a portfolio, not the news",
			"Quorra raised $4 million from Alder Capital. Alder Capital is a fund tied to Ostwind Group and also backs Brindle, Tessaly and Corvane.",
			[]string{"Quorra|Alder Capital"}},
		{"a German descriptor is no company",
			"Weltmeister investiert in Robotik-Startup",
			nil},
		{"the investor read as the receiver gives the deal to the company",
			"Harwick has made an investment in Danish software company Tessaly, of an undisclosed amount.",
			[]string{"Tessaly|Harwick"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, dl := range ExtractWith(tc.text, nil).Deals {
				var inv []string
				for _, iv := range dl.Investors {
					inv = append(inv, iv.Name)
				}
				got = append(got, dl.Company+"|"+strings.Join(inv, ","))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("deals %q, want %q", got, tc.want)
			}
		})
	}
}
