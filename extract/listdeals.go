package extract

import "slices"

// listCompanies gives the companies of a roundup's list their own deals
// where the rules read one name of the list as the company of every
// figure:
//   - a figure each of a list of companies raised ("Tessaly and Quellmark
//     raised $2 million each", "Tessaly and Quellmark both raised $2
//     million") is a deal of each company, as the labels count it (the
//     subject reader stops at the name nearest the verb);
//   - figures paired with the list in order ("Tessaly and Quellmark raised
//     $3 million and $2 million, respectively") go one to each name;
//   - a roundup's item in brackets whose figure repeats an earlier item's
//     ("Tessaly ($1m), Orvane ($2m), Quellmark ($1m)") is a deal of its own
//     name, not a restatement of the earlier one.
//
// It runs after the model's decisions, on the deals they kept.
func (d *doc) listCompanies(a *analysis) {
	d.respectivelyCompanies(a)
	withConf := len(a.deals) > 0 && len(a.dealConf) == len(a.deals)
	var out []*dealB // nil until a deal gains siblings
	var conf []float64
	var restated map[int][]int // figure → the later figures that repeat it
	for j, am := range a.amts {
		if am.role == roleRestate && am.restateOf >= 0 {
			if restated == nil {
				restated = map[int][]int{}
			}
			restated[am.restateOf] = append(restated[am.restateOf], j)
		}
	}
	for i, db := range a.deals {
		more := d.siblings(a, db, restated[db.amt])
		if more == nil && out == nil {
			continue
		}
		if out == nil {
			out = slices.Clone(a.deals[:i])
			if withConf {
				conf = slices.Clone(a.dealConf[:i])
			}
		}
		out = append(out, db)
		out = append(out, more...)
		if withConf {
			for range 1 + len(more) {
				conf = append(conf, a.dealConf[i])
			}
		}
	}
	if out == nil {
		return
	}
	a.deals = out
	if withConf {
		a.dealConf = conf
	}
}

// siblings are the deals of the other companies of deal db's list: one per
// other name of a list its figure is raised by each of, and one per later
// bracketed item of a roundup that repeats its figure (of restated, the
// figures that repeat it).
func (d *doc) siblings(a *analysis, db *dealB, restated []int) []*dealB {
	var out []*dealB
	key := d.normName(db.company)
	for _, it := range d.eachList(a, db) {
		name := d.nameText(it.nameRef)
		if d.normName(name) == key {
			continue
		}
		c := db.snapshot()
		c.company, c.companyAt, c.companyK = name, it.s, ""
		out = append(out, c)
	}
	if db.amt < 0 || db.company == "" || len(restated) == 0 {
		return out
	}
	first := a.amts[db.amt]
	if _, ok := d.bracketOwner(first.h.qi, first.h.tj, d.sents[first.sent]); !ok {
		return out
	}
	for _, j := range restated {
		am := a.amts[j]
		r, ok := d.bracketOwner(am.h.qi, am.h.tj, d.sents[am.sent])
		if !ok {
			continue
		}
		name := d.nameText(r)
		k := d.normName(name)
		if k == "" || k == key || d.partyOf(db, k) || d.v.isPlaceOrPeople(name) || d.personName(a, name) {
			continue
		}
		c := db.snapshot()
		c.company, c.companyAt, c.companyK = name, r.s, ""
		c.amt, c.sent, c.anchor = j, am.sent, am.h.qi
		c.investors, c.invIdx, c.vals, c.capacity = nil, nil, nil, nil
		out = append(out, c)
	}
	return out
}

// eachList reads the list of companies that deal db's figure is written
// for each of ("A and B raised $2 million each", "A and B both raised $2
// million"): two names or more before the raise verb right before the
// figure, one of them the deal's company, none a place, a person or a party
// of the deal. It returns nil otherwise.
func (d *doc) eachList(a *analysis, db *dealB) []listItem {
	if db.amt < 0 || db.company == "" || db.acquirer != "" || db.round == "acquisition" {
		return nil
	}
	am := a.amts[db.amt]
	c, ok := d.cueEndsAt("raisev", am.h.qi, 1)
	if !ok {
		return nil
	}
	v := c.s
	if n := d.wordsEndingAt("deal.each_before", v); n > 0 {
		v -= n // "A and B both raised"
	} else if d.wordsAt("deal.each_after", d.afterBrackets(am.h.tj)) == 0 {
		return nil
	}
	items := d.leftList(v)
	if len(items) < 2 {
		return nil
	}
	key := d.normName(db.company)
	found := false
	for _, it := range items {
		name := d.nameText(it.nameRef)
		k := d.normName(name)
		found = found || k == key
		if k == "" || d.partyOf(db, k) || d.v.isPlaceOrPeople(name) || d.personName(a, name) || oneLetter(name) {
			return nil
		}
	}
	if !found {
		return nil
	}
	return items
}

// respectivelyCompanies gives the figures of a sentence's deals that a
// word of `extract.respectively` pairs with the list of names before their
// raise verb ("Tessaly and Quellmark raised $3 million and $2 million,
// respectively") to those names in order, when the list names as many as
// the sentence has figures before the word and the rules gave every deal a
// name of the list.
func (d *doc) respectivelyCompanies(a *analysis) {
	var byAmt map[int]*dealB // the deal of each figure, built on first need
	for k := range d.sents {
		figs := d.respectiveFigures(a, k)
		if len(figs) < 2 {
			continue
		}
		if byAmt == nil {
			byAmt = make(map[int]*dealB, len(a.deals))
			for _, db := range a.deals {
				byAmt[db.amt] = db
			}
		}
		c, ok := d.cueEndsAt("raisev", a.amts[figs[0]].h.qi, 1)
		if !ok {
			continue
		}
		items := d.leftList(c.s)
		if len(items) != len(figs) {
			items = d.describedList(c.s, len(figs))
		}
		if len(items) != len(figs) {
			continue
		}
		keys := make(map[string]bool, len(items))
		for _, it := range items {
			keys[d.normName(d.nameText(it.nameRef))] = true
		}
		for _, j := range figs {
			db := byAmt[j]
			ok = ok && db != nil && db.acquirer == "" && keys[d.normName(db.company)]
		}
		if !ok {
			continue
		}
		for y, j := range figs {
			db := byAmt[j]
			db.company, db.companyAt, db.companyK = d.nameText(items[y].nameRef), items[y].s, ""
		}
	}
}

// respectiveFigures lists the figures of sentence k up to the first that a
// word of `extract.respectively` follows within four tokens, leaving out
// conversions and restatements; nil when no such word follows one.
func (d *doc) respectiveFigures(a *analysis, k int) []int {
	lo, hi := d.sentAmts(k)
	if hi-lo < 2 {
		return nil
	}
	var figs []int
	for j := lo; j < hi; j++ {
		if a.amts[j].role == roleEquiv || a.amts[j].role == roleRestate {
			continue
		}
		figs = append(figs, j)
		for x := a.amts[j].h.tj; x < d.sents[k].e && x < a.amts[j].h.tj+4; x++ {
			if d.in("extract.respectively", x) {
				return figs
			}
		}
	}
	return nil
}

// wordsAt is the length in tokens of a word or phrase of class at token i,
// 0 when none.
func (d *doc) wordsAt(class string, i int) int {
	if i < 0 || i >= len(d.toks) {
		return 0
	}
	if n := d.phraseAt(class, i); n > 0 {
		return n
	}
	if d.in(class, i) {
		return 1
	}
	return 0
}

// wordsEndingAt is the length in tokens of a word or phrase of class that
// ends right before token e, 0 when none.
func (d *doc) wordsEndingAt(class string, e int) int {
	for n := 3; n >= 1; n-- {
		if e-n >= 0 && d.wordsAt(class, e-n) == n {
			return n
		}
	}
	return 0
}

// describedList reads the n names before token v, each after what
// describes it in lower case, joined by commas and conjunctions and opening
// the sentence ("Payments firm Tessaly and robotics startup Quellmark"),
// which the investor lists do not read. Only one capitalised word opening
// the sentence may stand before the first name; it returns nil otherwise.
func (d *doc) describedList(v, n int) []listItem {
	s := d.sents[d.sentIdx(v)].s
	items := make([]listItem, 0, n)
	sep := true // a separator, or the verb, stands after the name to read
	for x := v - 1; x >= s; {
		switch {
		case d.toks[x].kind == tkWord && d.isCap(x):
			st := x
			for st-1 >= s && d.toks[st-1].kind == tkWord && d.isCap(st-1) {
				st--
			}
			if len(items) == n {
				if st == s && x == s {
					x = s - 1 // the sentence's opening word describes the first name
					continue
				}
				return nil
			}
			r, ok := d.nameAt(st, x+1)
			if !ok || r.e != x+1 || !sep {
				return nil
			}
			items = append(items, listItem{nameRef: r})
			sep = false
			x = st - 1
		case d.is(x, ",") || d.conjAt(x):
			if len(items) == n {
				return nil // the list goes on
			}
			sep = true
			x--
		case d.toks[x].kind == tkWord || d.is(x, "-"):
			x--
		default:
			return nil
		}
	}
	if len(items) != n {
		return nil
	}
	slices.Reverse(items)
	return items
}
