package extract

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dealwire/dealwire/news"
)

// This file holds every feature template of the learned decisions. A
// feature is a template name and a value ("w-1=led", "cue_l=raisev",
// "rule=prior"); the values come from the text and the vocabularies, so no
// word is named here. The weights of each feature are learned by [Train].

// featSet collects the features of one candidate as hashes, and, while
// training, as names too.
type featSet struct {
	h     []uint64
	names []string
	train bool
	pre   *tmplHashes // when set, remembers each template's hash prefix
}

func (f *featSet) reset() {
	f.h = f.h[:0]
	f.names = f.names[:0]
}

func (f *featSet) add(tmpl, val string) {
	if f.pre != nil {
		f.h = append(f.h, fnvAdd(f.pre.prefix(tmpl), val))
	} else {
		f.h = append(f.h, featHash(tmpl, val))
	}
	if f.train {
		f.names = append(f.names, tmpl+"="+val)
	}
}

// add2 adds a feature whose value is two words joined by a space, without
// building the string unless training needs its name.
func (f *featSet) add2(tmpl, a, b string) {
	if f.pre != nil {
		f.h = append(f.h, fnvAdd(fnvAdd(fnvAdd(f.pre.prefix(tmpl), a), " "), b))
	} else {
		f.h = append(f.h, featHash2(tmpl, a, b))
	}
	if f.train {
		f.names = append(f.names, tmpl+"="+a+" "+b)
	}
}

func (f *featSet) flag(tmpl string, on bool) {
	if on {
		f.add(tmpl, "1")
	}
}

// tmpl is a feature template resolved once, when the package starts: its
// name and the hash state after "name=". Adding a feature through a tmpl
// hashes only its value, without the memo that featSet.add asks for the
// template's state (tmplHashes); the hashes are the same
// (TestTemplateHandles). The templates of the features asked of every
// name occurrence and money figure are resolved so.
type tmpl struct {
	name string
	h    uint64
}

// tmpls lists every resolved template, for the test.
var tmpls []tmpl

func newTmpl(name string) tmpl {
	t := tmpl{name: name, h: fnvAdd(fnvAdd(14695981039346656037, name), "=")}
	tmpls = append(tmpls, t)
	return t
}

// The resolved templates, named after their text.
var (
	tmBias              = newTmpl("bias")
	tmRuleCompany       = newTmpl("rule_company")
	tmRuleInvestor      = newTmpl("rule_investor")
	tmRuleLead          = newTmpl("rule_lead")
	tmRuleAcquirer      = newTmpl("rule_acquirer")
	tmRuleShare         = newTmpl("rule_share")
	tmGaz               = newTmpl("gaz")
	tmNtok              = newTmpl("ntok")
	tmCount             = newTmpl("count")
	tmLast              = newTmpl("last")
	tmShape             = newTmpl("shape")
	tmSentStart         = newTmpl("sent_start")
	tmPlace             = newTmpl("place")
	tmDemonym           = newTmpl("demonym")
	tmFirstName         = newTmpl("first_name")
	tmFirstName1        = newTmpl("first_name1")
	tmPerson            = newTmpl("person")
	tmRuleCompanyPerson = newTmpl("rule_company_person")
	tmCommonFirst       = newTmpl("common_first")
	tmCommonAll         = newTmpl("common_all")
	tmCommonStart       = newTmpl("common_start")
	tmTitleBefore       = newTmpl("title_before")
	tmPoss              = newTmpl("poss")
	tmLegal             = newTmpl("legal")
	tmPriorClause       = newTmpl("prior_clause")
	tmLhead             = newTmpl("lhead")
	tmCompSent          = newTmpl("comp_sent")
	tmWm1               = newTmpl("w-1")
	tmWm2               = newTmpl("w-2")
	tmWm21              = newTmpl("w-21")
	tmWp1               = newTmpl("w+1")
	tmWp2               = newTmpl("w+2")
	tmWp12              = newTmpl("w+12")
	tmWl                = newTmpl("wl")
	tmWr                = newTmpl("wr")
	tmCueL              = newTmpl("cue_l")
	tmCueL2             = newTmpl("cue_l2")
	tmCueR              = newTmpl("cue_r")
	tmCueR2             = newTmpl("cue_r2")
	tmListL             = newTmpl("list_l")
	tmListR             = newTmpl("list_r")
	tmLwm1              = newTmpl("lw-1")
	tmLwm21             = newTmpl("lw-21")
	tmRwp1              = newTmpl("rw+1")
	tmRwp12             = newTmpl("rw+12")
	tmLcue              = newTmpl("lcue")
	tmRcue              = newTmpl("rcue")
	tmAmtL              = newTmpl("amt_l")
	tmAmtR              = newTmpl("amt_r")
	tmAmtAny            = newTmpl("amt_any")
	tmDated             = newTmpl("dated")
	tmRule              = newTmpl("rule")
	tmRuleKind          = newTmpl("rule_kind")
	tmCur               = newTmpl("cur")
	tmMag               = newTmpl("mag")
	tmApprox            = newTmpl("approx")
	tmRange             = newTmpl("range")
	tmNthInSent         = newTmpl("nth_in_sent")
	tmAmtsInSent        = newTmpl("amts_in_sent")
	tmFirstInDoc        = newTmpl("first_in_doc")
	tmBiggerInSent      = newTmpl("bigger_in_sent")
	tmCompanyVsMain     = newTmpl("company_vs_main")
	tmBracketOwner      = newTmpl("bracket_owner")
	tmRuleKindDated     = newTmpl("rule_kind_dated")
	tmSeriesVsNews      = newTmpl("series_vs_news")
	tmSeriesVsNewsRule  = newTmpl("series_vs_news_rule")
	tmDocFigs           = newTmpl("doc_figs")
	tmRaisesAround      = newTmpl("raises_around")
	tmSideR             = newTmpl("side_r")
	tmSideL             = newTmpl("side_l")
	tmSideAny           = newTmpl("side_any")
)

func (f *featSet) addT(t tmpl, val string) {
	f.h = append(f.h, fnvAdd(t.h, val))
	if f.train {
		f.names = append(f.names, t.name+"="+val)
	}
}

// add2T is add2 through a resolved template.
func (f *featSet) add2T(t tmpl, a, b string) {
	f.h = append(f.h, fnvAdd(fnvAdd(fnvAdd(t.h, a), " "), b))
	if f.train {
		f.names = append(f.names, t.name+"="+a+" "+b)
	}
}

func (f *featSet) flagT(t tmpl, on bool) {
	if on {
		f.addT(t, "1")
	}
}

// Small integers as feature values without allocating.
var smallInts = func() []string {
	s := make([]string, 64)
	for i := range s {
		s[i] = strconv.Itoa(i)
	}
	return s
}()

func itoa(n int) string {
	if n < 0 {
		return "-"
	}
	if n >= len(smallInts) {
		return "big"
	}
	return smallInts[n]
}

// bucket maps a count to 0, 1, 2, 3, 4-7, 8+.
func bucket(n int) string {
	switch {
	case n < 4:
		return itoa(n)
	case n < 8:
		return "4-7"
	default:
		return "8+"
	}
}

// freeWhy names the reasons of freeList as feature values.
var freeWhy = [...]string{freeNoDeal: "nodeal", freeOther: "other"}

var roleNames = [...]string{roleOther: "other", roleRaise: "raise", roleValuation: "valuation", rolePrior: "prior", roleInvAmt: "share", roleEquiv: "equiv", roleRestate: "restate"}

// wordVal is the feature value of token i: its lower-cased text, or a
// marker at the edges of the sentence.
func (d *doc) wordVal(i, lo, hi int) string {
	switch {
	case i < lo:
		return "<s>"
	case i >= hi:
		return "</s>"
	case d.toks[i].kind == tkNumber:
		return "<num>"
	case d.toks[i].kind == tkNewline:
		return "<nl>"
	}
	return d.lw(i)
}

// context adds the words around tokens [s, e) within sentence bounds
// [lo, hi): the two on each side, the bigram before, and a bag of the
// words up to 8 tokens away on each side.
func (d *doc) context(f *featSet, s, e, lo, hi int) {
	w1, w2 := d.wordVal(s-1, lo, hi), d.wordVal(s-2, lo, hi)
	f.addT(tmWm1, w1)
	f.addT(tmWm2, w2)
	f.add2T(tmWm21, w2, w1)
	f.addT(tmWp1, d.wordVal(e, lo, hi))
	f.addT(tmWp2, d.wordVal(e+1, lo, hi))
	f.add2T(tmWp12, d.wordVal(e, lo, hi), d.wordVal(e+1, lo, hi))
	for k := max(lo, s-8); k < s-2; k++ {
		if d.toks[k].kind == tkWord {
			f.addT(tmWl, d.lw(k))
		}
	}
	for k := e + 2; k < min(hi, e+8); k++ {
		if d.toks[k].kind == tkWord {
			f.addT(tmWr, d.lw(k))
		}
	}
	for _, c := range d.cuesIn(max(lo, s-8), s) {
		f.addT(tmCueL, c.class)
		if c.e >= s-2 {
			f.addT(tmCueL2, c.class)
		}
	}
	for _, c := range d.cuesIn(e, min(hi, e+8)) {
		f.addT(tmCueR, c.class)
		if c.s <= e+1 {
			f.addT(tmCueR2, c.class)
		}
	}
}

// sentenceFeats adds what the sentence of token i says as a whole: its
// cue classes and round phrases, its position, whether it is the headline.
// Every name and figure of a sentence shares these: they are built and
// hashed once per sentence, into one arena per text, so that time stays
// linear and a sentence costs no allocation.
func (d *doc) sentenceFeats(f *featSet, k int) {
	if d.sentFeat == nil || d.sentTrain != f.train {
		d.sentFeat = resize(d.sc.sentFeat, len(d.sents))
		d.sentRank = resize(d.sc.sentRank, len(d.sents))
		d.sentHash = d.sc.sentHash[:0]
		d.sentNames = d.sc.sentNames[:0]
		d.sentTrain = f.train
		r := int32(0)
		for x, o := range d.sents {
			d.sentRank[x] = r // metadata lines do not count
			if !o.noise {
				r++
			}
		}
	}
	sp := &d.sentFeat[k]
	if !sp.built {
		sf := featSet{h: d.sentHash, names: d.sentNames, train: f.train, pre: f.pre}
		lo := len(sf.h)
		d.buildSentenceFeats(&sf, k)
		d.sentHash, d.sentNames = sf.h, sf.names
		*sp = sentFeats{lo: int32(lo), hi: int32(len(sf.h)), built: true}
	}
	f.h = append(f.h, d.sentHash[sp.lo:sp.hi]...)
	if f.train {
		f.names = append(f.names, d.sentNames[sp.lo:sp.hi]...)
	}
}

// sentFeats locates the features of one sentence in the doc's arena
// (doc.sentHash, doc.sentNames).
type sentFeats struct {
	lo, hi int32
	built  bool
}

// sentVal is a distinct cue class (round false) or round phrase (round
// true) of a sentence.
type sentVal struct {
	round bool
	v     string
}

func (d *doc) buildSentenceFeats(f *featSet, k int) {
	sn := d.sents[k]
	f.flag("headline", sn.headline)
	f.add("sent", bucket(int(d.sentRank[k])))
	var buf [16]sentVal
	vals := buf[:0]
	for i := sn.s; i < sn.e; i++ {
		if d.cueOff[i] == d.cueOff[i+1] && d.fact[i]&factRound == 0 {
			continue // no cue starts here and no round can (roundAt would say so)
		}
		for _, c := range d.cuesAt(i) {
			if v := (sentVal{false, c.class}); !slices.Contains(vals, v) {
				vals = append(vals, v)
			}
		}
		if r, _, ok := d.roundAt(i); ok {
			if v := (sentVal{true, r}); !slices.Contains(vals, v) {
				vals = append(vals, v)
			}
		}
	}
	for _, v := range vals {
		if !v.round {
			f.add("cue_s", v.v)
		} else {
			f.add("round_s", v.v)
		}
	}
}

// magnitude is the number of decimal digits of a value's integer part, as
// its plain notation ([news.Decimal.String]) writes it: 0.5 has one.
func magnitude(v news.Decimal) int {
	u := uint64(v.Coef)
	if v.Coef < 0 {
		u = -u
	}
	n := 0
	for ; u > 0; u /= 10 {
		n++
	}
	if n == 0 || n+int(v.Exp) < 1 {
		return 1
	}
	return n + int(v.Exp)
}

// amountFeats describes money figure j for the role decision; main is the
// text's main company as the rules read it (doc.mainCompany), "" if none.
func (d *doc) amountFeats(f *featSet, amts []amount, j int, main string) {
	a := amts[j]
	k := a.sent
	sn := d.sents[k]
	f.addT(tmBias, "1")
	if a.unowned {
		// The rules read a raise here but named nobody to receive it
		// ("La start-up a levé 4 millions d'euros"): not plain other money.
		f.addT(tmRule, "unowned")
	} else if a.ownDeal {
		// An investor's amount into a company no deal covers ("Tollhaus
		// invested $40 million in Brindle"): often a round, but as often
		// an earlier one, a share of the news or an outlay into a plant.
		f.addT(tmRule, "owndeal")
	} else {
		f.addT(tmRule, roleNames[a.role])
	}
	if a.kind != "" {
		f.addT(tmRuleKind, a.kind)
	}
	f.addT(tmCur, a.h.currency)
	f.addT(tmMag, itoa(magnitude(a.h.value)))
	f.flagT(tmApprox, a.h.qualifier != "")
	f.flagT(tmRange, a.h.max != nil)
	lo, hi := d.sentAmts(k)
	f.addT(tmNthInSent, bucket(j-lo))
	f.addT(tmAmtsInSent, bucket(hi-lo))
	bigger := 0
	for i := lo; i < hi && i < lo+16; i++ { // bounded: time stays linear
		if i != j && amts[i].h.currency == a.h.currency && amts[i].h.value.Float64() > a.h.value.Float64() {
			bigger++
		}
	}
	f.flagT(tmFirstInDoc, j == 0 || j == 1 && amts[1].role == roleEquiv)
	f.addT(tmBiggerInSent, bucket(bigger))
	docFigFeats(f, amts, j)
	if a.role != roleValuation { // a valuation is its deal's, whoever's sentence it is in
		f.addT(tmCompanyVsMain, d.companyVsMain(a, main))
	}
	_, owned := d.bracketOwner(a.h.qi, a.h.tj, sn)
	f.flagT(tmBracketOwner, owned)
	dated := d.dateFeats(f, a.h.qi, a.h.tj, sn.s, sn.e)
	if a.kind != "" && dated != "" {
		// An earlier round the rules read ("which raised $5 million in
		// 2019") is surer when a date sits in its clause.
		f.add2T(tmRuleKindDated, a.kind, dated)
	}
	if v := d.seriesVsNews(a); v != "" {
		f.addT(tmSeriesVsNews, v)
		f.add2T(tmSeriesVsNewsRule, roleNames[a.role], v)
	}
	d.aggFeats(f, a.h.qi, a.h.tj, sn.s, sn.e)
	d.context(f, a.h.qi, a.h.tj, sn.s, sn.e)
	d.sentenceFeats(f, k)
}

// seriesVsNews compares the lettered round named beside a figure with the
// latest letter that the text's first sentence or the figure's own sentence
// names: a figure of a round lettered before it ("after its €8 million
// Series A, Tessaly takes €30 million in a Series B") is most often an
// earlier round of the same company; "" when no lettered round stands
// beside the figure.
func (d *doc) seriesVsNews(a amount) string {
	if !d.mayHoldRound(d.sentIdx(a.h.qi), lettered) {
		return "" // roundNear reads only the figure's sentence
	}
	r, _ := d.roundNear(a.h.qi, a.h.tj)
	if !strings.HasPrefix(r, "series ") {
		return ""
	}
	mine := r[len(r)-1]
	top := max(d.latestSeries(d.sents[0]), d.latestSeries(d.sents[a.sent]))
	switch {
	case mine < top:
		return "earlier"
	case mine == top:
		return "latest"
	}
	return ""
}

// mayHoldRound reports whether sentence k may hold a round phrase whose
// label is. It is false only when the round phrases found in the sentence
// (roundHits, which keeps up to eight a sentence) are all of them and none
// is: the rules that read round phrases within one sentence (roundNear for
// a figure, namedRoundNoFigure) are then spared their other readings.
func (d *doc) mayHoldRound(k int, is func(label string) bool) bool {
	hits := d.roundHits()
	if k < 0 || k >= len(hits) || len(hits[k]) >= 8 {
		return true
	}
	for _, h := range hits[k] {
		if is(h.label) {
			return true
		}
	}
	return false
}

// lettered reports a lettered round's label ("series b").
func lettered(label string) bool { return strings.HasPrefix(label, "series ") }

// latestSeries returns the latest letter (lower-cased) of the lettered
// rounds that sentence s names, 0 when it names none.
func (d *doc) latestSeries(s sentence) byte {
	var top byte
	for i := s.s; i < s.e && i < len(d.toks); i++ {
		if !d.inHot(hotSeries, i) {
			continue
		}
		if r, _, ok := d.roundAt(i); ok && strings.HasPrefix(r, "series ") {
			top = max(top, r[len(r)-1])
		}
	}
	return top
}

// docFigFeats says how many figures the text has and how many of them the
// rules read as raises before and after figure j: a roundup or a
// statistics piece names many, a story of one round few, and its first
// raise is most often the news.
func docFigFeats(f *featSet, amts []amount, j int) {
	before, after := 0, 0
	for i := range amts {
		if amts[i].role != roleRaise || i == j {
			continue
		}
		if i < j {
			before++
		} else {
			after++
		}
	}
	f.addT(tmDocFigs, bucket(len(amts)))
	f.add2T(tmRaisesAround, bucket(before), bucket(after))
}

// companyVsMain says whose figure a is, as the rules' company finder reads
// its sentence, against the text's main company: the main company's own
// ("main"), another company's ("other": a rival's round, a roundup's next
// item, an investor's fund), nobody's ("none"), or a text with no main
// company ("nomain").
func (d *doc) companyVsMain(a amount, main string) string {
	if main == "" {
		return "nomain"
	}
	c, _, _ := d.companyFor(a.h.qi, a.h.tj, a.sent, "", "")
	switch {
	case c == "":
		return "none"
	case d.normName(c) == d.normName(main):
		return "main"
	case d.v.isPlaceOrPeople(c):
		return "place" // a country's or a region's total, an investor's spending there
	}
	if _, known := d.v.gazCanon[d.normName(c)]; known {
		return "investor" // an investor's own outlay ("Tollhaus put $40 million into ...")
	}
	return "other"
}

// dateFeats says where the sentence dates what it reports: a year or a
// month name in the figure's clause or elsewhere in its sentence ("raised
// $3 million in 2018", "last July, it received"). News rounds are rarely
// dated in their own sentence; earlier rounds and statistics are.
func (d *doc) dateFeats(f *featSet, qi, tj, lo, hi int) string {
	cs, ce := d.clauseStart(qi), d.clauseEnd(tj)
	a, b := max(lo, qi-24), min(hi, tj+24) // bounded: time stays linear
	v := ""
	switch {
	case d.datesIn(max(a, cs), min(b, ce)) > 0:
		v = "clause"
	case d.datesIn(a, b) > 0:
		v = "sentence"
	}
	if v != "" {
		f.addT(tmDated, v)
	}
	return v
}

// powerFeats describes power figure p for the capacity decision.
func (d *doc) powerFeats(f *featSet, a *analysis, x int) {
	p, ruleCap, hasDeal := a.powers[x], a.caps[x], len(a.deals) > 0
	k := d.sentIdx(p.ti)
	sn := d.sents[k]
	f.add("bias", "1")
	f.flag("rule_cap", ruleCap)
	// The other power figures of the sentence ("3 GW of inference and 2 GW
	// of training"): coordinated figures usually share their fate.
	sib, sibCap := 0, false
	for y := max(0, x-4); y < min(len(a.powers), x+5); y++ {
		if y != x && !a.powers[y].energy && d.sentIdx(a.powers[y].ti) == k {
			sib++
			sibCap = sibCap || a.caps[y]
		}
	}
	f.add("power_sibs", bucket(sib))
	f.flag("sib_rule_cap", sibCap)
	f.flag("energy", p.energy)
	f.flag("deal_in_doc", hasDeal)
	f.add("mag", itoa(magnitude(p.value)))
	f.flag("approx", p.qualifier != "")
	lo, hi := d.sentAmts(k)
	raises := 0
	for i := lo; i < hi; i++ {
		if d.amts[i].role == roleRaise || d.amts[i].role == roleRestate {
			raises++
		}
	}
	f.add("raises_in_sent", bucket(raises))
	f.add("amts_in_sent", bucket(hi-lo))
	d.powerDocFeats(f, a, x, k)
	d.context(f, p.qi, p.tj, sn.s, sn.e)
	d.sentenceFeats(f, k)
}

// wattKey rounds a wattage to two significant digits, so that a figure
// and its rounded restatement ("99.4 MW", "99MW") count as one.
func wattKey(w float64) float64 {
	if w <= 0 {
		return w
	}
	p := math.Pow(10, math.Floor(math.Log10(w))-1)
	return math.Round(w/p) * p
}

// powerStats is what the document says of its power figures as a whole,
// gathered once so that each figure's features take constant time.
type powerStats struct {
	count  map[float64]int  // figures by wattage
	early  map[float64]bool // wattages named in the headline or the first two sentences
	sorted []float64        // every wattage, ascending
	// dealDist is, per sentence, how many sentences away the nearest
	// sentence naming a deal is; -1 without deals.
	dealDist []int
}

func (d *doc) powerStats(a *analysis) *powerStats {
	ps := &d.sc.pstats
	if ps.count == nil {
		ps.count, ps.early = map[float64]int{}, map[float64]bool{}
	}
	clear(ps.count)
	clear(ps.early)
	*ps = powerStats{count: ps.count, early: ps.early, sorted: ps.sorted[:0], dealDist: ps.dealDist}
	for _, q := range a.powers {
		if q.energy {
			continue
		}
		v := wattKey(q.value.Float64())
		ps.count[v]++
		if k := d.sentIdx(q.ti); d.sents[k].headline || k <= 1 {
			ps.early[v] = true
		}
		ps.sorted = append(ps.sorted, v)
	}
	slices.Sort(ps.sorted)
	n := len(d.sents)
	named := make([]bool, n)
	for _, db := range a.deals {
		if db.sent >= 0 && db.sent < n {
			named[db.sent] = true
		}
	}
	ps.dealDist = resize(ps.dealDist, n)
	last := -1 // forward: the nearest deal sentence at or before k
	for k := range n {
		if named[k] {
			last = k
		}
		ps.dealDist[k] = -1
		if last >= 0 {
			ps.dealDist[k] = k - last
		}
	}
	next := -1 // backward: at or after k
	for k := n - 1; k >= 0; k-- {
		if named[k] {
			next = k
		}
		if next >= 0 && (ps.dealDist[k] < 0 || next-k < ps.dealDist[k]) {
			ps.dealDist[k] = next - k
		}
	}
	return ps
}

// powerDocFeats places power figure x of sentence k among the document's
// power figures and deals: the funded plant is often the largest figure,
// named again (the headline, then the body), near the deal's sentence;
// pipelines, fleets and other sites are named once, away from it. (The
// figure's order among the others was tried and lost on the folds.)
func (d *doc) powerDocFeats(f *featSet, a *analysis, x, k int) {
	ps, v := a.pstats, wattKey(a.powers[x].value.Float64())
	at, _ := slices.BinarySearch(ps.sorted, v)
	f.add("pw_repeats", bucket(ps.count[v]-1))
	f.add("pw_larger", bucket(len(ps.sorted)-at-ps.count[v]))
	f.flag("pw_early", ps.early[v])
	if dist := ps.dealDist[k]; dist >= 0 {
		f.add("deal_dist", bucket(dist))
	}
}

// nameCand is one occurrence of a name that may be a company or an
// investor.
type nameCand struct {
	r         nameRef
	key       string // normName of the text
	text      string
	ruleComp  bool
	ruleInv   bool
	ruleLead  bool
	ruleAcq   bool
	ruleShare bool
	// ruleFree says why a list a cue reads as investing ("led by A and
	// B") went to no deal of the rules (freeNoDeal, freeOther), 0 when
	// the name is in no such list; ruleFreeLead that the cue leads.
	ruleFree     uint8
	ruleFreeLead bool
	count        int // occurrences of the key in the text
}

// shapeChars are the letters of a word's shape, and shapeText every shape
// of up to four of them by its number (each letter a digit 1 to 4 of base
// 5), so that wordShape returns a string without building it.
const shapeChars = "Xx9-"

var shapeText = func() (t [5 * 5 * 5 * 5]string) {
	for x := range t {
		var b []byte
		for p := 125; p > 0; p /= 5 {
			if c := x / p % 5; c > 0 {
				b = append(b, shapeChars[c-1])
			}
		}
		t[x] = string(b)
	}
	return t
}()

// shapeClass is the digit of each ASCII byte's shape letter in
// shapeChars, plus 1.
var shapeClass = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		switch {
		case c >= 'A' && c <= 'Z':
			t[c] = 1
		case c >= 'a' && c <= 'z':
			t[c] = 2
		case c >= '0' && c <= '9':
			t[c] = 3
		default:
			t[c] = 4
		}
	}
	return t
}()

// wordShape is a coarse shape of a word: "Xx", "XX", "x", "Xx9", ...
// An ASCII byte's letter is read from a table; other runes are asked of
// package unicode.
func wordShape(s string) string {
	x, n, last := 0, 0, byte(0)
	for i := 0; i < len(s); {
		var c byte
		if b := s[i]; b < utf8.RuneSelf {
			c = shapeClass[b]
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			switch {
			case unicode.IsUpper(r):
				c = 1
			case unicode.IsLower(r):
				c = 2
			case unicode.IsDigit(r):
				c = 3
			default:
				c = 4
			}
		}
		if c != last && n < 4 {
			x = x*5 + int(c)
			n++
		}
		last = c
	}
	return shapeText[x]
}

// keyFeats describes every occurrence of name key k for the role
// decision (they are pooled into the share of occurrences with each
// feature), and adds to each what any occurrence says of the side of the
// money the name stands on: a lender written once as the subject of its
// loan and twice elsewhere gives the money all the same.
func (d *doc) keyFeats(f *featSet, a *analysis, k *nameKey) {
	var sides uint16
	for _, i := range k.occ {
		sides |= d.nameFeats(f, &a.names[i])
	}
	for v := range sideNames {
		if sides&(1<<v) == 0 {
			continue
		}
		for range k.occ {
			f.addT(tmSideAny, sideNames[v])
		}
	}
}

// nameFeats describes one occurrence of a name for the role decision and
// returns the sides of the money it stands on, a bit per side.
func (d *doc) nameFeats(f *featSet, c *nameCand) uint16 {
	s, e := c.r.s, c.r.e
	k := d.sentIdx(s)
	sn := d.sents[k]
	f.addT(tmBias, "1")
	f.flagT(tmRuleCompany, c.ruleComp)
	f.flagT(tmRuleInvestor, c.ruleInv)
	f.flagT(tmRuleLead, c.ruleLead)
	f.flagT(tmRuleAcquirer, c.ruleAcq)
	f.flagT(tmRuleShare, c.ruleShare)
	if c.ruleFree != 0 && !c.ruleInv {
		// A list the rules read but gave to no deal: the model may have
		// the deal the rules missed, or the list is an earlier round's.
		f.add("rule_free", freeWhy[c.ruleFree])
		f.flag("rule_free_lead", c.ruleFreeLead)
	}
	f.flagT(tmGaz, c.r.canonical != "" || d.has(s, bitGaz) && d.gazAt(s) == e-s)
	f.addT(tmNtok, bucket(e-s))
	f.addT(tmCount, bucket(c.count))
	if e-s > 1 {
		// The last word of a longer name says what it is ("Capital",
		// "Bank", "Labs"); a one-word name's own text would only be
		// remembered, not generalised.
		f.addT(tmLast, d.lw(e-1))
	}
	d.nameWordFeats(f, c, s, e, sn)
	d.context(f, s, e, sn.s, sn.e)
	l, r := d.listContext(f, s, e, sn.s, sn.e)
	sides := d.sideFeats(f, s, e, sn)
	// A list dated in its sentence, or after a cue of the past in its
	// clause ("In 2019, A and B invested", "Past backers include A and
	// B"), names an earlier round's investors more often than this one's.
	d.dateFeats(f, l+1, r, sn.s, sn.e)
	f.flagT(tmPriorClause, d.hasCue("prior", max(sn.s, d.clauseStart(l+1)), l+1))
	f.addT(tmLhead, d.listHead(l, sn.s))
	// Investors are named beside the company they fund; names in a
	// sentence about other companies are its rivals, customers or
	// portfolio.
	f.flagT(tmCompSent, !c.ruleComp && k < len(d.compSent) && d.compSent[k])
	d.sentenceFeats(f, k)
	d.nearAmountFeats(f, k, s)
	return sides
}

// nameWordFeats describes the words of a name's occurrence s..e in
// sentence sn: its shape, and whether its words are places, nationalities,
// given names, a person's, common words, a title before it, a possessive
// or a legal form after it.
func (d *doc) nameWordFeats(f *featSet, c *nameCand, s, e int, sn sentence) {
	f.addT(tmShape, wordShape(d.tx(s)))
	f.flagT(tmSentStart, s == sn.s)
	f.flagT(tmPlace, d.has(s, bitPlace) && e-s == 1 || d.v.placeName[c.text] != "")
	f.flagT(tmDemonym, d.rawIn(s, setDemonym, d.v.demonym))
	f.flagT(tmFirstName, d.rawIn(s, setFirstName, d.v.firstName) && e-s >= 2 && e-s <= 3)
	f.flagT(tmFirstName1, d.rawIn(s, setFirstName, d.v.firstName) && e-s == 1)
	// A given name and a surname ("Ann Roe raised", "founded by Bo Lind")
	// name a founder or an angel, not the company; the rules' subject is
	// often such a person, so the model sees the two together.
	person := d.personLike(s, e)
	f.flagT(tmPerson, person)
	f.flagT(tmRuleCompanyPerson, person && c.ruleComp)
	// A name made of common words ("Apenas", "Fine Day for Robots")
	// is more often a sentence's opening or a headline than an
	// organisation; words/common_words.tsv holds each language's most
	// frequent words.
	allCommon := true
	for i := s; i < e; i++ {
		if d.toks[i].kind == tkWord && !d.lowIn(i, setCommon, d.v.common) {
			allCommon = false
		}
	}
	f.flagT(tmCommonFirst, d.lowIn(s, setCommon, d.v.common))
	f.flagT(tmCommonAll, allCommon)
	f.flagT(tmCommonStart, allCommon && s == sn.s)
	f.flagT(tmTitleBefore, s > 0 && d.lowIn(s-1, setTitle, d.v.title))
	if e < len(d.toks) && (d.is(e, "'") || d.is(e, "’")) {
		f.addT(tmPoss, "1")
	}
	if len(d.tx(e-1)) > 0 && utf8.RuneCountInString(d.tx(e-1)) <= 4 && d.lowIn(e-1, setLegal, d.v.legal) {
		f.addT(tmLegal, "1")
	}
}

// side is what a name's neighbourhood says of the side of the money it
// stands on (sideFeats); sideNames are the feature values.
type side uint8

const (
	sideNone side = iota
	sideGive
	sideGivePass
	sideGiveMod
	sideGet
	sideJoin
	sideObjGive
	sideModObj
	sideByGive
	sideObjGet
	sideToGive
	sideToGet
	sideToMoney
	sideObjJoin
)

var sideNames = [...]string{sideGive: "give", sideGivePass: "give_pass", sideGiveMod: "give_mod", sideGet: "get", sideJoin: "join", sideObjGive: "obj_give",
	sideModObj: "mod_obj", sideByGive: "by_give", sideObjGet: "obj_get", sideToGive: "to_give", sideToGet: "to_get", sideToMoney: "to_money",
	sideObjJoin: "obj_join"}

// sideVerbs reads the verbs around the names of one sentence, whose
// first token is lo, for sideFeats.
type sideVerbs struct {
	d    *doc
	lo   int
	head bool // the headline, whose verbs may be capitalised
}

// Classes of the verbs of words/rules_side.tsv in doc.sideVerb.
const (
	verbGive uint8 = iota + 1
	verbJoin
	verbGet
)

// sideVerbClasses are the word classes of verbGive, verbJoin and verbGet.
var sideVerbClasses = [...]string{verbGive: "side.give", verbJoin: "side.join", verbGet: "side.get"}

// indexSideVerbs finds, once per text, the verb of words/rules_side.tsv
// that starts at each token (doc.sideVerb), so that the names' windows
// read a table instead of matching phrases again at every token.
func (d *doc) indexSideVerbs() {
	d.sideVerb = resize(d.sc.sideVerb, len(d.toks))
	for i := range d.toks {
		if d.toks[i].kind != tkWord {
			continue // every verb starts with a word
		}
		e := d.entry(i)
		if e == nil || e.sideStart == 0 {
			continue // no verb of the three classes starts with it
		}
		for c := verbGive; c <= verbGet; c++ {
			if e.sideStart&(1<<c) == 0 {
				continue
			}
			if n := d.phraseAt(sideVerbClasses[c], i); n > 0 {
				d.sideVerb[i] = c<<4 | uint8(min(n, 15))
				break
			}
		}
	}
}

// at is the class and the length of the verb starting at token i, or 0,
// 0. A capitalised word is a verb only in the headline or as the
// sentence's first word: elsewhere it is a name's ("Estuaire Invest").
func (sv sideVerbs) at(i int) (uint8, int) {
	d := sv.d
	if i < 0 || i >= len(d.sideVerb) || d.sideVerb[i] == 0 || d.toks[i].cap && !sv.head && i != sv.lo {
		return 0, 0
	}
	v := d.sideVerb[i]
	return v >> 4, int(v & 15)
}

// sideScan bounds how far sideFeats reads from a name, in tokens.
const sideScan = 12

// sideFeats adds which side of the money a name occurrence [s, e) of
// sentence sn stands on, by the verbs of words/rules_side.tsv around
// it. The rules read the company as a raise's subject and the investors
// after cues; a lender or an investor written as the subject ("Norbank
// approves a loan for the Crucible park", "Tollhaus doubles down on game
// studio Brindle") looked like a company to the model, and the receiver
// after the verb like nothing in particular.
func (d *doc) sideFeats(f *featSet, s, e int, sn sentence) uint16 {
	if d.sideVerb == nil {
		d.indexSideVerbs()
	}
	var bits uint16
	sv := sideVerbs{d: d, lo: sn.s, head: sn.headline}
	if v := sv.after(e, sn.e); v != sideNone {
		f.addT(tmSideR, sideNames[v])
		bits |= 1 << v
	}
	if v := sv.before(s); v != sideNone {
		f.addT(tmSideL, sideNames[v])
		bits |= 1 << v
	}
	return bits
}

// after reads the verb a name ending before token e is the subject
// of, within [e, hi): "give" ("Alder invests", "Alder and Brook have
// backed"), "join" ("Alder leads", "Alder participated"), "give_pass"
// ("Brindle, backed by Alder"), "give_mod" ("Alder-backed"), "get"
// ("Brindle raises"), or none when a figure, a clause boundary, another
// name after other words, or more than three other words come first. A
// bracket after the name is skipped ("Banco Ejemplo (BE) approves").
func (sv sideVerbs) after(e, hi int) side {
	d := sv.d
	gaps := 0
	for j := e; j < min(hi, e+sideScan); j++ {
		if d.inAmount(j) {
			return sideNone
		}
		switch c, n := sv.at(j); c {
		case verbGive:
			switch {
			case j > e && d.is(j-1, "-"):
				return sideGiveMod
			case d.phraseAt("side.by", j+n) > 0:
				return sideGivePass
			}
			return sideGive
		case verbJoin:
			if d.phraseAt("side.by", j+n) > 0 {
				return sideGivePass
			}
			return sideJoin
		case verbGet:
			return sideGet
		}
		switch t := d.toks[j]; {
		case d.is(j, "("):
			k := j + 1
			for k < min(hi, j+sideScan) && !d.is(k, ")") {
				k++
			}
			j = k
		case t.kind == tkWord && t.cap:
			if gaps > 0 {
				return sideNone // another name after other words is the verb's subject
			}
		case t.kind == tkWord:
			if gaps++; gaps > 3 || d.phraseAt("side.to", j) > 0 {
				return sideNone
			}
		case d.is(j, "-"):
		default:
			if ok, _ := d.inList(j); !ok {
				return sideNone
			}
		}
	}
	return sideNone
}

// before reads what precedes a name starting at token s, within
// [lo, s), over up to six tokens of words that describe it ("game
// studio", "the"): "obj_give" right after a giving verb ("acquires
// Brindle"), "obj_join" after a verb of joining ("joined Brook"),
// "mod_obj" after a compound of a giving verb ("Alder-backed Brindle"),
// "by_give" after the agent of a passive ("backed by Alder"), "obj_get"
// after a receiving verb, and after a preposition of side.to what
// ofPrep reads before it ("invests in Brindle", "a loan to Brindle").
func (sv sideVerbs) before(s int) side {
	d, lo := sv.d, sv.lo
	for k, n := s-1, 0; k >= lo && n < 6; k, n = k-1, n+1 {
		if v := sv.ends(k); v != sideNone {
			return v
		}
		switch {
		case d.phraseAt("side.by", k) == 1:
			if v := sv.ends(k - 1); v == sideObjGive || v == sideObjJoin {
				return sideByGive
			}
			return sideNone
		case d.phraseAt("side.to", k) == 1:
			return sv.ofPrep(k)
		case d.toks[k].kind == tkWord, d.is(k, "-"), d.is(k, "."):
			continue
		}
		return sideNone
	}
	return sideNone
}

// ends reports the verb of side.give, side.join or side.get that ends
// at token k: "obj_give" ("mod_obj" when a hyphen glues it to the word
// before), "obj_join" or "obj_get"; none when no verb ends there.
func (sv sideVerbs) ends(k int) side {
	d, lo := sv.d, sv.lo
	for i := max(lo, k-3); i <= k; i++ {
		c, n := sv.at(i)
		if n != k-i+1 {
			continue
		}
		switch c {
		case verbGive:
			if d.is(i-1, "-") {
				return sideModObj
			}
			return sideObjGive
		case verbJoin:
			return sideObjJoin
		case verbGet:
			return sideObjGet
		}
	}
	return sideNone
}

// ofPrep reads the ten tokens before the preposition at p, nearest
// first, up to a clause boundary outside a figure: the first verb gives
// "to_give" (side.give or side.join: "invests in Brindle") or "to_get"
// ("raises $5 million for Brindle"); without one, a figure or a money noun
// (cue class raisen) gives "to_money" ("a loan to Brindle").
func (sv sideVerbs) ofPrep(p int) side {
	d, lo := sv.d, sv.lo
	money := false
	for k := p - 1; k >= max(lo, p-10); k-- {
		if d.inAmount(k) {
			money = true
			continue
		}
		if d.isBoundary(k) {
			break
		}
		switch sv.ends(k) {
		case sideObjGive, sideModObj, sideObjJoin:
			return sideToGive
		case sideObjGet:
			return sideToGet
		}
		for _, c := range d.cuesAt(k) {
			money = money || c.class == "raisen"
		}
	}
	if money {
		return sideToMoney
	}
	return sideNone
}

// personLike reports a name of two or three words that reads as a
// person's: a given name of the first-name data, then capitalised words in
// mixed case that are no organisation word, legal form or gazetteer name,
// the last not one of its language's common words ("Lila Sciences",
// "Dewey Scientific" are companies).
func (d *doc) personLike(s, e int) bool {
	if e-s < 2 || e-s > 3 || !d.rawIn(s, setFirstName, d.v.firstName) || d.has(s, bitGaz) {
		return false
	}
	for i := s + 1; i < e; i++ {
		t := d.tx(i)
		if d.toks[i].kind != tkWord || !d.isCap(i) || utf8.RuneCountInString(t) < 2 || strings.ToUpper(t) == t ||
			d.rawIn(i, setOrg, d.v.org) || d.lowIn(i, setLegal, d.v.legal) {
			return false
		}
	}
	return !d.lowIn(e-1, setCommon, d.v.common)
}

// nearAmountFeats adds the roles of the three figures on each side of a
// name starting at token s of sentence k: bounded, so that time stays
// linear in a sentence full of figures.
func (d *doc) nearAmountFeats(f *featSet, k, s int) {
	lo, hi := d.sentAmts(k)
	at := lo + sort.Search(hi-lo, func(x int) bool { return d.amts[lo+x].h.qi >= s })
	lo, hi = max(lo, at-3), min(hi, at+3)
	near := "none"
	for i := lo; i < hi; i++ {
		a := &d.amts[i]
		r := a.role
		if d.nameRoles != nil {
			r = d.nameRoles[i] // the decisions may have changed a.role since
		}
		if r == roleEquiv || r == roleRestate {
			continue
		}
		side := "r"
		if a.h.tj <= s {
			side = "l"
		}
		if side == "l" {
			f.addT(tmAmtL, roleNames[r])
		} else {
			f.addT(tmAmtR, roleNames[r])
		}
		near = roleNames[r]
	}
	f.addT(tmAmtAny, near)
}

// inList reports whether token i can sit inside a list of names: a
// capitalised word, a number, a comma, an ampersand, a possessive, a
// conjunction or a connector.
func (d *doc) inList(i int) (bool, bool) {
	f := d.fact[i]
	return f&factList != 0, f&factListSep != 0
}

// listAround walks from a name over the list it sits in, within [lo, hi):
// l and r are the first tokens outside the list on each side, sepL and sepR
// whether a comma or conjunction was crossed on that side.
func (d *doc) listAround(s, e, lo, hi int) (l, r int, sepL, sepR bool) {
	l = s - 1
	for ; l >= lo && s-l < 40; l-- {
		ok, sep := d.inList(l)
		if !ok {
			break
		}
		sepL = sepL || sep
	}
	r = e
	for ; r < hi && r-e < 40; r++ {
		ok, sep := d.inList(r)
		if !ok {
			break
		}
		sepR = sepR || sep
	}
	return l, r, sepL, sepR
}

// listContext adds the words and cues around the list a name sits in:
// every member of "led by A, B and C" sees "by" and the lead cue, every
// member of "A, B and C invested" sees the verb. It returns the first
// tokens outside the list on each side.
func (d *doc) listContext(f *featSet, s, e, lo, hi int) (int, int) {
	l, r, sepL, sepR := d.listAround(s, e, lo, hi)
	f.flagT(tmListL, sepL)
	f.flagT(tmListR, sepR)
	// Emitted for every member, the first and last too, so that all
	// members of a list look alike.
	f.addT(tmLwm1, d.wordVal(l, lo, hi))
	f.add2T(tmLwm21, d.wordVal(l-1, lo, hi), d.wordVal(l, lo, hi))
	f.addT(tmRwp1, d.wordVal(r, lo, hi))
	f.add2T(tmRwp12, d.wordVal(r, lo, hi), d.wordVal(r+1, lo, hi))
	for _, c := range d.cuesIn(max(lo, l-4), l+1) { // lo is a sentence start, never negative
		if c.e >= l-1 && c.e <= l+1 {
			f.addT(tmLcue, c.class)
		}
	}
	for _, c := range d.cuesIn(r, min(hi, r+3)) {
		f.addT(tmRcue, c.class)
	}
	return l, r
}

// linkFeats describes the pair of a name occurrence [s, e) and money
// figure j for the decision whether the figure is that investor's share:
// their order and distance, the words and cues between them, the figure's
// rule role.
func (d *doc) linkFeats(f *featSet, amts []amount, s, e, j int) {
	am := amts[j]
	f.add("bias", "1")
	f.add("rule", roleNames[am.role])
	lo, hi, order := e, am.h.qi, "name_first"
	if am.h.tj <= s {
		lo, hi, order = am.h.tj, s, "amount_first"
	}
	f.add("order", order)
	f.add("dist", bucket(hi-lo))
	f.add2("order_dist", order, bucket(hi-lo))
	names, amounts := 0, 0
	for k := lo; k < hi; k++ {
		switch {
		case d.inAmount(k):
			amounts++
		case d.isCap(k) && (k == lo || !d.isCap(k-1)):
			names++
		case d.toks[k].kind == tkWord:
			f.add("between", d.lw(k))
		case d.toks[k].kind == tkPunct:
			f.add("between_p", d.tx(k))
		}
		for _, c := range d.cuesAt(k) {
			f.add("cue_between", c.class)
		}
	}
	f.add("names_between", bucket(names))
	f.add("amounts_between", bucket(amounts))
	if hi-lo <= 3 {
		var w []byte
		for k := lo; k < hi; k++ {
			w = append(w, d.lw(k)...)
			w = append(w, ' ')
		}
		f.add("gap_words", string(w))
	}
	k := d.sentIdx(am.h.qi)
	lo2, hi2 := d.sentAmts(k)
	f.add("amts_in_sent", bucket(hi2-lo2))
	sn := d.sents[k]
	// A name inside a list shares the list's figure; it is not its own.
	_, _, sepL, sepR := d.listAround(s, e, sn.s, sn.e)
	f.flag("in_list", sepL || sepR)
	f.add("w+1", d.wordVal(am.h.tj, sn.s, sn.e))
	f.add("w-1", d.wordVal(am.h.qi-1, sn.s, sn.e))
}

// roundFeats describes deal db for the decision of its kind of round: the
// rules' reading, the round phrases of its sentence (with their side and
// distance), of its neighbours (apart when no other deal stands there), of
// the headline and of the whole text, the cues of its sentence and of its
// neighbours, and where the text names lenders.
func (d *doc) roundFeats(f *featSet, a *analysis, db *dealB) {
	f.add("bias", "1")
	f.add("rule", roundClasses[roundClass(db.round)])
	k := db.sent
	if k < 0 || k >= len(d.sents) {
		return
	}
	sn := d.sents[k]
	hits := d.roundHits()
	for ks := max(0, k-1); ks <= k+1 && ks < len(hits); ks++ {
		for _, h := range hits[ks] {
			c := roundClasses[roundClass(h.label)]
			if ks != k {
				f.add("r_near", c)
				if !otherDealIn(a, db, ks) {
					f.add("r_free", c)
				}
				continue
			}
			side := "after"
			if h.at < db.anchor {
				side = "before"
			}
			f.add("r_sent", c)
			f.add2("r_sent_side", c, side)
			f.add2("r_sent_dist", c, bucket(max(h.at-db.anchor, db.anchor-h.at)))
		}
	}
	if len(d.sents) > 0 && d.sents[0].headline {
		for _, h := range hits[0] {
			f.add("r_head", roundClasses[roundClass(h.label)])
		}
	}
	for c, n := range d.roundCounts {
		if n > 0 {
			f.add2("r_doc", roundClasses[c], bucket(n))
		}
	}
	for _, c := range d.cuesIn(sn.s, sn.e) {
		f.add("cue_s", c.class)
	}
	d.lenderFeats(f, k)
	for ks := max(0, k-1); ks <= k+1 && ks < len(d.sents); ks++ {
		if ks != k {
			for _, c := range d.cuesIn(d.sents[ks].s, d.sents[ks].e) {
				f.add("cue_n", c.class)
			}
		}
	}
	if db.amt >= 0 && db.amt < len(a.amts) {
		am := a.amts[db.amt]
		f.add("cur", am.h.currency)
		f.add("mag", itoa(magnitude(am.h.value)))
		d.context(f, am.h.qi, am.h.tj, sn.s, sn.e)
	} else {
		f.add("no_amount", "1")
	}
}

// otherDealIn reports a deal other than db whose sentence is ks.
func otherDealIn(a *analysis, db *dealB, ks int) bool {
	for _, o := range a.deals {
		if o != db && o.sent == ks {
			return true
		}
	}
	return false
}

// lenderFeats adds where the text names lenders (deal.lender: "a
// consortium of four banks", "the lenders") for the deal of sentence k: in
// its sentence, in the sentences around it, and how often in the whole text.
func (d *doc) lenderFeats(f *featSet, k int) {
	counts, n := d.lenderCounts()
	// In sentence order, as the features were always added.
	for ks := max(k-1, 0); ks <= k+1 && ks < len(counts); ks++ {
		if counts[ks] == 0 {
			continue
		}
		if ks == k {
			f.add("lend", "sent")
		} else {
			f.add("lend", "near")
		}
	}
	if n > 0 {
		f.add("lend_doc", bucket(n))
	}
}

// lenderCounts returns how many tokens of each sentence name lenders
// (deal.lender) and how many the whole text does, counted once per text:
// lenderFeats is asked for every deal, and a long text has hundreds.
func (d *doc) lenderCounts() ([]int32, int) {
	if d.lendSent == nil {
		d.lendSent = resize(d.sc.lendSent, len(d.sents))
		d.lendDoc = 0
		for ks, sn := range d.sents {
			for i := sn.s; i < sn.e; i++ {
				if d.inHot(hotLender, i) { // deal.lender
					d.lendSent[ks]++
					d.lendDoc++
				}
			}
		}
	}
	return d.lendSent, d.lendDoc
}

// roundHit is a round phrase found in the text.
type roundHit struct {
	at    int
	label string
}

// roundHits returns the round phrases of the text per sentence, found once
// per text.
func (d *doc) roundHits() [][]roundHit {
	if d.rounds == nil {
		// The sentences' hits are runs of one pooled array, found in order.
		sc := d.sc
		hits := sc.roundFlat[:0]
		end := resize(sc.roundEnd, len(d.sents))
		d.roundCounts = resize(sc.roundCounts, len(roundClasses))
		for k, sn := range d.sents {
			start := len(hits)
			for i := sn.s; i < sn.e; i++ {
				if d.fact[i]&factRound == 0 {
					continue // no round starts here (roundAt would say so)
				}
				if r, _, ok := d.roundAt(i); ok && len(hits)-start < 8 {
					hits = append(hits, roundHit{i, r})
					d.roundCounts[roundClass(r)]++
				}
			}
			end[k] = int32(len(hits))
		}
		d.rounds = resize(sc.rounds, len(d.sents))
		if d.rounds == nil {
			d.rounds = [][]roundHit{} // found: a text without sentences
		}
		start := int32(0)
		for k := range d.rounds {
			d.rounds[k] = hits[start:end[k]:end[k]]
			start = end[k]
		}
		sc.roundFlat, sc.roundEnd, sc.roundCounts, sc.rounds = hits, end, d.roundCounts, d.rounds
	}
	return d.rounds
}
