package extract

import (
	"slices"
	"testing"

	"github.com/dealwire/dealwire/news"
)

// A deal reported with no figure and no cue the rules read ("undisclosed",
// a named round) is opened by the name model: the backed company and the
// financed plant are named where money moves, and nothing else is a deal.
func TestModelOpensDealsWithoutFigure(t *testing.T) {
	for _, tc := range []struct {
		name, text, company, investor, capacity string
	}{
		{
			name: "investment with terms not given",
			text: "Ostwind Capital backs Lumetra Robotics\n\n" +
				"Ostwind Capital has invested in Lumetra Robotics, a Tallinn maker of warehouse robots, the two companies said on Tuesday. " +
				"The terms of the investment were not given.",
			company: "Lumetra Robotics", investor: "Ostwind Capital",
		},
		{
			name: "plant financed by a bank",
			text: "Halvorsen Bank finances Kestrel Ridge wind farm\n\n" +
				"Halvorsen Bank has agreed to finance the construction of the Kestrel Ridge wind farm, developed by Brantwood Renewables. " +
				"The plant will have a capacity of 48 MW.",
			company: "Kestrel Ridge", investor: "Halvorsen Bank", capacity: "48 MW",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ex := Extract(tc.text)
			if len(ex.Deals) != 1 {
				t.Fatalf("%d deals, want one: %+v", len(ex.Deals), ex.Deals)
			}
			dl := ex.Deals[0]
			if dl.Company != tc.company || dl.Amount != nil {
				t.Errorf("deal %q with amount %+v, want %q with none", dl.Company, dl.Amount, tc.company)
			}
			if !slices.ContainsFunc(dl.Investors, func(iv news.Investor) bool { return iv.Name == tc.investor }) {
				t.Errorf("investors %+v, want %q among them", dl.Investors, tc.investor)
			}
			var caps []string
			for _, c := range dl.Capacity {
				caps = append(caps, c.Text)
			}
			if tc.capacity != "" && !slices.Contains(caps, tc.capacity) {
				t.Errorf("capacity %q, want %q", caps, tc.capacity)
			}
			if dl.Confidence <= 0 || dl.Confidence >= 1 {
				t.Errorf("confidence %v, want the model's belief in the company", dl.Confidence)
			}
		})
	}
}
