package extract

import (
	"slices"
	"testing"
)

// A raise the rules read but could not give to a company becomes other
// money with the mark unowned, which the amount model reads as its own
// rule value; a figure the rules set aside for another reason has no mark.
func TestUnownedRaise(t *testing.T) {
	for _, tc := range []struct {
		text, fig string
		want      bool
	}{
		{"The start-up has raised $3 million, it said on Monday.", "$3 million", true},
		{"Quellmark has raised $3 million from Ostwind Capital.", "$3 million", false},
		{"Its revenue reached $3 million last year.", "$3 million", false},
	} {
		d := newDoc(tc.text, loadVocab())
		a := d.analyse()
		found := false
		for _, am := range a.amts {
			if tc.text[d.toks[am.h.qi].start:d.toks[am.h.tj-1].end] != tc.fig {
				continue
			}
			found = true
			if am.unowned != tc.want {
				t.Errorf("%q in %q: unowned %v, want %v (role %s)", tc.fig, tc.text, am.unowned, tc.want, roleNames[am.role])
			}
			if tc.want && am.role != roleOther {
				t.Errorf("%q in %q: role %s, want other", tc.fig, tc.text, roleNames[am.role])
			}
		}
		if !found {
			t.Errorf("no figure %q in %q", tc.fig, tc.text)
		}
		d.release()
	}
}

// When the model rejects a raise, the restatement of it that the model
// believes a raise above addAmtProb carries the deal, with the company of
// its own sentence (the headline's junk company gives way to the body's);
// a restatement it doubts goes with the raise. The model's beliefs are set
// by hand so that retraining cannot move the cases.
func TestRestatementCarriesDeal(t *testing.T) {
	const text = "Fine Day for Fintech Raises €7 Million\n\nQuellmark has closed a €7 million round led by Ostwind Capital."
	for _, tc := range []struct {
		name                  string
		first, restate        float64 // the model's belief that each figure is a raise
		wantDeals, wantAnchor int     // deals with a figure; the sentence of its figure
		wantCompany           string
	}{
		{"a believed first mention keeps the deal", 0.9, 0.9, 1, 0, "Fine Day for Fintech"},
		{"a believed restatement carries a rejected raise", 0.05, 0.8, 1, 1, "Quellmark"},
		{"a doubted restatement goes with it", 0.05, 0.3, 0, -1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, a, _ := scoredAnalysis(text, false)
			defer d.release()
			raise, restate := -1, -1
			for j := range a.amts {
				switch a.amts[j].role {
				case roleRaise:
					raise = j
				case roleRestate:
					restate = j
				}
			}
			if raise < 0 || restate < 0 || a.amtProb[raise] == nil || a.amtProb[restate] == nil {
				t.Fatalf("want a scored raise and a scored restatement, got raise %d, restatement %d", raise, restate)
			}
			for j, q := range map[int]float64{raise: tc.first, restate: tc.restate} {
				p := a.amtProb[j]
				clear(p)
				p[amRaise], p[amOther] = q, 1-q
			}
			d.decideAmounts(a)
			deals := figureDeals(a)
			got, anchor, company := len(deals), -1, ""
			if got > 0 {
				last := deals[got-1]
				anchor, company = a.amts[last.amt].sent, last.company
			}
			if got != tc.wantDeals {
				t.Fatalf("%d deals with a figure, want %d", got, tc.wantDeals)
			}
			if got > 0 && (anchor != tc.wantAnchor || company != tc.wantCompany) {
				t.Errorf("the deal's figure is in sentence %d with company %q, want %d and %q", anchor, company, tc.wantAnchor, tc.wantCompany)
			}
		})
	}
}

// An investor's amount the rules make a deal of its own (selfInvestDeals)
// is marked, shows the amount model its own rule, and is decided by the
// model like any raise: such figures are as often an earlier round, a share
// of the news or an outlay into a plant. The beliefs are set by hand so
// that retraining cannot move the cases.
func TestOwnDealDecided(t *testing.T) {
	const text = "Tollhaus Partners invested $40 million in Brindle Robotics, the companies said."
	for _, tc := range []struct {
		name   string
		belief float64 // the model's belief that the figure is a raise
		want   int     // deals with a figure
	}{
		{"a believed figure keeps its deal", 0.9, 1},
		{"a doubted figure loses it", 0.05, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, a, _ := scoredAnalysis(text, false)
			defer d.release()
			own := -1
			for j := range a.amts {
				if a.amts[j].ownDeal {
					own = j
				}
			}
			if own < 0 || a.amts[own].role != roleRaise || a.amtProb[own] == nil {
				t.Fatalf("want a scored raise marked as an investor's own deal, got index %d", own)
			}
			f := featSet{train: true}
			d.amountFeats(&f, a.amts, own, d.mainCompany(a.amts))
			if !slices.Contains(f.names, "rule=owndeal") {
				t.Errorf("features %v lack rule=owndeal", f.names)
			}
			p := a.amtProb[own]
			clear(p)
			p[amRaise], p[amOther] = tc.belief, 1-tc.belief
			d.decideAmounts(a)
			if got := len(figureDeals(a)); got != tc.want {
				t.Errorf("%d deals with a figure, want %d", got, tc.want)
			}
		})
	}
}
