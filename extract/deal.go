package extract

import (
	"strings"

	"github.com/dealwire/dealwire/news"
)

// dealB is a deal under construction.
type dealB struct {
	anchor    int // token where the deal is first named
	sent      int
	amt       int // index into amounts, or -1
	company   string
	companyK  string // normName of company, filled on first use
	companyAt int
	round     string
	acquirer  string
	vals      []int // valuation amounts
	investors []investorB
	invIdx    map[string]int // investor by normalised name and by canonical name
	capacity  []powerHit
}

type investorB struct {
	key       string // normName of name
	name      string
	canonical string
	lead      bool
	span      news.Span
	amt       int // amount index or -1
}

// roundAt reads a round phrase at token i: "Series B", "seed", "growth
// round", "debt facility", "IPO".
func (d *doc) roundAt(i int) (string, int, bool) {
	if i >= len(d.toks) || d.toks[i].kind != tkWord {
		return "", i, false
	}
	if d.lw(i) == "series" && i+1 < len(d.toks) && d.toks[i+1].kind == tkWord {
		l := d.tx(i + 1)
		if len(l) == 1 && l[0] >= 'A' && l[0] <= 'K' && d.isCap(i) {
			if i >= 2 && d.is(i-1, "-") && !d.toks[i-1].gap && d.lw(i-2) == "pre" {
				// "a pre-Series A round" comes before the series: no
				// series of its own.
				return "unknown", i + 2, true
			}
			return "series " + d.lw(i+1), i + 2, true
		}
		return "", i, false
	}
	p, n := d.matchPhrase(d.v.rounds, i)
	if n == 0 {
		return "", i, false
	}
	// Capitalised words are names ("Kyushu Future Fund"), except in
	// headlines and for IPO.
	if d.isCap(i) && d.lw(i) != "ipo" && !d.sents[d.sentIdx(i)].headline && d.sentStart(i) != i {
		return "", i, false
	}
	if d.isCap(i) && d.lw(i) != "ipo" && d.sentStart(i) == i && i+n < len(d.toks) && d.isCap(i+n) {
		return "", i, false
	}
	if p.value == "ipo" && i >= 2 && d.is(i-1, "-") && !d.toks[i-1].gap && d.lw(i-2) == "pre" {
		return "unknown", i + n, true // "a pre-IPO round" is private
	}
	// "across four new funds" is a fund close; "raised $5 million in
	// funds" is money.
	if d.lw(i) == "funds" {
		switch d.lw(i - 1) {
		case "two", "three", "four", "five", "six", "new", "several", "separate", "multiple":
		default:
			if i == 0 || d.toks[i-1].kind != tkNumber {
				return "", i, false
			}
		}
	}
	// "seed fund" is a fund; "fund" after an investor's name is not a round.
	if p.value == "seed" && (d.lowIs(i+n, "fund") || d.lowIs(i+n, "funds")) {
		return "fund", i + n + 1, true
	}
	if p.value == "fund" && (d.lowIs(i-2, "by") || d.lowIs(i-3, "by") || d.lowIs(i-2, "from") || d.lowIs(i-3, "from")) {
		// "led by Ukrainian venture fund u.ventures": an investor.
		return "", i, false
	}
	if (p.value == "fund") && i > 0 && (d.isCap(i-1) || d.lw(i-1) == "to" || d.lw(i-1) == "help" || d.lw(i-1) == "will" || d.lw(i-1) == "would") {
		return "", i, false
	}
	return p.value, i + n, true
}

func (d *doc) sentStart(i int) int { return d.sents[d.sentIdx(i)].s }

// raiseAmtAt returns the index of the raise amount covering token i, or -1.
func (d *doc) raiseAmtAt(i int) int {
	if i < 0 || i >= len(d.amtAt) || d.amtAt[i] == 0 {
		return -1
	}
	x := int(d.amtAt[i]) - 1
	if r := d.amts[x].role; r == roleRaise || r == roleRestate {
		return x
	}
	return -1
}

// roundNear finds the round named closest to the amount at [qi, tj): after
// it first ("$40 million in a Series B round"), then before it ("a seed
// round of 40 million kr"). Specific labels win over "unknown".
func (d *doc) roundNear(qi, tj int) (string, int) {
	s := d.sents[d.sentIdx(qi)]
	best, bestDist := "", 1<<30
	equity := false
	consider := func(r string, dist, at int) {
		if d.lw(at) == "equity" && at >= tj {
			equity = true
		}
		if r == "unknown" {
			dist += 100
		}
		if dist < bestDist {
			best, bestDist = r, dist
		}
	}
	for i := tj; i < s.e && i < tj+10; i++ {
		if x := d.raiseAmtAt(i); x >= 0 && (i < qi || i >= tj) {
			break
		}
		if d.is(i, ";") || d.lowIs(i, "which") || d.lowIs(i, "alongside") {
			break
		}
		if r, _, ok := d.roundAt(i); ok {
			consider(r, i-tj, i)
		}
	}
	for i := qi - 1; i >= s.s && i >= qi-10; i-- {
		if d.raiseAmtAt(i) >= 0 || d.is(i, ";") {
			break
		}
		if r, e, ok := d.roundAt(i); ok && e <= qi {
			consider(r, qi-e+1, i)
		}
	}
	if d.hasCue("acquire", max(s.s, qi-maxWin), qi) || d.hasCue("acquire", tj, min(s.e, tj+3)) {
		return "acquisition", 0
	}
	if best == "" || best == "unknown" {
		// "awarded $5 million to Acme": an award is a grant.
		for i := max(s.s, qi-maxWin); i < qi; i++ {
			if d.lw(i) == "awarded" || d.lw(i) == "granted" {
				return "grant", 0
			}
		}
		// "€3 million from the EU's Horizon Europe programme": money
		// from a public funding programme is a grant.
		if d.lowIs(tj, "from") {
			for i := tj + 1; i < s.e && i < tj+9; i++ {
				if d.is(i, ",") || d.isListEnd(i, s.e) {
					break
				}
				switch d.lw(i) {
				case "programme", "program", "scheme":
					return "grant", 0
				}
			}
		}
	}
	if best == "debt" && equity {
		// "equity ... with project debt": a mix, not a debt round.
		return "unknown", bestDist
	}
	return best, bestDist
}

// docRound finds a round named anywhere in the text outside an earlier
// round's context: "The Series B was led by ...".
func (d *doc) docRound(amts []amount) string {
	for i := 0; i < len(d.toks); i++ {
		r, _, ok := d.roundAt(i)
		if !ok || !(strings.HasPrefix(r, "series ") || r == "seed" || r == "pre-seed" || r == "growth") {
			continue
		}
		cs, ce := d.clauseStart(i), d.clauseEnd(i)
		if d.hasCue("prior", cs, ce) || d.possessiveBefore(i) {
			continue
		}
		inPrior := false
		lo, hi := d.sentAmts(d.sentIdx(i))
		for _, a := range amts[lo:hi] {
			if a.h.ti >= ce {
				break
			}
			if a.role != roleRaise && a.role != roleValuation && a.role != roleRestate && a.kind != "total" && a.h.ti >= cs {
				inPrior = true
			}
			if a.role == roleRaise && a.deal > 0 {
				// Another deal's sentence: "while Bluepeak closed an $8
				// million seed round".
				inPrior = true
			}
		}
		if inPrior {
			continue
		}
		return r
	}
	return ""
}

// possessiveBefore reports "its Series A", "the company's Series A".
func (d *doc) possessiveBefore(i int) bool {
	if i > 0 && (d.lw(i-1) == "its" || d.lw(i-1) == "their") {
		return true
	}
	return i > 1 && d.lw(i-1) == "s" && (d.is(i-2, "'") || d.is(i-2, "’"))
}

// subjectName is the company a sentence is about: the last name in its
// subject ("Munich startup Yarrow Robotics"), not a place before "-based"
// or a possessive.
func (d *doc) subjectName(k int) (nameRef, bool) {
	a, b := d.subjectRange(k)
	var best nameRef
	found := false
	for i := a; i < b; {
		if !d.isCap(i) && d.gazAt(i) == 0 {
			i++
			continue
		}
		r, ok := d.nameAt(i, b)
		if !ok || d.v.stop[d.tx(i)] && r.e == i+1 || d.has(i, bitCurWord) && r.e == i+1 {
			i++
			continue
		}
		// "Fintech Brexa raised": a sector word opening the sentence.
		if i == a && r.e > i+1 && d.v.sector[d.lw(i)] && d.gazAt(i) == 0 {
			r.s = i + 1
		}
		j := r.e
		possRound := false
		if (d.is(j, "'") || d.is(j, "’")) && d.lowIs(j+1, "s") {
			_, _, possRound = d.roundAt(j + 2)
			possRound = possRound || d.lowIs(j+2, "round") || d.lowIs(j+2, "funding") || d.lowIs(j+2, "ipo")
		}
		switch {
		case possRound:
			best, found = r, true
		case d.is(j, "-") && d.lowIs(j+1, "based"):
		case d.lowIs(j, "based"):
		case (d.is(j, "'") || d.is(j, "’")) && d.lowIs(j+1, "s") && j+2 < len(d.toks) && d.toks[j+2].kind != tkCurSym && d.toks[j+2].kind != tkNumber:
		case d.is(j, "-") && !d.toks[j].gap:
		case j < b && d.toks[j].kind == tkWord && !d.isCap(j) && !verbLike(d.lw(j)) && !timeWord(d, j):
			// "Munich startup Yarrow", "The Seattle company": a
			// modifier before a common noun, not the name.
		default:
			best, found = r, true
		}
		i = max(j, i+1)
	}
	if !found && d.is(b, ",") && b+1 < len(d.toks) && d.isCap(b+1) {
		// "The startup, Nuvola, raised ...": a name in apposition.
		if r, ok := d.nameAt(b+1, len(d.toks)); ok && d.is(r.e, ",") && !d.v.stop[d.tx(b+1)] {
			return r, true
		}
	}
	return best, found
}

// commonNoun reports a lower-case word that can head a descriptor
// ("startup", "biotech", "maker"), not a function word or a verb.
func commonNoun(w string) bool {
	switch w {
	case "and", "or", "with", "from", "for", "into", "to", "in", "on", "at", "by", "of", "as", "the", "a", "an", "its", "their":
		return false
	}
	return !verbLike(w) || strings.HasSuffix(w, "ss")
}

// timeWord reports "on Tuesday", "today", "this week", "yesterday" after
// a name: an adverbial before the verb, not a common noun the name
// modifies.
func timeWord(d *doc, j int) bool {
	switch d.lw(j) {
	case "today", "yesterday", "tomorrow", "recently", "now", "also", "officially", "finally", "reportedly":
		return true
	case "on", "this", "last", "earlier", "late", "in":
		return d.isCap(j+1) || d.lowIs(j+1, "week") || d.lowIs(j+1, "month") || d.toks[min(j+1, len(d.toks)-1)].kind == tkNumber
	}
	return false
}

// verbLike reports a lower-case word that looks like a finite verb
// ("disclosed", "says"), as opposed to a common noun ("startup").
func verbLike(w string) bool {
	if auxVerbs[w] {
		return true
	}
	return strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss")
}

// auxVerbs are finite verbs and auxiliaries that end neither in -ed nor
// in -s: "Nuro-Grid did not disclose", "Acme will raise".
var auxVerbs = map[string]bool{
	"did": true, "do": true, "have": true, "had": true, "will": true, "would": true, "can": true,
	"could": true, "may": true, "might": true, "should": true, "must": true, "said": true, "told": true,
	"made": true, "took": true, "won": true, "got": true, "were": true, "are": true, "shall": true,
	// Irregular past tenses.
	"held": true, "struck": true, "sold": true, "bought": true, "led": true, "drew": true, "brought": true,
	"built": true, "saw": true, "began": true, "became": true, "kept": true, "paid": true, "sent": true,
	"spent": true, "found": true, "hit": true, "set": true, "met": true, "grew": true, "raise": true,
	"secure": true, "close": true, "land": true, "plan": true, "aim": true, "hope": true, "expect": true,
}

// definiteSubject reports a sentence that starts with "The company", "It",
// "The Seattle company": it refers to the text's main company.
func (d *doc) definiteSubject(k int) bool {
	a, b := d.subjectRange(k)
	if d.is(b, ",") && d.isCap(b+1) && !d.v.stop[d.tx(b+1)] {
		if r, ok := d.nameAt(b+1, len(d.toks)); ok && d.is(r.e, ",") {
			return false // "The startup, Nuvola, raised"
		}
	}
	switch d.lw(a) {
	case "the", "it", "its", "this", "that":
		return true
	}
	return false
}

// objectName reads the name after a verb such as "acquire" or "awarded",
// skipping lower-case descriptors ("smaller rival Ledgerly").
func (d *doc) objectName(i int) (nameRef, bool) {
	e := d.sents[d.sentIdx(min(i, len(d.toks)-1))].e
	for k := i; k < e && k < i+5; k++ {
		if d.isCap(k) && !d.v.stop[d.tx(k)] {
			r, ok := d.nameAt(k, e)
			// "awarded Dutch startup Photonix": a modifier before a
			// common noun and the name.
			if ok {
				x := r.e
				if d.is(x, "-") && !d.toks[x].gap && d.lowIs(x+1, "based") {
					x += 2 // "Nairobi-based startup Kilimo Safi"
				}
				for x < e && x < r.e+5 && d.toks[x].kind == tkWord && !d.isCap(x) && commonNoun(d.lw(x)) {
					x++
				}
				if x > r.e && d.isCap(x) && !d.v.stop[d.tx(x)] {
					return d.nameAt(x, e)
				}
			}
			return r, ok
		}
		if d.lowIs(k, "the", "company") || d.lowIs(k, "the", "startup") || d.lowIs(k, "the", "firm") || d.lowIs(k, "it") {
			return nameRef{}, false
		}
		if d.toks[k].kind != tkWord || d.v.verb[d.lw(k)] {
			return nameRef{}, false
		}
	}
	return nameRef{}, false
}

// intoTarget reads the company after an amount: "investment of $2 billion
// in Cirrus Reasoning", "puts $150 million into Aurelian Compute", "a $45
// million Series B in Pathlume".
func (d *doc) intoTarget(tj int) (nameRef, bool) {
	if tj >= len(d.toks) {
		return nameRef{}, false
	}
	s := d.sents[d.sentIdx(tj)]
	for i := tj; i < s.e && i < tj+8; i++ {
		if d.is(i, ",") || d.is(i, ";") || d.lowIs(i, "led") || d.lowIs(i, "from") {
			break
		}
		forRound := d.lw(i) == "for" && i > tj && d.lowIs(i-1, "round")
		if i == tj && d.lw(i) == "to" && d.committedBefore(tj) {
			// "Amazon has committed $4 billion to Anthropic".
			if r, ok := d.objectName(i + 1); ok {
				if _, place := d.v.place[d.tx(r.s)]; !place {
					return r, true
				}
			}
			break
		}
		if d.lw(i) == "in" || d.lw(i) == "into" || forRound {
			if d.isCap(i+1) && !d.v.stop[d.tx(i+1)] {
				if _, _, ok := d.roundAt(i + 1); ok {
					continue
				}
				if r, ok := d.nameAt(i+1, s.e); ok {
					if _, place := d.v.place[d.tx(i+1)]; !place {
						return r, true
					}
					// "in Bengaluru-based Cartly".
					if d.is(r.e, "-") && d.lowIs(r.e+1, "based") && d.isCap(r.e+2) && !d.v.stop[d.tx(r.e+2)] {
						if r, ok := d.nameAt(r.e+2, s.e); ok {
							return r, true
						}
					}
					// "in Chinese EV maker Xpeng Motors": descriptors
					// after a place adjective, then the name.
					for k, n := r.e, 0; k < s.e && n < 5; n++ {
						if d.toks[k].kind == tkWord && !d.isCap(k) && commonNoun(d.lw(k)) {
							k++
							continue
						}
						if !d.isCap(k) || d.v.stop[d.tx(k)] || k == r.e {
							break
						}
						r2, ok := d.nameAt(k, s.e)
						if !ok {
							break
						}
						if r2.e < s.e && d.toks[r2.e].kind == tkWord && !d.isCap(r2.e) && commonNoun(d.lw(r2.e)) {
							k = r2.e
							continue
						}
						return r2, true
					}
				}
			}
			if d.lowIs(i+1, "the", "company") || d.lowIs(i+1, "it") {
				break
			}
		}
	}
	return nameRef{}, false
}

// committedBefore reports an investing verb right before the amount that
// ends at tj: "committed $4 billion", "pledged €50 million".
func (d *doc) committedBefore(tj int) bool {
	if tj <= 0 || tj > len(d.amtAt) || d.amtAt[tj-1] == 0 {
		return false
	}
	x := int(d.amtAt[tj-1]) - 1
	if x >= len(d.amts) {
		return false
	}
	_, ok := d.cueEndsAt("amtverb", d.amts[x].h.qi, 0)
	return ok
}

// companyFor finds the company of a deal anchored at [qi, tj) in sentence
// k; main is the text's main company, used for "the company".
func (d *doc) companyFor(qi, tj, k int, round string, main string) (company, acquirer string, at int) {
	s := d.sents[k]
	if round == "acquisition" {
		for i := max(s.s, qi-maxWin); i < min(s.e, tj+3); i++ {
			if i >= qi && i < tj {
				continue
			}
			if c, ok := d.cueAtIs("acquire", i); ok {
				if d.lowIs(c, "by") {
					// "Ferrio was acquired by Uber": the subject is
					// the target, the agent the buyer.
					if sr, ok := d.subjectName(k); ok && sr.e <= i {
						acq := ""
						if r, ok := d.objectName(c + 1); ok {
							acq = d.nameText(r)
						}
						return d.nameText(sr), acq, sr.s
					}
					if d.definiteSubject(k) && main != "" {
						acq := ""
						if r, ok := d.objectName(c + 1); ok {
							acq = d.nameText(r)
						}
						return main, acq, -1
					}
				}
				// "acquire a 40% stake in logistics group Aramex".
				for x := c; x < s.e && x < c+6; x++ {
					if d.lw(x) == "stake" && d.lowIs(x+1, "in") {
						if r, ok := d.objectName(x + 2); ok {
							acq := ""
							if sr, ok := d.subjectName(k); ok && sr.e <= i {
								acq = d.nameText(sr)
							}
							return d.nameText(r), acq, r.s
						}
					}
				}
				if r, ok := d.objectName(c); ok {
					acq := ""
					if sr, ok := d.subjectName(k); ok && sr.e <= i {
						acq = d.nameText(sr)
					}
					return d.nameText(r), acq, r.s
				}
			}
		}
		// "pay $1.9bn in cash for Kiteline".
		for i := tj; i < s.e && i < tj+5; i++ {
			if d.lw(i) == "for" {
				if r, ok := d.objectName(i + 1); ok {
					acq := ""
					if sr, ok := d.subjectName(k); ok {
						acq = d.nameText(sr)
					}
					if acq == "" || d.definiteSubject(k) {
						acq = main
					}
					return d.nameText(r), acq, r.s
				}
			}
		}
	}
	// "Byline Bank provided a $15 million term loan to Harbor Foods": the
	// receiver after "to", when a lending verb comes before the amount.
	for i := max(s.s, qi-6); i < qi; i++ {
		switch d.lw(i) {
		case "provided", "provides", "provide", "extended", "extends", "lent", "lends", "issued", "offered":
		default:
			continue
		}
		for k := tj; k < s.e && k < tj+6; k++ {
			if d.is(k, ",") || d.is(k, ";") {
				break
			}
			if d.lw(k) == "to" && d.isCap(k+1) && !d.v.stop[d.tx(k+1)] {
				if r, ok := d.nameAt(k+1, s.e); ok {
					return d.nameText(r), "", r.s
				}
			}
		}
	}
	// "has awarded Strata Thermal a $48 million grant".
	for i := max(s.s, qi-maxWin); i < qi; i++ {
		if d.lw(i) == "awarded" || d.lw(i) == "granted" {
			if r, ok := d.objectName(i + 1); ok {
				return d.nameText(r), "", r.s
			}
			// "awarded $5 million to Acme".
			for k := tj; k < s.e && k < tj+6; k++ {
				if d.lw(k) == "to" && d.isCap(k+1) {
					if r, ok := d.objectName(k + 1); ok && !d.v.stop[d.tx(k+1)] {
						return d.nameText(r), "", r.s
					}
				}
			}
			return main, "", -1
		}
	}
	if r, ok := d.intoTarget(tj); ok {
		return d.nameText(r), "", r.s
	}
	// "..., and Tollhouse has now raised $20 million": the subject of the
	// amount's own clause.
	if cs := d.clauseStart(qi); cs > s.s {
		switch d.lw(cs) {
		case "and", "but", "while", "whereas":
			cs++
		}
		// "; London-based Noor closed", "; Berlin's Tiller raised".
		for n := 0; n < 2 && d.isCap(cs); n++ {
			r, ok := d.nameAt(cs, qi)
			if !ok {
				break
			}
			if d.is(r.e, "-") && d.lowIs(r.e+1, "based") && d.isCap(r.e+2) {
				cs = r.e + 2
			} else if (d.is(r.e, "'") || d.is(r.e, "’")) && d.lowIs(r.e+1, "s") && d.isCap(r.e+2) {
				cs = r.e + 2
			}
		}
		for v := cs; v < qi; v++ {
			if _, ok := d.cueAtIs("raisev", v); !ok {
				continue
			}
			if d.isCap(cs) && !d.v.stop[d.tx(cs)] {
				if r, ok := d.nameAt(cs, v); ok && (r.e == v || d.v.verb[d.lw(r.e)]) {
					return d.nameText(r), "", r.s
				}
			}
			break
		}
	}
	if r, ok := d.subjectName(k); ok {
		return d.nameText(r), "", r.s
	}
	return main, "", -1
}
