package deals

import (
	"cmp"
	"slices"
	"strings"

	"github.com/dealwire/dealwire/company"
	"github.com/dealwire/dealwire/news"
)

// vote counts one distinct value of a field across a deal's sources.
type vote struct {
	key      string
	articles []string // distinct, in member order
	// best is the member that speaks for the value: the most authoritative,
	// then the earliest, source that gave it.
	best      int
	authority int
}

// tally collects the votes for one field. Members are added in time order.
type tally struct {
	votes []*vote
}

func (t *tally) add(key string, members []facts, i int) {
	if key == "" {
		return
	}
	m := members[i].c
	idx := slices.IndexFunc(t.votes, func(v *vote) bool { return v.key == key })
	if idx < 0 {
		t.votes = append(t.votes, &vote{key: key, best: i, authority: m.Src.Authority})
		idx = len(t.votes) - 1
	}
	v := t.votes[idx]
	if !slices.Contains(v.articles, m.Src.ArticleID) {
		v.articles = append(v.articles, m.Src.ArticleID)
	}
	if m.Src.Authority > v.authority {
		v.best, v.authority = i, m.Src.Authority
	}
}

// ranked orders the votes by the merge rule: most citing articles, then the
// most authoritative source, then the earliest source, then the value.
func (t *tally) ranked() []*vote {
	out := slices.Clone(t.votes)
	slices.SortFunc(out, func(a, b *vote) int {
		if c := cmp.Compare(len(b.articles), len(a.articles)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.authority, a.authority); c != 0 {
			return c
		}
		if c := cmp.Compare(a.best, b.best); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	return out
}

// winner is the chosen vote, or nil when no source gave a value.
func (t *tally) winner() *vote {
	if len(t.votes) == 0 {
		return nil
	}
	return t.ranked()[0]
}

// conflict reports the field's values when the sources disagree.
func (t *tally) conflict(field string) (news.DealConflict, bool) {
	if len(t.votes) < 2 {
		return news.DealConflict{}, false
	}
	c := news.DealConflict{Field: field}
	for i, v := range t.ranked() {
		ids := slices.Clone(v.articles)
		slices.Sort(ids)
		c.Values = append(c.Values, news.DealValue{Value: v.key, ArticleIDs: ids, Chosen: i == 0})
	}
	return c, true
}

func moneyKey(m *news.Money) string {
	if m == nil {
		return ""
	}
	return m.Value.String() + " " + m.Currency
}

// copyMoney returns a deep copy of m, spans kept: they point into the text
// of the source the value was taken from, which an anchor names.
func copyMoney(m news.Money) news.Money {
	if m.Equivalent != nil {
		e := copyMoney(*m.Equivalent)
		m.Equivalent = &e
	}
	m.Mentions = slices.Clone(m.Mentions)
	return m
}

// anchors collects the [news.DealAnchor]s of a deal record.
type anchors []news.DealAnchor

// add anchors a chosen fact to the source it was taken from; a fact the
// extractor did not locate (an empty span) gets no anchor.
func (as *anchors) add(field string, index int, src *news.DealSource, sp news.Span) {
	if sp.End <= sp.Start {
		return
	}
	*as = append(*as, news.DealAnchor{Field: field, Index: index, ArticleID: src.ArticleID, DealIndex: src.DealIndex, Span: sp})
}

// merge builds the deal record of a cluster under the rule in doc.go.
func merge(cl *cluster) news.DealRecord {
	ms := cl.members
	var company, round, amount, valuation, acquirer tally
	for i, m := range ms {
		d := &m.c.Src.Deal
		if m.round != "unknown" {
			round.add(m.round, ms, i)
		}
		company.add(m.key(), ms, i)
		amount.add(moneyKey(d.Amount), ms, i)
		if d.Valuation != nil {
			valuation.add(moneyKey(&d.Valuation.Money), ms, i)
		}
		acquirer.add(strings.TrimSpace(d.Acquirer), ms, i)
	}
	first := ms[0].c
	rec := news.DealRecord{
		V:           news.SchemaVersion,
		ID:          dealID(ms[0]),
		Round:       "unknown",
		AnnouncedAt: first.At,
	}
	var anch anchors
	// The company is voted on by normalised name first, so that "Acme
	// Robotics" and "ACME Robotics, Inc." count together; the written form is
	// then voted among the sources that gave the winning name.
	rec.CompanyKey = company.winner().key
	var written tally
	for i, m := range ms {
		if m.key() == rec.CompanyKey {
			written.add(strings.TrimSpace(m.c.Src.Deal.Company), ms, i)
		}
	}
	rec.Company = written.winner().key
	if w := round.winner(); w != nil {
		rec.Round = w.key
	}
	rec.Key = rec.CompanyKey + "|" + rec.Round + "|" + rec.AnnouncedAt.UTC().Format("2006-01-02")
	if w := amount.winner(); w != nil {
		src := &ms[w.best].c.Src
		m := copyMoney(*src.Deal.Amount)
		rec.Amount = &m
		anch.add("amount", 0, src, m.Span)
	}
	if w := valuation.winner(); w != nil {
		var src *news.DealSource
		rec.Valuation, src = chooseValuation(ms, w)
		anch.add("valuation", 0, src, rec.Valuation.Span)
	}
	rec.Investors = mergeInvestors(ms, &anch)
	rec.Capacity = mergeCapacity(ms, &anch)
	if len(anch) > 0 {
		rec.Anchors = anch
	}
	if w := acquirer.winner(); w != nil {
		rec.Acquirer = w.key
	}
	for _, f := range []struct {
		name string
		t    *tally
	}{{"round", &round}, {"amount", &amount}, {"valuation", &valuation}, {"acquirer", &acquirer}} {
		if c, ok := f.t.conflict(f.name); ok {
			rec.Conflicts = append(rec.Conflicts, c)
		}
	}
	for _, m := range ms {
		rec.Sources = append(rec.Sources, m.c.Src)
		rec.Confidence = max(rec.Confidence, m.c.Src.Deal.Confidence)
		t := m.c.Src.ExtractedAt
		if t.IsZero() {
			t = m.c.At
		}
		if t.After(rec.UpdatedAt) {
			rec.UpdatedAt = t
		}
	}
	return rec
}

// chooseValuation picks, among the sources giving the winning figure, one
// that states a basis (pre- or post-money), since "unspecified" only means
// that source did not say. It returns the source it took the valuation from.
func chooseValuation(ms []facts, w *vote) (*news.Valuation, *news.DealSource) {
	src := &ms[w.best].c.Src
	pick := src.Deal.Valuation
	for _, m := range ms {
		v := m.c.Src.Deal.Valuation
		if v != nil && moneyKey(&v.Money) == w.key && pick.Basis == "unspecified" && v.Basis != "unspecified" && v.Basis != "" {
			pick, src = v, &m.c.Src
		}
	}
	out := news.Valuation{Money: copyMoney(pick.Money), Basis: pick.Basis}
	return &out, src
}

// mergeInvestors unites the sources' investors by normalised canonical name.
// An investor is a lead when any source says so; its name, canonical name and
// amount are chosen by vote like the deal's fields. The name's span, and the
// amount's, are those of the source that speaks for the winning value; their
// anchors go to anch.
func mergeInvestors(ms []facts, anch *anchors) []news.Investor {
	groups := investorGroups(ms)
	out := make([]news.Investor, 0, len(groups))
	for gi, g := range groups {
		inv := news.Investor{Lead: g.lead}
		if w := g.name.winner(); w != nil {
			inv.Name = w.key
			src := &ms[w.best].c.Src
			for _, si := range src.Deal.Investors {
				if si.Name == w.key {
					inv.Span = si.Span
					anch.add("investor", gi, src, si.Span)
					break
				}
			}
		}
		if w := g.canon.winner(); w != nil {
			inv.Canonical = w.key
		}
		if w := g.amount.winner(); w != nil {
			src := &ms[w.best].c.Src
			for _, si := range src.Deal.Investors {
				if si.Amount != nil && moneyKey(si.Amount) == w.key {
					a := copyMoney(*si.Amount)
					inv.Amount = &a
					anch.add("investor_amount", gi, src, a.Span)
					break
				}
			}
		}
		out = append(out, inv)
	}
	return out
}

// investorGroup is one investor as the reports of a deal name it: the
// votes for its written name, canonical name and amount.
type investorGroup struct {
	key                 string
	name, canon, amount tally
	lead                bool
	articles            int
	seen                map[string]bool
}

// investorGroups groups the investors of ms by their key, leads first,
// then by the number of articles that name them.
func investorGroups(ms []facts) []*investorGroup {
	var groups []*investorGroup
	for i, m := range ms {
		for _, inv := range m.c.Src.Deal.Investors {
			id := inv.Canonical
			if id == "" {
				id = inv.Name
			}
			key := company.Key(id)
			if key == "" {
				continue
			}
			gi := slices.IndexFunc(groups, func(g *investorGroup) bool { return g.key == key })
			if gi < 0 {
				groups = append(groups, &investorGroup{key: key, seen: map[string]bool{}})
				gi = len(groups) - 1
			}
			g := groups[gi]
			g.name.add(inv.Name, ms, i)
			g.canon.add(inv.Canonical, ms, i)
			if inv.Amount != nil {
				g.amount.add(moneyKey(inv.Amount), ms, i)
			}
			g.lead = g.lead || inv.Lead
			if !g.seen[m.c.Src.ArticleID] {
				g.seen[m.c.Src.ArticleID] = true
				g.articles++
			}
		}
	}
	slices.SortFunc(groups, func(a, b *investorGroup) int {
		if a.lead != b.lead {
			if a.lead {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(b.articles, a.articles); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	return groups
}

// mergeCapacity unites the sources' power figures by value in watts; each
// keeps the span of the first source that gave it, anchored in anch.
func mergeCapacity(ms []facts, anch *anchors) []news.Capacity {
	type located struct {
		c   news.Capacity
		src *news.DealSource
	}
	var found []located
	for _, m := range ms {
		for _, c := range m.c.Src.Deal.Capacity {
			if slices.ContainsFunc(found, func(o located) bool { return o.c.ValueWatts.String() == c.ValueWatts.String() }) {
				continue
			}
			found = append(found, located{c, &m.c.Src})
		}
	}
	slices.SortStableFunc(found, func(a, b located) int {
		return cmp.Compare(b.c.ValueWatts.Float64(), a.c.ValueWatts.Float64())
	})
	out := make([]news.Capacity, 0, len(found))
	for i, l := range found {
		out = append(out, l.c)
		anch.add("capacity", i, l.src, l.c.Span)
	}
	return out
}
