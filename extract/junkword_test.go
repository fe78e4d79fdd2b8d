package extract

import "testing"

// dropJunkWord drops a deal's one-word company that is a frequent word the
// model does not believe a company, or did not score at all, whichever
// step named it; a word of no language, a word in capitals and a word the
// text writes inside a longer name stay. The name model's beliefs are set
// by hand (every name 0.05 a company, below junkCompany) so that
// retraining cannot move the cases.
func TestDropJunkWord(t *testing.T) {
	for _, tc := range []struct {
		name, text, company, want string
	}{
		{"a plain word goes",
			"Further raised €4 million from Ostwind Capital to build inspection drones.", "Further", ""},
		{"an unscored plain word goes",
			"Vantquill raised €4 million from Ostwind Capital to build inspection drones.", "Top", ""},
		{"a word of no language stays",
			"Vantquill raised €4 million from Ostwind Capital to build inspection drones.", "Vantquill", "Vantquill"},
		{"a word in capitals stays",
			"FURTHER raised €4 million from Ostwind Capital to build inspection drones.", "FURTHER", "FURTHER"},
		{"a word of a longer name stays",
			"Satellite Lune raised €4 million from Ostwind Capital. Satellite Lune maps farmland.", "Lune", "Lune"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, a, m := scoredAnalysis(tc.text, false)
			defer d.release()
			believeCompanies(d, m, a, 0.05)
			db := &dealB{company: tc.company, companyAt: -1, amt: -1, sent: 0}
			d.dropJunkWord(a, db)
			if db.company != tc.want {
				t.Errorf("company %q, want %q", db.company, tc.want)
			}
		})
	}
}
