package extract

import "testing"

// A share the rules' reader ties to a name stays with it: the link model
// does not give it again to a nearer name (which sharedFigures would then
// prefer), and a relative clause after an apposition ties the share to the
// name the apposition describes. Every name is invented.
func TestShareStaysWithItsReader(t *testing.T) {
	cases := []struct {
		name, in string
		want     map[string]string // investor -> share text; "" for no share (listed or not)
	}{
		{"apposition before the relative clause",
			"Quillon raised $40 million in a Series A led by Harrow Capital, the venture firm headed by Tessa Marlow, which put in $12 million.",
			map[string]string{"Harrow Capital": "$12 million", "Tessa Marlow": ""}},
		{"relative clause right after the name",
			"Quillon raised $40 million in a Series A led by Ardent Labs, which put in $12 million.",
			map[string]string{"Ardent Labs": "$12 million"}},
		{"a share set in the past",
			"Quillon raised $40 million in a Series A led by Harrow Capital. In 2019, Ardent Labs and Bexley Partners had put in $6 million.",
			map[string]string{"Harrow Capital": "", "Ardent Labs": "", "Bexley Partners": ""}},
		{"givers after a passive verb, each",
			"Quillon raised $900 million. Harrow Capital will invest $400 million, on top of $300 million injected by Tessaro Group and Bexley Partners each.",
			map[string]string{"Tessaro Group": "$300 million", "Bexley Partners": "$300 million", "Harrow Capital": "$400 million"}},
		{"an investment by the lead",
			"Quillon secured $1.2 billion in a Series D led by an $800 million investment by Tessaro Group.",
			map[string]string{"Tessaro Group": "$800 million"}},
		{"Spanish passive share",
			"Quillon cerró una ronda de 12 millones de euros, y 7 millones fueron aportados por la Alder Capital.",
			map[string]string{"Alder Capital": "7 millones"}},
		{"lenders' parts of one facility",
			"Quillon has drawn a $90mn debt facility from Vastel, Orrin Bank and Bexley Bank. Vastel has put up $50mn of the debt, with Orrin Bank taking a ticket of $25mn. Bexley Bank, the smallest lender, is providing a tranche worth $15mn.",
			map[string]string{"Vastel": "$50mn", "Orrin Bank": "$25mn", "Bexley Bank": "$15mn"}},
		{"the speaker gives its own share",
			"Quillon secured £700 million in debt from Orrin Bank and the Harrow Development Bank. Harrow Development Bank said it would provide £150 million of it.",
			map[string]string{"Harrow Development Bank": "£150 million"}},
		{"no apposition: the list before the clause",
			"Quillon raised $40 million, a round led by Ardent Labs, which put in $12 million.",
			map[string]string{"Ardent Labs": "$12 million"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := map[string]string{}
			for _, d := range Extract(c.in).Deals {
				for _, iv := range d.Investors {
					got[iv.Name] = ""
					if iv.Amount != nil {
						got[iv.Name] = iv.Amount.Text
					}
				}
			}
			for name, want := range c.want {
				share, ok := got[name]
				if share != want || !ok && want != "" {
					t.Errorf("investor %q: got share %q (listed %v), want %q; all: %v", name, share, ok, want, got)
				}
			}
		})
	}
}
