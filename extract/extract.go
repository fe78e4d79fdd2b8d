package extract

import (
	"cmp"
	"fmt"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dealwire/dealwire/news"
)

// Version identifies the extractor's rules and vocabularies. It is bumped
// whenever any golden output changes, so that records say which rules made
// them.
const Version = "extract-64"

// Extract finds the deals, earlier amounts and other figures in text. It
// is pure and deterministic, never panics, and every span is a byte range
// of text with text[Start:End] equal to the fact's Text. When text starts
// with a headline line, the headline takes part like any sentence. A
// recognizer bug that panics yields an empty extraction here; the pipeline
// calls [ExtractChecked], which reports it.
func Extract(text string) news.Extraction {
	out, _ := ExtractChecked(text) // an empty extraction on a panic, as documented
	return out
}

// ExtractChecked is [Extract] that reports a panic of the extractor instead
// of hiding it: the extraction is then empty and the error, marked
// [news.Permanent] (the same text panics again), carries the panic value and
// the stack, so the stage dead-letters the article with them.
func ExtractChecked(text string) (news.Extraction, error) {
	return ExtractWithChecked(text, DefaultModel())
}

// ExtractWith is [Extract] with the decisions made by model m instead of
// the committed one; m nil leaves every decision to the rules.
func ExtractWith(text string, m *Model) news.Extraction {
	out, _ := ExtractWithChecked(text, m) // an empty extraction on a panic, as documented
	return out
}

// ExtractWithChecked is [ExtractWith] that reports a panic as
// [ExtractChecked] does; scoring uses it, so that a document the
// extractor fails on is a reported bug, not a silent miss.
func ExtractWithChecked(text string, m *Model) (out news.Extraction, err error) {
	defer func() {
		// Impossible-state guard: a recognizer bug must cost one article,
		// not the stage. Fuzzing keeps this path unused.
		if r := recover(); r != nil {
			out = news.Extraction{Deals: []news.Deal{}, PriorAmounts: []news.Figure{}, OtherAmounts: []news.Figure{}}
			err = news.Permanent(fmt.Errorf("extracting: recovered panic: %v\n%s", r, debug.Stack()))
		}
	}()
	return extract(text, m), nil
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
	d.listCompanies(a)
	d.openAcquisitions(a)
	d.openInvestments(a)
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

// maxFigures bounds the money and power figures read from one text. A
// long feature holds a few dozen; a text with more is a table or an
// attack, and the figures after the first maxFigures are not read, so
// that time, memory and the size of the record stay bounded.
const maxFigures = 2000

// scan runs the money and power recognizers over the tokens once.
func (d *doc) scan() ([]amount, []powerHit) {
	amts := d.sc.amts[:0] // the doc's pooled buffer; release clears it
	defer func() { d.sc.amts = amts[:0] }()
	var powers []powerHit
	for i := 0; i < len(d.toks) && len(amts)+len(powers) < maxFigures; {
		if !d.mayStartMoney(i) {
			// Most tokens: isMoneyStartCandidate would say no, after a
			// call.
			if d.toks[i].kind == tkWord && d.has(i+1, bitUnitExact) {
				// A word opens a power figure only before a unit ("one
				// gigawatt"): the test power makes first, asked here
				// without the call for every other word.
				if h, next, ok := d.power(i); ok {
					powers = append(powers, h)
					i = next
					continue
				}
			}
		} else if d.isMoneyStartCandidate(i) {
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
		} else if d.toks[i].kind == tkWord && d.has(i+1, bitUnitExact) {
			if h, next, ok := d.power(i); ok {
				powers = append(powers, h)
				i = next
				continue
			}
		}
		i++
	}
	d.markPowerSpans(powers)
	d.markPowerPast(powers)
	d.markPowerOther(powers)
	d.markPowerRatings(powers)
	return amts, powers
}

// output turns the analysis into the wire shape.
func (d *doc) output(a *analysis) news.Extraction {
	out := news.Extraction{Deals: []news.Deal{}, PriorAmounts: []news.Figure{}, OtherAmounts: []news.Figure{}}
	mi := moneyIndex{d: d, amts: a.amts, equiv: map[int]int{}, restated: map[int][]int{}}
	mi.index()
	for di, db := range a.deals {
		conf := 0.0
		if di < len(a.dealConf) {
			conf = a.dealConf[di]
		}
		out.Deals = append(out.Deals, d.outDeal(a, db, conf, mi.money))
	}
	for _, x := range mostDoubtful(a.doubtful) {
		out.Doubtful = append(out.Doubtful, d.outDeal(a, x.db, x.conf, mi.money))
	}
	for _, am := range a.amts {
		f, ok := d.amountFigure(am, a.amts, a.deals)
		if !ok {
			continue
		}
		if am.role == rolePrior {
			out.PriorAmounts = append(out.PriorAmounts, f)
		} else {
			out.OtherAmounts = append(out.OtherAmounts, f)
		}
	}
	for i, p := range a.powers {
		if !a.caps[i] {
			out.OtherAmounts = append(out.OtherAmounts, d.powerFigure(p))
		}
	}
	sort.SliceStable(out.OtherAmounts, func(i, j int) bool { return out.OtherAmounts[i].Span.Start < out.OtherAmounts[j].Span.Start })
	return out
}

// moneyIndex turns the amounts that deals report into the wire shape, each
// with its conversion ("$1.1 billion (€1 billion)") and the other texts
// that restate it. It lives on output's stack: its maps cost no
// allocation while they stay small.
type moneyIndex struct {
	d        *doc
	amts     []amount
	equiv    map[int]int   // amount → its conversion
	restated map[int][]int // amount → up to 8 amounts restating it
}

// index fills equiv and restated from the amounts' roles.
func (mi *moneyIndex) index() {
	for j := range mi.amts {
		switch a := mi.amts[j]; {
		case a.role == roleEquiv && a.equivOf >= 0:
			if _, ok := mi.equiv[a.equivOf]; !ok { // the first of "(USD 246m/EUR 210m)"
				mi.equiv[a.equivOf] = j
			}
		case a.role == roleRestate && a.restateOf >= 0 && len(mi.restated[a.restateOf]) < 8:
			mi.restated[a.restateOf] = append(mi.restated[a.restateOf], j)
		}
	}
}

// money is amount i in the wire shape.
func (mi *moneyIndex) money(i int) *news.Money {
	d, amts := mi.d, mi.amts
	m := d.toMoney(amts[i].h)
	if j, ok := mi.equiv[i]; ok {
		e := d.toMoney(amts[j].h)
		m.Equivalent = &e
	}
	for _, j := range mi.restated[i] {
		t := d.toMoney(amts[j].h).Text
		if t != m.Text && !contains(m.Mentions, t) {
			m.Mentions = append(m.Mentions, t)
		}
	}
	return &m
}

// amountFigure turns an amount that no deal reports into a prior or other
// figure: earlier rounds and other kinds keep their kind; a valuation, a
// raise or an investor's share left without a deal becomes "other". It
// reports false for the amounts that deals report and for conversions.
func (d *doc) amountFigure(a amount, amts []amount, deals []*dealB) (news.Figure, bool) {
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
			return f, false
		}
		f.Kind, f.Note = "other", "valuation with no deal"
	case roleRaise, roleRestate:
		if a.deal >= 0 {
			return f, false
		}
		f.Kind = "other"
	case roleInvAmt:
		if d.dealFor(amts, deals, a.sent, a.h.qi) >= 0 {
			return f, false
		}
		f.Kind = "other"
	default:
		return f, false
	}
	m := d.toMoney(a.h)
	v := m.Value
	f.Value, f.Currency, f.Text, f.Span, f.Approx, f.Qualifier, f.Max = &v, m.Currency, m.Text, m.Span, m.Approx, m.Qualifier, m.Max
	if f.Note == "" {
		f.Note = a.note
	}
	return f, true
}

// powerFigure turns a power or energy figure that no deal pays for into
// an other figure.
func (d *doc) powerFigure(p powerHit) news.Figure {
	s, e := d.spanOf(p.ti, p.tj)
	v := p.value
	f := news.Figure{Text: d.text[s:e], Span: news.Span{Start: s, End: e}, Approx: p.qualifier != "", Qualifier: p.qualifier, Note: d.powerWhat(p)}
	if p.energy {
		f.Kind, f.Value = "energy", &v
	} else {
		f.Kind, f.ValueWatts = "other", &v
	}
	return f
}

// outDeal turns one deal of the analysis into the wire shape; money builds
// a figure with its conversion and restatements.
func (d *doc) outDeal(a *analysis, db *dealB, conf float64, money func(int) *news.Money) news.Deal {
	nd := news.Deal{Company: d.companyForm(a, db.company), Round: db.round, Investors: []news.Investor{}, Capacity: []news.Capacity{}, Acquirer: db.acquirer}
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
	ivs := d.mergeShortForms(d.mergeOwned(db.investors))
	shared := d.sharedFigures(a.amts, ivs)
	for x, iv := range ivs {
		inv := news.Investor{Name: iv.name, Canonical: iv.canonical, Lead: iv.lead, Span: iv.span}
		if p := a.prob(d.normName(iv.name)); p != nil {
			inv.Confidence = round3(invProb(p))
		}
		if iv.amt >= 0 && !shared[x] {
			inv.Amount = money(iv.amt)
			inv.Amount.Confidence = a.amtConf(iv.amt, amShare)
		}
		nd.Investors = append(nd.Investors, inv)
	}
	for _, p := range db.capacity {
		s, e := d.spanOf(p.ti, p.tj)
		nd.Capacity = append(nd.Capacity, news.Capacity{ValueWatts: p.value, Text: d.text[s:e], Span: news.Span{Start: s, End: e}, What: d.powerWhat(p), Approx: p.qualifier != "", Qualifier: p.qualifier, Confidence: a.powerConf(p)})
	}
	if s, e, ok := d.evidence(db); ok {
		nd.Evidence, nd.EvidenceSpan = d.text[s:e], news.Span{Start: s, End: e}
	}
	nd.Confidence = round3(conf)
	return nd
}

// sharedFigures returns the investors of a deal that lose their figure
// because it is given to another of them too and the text does not say
// each gave it ("€5m each", "each of whom put in €5m"): one
// investor's share goes to the one named nearest to it, and a combined
// amount would be no one investor's alone.
func (d *doc) sharedFigures(amts []amount, ivs []investorB) map[int]bool {
	var out map[int]bool
	for i, iv := range ivs {
		if iv.amt < 0 || out[i] {
			continue
		}
		h := amts[iv.amt].h
		best, bestDist, n := i, d.spanDist(iv.span, h), 1
		for j := i + 1; j < len(ivs); j++ {
			if ivs[j].amt != iv.amt {
				continue
			}
			n++
			if dist := d.spanDist(ivs[j].span, h); dist < bestDist {
				best, bestDist = j, dist
			}
		}
		if n < 2 || d.eachNear(h) || d.eachAfterGivers(h) {
			continue
		}
		for j := i; j < len(ivs); j++ {
			if ivs[j].amt == iv.amt && j != best {
				if out == nil {
					out = map[int]bool{}
				}
				out[j] = true
			}
		}
	}
	return out
}

// spanDist is the distance in bytes between a name and a figure.
func (d *doc) spanDist(sp news.Span, h moneyHit) int {
	fs, fe := int(d.toks[h.qi].start), int(d.toks[h.tj-1].end)
	switch {
	case sp.End <= fs:
		return fs - sp.End
	case sp.Start >= fe:
		return sp.Start - fe
	}
	return 0
}

// eachNear reports "each" just after a figure or a few words before it
// ("$5 million each", "each of whom put in €5m").
func (d *doc) eachNear(h moneyHit) bool {
	for i := max(0, h.qi-6); i < min(len(d.toks), h.tj+2); i++ {
		if (i < h.qi || i >= h.tj) && d.in("extract.each", i) {
			return true
		}
	}
	return false
}

// mergeShortForms folds an investor named once in full and once without
// its last words into one, when those words only say it is an
// organisation ("Larchmont Equity" in a headline, "Larchmont Equity
// Partners" in the body): the full name stays, in the earlier one's place,
// lead if either is.
func (d *doc) mergeShortForms(ivs []investorB) []investorB {
	if len(ivs) < 2 {
		return ivs
	}
	var out []investorB
	gone := make([]bool, len(ivs))
	for i := range ivs {
		for j := range ivs {
			if i != j && !gone[i] && !gone[j] && d.shortFormOf(ivs[i].key, ivs[j].key) {
				long := &ivs[j]
				long.lead = long.lead || ivs[i].lead
				if long.amt < 0 {
					long.amt = ivs[i].amt
				}
				if i < j {
					ivs[i], ivs[j] = *long, ivs[i] // the full name takes the earlier place
					gone[j] = true
				} else {
					gone[i] = true
				}
			}
		}
	}
	for i, iv := range ivs {
		if !gone[i] {
			out = append(out, iv)
		}
	}
	return out
}

// ownedName returns the name after a possessive owner: "Juniper Lane
// Capital" of "Marta Quist’s Juniper Lane Capital", "Climate Fund" of
// "Orvane’s Climate Fund". The owned name must start with a capital.
func ownedName(name string) (string, bool) {
	best := -1
	for _, m := range [...]string{"’s ", "'s ", "s’ ", "s' "} {
		if i := strings.LastIndex(name, m); i >= 0 && i+len(m) > best {
			best = i + len(m)
		}
	}
	if best < 0 || best >= len(name) {
		return "", false
	}
	rest := name[best:]
	r, _ := utf8.DecodeRuneInString(rest)
	if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
		return "", false
	}
	return rest, true
}

// mergeOwned gives an investor written with its owner ("Marta Quist’s
// Juniper Lane Capital") the owned name as its canonical name, and folds
// the same investor named without its owner in the deal ("Juniper Lane
// Capital" beside "Marta Quist’s Juniper Lane Capital") into it, lead if
// either is.
func (d *doc) mergeOwned(ivs []investorB) []investorB {
	var out []investorB
	gone := make([]bool, len(ivs))
	for i := range ivs {
		owned, ok := ownedName(ivs[i].name)
		if !ok || gone[i] {
			continue
		}
		if ivs[i].canonical == "" || ivs[i].canonical == ivs[i].name {
			ivs[i].canonical = owned
		}
		key := d.normName(owned)
		for j := range ivs {
			if j == i || gone[j] || ivs[j].key == "" || !keysMatch(ivs[j].key, key) {
				continue
			}
			if _, own := ownedName(ivs[j].name); own {
				continue
			}
			ivs[i].lead = ivs[i].lead || ivs[j].lead
			if ivs[i].amt < 0 {
				ivs[i].amt = ivs[j].amt
			}
			gone[j] = true
		}
	}
	for i, iv := range ivs {
		if !gone[i] {
			out = append(out, iv)
		}
	}
	return out
}

// shortFormOf reports whether key short is key long without its last words
// and those words are organisation words ("equity" and "equity partners").
func (d *doc) shortFormOf(short, long string) bool {
	rest, ok := strings.CutPrefix(long, short+" ")
	if !ok || short == "" {
		return false
	}
	for _, w := range strings.Fields(rest) {
		if w == "" || !d.v.org[strings.ToUpper(w[:1])+w[1:]] {
			return false
		}
	}
	return true
}

// maxEvidence bounds a deal's evidence in bytes: a sentence longer than
// this (a table, a list without full stops) is cut to the tokens around
// the deal's anchor, so that a record stays small whatever the text.
const maxEvidence = 1000

// evidence returns the byte span of deal db's sentence, or of the
// maxEvidence bytes of it around the deal's anchor when it is longer.
func (d *doc) evidence(db *dealB) (int, int, bool) {
	sn := d.sents[db.sent]
	if sn.e <= sn.s {
		return 0, 0, false
	}
	s, e := d.spanOf(sn.s, sn.e)
	if e-s <= maxEvidence {
		return s, e, true
	}
	at := min(max(db.anchor, sn.s), sn.e-1)
	lo, hi := at, at+1
	for lo > sn.s && int(d.toks[hi-1].end)-int(d.toks[lo-1].start) <= maxEvidence/2 {
		lo--
	}
	for hi < sn.e && int(d.toks[hi].end)-int(d.toks[lo].start) <= maxEvidence {
		hi++
	}
	s, e = d.spanOf(lo, hi)
	return s, e, true
}

// maxDoubtful bounds the rejected deals kept with an extraction: the most
// believed ones, in text order.
const maxDoubtful = 20

func mostDoubtful(ds []doubtfulDeal) []doubtfulDeal {
	if len(ds) <= maxDoubtful {
		return ds
	}
	idx := make([]int, len(ds))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int { return cmp.Compare(ds[y].conf, ds[x].conf) })
	idx = idx[:maxDoubtful]
	slices.Sort(idx)
	out := make([]doubtfulDeal, len(idx))
	for k, i := range idx {
		out[k] = ds[i]
	}
	return out
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

// contains reports whether ss holds s (a figure's mentions: a few texts).
func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// anyRuleWord reports whether test(s, w) holds for some word w of class:
// the endings, starts and substrings that rules look for are kept in the
// word lists with the whole words (test is strings.HasSuffix,
// strings.HasPrefix or strings.Contains).
func (d *doc) anyRuleWord(class, s string, test func(s, w string) bool) bool {
	for w := range d.v.ruleWords[class] {
		if test(s, w) {
			return true
		}
	}
	return false
}
