package export

import (
	"testing"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// TestInvestorSource checks the provenance of investor rows: the first
// source, in order, that names the investor under the same key, however
// the names are written, across the deals one converter serves.
func TestInvestorSource(t *testing.T) {
	inv := func(name, canonical string) news.Investor { return news.Investor{Name: name, Canonical: canonical} }
	src := func(id string, invs ...news.Investor) news.DealSource {
		return news.DealSource{ArticleID: id, Deal: news.Deal{Investors: invs}}
	}
	deals := []news.DealRecord{
		{
			Investors: []news.Investor{inv("a16z", "Andreessen Horowitz"), inv("Sequoia", "Sequoia Capital"), inv("Nobody Named", ""), inv("  index   ventures ", "")},
			Sources: []news.DealSource{
				src("a1", inv("Sequoia Capital", "")),
				src("a2", inv("ANDREESSEN  horowitz", ""), inv("sequoia capital", ""), inv("Index Ventures", "")),
				src("a3", inv("Andreessen Horowitz", "Andreessen Horowitz")),
			},
		},
		{ // the next deal: nothing of the first one's sources is left
			Investors: []news.Investor{inv("Sequoia", "Sequoia Capital"), inv("Accel", "")},
			Sources:   []news.DealSource{src("b1", inv("accel", "")), src("b2", inv("Sequoia Capital", ""))},
		},
		{Investors: []news.Investor{inv("Accel", "")}}, // no sources
	}
	// want is the plain search the converter's cached keys replace.
	want := func(dr *news.DealRecord, inv news.Investor) (string, string) {
		key := index.Key(investorName(inv))
		for i := range dr.Sources {
			for k := range dr.Sources[i].Deal.Investors {
				if si := dr.Sources[i].Deal.Investors[k]; index.Key(investorName(si)) == key {
					return dr.Sources[i].ArticleID, si.Name
				}
			}
		}
		return "", ""
	}
	c := &converter{}
	for d := range deals {
		dr := &deals[d]
		for i, inv := range dr.Investors {
			s, si := c.investorSource(dr, inv, i == 0)
			got := [2]string{}
			if s != nil {
				got = [2]string{s.ArticleID, si.Name}
			}
			if a, n := want(dr, inv); got != [2]string{a, n} {
				t.Errorf("deal %d, investor %q: source %q (%q), want %q (%q)", d, investorName(inv), got[0], got[1], a, n)
			}
		}
	}
	// Spot-check the expected answers themselves.
	if s, si := c.investorSource(&deals[0], deals[0].Investors[0], true); s == nil || s.ArticleID != "a2" || si.Name != "ANDREESSEN  horowitz" {
		t.Errorf("Andreessen Horowitz: got %v %v, want a2's ANDREESSEN  horowitz", s, si)
	}
	if s, _ := c.investorSource(&deals[0], deals[0].Investors[2], false); s != nil {
		t.Errorf("an investor no source names: got source %s", s.ArticleID)
	}
}
