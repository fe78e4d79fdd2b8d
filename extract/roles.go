package extract

import "strings"

// role is what an amount of money is in its text.
type role uint8

const (
	roleOther     role = iota // any other figure: revenue, contract, price...
	roleRaise                 // the money of a deal reported as news
	roleValuation             // the current valuation of a deal's company
	rolePrior                 // an earlier round, valuation or total
	roleInvAmt                // the share of one or more investors
	roleEquiv                 // a conversion of the amount before it
	roleRestate               // a restatement of a raise already found
)

// amount is one money figure with its role.
type amount struct {
	h         moneyHit
	sent      int
	role      role
	kind      string // prior or other kind
	basis     string // valuation basis
	note      string
	selfInv   bool // "X would make an investment of $Y": also X's amount
	prevAcq   bool // an acquisition's price whose buyer and target the sentence before names
	unowned   bool // a raise the rules set aside as other money for want of a company (keepNamedDeals)
	ownDeal   bool // an investor's amount the rules made a deal of its own (selfInvestDeals)
	noShare   bool // no investor's own share: several givers' combined figure (combinedGivers)
	equivOf   int  // index of the amount this converts, for roleEquiv
	restateOf int  // index of the raise this restates
	rounded   bool // a heading's figure restating a raise rounded (roundedRaise)
	deal      int  // deal index for raises, valuations and investor amounts
}

// window helpers ------------------------------------------------------------

// leftTail reports whether a cue of class ends at i or, through one
// preposition or article, just before it.
func (d *doc) cueEndsAt(class string, i, slack int) (cueHit, bool) {
	lo := d.sents[d.sentIdx(min(i, len(d.toks)-1))].s
	for k := i - 1; k >= lo && k >= i-6; k-- {
		for _, c := range d.cuesAt(k) {
			if c.class == class && c.e <= i && i-c.e <= slack {
				return c, true
			}
		}
	}
	return cueHit{}, false
}

// cueStartsNear reports whether a cue of class starts within n tokens from
// i, not crossing a sentence end.
func (d *doc) cueStartsNear(class string, i, n int) (cueHit, bool) {
	if i >= len(d.toks) {
		return cueHit{}, false
	}
	hi := d.sents[d.sentIdx(min(i, len(d.toks)-1))].e
	for _, c := range d.cuesIn(i, min(hi, i+n)) {
		if c.class == class {
			return c, true
		}
	}
	return cueHit{}, false
}

func (d *doc) hasCue(class string, a, b int) bool {
	_, ok := d.cueIn(class, a, b)
	return ok
}

// isYear reports whether token i is a year such as 2023.
func (d *doc) isYear(i int) bool {
	return i >= 0 && i < len(d.fact) && d.fact[i]&factYear != 0 // a number of four digits from 19 or 20 (numberFacts)
}

// subjectRange returns the token range of the subject of sentence k: from
// its start, past a dateline, a wire tag or a reporting speaker, to the
// first comma or verb-like word.
func (d *doc) subjectRange(k int) (int, int) {
	m := d.subjMemo(k)
	if m.a < 0 {
		a, b := d.findSubject(k)
		m.a, m.b = int32(a), int32(b)
	}
	return int(m.a), int(m.b)
}

// subjMemo is what subjectRange and subjectName found in a sentence: the
// rules and the features ask them of the same sentences many times (each
// of a sentence's figures asks companyFor, which asks subjectName).
type subjMemo struct {
	a, b  int32   // subjectRange, a < 0 until asked
	named uint8   // subjectName: 0 not asked yet, 1 no name, 2 name
	name  nameRef // subjectName's name when named is 2
	comp  int32   // the last of the sentence's companyReadings in doc.comp + 1, or 0
}

// subjMemo returns sentence k's memo, taking the text's from the pooled
// buffers on first use.
func (d *doc) subjMemo(k int) *subjMemo {
	if d.subj == nil {
		d.subj = resize(d.sc.subj, len(d.sents))
		for x := range d.subj {
			d.subj[x].a = -1
		}
	}
	return &d.subj[k]
}

// findSubject is subjectRange without the memo.
func (d *doc) findSubject(k int) (int, int) {
	s := d.sents[k]
	start := d.subjectStart(s)
	end := min(s.e, s.s+2*maxWin)
	start = d.reportedSubject(start, end)
	return d.subjectEnd(s, start, end)
}

// subjectStart skips what a sentence opens with before its subject: a
// wire tag ("BRIEF-Halvard Biosciences Says", "UPDATE 2-Acme raises") and a
// label or dateline ended by a colon or dash ("Exclusive: ...", "CHICAGO —
// ...", "Funding roundup: ..."), so that the subject is the actor of the
// news, not the outlet's furniture.
func (d *doc) subjectStart(s sentence) int {
	start := s.s
	limit := s.s + 6
	if w := d.tx(s.s); len(w) > 1 && isUpperASCII(w) {
		limit = s.s + 16 // "SAN FRANCISCO, Jan 5 (Reuters) -"
	}
	for i := s.s; i < s.e && i < s.s+3; i++ {
		if d.toks[i].kind == tkNumber || d.toks[i].kind == tkWord && len(d.tx(i)) > 3 && isUpperASCII(d.tx(i)) {
			continue
		}
		if i > s.s && d.is(i, "-") && !d.toks[i].gap && d.isCap(i+1) {
			start = i + 1
		}
		break
	}
	for i := start; i < s.e && i < limit; i++ {
		if d.is(i, ":") || d.is(i, "—") || d.is(i, "–") || (d.is(i, "-") && d.toks[i].gap) {
			return i + 1
		}
	}
	return start
}

// reportedSubject moves the subject's start to a reported clause when a
// common noun speaks: in "Sources said Kestrel AI is raising" or
// "Bloomberg reported that X is in talks" the news is the reported clause,
// while in "Acme said it raised" the company speaks of itself.
func (d *doc) reportedSubject(start, end int) int {
	for i := start + 1; i < end && i < start+8; i++ {
		if d.toks[i].kind != tkWord || d.isCap(i) {
			continue
		}
		if !d.in("roles.report_verb", i) {
			if d.lowIn(i, setVerb, d.v.verb) {
				return start // the subject's own verb comes first
			}
			continue
		}
		// The speaker is a common noun ("Sources", "people familiar
		// with the matter"), not a company speaking of itself.
		common := i == start+1 && strings.HasSuffix(d.lw(start), "s")
		for x := start; x < i && !common; x++ {
			common = d.toks[x].kind == tkWord && !d.isCap(x)
		}
		if !common {
			return start
		}
		j := i + 1
		if d.in("roles.complementizer", j) {
			j++
		}
		if j < end && d.isCap(j) && !d.rawIn(j, setStop, d.v.stop) {
			if r, ok := d.nameAt(j, end); ok && r.e < end && d.toks[r.e].kind == tkWord && !d.isCap(r.e) && (verbLike(d.lw(r.e)) || d.lowIn(r.e, setVerb, d.v.verb)) {
				return j
			}
		}
		return start
	}
	return start
}

// subjectEnd returns the subject range from start: it ends at the first
// comma or semicolon, verb, raise or acquisition cue, or figure. An opening
// phrase before a comma ("Separately,", "On Tuesday,") is skipped instead.
func (d *doc) subjectEnd(s sentence, start, end int) (int, int) {
	for i := start; i < end; i++ {
		if d.is(i, ",") && d.introPhrase(start, i) {
			// "Separately, X raised", "On Tuesday, X said".
			start = i + 1
			continue
		}
		if d.is(i, ",") || d.is(i, ";") {
			return start, i
		}
		if d.toks[i].kind == tkWord && (s.headline || s.titled) && d.isCap(i) && i > start {
			// Title Case headlines: "Fernwood Analytics Raises $42 Million".
			if _, ok := d.cueAtIs("raisev", i); ok || d.lowIn(i, setVerb, d.v.verb) {
				return start, i
			}
			if _, ok := d.cueAtIs("acquire", i); ok {
				return start, i
			}
		}
		if d.toks[i].kind == tkWord && !d.isCap(i) {
			if d.lowIn(i, setVerb, d.v.verb) {
				return start, i
			}
			if _, ok := d.cueAtIs("raisev", i); ok {
				return start, i
			}
			if _, ok := d.cueAtIs("acquire", i); ok {
				return start, i
			}
		}
		if d.toks[i].kind == tkNumber && !d.toks[i].gap && d.isCap(i-1) && i+1 < end && !d.toks[i+1].gap && d.isCap(i+1) {
			continue // "B2B", "D2C": a word, not a figure
		}
		if d.toks[i].kind == tkCurSym || d.toks[i].kind == tkNumber {
			return start, i
		}
	}
	return start, end
}

// introPhrase reports an opening adverb or prepositional phrase before a
// comma that holds no name: "Separately,", "In a statement,".
func (d *doc) introPhrase(a, b int) bool {
	if b <= a || b-a > 5 {
		return false
	}
	if d.in("roles.subject_opener", a) {
		return false
	}
	if !d.rawIn(a, setStop, d.v.stop) {
		return false
	}
	for i := a + 1; i < b; i++ {
		if d.isCap(i) && !d.rawIn(i, setStop, d.v.stop) {
			return false
		}
	}
	return true
}

// priorContext reports whether the amount is set in the past: an earlier
// round, a previous valuation. The past shows in a cue of the clause (or of
// the clause before, when the amount's clause only continues it), in "had
// raised", in a year of the clause, or in the sentence's subject.
func (d *doc) priorContext(a *amount) bool {
	s := d.sents[a.sent]
	if s.headline {
		return false
	}
	cs, ce := d.clauseStart(a.h.qi), d.clauseEnd(a.h.tj)
	pcs := cs
	if cs-1 > s.s && (cs < a.h.qi && onlyPrepositions(d, cs, a.h.qi) || d.in("roles.clause_continuation", cs)) {
		pcs = d.clauseStart(cs - 2)
	}
	if d.hasCue("prior", pcs, ce) {
		return true
	}
	if d.pluperfectRaise(s, cs, a.h.qi) || d.pastYearInClause(a, cs, ce) || d.pastOpening(a.sent, pcs) || pcs != cs && d.pastOpening(a.sent, cs) || d.pastMonthWord(pcs, ce) {
		return true
	}
	return d.pastSubject(a, cs)
}

// pastOpening reports a sentence that opens with a phrase setting what
// follows in the past, before the comma that ends it and the amount's
// clause starting at cs: "Previously, Brindle raised ...", "Last year,
// ...", "In April 2021, ..."; after the text's first sentences also a month
// alone ("In May, ..."); not "Earlier this month, ...".
func (d *doc) pastOpening(k, cs int) bool {
	s := d.sents[k]
	c := cs - 1
	if c <= s.s || c-s.s > 6 || !d.is(c, ",") || d.clauseStart(c-1) != s.s {
		return false
	}
	for i := s.s; i < c; i++ {
		if d.in("roles.present_deictic", i) && d.in("deal.time_unit", i+1) {
			return false // "Earlier this month, ..." is the news
		}
	}
	if d.hasCue("prior", s.s, c) {
		return true
	}
	for i := s.s; i < c; i++ {
		if d.isYear(i) || k > 2 && d.pastMonth(i) {
			return true
		}
	}
	return false
}

// totalOpening reports a sentence of sentence s that opens with a phrase of a
// total before the comma that ends it, right before the amount's clause
// starting at cs: "All told, Brindle has taken $40 million", "Au total,
// Tessaly a levé 9 millions d'euros". A word of a total that only opens a
// sentence (cue class totalopen: "au total", "insgesamt") may stand in a
// news round's own clause ("porte la levée à 9 millions au total").
func (d *doc) totalOpening(s sentence, cs int) bool {
	c := cs - 1
	if c <= s.s || c-s.s > 4 || !d.is(c, ",") || d.clauseStart(c-1) != s.s {
		return false
	}
	return d.hasCue("total", s.s, c) || d.hasCue("totalopen", s.s, c)
}

// pastMonthWord reports a month's name in [a, b) with a word of
// roles.month_past up to three words before it or right after it: "en mai
// dernier", "el pasado mes de mayo".
func (d *doc) pastMonthWord(a, b int) bool {
	for i := a; i < b; i++ {
		if d.toks[i].kind != tkWord || !d.lowIn(i, setMonth, d.v.month) {
			continue
		}
		if d.anyIn("roles.month_past", max(a, i-3), min(b, i+2)) {
			return true
		}
	}
	return false
}

// pastMonth reports a month named without its day at i ("In May,", "Last
// July,"): a dated day ("On June 3,") is a roundup's item of the week.
func (d *doc) pastMonth(i int) bool {
	if d.toks[i].kind != tkWord || !d.lowIn(i, setMonth, d.v.month) {
		return false
	}
	day := func(k int) bool {
		return k >= 0 && k < len(d.toks) && d.toks[k].kind == tkNumber && !d.isYear(k)
	}
	return !day(i-1) && !day(i+1)
}

// pluperfectValue reports a valuation told in the pluperfect, "had" in
// its clause before the figure ("its previous round, which had valued it at
// $240 million", "backers who had once given it a $2 billion valuation"):
// a value before the time of the news, unless reported speech ("said it had
// reached a valuation of") keeps it current.
func (d *doc) pluperfectValue(s sentence, cs, qi int) bool {
	for i := cs; i < qi; i++ {
		if d.in("roles.pluperfect", i) && !d.saidBefore(s, i) {
			return true
		}
	}
	return false
}

// saidBefore reports a word of roles.said in the eight tokens of sentence
// s before token i.
func (d *doc) saidBefore(s sentence, i int) bool {
	return d.anyIn("roles.said", max(s.s, i-8), i)
}

// pluperfectRaise reports "had raised" in [cs, qi): a raise before the
// time of the news, unless reported speech ("said it had raised") keeps it
// current.
func (d *doc) pluperfectRaise(s sentence, cs, qi int) bool {
	for i := cs; i < qi; i++ {
		if !d.in("roles.pluperfect", i) || i+1 >= len(d.toks) {
			continue
		}
		if _, ok := d.cueAtIs("raisev", i+1); !ok {
			continue
		}
		if !d.saidBefore(s, i) {
			return true
		}
	}
	return false
}

// pastYearInClause reports a year in the amount's clause outside the
// amount ("in 2023", "a 2022 round"), unless the clause speaks of a plan
// or a deadline ("aims to raise $X by 2027"), where the year is ahead.
func (d *doc) pastYearInClause(a *amount, cs, ce int) bool {
	for i := cs; i < ce; i++ {
		if d.inHot(hotFuture, i) || d.inHot(hotDeadline, i) && d.deadlineYear(i) { // "roles.future", "roles.deadline"
			return false
		}
	}
	for i := cs; i < ce; i++ {
		if d.isYear(i) && (i < a.h.qi || i >= a.h.tj) {
			return true
		}
	}
	return false
}

// deadlineYear reports a year after the deadline preposition at i, right
// after it ("by 2030") or after up to four words of roles.deadline_span ("by
// the end of 2030", "by mid-2029"): a date to be met, not a past one.
func (d *doc) deadlineYear(i int) bool {
	for k := i + 1; k <= i+5; k++ {
		if d.isYear(k) {
			return true
		}
		if !d.in("roles.deadline_span", k) {
			return false
		}
	}
	return false
}

// pastSubject reports a sentence whose subject sets the time before the
// amount: "The AI developer's previous raise, of $8.5bn, valued it at
// $120bn", "Its rival raised ...".
func (d *doc) pastSubject(a *amount, cs int) bool {
	ss, se := d.subjectRange(a.sent)
	rival := false
	if c, ok := d.cueIn("priorsubj", ss, se); ok {
		// "Its rival raised ...", "Competitor Brightline raised ..."; not
		// "Qonto rival Finom" or "Zepto-rival Swishkart", where the word
		// describes the named subject by another company.
		p := c.s - 1
		if d.is(p, "-") && !d.toks[p].gap {
			p--
		}
		rival = !(p >= ss && d.isCap(p) && !d.rawIn(p, setStop, d.v.stop) && d.isCap(c.e))
	}
	if !(ss < se && (d.hasCue("prior", ss, se) || rival) && se <= a.h.qi) {
		return false
	}
	// "..., and Tollhouse has now raised $20 million": a clause with a
	// subject of its own is not about the sentence's subject.
	for i := max(cs, se); i < a.h.qi; i++ {
		if d.isCap(i) && !d.rawIn(i, setStop, d.v.stop) {
			return false
		}
	}
	return true
}

// onlyPrepositions reports whether tokens [a, b) are all words that may
// stand before an amount in its clause ("of", "worth about"), so that the
// clause holds nothing but the amount.
func onlyPrepositions(d *doc, a, b int) bool {
	for i := a; i < b; i++ {
		if !d.in("roles.amount_preposition", i) {
			return false
		}
	}
	return true
}

// classify sets the role of every amount.
func (d *doc) classify(amts []amount) {
	d.amtAt = resize(d.amtAt, len(d.toks))
	for idx := range amts {
		a := &amts[idx]
		a.equivOf, a.restateOf, a.deal = -1, -1, -1
		for t := a.h.ti; t < a.h.tj; t++ {
			d.amtAt[t] = int32(idx + 1)
		}
	}
	d.amts = amts
	for idx := range amts {
		d.classifyOne(amts, idx)
	}
}

// classifyOne sets the role of amount idx: the first reading that applies,
// in an order where the shapes that pin a figure down (a conversion, a
// price, an investor's share, a valuation) come before background and the
// other kinds of money, and a raise is what remains with a raise cue.
func (d *doc) classifyOne(amts []amount, idx int) {
	a := &amts[idx]
	cs, ce := d.clauseStart(a.h.qi), d.clauseEnd(a.h.tj)
	d.readRole(amts, idx, cs, ce)
	d.classifyDenied(a, cs, ce)
}

// readRole sets the role of amount idx, whose clause runs from cs to ce,
// before a denial is read (classifyOne).
func (d *doc) readRole(amts []amount, idx, cs, ce int) {
	a := &amts[idx]
	s := d.sents[a.sent]
	if d.gappedShare(amts, idx) {
		a.role = roleInvAmt
		return
	}
	if d.classifyConversion(amts, idx) || d.classifyPrice(a) || d.classifyShare(a, cs) || d.classifyByShare(amts, idx, cs) ||
		d.classifyAcquisitionPrice(a, s) || d.classifyValuation(amts, idx, cs) || d.classifyBackground(a, s, cs, ce) || d.classifyOtherMoney(a, cs) {
		return
	}
	d.markSelfInvestment(a, s)
	d.classifyRaise(amts, idx, s, cs)
}

// classifyConversion marks a conversion right after another amount, which
// restates that amount and is never a fact of its own: "C$40 million (US$29
// million)", "1,5 Mrd. €" — roughly $1.6 billion —", "Rs 250 crore, or $30
// million".
func (d *doc) classifyConversion(amts []amount, idx int) bool {
	if idx == 0 {
		return false
	}
	a := &amts[idx]
	p := amts[idx-1]
	k := a.h.qi - 1
	for k > p.h.tj && (d.is(k, "\"") || d.is(k, "“") || d.is(k, "”")) {
		k--
	}
	j := p.h.tj
	for j < k && (d.is(j, "\"") || d.is(j, "”")) {
		j++
	}
	if j == k && (d.is(k, "(") || d.is(k, "—") || d.is(k, "–") || (d.is(k, "-") && d.toks[k].gap)) && p.h.currency != a.h.currency {
		a.role, a.equivOf = roleEquiv, idx-1
		return true
	}
	if j == k && d.is(k, "(") && p.h.currency == a.h.currency {
		a.role, a.equivOf = roleEquiv, idx-1
		return true
	}
	// "GBP 70 million (USD 95m/EUR 81m)": a second conversion after a
	// slash converts the same figure as the first.
	if p.role == roleEquiv && p.equivOf >= 0 && j == k && d.is(k, "/") && a.h.currency != p.h.currency && a.h.currency != amts[p.equivOf].h.currency {
		a.role, a.equivOf = roleEquiv, p.equivOf
		return true
	}
	// "Rs 250 crore, or about $30 million": the other currency after "or".
	if p.h.currency != a.h.currency && p.sent == a.sent && d.in("roles.conversion_or", k) && (j == k || j == k-1 && d.is(j, ",")) {
		a.role, a.equivOf = roleEquiv, idx-1
		return true
	}
	return false
}

// classifyPrice marks a price per unit, which says nothing of a deal's
// size: "$21 a share", "$21/share", "27 dirhams (US$7.35) a share", "£1.50 per
// transaction", "HKD 18.40 each"; but
// "$30 billion each from Nvidia and SoftBank" is a share.
func (d *doc) classifyPrice(a *amount) bool {
	if d.is(a.h.tj, "/") && d.in("roles.slash_unit", a.h.tj+1) {
		a.role, a.kind, a.note = roleOther, "other", "price per unit"
		return true
	}
	c, ok := d.cueStartsNear("perunit", d.afterBrackets(a.h.tj), 1)
	if !ok || d.in("roles.each", c.s) && (d.in("roles.from", c.e) || d.eachRaised(a)) {
		return false
	}
	a.role, a.kind, a.note = roleOther, "other", "price per unit"
	return true
}

// eachRaised reports a raise verb right before a figure that "each"
// follows: "Quellmark and Tessaly raised $2 million each" gives each company
// a round of that size; "sold shares at $18 each" is a price.
func (d *doc) eachRaised(a *amount) bool {
	_, ok := d.cueEndsAt("raisev", a.h.qi, 0)
	return ok
}

// afterBrackets is the token after a bracketed aside that opens at i
// ("27 dirhams (US$7.35) a share"), or i when none opens there; bounded.
func (d *doc) afterBrackets(i int) int {
	if !d.is(i, "(") {
		return i
	}
	for k := i + 1; k < len(d.toks) && k < i+12; k++ {
		if d.is(k, ")") {
			return k + 1
		}
	}
	return i
}

// classifyShare marks an investor's share, named by its investor after it
// or by an investing verb before it: "$50 billion from Amazon", "$30
// billion each from Nvidia and SoftBank", "Nvidia puts $150 million into
// ...". A raise verb before the amount makes "from" name the round's
// investors instead.
func (d *doc) classifyShare(a *amount, cs int) bool {
	k := a.h.tj
	if d.in("roles.each", k) {
		k++
	}
	if d.in("roles.from", k) && (d.isCap(k+1) || d.gazAt(k+1) > 0) && !d.hasCue("raisev", cs, a.h.qi) {
		a.role = roleInvAmt
		return true
	}
	if _, ok := d.cueEndsAt("amtverb", a.h.qi, 0); ok && !d.loanNounAfter(a.h.tj) {
		a.role = roleInvAmt
		return true
	}
	if f := d.fromShareAt(a.h.tj); f >= 0 && d.pairedShares(a.sent, f) {
		a.role = roleInvAmt
		return true
	}
	if d.partVerbAt(a.h.qi) >= 0 {
		a.role = roleInvAmt
		return true
	}
	return false
}

// partVerbAt is where the verb starts that gives a part of a deal named by
// a noun before the figure that starts at qi: "is providing a tranche
// worth $15mn", "taking a ticket of $25mn" (an investing verb or one of
// taking, an article, a noun of a part, "of" or "worth"); the givers
// stand before the verb. It is -1 when there is none.
func (d *doc) partVerbAt(qi int) int {
	k := qi - 1
	if k < 1 || !d.in("roles.part_preposition", k) {
		return -1
	}
	k--
	if !d.in("roles.part_noun", k) {
		return -1
	}
	if k > 0 && d.in("extract.article", k-1) {
		k--
	}
	if c, ok := d.cueEndsAt("amtverb", k, 0); ok {
		return c.s
	}
	if k > 0 && d.in("roles.take_verb", k-1) {
		return k - 1
	}
	return -1
}

// gappedShare reports a share whose verb the sentence writes once, for the
// first of several ("Alder put in $12 million, Brook $9 million and Cobalt
// $5 million"): the figure before it in the sentence is a share, and only a
// separator and a capitalised name stand between the two.
func (d *doc) gappedShare(amts []amount, idx int) bool {
	if idx == 0 {
		return false
	}
	a, p := amts[idx], amts[idx-1]
	if p.sent != a.sent || p.role != roleInvAmt {
		return false
	}
	k := d.pastConversion(p.h.tj, d.sents[a.sent])
	if k < a.h.qi && d.is(k, ",") {
		k++
	}
	if k < a.h.qi && d.conjAt(k) {
		k++
	}
	if k >= a.h.qi || !d.isCap(k) {
		return false
	}
	for ; k < a.h.qi; k++ {
		if d.toks[k].kind == tkWord && !d.isCap(k) && !d.in("roles.amount_preposition", k) {
			return false
		}
		if d.toks[k].kind != tkWord && !d.is(k, "&") {
			return false
		}
	}
	return true
}

// fromShareAt is the "from" that names whose money the figure ending at
// tj is, past its conversion and up to three nouns of funding, when a name
// follows it (after an article): "€40 million from the Alder Fund", "a
// €25 million term loan from Brook". It is -1 when there is none.
func (d *doc) fromShareAt(tj int) int {
	if tj <= 0 || tj >= len(d.toks) {
		return -1
	}
	s := d.sents[d.sentIdx(tj-1)]
	k := d.pastConversion(tj, s)
	for n := 0; n < 3 && k < s.e && d.in("roles.share_noun", k); n++ {
		k++
	}
	if k+1 >= s.e || !d.in("roles.from", k) {
		return -1
	}
	x := k + 1
	if d.in("extract.article", x) {
		x++
	}
	if x < s.e && (d.isCap(x) || d.gazAt(x) > 0) {
		return k
	}
	return -1
}

// byShareAt is the "by" that names whose money the figure ending at tj is,
// past its conversion, up to three nouns of funding, auxiliaries and one
// verb of giving, when a name follows it (after an article): "$30 million
// injected by Alder and Brook each", "an $8 million investment by Alder",
// "of which €5 million were contributed by the Alder Fund". A noun of
// funding or a verb of giving must stand before it, so that a price paid
// "by" a buyer stays out. It is -1 when there is none.
func (d *doc) byShareAt(tj int) int {
	if tj <= 0 || tj >= len(d.toks) {
		return -1
	}
	s := d.sents[d.sentIdx(tj-1)]
	k := d.pastConversion(tj, s)
	given := false
	for n := 0; n < 3 && k < s.e && d.in("roles.share_noun", k); n++ {
		k, given = k+1, true
	}
	for n := 0; n < 2 && k < s.e && d.in("roles.passive_aux", k); n++ {
		k++
	}
	if k < s.e && d.in("roles.passive_give", k) {
		k, given = k+1, true
	}
	if !given || k+1 >= s.e || !d.in("roles.by", k) {
		return -1
	}
	x := k + 1
	if d.in("roles.by_article", x) {
		x++
	}
	if x < s.e && (d.isCap(x) || d.gazAt(x) > 0) {
		return k
	}
	return -1
}

// classifyByShare marks a share named by its givers after "by"
// (byShareAt): one giver, or several with "each" after them ("$30 million
// injected by Alder and Brook each"); several without it share a combined
// figure, which is no one's own. A raise verb between the figure before
// it in the sentence (or its clause start) and the figure makes the "by"
// name the round's backers instead.
func (d *doc) classifyByShare(amts []amount, idx, cs int) bool {
	a := &amts[idx]
	b := d.byShareAt(a.h.tj)
	if b < 0 {
		return false
	}
	from := cs
	if idx > 0 && amts[idx-1].sent == a.sent && amts[idx-1].h.tj > from {
		from = amts[idx-1].h.tj
	}
	if d.hasCue("raisev", from, a.h.qi) {
		return false
	}
	items, each := d.byGivers(b)
	if len(items) == 0 || len(items) > 1 && !each {
		return false
	}
	a.role = roleInvAmt
	return true
}

// byGivers reads the names after the "by" at b (byShareAt), past an
// article, and whether "each" follows the last of them.
func (d *doc) byGivers(b int) ([]listItem, bool) {
	x := b + 1
	if d.in("roles.by_article", x) {
		x++
	}
	items := d.parseList(x, d.sents[d.sentIdx(b)].e)
	if len(items) == 0 {
		return nil, false
	}
	return items, d.in("roles.each", items[len(items)-1].e)
}

// eachAfterGivers reports several givers named after "by" with "each"
// after them ("$30 million injected by Alder and Brook each"): each of
// them gave the figure.
func (d *doc) eachAfterGivers(h moneyHit) bool {
	b := d.byShareAt(h.tj)
	if b < 0 {
		return false
	}
	items, each := d.byGivers(b)
	return len(items) > 1 && each
}

// maxPairedFigures bounds the figures of a sentence pairedShares reads.
const maxPairedFigures = 16

// pairedShares reports whether the figure of sentence k whose giver the
// "from" at f names stands beside another that names its own, both read
// by fromShareAt, with no raise verb and no semicolon between them ("€40
// million from Alder and $30 million from Brook"): each figure is then
// that giver's share, whatever verb opens the sentence, not a deal of its
// own. A roundup's "X received $5 million from Alder; Y received $3
// million from Brook" stays two deals.
func (d *doc) pairedShares(k, f int) bool {
	lo, hi := d.sentAmts(k)
	for x := lo; x < hi && x < lo+maxPairedFigures; x++ { // bounded: a roundup's sentence stays linear
		g := d.fromShareAt(d.amts[x].h.tj)
		if g < 0 || g == f {
			continue
		}
		a, b := min(f, g), max(f, g)
		if !d.hasCue("raisev", a, b) && !d.tokIn(";", a, b) {
			return true
		}
	}
	return false
}

// tokIn reports whether token text t stands in [a, b).
func (d *doc) tokIn(t string, a, b int) bool {
	for i := a; i < b; i++ {
		if d.is(i, t) {
			return true
		}
	}
	return false
}

// loanNounAfter reports a noun of lending among the few words after the
// figure that ends at tj (past its conversion, within its clause): "will
// provide £200 million in senior debt", "extended a €40 million senior
// loan". With an investing verb before the figure, the lender is the
// subject and the figure is the whole loan, not one investor's share of
// another deal.
func (d *doc) loanNounAfter(tj int) bool {
	s := d.sents[d.sentIdx(max(0, tj-1))]
	tj = d.pastConversion(tj, s)
	if d.in("roles.partitive", tj) && d.in("extract.article", tj+1) {
		// "has put up $60 million of the debt": a part of a loan the
		// text names, one lender's share.
		return false
	}
	for k := tj; k < min(s.e, tj+4); k++ {
		if d.is(k, ",") || d.is(k, ";") {
			return false
		}
		if d.in("deal.loan_noun", k) {
			return true
		}
	}
	return false
}

// classifyAcquisitionPrice marks the price of an acquisition, which the
// sentence names by a deal noun just before the figure: "buying NXP in a
// deal valued at $38 billion", "in an all-cash transaction of $1.05
// billion", "a takeover worth £46 billion"; or the sentence after the one
// that names buyer and target gives the price on its own ("Harwick buys
// Fjellstad. The $2 billion deal closes in May."). Without an acquire cue
// in the sentence or the one before, the same words are a valuation or a
// contract.
func (d *doc) classifyAcquisitionPrice(a *amount, s sentence) bool {
	if !d.acquireSentence(a.sent) && (a.sent == 0 || !d.acquireSentence(a.sent-1)) || d.priorContext(a) {
		return false
	}
	for k := a.h.qi - 1; k >= max(s.s, a.h.qi-6); k-- {
		if d.toks[k].kind == tkCurSym || d.toks[k].kind == tkNumber || d.is(k, ",") || d.is(k, ";") {
			return false
		}
		if d.toks[k].kind != tkWord || !d.in("roles.deal_noun", k) {
			continue
		}
		for j := k + 1; j < a.h.qi; j++ {
			if d.toks[j].kind == tkWord && !d.in("roles.price_link", j) {
				return false
			}
		}
		a.role, a.prevAcq = roleRaise, !d.acquireSentence(a.sent)
		return true
	}
	// "a £46 billion Takeda deal", "its $23.3 billion deal to buy Heinz".
	for k := a.h.tj; k < min(s.e, a.h.tj+3); k++ {
		if d.toks[k].kind == tkWord && d.in("roles.deal_noun", k) {
			a.role, a.prevAcq = roleRaise, !d.acquireSentence(a.sent)
			return true
		}
		if d.toks[k].kind != tkWord || !d.isCap(k) && !d.in("roles.price_link", k) {
			return false
		}
	}
	return false
}

// acquireSentence reports whether sentence k holds an acquire cue, looked
// up once per sentence so that a sentence of many figures stays linear.
func (d *doc) acquireSentence(k int) bool {
	if d.acqSent == nil {
		d.acqSent = make([]int8, len(d.sents))
	}
	if d.acqSent[k] == 0 {
		d.acqSent[k] = 1
		if sn := d.sents[k]; d.hasCue("acquire", sn.s, sn.e) {
			d.acqSent[k] = 2
		}
	}
	return d.acqSent[k] == 2
}

// classifyValuation marks a valuation, current or earlier. A contract cue
// before the amount outranks the valuation cue "worth": "an agreement worth
// an estimated €900 million" is a contract.
func (d *doc) classifyValuation(amts []amount, idx, cs int) bool {
	a := &amts[idx]
	if d.hasCue("contract", cs, a.h.qi) && !d.in("roles.valuation_noun", a.h.tj) {
		a.role, a.kind = roleOther, "contract"
		return true
	}
	cs = d.asideStart(cs)
	if !d.isValuation(a, cs) {
		return false
	}
	if d.secondaryNear(a.sent) {
		a.role, a.kind, a.note = roleOther, "other", "secondary sale"
		return true
	}
	a.basis = d.basisNear(a.h.qi, a.h.tj)
	if d.priorContext(a) && !d.valuedNow(a, cs) || d.pluperfectValue(d.sents[a.sent], cs, a.h.qi) || d.afterRaising(amts, idx) || d.valuesEarlierRound(amts, idx, cs) {
		a.role, a.kind = rolePrior, "valuation"
		return true
	}
	a.role = roleValuation
	return true
}

// secondaryNear reports a phrase of roles.secondary in sentence k, in one
// of the two sentences before it or in the sentence after it: existing
// shares change hands there ("a tender offer lets Quillbox staff sell $300
// million of stock. The company adds some cash of its own. The sale values
// it at $4 billion"), so a valuation beside them is the price of that sale,
// which is no deal (convention 9).
func (d *doc) secondaryNear(k int) bool {
	for x := max(0, k-2); x <= min(len(d.sents)-1, k+1); x++ {
		for i := d.sents[x].s; i < d.sents[x].e; i++ {
			if d.phraseAt("roles.secondary", i) > 0 {
				return true
			}
		}
	}
	return false
}

// maxCueAside is the most tokens a bracketed aside may hold between a
// valuation cue and its figure (asideStart).
const maxCueAside = 4

// asideStart returns the start of the clause before a short bracketed aside
// that ends just before clause start cs ("Tessel is valued (post-money) at
// $2 billion", "is now valued (again) at"), so that the cue before the
// aside reaches the figure after it; cs itself when no aside ends there.
func (d *doc) asideStart(cs int) int {
	c := cs - 1
	if c <= 0 || !d.is(c, ")") {
		return cs
	}
	for o := c - 1; o > 0 && o >= c-1-maxCueAside; o-- {
		if d.is(o, "(") {
			return d.clauseStart(o)
		}
		if d.isBoundary(o) {
			return cs
		}
	}
	return cs
}

// valuedNow reports a valuation whose cue a word of roles.now stands
// close before, or between it and the figure: the value of the company
// now, whatever past the clause or the sentence's opening names ("Founded
// two years ago, Tessel is now valued at $700 million").
func (d *doc) valuedNow(a *amount, cs int) bool {
	c, ok := d.lastCueIn("valuation", max(cs, a.h.qi-7), a.h.qi)
	if !ok {
		return false
	}
	return d.anyIn("roles.now", max(cs, c.s-2), a.h.qi)
}

// valuesEarlierRound reports a valuation that values a figure the rules
// read as an earlier round of its sentence: its clause is opened by the
// valuation cue and continues the round's clause ("Alder led its $250
// million round in 2020, valuing the company at $2 billion"), or its cue
// opens a relative clause after the round ("took $400 million in 2019 in
// a round led by Brook that valued it at $2 billion").
func (d *doc) valuesEarlierRound(amts []amount, idx, cs int) bool {
	if idx == 0 {
		return false
	}
	p, a := amts[idx-1], amts[idx]
	if p.sent != a.sent || p.role != rolePrior || p.kind != "round" {
		return false
	}
	if cs > 0 && d.is(cs-1, ",") {
		if _, ok := d.cueAtIs("valuation", cs); ok {
			return p.h.tj < cs && d.clauseStart(cs-1) <= p.h.qi
		}
	}
	c, ok := d.lastCueIn("valuation", max(cs, a.h.qi-7), a.h.qi)
	return ok && c.s > p.h.tj && d.in("roles.valuation_relative", c.s-1)
}

// classifyDenied sets aside the figures of a deal the text says is not
// happening: every figure of a text whose headline denies a report
// ("Quillbox denies it is raising at a $2 billion valuation"), and a figure
// whose own clause denies or calls off its deal ("Brook called the report
// of a $500 million offer groundless", "Alder has scrapped its $40 million
// merger"). Only a raise or a valuation the other readings gave is set
// aside: it becomes other money, which the model may still take for a
// deal (decideAmounts).
func (d *doc) classifyDenied(a *amount, cs, ce int) {
	if a.role != roleRaise && a.role != roleValuation {
		return
	}
	note := ""
	switch {
	case d.hasCue("deny", cs, ce) || len(d.sents) > 1 && d.sents[0].headline && d.hasCue("deny", d.sents[0].s, d.sents[0].e):
		note = "denied"
	case d.hasCue("calledoff", cs, ce):
		note = "called off"
	default:
		return
	}
	a.role, a.kind, a.note = roleOther, "other", note
}

// classifyBackground marks figures that describe a market or a company's
// past rather than a deal: aggregate statistics ("startups raised $30
// billion, according to PitchBook data"), totals to date, and a raise in a
// relative clause ("X, which raised $20 million in 2024").
func (d *doc) classifyBackground(a *amount, s sentence, cs, ce int) bool {
	qi, tj := a.h.qi, a.h.tj
	if d.hasCue("stats", max(s.s, qi-maxWin), min(s.e, tj+maxWin)) {
		a.role, a.kind, a.note = roleOther, "other", "statistic"
		return true
	}
	if d.hasCue("total", cs, ce) || d.totalOpening(s, cs) {
		a.role, a.kind = rolePrior, "total"
		return true
	}
	if cs > s.s && d.in("roles.relative_pronoun", cs) && d.hasCue("raisev", cs, qi) {
		a.role, a.kind = rolePrior, "round"
		return true
	}
	return false
}

// classifyOtherMoney marks revenue, market sizes, fund targets,
// commitments, contracts and other money that a cue names. A commitment or
// contract cue does not apply to an amount followed by its own instrument:
// "a commitment for a $900 million loan" is the loan.
func (d *doc) classifyOtherMoney(a *amount, cs int) bool {
	qi, tj := a.h.qi, a.h.tj
	if d.hasCue("revenue", cs, qi) || d.cueNearAfter("revenue", tj, 4) {
		a.role, a.kind = roleOther, "revenue"
		return true
	}
	if _, ok := d.cueIn("market", cs, qi); ok && !d.hasCue("raisev", cs, qi) {
		a.role, a.kind = roleOther, "market size"
		return true
	}
	if d.hasCue("fundsize", cs, qi) || d.cueNearAfter("fundsize", tj, 2) {
		a.role, a.kind = roleOther, "fund size"
		return true
	}
	instrument := false
	if c, ok := d.cueStartsNear("raisen", tj, 2); ok && c.s < d.clauseEnd(tj) {
		instrument = d.in("roles.instrument", c.s)
	}
	if !instrument && (d.hasCue("commitment", cs, qi) || d.cueNearAfter("commitment", tj, 3)) {
		a.role, a.kind = roleOther, "commitment"
		return true
	}
	if !instrument && (d.hasCue("contract", cs, qi) || d.cueNearAfterX("contract", tj, 5)) {
		a.role, a.kind = roleOther, "contract"
		return true
	}
	if _, ok := d.cueEndsAt("other", qi, 0); ok {
		a.role, a.kind = roleOther, "other"
		return true
	}
	if d.cueNearAfter("other", tj, 4) || d.otherClauseCue(cs, qi) {
		a.role, a.kind = roleOther, "other"
		return true
	}
	return false
}

// otherClauseCue reports an otherc cue in [a, b) that is a word of its own,
// not a part of a hyphenated modifier: "a weight-loss drug maker" or "a
// low-cost airline" names no cost or loss, so "Alder will buy weight-loss
// drug maker Brook for $3 billion" keeps its price.
func (d *doc) otherClauseCue(a, b int) bool {
	for _, c := range d.cuesIn(a, b) {
		if c.class == "otherc" && c.e <= b && !d.hyphenGlued(c.s, c.e) {
			return true
		}
	}
	return false
}

// hyphenGlued reports whether the phrase [s, e) is glued by a hyphen
// written without spaces to the word before or after it.
func (d *doc) hyphenGlued(s, e int) bool {
	glued := func(h int) bool { return d.is(h, "-") && !d.toks[h].gap }
	return s > 0 && glued(s-1) || e < len(d.toks) && glued(e) && e+1 < len(d.toks) && !d.toks[e+1].gap
}

// markSelfInvestment flags an investment of an amount made by someone, who
// is then also the investor of that amount: "Nvidia would make a strategic
// investment of up to $10 billion". It sets no role.
func (d *doc) markSelfInvestment(a *amount, s sentence) {
	qi := a.h.qi
	c, ok := d.cueEndsAt("raisen", qi, 1)
	if !ok || !d.in("roles.investment_noun", c.s) || !d.in("roles.of", qi-1) {
		return
	}
	for k := max(s.s, c.s-5); k < c.s; k++ {
		if d.in("roles.make_verb", k) {
			a.selfInv = true
		}
	}
}

// classifyRaise gives the last reading: an earlier round when the sentence
// puts the amount in the past ("just weeks after raising $120 million"
// when the news is another deal), a raise when a raise or acquisition cue
// holds it (in a headline, anywhere near), other money otherwise.
func (d *doc) classifyRaise(amts []amount, idx int, s sentence, cs int) {
	a := &amts[idx]
	qi, tj := a.h.qi, a.h.tj
	if d.afterRaising(amts, idx) {
		a.role, a.kind = rolePrior, "round"
		return
	}
	vcs := d.skipApposition(cs)
	raise := d.hasCue("raisev", vcs, qi) || d.hasCue("acquire", vcs, qi) || d.cueNearAfter("raisen", tj, 6) ||
		d.hasCue("raisen", max(cs, qi-4), qi)
	if !raise && s.headline {
		raise = d.hasCue("raisev", max(s.s, qi-maxWin), min(s.e, tj+maxWin))
	}
	if !raise {
		raise = d.roundupItem(amts, idx, s)
	}
	if d.priorContext(a) {
		a.role, a.kind = rolePrior, "round"
		return
	}
	if raise {
		a.role = roleRaise
		return
	}
	a.role, a.kind = roleOther, "other"
}

// roundupItem reports whether figure idx is an item of a roundup's list of
// rounds, a name with its figure in brackets ("Kestrelwave ($3.1m),
// Tillbrook ($1.4m)"): another such item or a raise cue is in its sentence.
func (d *doc) roundupItem(amts []amount, idx int, s sentence) bool {
	a := amts[idx]
	if _, ok := d.bracketOwner(a.h.qi, a.h.tj, s); !ok {
		return false
	}
	if d.hasCue("raisev", s.s, s.e) {
		return true
	}
	for j := max(0, idx-8); j < min(len(amts), idx+9); j++ { // bounded: time stays linear
		if j != idx && amts[j].sent == a.sent {
			if _, ok := d.bracketOwner(amts[j].h.qi, amts[j].h.tj, s); ok {
				return true
			}
		}
	}
	return false
}

// skipApposition moves a clause start cs back over an apposition that
// separates the amount from its verb: "agreed to acquire Codeloom, a
// developer tools startup, for $1.5 billion", or with no article, "comprou
// a Codeloom, empresa de software, por R$ 9 milhões".
func (d *doc) skipApposition(cs int) int {
	s := d.sents[d.sentIdx(cs)]
	if cs-2 <= s.s || !d.is(cs-1, ",") || !d.in("roles.for", cs) {
		return cs
	}
	p := d.clauseStart(cs - 1)
	if p-1 <= s.s || !d.is(p-1, ",") || !d.in("roles.article", p) && !d.lowerWord(p) {
		return cs
	}
	for k := p; k < cs-1; k++ {
		if d.toks[k].kind == tkCurSym || d.toks[k].kind == tkNumber {
			return cs
		}
	}
	return d.clauseStart(p - 1)
}

// lowerWord reports whether token i is a word written in lower case.
func (d *doc) lowerWord(i int) bool {
	return i >= 0 && i < len(d.toks) && d.toks[i].kind == tkWord && !d.toks[i].cap
}

// afterRaising reports "after raising $X" (or "after closing") in the
// clause before amount idx when the sentence's news is an earlier raise.
func (d *doc) afterRaising(amts []amount, idx int) bool {
	a := amts[idx]
	cs := d.clauseStart(a.h.qi)
	found := false
	for i := cs; i < a.h.qi; i++ {
		if d.in("roles.after", i) && d.in("roles.after_gerund", i+1) {
			found = true
		}
	}
	if !found {
		return false
	}
	lo, _ := d.sentAmts(a.sent)
	for j := max(lo, idx-8); j < idx; j++ {
		if amts[j].role == roleRaise {
			return true
		}
	}
	return false
}

// cueNearAfter reports a cue of class starting within n tokens after i in
// the same clause.
func (d *doc) cueNearAfter(class string, i, n int) bool {
	ce := d.clauseEnd(i)
	if i < len(d.toks) && d.isBoundary(i) {
		return false
	}
	c, ok := d.cueStartsNear(class, i, n)
	return ok && c.s < ce
}

// cueNearAfterX is cueNearAfter across commas ("$500 million, ten-year
// offtake agreement").
func (d *doc) cueNearAfterX(class string, i, n int) bool {
	_, ok := d.cueStartsNear(class, i, n)
	return ok
}

// isValuation reports whether the amount is a valuation: "valued at X",
// "values the company at X", "at a X valuation", "X post-money", "worth X".
func (d *doc) isValuation(a *amount, cs int) bool {
	qi, tj := a.h.qi, a.h.tj
	k := tj
	basis := false
	for k < len(d.toks) && (d.is(k, "-") || d.in("roles.basis_word", k)) && k < tj+3 {
		basis = basis || !d.is(k, "-")
		k++
	}
	if d.in("roles.valuation_noun", k) {
		return true
	}
	if basis && d.is(k-1, "-") {
		// The hyphen joins the word to another that is no basis: "a
		// £1.5 million pre-seed round", "pre-IPO".
		basis = false
	}
	if basis {
		// "$80M post", "$1.8 billion post-money".
		return true
	}
	c, ok := d.lastCueIn("valuation", max(cs, qi-7), qi)
	if !ok {
		return false
	}
	if c.s > 0 && d.in("roles.valued_goods", c.s-1) {
		return false
	}
	if c.e-c.s == 1 && d.in("roles.worth", c.s) && (c.s == 0 || !d.in("roles.state_word", c.s-1)) {
		// "worth" after a noun gives that thing's size ("an investment
		// worth $5 million", "a deal worth $2 billion"); after a copula
		// or an adverb of state, what the company is worth ("Tessel is
		// now worth $6 billion").
		return false
	}
	if d.in("money.range_between", qi-1) && qi-1 >= c.e {
		qi-- // a range opened before its figure: "values it at between $1 billion and $1.2 billion"
	}
	if c.e == qi {
		return true
	}
	if c.e-c.s == 1 && d.in("roles.valuation_noun", c.s) && d.in("roles.state_word", qi-1) {
		// The valuation as the subject of a copula: "the valuation after
		// the round is now $2 billion".
		return true
	}
	if !d.in("roles.valuation_preposition", qi-1) && a.h.qi == a.h.ti {
		return false // a qualifier stands for the preposition: "valuing it around $X"
	}
	// Nothing that makes it a raise in between: "valuation, raised $X".
	if d.hasCue("raisev", c.e, qi) {
		return false
	}
	return true
}

// postPhraseNear reports a phrase of roles.basis_post that ends between lo
// and the figure at qi, or starts within two tokens after it ends at tj.
// basisNear looks back from the figure's clause start when that is further
// than its five tokens, and reads roles.basis_pre up to four tokens on.
func (d *doc) postPhraseNear(lo, qi, tj int) bool {
	for i := lo; i < qi; i++ {
		if n := d.phraseAt("roles.basis_post", i); n > 0 && i+n <= qi {
			return true
		}
	}
	for i := tj; i < tj+2 && i < d.clauseEnd(tj); i++ {
		if d.phraseAt("roles.basis_post", i) > 0 {
			return true
		}
	}
	return false
}

// basisNear reads "pre-money"/"post-money" and their paraphrases near a
// valuation.
func (d *doc) basisNear(qi, tj int) string {
	if c, ok := d.cueStartsNear("pre", tj, 2); ok && c.s < d.clauseEnd(tj)+1 {
		return "pre-money"
	}
	if c, ok := d.cueStartsNear("post", tj, 2); ok && c.s <= tj+1 {
		return "post-money"
	}
	lo := max(d.sents[d.sentIdx(qi)].s, qi-5)
	for i := qi - 1; i >= lo; i-- {
		for _, c := range d.cuesAt(i) {
			if c.e <= qi && !d.in("roles.bare_post", c.s) || c.e <= qi && c.e-c.s > 1 {
				switch c.class {
				case "pre":
					return "pre-money"
				case "post":
					return "post-money"
				}
			}
		}
	}
	if d.postPhraseNear(min(lo, d.clauseStart(qi)), qi, tj) {
		return "post-money"
	}
	for i := tj; i < tj+4 && i < len(d.toks); i++ {
		if d.phraseAt("roles.basis_pre", i) > 0 {
			return "pre-money"
		}
	}
	return "unspecified"
}
