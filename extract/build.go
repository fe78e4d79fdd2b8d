package extract

import (
	"sort"
)

// buildDeals makes one deal per distinct raise, merges restatements, and
// adds deals with no figure ("an undisclosed sum", "an eight-figure Series A").
// The steps run in this order because each reads the roles the one before
// has set.
func (d *doc) buildDeals(amts []amount) []*dealB {
	main := d.mainCompany(amts)
	firstRaise := map[valID]int{} // valKey → first raise with that value
	deals := d.raiseDeals(amts, main, firstRaise)
	deals = d.selfInvestDeals(amts, deals, main)
	d.restatedOthers(amts, firstRaise)
	deals = d.noFigureDeals(amts, deals, main)
	d.roundsElsewhere(amts, deals)
	return d.keepNamedDeals(amts, deals)
}

// raiseDeals makes one deal per distinct raise value; a raise repeating an
// earlier one's value restates it. Raises in the press-release boilerplate
// are funding to date, not news; raises in a teaser line ("Read also: ...")
// are another article's. It records in firstRaise, per valKey, the
// first raise with that value (the map is the caller's, so that it stays
// off the heap).
func (d *doc) raiseDeals(amts []amount, main string, firstRaise map[valID]int) []*dealB {
	var deals []*dealB
	// A raise whose value is the conversion of another raise ("raises
	// $19.6M" over "€18 million (about $19.6 million)") restates that one;
	// it waits until the other has its deal.
	converted := map[valID]int{}
	for j := range amts {
		if amts[j].role == roleEquiv && amts[j].equivOf >= 0 && amts[amts[j].equivOf].role == roleRaise {
			converted[valKey(amts[j].h)] = amts[j].equivOf
		}
	}
	var waiting, rounded []int
	for i := range amts {
		a := &amts[i]
		if a.role == roleRaise && !d.newsSentence(a.sent) {
			// Press-release boilerplate: funding to date, not news.
			a.role, a.kind = rolePrior, "total"
		}
		if a.role != roleRaise {
			continue
		}
		if o, ok := converted[valKey(a.h)]; ok && o != i && amts[o].deal < 0 {
			waiting = append(waiting, i)
			continue
		}
		if d.roundedRaise(amts, i) >= 0 {
			rounded = append(rounded, i)
			continue
		}
		deals = d.raiseDeal(amts, i, main, firstRaise, converted, deals)
	}
	for _, i := range waiting {
		deals = d.raiseDeal(amts, i, main, firstRaise, converted, deals)
	}
	for _, i := range rounded {
		if o := d.roundedRaise(amts, i); o >= 0 && amts[o].role == roleRaise && amts[o].deal >= 0 {
			amts[i].role, amts[i].restateOf, amts[i].deal, amts[i].rounded = roleRestate, o, amts[o].deal, true
			continue
		}
		deals = d.raiseDeal(amts, i, main, firstRaise, converted, deals)
	}
	return deals
}

// raiseDeal gives raise i a deal of its own, or makes it the restatement
// of the raise with its value or of the raise it is the conversion of.
func (d *doc) raiseDeal(amts []amount, i int, main string, firstRaise, converted map[valID]int, deals []*dealB) []*dealB {
	a := &amts[i]
	if o, ok := converted[valKey(a.h)]; ok && o != i && amts[o].deal >= 0 && amts[o].role == roleRaise {
		a.role, a.restateOf, a.deal = roleRestate, o, amts[o].deal
		return deals
	}
	if j, ok := firstRaise[valKey(a.h)]; ok {
		a.role, a.restateOf = roleRestate, j
		a.deal = amts[j].deal
		return deals
	}
	firstRaise[valKey(a.h)] = i
	db := &dealB{anchor: a.h.qi, sent: a.sent, amt: i}
	d.fillDeal(db, a.h.qi, a.h.tj, main)
	if a.prevAcq {
		d.partiesBefore(db, a.sent-1, main)
	}
	a.deal = len(deals)
	return append(deals, db)
}

// partiesBefore gives the deal of a price told in a sentence of its own the
// round, target and buyer that sentence k names at its acquire cue
// ("Harwick buys Fjellstad. The $2 billion deal ..."); it leaves the deal
// as it is when no cue there names them.
func (d *doc) partiesBefore(db *dealB, k int, main string) {
	s := d.sents[k]
	for i := s.s; i < s.e; i++ {
		c, ok := d.cueAtIs("acquire", i)
		if !ok {
			continue
		}
		if company, acquirer, at, ok := d.acquireCueParties(c, i, k, main); ok {
			db.round, db.company, db.acquirer, db.companyAt = "acquisition", company, acquirer, at
			return
		}
	}
}

// selfInvestDeals turns an investor's amount into a company no other deal
// covers into a deal of its own: "Novo Holdings will invest $40 million in
// Zymera" reports Zymera's raise, not a share of another deal.
func (d *doc) selfInvestDeals(amts []amount, deals []*dealB, main string) []*dealB {
	var companies map[string]bool
	for i := range amts {
		a := &amts[i]
		if a.role != roleInvAmt {
			continue
		}
		r, ok := d.intoTarget(a.h.tj, true)
		if !ok {
			continue
		}
		name := d.nameText(r)
		if companies == nil {
			companies = map[string]bool{}
			for _, db := range deals {
				companies[d.normName(db.company)] = true
			}
		}
		if companies[d.normName(name)] {
			continue
		}
		companies[d.normName(name)] = true
		a.role, a.selfInv, a.ownDeal = roleRaise, true, true
		db := &dealB{anchor: a.h.qi, sent: a.sent, amt: i}
		d.fillDeal(db, a.h.qi, a.h.tj, main)
		db.company, db.companyAt = name, r.s
		a.deal = len(deals)
		deals = append(deals, db)
	}
	return deals
}

// restatedOthers marks the other figures that repeat a raise's value as
// its restatements ("use the ₹50 crore", a quoted "Eighty-five million
// dollars"), so that they are neither reported as other figures nor
// missed as mentions of the deal.
func (d *doc) restatedOthers(amts []amount, firstRaise map[valID]int) {
	for i := range amts {
		a := &amts[i]
		if a.role == roleOther && a.kind == "other" || a.role == roleOther && a.note == "" && a.kind == "" {
			if j, ok := firstRaise[valKey(a.h)]; ok && amts[j].role == roleRaise {
				a.role, a.restateOf, a.deal = roleRestate, j, amts[j].deal
			}
		}
	}
}

// noFigureDeals adds the deals that a sentence with no raise reports
// without a figure: "an undisclosed sum", "a strategic investment in Y", a
// named round, a raise at a stated valuation. A company and round already
// dealt with are not added twice.
func (d *doc) noFigureDeals(amts []amount, deals []*dealB, main string) []*dealB {
	seen := map[string]bool{}
	for _, o := range deals {
		seen[o.company+"|"+roundKey(o.round)] = true
	}
	for k := range d.sents {
		c, ok := d.noFigureCue(amts, k)
		if !ok {
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
	return deals
}

// roundKey is the round of a deal as noFigureDeals compares it: no round
// is the same as "unknown", as a headline's deal and the body's are one.
// (The key is built in the map index itself, where it costs no allocation.)
func roundKey(r string) string {
	if r == "" {
		return "unknown"
	}
	return r
}

// noFigureCue finds where sentence k reports a deal with no figure: the
// sentence holds no raise, some reading below finds one, and a raise or
// acquisition cue says that money moves.
func (d *doc) noFigureCue(amts []amount, k int) (cueHit, bool) {
	s := d.sents[k]
	lo, hi := d.sentAmts(k)
	for _, a := range amts[lo:hi] {
		if a.role == roleRaise || a.role == roleRestate {
			return cueHit{}, false
		}
	}
	// A deal without a figure is told with a verb or noun of raising or
	// buying; this cheap test goes first.
	if !d.hasCue("raisev", s.s, s.e) && !d.hasCue("raisen", s.s, s.e) && !d.hasCue("acquire", s.s, s.e) {
		return cueHit{}, false
	}
	c, ok := d.cueIn("undisclosed", s.s, min(s.e, s.s+4*maxWin))
	if ok && c.e-c.s > 1 && !d.undisclosedDeal(c, s.s, s.e) {
		// "did not disclose its valuation": not the deal's size.
		ok = false
	}
	if ok && c.e-c.s == 1 && d.undisclosedParty(c.e, s.e) {
		// "Alder, Brook and undisclosed strategic investors": who
		// invested is kept back, not how much.
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
		return cueHit{}, false
	}
	return c, true
}

// roundsElsewhere gives a deal with no round the round named where its
// amount is restated ("$40M" in the headline, "$40 million in a Series B
// round" below), and the first deal the round named only in another
// sentence ("The Series B was led by ...").
func (d *doc) roundsElsewhere(amts []amount, deals []*dealB) {
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
}

// keepNamedDeals drops the deals that name no company (their figures
// become other figures), sorts the rest by position and renumbers the
// amounts' deals to match.
func (d *doc) keepNamedDeals(amts []amount, deals []*dealB) []*dealB {
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
				amts[i].unowned = true
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

// valID identifies an amount by currency and exact value: the value's
// coefficient without trailing zeros and its exponent, so that 1.5 and 1.50
// are one value, as their decimal texts are.
type valID struct {
	currency string
	coef     int64
	exp      int32
}

// valKey is the amount's valID.
func valKey(h moneyHit) valID {
	c, e := h.value.Coef, h.value.Exp
	if c == 0 {
		e = 0
	}
	for c != 0 && c%10 == 0 {
		c /= 10
		e++
	}
	return valID{currency: h.currency, coef: c, exp: e}
}

// undisclosedDeal reports that what a verb such as "did not disclose"
// keeps back (from token i) is the deal itself: its size, amount, terms or
// round ("the size of its seed round", "the terms of the deal"), not a
// valuation or revenue.
func (d *doc) undisclosedDeal(c cueHit, ss, e int) bool {
	i, step := c.e, 1
	if d.in("extract.negation", c.s) {
		// Passive: "the size of the round was not disclosed".
		i, step = c.s-1, -1
	}
	for n, k := 0, i; k >= ss && k < e && n < 7; n, k = n+1, k+step {
		if d.in("extract.undisclosed_other", k) {
			return false
		}
		if d.in("extract.undisclosed_deal", k) {
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

// undisclosedParty reports that the word "undisclosed" ending before
// token i describes investors ("undisclosed backers", "two undisclosed
// individual investors"): up to two more lower-case words, none what a
// deal keeps back ("amount", "sum"), then an investor noun.
func (d *doc) undisclosedParty(i, e int) bool {
	for k := i; k < e && k <= i+2; k++ {
		if d.toks[k].kind != tkWord || d.isCap(k) || d.in("extract.undisclosed_deal", k) {
			return false
		}
		if d.in("extract.investor_noun", k) {
			return true
		}
	}
	return false
}

// datedOrCited reports a sentence that dates itself with a year or cites
// the past or a total, and with denials, one that denies or calls off its
// deal: background, not a deal told without a figure.
func (d *doc) datedOrCited(s sentence, denials bool) bool {
	for i := s.s; i < s.e; i++ {
		if d.isYear(i) {
			return true
		}
	}
	for _, c := range d.cuesIn(s.s, s.e) {
		switch c.class {
		case "prior", "priorsubj", "total":
			return true
		case "deny", "calledoff":
			if denials {
				return true
			}
		}
	}
	return false
}

// namedRoundNoFigure finds "Acme has closed a Series A led by Accel" with
// no figure anywhere in the sentence and nothing placing it in the past.
func (d *doc) namedRoundNoFigure(k int) (cueHit, bool) {
	s := d.sents[k]
	if s.e-s.s > 3*maxWin || !d.mayHoldRound(k, namedRound) || d.definiteSubject(k) {
		return cueHit{}, false
	}
	if d.datedOrCited(s, false) {
		return cueHit{}, false
	}
	verb := false
	for i := s.s; i < s.e; i++ {
		if d.cueOff[i] == d.cueOff[i+1] && d.fact[i]&factRound == 0 {
			continue // no cue starts here and no round can
		}
		if _, ok := d.cueAtIs("raisev", i); ok && !d.futureBefore(i) {
			verb = true
		}
		if r, e, ok := d.roundAt(i); ok && verb && namedRound(r) && !d.possessiveBefore(i) {
			if _, ok := d.subjectName(k); ok {
				return cueHit{s: i, e: e, class: "undisclosed"}, true
			}
		}
	}
	return cueHit{}, false
}

// futureBefore reports a word of a plan or a future among the three
// words before token i: "expects to raise", "plans to raise", "will raise"
// tell of a round that has not happened.
func (d *doc) futureBefore(i int) bool {
	return d.anyIn("roles.future", max(i-3, 0), i)
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
		if d.phraseAt("extract.investment_phrase", i) > 0 { // no lookup unless the token starts one
			for j := max(s.s, i-4); j < i; j++ {
				if d.in("extract.make_investment", j) {
					return cueHit{s: i, e: i + 2, class: "undisclosed"}, true
				}
				// "Medly has received a strategic investment from
				// Samsung Next": the company's own raise verb.
				if _, ok := d.cueAtIs("raisev", j); ok && d.in("extract.strategic", i) && d.in("extract.from", i+2) {
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

// openAcquisitions adds the acquisitions the text tells without a figure
// ("Harwick acquires Fjellstad", the lines of an acquisitions digest): a
// sentence with no figure whose acquire cue names the buyer and the target
// (acquisitionNoFigure) is a deal of the target, unless a deal already
// names it as its company, its buyer or an investor, or it is no company
// (misreadTarget). It runs after the
// model's decisions, so that the models' training data stays the rules'
// deals with a figure or a cue of an undisclosed sum (reading these in
// buildDeals cost the valuation and capacity models a fact each through
// retraining). Its confidence is the name model's belief in the target.
func (d *doc) openAcquisitions(a *analysis) {
	var main string
	mainRead := false
	for k := range d.sents {
		if k >= d.boiler {
			break
		}
		if lo, hi := d.sentAmts(k); hi > lo {
			continue
		}
		c, ok := d.acquisitionNoFigure(k)
		if !ok {
			continue
		}
		if !mainRead {
			main, mainRead = d.mainCompany(a.amts), true
		}
		db := &dealB{anchor: c.s, sent: k, amt: -1}
		d.fillDeal(db, c.s, c.s, main)
		key := d.normName(db.company)
		if key == "" || db.round != "acquisition" || d.dealParty(a, key) || d.misreadTarget(a, db.company) {
			continue
		}
		a.addNoFigureDeal(db, key)
	}
}

// addNoFigureDeal adds db, a deal opened without a figure for the company
// of key, to a; when the model decided a's deals, db carries the model's
// belief in its company (0.5 for a name it did not score).
func (a *analysis) addNoFigureDeal(db *dealB, key string) {
	if a.dealConf != nil {
		conf := 0.5
		if p := a.prob(key); p != nil {
			conf = p[nmCompany]
		}
		a.dealConf = append(a.dealConf, conf)
	}
	a.deals = append(a.deals, db)
}

// misreadTarget reports a target that is no company: a country, a
// nationality or a person, a letter, or one frequent word of a language
// ("AI" of "the AI unit"). The name model's belief is no test here: it
// doubts most targets of such sentences, which it never saw as deals.
func (d *doc) misreadTarget(a *analysis, name string) bool {
	return d.v.isPlaceOrPeople(name) || d.personName(a, name) || oneLetter(name) || d.plainWord(name)
}

// dealParty reports a name some deal of a already names as its company,
// its buyer or an investor.
func (d *doc) dealParty(a *analysis, key string) bool {
	for _, db := range a.deals {
		if keysMatch(d.normName(db.company), key) || d.partyOf(db, key) {
			return true
		}
	}
	return false
}

// acquisitionNoFigure finds an acquisition a sentence without figures
// tells with its buyer and its target ("Harwick acquires Fjellstad",
// "Fjellstad was bought by Harwick"): the acquire cue whose parties the
// rules read. A sentence that dates itself (a year), cites the past, opens
// with a phrase of the past ("In April, Harwick acquired Fjellstad") or
// denies or calls off the deal is background, as for named rounds.
func (d *doc) acquisitionNoFigure(k int) (cueHit, bool) {
	s := d.sents[k]
	// Most sentences hold no acquire cue: this cheap test goes first.
	if s.e-s.s > 3*maxWin || !d.hasCue("acquire", s.s, s.e) || d.definiteSubject(k) {
		return cueHit{}, false
	}
	if d.datedOrCited(s, true) {
		return cueHit{}, false
	}
	for i := s.s; i < s.e; i++ {
		c, ok := d.cueAtIs("acquire", i)
		if !ok || d.futureBefore(i) || d.pastOpening(k, d.clauseStart(i)) {
			continue
		}
		if company, acquirer, _, ok := d.acquireCueParties(c, i, k, ""); ok && company != "" && acquirer != "" {
			return cueHit{s: i, e: c, class: "undisclosed"}, true
		}
	}
	return cueHit{}, false
}
