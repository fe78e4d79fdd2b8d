package extract

import (
	"sort"
	"strings"

	"github.com/dealwire/dealwire/news"
)

// Version identifies the extractor's rules and vocabularies. It is bumped
// whenever any golden output changes, so that records say which rules made
// them.
const Version = "extract-4"

// Extract finds the deals, earlier amounts and other figures in text. It
// is pure and deterministic, never panics, and every span is a byte range
// of text with text[Start:End] equal to the fact's Text. When text starts
// with a headline line, the headline takes part like any sentence.
func Extract(text string) (out news.Extraction) {
	defer func() {
		// Impossible-state guard: a recognizer bug must cost one article,
		// not the stage. Fuzzing keeps this path unused.
		if r := recover(); r != nil {
			out = news.Extraction{Deals: []news.Deal{}, PriorAmounts: []news.Figure{}, OtherAmounts: []news.Figure{}}
		}
	}()
	return extract(text, DefaultModel())
}

// ExtractWith is [Extract] with the decisions made by model m instead of
// the committed one; m nil leaves every decision to the rules.
func ExtractWith(text string, m *Model) (out news.Extraction) {
	defer func() {
		if r := recover(); r != nil {
			out = news.Extraction{Deals: []news.Deal{}, PriorAmounts: []news.Figure{}, OtherAmounts: []news.Figure{}}
		}
	}()
	return extract(text, m)
}

func extract(text string, m *Model) news.Extraction {
	out := news.Extraction{Deals: []news.Deal{}, PriorAmounts: []news.Figure{}, OtherAmounts: []news.Figure{}}
	if len(text) == 0 {
		return out
	}
	d := newDoc(text, loadVocab())
	defer d.release()
	if len(d.toks) == 0 {
		return out
	}
	a := d.analyse()
	if m != nil {
		d.decide(m, a)
	}
	return d.output(a)
}

// analyse runs the recognizers and the rules: the candidates and the rules'
// answer that the model then decides on.
func (d *doc) analyse() *analysis {
	amts, powers := d.scan()
	d.indexAmounts(amts)
	d.classify(amts)
	deals := d.buildDeals(amts)
	d.attachValuations(amts, deals)
	d.attachInvestors(amts, deals)
	caps := d.attachCapacity(powers, deals)
	return &analysis{amts: amts, powers: powers, caps: caps, deals: deals}
}

// scan runs the money and power recognizers over the tokens once.
func (d *doc) scan() ([]amount, []powerHit) {
	amts := make([]amount, 0, 8)
	var powers []powerHit
	for i := 0; i < len(d.toks); {
		if d.isMoneyStartCandidate(i) {
			if h, next, ok := d.money(i); ok {
				amts = append(amts, amount{h: h, sent: d.sentIdx(i)})
				i = next
				continue
			}
			if h, next, ok := d.power(i); ok {
				powers = append(powers, h)
				i = next
				continue
			}
		} else if d.toks[i].kind == tkWord {
			if h, next, ok := d.power(i); ok {
				powers = append(powers, h)
				i = next
				continue
			}
		}
		i++
	}
	return amts, powers
}

// buildDeals makes one deal per distinct raise, merges restatements, and
// adds deals with no figure ("an undisclosed sum", "an eight-figure Series A").
func (d *doc) buildDeals(amts []amount) []*dealB {
	var deals []*dealB
	main := d.mainCompany(amts)
	firstRaise := map[string]int{} // valKey → first raise with that value
	for i := range amts {
		a := &amts[i]
		if a.role == roleRaise && a.sent >= d.boiler {
			// Press-release boilerplate: funding to date, not news.
			a.role, a.kind = rolePrior, "total"
		}
		if a.role != roleRaise {
			continue
		}
		if j, ok := firstRaise[valKey(a.h)]; ok {
			a.role, a.restateOf = roleRestate, j
			a.deal = amts[j].deal
			continue
		}
		firstRaise[valKey(a.h)] = i
		db := &dealB{anchor: a.h.qi, sent: a.sent, amt: i}
		d.fillDeal(db, a.h.qi, a.h.tj, main)
		a.deal = len(deals)
		deals = append(deals, db)
	}
	// "Novo Holdings will invest $40 million in Zymera": an investor's
	// amount into a company no other deal covers is a deal of its own.
	var companies map[string]bool
	for i := range amts {
		a := &amts[i]
		if a.role != roleInvAmt {
			continue
		}
		r, ok := d.intoTarget(a.h.tj)
		if !ok {
			continue
		}
		name := d.nameText(r)
		if companies == nil {
			companies = map[string]bool{}
			for _, db := range deals {
				companies[normName(d.v, db.company)] = true
			}
		}
		if companies[normName(d.v, name)] {
			continue
		}
		companies[normName(d.v, name)] = true
		a.role, a.selfInv = roleRaise, true
		db := &dealB{anchor: a.h.qi, sent: a.sent, amt: i}
		d.fillDeal(db, a.h.qi, a.h.tj, main)
		a.deal = len(deals)
		deals = append(deals, db)
	}
	// Restatements among other figures: "use the ₹50 crore", a quoted
	// "Eighty-five million dollars".
	for i := range amts {
		a := &amts[i]
		if a.role == roleOther && a.kind == "other" || a.role == roleOther && a.note == "" && a.kind == "" {
			if j, ok := firstRaise[valKey(a.h)]; ok && amts[j].role == roleRaise {
				a.role, a.restateOf, a.deal = roleRestate, j, amts[j].deal
			}
		}
	}
	// Deals with no figure.
	seen := map[string]bool{}
	roundKey := func(r string) string {
		if r == "" {
			return "unknown" // a headline's deal and the body's are one
		}
		return r
	}
	for _, o := range deals {
		seen[o.company+"|"+roundKey(o.round)] = true
	}
	for k, s := range d.sents {
		hasRaise := false
		lo, hi := d.sentAmts(k)
		for _, a := range amts[lo:hi] {
			if a.role == roleRaise || a.role == roleRestate {
				hasRaise = true
			}
		}
		if hasRaise {
			continue
		}
		c, ok := d.cueIn("undisclosed", s.s, min(s.e, s.s+4*maxWin))
		if ok && c.e-c.s > 1 && !d.undisclosedDeal(c, s.s, s.e) {
			// "did not disclose its valuation": not the deal's size.
			ok = false
		}
		if !ok {
			c, ok = d.strategicNoFigure(k)
		}
		if !ok && hi == lo {
			c, ok = d.namedRoundNoFigure(k)
		}
		if !ok {
			c, ok = d.valuationNoFigure(amts[lo:hi], k)
		}
		if !ok {
			continue
		}
		if !d.hasCue("raisev", s.s, s.e) && !d.hasCue("raisen", s.s, s.e) && !d.hasCue("acquire", s.s, s.e) {
			continue
		}
		db := &dealB{anchor: c.s, sent: k, amt: -1}
		d.fillDeal(db, c.s, c.s, main)
		if db.company == "" {
			continue
		}
		if !seen[db.company+"|"+roundKey(db.round)] {
			seen[db.company+"|"+roundKey(db.round)] = true
			deals = append(deals, db)
		}
	}
	// Rounds named only where the amount is restated ("$40M" in the
	// headline, "$40 million in a Series B round" below), or only in
	// another sentence of the main deal ("The Series B was led by ...").
	for i := range amts {
		a := amts[i]
		if a.role != roleRestate || a.deal < 0 || a.deal >= len(deals) {
			continue
		}
		db := deals[a.deal]
		if db.round == "" || db.round == "unknown" {
			if r, _ := d.roundNear(a.h.qi, a.h.tj); r != "" {
				db.round = r
			}
		}
	}
	if len(deals) > 0 && (deals[0].round == "" || deals[0].round == "unknown") {
		if r := d.docRound(amts); r != "" {
			deals[0].round = r
		}
	}
	// Deals must name a company.
	kept := deals[:0]
	remap := make([]int, len(deals))
	for i, db := range deals {
		remap[i] = -1
		if db.company != "" {
			remap[i] = len(kept)
			kept = append(kept, db)
		}
	}
	for i := range amts {
		if amts[i].deal >= 0 && amts[i].deal < len(remap) {
			amts[i].deal = remap[amts[i].deal]
			if amts[i].deal < 0 && (amts[i].role == roleRaise || amts[i].role == roleRestate) {
				amts[i].role, amts[i].kind = roleOther, "other"
			}
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].anchor < kept[j].anchor })
	// Renumber after sorting.
	for p, db := range kept {
		if db.amt >= 0 && amts[db.amt].role == roleRaise {
			amts[db.amt].deal = p
		}
	}
	for i := range amts {
		if amts[i].role == roleRestate && amts[i].restateOf >= 0 {
			amts[i].deal = amts[amts[i].restateOf].deal
		}
	}
	return kept
}

// valKey identifies an amount by currency and exact value.
func valKey(h moneyHit) string { return h.currency + " " + h.value.String() }

// undisclosedDeal reports that what a verb such as "did not disclose"
// keeps back (from token i) is the deal itself: its size, amount, terms or
// round ("the size of its seed round", "the terms of the deal"), not a
// valuation or revenue.
func (d *doc) undisclosedDeal(c cueHit, ss, e int) bool {
	i, step := c.e, 1
	if d.lw(c.s) == "not" {
		// Passive: "the size of the round was not disclosed".
		i, step = c.s-1, -1
	}
	for n, k := 0, i; k >= ss && k < e && n < 7; n, k = n+1, k+step {
		switch d.lw(k) {
		case "valuation", "revenue", "revenues", "price", "valuations":
			return false
		case "size", "amount", "terms", "sum", "value", "how", "details", "figure":
			return true
		}
		if _, _, ok := d.roundAt(k); ok {
			return true
		}
		if d.is(k, ",") || d.is(k, ";") {
			return false
		}
	}
	return false
}

// namedRoundNoFigure finds "Acme has closed a Series A led by Accel" with
// no figure anywhere in the sentence and nothing placing it in the past.
func (d *doc) namedRoundNoFigure(k int) (cueHit, bool) {
	s := d.sents[k]
	if s.e-s.s > 3*maxWin || d.definiteSubject(k) {
		return cueHit{}, false
	}
	for i := s.s; i < s.e; i++ {
		if d.isYear(i) {
			return cueHit{}, false
		}
		for _, c := range d.cuesAt(i) {
			switch c.class {
			case "prior", "priorsubj", "total":
				return cueHit{}, false
			}
		}
	}
	verb := false
	for i := s.s; i < s.e; i++ {
		if _, ok := d.cueAtIs("raisev", i); ok {
			verb = true
		}
		if r, e, ok := d.roundAt(i); ok && verb && (strings.HasPrefix(r, "series ") || r == "seed" || r == "pre-seed" || r == "growth") && !d.possessiveBefore(i) {
			if _, ok := d.subjectName(k); ok {
				return cueHit{s: i, e: e, class: "undisclosed"}, true
			}
		}
	}
	return cueHit{}, false
}

// valuationNoFigure finds "Greywater AI is in talks to raise new funding
// at a valuation of about $1 billion": a raise verb and, later in its
// clause, a current valuation, with no figure for the raise.
func (d *doc) valuationNoFigure(sa []amount, k int) (cueHit, bool) {
	if d.definiteSubject(k) {
		return cueHit{}, false
	}
	for _, a := range sa {
		if a.role != roleValuation && a.role != roleEquiv {
			// Another figure ("a $1 billion secondary share sale that
			// values it at ...") is what the sentence is about.
			return cueHit{}, false
		}
	}
	for _, a := range sa {
		if a.role != roleValuation {
			continue
		}
		cs := d.clauseStart(a.h.qi)
		for i := max(cs, a.h.qi-maxWin); i < a.h.qi; i++ {
			if e, ok := d.cueAtIs("raisev", i); ok && !d.isCap(i) {
				if _, ok := d.subjectName(k); ok {
					return cueHit{s: i, e: e, class: "undisclosed"}, true
				}
				return cueHit{}, false
			}
		}
	}
	return cueHit{}, false
}

// strategicNoFigure finds "X has made a strategic investment in Y" with no
// figure.
func (d *doc) strategicNoFigure(k int) (cueHit, bool) {
	s := d.sents[k]
	for i := s.s; i < s.e; i++ {
		if d.lowIs(i, "strategic", "investment") || d.lowIs(i, "investment", "in") {
			for j := max(s.s, i-4); j < i; j++ {
				switch d.lw(j) {
				case "made", "makes", "make":
					return cueHit{s: i, e: i + 2, class: "undisclosed"}, true
				}
				// "Medly has received a strategic investment from
				// Samsung Next": the company's own raise verb.
				if _, ok := d.cueAtIs("raisev", j); ok && d.lw(i) == "strategic" && d.lowIs(i+2, "from") {
					return cueHit{s: i, e: i + 2, class: "undisclosed"}, true
				}
			}
		}
	}
	return cueHit{}, false
}

// mainCompany is the company the text is about: the headline's, or the
// first sentence's.
func (d *doc) mainCompany(amts []amount) string {
	for k := range d.sents {
		if k > 1 {
			break
		}
		// A headline amount names its company: "Nvidia puts $150 million
		// into Aurelian Compute".
		lo, hi := d.sentAmts(k)
		for _, a := range amts[lo:hi] {
			if a.role == roleRaise || a.role == roleInvAmt {
				c, _, _ := d.companyFor(a.h.qi, a.h.tj, k, "", "")
				if c != "" {
					return c
				}
			}
		}
		if d.definiteSubject(k) {
			continue
		}
		if r, ok := d.subjectName(k); ok {
			return d.nameText(r)
		}
	}
	return ""
}

// fillDeal sets round and company of a deal anchored at [qi, tj).
func (d *doc) fillDeal(db *dealB, qi, tj int, main string) {
	r, _ := d.roundNear(qi, tj)
	db.round = r
	db.company, db.acquirer, db.companyAt = d.companyFor(qi, tj, db.sent, r, main)
}

// attachValuations gives each deal its valuation.
func (d *doc) attachValuations(amts []amount, deals []*dealB) {
	d.indexDeals(deals)
	if len(deals) == 0 {
		return
	}
	var byVal map[string][]int
	for i := range amts {
		a := &amts[i]
		if a.role != roleValuation {
			continue
		}
		if byVal == nil {
			byVal = map[string][]int{}
			for j, b := range amts {
				if k := valKey(b.h); len(byVal[k]) < 4 {
					byVal[k] = append(byVal[k], j)
				}
			}
		}
		k := d.dealFor(amts, deals, a.sent, a.h.qi)
		if k < 0 {
			continue
		}
		a.deal = k
		if a.basis == "unspecified" {
			// "The company said the €8bn figure was a post-money valuation."
			for _, j := range byVal[valKey(a.h)] {
				if b := amts[j]; b.sent != a.sent {
					if bs := d.basisNear(b.h.qi, b.h.tj); bs != "unspecified" {
						a.basis = bs
					} else if bs := d.basisInSentence(b.sent); bs != "" {
						a.basis = bs
					}
				}
			}
		}
		deals[k].vals = append(deals[k].vals, i)
	}
}

// basisInSentence reads a basis stated anywhere in a sentence.
func (d *doc) basisInSentence(k int) string {
	s := d.sents[k]
	for i := s.s; i < s.e && i < s.s+2*maxWin; i++ {
		for _, c := range d.cuesAt(i) {
			if c.e-c.s < 2 {
				continue
			}
			switch c.class {
			case "pre":
				return "pre-money"
			case "post":
				return "post-money"
			}
		}
	}
	return ""
}

// dealFor picks the deal a fact in sentence k at token i belongs to: the
// raise closest before it in the sentence, else the closest after, else
// the last deal named before the sentence, else the first deal.
func (d *doc) dealFor(amts []amount, deals []*dealB, k, i int) int {
	lo, hi := d.sentAmts(k)
	p := lo + sort.Search(hi-lo, func(x int) bool { return amts[lo+x].h.tj > i })
	isDeal := func(a amount) bool { return a.deal >= 0 && (a.role == roleRaise || a.role == roleRestate) }
	// The closest raise before i, then after it; a few figures each way.
	for x := p - 1; x >= lo && x >= p-8; x-- {
		if isDeal(amts[x]) {
			return amts[x].deal
		}
	}
	for x := p; x < hi && x < p+8; x++ {
		if isDeal(amts[x]) {
			return amts[x].deal
		}
	}
	if k >= 0 && k < len(d.dealFirst) {
		if j := d.dealFirst[k]; j >= 0 {
			return int(j)
		}
		if j := d.dealLast[k]; j >= 0 {
			// The latest deal named before this sentence.
			return int(j)
		}
	}
	if len(deals) > 0 {
		return 0
	}
	return -1
}

// anchorBefore returns the amount nearest before token i in its sentence,
// or the nearest after when none precedes.
func (d *doc) anchorNear(amts []amount, i int) int {
	lo, hi := d.sentAmts(d.sentIdx(i))
	p := lo + sort.Search(hi-lo, func(x int) bool { return amts[lo+x].h.tj > i })
	for x := p - 1; x >= lo && x >= p-8; x-- {
		if amts[x].role != roleEquiv {
			return x
		}
	}
	for x := p; x < hi && x < p+8; x++ {
		if amts[x].role != roleEquiv {
			return x
		}
	}
	return -1
}

// attachInvestors reads the investor lists of the text and gives them to
// deals. Lists tied to an earlier round or to a figure that is not a deal
// are dropped.
func (d *doc) attachInvestors(amts []amount, deals []*dealB) {
	if len(deals) == 0 {
		return
	}
	type found struct {
		items []listItem
		lead  bool
		at    int // cue token
		amt   int // investor amount for all, or -1
	}
	var lists []found
	for i := 0; i < len(d.toks); i++ {
		if d.sentIdx(i) >= d.boiler {
			break
		}
		for _, c := range d.cuesAt(i) {
			switch c.class {
			case "lead":
				w := d.lw(c.s)
				if w == "from" || w == "including" || w == "include" || w == "includes" || w == "included" || w == "alongside" {
					numName := c.e+1 < len(d.toks) && d.toks[c.e].kind == tkNumber && d.isCap(c.e+1) && (!d.toks[c.e+1].gap || !d.isYear(c.e)) // "100X.VC", "500 Global"
					if !d.isCap(c.e) && d.gazAt(c.e) == 0 && !d.startsDescribedName(c.e) && !numName {
						continue
					}
				}
				if w == "from" && !d.fromIsFunding(c.s, amts) {
					continue
				}
				if (w == "include" || w == "includes" || w == "included") && d.hasCue("prior", max(d.clauseStart(c.s), c.s-6), c.s) {
					// "Previous backers include X": the company's
					// backers over time, not this round's.
					continue
				}
				if (w == "backed" || w == "supported" || w == "funded") && (d.lw(d.clauseStart(c.s)) == "which" || d.lw(d.clauseStart(c.s)) == "who") {
					// "Acme, which is backed by SoftBank, raised ...".
					continue
				}
				if (w == "backed" || w == "supported" || w == "funded") && !d.sentHasMoney(amts, d.sentIdx(c.s)) {
					// "The company is backed by ...": its backers over
					// time, not this round's.
					continue
				}
				items := d.parseList(c.e, d.sents[d.sentIdx(c.s)].e)
				lead := false
				for x := c.s; x < c.e; x++ {
					if w := d.lw(x); (w == "led" || w == "coled") && d.lw(x+1) == "by" {
						lead = true
					}
				}
				lists = append(lists, found{items: items, lead: lead, at: c.s, amt: -1})
			case "join":
				if !d.toks[c.s].gap || d.is(c.s-1, "-") {
					continue
				}
				w := d.lw(c.s)
				if c.e-c.s > 1 {
					w = strings.ToLower(d.text[d.toks[c.s].start:d.toks[c.e-1].end])
				}
				if (w == "led" || w == "co-led") && d.lowIs(c.e, "by") {
					continue
				}
				if c.s > 0 && (d.lw(c.s-1) == "which" || d.lw(c.s-1) == "who" || d.lw(c.s-1) == "that") {
					// "Accel, which led the round": the name before the
					// relative pronoun, when the round is this one.
					if (w == "led" || w == "co-led") && d.is(c.s-2, ",") && d.objectIsThisRound(c.e) {
						if items := d.leftList(c.s - 2); len(items) > 0 {
							lists = append(lists, found{items: items[len(items)-1:], lead: true, at: c.s, amt: -1})
						}
					}
					continue
				}
				if w == "made" || w == "make" || w == "has" || w == "would" || w == "will" || w == "to" {
					if !d.investmentFollows(c.e) {
						continue
					}
				}
				if w == "among" && !d.investorNounNear(c.e) {
					continue
				}
				if (w == "committed" || w == "commit") && d.lowIs(c.e, "to") {
					continue
				}
				if (w == "provided" || w == "provide" || w == "provides" || w == "extended" || w == "lent" || w == "backed") && !d.moneyOrRoundFollows(c.e) {
					continue
				}
				if (w == "led" || w == "co-led" || w == "lead" || w == "leads" || w == "co-leads") && d.objectIsPrior(c.e) {
					continue
				}
				items := d.leftList(d.beforeAsRole(c.s))
				if len(items) == 0 {
					// "the firm led a $45 million Series B": the fund
					// named before.
					if d.lowIs(c.s-2, "the", "firm") || d.lowIs(c.s-2, "the", "fund") {
						for x, db := range deals {
							if x > 8 {
								break
							}
							if db.round == "fund" && db.companyAt >= 0 && db.sent < d.sentIdx(c.s) {
								r, ok := d.nameAt(db.companyAt, len(d.toks))
								if ok {
									items = []listItem{{nameRef: r}}
								}
								break
							}
						}
					}
				}
				lead := false
				switch w {
				case "led", "co-led", "coled", "leading", "lead", "leads", "co-leading", "co-leads", "co-lead", "will":
					lead = true
				}
				if strings.HasPrefix(d.lw(c.s), "as") && strings.Contains(d.text[d.toks[c.s].start:d.toks[c.e-1].end], "lead investor") {
					lead = true
				}
				lists = append(lists, found{items: items, lead: lead, at: c.s, amt: -1})
			}
		}
	}
	// Lists after "with": "with Peak XV Partners and Temasek participating"
	// are caught by their verb through leftList.

	for _, f := range lists {
		if len(f.items) == 0 {
			continue
		}
		an := d.anchorNear(amts, f.at)
		k := -1
		focus := func() int {
			if d.priorBefore(d.clauseStart(f.at), f.at) {
				return -1
			}
			k := d.dealFor(amts, deals, d.sentIdx(f.at), f.at)
			if k >= 0 && !d.sentHasMoney(amts, d.sentIdx(f.at)) && d.otherRoundNamed(d.clauseStart(f.at), d.clauseEnd(f.at), deals[k].round) {
				// "Its seed round was led by Y Combinator in 2022."
				return -1
			}
			return k
		}
		if an >= 0 {
			a := amts[an]
			switch {
			case a.role == roleRaise || a.role == roleRestate || a.role == roleValuation:
				k = a.deal
			case a.role == roleInvAmt:
				k = d.dealFor(amts, deals, a.sent, a.h.qi)
			case a.role == rolePrior && a.h.tj <= f.at:
				// An earlier round: not this deal's investors.
				k = -1
			default:
				k = focus()
			}
		} else {
			k = focus()
		}
		if k < 0 || k >= len(deals) {
			continue
		}
		for _, it := range f.items {
			d.addInvestor(deals[k], it, f.lead && !it.tail || it.lead, -1)
		}
	}

	// Investor amounts.
	for i := range amts {
		a := amts[i]
		if a.role != roleInvAmt && !(a.role == roleRaise && a.selfInv) {
			continue
		}
		k := a.deal
		if a.role == roleInvAmt {
			k = d.dealFor(amts, deals, a.sent, a.h.qi)
		}
		if k < 0 || k >= len(deals) {
			continue
		}
		var items []listItem
		j := a.h.tj
		if d.lowIs(j, "each") {
			j++
		}
		if d.lowIs(j, "from") {
			items = d.parseList(j+1, d.sents[a.sent].e)
		} else {
			// "SoftBank would provide $18bn", "each committed $25 million",
			// "Nvidia would make a strategic investment of up to $10 billion".
			v := a.h.qi
			if c, ok := d.cueEndsAt("amtverb", a.h.qi, 0); ok {
				v = c.s
			} else {
				for x := a.h.qi - 1; x >= d.sents[a.sent].s && x > a.h.qi-8; x-- {
					switch d.lw(x) {
					case "make", "made", "makes", "making":
						v = x
					}
				}
			}
			items = d.leftList(v)
			if len(items) == 0 && d.lw(max(0, v-1)) == "each" {
				// ", each putting in HK$400 million": the names before.
				x := sort.Search(len(lists), func(x int) bool { return lists[x].at >= a.h.qi }) - 1
				for n := 0; x >= 0 && n < 8 && d.sentIdx(lists[x].at) == a.sent; x, n = x-1, n+1 {
					if len(lists[x].items) > 0 {
						items = lists[x].items
						break
					}
				}
			}
		}
		for _, it := range items {
			d.addInvestor(deals[k], it, false, i)
		}
	}
}

// investorNounNear reports "investors", "backers", "lenders" within a few
// words after i: "Tencent and Hillhouse among its cornerstone investors".
func (d *doc) investorNounNear(i int) bool {
	for k := i; k < i+4 && k < len(d.toks) && d.toks[k].kind == tkWord; k++ {
		switch d.lw(k) {
		case "investors", "backers", "lenders", "cornerstones", "anchors", "participants", "investor", "backer", "limited", "lps":
			return true
		}
	}
	return false
}

// beforeAsRole skips the light verb before an "as ... investor" cue:
// "Hillhouse signing on as a cornerstone investor", "Temasek came in as
// anchor investor". It returns i otherwise.
func (d *doc) beforeAsRole(i int) int {
	if d.lw(i) != "as" || i < 2 {
		return i
	}
	v := i
	if d.lw(v-1) == "on" || d.lw(v-1) == "in" {
		v--
	}
	if v > 0 && d.toks[v-1].kind == tkWord && !d.isCap(v-1) {
		w := d.lw(v - 1)
		if strings.HasSuffix(w, "ing") || strings.HasSuffix(w, "ed") || w == "came" || w == "come" || w == "comes" || w == "signs" || w == "sign" || w == "act" || w == "acts" || w == "serve" || w == "serves" {
			return v - 1
		}
	}
	return i
}

// sentHasMoney reports whether sentence k holds an amount of money.
func (d *doc) sentHasMoney(amts []amount, k int) bool {
	lo, hi := d.sentAmts(k)
	return hi > lo
}

// otherRoundNamed reports a clause about another round than round: it
// names a year, or a round of a different kind.
func (d *doc) otherRoundNamed(a, b int, round string) bool {
	for i := a; i < b; i++ {
		if d.isYear(i) {
			return true
		}
		if r, _, ok := d.roundAt(i); ok && r != "unknown" && round != "" && round != "unknown" && r != round {
			return true
		}
	}
	return false
}

// priorBefore reports a cue of an earlier round in [a, b), leaving out
// "previous backers" and "earlier investors", which describe investors.
func (d *doc) priorBefore(a, b int) bool {
	for i := max(a, 0); i < b; i++ {
		for _, c := range d.cuesAt(i) {
			if c.class != "prior" || c.e > b {
				continue
			}
			if c.e < len(d.toks) && d.v.desc[d.lw(c.e)] && d.lw(c.e) != "the" && d.lw(c.e) != "a" {
				continue
			}
			return true
		}
	}
	return false
}

// startsDescribedName reports "existing investor Y Combinator" style starts.
func (d *doc) startsDescribedName(i int) bool {
	for k := i; k < len(d.toks) && k < i+8; k++ {
		if d.isCap(k) || d.gazAt(k) > 0 {
			return true
		}
		if d.is(k, ",") {
			continue
		}
		if d.toks[k].kind != tkWord || !d.v.desc[d.lw(k)] {
			return false
		}
	}
	return false
}

// fromIsFunding reports whether "from" at i follows money or a funding
// word: "$35 million in debt from", "a grant from", "investment from".
func (d *doc) fromIsFunding(i int, amts []amount) bool {
	lo := max(d.sentStart(i), i-6)
	for k := i - 1; k >= lo; k-- {
		if d.toks[k].kind == tkCurSym || d.toks[k].kind == tkNumber {
			return true
		}
		if _, ok := d.cueAtIs("raisen", k); ok {
			return true
		}
		if _, ok := d.cueAtIs("raisev", k); ok {
			return true
		}
		if d.is(k, ",") || d.is(k, ";") {
			return false
		}
	}
	return false
}

// investmentFollows reports "made a (strategic) investment".
func (d *doc) investmentFollows(i int) bool {
	for k := i; k < len(d.toks) && k < i+5; k++ {
		if d.lw(k) == "investment" || d.lw(k) == "investments" {
			return true
		}
	}
	return false
}

func (d *doc) moneyOrRoundFollows(i int) bool {
	for k := i; k < len(d.toks) && k < i+6; k++ {
		if d.toks[k].kind == tkCurSym || d.toks[k].kind == tkNumber {
			return true
		}
		if _, _, ok := d.roundAt(k); ok {
			return true
		}
		if d.lw(k) == "round" || d.lw(k) == "the" {
			continue
		}
	}
	return false
}

// objectIsThisRound reports "the round", "the financing", "this round".
func (d *doc) objectIsThisRound(i int) bool {
	if d.objectIsPrior(i) {
		return false
	}
	switch d.lw(i) {
	case "the", "this":
		switch d.lw(i + 1) {
		case "round", "financing", "funding", "investment", "deal", "raise", "series", "seed":
			return true
		}
	}
	return false
}

// objectIsPrior reports "led the company's Series A", "led its seed round".
func (d *doc) objectIsPrior(i int) bool {
	e := min(len(d.toks), i+5)
	for k := i; k < e; k++ {
		if d.lw(k) == "its" || d.lw(k) == "their" || d.lw(k) == "previous" || d.lw(k) == "earlier" || d.lw(k) == "last" || d.lw(k) == "first" {
			return true
		}
		if d.lw(k) == "s" && (d.is(k-1, "'") || d.is(k-1, "’")) && !d.isCap(k-2) {
			// "the company's Series A", not "Fernbrook's Series A".
			return true
		}
		if d.isBoundary(k) || d.is(k, ".") {
			break
		}
	}
	return false
}

func (d *doc) addInvestor(db *dealB, it listItem, lead bool, amt int) {
	name := d.nameText(it.nameRef)
	key := normName(d.v, name)
	if db.companyK == "" {
		db.companyK = normName(d.v, db.company)
	}
	if key == "" || keysMatch(key, db.companyK) {
		return
	}
	canon := it.canonical
	if canon == "" {
		canon = name
	}
	if db.invIdx == nil {
		db.invIdx = map[string]int{}
	}
	x, ok := db.invIdx["n:"+key]
	if !ok && it.canonical != "" {
		x, ok = db.invIdx["c:"+canon]
	}
	if ok {
		iv := &db.investors[x]
		iv.lead = iv.lead || lead
		if amt >= 0 {
			iv.amt = amt
		}
		return
	}
	db.invIdx["n:"+key] = len(db.investors)
	if it.canonical != "" {
		db.invIdx["c:"+canon] = len(db.investors)
	}
	s, e := int(d.toks[it.s].start), int(d.toks[it.e-1].end)
	db.investors = append(db.investors, investorB{key: key, name: name, canonical: canon, lead: lead, span: news.Span{Start: s, End: e}, amt: amt})
}

// hasLowerCue reports a cue of class starting in [a, b) on a lower-case
// word: "grid" is a cue, "Solaris Grid" is a name.
func (d *doc) hasLowerCue(class string, a, b int) bool {
	for i := max(a, 0); i < b && i < len(d.toks); i++ {
		if _, ok := d.cueAtIs(class, i); ok && !d.isCap(i) {
			return true
		}
	}
	return false
}

// attachCapacity decides which power figures a deal pays for.
func (d *doc) attachCapacity(powers []powerHit, deals []*dealB) []bool {
	caps := make([]bool, len(powers))
	if len(deals) == 0 {
		return caps
	}
	for i, p := range powers {
		if p.energy {
			continue
		}
		cs := d.clauseStart(p.qi)
		k := d.sentIdx(p.ti)
		if d.hasLowerCue("powneg", max(cs, p.ti-maxWin), p.ti) || d.hasLowerCue("powneg", p.tj, min(d.clauseEnd(p.tj), p.tj+maxWin)) {
			continue
		}
		if !d.hasCue("powpos", cs, p.ti) && !d.hasCue("powpos", max(d.sents[k].s, p.ti-maxWin), p.ti) {
			continue
		}
		j := 0
		if k < len(d.dealFirst) && d.dealFirst[k] >= 0 {
			j = int(d.dealFirst[k])
		} else if k < len(d.dealLast) && d.dealLast[k] >= 0 {
			j = int(d.dealLast[k])
		}
		caps[i] = true
		deals[j].capacity = append(deals[j].capacity, p)
	}
	return caps
}

// output turns the analysis into the wire shape.
func (d *doc) output(a *analysis) news.Extraction {
	amts, powers, caps, deals := a.amts, a.powers, a.caps, a.deals
	out := news.Extraction{Deals: []news.Deal{}, PriorAmounts: []news.Figure{}, OtherAmounts: []news.Figure{}}
	equiv := map[int]int{}
	restated := map[int][]int{}
	for j := range amts {
		switch a := amts[j]; {
		case a.role == roleEquiv && a.equivOf >= 0:
			equiv[a.equivOf] = j
		case a.role == roleRestate && a.restateOf >= 0 && len(restated[a.restateOf]) < 8:
			restated[a.restateOf] = append(restated[a.restateOf], j)
		}
	}
	money := func(i int) *news.Money {
		m := d.toMoney(amts[i].h)
		if j, ok := equiv[i]; ok {
			e := d.toMoney(amts[j].h)
			m.Equivalent = &e
		}
		for _, j := range restated[i] {
			t := d.toMoney(amts[j].h).Text
			if t != m.Text && !contains(m.Mentions, t) {
				m.Mentions = append(m.Mentions, t)
			}
		}
		return &m
	}
	for di, db := range deals {
		conf := 0.0
		if di < len(a.dealConf) {
			conf = a.dealConf[di]
		}
		out.Deals = append(out.Deals, d.outDeal(a, db, conf, money))
	}
	for _, x := range a.doubtful {
		out.Doubtful = append(out.Doubtful, d.outDeal(a, x.db, x.conf, money))
	}
	for i, a := range amts {
		var f news.Figure
		switch a.role {
		case rolePrior:
			f.Kind = a.kind
		case roleOther:
			f.Kind = a.kind
			if f.Kind == "" {
				f.Kind = "other"
			}
		case roleValuation:
			if a.deal >= 0 {
				continue
			}
			f.Kind, f.Note = "other", "valuation with no deal"
		case roleRaise, roleRestate:
			if a.deal >= 0 {
				continue
			}
			f.Kind = "other"
		case roleInvAmt:
			if d.dealFor(amts, deals, a.sent, a.h.qi) >= 0 {
				continue
			}
			f.Kind = "other"
		default:
			continue
		}
		m := d.toMoney(a.h)
		v := m.Value
		f.Value, f.Currency, f.Text, f.Span, f.Approx, f.Qualifier, f.Max = &v, m.Currency, m.Text, m.Span, m.Approx, m.Qualifier, m.Max
		if f.Note == "" {
			f.Note = a.note
		}
		_ = i
		if a.role == rolePrior {
			out.PriorAmounts = append(out.PriorAmounts, f)
		} else {
			out.OtherAmounts = append(out.OtherAmounts, f)
		}
	}
	for i, p := range powers {
		if caps[i] {
			continue
		}
		s, e := d.spanOf(p.ti, p.tj)
		v := p.value
		f := news.Figure{Text: d.text[s:e], Span: news.Span{Start: s, End: e}, Approx: p.qualifier != "", Qualifier: p.qualifier, Note: d.powerWhat(p)}
		if p.energy {
			f.Kind, f.Value = "energy", &v
		} else {
			f.Kind, f.ValueWatts = "other", &v
		}
		out.OtherAmounts = append(out.OtherAmounts, f)
	}
	sort.SliceStable(out.OtherAmounts, func(i, j int) bool { return out.OtherAmounts[i].Span.Start < out.OtherAmounts[j].Span.Start })
	return out
}

// outDeal turns one deal of the analysis into the wire shape; money builds
// a figure with its conversion and restatements.
func (d *doc) outDeal(a *analysis, db *dealB, conf float64, money func(int) *news.Money) news.Deal {
	nd := news.Deal{Company: db.company, Round: db.round, Investors: []news.Investor{}, Capacity: []news.Capacity{}, Acquirer: db.acquirer}
	if nd.Round == "" {
		nd.Round = "unknown"
	}
	if db.amt >= 0 {
		nd.Amount = money(db.amt)
		nd.Amount.Confidence = a.amtConf(db.amt, amRaise)
	}
	for _, vi := range db.vals {
		v := &news.Valuation{Money: *money(vi), Basis: a.amts[vi].basis}
		v.Confidence = a.amtConf(vi, amValuation)
		switch {
		case nd.Valuation == nil:
			nd.Valuation = v
		case nd.Valuation.Basis == "pre-money" && v.Basis == "post-money":
			nd.ValuationAlt, nd.Valuation = nd.Valuation, v
		case nd.Valuation.Basis == "post-money" && v.Basis == "pre-money" && nd.ValuationAlt == nil:
			nd.ValuationAlt = v
		}
	}
	for _, iv := range db.investors {
		inv := news.Investor{Name: iv.name, Canonical: iv.canonical, Lead: iv.lead, Span: iv.span}
		if p := a.keyProb[normName(d.v, iv.name)]; p != nil {
			inv.Confidence = round3(invProb(p))
		}
		if iv.amt >= 0 {
			inv.Amount = money(iv.amt)
			inv.Amount.Confidence = a.amtConf(iv.amt, amShare)
		}
		nd.Investors = append(nd.Investors, inv)
	}
	for _, p := range db.capacity {
		s, e := d.spanOf(p.ti, p.tj)
		nd.Capacity = append(nd.Capacity, news.Capacity{ValueWatts: p.value, Text: d.text[s:e], Span: news.Span{Start: s, End: e}, What: d.powerWhat(p), Approx: p.qualifier != "", Qualifier: p.qualifier, Confidence: a.powerConf(p)})
	}
	sn := d.sents[db.sent]
	if sn.e > sn.s {
		s, e := d.spanOf(sn.s, sn.e)
		nd.Evidence, nd.EvidenceSpan = d.text[s:e], news.Span{Start: s, End: e}
	}
	nd.Confidence = round3(conf)
	return nd
}

// powerWhat is the short phrase after a power figure: "of IT capacity",
// "floating solar pilot".
func (d *doc) powerWhat(p powerHit) string {
	e := d.clauseEnd(p.tj)
	if e > p.tj+6 {
		e = p.tj + 6
	}
	if e <= p.tj {
		return ""
	}
	s, end := d.spanOf(p.tj, e)
	return strings.TrimSpace(d.text[s:end])
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
