package export

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
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

// TestUnreadIsUnread checks the lists of members each kind of rows does
// not read ([unread]): rows built from a record with every field set are
// the rows built from it with those members removed. A row that starts
// to read a listed member fails here, before an export from SQLite would
// write it empty.
func TestUnreadIsUnread(t *testing.T) {
	rates, err := fx.Default()
	if err != nil {
		t.Fatal(err)
	}
	full := filledDeal(t)
	// Also with the merged figures equal to a source's, which some
	// columns compare (the chosen amount, the evidence's source).
	same := full
	same.Amount = full.Sources[1].Deal.Amount
	same.Valuation = &news.Valuation{Money: *full.Sources[1].Deal.Amount, Basis: "post-money"}
	same.Sources = slices.Clone(full.Sources)
	same.Sources[0].Deal.ValuationAlt = &news.Valuation{Money: *full.Sources[0].Deal.Amount, Basis: "pre-money"}
	same.Sources[0].Deal.ValuationAlt.Currency = same.Valuation.Currency
	// And with confidences left to the source's (a figure or investor
	// without its own).
	amount := *full.Sources[0].Deal.Amount
	amount.Confidence = 0
	same.Sources[0].Deal.Amount = &amount
	same.Investors = slices.Clone(full.Investors)
	same.Investors[0].Confidence = 0
	for _, dr := range []news.DealRecord{full, same} {
		for _, r := range []Rows{RowsDeals, RowsInvestors, RowsAmounts} {
			lean := indextest.WithoutMembers(t, dr, unread[r])
			c := newConverter(rates)
			var got, want any
			switch r {
			case RowsDeals:
				want, got = c.appendDeal(nil, &dr), c.appendDeal(nil, &lean)
			case RowsInvestors:
				want, got = c.appendInvestors(nil, &dr, nil), c.appendInvestors(nil, &lean, nil)
			case RowsAmounts:
				want, got = c.appendAmounts(nil, &dr), c.appendAmounts(nil, &lean)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("rows %s read a member listed as unread (-whole record +without %q):\n%s", r, unread[r], d)
			}
		}
	}
}

// filledDeal is a deal record with every field set to a value of its own
// (two elements in each list, times in UTC), so that a row that reads a
// field shows it.
func filledDeal(t *testing.T) news.DealRecord {
	t.Helper()
	dr := indextest.FilledDeal(t, func(n int) string { return fmt.Sprintf("s%d", n) },
		func(n int) time.Time { return time.Date(2025, 3, n%28+1, 10, 4, 5, 0, time.UTC) })
	dr.Deleted = false
	// Sources name the deal's investors, as the resolver's records do, so
	// that investor rows find their provenance.
	for i := range dr.Sources {
		inv := &dr.Sources[i].Deal.Investors[i]
		inv.Name, inv.Canonical = dr.Investors[i].Name, dr.Investors[i].Canonical
	}
	return dr
}
