package extract

import "testing"

// A rules' raise whose company the rules could not name (none, a place, a
// person, or a name the model believes a company below junkCompany) stands
// only when the model believes it a raise above addAmtProb, as a figure the
// rules set aside would need to be promoted. The model's beliefs are set
// by hand so that retraining cannot move the cases.
func TestUnnamedRaise(t *testing.T) {
	const place = "Portugal has raised €310 million for its start-up programme."
	const named = "Quillbox has raised €31 million, with Ostwind Capital leading."
	for _, tc := range []struct {
		name, text string
		raise      float64 // the model's belief that each figure is a raise
		company    float64 // its belief that each name is a company
		want       int     // deals with a figure
	}{
		{"a place's figure goes", place, 0.3, 0.9, 0},
		{"a place's figure the model believes stays", place, 0.5, 0.9, 1},
		{"a company the model believes keeps its raise", named, 0.3, 0.9, 1},
		{"a company the model doubts loses a doubted raise", named, 0.3, 0.05, 0},
		{"a company the model doubts keeps a believed raise", named, 0.5, 0.05, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, a, m := scoredAnalysis(tc.text, false)
			defer d.release()
			rules := 0
			for j, p := range a.amtProb {
				if p != nil {
					clear(p)
					p[amRaise], p[amOther] = tc.raise, 1-tc.raise
				}
				if a.amts[j].role == roleRaise {
					rules++
				}
			}
			if rules != 1 {
				t.Fatalf("the rules read %d raises, want one", rules)
			}
			believeCompanies(d, m, a, tc.company)
			d.decideAmounts(a)
			if got := len(figureDeals(a)); got != tc.want {
				t.Errorf("%d deals with a figure, want %d", got, tc.want)
			}
		})
	}
}

// believeCompanies scores every name key of a with the model and then sets
// each one's belief by hand: company with probability company, none with
// the rest.
func believeCompanies(d *doc, m *Model, a *analysis, company float64) {
	a.keyProb, a.lazy = eagerNameProbs(d, m, a), nil
	for _, p := range a.keyProb {
		clear(p)
		p[nmNone], p[nmCompany] = 1-company, company
	}
}

// figureDeals returns the deals of a that hold a figure, in their order.
func figureDeals(a *analysis) []*dealB {
	var out []*dealB
	for _, db := range a.deals {
		if db.amt >= 0 {
			out = append(out, db)
		}
	}
	return out
}

// scoredAnalysis analyses text and scores its money figures (with powers,
// its power figures instead) and its names with the default model, as
// decide does before its decisions; the caller releases d.
func scoredAnalysis(text string, powers bool) (*doc, *analysis, *Model) {
	d := newDoc(text, loadVocab())
	a := d.analyse()
	m := DefaultModel()
	f := featSet{h: d.sc.feats[:0], pre: &d.sc.tmpl}
	d.amts = a.amts
	if powers {
		d.scorePowers(m, a, &f)
	} else {
		d.scoreAmounts(m, a, &f)
	}
	d.scoreNames(m, a, &f)
	return d, a, m
}
