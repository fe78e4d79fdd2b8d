package extract

import "testing"

// dropJunkWord drops a deal's one-word company that is a frequent word the
// model does not believe a company, or did not score at all, whichever
// step named it, and the rules' fallback for the text that the model does
// not believe a company, and a city or a state of the place data; a word
// of no language read where the text writes
// it, a word in capitals and a word the text writes inside a longer name
// stay. The name model's beliefs are set
// by hand (every name 0.05 a company, below junkCompany) so that
// retraining cannot move the cases.
func TestDropJunkWord(t *testing.T) {
	for _, tc := range []struct {
		name, text, company, want string
		at                        int // where the rules read the company; -1 for their fallback
	}{
		{"a plain word goes",
			"Further raised €4 million from Ostwind Capital to build inspection drones.", "Further", "", 0},
		{"an unscored plain word goes",
			"Vantquill raised €4 million from Ostwind Capital to build inspection drones.", "Top", "", -1},
		{"a word of no language stays",
			"Vantquill raised €4 million from Ostwind Capital to build inspection drones.", "Vantquill", "Vantquill", 0},
		{"the rules' fallback goes",
			"Vantquill raised €4 million from Ostwind Capital to build inspection drones.", "Vantquill", "", -1},
		{"a word in capitals stays",
			"FURTHER raised €4 million from Ostwind Capital to build inspection drones.", "FURTHER", "FURTHER", 0},
		{"a word of a longer name stays",
			"Satellite Lune raised €4 million from Ostwind Capital. Satellite Lune maps farmland.", "Lune", "Lune", 1},
		{"a city goes",
			"Tampere raised €4 million from Ostwind Capital to build inspection drones.", "Tampere", "", 0},
		{"a state goes",
			"South Carolina got €4 million from Ostwind Capital for inspection drones.", "South Carolina", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, a, m := scoredAnalysis(tc.text, false)
			defer d.release()
			believeCompanies(d, m, a, 0.05)
			db := &dealB{company: tc.company, companyAt: tc.at, amt: -1, sent: 0}
			d.dropJunkWord(a, db)
			if db.company != tc.want {
				t.Errorf("company %q, want %q", db.company, tc.want)
			}
		})
	}
}
