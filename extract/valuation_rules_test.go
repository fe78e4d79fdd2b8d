package extract

import "testing"

// The rules' reading of a figure after a valuation cue (before any model):
// "worth" gives what a company is worth only after a copula or an adverb
// of state, and a listed company's market capitalisation is no round's
// valuation (the realnews convention puts it in other_amounts).
func TestValuationCueReadings(t *testing.T) {
	for _, tc := range []struct {
		text, fig string
		want      role
	}{
		{"Tessel Robotics is now worth $6 billion after the round.", "$6 billion", roleValuation},
		{"Tessel Robotics raised $300 million and is worth $6 billion.", "$6 billion", roleValuation},
		{"Tessel Robotics secured a new investment worth $40 million.", "$40 million", roleRaise},
		{"Tessel Robotics closed a Series A round worth $12 million.", "$12 million", roleRaise},
		{"Tessel Robotics issued stock options worth $4 million to its staff.", "$4 million", roleOther},
		{"Tessel Robotics raised $300 million at a valuation of $6 billion.", "$6 billion", roleValuation},
		{"Tessel lève 30 millions d'euros et se voit estimée à 400 millions d'euros.", "400 millions d'euros", roleValuation},
		{"Tessel recaudó US$ 30 millones de inversores que la valuaron en US$ 400 millones.", "US$ 400 millones", roleValuation},
		{"Die Runde könnte die Unternehmensbewertung auf vier Milliarden Euro heben.", "vier Milliarden Euro", roleValuation},
		{"Its rival Brindle, listed since 2019, has a market cap of $9 billion.", "$9 billion", roleOther},
		{"Brindle's market capitalization was about $9 billion on Friday.", "$9 billion", roleOther},
	} {
		d := newDoc(tc.text, loadVocab())
		a := d.analyse()
		found := false
		for _, am := range a.amts {
			if d.toMoney(am.h).Text != tc.fig {
				continue
			}
			found = true
			if am.role != tc.want {
				t.Errorf("%q: %s read as %s, want %s", tc.text, tc.fig, roleNames[am.role], roleNames[tc.want])
			}
		}
		if !found {
			t.Errorf("%q: no figure %s", tc.text, tc.fig)
		}
		d.release()
	}
}
