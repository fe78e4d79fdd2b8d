package extract

import (
	"slices"
	"sort"
	"strings"

	"github.com/dealwire/dealwire/news"
)

// attachValuations gives each deal its valuation.
func (d *doc) attachValuations(amts []amount, deals []*dealB) {
	d.indexDeals(deals)
	if len(deals) == 0 {
		return
	}
	var byVal map[valID][]int
	for i := range amts {
		a := &amts[i]
		if a.role != roleValuation {
			continue
		}
		if byVal == nil {
			byVal = map[valID][]int{}
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

// anchorNear returns the amount nearest before token i in its sentence,
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
	lists := d.investorLists(amts, deals)
	// Lists after "with": "with Peak XV Partners and Temasek participating"
	// are caught by their verb through leftList.
	free := d.sc.freeLists[:0]
	for _, f := range lists {
		if len(f.items) == 0 {
			continue
		}
		if len(deals) == 0 {
			free = append(free, freeList{investorList: f, why: freeNoDeal})
		} else if !d.giveList(amts, deals, f) {
			free = append(free, freeList{investorList: f, why: freeOther})
		}
	}
	d.freeLists, d.sc.freeLists = free, free
	if len(deals) > 0 {
		d.attachShares(amts, deals, lists)
		d.attachRespectively(amts, deals, lists)
	}
}

// attachRespectively gives the figures of a sentence that pairs them with
// a list's names in order ("Alder and Brook put in $5 million and $8
// million, respectively"; "Cobalt arranged $18 million and $7 million
// from Dune and Ember, respectively") to those names, as their own shares:
// the list must be the sentence's only one read before the word, and the
// sentence must hold as many figures before the word as the list names.
func (d *doc) attachRespectively(amts []amount, deals []*dealB, lists []investorList) {
	for x, f := range lists {
		if len(f.items) < 2 || x+1 < len(lists) && d.sentIdx(lists[x+1].at) == d.sentIdx(f.at) {
			continue
		}
		k := d.sentIdx(f.at)
		r := -1
		for i := f.items[len(f.items)-1].e; i < d.sents[k].e && i < f.at+4*maxWin; i++ {
			if d.in("extract.respectively", i) {
				r = i
				break
			}
		}
		if r < 0 {
			continue
		}
		var figs []int
		lo, hi := d.sentAmts(k)
		for j := lo; j < hi && amts[j].h.tj <= r; j++ {
			if amts[j].role != roleEquiv && amts[j].role != roleRestate {
				figs = append(figs, j)
			}
		}
		db := d.listDeal(amts, deals, f.at)
		if len(figs) != len(f.items) || db < 0 || db >= len(deals) {
			continue
		}
		for y, it := range f.items {
			d.addInvestor(deals[db], it, f.lead && !it.tail || it.lead, figs[y])
		}
	}
}

// freeList is a list of names that a cue reads as investing but the rules
// give to no deal: the rules found no deal in the text (the model may open
// one: "Alder led the round", no figure), or the list's deal is an earlier
// round or none. The name model sees which (nameFeats); the names are not
// the rules' investors.
type freeList struct {
	investorList
	why uint8
}

// Why a list is free.
const (
	freeNoDeal = iota + 1 // the rules found no deal in the text
	freeOther             // the list's figure is an earlier round, or the rules found no deal for it
)

// investorList is the names a cue gives to a deal: after a lead cue
// ("led by X and Y") or before a verb ("X and Y participated").
type investorList struct {
	items []listItem
	lead  bool // the cue makes its names lead the round ("led by")
	at    int  // cue token
}

// investorLists reads the list of every lead and join cue before the
// boilerplate, in the order of the text (attachShares searches them by
// position).
func (d *doc) investorLists(amts []amount, deals []*dealB) []investorList {
	var lists []investorList
	stop := 0 // the first token of the boilerplate, or the end
	for stop < len(d.toks) && d.sentIdx(stop) < d.boiler {
		stop++
	}
	for _, c := range d.cuesIn(0, stop) {
		var f investorList
		ok := false
		switch c.class {
		case "lead":
			f, ok = d.listAfterCue(c, amts)
		case "join":
			f, ok = d.listBeforeVerb(c, deals)
		}
		if ok {
			lists = append(lists, f)
		}
	}
	added := d.leadNounLists(&lists, stop)
	if d.digestLists(&lists, amts, stop) || added {
		// In the order of the text, as the cues' lists are.
		slices.SortStableFunc(lists, func(x, y investorList) int { return x.at - y.at })
	}
	return lists
}

// digestLists appends the investors of a digest's lines, which write a
// deal as fields between slashes and its investors as the last field
// ("Quenby raises $8M / UK, Fintech / Alder Ventures, Brook Capital"):
// the line must raise, hold a figure before two slashes at least, and the
// names of its last field must reach the line's end. It reports whether
// it appended any.
func (d *doc) digestLists(lists *[]investorList, amts []amount, stop int) bool {
	added := false
	for k, sn := range d.sents {
		if sn.s >= stop {
			break
		}
		if !d.hasCue("raisev", sn.s, sn.e) {
			continue
		}
		fig := -1
		for _, am := range amts {
			if am.sent == k {
				fig = am.h.tj
				break
			}
		}
		if fig < 0 {
			continue
		}
		slashes, last := 0, -1
		for j := fig; j+1 < sn.e; j++ {
			if d.is(j, "/") && d.toks[j].gap && d.toks[j+1].gap {
				slashes, last = slashes+1, j
			}
		}
		if slashes < 2 {
			continue
		}
		end := sn.e
		for end > last+1 && d.toks[end-1].kind == tkPunct {
			end-- // a full stop after the last name
		}
		items := d.parseList(last+1, end)
		if len(items) == 0 || items[len(items)-1].e != end {
			continue
		}
		*lists = append(*lists, investorList{items: items, at: last})
		added = true
	}
	return added
}

// maxLeadGap bounds the words between a lead noun and its copula: "the
// lead investor in Brook's $40 million Series B is Cobalt".
const maxLeadGap = 12

// leadNounLists appends the lists that a lead noun names before the
// boilerplate (stop): the name right after it ("lead investor Alder
// Capital was an insider"), or after a copula that follows it in its
// clause, across words about the round ("the lead investor in Brook's $40
// million Series B is Cobalt", "Hauptgeldgeber dieser Runde ist Dune"). It
// reports whether it appended any.
func (d *doc) leadNounLists(lists *[]investorList, stop int) bool {
	id := d.classID("investors.lead_noun")
	added := false
	for i := 0; i < stop; i++ {
		if e := d.entry(i); e == nil || e.startMask&(1<<(id&63)) == 0 || !hasClass(e.starts, id) {
			continue
		}
		n := d.phraseAt("investors.lead_noun", i)
		if n == 0 {
			continue
		}
		end := d.sents[d.sentIdx(i)].e
		at := d.leadNounName(i+n, end)
		if at < 0 {
			continue
		}
		if items := d.parseList(at, end); len(items) > 0 {
			*lists = append(*lists, investorList{items: items, lead: true, at: i})
			added = true
		}
		i += n - 1
	}
	return d.finalLeadLists(lists, stop) || added
}

// finalLeadLists appends the lists written between a preposition and a
// participle of leading at the end of a German clause ("Die Runde wurde
// vom Investor Alder Capital angeführt", "von Brook und Cobalt
// geleitet"): the names must reach the participle. It reports whether it
// appended any.
func (d *doc) finalLeadLists(lists *[]investorList, stop int) bool {
	id := d.classID("investors.final_lead")
	added := false
	for i := 1; i < stop; i++ {
		if e := d.entry(i); e == nil || e.classMask&(1<<(id&63)) == 0 || !hasClass(e.classes, id) {
			continue
		}
		lo := max(d.sents[d.sentIdx(i)].s, i-maxLeadGap)
		for v := i - 1; v > lo && !d.isListEnd(v, i); v-- {
			if !d.in("investors.final_by", v) {
				continue
			}
			items := d.parseList(v+1, i)
			if len(items) > 0 && items[len(items)-1].e == i {
				*lists = append(*lists, investorList{items: items, lead: true, at: v})
				added = true
			}
			break
		}
	}
	return added
}

// leadNounName returns where the name that a lead noun ending before token
// j names starts: right at j, or after a copula within maxLeadGap tokens of
// its clause; -1 when there is none.
func (d *doc) leadNounName(j, end int) int {
	if j < end && d.isCap(j) && !d.rawIn(j, setStop, d.v.stop) {
		return j
	}
	for k := j; k < end && k < j+maxLeadGap; k++ {
		if d.toks[k].kind == tkPunct && !d.is(k, "'") && !d.is(k, "’") && !d.is(k, "-") || d.toks[k].kind == tkNewline {
			return -1 // the clause ends first
		}
		if d.in("investors.copula", k) {
			if at := d.skipDescriptors(k+1, end); at < end && (d.isCap(at) || d.gazAt(at) != 0) {
				return k + 1
			}
			return -1
		}
	}
	return -1
}

// listAfterCue reads the names after a lead cue ("led by", "from",
// "including"), unless the cue is too common to start a list here or the
// names are the company's backers over time rather than this round's.
func (d *doc) listAfterCue(c cueHit, amts []amount) (investorList, bool) {
	if d.in("extract.list_cue_needs_name", c.s) {
		numName := c.e+1 < len(d.toks) && d.toks[c.e].kind == tkNumber && d.isCap(c.e+1) && (!d.toks[c.e+1].gap || !d.isYear(c.e)) // "100X.VC", "500 Global"
		if !d.isCap(c.e) && d.gazAt(c.e) == 0 && !d.startsDescribedName(c.e) && !numName {
			return investorList{}, false
		}
	}
	if d.in("extract.from", c.s) && !d.fromIsFunding(c.s, amts) {
		return investorList{}, false
	}
	if d.in("extract.include_verb", c.s) && d.hasCue("prior", max(d.clauseStart(c.s), c.s-6), c.s) {
		// "Previous backers include X": the company's
		// backers over time, not this round's.
		return investorList{}, false
	}
	if (d.in("investors.including", c.s) || d.in("extract.include_verb", c.s)) && d.asideBeforeInclude(c.s) {
		// "trade deals with ten partners, including Alder".
		return investorList{}, false
	}
	if d.in("extract.backed_verb", c.s) && d.in("extract.relative_who", d.clauseStart(c.s)) {
		// "Acme, which is backed by SoftBank, raised ...".
		return investorList{}, false
	}
	if d.in("extract.backed_verb", c.s) && !d.sentHasMoney(amts, d.sentIdx(c.s)) {
		// "The company is backed by ...": its backers over
		// time, not this round's.
		return investorList{}, false
	}
	if d.ledOther(c.s) {
		// "a research initiative led by Ann Roe", "consortiums,
		// including those led by Alder": who heads something else.
		return investorList{}, false
	}
	items := d.parseList(c.e, d.sents[d.sentIdx(c.s)].e)
	lead := false
	for x := c.s; x < c.e; x++ {
		if d.phraseAt("extract.led_by", x) > 0 {
			lead = true
		}
	}
	return investorList{items: items, lead: lead, at: c.s}, true
}

// ledOther reports a "led by" cue at i whose head noun, right before it
// past a passive auxiliary, names no financing but what the names head: a
// project, an initiative, a firm, "those" ("an advisory led by Alder
// Capital").
func (d *doc) ledOther(i int) bool {
	if d.phraseAt("extract.led_by", i) == 0 {
		return false
	}
	k := i - 1
	for n := 0; n < 2 && k > 0 && d.in("roles.passive_aux", k); n++ {
		k--
	}
	return k >= d.sentStart(i) && d.in("extract.led_other_head", k)
}

// asideBeforeInclude reports a noun of customers, partners or peers right
// before the "including" or "includes" at i, past a comma, "also" and a
// relative pronoun: the names that follow are no backers.
func (d *doc) asideBeforeInclude(i int) bool {
	lo := d.sentStart(i)
	for k := i - 1; k >= lo && k >= i-4; k-- {
		if d.in("extract.include_skip", k) {
			continue
		}
		return d.in("extract.include_aside", k)
	}
	return false
}

// listBeforeVerb reads the names before a join verb ("X and Y
// participated", "Accel, which led the round"), unless the verb is the
// passive of a lead cue, moves no money here, or is about an earlier
// round.
func (d *doc) listBeforeVerb(c cueHit, deals []*dealB) (investorList, bool) {
	if !d.toks[c.s].gap || d.is(c.s-1, "-") {
		return investorList{}, false
	}
	w := d.lw(c.s)
	if c.e-c.s > 1 {
		w = strings.ToLower(d.text[d.toks[c.s].start:d.toks[c.e-1].end])
	}
	if d.inWord("extract.led", w) && d.in("extract.by", c.e) {
		return investorList{}, false
	}
	if c.s > 0 && d.in("extract.relative_pronoun", c.s-1) {
		return d.leaderBeforeRelative(c, w)
	}
	if !d.joinVerbFunds(c, w) {
		return investorList{}, false
	}
	items := d.leftList(d.beforeAsRole(c.s))
	if len(items) == 0 {
		items = d.fundLeading(c, deals)
	}
	lead := d.inWord("extract.lead_verb", w)
	if d.anyRuleWord("extract.as_role_prefix", d.lw(c.s), strings.HasPrefix) && d.anyRuleWord("extract.lead_role", d.text[d.toks[c.s].start:d.toks[c.e-1].end], strings.Contains) {
		lead = true
	}
	return investorList{items: items, lead: lead, at: c.s}, true
}

// leaderBeforeRelative reads "Accel, which led the round": the name before
// the relative pronoun leads, when the round is this one. Other verbs after
// a relative pronoun give no list.
func (d *doc) leaderBeforeRelative(c cueHit, w string) (investorList, bool) {
	if d.inWord("extract.led", w) && d.is(c.s-2, ",") && d.objectIsThisRound(c.e) {
		if items := d.leftList(c.s - 2); len(items) > 0 {
			return investorList{items: items[len(items)-1:], lead: true, at: c.s}, true
		}
	}
	return investorList{}, false
}

// joinVerbFunds reports whether join verb w at c funds this round: "made"
// needs an investment after it, "among" an investor noun, "provided" a
// figure or a round; "committed to" is a promise, and "led its seed round"
// an earlier round.
func (d *doc) joinVerbFunds(c cueHit, w string) bool {
	if d.inWord("extract.join_needs_investment", w) {
		if !d.investmentFollows(c.e) {
			return false
		}
	}
	if d.inWord("extract.among", w) && !d.investorNounNear(c.e) {
		return false
	}
	if d.inWord("extract.commit_verb", w) && d.in("extract.to", c.e) {
		return false
	}
	if d.inWord("extract.provide_verb", w) && !d.moneyOrRoundFollows(c.e) {
		return false
	}
	if d.inWord("extract.lead_verb_object", w) && d.objectIsPrior(c.e) {
		return false
	}
	return true
}

// fundLeading reads "the firm led a $45 million Series B" with no name
// before the verb: the fund whose own raise an earlier sentence reported.
func (d *doc) fundLeading(c cueHit, deals []*dealB) []listItem {
	if d.phraseAt("extract.the_fund", c.s-2) == 0 {
		return nil
	}
	for x, db := range deals {
		if x > 8 {
			break
		}
		if db.round == "fund" && db.companyAt >= 0 && db.sent < d.sentIdx(c.s) {
			if r, ok := d.nameAt(db.companyAt, len(d.toks)); ok {
				return []listItem{{nameRef: r}}
			}
			break
		}
	}
	return nil
}

// giveList adds the names of list f to the deal it is about, if any, and
// reports whether there was one.
func (d *doc) giveList(amts []amount, deals []*dealB, f investorList) bool {
	if len(f.items) == 0 {
		return false
	}
	k := d.listDeal(amts, deals, f.at)
	if k < 0 || k >= len(deals) {
		return false
	}
	for _, it := range f.items {
		d.addInvestor(deals[k], it, f.lead && !it.tail || it.lead, -1)
	}
	return true
}

// listDeal picks the deal of a list whose cue is at token at: the deal of
// the figure nearest the cue in its sentence, none when that figure is an
// earlier round named before the cue, and otherwise the deal in focus
// (listFocus).
func (d *doc) listDeal(amts []amount, deals []*dealB, at int) int {
	an := d.anchorNear(amts, at)
	if an < 0 {
		return d.listFocus(amts, deals, at)
	}
	a := amts[an]
	switch {
	case a.role == roleRaise || a.role == roleRestate || a.role == roleValuation:
		return a.deal
	case a.role == roleInvAmt:
		return d.dealFor(amts, deals, a.sent, a.h.qi)
	case a.role == rolePrior && a.h.tj <= at:
		// An earlier round: not this deal's investors.
		return -1
	default:
		return d.listFocus(amts, deals, at)
	}
}

// listFocus picks the deal of a list whose sentence has no figure to go
// by: the deal in focus there (dealFor), unless the clause speaks of an
// earlier round ("Its seed round was led by Y Combinator in 2022.").
func (d *doc) listFocus(amts []amount, deals []*dealB, at int) int {
	if d.priorBefore(d.clauseStart(at), at) {
		return -1
	}
	k := d.dealFor(amts, deals, d.sentIdx(at), at)
	if k >= 0 && !d.sentHasMoney(amts, d.sentIdx(at)) && d.otherRoundNamed(d.clauseStart(at), d.clauseEnd(at), deals[k].round) {
		// "Its seed round was led by Y Combinator in 2022."
		return -1
	}
	return k
}

// attachShares gives each investor amount ("SoftBank would provide $18bn")
// to the names it belongs to, as their own share of the deal; a company's
// investment turned deal (selfInv) names its investors the same way.
func (d *doc) attachShares(amts []amount, deals []*dealB, lists []investorList) {
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
		items := d.shareNames(a, lists)
		amt := i
		if a.role == roleRaise && len(items) > 1 && !d.eachNear(a.h) {
			// "Arden and Vell have put $12 million in Quaywise": the
			// whole round, not one of its investors' own share.
			amt = -1
		}
		if d.combinedGivers(a, items) {
			amt, amts[i].noShare = -1, true
		}
		lead := d.leadsByShare(a)
		for _, it := range items {
			d.addInvestor(deals[k], it, lead, amt)
		}
	}
}

// combinedGivers reports a share whose givers the text lists after it,
// several with no "each": "a $40m investment from Alder and Brook", "CHF
// 12 million invested by Alder, Brook and Cobalt". The figure is their
// combined amount, no one investor's own (convention 8), and the link
// model does not give it either.
func (d *doc) combinedGivers(a amount, items []listItem) bool {
	return a.role == roleInvAmt && len(items) > 1 && items[0].s >= a.h.tj &&
		!d.eachNear(a.h) && !d.eachAfterGivers(a.h)
}

// leadsByShare reports a share named by its giver after "by" that a lead
// cue opens: "a Series C led by a $650m commitment by Alder" makes Alder
// the lead.
func (d *doc) leadsByShare(a amount) bool {
	if a.role != roleInvAmt || d.byShareAt(a.h.tj) < 0 {
		return false
	}
	_, ok := d.cueEndsAt("lead", a.h.qi, 1)
	return ok
}

// shareNames reads the names an investor amount belongs to: after it
// ("$5 million each from X and Y"), or before its verb ("SoftBank would
// provide $18bn", "each committed $25 million", "Nvidia would make a
// strategic investment of up to $10 billion").
func (d *doc) shareNames(a amount, lists []investorList) []listItem {
	j := a.h.tj
	if d.in("extract.each", j) {
		j++
	}
	if d.in("extract.from", j) {
		return d.parseList(j+1, d.sents[a.sent].e)
	}
	if f := d.fromShareAt(a.h.tj); f >= 0 && d.pairedShares(a.sent, f) {
		return d.parseList(f+1, d.sents[a.sent].e)
	}
	if b := d.byShareAt(a.h.tj); b >= 0 {
		items, _ := d.byGivers(b)
		return items
	}
	v := a.h.qi
	if c, ok := d.cueEndsAt("amtverb", a.h.qi, 0); ok {
		v = c.s
	} else if p := d.partVerbAt(a.h.qi); p >= 0 {
		v = p
	} else {
		for x := a.h.qi - 1; x >= d.sents[a.sent].s && x > a.h.qi-8; x-- {
			if d.in("extract.make_amount", x) {
				v = x
			}
		}
	}
	items := d.leftList(d.pastSayer(v, d.sents[a.sent].s))
	if len(items) == 0 && d.in("extract.each", max(0, v-1)) {
		items = d.namesBeforeEach(a, lists)
	}
	return items
}

// pastSayer moves v, the start of a giving verb, to the pronoun before it
// when a speaker names the giver ("Alder said it would provide $20
// million", "Brook says it has contributed $8 million"): the list is then
// read before the reporting verb, which leftList skips as an auxiliary.
func (d *doc) pastSayer(v, s int) int {
	j := v
	for j > s && d.toks[j-1].kind == tkWord && d.in("investors.aux", j-1) {
		j--
	}
	if j-2 > s && d.in("extract.sayer_pronoun", j-1) && d.in("investors.speech_verb", j-2) {
		return j - 1
	}
	return v
}

// namesBeforeEach reads ", each putting in HK$400 million": the names of
// the nearest list before the amount in its sentence.
func (d *doc) namesBeforeEach(a amount, lists []investorList) []listItem {
	x := sort.Search(len(lists), func(x int) bool { return lists[x].at >= a.h.qi }) - 1
	for n := 0; x >= 0 && n < 8 && d.sentIdx(lists[x].at) == a.sent; x, n = x-1, n+1 {
		if len(lists[x].items) > 0 {
			return lists[x].items
		}
	}
	return nil
}

// investorNounNear reports "investors", "backers", "lenders" within a few
// words after i: "Tencent and Hillhouse among its cornerstone investors".
func (d *doc) investorNounNear(i int) bool {
	for k := i; k < i+4 && k < len(d.toks) && d.toks[k].kind == tkWord; k++ {
		if d.in("extract.investor_noun", k) {
			return true
		}
	}
	return false
}

// beforeAsRole skips the light verb before an "as ... investor" cue:
// "Hillhouse signing on as a cornerstone investor", "Temasek came in as
// anchor investor". It returns i otherwise.
func (d *doc) beforeAsRole(i int) int {
	if !d.in("extract.as", i) || i < 2 {
		return i
	}
	v := i
	if d.in("extract.as_particle", v-1) {
		v--
	}
	if v > 0 && d.toks[v-1].kind == tkWord && !d.isCap(v-1) {
		w := d.lw(v - 1)
		if d.anyRuleWord("extract.as_light_verb_suffix", w, strings.HasSuffix) || d.inWord("extract.as_light_verb", w) {
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
	for _, c := range d.cuesIn(a, b) {
		if c.class != "prior" || c.e > b {
			continue
		}
		if c.e < len(d.toks) && d.lowIn(c.e, setDesc, d.v.desc) && !d.in("extract.article", c.e) {
			continue
		}
		return true
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
		if d.toks[k].kind != tkWord || !d.lowIn(k, setDesc, d.v.desc) {
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
	return d.anyIn("extract.investment_noun", i, i+5)
}

// moneyOrRoundFollows reports a figure or a named round within a few
// tokens after i: "provided $20 million", "backed the Series A", so that a
// verb such as "provided" names investors only when it moves money.
func (d *doc) moneyOrRoundFollows(i int) bool {
	for k := i; k < len(d.toks) && k < i+6; k++ {
		if d.toks[k].kind == tkCurSym || d.toks[k].kind == tkNumber {
			return true
		}
		if _, _, ok := d.roundAt(k); ok {
			return true
		}
	}
	return false
}

// objectIsThisRound reports "the round", "the financing", "this round".
func (d *doc) objectIsThisRound(i int) bool {
	if d.objectIsPrior(i) {
		return false
	}
	return d.in("extract.this_det", i) && d.in("extract.round_noun", i+1)
}

// objectIsPrior reports "led the company's Series A", "led its seed round",
// "led Brindle's $45 million Series A in 2019" (a figure the rules
// read as an earlier round's).
func (d *doc) objectIsPrior(i int) bool {
	e := min(len(d.toks), i+5)
	for k := i; k < e; k++ {
		if d.in("extract.prior_det", k) {
			return true
		}
		if k < len(d.amtAt) && d.amtAt[k] > 0 && int(d.amtAt[k]) <= len(d.amts) && d.amts[d.amtAt[k]-1].role == rolePrior {
			return true
		}
		if d.in("extract.possessive_s", k) && (d.is(k-1, "'") || d.is(k-1, "’")) && !d.isCap(k-2) {
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
	key := d.normName(name)
	if db.companyK == "" {
		db.companyK = d.normName(db.company)
	}
	if key == "" || keysMatch(key, db.companyK) {
		return
	}
	canon := it.canonical
	if canon == "" {
		canon = name
	}
	if db.invIdx == nil {
		db.invIdx = map[invKey]int{}
	}
	x, ok := db.invIdx[invKey{name: key}]
	if !ok && it.canonical != "" {
		x, ok = db.invIdx[invKey{canon: true, name: canon}]
	}
	if ok {
		iv := &db.investors[x]
		iv.lead = iv.lead || lead
		if amt >= 0 {
			iv.amt = amt
		}
		return
	}
	db.invIdx[invKey{name: key}] = len(db.investors)
	if it.canonical != "" {
		db.invIdx[invKey{canon: true, name: canon}] = len(db.investors)
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

// minCapacityWatts is the least power a deal can fund: below a kilowatt a
// figure rates a device, or is no power at all ("7W Partners").
const minCapacityWatts = 1000

// fundable tells whether power figure p can be a deal's capacity: power of
// at least minCapacityWatts that is no end of a span (markPowerSpans) and
// is not set in the past (markPowerPast) nor another project's
// (markPowerOther).
func fundable(p powerHit) bool {
	return !p.energy && !p.span && !p.past && !p.other && p.value.Float64() >= minCapacityWatts
}

// attachCapacity decides which power figures a deal pays for.
func (d *doc) attachCapacity(powers []powerHit, deals []*dealB) []bool {
	caps := make([]bool, len(powers))
	if len(deals) == 0 {
		return caps
	}
	for i, p := range powers {
		if !fundable(p) {
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
