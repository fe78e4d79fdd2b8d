package main

import (
	"math"
	"strings"

	"github.com/dealwire/dealwire/company"
	"github.com/dealwire/dealwire/news"
)

// triple is what the figure checks of a deal: company, round and
// amount.
type triple struct {
	company string // company.Key of the name
	round   string
	amount  *news.Money
}

func tripleOf(name, round string, amount *news.Money) triple {
	r := strings.ToLower(strings.TrimSpace(round))
	if r == "" {
		r = "unknown"
	}
	return triple{company: company.Key(name), round: r, amount: amount}
}

func dealTriple(d news.Deal) triple { return tripleOf(d.Company, d.Round, d.Amount) }

// matcher decides when two deals agree.
type matcher struct {
	// prefix also accepts a name that is a leading-word prefix of the other
	// ("veo" and "veo robotics"), as the devset scorer does.
	prefix bool
}

// sameCompany compares normalised names: lower case, no punctuation, no
// legal suffixes or leading "the" ([company.Key]). An empty name
// matches nothing.
func (m matcher) sameCompany(g, p triple) bool {
	x, y := g.company, p.company
	if x == "" || y == "" {
		return false
	}
	if x == y {
		return true
	}
	if !m.prefix {
		return false
	}
	if len(x) > len(y) {
		x, y = y, x
	}
	return strings.HasPrefix(y, x+" ")
}

// sameAmount is the devset rule: the same currency and values within 1%;
// no amount matches only no amount.
func sameAmount(g, p *news.Money) bool {
	if g == nil || p == nil {
		return g == nil && p == nil
	}
	if !strings.EqualFold(g.Currency, p.Currency) {
		return false
	}
	a, b := g.Value.Float64(), p.Value.Float64()
	return a == b || math.Abs(a-b) <= 0.01*math.Max(math.Abs(a), math.Abs(b))
}

func (m matcher) allRight(g, p triple) bool {
	return m.sameCompany(g, p) && g.round == p.round && sameAmount(g.amount, p.amount)
}

// tally counts one kind of extracted deal records against the gold deals.
type tally struct {
	m         matcher
	docs      int // documents whose records were scored
	gold      int // gold deals of every document of the corpus
	extracted int // extracted deal records
	right     int // extracted records whose company, round and amount all match a gold deal of their document
	found     int // gold deals matched that way by some extracted record of their document
	// Partial agreement of the extracted records with some gold deal of
	// their document: the company alone, with the round, with the amount.
	company, companyRound, companyAmount int
	// The same without fund closes (round "fund" on either side), which the
	// hidden test sets do not score as deals.
	goldNoFund, extractedNoFund, rightNoFund, foundNoFund int
}

func (t tally) precision() float64 { return ratio(t.right, t.extracted) }
func (t tally) recall() float64    { return ratio(t.found, t.gold) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// addExtracted scores extracted records p against the gold deals of their
// document(s).
func (t *tally) addExtracted(p triple, gold []triple) {
	t.extracted++
	fund := p.round == "fund"
	if !fund {
		t.extractedNoFund++
	}
	var c, cr, ca, all bool
	for _, g := range gold {
		if !t.m.sameCompany(g, p) {
			continue
		}
		c = true
		cr = cr || g.round == p.round
		ca = ca || sameAmount(g.amount, p.amount)
		all = all || t.m.allRight(g, p)
	}
	t.company += b2i(c)
	t.companyRound += b2i(cr)
	t.companyAmount += b2i(ca)
	t.right += b2i(all)
	if all && !fund {
		t.rightNoFund++
	}
}

// addGold scores one gold deal against the extracted records of its document.
func (t *tally) addGold(g triple, pred []triple) {
	t.gold++
	fund := g.round == "fund"
	if !fund {
		t.goldNoFund++
	}
	for _, p := range pred {
		if t.m.allRight(g, p) {
			t.found++
			if !fund {
				t.foundNoFund++
			}
			return
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// scoreByDoc scores deal records grouped by the document they came from;
// documents without an entry in pred had no record. Missing documents
// count their gold deals as not found.
func scoreByDoc(docs []doc, pred map[string][]news.Deal, m matcher) (tally, map[string]docScore) {
	t := tally{m: m}
	per := map[string]docScore{}
	for _, d := range docs {
		gold := make([]triple, len(d.Deals))
		for i, g := range d.Deals {
			gold[i] = dealTriple(g)
		}
		ps, ok := pred[d.ID]
		if ok {
			t.docs++
		}
		trs := make([]triple, len(ps))
		var ds docScore
		for i, p := range ps {
			trs[i] = dealTriple(p)
			before := t.right
			t.addExtracted(trs[i], gold)
			ds.extracted++
			ds.right += t.right - before
		}
		for _, g := range gold {
			before := t.found
			t.addGold(g, trs)
			ds.found += t.found - before
		}
		per[d.ID] = ds
	}
	return t, per
}

// docScore is one document's share of a tally.
type docScore struct{ extracted, right, found int }

// scoreResolved scores resolved deals: one is right when its company, round
// and amount match a gold deal of one of its source documents (a deal
// reported by several documents merges them). A gold deal is found when a
// resolved deal with a source in its document matches it.
func scoreResolved(docs []doc, resolved []news.DealRecord, docOf func(url string) int, m matcher) (t tally, multiDoc, noDoc int) {
	t.m = m
	gold := make([][]triple, len(docs))
	for i, d := range docs {
		for _, g := range d.Deals {
			gold[i] = append(gold[i], dealTriple(g))
		}
	}
	byDoc := make([][]triple, len(docs))
	covered := map[int]bool{}
	for _, dr := range resolved {
		if dr.Deleted {
			continue
		}
		p := tripleOf(dr.Company, dr.Round, dr.Amount)
		var srcGold []triple
		seen := map[int]bool{}
		for _, s := range dr.Sources {
			i := docOf(s.URL)
			if i < 0 || seen[i] {
				continue
			}
			seen[i] = true
			covered[i] = true
			srcGold = append(srcGold, gold[i]...)
			byDoc[i] = append(byDoc[i], p)
		}
		switch {
		case len(seen) == 0:
			noDoc++
		case len(seen) > 1:
			multiDoc++
		}
		t.addExtracted(p, srcGold)
	}
	t.docs = len(covered)
	for i := range docs {
		for _, g := range gold[i] {
			t.addGold(g, byDoc[i])
		}
	}
	return t, multiDoc, noDoc
}
