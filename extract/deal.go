package extract

import (
	"maps"
	"slices"
	"strings"

	"github.com/dealwire/dealwire/news"
)

// dealB is a deal under construction.
// invKey finds an investor of a deal by its normalised name or, with
// canon, by its canonical name.
type invKey struct {
	canon bool
	name  string
}

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
	invIdx    map[invKey]int // investor by normalised name and by canonical name
	capacity  []powerHit
}

// snapshot is a copy of db that later edits of db leave alone: its lists
// and index are copied too, since edits delete from them in place
// (slices.DeleteFunc zeroes the tail it leaves, which a shared copy would
// then read as a figure at token 0).
func (db *dealB) snapshot() *dealB {
	c := *db
	c.vals = slices.Clone(db.vals)
	c.investors = slices.Clone(db.investors)
	c.capacity = slices.Clone(db.capacity)
	c.invIdx = maps.Clone(db.invIdx)
	return &c
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
// round", "debt facility", "IPO". The round labels it returns and compares
// ("unknown", "series b", "seed", "fund", "ipo") are values of the output
// schema and of words/round.tsv, not words of the text.
func (d *doc) roundAt(i int) (string, int, bool) {
	if i >= 0 && i < len(d.toks) && d.fact[i]&factRound == 0 {
		return "", i, false // findRound's answer for a token that is no word, or starts no round phrase and is no series word
	}
	if i < 0 || i >= len(d.toks) || d.toks[i].kind != tkWord {
		return d.findRound(i)
	}
	m := &d.roundMemo[i]
	if m.state == 0 {
		r, e, ok := d.findRound(i)
		*m = roundMemo{value: r, end: int32(e), state: 1}
		if ok {
			m.state = 2
		}
	}
	return m.value, int(m.end), m.state == 2
}

// roundMemo is what roundAt found at a token: many rules ask about the
// same tokens.
type roundMemo struct {
	value string
	end   int32
	state uint8 // 0 not asked yet, 1 no round, 2 a round
}

// findRound is roundAt without the memo.
func (d *doc) findRound(i int) (string, int, bool) {
	if i >= len(d.toks) || d.toks[i].kind != tkWord {
		return "", i, false
	}
	if d.mask[i]&bitRound == 0 && !d.inHot(hotSeries, i) { // "deal.series"
		// Neither a round phrase nor a series word starts here: the
		// tests below cannot succeed, and roundAt reads nearly every
		// token.
		return "", i, false
	}
	if l, ok := d.seriesLetterAt(i); ok {
		return d.seriesRound(i, l)
	}
	p, n := d.matchPhrase(d.v.rounds, bitRound, i)
	// "series" before a word that is no letter ("a series of") is no
	// round. The class is tested after the cheaper tests, since roundAt
	// reads nearly every token.
	if n == 0 || i+1 < len(d.toks) && d.toks[i+1].kind == tkWord && d.inHot(hotSeries, i) {
		return "", i, false
	}
	if d.insideRoundPhrase(i) {
		// "fonds" in "une levée de fonds", "notes" in "convertible
		// notes": the longer phrase names the round.
		return "", i, false
	}
	// Capitalised words are names ("Kyushu Future Fund"), except in
	// headlines and for IPO.
	capName := d.isCap(i) && !d.in("deal.cap_round", i) && !(p.value == "fund" && d.fundNumber(i+n)) && !d.kindBeforeRound(i+n)
	if capName && !d.sents[d.sentIdx(i)].headline && d.sentStart(i) != i {
		return "", i, false
	}
	if capName && d.sentStart(i) == i && i+n < len(d.toks) && d.isCap(i+n) {
		return "", i, false
	}
	if p.value == "ipo" && d.preHyphen(i) {
		return "unknown", i + n, true // "a pre-IPO round" is private
	}
	// "across four new funds" is a fund close; "raised $5 million in
	// funds" is money.
	if d.in("deal.funds_plural", i) && !d.in("deal.fund_count", i-1) && (i == 0 || d.toks[i-1].kind != tkNumber) {
		return "", i, false
	}
	// "seed fund" is a fund; "fund" after an investor's name is not a round.
	if p.value == "seed" && d.in("deal.fund_noun", i+n) {
		return "fund", i + n + 1, true
	}
	if p.value == "fund" && (d.in("deal.investor_agent", i-2) || d.in("deal.investor_agent", i-3)) {
		// "led by Ukrainian venture fund u.ventures": an investor.
		return "", i, false
	}
	if p.value == "fund" && i > 0 && (d.isCap(i-1) || d.in("deal.fund_verb_before", i-1)) {
		// "to fund", "will help fund": a verb.
		return "", i, false
	}
	return p.value, i + n, true
}

// seriesRound reads the round of a series word at i whose letter stands at
// l.
func (d *doc) seriesRound(i, l int) (string, int, bool) {
	if d.shareClassAfter(l + 1) {
		// "Series F Redeemable Preferred Stock": a class of shares,
		// not a round.
		return "", i, false
	}
	if d.preHyphen(i) || d.tx(l)[0] > lastSeriesLetter {
		// "a pre-Series A round" comes before the series: no series of
		// its own. Letters after the schema's last lettered round
		// ("Series I") name a round of no kind.
		return "unknown", l + 1, true
	}
	return "series " + d.lw(l), l + 1, true
}

// insideRoundPhrase reports a round phrase that starts up to three tokens
// before token i and runs past it.
func (d *doc) insideRoundPhrase(i int) bool {
	for j := max(0, i-3); j < i; j++ {
		if _, n := d.matchPhrase(d.v.rounds, bitRound, j); j+n > i {
			return true
		}
	}
	return false
}

// kindBeforeRound reports a generic round word in lower case at token j,
// right after a capitalised kind of round: "a $4 Million Seed round" names
// the kind in title case, where "Seed Partners" would be a name.
func (d *doc) kindBeforeRound(j int) bool {
	if j >= len(d.toks) || d.toks[j].kind != tkWord || d.isCap(j) {
		return false
	}
	r, _, ok := d.roundAt(j)
	return ok && r == "unknown"
}

// fundNumber reports the number of a fund after its name: "Fund III",
// "Fund IV", "Fund 2". A numbered fund is a fund close, not a name.
func (d *doc) fundNumber(j int) bool {
	if j >= len(d.toks) {
		return false
	}
	t := d.tx(j)
	if d.toks[j].kind == tkNumber {
		return len(t) <= 2
	}
	if d.toks[j].kind != tkWord || len(t) > 5 {
		return false
	}
	for _, c := range []byte(t) {
		if c != 'I' && c != 'V' && c != 'X' {
			return false
		}
	}
	return true
}

// lastSeriesLetter is the letter of the output schema's last lettered round
// ("series h"); the labels give later letters ("Series I") no kind.
const lastSeriesLetter = 'H'

// shareClassAfter reports a word of a share class (deal.share_class:
// "Preferred", "Stock") at token j or in the run of capitalised words that
// starts there: "Series F Redeemable Preferred Stock" names shares.
func (d *doc) shareClassAfter(j int) bool {
	for k := j; k < len(d.toks) && k < j+6; k++ {
		if d.is(k, "-") && !d.toks[k].gap {
			continue
		}
		if d.toks[k].kind != tkWord {
			return false
		}
		if d.in("deal.share_class", k) {
			return true
		}
		if !d.isCap(k) {
			return false
		}
	}
	return false
}

// seriesLetterAt reports a lettered round at token i and returns the
// token of its letter: "Series B", "series B", "Series-C-Runde" (a capital
// letter from A to K).
func (d *doc) seriesLetterAt(i int) (int, bool) {
	l := i + 1
	if l+1 < len(d.toks) && d.is(l, "-") && !d.toks[l].gap && !d.toks[l+1].gap {
		l++ // "Series-C-Runde"
	}
	if l >= len(d.toks) || d.toks[l].kind != tkWord {
		return 0, false
	}
	t := d.tx(l)
	// A capital letter after the word: "Series B", and in trade copy
	// "series B" too; a lower-case "series a" would be an article.
	return l, len(t) == 1 && t[0] >= 'A' && t[0] <= 'K' && d.in("deal.series", i)
}

// preHyphen reports "pre-" right before token i ("pre-Series A",
// "pre-IPO"): the round comes before the named one and has no name of its
// own.
func (d *doc) preHyphen(i int) bool {
	return i >= 2 && d.is(i-1, "-") && !d.toks[i-1].gap && d.in("deal.pre", i-2)
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
// round of 40 million kr"). Specific labels win over "unknown". The round
// labels ("unknown", "acquisition", "grant", "debt") are values of the
// output schema, not words of the text.
func (d *doc) roundNear(qi, tj int) (string, int) {
	s := d.sents[d.sentIdx(qi)]
	best, bestDist := "", 1<<30
	equity := false
	other, otherDist := "", 1<<30 // the nearest specific round that is not debt
	consider := func(r string, dist, at int) {
		if d.in("deal.equity", at) && at >= tj {
			equity = true
		}
		if r == "unknown" {
			dist += 100
		} else if r != "debt" && dist < otherDist {
			other, otherDist = r, dist
		}
		if dist < bestDist {
			best, bestDist = r, dist
		}
	}
	// The search after the figure starts past its bracketed conversion
	// ("$40 million (€37 million) for a Series B round").
	from := d.pastConversion(tj, s)
	for i := tj; i < s.e && i < from+10; i++ {
		if x := d.raiseAmtAt(i); x >= 0 && (i < qi || i >= tj) {
			break
		}
		if d.is(i, ";") || d.in("deal.round_search_stop", i) {
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
	if best == "" && d.anyIn("deal.listing_noun", max(s.s, qi-6), min(s.e, tj+8)) && d.textNamesIPO() {
		// Shares sold or an offering in a text that names a listing:
		// "Quell took in $60 million from its offering of new shares"
		// under a headline on its IPO.
		return "ipo", 0
	}
	if best == "" && d.anyIn("deal.pay_verb", max(s.s, qi-4), qi) && d.hasCue("acquire", 0, s.s) {
		// The price of a purchase told before: "Alder agreed to buy
		// Brook's grid unit. ... It will pay €90 million for it."
		return "acquisition", 0
	}
	if (best == "" || best == "unknown") && d.grantNear(s, qi, tj) {
		return "grant", 0
	}
	if best == "debt" && equity {
		// "equity ... with project debt": a mix, not a debt round; a
		// stage named beside it names the round ("Kestrel took €9
		// million of debt and equity to close its Series B").
		if other != "" {
			return other, otherDist
		}
		return "unknown", bestDist
	}
	return best, bestDist
}

// textNamesIPO reports a listing named anywhere in the text (a round phrase
// whose label is "ipo", a value of the output schema).
func (d *doc) textNamesIPO() bool {
	d.roundHits()
	return d.roundCounts[roundClass("ipo")] > 0
}

// namedRound reports a round label that names a stage of a company's equity
// rounds: a lettered series, seed, pre-seed or growth (labels of the output
// schema, not words of the text).
func namedRound(r string) bool {
	return strings.HasPrefix(r, "series ") || r == "seed" || r == "pre-seed" || r == "growth"
}

// grantNear reports the words of a grant around the amount at [qi, tj) of
// sentence s, for an amount that has no specific round: an award before it
// ("awarded $5 million to Acme") or a public funding programme it comes
// from ("€3 million from the EU's Horizon Europe programme").
func (d *doc) grantNear(s sentence, qi, tj int) bool {
	if d.anyIn("deal.award_verb", max(s.s, qi-maxWin), qi) {
		return true
	}
	if !d.in("deal.source_from", tj) {
		return false
	}
	for i := tj + 1; i < s.e && i < tj+9; i++ {
		if d.is(i, ",") || d.isListEnd(i, s.e) {
			break
		}
		if d.in("deal.programme", i) {
			return true
		}
	}
	return false
}

// docRound finds a round named anywhere in the text outside an earlier
// round's context: "The Series B was led by ...".
func (d *doc) docRound(amts []amount) string {
	for i := 0; i < len(d.toks); i++ {
		if d.fact[i]&factRound == 0 {
			continue // no round starts here (roundAt would say so)
		}
		r, _, ok := d.roundAt(i)
		// Round labels of the output schema: the specific rounds.
		if !ok || !namedRound(r) {
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
			// "total" is a kind of prior amount in the output schema
			// (funding to date), not a word of the text.
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
	if i > 0 && d.in("deal.possessive_pronoun", i-1) {
		return true
	}
	return i > 1 && d.apostropheS(i-2)
}

// subjectName is the company a sentence is about: the last name in its
// subject ("Munich startup Yarrow Robotics"), not a place before "-based"
// or a possessive.
func (d *doc) subjectName(k int) (nameRef, bool) {
	m := d.subjMemo(k)
	if m.named == 0 {
		r, ok := d.findSubjectName(k)
		m.name, m.named = r, 1
		if ok {
			m.named = 2
		}
	}
	return m.name, m.named == 2
}

// findSubjectName is subjectName without the memo.
func (d *doc) findSubjectName(k int) (nameRef, bool) {
	a, b := d.subjectRange(k)
	var best nameRef
	found := false
	for i := a; i < b; {
		if !d.isCap(i) && d.gazAt(i) == 0 {
			i++
			continue
		}
		r, ok := d.nameAt(i, b)
		if !ok || d.rawIn(i, setStop, d.v.stop) && r.e == i+1 || d.has(i, bitCurWord) && r.e == i+1 {
			i++
			continue
		}
		// "Fintech Brexa raised": a sector word opening the sentence.
		if i == a && r.e > i+1 && d.lowIn(i, setSector, d.v.sector) && d.gazAt(i) == 0 {
			r.s = i + 1
		}
		r = d.cutDescriptor(r)
		j := r.e
		possRound := false
		if d.apostropheS(j) {
			_, _, possRound = d.roundAt(j + 2)
			possRound = possRound || d.in("deal.possessed_round", j+2)
		}
		switch {
		case possRound:
			best, found = r, true
		case d.is(j, "-") && d.in("deal.based", j+1):
		case d.in("deal.based", j):
		case d.apostropheS(j) && j+2 < len(d.toks) && d.toks[j+2].kind != tkCurSym && d.toks[j+2].kind != tkNumber:
		case d.is(j, "-") && !d.toks[j].gap:
		case j < b && d.toks[j].kind == tkWord && !d.isCap(j) && !d.v.verbLike(d.lw(j)) && !d.timeWord(j):
			// "Munich startup Yarrow", "The Seattle company": a
			// modifier before a common noun, not the name.
		default:
			best, found = r, true
		}
		i = max(j, i+1)
	}
	if !found && d.is(b, ",") && b+1 < len(d.toks) && d.isCap(b+1) {
		// "The startup, Nuvola, raised ...": a name in apposition.
		if r, ok := d.nameAt(b+1, len(d.toks)); ok && d.is(r.e, ",") && !d.rawIn(b+1, setStop, d.v.stop) {
			return r, true
		}
	}
	return best, found
}

// cutDescriptor drops what a run of capitalised words says about the
// company before its name: "Das Berliner Startup Voltaris" is Voltaris,
// "Energy Storage Firm Kestrel Power" is Kestrel Power. The last descriptor noun
// (deal.descriptor_noun, or a German compound ending in one) followed by
// a capitalised word ends the prefix. A gazetteer name is kept whole.
func (d *doc) cutDescriptor(r nameRef) nameRef {
	if r.e-r.s < 2 || r.canonical != "" {
		return r
	}
	for k := r.e - 2; k >= r.s; k-- {
		if d.toks[k].kind == tkWord && d.isCap(k+1) && (d.in("deal.descriptor_noun", k) || d.v.endsIn("deal.descriptor_suffix", d.lw(k))) {
			r.s = k + 1
			break
		}
	}
	return r
}

// commonNoun reports a lower-case word that can head a descriptor
// ("startup", "biotech", "maker"), not a function word or a verb.
func (v *vocab) commonNoun(w string) bool {
	if v.in("deal.function_word", w) {
		return false
	}
	return !v.verbLike(w) || v.endsIn("deal.noun_suffix", w)
}

// timeWord reports "on Tuesday", "today", "this week", "yesterday" after
// a name: an adverbial before the verb, not a common noun the name
// modifies.
func (d *doc) timeWord(j int) bool {
	switch {
	case d.in("deal.time_adverb", j):
		return true
	case d.in("deal.time_opener", j):
		return d.isCap(j+1) || d.in("deal.time_unit", j+1) || d.toks[min(j+1, len(d.toks)-1)].kind == tkNumber
	}
	return false
}

// verbLike reports a lower-case word that looks like a finite verb
// ("disclosed", "says"), as opposed to a common noun ("startup"): a verb of
// deal.aux_verb ("did", "will", "led"), or a word with a verb's ending
// (deal.verb_suffix) but not a noun's (deal.noun_suffix: "business").
func (v *vocab) verbLike(w string) bool {
	if v.in("deal.aux_verb", w) {
		return true
	}
	return v.endsIn("deal.verb_suffix", w) && !v.endsIn("deal.noun_suffix", w)
}

// verbLike is [vocab.verbLike] with the embedded vocabularies, for rules
// that test a word without their doc's vocab at hand.
func verbLike(w string) bool { return loadVocab().verbLike(w) }

// definiteSubject reports a sentence that starts with "The company", "It",
// "The Seattle company": it refers to the text's main company.
func (d *doc) definiteSubject(k int) bool {
	a, b := d.subjectRange(k)
	if d.is(b, ",") && d.isCap(b+1) && !d.rawIn(b+1, setStop, d.v.stop) {
		if r, ok := d.nameAt(b+1, len(d.toks)); ok && d.is(r.e, ",") {
			return false // "The startup, Nuvola, raised"
		}
	}
	return d.in("deal.definite_opener", a)
}

// objectName reads the name after a verb such as "acquire" or "awarded",
// skipping lower-case descriptors ("smaller rival Ledgerly").
func (d *doc) objectName(i int) (nameRef, bool) {
	e := d.sents[d.sentIdx(min(i, len(d.toks)-1))].e
	for k := i; k < e && k < i+5; k++ {
		if d.isCap(k) && !d.rawIn(k, setStop, d.v.stop) {
			r, ok := d.nameAt(k, e)
			if ok && d.placePossessive(r, e) {
				return d.objectName(r.e + 2) // "buy Norway's Fjellstad"
			}
			// "awarded Dutch startup Photonix": a modifier before a
			// common noun and the name.
			if ok {
				x := r.e
				if d.is(x, "-") && !d.toks[x].gap && d.in("deal.based", x+1) {
					x += 2 // "Nairobi-based startup Kilimo Safi"
				}
				for x < e && x < r.e+5 && d.toks[x].kind == tkWord && !d.isCap(x) && d.v.commonNoun(d.lw(x)) {
					x++
				}
				if x > r.e && d.isCap(x) && !d.rawIn(x, setStop, d.v.stop) {
					return d.nameAt(x, e)
				}
			}
			return r, ok
		}
		if d.phraseAt("deal.self_object", k) > 0 {
			return nameRef{}, false
		}
		if d.toks[k].kind != tkWord || d.lowIn(k, setVerb, d.v.verb) {
			return nameRef{}, false
		}
	}
	return nameRef{}, false
}

// placePossessive reports a place written as the possessive before the
// name it describes ("Norway's Fjellstad", "Chile’s Pelluco"), within e.
func (d *doc) placePossessive(r nameRef, e int) bool {
	if _, place := d.v.place[d.nameText(r)]; !place || r.e+2 >= e {
		return false
	}
	return (d.is(r.e, "'") || d.is(r.e, "’")) && d.in("extract.possessive_s", r.e+1) && d.isCap(r.e+2)
}

// intoTarget reads the company after an amount: "investment of $2 billion
// in Cirrus Reasoning", "puts $150 million into Aurelian Compute", "a $45
// million Series B in Pathlume". With described, lower-case descriptors
// may stand between the preposition and the name ("puts $12 million in
// parcel locker maker Quaywise"); only an investor's amount is read
// that way (a raise's "in new capital Monday" is no company).
func (d *doc) intoTarget(tj int, described bool) (nameRef, bool) {
	if tj >= len(d.toks) {
		return nameRef{}, false
	}
	s := d.sents[d.sentIdx(tj)]
	at := tj
	tj = d.pastConversion(tj, s)
	for i := tj; i < s.e && i < tj+8; i++ {
		if d.is(i, ",") || d.is(i, ";") || d.in("deal.target_stop", i) {
			break
		}
		forRound := i > tj && d.phraseAt("deal.round_for", i-1) > 0
		if i == tj && d.in("deal.receiver_to", i) && d.committedBefore(at) {
			// "Amazon has committed $4 billion to Anthropic".
			if r, ok := d.objectName(i + 1); ok {
				if _, place := d.v.place[d.tx(r.s)]; !place {
					return r, true
				}
			}
			break
		}
		if d.in("deal.target_prep", i) || forRound {
			if d.isCap(i+1) && !d.rawIn(i+1, setStop, d.v.stop) {
				if _, _, ok := d.roundAt(i + 1); ok {
					continue
				}
				if r, ok := d.targetName(i+1, s.e); ok {
					return r, true
				}
			}
			if d.phraseAt("deal.target_self", i+1) > 0 {
				break
			}
			if described {
				if r, ok := d.described(i+1, s.e); ok {
					return r, true
				}
			}
		}
	}
	return nameRef{}, false
}

// described reads the name after the lower-case descriptors that open at
// k, up to e: "in parcel locker maker Quaywise", "in battery-recycling
// startup Tessel Health". The descriptors are common nouns and
// hyphenated modifiers (at most six tokens); a function word ("in new
// equity from Arden") or any other word ends the reading with no name.
func (d *doc) described(k, e int) (nameRef, bool) {
	j := k
	for ; j < e && j < k+6; j++ {
		t := d.toks[j]
		if t.kind == tkWord && !d.isCap(j) && (d.v.commonNoun(d.lw(j)) || j > k && d.is(j-1, "-")) {
			continue
		}
		if d.is(j, "-") && j > k && !d.toks[j].gap {
			continue
		}
		break
	}
	if j == k || j >= e || !d.isCap(j) || d.rawIn(j, setStop, d.v.stop) {
		return nameRef{}, false
	}
	if _, _, ok := d.roundAt(j); ok {
		return nameRef{}, false
	}
	return d.targetName(j, e)
}

// targetName reads the company named at k after "in" or "into", up to e.
// A place is not the company but may describe it: "in Bengaluru-based
// Cartly", "in Chinese EV maker Xpeng Motors".
func (d *doc) targetName(k, e int) (nameRef, bool) {
	r, ok := d.nameAt(k, e)
	if !ok {
		return nameRef{}, false
	}
	if _, place := d.v.place[d.tx(k)]; !place {
		return r, true
	}
	// "in Bengaluru-based Cartly".
	if d.is(r.e, "-") && d.in("deal.based", r.e+1) && d.isCap(r.e+2) && !d.rawIn(r.e+2, setStop, d.v.stop) {
		if r, ok := d.nameAt(r.e+2, e); ok {
			return r, true
		}
	}
	return d.nameAfterPlace(r, e)
}

// nameAfterPlace reads the name after the place adjective r and the common
// nouns that follow it ("in Chinese EV maker Xpeng Motors"), up to e: the
// descriptors are skipped, and so is a capitalised descriptor followed by a
// common noun ("EV maker").
func (d *doc) nameAfterPlace(r nameRef, e int) (nameRef, bool) {
	for k, n := r.e, 0; k < e && n < 5; n++ {
		if d.toks[k].kind == tkWord && !d.isCap(k) && d.v.commonNoun(d.lw(k)) {
			k++
			continue
		}
		if !d.isCap(k) || d.rawIn(k, setStop, d.v.stop) || k == r.e {
			break
		}
		r2, ok := d.nameAt(k, e)
		if !ok {
			break
		}
		if r2.e < e && d.toks[r2.e].kind == tkWord && !d.isCap(r2.e) && d.v.commonNoun(d.lw(r2.e)) {
			k = r2.e
			continue
		}
		return r2, true
	}
	return nameRef{}, false
}

// pastConversion is the token after a bracketed figure that follows the
// figure ending at tj ("€80 million (US$87 million) loan to Tessaly"), so
// that what the sentence says of the figure is read past its conversion;
// tj itself when no such bracket follows.
func (d *doc) pastConversion(tj int, s sentence) int {
	if tj >= s.e || !d.is(tj, "(") {
		return tj
	}
	money := false
	for k := tj + 1; k < s.e && k < tj+10; k++ {
		if d.is(k, ")") {
			if money {
				return k + 1
			}
			return tj
		}
		money = money || d.inAmount(k)
	}
	return tj
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
// k; main is the text's main company, used for "the company". It tries the
// readings from the most specific sentence shape to the most general: the
// parties of an acquisition, the receiver of a loan or an award, the
// company an amount goes into, the subject of the amount's clause, then
// the sentence's subject.
func (d *doc) companyFor(qi, tj, k int, round string, main string) (company, acquirer string, at int) {
	s := d.sents[k]
	// "acquisition" is a round label of the output schema, not a word.
	if round == "acquisition" {
		if company, acquirer, at, ok := d.acquisitionParties(qi, tj, k, main); ok {
			return company, acquirer, at
		}
	}
	m := d.companyMemo(qi, tj, k)
	if m.state&companyBeforeAward == 0 {
		r, ok := d.receiverBeforeAward(qi, tj, s)
		m.before, m.state = r, m.state|companyBeforeAward|found(ok, companyBeforeFound)
	}
	if m.state&companyBeforeFound != 0 {
		return d.nameText(m.before), "", m.before.s
	}
	if company, at, ok := d.awardReceiver(qi, tj, s, main); ok {
		return company, "", at
	}
	if m.state&companyAfterAward == 0 {
		r, ok := d.receiverAfterAward(qi, tj, k)
		m.after, m.state = r, m.state|companyAfterAward|found(ok, companyAfterFound)
	}
	if m.state&companyAfterFound != 0 {
		return d.nameText(m.after), "", m.after.s
	}
	return main, "", -1
}

// receiverBeforeAward is the name that companyFor's readings before the
// award's give, neither of which depends on the round or the main company:
// the receiver of a loan, whom money was arranged for, the name before a
// figure in brackets.
func (d *doc) receiverBeforeAward(qi, tj int, s sentence) (nameRef, bool) {
	if r, ok := d.loanReceiver(qi, tj, s); ok {
		return r, true
	}
	if r, ok := d.arrangedFor(qi, tj, s); ok {
		return r, true
	}
	return d.bracketOwner(qi, tj, s)
}

// receiverAfterAward is the same of the readings after the award's: the
// company the amount goes into, the subject of its clause, the
// sentence's subject.
func (d *doc) receiverAfterAward(qi, tj, k int) (nameRef, bool) {
	if r, ok := d.intoTarget(tj, false); ok {
		return r, true
	}
	if r, ok := d.clauseSubject(qi, d.sents[k]); ok {
		return r, true
	}
	return d.subjectName(k)
}

// companyReadings remembers what receiverBeforeAward and
// receiverAfterAward found for a figure at [qi, tj): companyFor is asked of
// the same figure by the rules' deals (fillDeal, mainCompany) and by the
// amount model's features (companyVsMain), with other rounds and main
// companies, which only the other readings read.
type companyReadings struct {
	qi, tj        int32
	next          int32 // the sentence's previous entry + 1, or 0
	state         uint8 // which readings are worked out and which found a name
	before, after nameRef
}

// Bits of companyReadings.state.
const (
	companyBeforeAward = 1 << iota // receiverBeforeAward worked out
	companyBeforeFound             // … and it found a name, before
	companyAfterAward              // receiverAfterAward worked out
	companyAfterFound              // … and it found a name, after
)

// found is bit when ok, else 0.
func found(ok bool, bit uint8) uint8 {
	if ok {
		return bit
	}
	return 0
}

// companyMemo returns the readings remembered for the figure at [qi, tj)
// of sentence k, adding an entry when there is none. A sentence's entries
// are chained from its subjMemo, so a look-up reads only its own figures.
func (d *doc) companyMemo(qi, tj, k int) *companyReadings {
	sm := d.subjMemo(k)
	for x := sm.comp; x > 0; x = d.comp[x-1].next {
		if m := &d.comp[x-1]; int(m.qi) == qi && int(m.tj) == tj {
			return m
		}
	}
	if d.comp == nil {
		d.comp = d.sc.comp[:0]
	}
	d.comp = append(d.comp, companyReadings{qi: int32(qi), tj: int32(tj), next: sm.comp})
	sm.comp = int32(len(d.comp))
	return &d.comp[len(d.comp)-1]
}

// bracketOwner reads the name that a figure in brackets follows, as a
// roundup lists its rounds ("Kestrelwave ($3.1m), Tillbrook ($1.4m)"): the
// run of capitalised words that ends at the opening bracket, without a
// leading nationality ("Ghanaian Tillbrook") or a round phrase.
func (d *doc) bracketOwner(qi, tj int, s sentence) (nameRef, bool) {
	o := qi - 1
	if o-1 < s.s || tj >= s.e || !d.is(o, "(") || !d.is(tj, ")") || !d.isCap(o-1) {
		return nameRef{}, false
	}
	st := o - 1
	for st-1 >= s.s && st-1 >= o-6 && d.isCap(st-1) && d.toks[st-1].kind == tkWord {
		st--
	}
	for ; st < o; st++ {
		if _, _, ok := d.roundAt(st); ok {
			return nameRef{}, false
		}
		if d.rawIn(st, setDemonym, d.v.demonym) || d.rawIn(st, setStop, d.v.stop) {
			continue
		}
		if r, ok := d.nameAt(st, o); ok && r.e == o {
			return r, true
		}
	}
	return nameRef{}, false
}

// acquisitionParties finds the target and the buyer of an acquisition at
// [qi, tj) in sentence k from an acquire cue around the amount ("Ferrio
// was acquired by Uber", "acquire a 40% stake in Aramex", "acquire
// Ledgerly") or, failing that, from the price ("pay $1.9bn in cash for
// Kiteline"). The target is the deal's company.
func (d *doc) acquisitionParties(qi, tj, k int, main string) (company, acquirer string, at int, ok bool) {
	s := d.sents[k]
	for i := max(s.s, qi-maxWin); i < min(s.e, tj+3); i++ {
		if i >= qi && i < tj {
			continue
		}
		c, ok := d.cueAtIs("acquire", i)
		if !ok {
			continue
		}
		if company, acquirer, at, ok := d.acquireCueParties(c, i, k, main); ok {
			return company, acquirer, at, true
		}
	}
	return d.priceTarget(tj, k, main)
}

// acquireCueParties reads the target and the buyer around an acquire cue
// that starts at i and ends at c in sentence k: a passive with its agent
// ("Ferrio was acquired by Uber": the subject is the target, the agent the
// buyer), a stake ("acquire a 40% stake in logistics group Aramex") or the
// verb's object, with the sentence's subject before the cue as the buyer.
func (d *doc) acquireCueParties(c, i, k int, main string) (company, acquirer string, at int, ok bool) {
	s := d.sents[k]
	if d.in("deal.agent_by", c) {
		if sr, ok := d.subjectName(k); ok && sr.e <= i {
			return d.nameText(sr), d.objectText(c + 1), sr.s, true
		}
		if d.definiteSubject(k) && main != "" {
			return main, d.objectText(c + 1), -1, true
		}
	}
	for x := c; x < s.e && x < c+6; x++ {
		if n := d.phraseAt("deal.stake_in", x); n > 0 {
			if r, ok := d.objectName(x + n); ok {
				return d.nameText(r), d.subjectTextBefore(k, i), r.s, true
			}
		}
	}
	if r, ok := d.objectName(c); ok {
		return d.nameText(r), d.subjectTextBefore(k, i), r.s, true
	}
	return "", "", 0, false
}

// objectText is the text of the name objectName reads at i, or "".
func (d *doc) objectText(i int) string {
	if r, ok := d.objectName(i); ok {
		return d.nameText(r)
	}
	return ""
}

// subjectTextBefore is the text of sentence k's subject when it ends
// before token i (the buyer before its acquire verb), or "".
func (d *doc) subjectTextBefore(k, i int) string {
	if sr, ok := d.subjectName(k); ok && sr.e <= i {
		return d.nameText(sr)
	}
	return ""
}

// priceTarget reads the target of an acquisition after its price ("pay
// $1.9bn in cash for Kiteline"), with the sentence's subject as the buyer,
// or main when the subject is missing or only refers to it ("The company
// will pay").
func (d *doc) priceTarget(tj, k int, main string) (company, acquirer string, at int, ok bool) {
	s := d.sents[k]
	for i := tj; i < s.e && i < tj+5; i++ {
		if !d.in("deal.price_for", i) {
			continue
		}
		if r, ok := d.objectName(i + 1); ok {
			acq := ""
			if sr, ok := d.subjectName(k); ok {
				acq = d.nameText(sr)
			}
			if acq == "" || d.definiteSubject(k) {
				acq = main
			}
			return d.nameText(r), acq, r.s, true
		}
	}
	return "", "", 0, false
}

// arrangedFor reads whom an arranger lined money up for, after the amount
// at [qi, tj) when an arranging verb comes before it ("Calder Bank lined
// up $2 billion of debt for the Orrin data centre", "arranged a $300
// million term loan for fibre operator Kestrel Fibre"): the arranger is the
// subject and no party to the deal; the borrower or project follows "for".
func (d *doc) arrangedFor(qi, tj int, s sentence) (nameRef, bool) {
	arranged := false
	for i := max(s.s, qi-6); i < qi && !arranged; i++ {
		arranged = d.phraseAt("deal.arrange_verb", i) > 0
	}
	if !arranged {
		return nameRef{}, false
	}
	tj = d.pastConversion(tj, s)
	for k := tj; k < s.e && k < tj+8; k++ {
		if d.is(k, ",") || d.is(k, ";") {
			break
		}
		if !d.in("deal.arranged_for", k) {
			continue
		}
		n := k + 1
		if n < s.e && d.in("extract.article", n) {
			n++ // "for the Orrin data centre"
		}
		if r, ok := d.objectName(n); ok {
			return r, true
		}
	}
	return nameRef{}, false
}

// loanReceiver reads the receiver of a loan after the amount at [qi, tj)
// when a lending verb comes before it ("Byline Bank provided a $15 million
// term loan to Harbor Foods"): the lender is the subject, the company the
// receiver.
func (d *doc) loanReceiver(qi, tj int, s sentence) (nameRef, bool) {
	lends := false
	for i := max(s.s, qi-6); i < qi && !lends; i++ {
		lends = d.in("deal.lend_verb", i)
	}
	tj = d.pastConversion(tj, s)
	// "a €300 million loan to SES": the loan noun after the figure names
	// the lending as well as a lending verb before it.
	for k := tj; k < min(s.e, tj+4) && !lends; k++ {
		lends = d.in("deal.loan_noun", k)
	}
	if !lends {
		return nameRef{}, false
	}
	for k := tj; k < s.e && k < tj+8; k++ {
		if d.is(k, ",") || d.is(k, ";") {
			break
		}
		if !d.in("deal.receiver_to", k) {
			continue
		}
		n := k + 1
		if n < s.e && d.in("extract.article", n) {
			n++ // "to the Government of Turkey"
		}
		if d.isCap(n) && !d.rawIn(n, setStop, d.v.stop) {
			if r, ok := d.nameAt(n, s.e); ok {
				return r, true
			}
		}
	}
	return nameRef{}, false
}

// awardReceiver reads the receiver of an award before the amount at [qi,
// tj): the verb's object ("has awarded Strata Thermal a $48 million
// grant"), the name after "to" ("awarded $5 million to Acme"), or else
// main. It reports false when no award verb comes before the amount.
func (d *doc) awardReceiver(qi, tj int, s sentence, main string) (string, int, bool) {
	for i := max(s.s, qi-maxWin); i < qi; i++ {
		if !d.in("deal.award_verb", i) {
			continue
		}
		if r, ok := d.objectName(i + 1); ok {
			return d.nameText(r), r.s, true
		}
		for k := tj; k < s.e && k < tj+6; k++ {
			if d.in("deal.receiver_to", k) && d.isCap(k+1) {
				if r, ok := d.objectName(k + 1); ok && !d.rawIn(k+1, setStop, d.v.stop) {
					return d.nameText(r), r.s, true
				}
			}
		}
		return main, -1, true
	}
	return "", 0, false
}

// clauseSubject reads the subject of the amount's own clause when it is
// not the sentence's first ("..., and Tollhouse has now raised $20
// million"): a name at the clause start, after a conjunction and a place
// ("; London-based Noor closed", "; Berlin's Tiller raised"), right
// before a raise verb.
func (d *doc) clauseSubject(qi int, s sentence) (nameRef, bool) {
	cs := d.clauseStart(qi)
	if cs <= s.s {
		return nameRef{}, false
	}
	if d.in("deal.clause_conj", cs) {
		cs++
	}
	for n := 0; n < 2 && d.isCap(cs); n++ {
		r, ok := d.nameAt(cs, qi)
		if !ok {
			break
		}
		if d.is(r.e, "-") && d.in("deal.based", r.e+1) && d.isCap(r.e+2) {
			cs = r.e + 2
		} else if d.apostropheS(r.e) && d.isCap(r.e+2) {
			cs = r.e + 2
		}
	}
	for v := cs; v < qi; v++ {
		if _, ok := d.cueAtIs("raisev", v); !ok {
			continue
		}
		if d.isCap(cs) && !d.rawIn(cs, setStop, d.v.stop) {
			if r, ok := d.nameAt(cs, v); ok && (r.e == v || d.lowIn(r.e, setVerb, d.v.verb)) {
				return r, true
			}
		}
		break
	}
	return nameRef{}, false
}
