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
	equivOf   int  // index of the amount this converts, for roleEquiv
	restateOf int  // index of the raise this restates
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
	for k := i; k < hi && k < i+n; k++ {
		for _, c := range d.cuesAt(k) {
			if c.class == class {
				return c, true
			}
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
	if i < 0 || i >= len(d.toks) || d.toks[i].kind != tkNumber {
		return false
	}
	s := d.tx(i)
	return len(s) == 4 && (s[:2] == "19" || s[:2] == "20")
}

// subjectEnd returns the token that ends the subject of sentence k: the
// first comma or verb-like word.
func (d *doc) subjectRange(k int) (int, int) {
	s := d.sents[k]
	start := s.s
	// "Exclusive: ...", "CHICAGO — ...", "Funding roundup: ...".
	limit := s.s + 6
	if w := d.tx(s.s); len(w) > 1 && isUpperASCII(w) {
		limit = s.s + 16 // "SAN FRANCISCO, Jan 5 (Reuters) -"
	}
	// Wire tags: "BRIEF-Halvard Biosciences Says", "UPDATE 2-Acme raises".
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
			start = i + 1
			break
		}
	}
	end := min(s.e, s.s+2*maxWin)
	// "Sources said Kestrel AI is raising", "Bloomberg reported that X
	// is in talks": the news is the reported clause.
	for i := start + 1; i < end && i < start+8; i++ {
		if d.toks[i].kind != tkWord || d.isCap(i) {
			continue
		}
		switch d.lw(i) {
		case "said", "say", "says", "reported", "reports":
		default:
			if d.v.verb[d.lw(i)] {
				i = end
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
			break
		}
		j := i + 1
		if d.lowIs(j, "that") {
			j++
		}
		if j < end && d.isCap(j) && !d.v.stop[d.tx(j)] {
			if r, ok := d.nameAt(j, end); ok && r.e < end && d.toks[r.e].kind == tkWord && !d.isCap(r.e) && (verbLike(d.lw(r.e)) || d.v.verb[d.lw(r.e)]) {
				start = j
			}
		}
		break
	}
	for i := start; i < end; i++ {
		if d.is(i, ",") && d.introPhrase(start, i) {
			// "Separately, X raised", "On Tuesday, X said".
			start = i + 1
			continue
		}
		if d.is(i, ",") || d.is(i, ";") {
			return start, i
		}
		if d.toks[i].kind == tkWord && s.headline && d.isCap(i) && i > start {
			// Title Case headlines: "Fernwood Analytics Raises $42 Million".
			if _, ok := d.cueAtIs("raisev", i); ok || d.v.verb[d.lw(i)] {
				return start, i
			}
			if _, ok := d.cueAtIs("acquire", i); ok {
				return start, i
			}
		}
		if d.toks[i].kind == tkWord && !d.isCap(i) {
			if d.v.verb[d.lw(i)] {
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
	switch d.lw(a) {
	case "the", "it", "its", "this", "that":
		return false
	}
	if !d.v.stop[d.tx(a)] {
		return false
	}
	for i := a + 1; i < b; i++ {
		if d.isCap(i) && !d.v.stop[d.tx(i)] {
			return false
		}
	}
	return true
}

// priorContext reports whether the amount at [ti, tj) is set in the past:
// an earlier round, a previous valuation.
func (d *doc) priorContext(a *amount) bool {
	s := d.sents[a.sent]
	if s.headline {
		return false
	}
	cs, ce := d.clauseStart(a.h.qi), d.clauseEnd(a.h.tj)
	pcs := cs
	if cs-1 > s.s && (cs < a.h.qi && onlyPrepositions(d, cs, a.h.qi) || d.lw(cs) == "a" || d.lw(cs) == "an" || d.lw(cs) == "when" || d.lw(cs) == "where") {
		pcs = d.clauseStart(cs - 2)
	}
	if d.hasCue("prior", pcs, ce) {
		return true
	}
	// "had raised" (not reported speech "said it had raised").
	for i := cs; i < a.h.qi; i++ {
		if d.lw(i) == "had" && i+1 < len(d.toks) {
			if _, ok := d.cueAtIs("raisev", i+1); ok && !d.hasCue("current", cs, i) {
				said := false
				for k := max(s.s, i-8); k < i; k++ {
					if d.lw(k) == "said" || d.lw(k) == "says" {
						said = true
					}
				}
				if !said {
					return true
				}
			}
		}
	}
	// A year in the same clause: "in 2023", "a 2022 round".
	future := false
	for i := cs; i < ce; i++ {
		switch d.lw(i) {
		case "will", "would", "plans", "expects", "aims", "next", "target", "targets":
			future = true
		case "by":
			future = future || d.isYear(i+1)
		}
	}
	if !future {
		for i := cs; i < ce; i++ {
			if d.isYear(i) && (i < a.h.qi || i >= a.h.tj) {
				return true
			}
		}
	}
	// The sentence's subject sets the time: "The AI developer's previous
	// raise, of $8.5bn, valued it at $120bn."
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
		rival = !(p >= ss && d.isCap(p) && !d.v.stop[d.tx(p)] && d.isCap(c.e))
	}
	if !(ss < se && (d.hasCue("prior", ss, se) || rival) && se <= a.h.qi) {
		return false
	}
	// "..., and Tollhouse has now raised $20 million": a clause with a
	// subject of its own is not about the sentence's subject.
	for i := max(cs, se); i < a.h.qi; i++ {
		if d.isCap(i) && !d.v.stop[d.tx(i)] {
			return false
		}
	}
	return true
}

func onlyPrepositions(d *doc, a, b int) bool {
	for i := a; i < b; i++ {
		switch d.lw(i) {
		case "of", "at", "worth", "about", "around", "roughly", "some":
		default:
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

func (d *doc) classifyOne(amts []amount, idx int) {
	a := &amts[idx]
	qi, tj := a.h.qi, a.h.tj
	s := d.sents[a.sent]
	cs, ce := d.clauseStart(qi), d.clauseEnd(tj)

	// A conversion right after another amount: "C$40 million (US$29
	// million)", "1,5 Mrd. €" — roughly $1.6 billion —".
	if idx > 0 {
		p := amts[idx-1]
		k := qi - 1
		for k > p.h.tj && (d.is(k, "\"") || d.is(k, "“") || d.is(k, "”")) {
			k--
		}
		j := p.h.tj
		for j < k && (d.is(j, "\"") || d.is(j, "”")) {
			j++
		}
		if j == k && (d.is(k, "(") || d.is(k, "—") || d.is(k, "–") || (d.is(k, "-") && d.toks[k].gap)) && p.h.currency != a.h.currency {
			a.role, a.equivOf = roleEquiv, idx-1
			return
		}
		if j == k && d.is(k, "(") && p.h.currency == a.h.currency {
			a.role, a.equivOf = roleEquiv, idx-1
			return
		}
	}

	// Prices: "$21 a share", "£1.50 per transaction", "HKD 18.40 each".
	if c, ok := d.cueStartsNear("perunit", tj, 1); ok {
		if !(d.lw(c.s) == "each" && d.lowIs(c.e, "from")) {
			a.role, a.kind, a.note = roleOther, "other", "price per unit"
			return
		}
	}

	// An investor's share: "$50 billion from Amazon", "$30 billion each
	// from Nvidia and SoftBank", "Nvidia puts $150 million into ...".
	{
		k := tj
		if d.lowIs(k, "each") {
			k++
		}
		if d.lowIs(k, "from") && (d.isCap(k+1) || d.gazAt(k+1) > 0) && !d.hasCue("raisev", cs, qi) {
			a.role = roleInvAmt
			return
		}
		if _, ok := d.cueEndsAt("amtverb", qi, 0); ok {
			a.role = roleInvAmt
			return
		}
	}

	// "an agreement worth an estimated €900 million" is a contract.
	if d.hasCue("contract", cs, qi) && !d.lowIs(tj, "valuation") {
		a.role, a.kind = roleOther, "contract"
		return
	}
	// Valuation.
	if d.isValuation(a, cs) {
		a.basis = d.basisNear(qi, tj)
		if d.priorContext(a) || d.afterRaising(amts, idx) {
			a.role, a.kind = rolePrior, "valuation"
			return
		}
		a.role = roleValuation
		return
	}

	// Aggregate statistics: "startups raised $30 billion, according to
	// PitchBook data".
	if d.hasCue("stats", max(s.s, qi-maxWin), min(s.e, tj+maxWin)) {
		a.role, a.kind, a.note = roleOther, "other", "statistic"
		return
	}
	// Totals to date.
	if d.hasCue("total", cs, ce) {
		a.role, a.kind = rolePrior, "total"
		return
	}

	// Background in a relative clause: "X, which raised $20 million in 2024".
	if cs > s.s && (d.lw(cs) == "which" || d.lw(cs) == "who") && d.hasCue("raisev", cs, qi) {
		a.role, a.kind = rolePrior, "round"
		return
	}

	// Revenue, market sizes, fund targets, contracts and other money.
	if d.hasCue("revenue", cs, qi) || d.cueNearAfter("revenue", tj, 4) {
		a.role, a.kind = roleOther, "revenue"
		return
	}
	if _, ok := d.cueIn("market", cs, qi); ok && !d.hasCue("raisev", cs, qi) {
		a.role, a.kind = roleOther, "market size"
		return
	}
	if d.hasCue("fundsize", cs, qi) || d.cueNearAfter("fundsize", tj, 2) {
		a.role, a.kind = roleOther, "fund size"
		return
	}
	// "a commitment for a $900 million loan" is the loan.
	instrument := false
	if c, ok := d.cueStartsNear("raisen", tj, 2); ok && c.s < d.clauseEnd(tj) {
		switch d.lw(c.s) {
		case "loan", "loans", "facility", "grant", "round", "financing", "series", "seed", "funding", "ipo", "debt":
			instrument = true
		}
	}
	if !instrument && (d.hasCue("commitment", cs, qi) || d.cueNearAfter("commitment", tj, 3)) {
		a.role, a.kind = roleOther, "commitment"
		return
	}
	if !instrument && (d.hasCue("contract", cs, qi) || d.cueNearAfterX("contract", tj, 5)) {
		a.role, a.kind = roleOther, "contract"
		return
	}
	if _, ok := d.cueEndsAt("other", qi, 0); ok {
		a.role, a.kind = roleOther, "other"
		return
	}
	if d.cueNearAfter("other", tj, 4) || d.hasCue("otherc", cs, qi) {
		a.role, a.kind = roleOther, "other"
		return
	}
	// An investment of an amount made by someone: "Nvidia would make a
	// strategic investment of up to $10 billion".
	if c, ok := d.cueEndsAt("raisen", qi, 1); ok && d.lw(c.s) == "investment" && d.lowIs(qi-1, "of") {
		for k := max(s.s, c.s-5); k < c.s; k++ {
			switch d.lw(k) {
			case "make", "made", "makes", "making":
				a.selfInv = true
			}
		}
	}

	// "just weeks after raising $120 million": background when the
	// sentence's news is another deal before it.
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

// skipApposition moves a clause start cs back over an apposition that
// separates the amount from its verb: "agreed to acquire Codeloom, a
// developer tools startup, for $1.5 billion".
func (d *doc) skipApposition(cs int) int {
	s := d.sents[d.sentIdx(cs)]
	if cs-2 <= s.s || !d.is(cs-1, ",") || !d.lowIs(cs, "for") {
		return cs
	}
	p := d.clauseStart(cs - 1)
	if p-1 <= s.s || !d.is(p-1, ",") || !d.lowIs(p, "a") && !d.lowIs(p, "an") && !d.lowIs(p, "the") {
		return cs
	}
	for k := p; k < cs-1; k++ {
		if d.toks[k].kind == tkCurSym || d.toks[k].kind == tkNumber {
			return cs
		}
	}
	return d.clauseStart(p - 1)
}

// afterRaising reports "after raising $X" (or "after closing") in the
// clause before amount idx when the sentence's news is an earlier raise.
func (d *doc) afterRaising(amts []amount, idx int) bool {
	a := amts[idx]
	cs := d.clauseStart(a.h.qi)
	found := false
	for i := cs; i < a.h.qi; i++ {
		if d.lw(i) == "after" && (d.lowIs(i+1, "raising") || d.lowIs(i+1, "closing") || d.lowIs(i+1, "securing")) {
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
	for k < len(d.toks) && (d.is(k, "-") || d.lw(k) == "pre" || d.lw(k) == "post" || d.lw(k) == "money" || d.lw(k) == "premoney" || d.lw(k) == "postmoney") && k < tj+3 {
		basis = basis || !d.is(k, "-")
		k++
	}
	if d.lowIs(k, "valuation") {
		return true
	}
	if basis {
		// "$80M post", "$1.8 billion post-money".
		return true
	}
	c, ok := d.lastCueIn("valuation", max(cs, qi-7), qi)
	if !ok {
		return false
	}
	if c.s > 0 {
		switch d.lw(c.s - 1) {
		case "shares", "stock", "goods", "equity", "assets":
			return false
		}
	}
	if c.e == qi {
		return true
	}
	switch d.lw(qi - 1) {
	case "at", "of", "to":
	default:
		return false
	}
	// Nothing that makes it a raise in between: "valuation, raised $X".
	if d.hasCue("raisev", c.e, qi) {
		return false
	}
	return true
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
			if c.e <= qi && d.lw(c.s) != "post" || c.e <= qi && c.e-c.s > 1 {
				switch c.class {
				case "pre":
					return "pre-money"
				case "post":
					return "post-money"
				}
			}
		}
	}
	return "unspecified"
}
