package extract

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/dealwire/dealwire/news"
)

// The recognizers and rules propose; the model decides. decide takes the
// rule analysis (amounts with roles, deals with companies and investors,
// power figures) and lets the trained model re-decide the role of every
// money figure, whether each power figure is funded by a deal, and which
// names are companies, investors and leads. Every decision carries the
// model's probability as its confidence.

// Decision thresholds. A rule's answer stands unless the model disagrees
// clearly: the keep constants are the share of doubt a rule's fact
// survives (kept unless its probability falls below 1-keep). They were
// chosen on the cross-validation folds, never on documents scored with the
// same model.
const (
	keepProb     = 0.8  // a rule's deal figure is demoted below 0.2
	keepValProb  = 0.9  // a rule's valuation is demoted below 0.1
	keepInvProb  = 0.7  // a rule's investor is dropped below 0.3
	keepCapProb  = 0.9  // a rule's capacity is dropped below 0.1
	addProb      = 0.12 // a company is named where the rules had none above
	openProb     = 0.5  // a name opens a deal with no figure in a sentence of money or buying above
	addCapProb   = 0.3  // a power figure joins a deal above
	sureCapProb  = 0.5  // a deal's capacity above this makes its others rivals ...
	rivalCapProb = 0.4  // ... dropped below this
	addAmtProb   = 0.42 // a figure the rules did not take as a deal becomes one above
	addPriorProb = 0.55 // ... and above this when the rules read it as an earlier round
	namelessProb = 0.85 // ... and above this when the text names no company at all
	sameDealProb = 0.9  // ... and above this when the rules' company for it has that round already
	addInvProb   = 0.3  // a name the rules did not take as an investor becomes one above
	companyGain  = 0.15 // another name replaces the rule's company when its probability is higher by
	junkCompany  = 0.15 // a rule's company below this is replaced by any better name of its sentence, or dropped when it is one word
	shareProb    = 0.12 // a figure becomes an investor's own above
	// listMix is the weight of a name's own probabilities against the mean
	// of the list it is written in: the members of "A, B and C" play one
	// part, and the model, deciding each name alone, often splits them.
	listMix = 0.25
	// powerMix is the weight of a power figure's own probability against
	// the mean of the other figures of its sentence (smoothPowers).
	powerMix = 0.5
)

// analysis is the rule pipeline's state that decisions edit.
type analysis struct {
	amts   []amount
	powers []powerHit
	caps   []bool
	deals  []*dealB
	// Model output, filled by decide.
	amtProb  [][]float64 // class probabilities per amount, nil when not scored
	capProb  []float64   // capacity probability per power figure
	pstats   *powerStats // the document's power figures and deals as a whole, set before their features
	names    []nameCand
	keys     []nameKey
	keyProb  map[string][]float64 // class probabilities per name key, when set whole (tests)
	lazy     *nameProbs           // the same, each worked out when asked (scoreNames)
	dealConf []float64
	doubtful []doubtfulDeal // candidate deals the model rejected
	capWords map[string]int // occurrences of each capitalised word, for personKey
}

// doubtfulDeal is a candidate deal the model rejected, with its belief.
type doubtfulDeal struct {
	db   *dealB
	conf float64
}

// Candidates below this raise probability are not even kept as doubtful.
const doubtfulFloor = 0.2

// nameCands proposes every name occurrence: runs of capitalised words and
// gazetteer names, with their prefixes (a headline glues verbs onto names),
// and marks what the rules made of each.
func (d *doc) nameCands(a *analysis) []nameCand {
	sc := d.sc
	if sc.nameCount == nil {
		sc.nameCount = map[string]int{}
	}
	clear(sc.nameCount)
	cs := candSet{d: d, rule: ruleMarks(d, a), count: sc.nameCount, out: sc.names[:0]}
	defer func() { sc.names = cs.out[:0] }() // the buffer outlives the text; release clears it
	for k, sn := range d.sents {
		if !sn.noise {
			cs.sentence(k, sn)
		}
	}
	slices.SortStableFunc(cs.out, func(x, y nameCand) int {
		if x.r.s != y.r.s {
			return x.r.s - y.r.s
		}
		return y.r.e - x.r.e
	})
	for i := range cs.out {
		cs.out[i].count = cs.count[cs.out[i].key]
	}
	return cs.out
}

// ruleMarks records, per name key, what the rules made of the name.
func ruleMarks(d *doc, a *analysis) map[string]*nameCand {
	sc := d.sc
	rule := sc.ruleMark
	if rule == nil {
		rule = map[string]*nameCand{}
		sc.ruleMark = rule
	}
	clear(rule)
	// The marks are items of a pooled array; one that fills up is left to
	// the marks that point into it and a larger one taken.
	marks := sc.ruleMarks[:0]
	mark := func(name string, set func(c *nameCand)) {
		k := d.normName(name)
		if k == "" {
			return
		}
		c := rule[k]
		if c == nil {
			if len(marks) == cap(marks) {
				marks = make([]nameCand, 0, max(16, 2*cap(marks)))
			}
			marks = append(marks, nameCand{})
			c = &marks[len(marks)-1]
			rule[k] = c
		}
		set(c)
	}
	for _, db := range a.deals {
		mark(db.company, func(c *nameCand) { c.ruleComp = true })
		mark(db.acquirer, func(c *nameCand) { c.ruleAcq = true })
		for _, iv := range db.investors {
			mark(iv.name, func(c *nameCand) {
				c.ruleInv = true
				c.ruleLead = c.ruleLead || iv.lead
				c.ruleShare = c.ruleShare || iv.amt >= 0
			})
		}
	}
	for _, fl := range d.freeLists {
		for _, it := range fl.items {
			mark(d.nameText(it.nameRef), func(c *nameCand) {
				if c.ruleFree == 0 || fl.why < c.ruleFree {
					c.ruleFree = fl.why
				}
				c.ruleFreeLead = c.ruleFreeLead || fl.lead && !it.tail || it.lead
			})
		}
	}
	sc.ruleMarks = marks
	return rule
}

// candSet collects name candidates.
type candSet struct {
	d     *doc
	rule  map[string]*nameCand
	count map[string]int
	out   []nameCand
}

// add proposes tokens [s, e) as a name, unless it is a place or a
// nationality nobody made anything of.
func (cs *candSet) add(s, e int, canon string) {
	d := cs.d
	sub := nameRef{s: s, e: e, canonical: canon}
	c := nameCand{r: sub, text: d.nameText(sub)}
	c.key = d.spanKey(s, e)
	if c.key == "" {
		return
	}
	rc := cs.rule[c.key]
	if rc == nil && canon == "" && d.v.placeOrPeopleOnly(c.text) {
		return // a place or a nationality, by the public data sets, names no organisation
	}
	if rc != nil {
		c.ruleComp, c.ruleInv, c.ruleLead, c.ruleAcq, c.ruleShare = rc.ruleComp, rc.ruleInv, rc.ruleLead, rc.ruleAcq, rc.ruleShare
		c.ruleFree, c.ruleFreeLead = rc.ruleFree, rc.ruleFreeLead
	}
	cs.count[c.key]++
	cs.out = append(cs.out, c)
}

// sentence proposes the names of sentence k.
func (cs *candSet) sentence(k int, sn sentence) {
	d := cs.d
	// Names in sentences where no money moves matter only when the rules
	// made something of them; the others are not scored.
	quiet := !sn.headline && !d.moneySentence(k)
	if quiet && len(cs.rule) == 0 {
		return // the rules made nothing of any name
	}
	for i := sn.s; i < sn.e; {
		if d.fact[i]&factNameOpen == 0 {
			i++ // no name starts here: nameRun would say so
			continue
		}
		s, r, ok := d.nameRun(i, sn.e)
		if !ok {
			i++
			continue
		}
		if !quiet || d.ruleNamed(cs.rule, s, r.s, r.e) {
			if p, ok := d.titleInRun(r, sn.e); ok {
				// "Teleport-Gründer Ann Roe", "Founder Bo Lind": the
				// person is the candidate, not the run with the title.
				cs.run(sn, p.s, p)
				i = max(r.e, p.e)
				continue
			}
			cs.run(sn, s, r)
		}
		i = r.e
	}
}

// run proposes a name run and its prefixes (longest first): a headline
// glues its verb onto the name, and the model picks the best cut.
func (cs *candSet) run(sn sentence, s int, r nameRef) {
	d := cs.d
	cuts := 1
	if sn.headline || sn.s == 0 {
		cuts = 4 // title case glues verbs onto names only here
	}
	for e := r.e; e > r.s && r.e-e < cuts; e-- {
		if e < r.e && (d.toks[e-1].kind != tkWord || d.lowIn(e-1, setConnect, d.v.connect)) {
			continue
		}
		canon := ""
		if e == r.e {
			canon = r.canonical
		}
		cs.add(s, e, canon)
		if s < r.s && d.toks[r.s].gap {
			cs.add(r.s, e, canon) // without the leading article or number
		}
	}
}

// decide applies the model to the rule analysis.
func (d *doc) decide(m *Model, a *analysis) {
	d.amts = a.amts
	// Every candidate is scored on the rules' analysis first, as in
	// training; the edits come after.
	f := featSet{h: d.sc.feats[:0], pre: &d.sc.tmpl} // its buffers are reused from text to text
	defer func() { d.sc.feats = f.h[:0] }()
	if m.tasks[taskAmount].trained {
		d.scoreAmounts(m, a, &f)
	}
	if m.tasks[taskPower].trained {
		d.scorePowers(m, a, &f)
	}
	if m.tasks[taskName].trained {
		d.scoreNames(m, a, &f)
	}
	if a.amtProb != nil {
		d.decideAmounts(a)
	}
	if a.named() {
		d.openNoFigureDeals(a)
	}
	if a.capProb != nil {
		d.decidePowers(a)
	}
	if a.amtProb != nil {
		d.adoptOrphanValuations(a)
	}
	if a.named() && len(a.deals) > 0 {
		d.investorSubjects(a)
		d.decideInvestors(a)
		d.decideCompanies(a)
		if m.tasks[taskLink].trained {
			d.decideShares(m, a, &f)
		}
	}
	if m.tasks[taskRound].trained {
		d.decideRounds(m, a, &f)
	}
	soleLenderWhole(a)
	d.dropPastShares(a)
	d.dealConfidence(a)
}

// dropPastShares takes from the deals' investors the shares the rules
// read as set in the past.
func (d *doc) dropPastShares(a *analysis) {
	for _, db := range a.deals {
		for x := range db.investors {
			iv := &db.investors[x]
			if iv.amt < 0 || iv.amt >= len(a.amts) || iv.amt == db.amt {
				continue
			}
			if am := &a.amts[iv.amt]; am.role == rolePrior || d.priorContext(am) {
				iv.amt = -1
			}
		}
	}
}

// soleLenderWhole takes a loan's or grant's whole figure back from its one
// lender or grant maker, once the round is decided: the text that says "Norrvik
// Bank lends $40 million to Kestrel" tells the loan, and the corpus gives it
// to the lender as its own share 2 times in 59 (../shared/realnews, sole
// lenders and grant makers with a deal figure), where the rules' share
// readers ("lends", "will provide", "from") give it nearly always.
// decideShares already keeps the link model from giving it.
func soleLenderWhole(a *analysis) {
	for _, db := range a.deals {
		if len(db.investors) != 1 || db.round != "debt" && db.round != "grant" {
			continue
		}
		iv := &db.investors[0]
		if iv.amt < 0 || iv.amt >= len(a.amts) {
			continue
		}
		switch {
		case db.amt < 0:
			db.amt = iv.amt // the lender's figure is the loan's
		case !sameFigure(a.amts[iv.amt].h, a.amts[db.amt].h):
			continue // a part of the loan ("£225 million of the £1.37 billion")
		}
		iv.amt = -1
	}
}

func (d *doc) scoreAmounts(m *Model, a *analysis, f *featSet) {
	lin := m.tasks[taskAmount]
	a.amtProb = make([][]float64, len(a.amts))
	nc := len(lin.classes)
	flat := make([]float64, len(a.amts)*nc) // one allocation for every figure's probabilities
	main := d.mainCompany(a.amts)
	for j := range a.amts {
		if !scored(a.amts[j].role) {
			continue
		}
		f.reset()
		d.amountFeats(f, a.amts, j, main)
		a.amtProb[j] = lin.probs(f.h, flat[j*nc:(j+1)*nc:(j+1)*nc])
	}
}

func (d *doc) scorePowers(m *Model, a *analysis, f *featSet) {
	lin := m.tasks[taskPower]
	a.capProb = make([]float64, len(a.powers))
	a.pstats = d.powerStats(a)
	var p []float64
	for i, pw := range a.powers {
		if pw.energy {
			continue
		}
		f.reset()
		d.powerFeats(f, a, i)
		p = lin.probs(f.h, p)
		a.capProb[i] = p[pwCapacity]
	}
	d.smoothPowers(a)
}

// smoothPowers mixes each power figure's probability with the mean of the
// other figures of its sentence: coordinated figures ("3 GW of inference
// and 2 GW of training") are funded together or not at all, as the members
// of a list of names play one part (listMix).
func (d *doc) smoothPowers(a *analysis) {
	own := slices.Clone(a.capProb)
	for i, pw := range a.powers {
		if pw.energy {
			continue
		}
		k, sum, n := d.sentIdx(pw.ti), 0.0, 0
		for y := max(0, i-4); y < min(len(a.powers), i+5); y++ { // bounded: time stays linear
			if y != i && !a.powers[y].energy && d.sentIdx(a.powers[y].ti) == k {
				sum += own[y]
				n++
			}
		}
		if n > 0 {
			a.capProb[i] = powerMix*own[i] + (1-powerMix)*sum/float64(n)
		}
	}
}

// scoreNames proposes the name candidates and groups them by key; the
// name model's probabilities of a key are worked out when a decision first
// asks for them (analysis.prob), so that a name no decision asks about
// costs no features (one key in thirty on the real-news excerpts: the
// decisions ask of nearly every name where money moves). A key's probabilities do not depend on when
// they are asked: its features read the text, the candidates and the
// figures' roles as the rules left them, which are kept (nameRoles) before
// the decisions change them (TestLazyNameProbs).
func (d *doc) scoreNames(m *Model, a *analysis, f *featSet) {
	a.names = d.nameCands(a)
	a.keys = d.groupNames(a)
	d.markCompSent(a)
	roles := d.sc.nameRoles[:0]
	for i := range d.amts {
		roles = append(roles, d.amts[i].role)
	}
	d.nameRoles, d.sc.nameRoles = roles, roles
	np := &d.sc.nprobs
	np.start(d, a, m.tasks[taskName], f.pre)
	a.lazy = np
}

// nameProbs are the name model's class probabilities per name key (the
// index of analysis.keys), each worked out on first use. The members of a
// written list (writtenLists: "A, B and C") play one part, and the model,
// deciding each name alone, often splits them; so a member's
// probabilities are pulled towards the mean of its list's (listMix), and
// a name written in several lists keeps the mean of its mixes. Its
// buffers live in the doc's scratch and are reused from text to text.
type nameProbs struct {
	d    *doc
	a    *analysis
	lin  *linear
	f    featSet
	vals []float32 // pool's values of the key being scored
	tmp  []uint64  // sortHashes' scratch
	cnt  []int32
	flat []float64   // the raw probabilities, len(classes) per key
	raw  [][]float64 // per key: the model's own probabilities, nil until worked out
	prob [][]float64 // per key: after mixing with its lists, nil until worked out
	// The lists key x is written in are lists[inList[inOff[x]:inOff[x+1]]],
	// in the order of writtenLists; mean[g] is list g's mean, nil until
	// worked out.
	lists  [][]string
	joined []bool // per list: whether a descriptor joins its parts (descriptorJoin)
	inOff  []int32
	inList []int32
	next   []int32
	mean   [][]float64
}

// start sets np up for the keys of a.
func (np *nameProbs) start(d *doc, a *analysis, lin *linear, pre *tmplHashes) {
	nk, nc := len(a.keys), len(lin.classes)
	np.d, np.a, np.lin = d, a, lin
	np.f = featSet{h: np.f.h[:0], pre: pre}
	np.flat = resize(np.flat, nk*nc)
	np.raw = resize(np.raw, nk)
	np.prob = resize(np.prob, nk)
	np.lists, np.joined = d.writtenLists(a, np.joined[:0])
	np.mean = resize(np.mean, len(np.lists))
	// Count the lists of each key, then list them in order.
	np.inOff = resize(np.inOff, nk+1)
	at := d.sc.keyAt
	for _, keys := range np.lists {
		if len(keys) < 2 {
			continue
		}
		for _, k := range keys {
			np.inOff[at[k]+1]++
		}
	}
	for x := range nk {
		np.inOff[x+1] += np.inOff[x]
	}
	np.inList = resize(np.inList, int(np.inOff[nk]))
	next := append(np.next[:0], np.inOff[:nk]...) // where each key's next list goes
	np.next = next
	for g, keys := range np.lists {
		if len(keys) < 2 {
			continue
		}
		for _, k := range keys {
			x := at[k]
			np.inList[next[x]] = int32(g)
			next[x]++
		}
	}
}

// release drops np's references to the text.
func (np *nameProbs) release() {
	clear(np.raw)
	clear(np.prob)
	clear(np.mean)
	clear(np.lists)
	np.d, np.a, np.lists = nil, nil, nil
}

// rawAt is the model's own probabilities of key x.
func (np *nameProbs) rawAt(x int) []float64 {
	if p := np.raw[x]; p != nil {
		return p
	}
	d, a, f := np.d, np.a, &np.f
	k := &a.keys[x]
	f.reset()
	d.keyFeats(f, a, k)
	feats, vals := f.h, []float32(nil)
	if len(k.occ) > 1 {
		// A name seen more than once drops the repeats by sorting,
		// cheaper than a set (see nameKeys).
		np.tmp, np.cnt = sortHashes(feats, np.tmp, np.cnt)
		feats, np.vals = pool(feats, len(k.occ), np.vals[:0])
		vals = np.vals
	}
	nc := len(np.lin.classes)
	p := np.lin.probsV(feats, vals, np.flat[x*nc:(x+1)*nc:(x+1)*nc])
	np.raw[x] = p
	return p
}

// sortHashes sorts feature hashes hs in place, as slices.Sort does, with
// tmp and cnt as scratch, which it returns for reuse. Hashes spread evenly
// over their values, so a list dealt by its top bits into half as many
// buckets as it has hashes is nearly sorted, and one pass of insertion
// sort finishes it with a move or two per hash; should the moves pass
// eight per hash (hashes that crowd into few buckets), slices.Sort
// finishes instead.
func sortHashes(hs, tmp []uint64, cnt []int32) ([]uint64, []int32) {
	n := len(hs)
	if n < 32 {
		slices.Sort(hs)
		return tmp, cnt
	}
	shift := 64 - (bits.Len(uint(n)) - 1) // n/2 < buckets <= n
	cnt = resize(cnt, 1<<(64-shift)+1)
	for _, h := range hs {
		cnt[h>>shift+1]++
	}
	for x := 1; x < len(cnt); x++ {
		cnt[x] += cnt[x-1] // cnt[x] is where bucket x starts
	}
	tmp = append(tmp[:0], hs...)
	for _, h := range tmp {
		x := h >> shift
		hs[cnt[x]] = h
		cnt[x]++
	}
	moves := 0
	for i := 1; i < len(hs); i++ {
		v, j := hs[i], i
		for j > 0 && hs[j-1] > v {
			hs[j] = hs[j-1]
			j--
		}
		hs[j] = v
		if moves += i - j; moves > 8*n {
			slices.Sort(hs)
			break
		}
	}
	return tmp, cnt
}

// at is the probabilities of key x: its own, or where it is written in
// lists, the mean of its mixes with each list's mean.
func (np *nameProbs) at(x int) []float64 {
	if p := np.prob[x]; p != nil {
		return p
	}
	p := np.rawAt(x)
	if lo, hi := np.inOff[x], np.inOff[x+1]; hi > lo {
		p = mixLists(p, np.inList[lo:hi], np.listMean, np.joined)
	}
	np.prob[x] = p
	return p
}

// mixLists is a member's probabilities p mixed with the lists it is
// written in, by index in in: the mean of its mixes with each written
// list's mean, then lifted by each list that descriptors join
// (liftBacker); mean gives a list's mean, or for a joined list its most
// believed backer.
func mixLists(p []float64, in []int32, mean func(int) []float64, joined []bool) []float64 {
	acc := make([]float64, len(p))
	n := 0
	for _, g := range in {
		if joined[g] {
			continue
		}
		m := mean(int(g))
		for c, v := range p {
			acc[c] += listMix*v + (1-listMix)*m[c]
		}
		n++
	}
	if n == 0 {
		copy(acc, p)
	} else {
		for c := range acc {
			acc[c] /= float64(n)
		}
	}
	for _, g := range in {
		if joined[g] {
			liftBacker(acc, mean(int(g)))
		}
	}
	return acc
}

// liftBacker raises how likely p (in place) is a backer, lead or not, to
// its mix with m, the most believed backer of a list descriptors join
// (listMean), when that is higher, keeping its own share of lead among
// the two and of company among the rest. The name model, deciding each
// name alone, often believes one part of such a list and not the other
// ("Alder and Brook, growth fund Cobalt"); a part may be a lead and the
// other its followers, or no backer at all, so the list only lifts.
func liftBacker(p, m []float64) {
	back := p[nmInvestor] + p[nmLead]
	t := listMix*back + (1-listMix)*(m[nmInvestor]+m[nmLead])
	if t <= back || back <= 0 || back >= 1 {
		return
	}
	up, down := t/back, (1-t)/(1-back)
	for c := range p {
		if c == nmInvestor || c == nmLead {
			p[c] *= up
		} else {
			p[c] *= down
		}
	}
}

// listMean is the mean of the own probabilities of list g's members, or
// for a list descriptors join, those of its most believed backer.
func (np *nameProbs) listMean(g int) []float64 {
	if m := np.mean[g]; m != nil {
		return m
	}
	keys := np.lists[g]
	at := np.d.sc.keyAt
	if np.joined[g] {
		// A list descriptors join lifts by its most believed backer.
		var best []float64
		for _, k := range keys {
			if p := np.rawAt(at[k]); best == nil || p[nmInvestor]+p[nmLead] > best[nmInvestor]+best[nmLead] {
				best = p
			}
		}
		np.mean[g] = best
		return best
	}
	mean := make([]float64, len(np.lin.classes))
	for _, k := range keys {
		for c, p := range np.rawAt(at[k]) {
			mean[c] += p / float64(len(keys))
		}
	}
	np.mean[g] = mean
	return mean
}

// prob is the name model's probabilities of key, nil when no name of the
// text has that key.
func (a *analysis) prob(key string) []float64 {
	if a.lazy == nil {
		return a.keyProb[key]
	}
	x, ok := a.lazy.d.sc.keyAt[key]
	if !ok {
		return nil
	}
	return a.lazy.at(x)
}

// probAt is the name model's probabilities of key a.keys[x].
func (a *analysis) probAt(x int) []float64 {
	if a.lazy == nil {
		return a.keyProb[a.keys[x].key]
	}
	return a.lazy.at(x)
}

// named reports whether the name model has scored the text's names.
func (a *analysis) named() bool { return a.keyProb != nil || a.lazy != nil }

// writtenLists returns the keys of the members of every list of names,
// one key per member, and appends to joined whether a descriptor joins
// the parts of each (descriptorJoin).
func (d *doc) writtenLists(a *analysis, joined []bool) ([][]string, []bool) {
	segs, lists, spans := d.listMembers(a)
	defer clear(segs) // drop references to the keys
	out := make([][]string, 0, len(lists))
	for _, ls := range lists {
		segs := segs[ls.l:ls.r]
		if len(segs) < 2 || len(segs) < 3 && !d.hasConj(segs[len(segs)-2].e, segs[len(segs)-1].s) {
			continue // "A, B" without a conjunction is as often "A, Outlet reported"; three or more names by commas are a list
		}
		out = append(out, listKeys(segs, true))
		joined = append(joined, false)
	}
	// Lists come in the order of their first token, and the members of
	// consecutive lists are consecutive runs of segs: lists that go on
	// across descriptors make one more list of all their members.
	for x := 0; x < len(lists); x++ {
		y := x
		for y+1 < len(lists) && d.descriptorJoin(spans[y], spans[y+1]) {
			y++
		}
		if y > x {
			// A place in such a list is where a member sits ("Alder of
			// Dunmore, growth fund Brook"), not a member.
			if keys := listKeys(segs[lists[x].l:lists[y].r], false); len(keys) >= 2 {
				out = append(out, keys)
				joined = append(joined, true)
			}
		}
		x = y
	}
	return out, joined
}

// listMembers reads the list around every name of a and gives each
// member segment the key of the longest name inside it. The lists'
// members are runs of one pooled array: list x is segs[lists[x].l:lists[x].r],
// and spans[x] its tokens.
func (d *doc) listMembers(a *analysis) (segs []listMember, lists, spans []listSpan) {
	sc := d.sc
	at := sc.listAt
	if at == nil {
		at = map[listSpan]int{}
		sc.listAt = at
	}
	clear(at)
	segs, lists, spans = sc.listSegs[:0], sc.lists[:0], sc.listToks[:0]
	maxE := -1 // names come sorted by start, longer first
	for i := range a.names {
		c := &a.names[i]
		nested := c.r.e < maxE || c.r.e == maxE && i > 0 && a.names[i-1].r.s < c.r.s
		maxE = max(maxE, c.r.e)
		if nested {
			continue // "Maki" inside "Maki.vc": the longer name speaks for the list
		}
		sn := d.sents[d.sentIdx(c.r.s)]
		// A name outside any list is kept too: a descriptor may join it
		// to the list before it (descriptorJoin).
		l, r, _, _ := d.listAround(c.r.s, c.r.e, sn.s, sn.e)
		x, ok := at[listSpan{l, r}]
		if !ok {
			x = len(lists)
			at[listSpan{l, r}] = x
			lo := len(segs)
			segs = d.listSegments(segs, l+1, r)
			lists = append(lists, listSpan{lo, len(segs)})
			spans = append(spans, listSpan{l, r})
		}
		for m := lists[x].l; m < lists[x].r; m++ {
			seg := &segs[m]
			if c.r.s >= seg.s && c.r.e <= seg.e && c.r.e-c.r.s > seg.n {
				seg.key, seg.n = c.key, c.r.e-c.r.s
				seg.place = d.has(c.r.s, bitPlace) && seg.n == 1 || d.v.placeName[c.text] != ""
			}
		}
	}
	sc.listSegs, sc.lists, sc.listToks = segs, lists, spans
	return segs, lists, spans
}

// listKeys returns the distinct keys of a list's members, without the
// members that are places unless places is set.
func listKeys(segs []listMember, places bool) []string {
	var keys []string
	for _, m := range segs {
		if m.key != "" && (places || !m.place) && !slices.Contains(keys, m.key) {
			keys = append(keys, m.key)
		}
	}
	return keys
}

// maxDescriptor is the most words a descriptor between two parts of a
// list may have (descriptorJoin).
const maxDescriptor = 5

// descriptorJoin reports whether list b (by listAround's bounds: the
// first tokens outside it) goes on with list a across a descriptor of
// b's first member: a ends with a comma or a conjunction, and only
// lower-case words stand between, none a verb or a title, the last a
// descriptor that says what b is ("Alder and Brook, growth fund Cobalt",
// "Cobalt and its lender Dune"). The list readers stop at such words;
// the name model, deciding each name alone, often believes one part of
// the list and not the other.
func (d *doc) descriptorJoin(a, b listSpan) bool {
	if a.r > b.l || b.l-a.r+1 > maxDescriptor || a.r < 1 {
		return false
	}
	if _, sep := d.inList(a.r - 1); !sep || d.sentIdx(a.r-1) != d.sentIdx(b.l+1) {
		return false
	}
	// A place opening either part, or b written as a modifier
	// ("Alder-based", "Alder’s parent"), is no member.
	if d.has(a.l+1, bitPlace) || d.has(b.l+1, bitPlace) || d.is(b.r-1, "-") || d.is(b.r-1, "'") || d.is(b.r-1, "’") {
		return false
	}
	for k := a.r; k <= b.l; k++ {
		// A title tells a person's place of work ("Ann Roe, managing
		// partner at Alder"), not a fellow member.
		if d.toks[k].kind != tkWord || d.isCap(k) || d.lowIn(k, setVerb, d.v.verb) || d.lowIn(k, setTitle, d.v.title) {
			return false
		}
	}
	// The descriptor ends in what the member is ("fund", "lender"), not
	// in an article or a preposition ("a unit of Alder", "from beyond
	// Alder").
	return d.lowIn(b.l, setDesc, d.v.desc) && !d.in("investors.list_word", b.l)
}

// listSpan is a range [l, r): of tokens, or of a pooled array's items.
type listSpan struct{ l, r int }

// listMember is one item of a written list: tokens [s, e) and the key of
// the longest name written in it.
type listMember struct {
	s, e  int
	key   string
	n     int  // tokens of the chosen name: the longest wins
	place bool // the chosen name is a place
}

// listSegments splits tokens [s, e) at commas and conjunctions into the
// members of a list. The list ends after the member that follows its
// conjunction: in "A and B, Outlet reported" only A and B are members.
// The members are appended to segs.
func (d *doc) listSegments(segs []listMember, s, e int) []listMember {
	start, conj := s, false
	for i := s; i <= e; i++ {
		sepTok := false
		isConj := false
		if i < e {
			_, sep := d.inList(i)
			sepTok = sep
			isConj = sep && d.toks[i].kind == tkWord
		}
		if i < e && !sepTok {
			continue
		}
		if i > start {
			segs = append(segs, listMember{s: start, e: i})
			if conj {
				break
			}
		}
		conj = conj || isConj
		start = i + 1
	}
	return segs
}

// hasConj reports whether tokens [s, e) hold a conjunction.
func (d *doc) hasConj(s, e int) bool {
	for i := s; i < e; i++ {
		if d.toks[i].kind == tkWord && d.lowIn(i, setConj, d.v.conj) {
			return true
		}
	}
	return false
}

// nameKey is one distinct name of a text with the features of its
// occurrences averaged (see pool): the decision is about the name, as the labels are.
type nameKey struct {
	key   string
	first int // first occurrence in analysis.names
	occ   []int
	feats []uint64
	vals  []float32 // share of the occurrences with each feature; nil when one occurrence
	names []string  // feature names, while training
}

// nameKeys groups name occurrences by key, in order of first occurrence,
// and gives each key the mean of its occurrences' features.
func (d *doc) nameKeys(a *analysis, f *featSet) []nameKey {
	sc := d.sc
	keys := d.groupNames(a)
	type named struct {
		h    uint64
		name string
	}
	var buf []named
	arena, valArena := sc.arena[:0], sc.valArena[:0]
	defer func() { sc.arena, sc.valArena = arena[:0], valArena[:0] }()
	d.markCompSent(a)
	for x := range keys {
		k := &keys[x]
		f.reset()
		d.keyFeats(f, a, k)
		if !f.train {
			// One arena for every key's features; a name seen more than
			// once drops the repeats by sorting, cheaper than a set.
			n := len(arena)
			arena = append(arena, f.h...)
			k.feats = arena[n:len(arena):len(arena)]
			if len(k.occ) > 1 {
				slices.Sort(k.feats)
				nv := len(valArena)
				k.feats, valArena = pool(k.feats, len(k.occ), valArena)
				k.vals = valArena[nv:len(valArena):len(valArena)]
			}
			continue
		}
		buf = buf[:0]
		for j, h := range f.h {
			buf = append(buf, named{h, f.names[j]})
		}
		if len(k.occ) > 1 {
			slices.SortStableFunc(buf, func(p, q named) int { return cmp.Compare(p.h, q.h) })
		}
		for _, n := range buf {
			k.feats = append(k.feats, n.h)
		}
		if len(k.occ) > 1 {
			buf = slices.CompactFunc(buf, func(p, q named) bool { return p.h == q.h })
			k.feats, k.vals = pool(k.feats, len(k.occ), nil) // training keeps the values
		}
		for _, n := range buf {
			k.names = append(k.names, n.name)
		}
	}
	return keys
}

// markCompSent marks the sentences that name a company of the rules'
// deals (doc.compSent), before the name features read them.
func (d *doc) markCompSent(a *analysis) {
	d.compSent = resize(d.sc.compSent, len(d.sents))
	for i := range a.names {
		if a.names[i].ruleComp {
			d.compSent[d.sentIdx(a.names[i].r.s)] = true
		}
	}
}

// groupNames lists the distinct keys of the name occurrences in order of
// first occurrence, each with its occurrences. The slots and their lists
// are the doc's scratch, reused from text to text.
func (d *doc) groupNames(a *analysis) []nameKey {
	sc := d.sc
	keys := sc.keys[:0]
	at := sc.keyAt
	if at == nil {
		at = make(map[string]int, len(a.names))
		sc.keyAt = at
	}
	clear(at)
	for i := range a.names {
		c := &a.names[i]
		x, ok := at[c.key]
		if !ok {
			x = len(keys)
			at[c.key] = x
			if x < cap(keys) {
				// Reuse the slot of an earlier text, its occurrence list too.
				keys = keys[:x+1]
				keys[x] = nameKey{key: c.key, first: i, occ: keys[x].occ[:0]}
			} else {
				keys = append(keys, nameKey{key: c.key, first: i})
			}
		}
		keys[x].occ = append(keys[x].occ, i)
	}
	sc.keys = keys
	return keys
}

// scored reports whether an amount's role is one the model decides;
// conversions follow the figure they convert. A restatement follows the
// raise it restates, but is scored: when the model rejects that raise, a
// restatement it believes carries the deal (demote).
func scored(r role) bool {
	return r != roleEquiv
}

func (d *doc) decideAmounts(a *analysis) {
	st := newAmountState(d, a)
	for j := range a.amts {
		p := a.amtProb[j]
		if p == nil {
			continue
		}
		am := &a.amts[j]
		// A teaser line's figure ("Read also: ...") is another article's:
		// set aside by the rules, never promoted.
		setAside := (am.role == roleOther && genericKind(am.kind) && !noDealNote(am.note) || am.role == rolePrior) && !d.sents[am.sent].teaser
		// A self-declared investment ("X would make an investment of $Y")
		// stands as the rules read it; an investor's amount the rules made a
		// deal of its own (ownDeal) is the model's to decide.
		switch {
		case am.role == roleRaise && p[amRaise] < 1-keepProb && am.deal >= 0 && am.deal < len(a.deals) && !(am.selfInv && !am.ownDeal):
			st.demote(j, p)
		case am.role == roleRaise && p[amRaise] <= addAmtProb && am.deal >= 0 && am.deal < len(a.deals) && !(am.selfInv && !am.ownDeal) && d.unnamed(a, a.deals[am.deal]):
			// A raise whose company the rules could not name stands
			// only as a figure they set aside would be promoted: a
			// statistics piece's totals and the figures of texts
			// about places and programmes carry no company.
			st.demote(j, p)
		case setAside && p[amRaise] > addAmtProb && (am.role != rolePrior || p[amRaise] > addPriorProb) && !st.dealVals[valKey(am.h)]:
			st.promote(j, p)
		case setAside && p[amRaise] >= doubtfulFloor && !st.dealVals[valKey(am.h)]:
			a.doubtful = append(a.doubtful, doubtfulDeal{db: st.deal(j), conf: min(p[amRaise], addAmtProb)})
		case am.role == roleValuation && p[amValuation] < 1-keepValProb:
			for _, db := range a.deals {
				db.vals = slices.DeleteFunc(db.vals, func(v int) bool { return v == j })
			}
			am.role, am.deal = demoted(p), -1
		}
	}
	d.adoptValuations(a)
	// A deal whose figure the model rejected and that has nothing else
	// to say is no deal; its capacities are free to join another deal
	// (decidePowers), as a power figure the rules gave to no deal is.
	a.deals = slices.DeleteFunc(a.deals, func(db *dealB) bool {
		drop := db.amt < 0 && len(db.investors) == 0 && len(db.vals) == 0 && st.anchors[db.anchor]
		if drop {
			for _, pw := range db.capacity {
				if x, ok := a.powerIndex(pw); ok {
					a.caps[x] = false
				}
			}
		}
		return drop
	})
	d.renumberDeals(a)
}

// adoptValuations gives a deal without a valuation the valuation of its
// sentence that the rules read but gave to no deal: their deal was the
// model's to find ("took in $12 million, which puts its valuation at
// $90 million", where the rules saw no raise).
func (d *doc) adoptValuations(a *analysis) {
	held := map[int]bool{}
	bySent := map[int]int{} // the first deal with a figure in each sentence
	for x, db := range a.deals {
		for _, v := range db.vals {
			held[v] = true
		}
		if _, ok := bySent[db.sent]; !ok && db.amt >= 0 {
			bySent[db.sent] = x
		}
	}
	for j := range a.amts {
		am := &a.amts[j]
		if am.role != roleValuation || held[j] {
			continue
		}
		if x, ok := bySent[am.sent]; ok && len(a.deals[x].vals) == 0 && a.deals[x].amt != j {
			am.deal = x
			a.deals[x].vals = append(a.deals[x].vals, j)
		}
	}
}

// adoptOrphanValuations gives the valuations that no deal holds, and that
// the model believes valuations more than anything else, to the deal they
// belong to by position (dealFor), when that deal has no valuation yet:
// the rules read the valuation before the model found its deal ("the $240
// million round made Quillbox a $2 billion company" where the deal was
// opened from the headline, or without a figure).
func (d *doc) adoptOrphanValuations(a *analysis) {
	if len(a.deals) == 0 {
		return
	}
	held := map[int]bool{}
	for _, db := range a.deals {
		for _, v := range db.vals {
			held[v] = true
		}
	}
	for j := range a.amts {
		am := &a.amts[j]
		if am.role != roleValuation || held[j] || !mostLikely(a.amtProb[j], amValuation) {
			continue
		}
		x := d.dealFor(a.amts, a.deals, am.sent, am.h.qi)
		if x < 0 || x >= len(a.deals) || len(a.deals[x].vals) > 0 {
			continue
		}
		am.deal = x
		a.deals[x].vals = append(a.deals[x].vals, j)
		held[j] = true
	}
}

// mostLikely reports whether class c is the most probable of p.
func mostLikely(p []float64, c int) bool {
	if c >= len(p) {
		return false
	}
	for _, q := range p {
		if q > p[c] {
			return false
		}
	}
	return true
}

// amountState is what the amount decisions of one text share: who
// restates which figure, which tokens anchor figures, the figures and the
// rounds per company that deals have already.
type amountState struct {
	d                   *doc
	a                   *analysis
	main                string
	mainDone            bool
	restates            map[int][]int
	anchors             map[int]bool
	dealVals            map[valID]bool
	rounds              map[string][]string
	compKnown, compText bool // whether the text names a company (companyInText)
}

func newAmountState(d *doc, a *analysis) *amountState {
	st := &d.sc.amtState
	if st.anchors == nil {
		*st = amountState{restates: map[int][]int{}, anchors: map[int]bool{}, dealVals: map[valID]bool{}, rounds: map[string][]string{}}
	}
	clear(st.restates)
	clear(st.anchors)
	clear(st.dealVals)
	clear(st.rounds)
	*st = amountState{d: d, a: a, restates: st.restates, anchors: st.anchors, dealVals: st.dealVals, rounds: st.rounds}
	for x, am := range a.amts {
		if am.role == roleRestate {
			st.restates[am.restateOf] = append(st.restates[am.restateOf], x)
		}
		st.anchors[am.h.qi] = true
	}
	for _, db := range a.deals {
		if db.amt >= 0 {
			st.dealVals[valKey(a.amts[db.amt].h)] = true
		}
		st.addRound(db)
	}
	return st
}

// addRound records db's round for its company; bounded, so that time
// stays linear.
func (st *amountState) addRound(db *dealB) {
	if k := st.d.normName(db.company); len(st.rounds[k]) < 8 {
		st.rounds[k] = append(st.rounds[k], db.round)
	}
}

// deal builds the deal figure j would anchor, with the rules' company and
// round.
func (st *amountState) deal(j int) *dealB {
	if !st.mainDone {
		st.main, st.mainDone = st.d.mainCompany(st.a.amts), true
	}
	am := st.a.amts[j]
	db := &dealB{anchor: am.h.qi, sent: am.sent, amt: j}
	st.d.fillDeal(db, am.h.qi, am.h.tj, st.main)
	return db
}

// demote takes figure j from its deal, which becomes doubtful, and gives
// it the role the model prefers; its restatements follow it.
func (st *amountState) demote(j int, p []float64) {
	a := st.a
	am := &a.amts[j]
	db := a.deals[am.deal]
	if db.amt == j {
		a.doubtful = append(a.doubtful, doubtfulDeal{db: db.snapshot(), conf: p[amRaise]})
		db.amt = -1
	}
	am.role, am.deal = demoted(p), -1
	if am.role == rolePrior && am.kind == "" {
		am.kind = "round"
	}
	for _, x := range st.restates[j] {
		a.amts[x].role, a.amts[x].deal = roleOther, -1
	}
	// The figure may be told again where the text reports the deal
	// plainly (a headline "Fine Day for Fintech: €7 Million" before
	// "Quellmark has closed a €7 million round"): the restatement the model
	// believes a raise carries the deal instead. It passes promote's checks,
	// so a restatement whose company is the rejected deal's own needs
	// sameDealProb.
	best := -1
	for _, x := range st.restates[j] {
		if q := a.amtProb[x]; q != nil && q[amRaise] > addAmtProb && (best < 0 || q[amRaise] > a.amtProb[best][amRaise]) {
			best = x
		}
	}
	if best >= 0 {
		st.promote(best, a.amtProb[best])
	}
}

// promote makes figure j the amount of a new deal, unless the text names
// no company at all, or its company's round is reported already (the rules
// fall back on the text's main company, so a roundup's next item often
// looks like the same deal), and the model is not sure enough.
func (st *amountState) promote(j int, p []float64) {
	db := st.deal(j)
	if db.company == "" && p[amRaise] < namelessProb && !st.companyInText() {
		return // a figure in a text that names nobody to receive it needs more belief
	}
	if st.d.sameDeal(st.rounds, db) && p[amRaise] < sameDealProb {
		return // a headline's other figure for a deal the body reports
	}
	if (db.round == "" || db.round == "unknown") && st.firstDeal(db) {
		// As the rules' first deal: the round the text names elsewhere
		// ("The Series A was led by ...").
		if r := st.d.docRound(st.a.amts); r != "" {
			db.round = r
		}
	}
	st.addRound(db)
	am := &st.a.amts[j]
	am.role, am.kind, am.deal = roleRaise, "", len(st.a.deals)
	st.a.deals = append(st.a.deals, db)
	st.dealVals[valKey(am.h)] = true
}

// firstDeal reports whether deal db comes before every deal with a figure.
func (st *amountState) firstDeal(db *dealB) bool {
	for _, o := range st.a.deals {
		if o.amt >= 0 && o.anchor < db.anchor {
			return false
		}
	}
	return true
}

// companyInText reports whether the text names a company at all: a name
// the model takes for one (above addProb) or the rules' main company. A
// figure in a text that names nobody ("The startup raised $3 million.")
// has nobody to go to.
func (st *amountState) companyInText() bool {
	if st.compKnown {
		return st.compText
	}
	st.compKnown = true
	if !st.mainDone {
		st.main, st.mainDone = st.d.mainCompany(st.a.amts), true
	}
	st.compText = st.main != ""
	for x := range st.a.keys {
		if p := st.a.probAt(x); p != nil && p[nmCompany] > addProb {
			st.compText = true
			break
		}
	}
	return st.compText
}

// demoted is the role the model gives a figure it does not take as a
// raise or valuation.
func demoted(p []float64) role {
	switch {
	case p[amPrior] >= p[amOther] && p[amPrior] >= p[amShare]:
		return rolePrior
	case p[amShare] > p[amOther]:
		return roleInvAmt
	}
	return roleOther
}

// renumberDeals sorts deals by position and points amounts at them again.
func (d *doc) renumberDeals(a *analysis) {
	slices.SortStableFunc(a.deals, func(x, y *dealB) int { return x.anchor - y.anchor })
	at := map[int]int{}
	for i, db := range a.deals {
		if db.amt >= 0 {
			at[db.amt] = i
		}
	}
	for j := range a.amts {
		am := &a.amts[j]
		switch am.role {
		case roleRaise:
			if i, ok := at[j]; ok {
				am.deal = i
			} else {
				am.deal = -1
			}
		case roleRestate:
			if i, ok := at[am.restateOf]; ok {
				am.deal = i
			} else {
				am.deal = -1
			}
		}
	}
	d.indexDeals(a.deals)
}

func (d *doc) decidePowers(a *analysis) {
	for i, pw := range a.powers {
		if !fundable(pw) {
			continue
		}
		p := a.capProb[i]
		switch {
		case a.caps[i] && p < 1-keepCapProb:
			for _, db := range a.deals {
				db.capacity = slices.DeleteFunc(db.capacity, func(x powerHit) bool { return x.ti == pw.ti })
			}
			a.caps[i] = false
		case !a.caps[i] && p > addCapProb && len(a.deals) > 0:
			db := a.deals[d.nearestDeal(a, d.sentIdx(pw.ti))]
			db.capacity = append(db.capacity, pw)
			a.caps[i] = true
		case !a.caps[i] && p > sureCapProb && d.fundingText(a):
			d.openCapacityDeal(a, pw)
			a.caps[i] = true
		}
	}
	for _, db := range a.deals {
		dropRivalCaps(a, db)
	}
}

// openCapacityDeal opens a deal for power figure pw in a text where no
// deal was found: the model is sure the plant is financed ("the bank will
// fund the 312 MW of wind farms" with the loans' total not read), so the
// plant is the deal's, with the company and round the rules read at the
// figure; decideCompanies names the deal when the rules found no company.
// Later power figures join it as they join any deal.
func (d *doc) openCapacityDeal(a *analysis, pw powerHit) {
	db := &dealB{anchor: pw.ti, sent: d.sentIdx(pw.ti), amt: -1}
	db.round, _ = d.roundNear(pw.qi, pw.tj)
	db.capacity = append(db.capacity, pw)
	a.deals = append(a.deals, db)
	d.indexDeals(a.deals)
}

// fundingText reports whether the text says anywhere that money moves (a
// raise, lending or acquisition cue): a text of earnings or installed
// capacity names plants that nobody finances. A cue whose object is a
// power figure moves power, not money ("the agency awarded only 100 MW to
// Brindle" in a tender's results).
func (d *doc) fundingText(a *analysis) bool {
	for _, sn := range d.sents {
		if sn.noise {
			continue
		}
		for _, c := range d.cuesIn(sn.s, sn.e) {
			if slices.Contains(moneyCues[:], c.class) && c.e <= sn.e && !d.powerObject(a, c.e) {
				return true
			}
		}
	}
	return false
}

// powerObject reports a power or energy figure that opens at token e, its
// qualifier included, or one word later unless that word is a determiner
// of power.determiner: the object of the cue that ends at e ("awarded only
// 100 MW", not "financing the 100 MW park").
func (d *doc) powerObject(a *analysis, e int) bool {
	x, _ := slices.BinarySearchFunc(a.powers, e, func(q powerHit, ti int) int { return q.ti - ti })
	if x == len(a.powers) {
		return false
	}
	qi := a.powers[x].qi
	return qi == e || qi == e+1 && d.toks[e].kind == tkWord && !d.in("power.determiner", e)
}

// dropRivalCaps takes from deal db the capacities the model doubts
// (below rivalCapProb) when it believes another of db's capacities
// (above sureCapProb): the plant financed beside the developer's
// pipeline or fleet ("the 80 MW Brackenfield plant, part of a 2 GW
// portfolio").
func dropRivalCaps(a *analysis, db *dealB) {
	if len(db.capacity) < 2 {
		return
	}
	best := 0.0
	for _, c := range db.capacity {
		best = max(best, a.capOf(c))
	}
	if best <= sureCapProb {
		return
	}
	db.capacity = slices.DeleteFunc(db.capacity, func(c powerHit) bool {
		if a.capOf(c) >= rivalCapProb {
			return false
		}
		if i, ok := a.powerIndex(c); ok {
			a.caps[i] = false
		}
		return true
	})
}

// powerIndex is the index of power figure p in a.powers (and a.caps,
// a.capProb); figures are told apart by their first token.
func (a *analysis) powerIndex(p powerHit) (int, bool) {
	return slices.BinarySearchFunc(a.powers, p.ti, func(q powerHit, ti int) int { return q.ti - ti })
}

// capOf is the model's capacity probability of power figure p, or 1 when
// no model scored it.
func (a *analysis) capOf(p powerHit) float64 {
	i, ok := a.powerIndex(p)
	if !ok || i >= len(a.capProb) {
		return 1
	}
	return a.capProb[i]
}

// nearestDeal is the deal named first in sentence k, else the last one
// named before it, else the first deal.
func (d *doc) nearestDeal(a *analysis, k int) int {
	if k < len(d.dealFirst) && d.dealFirst[k] >= 0 && int(d.dealFirst[k]) < len(a.deals) {
		return int(d.dealFirst[k])
	}
	if k < len(d.dealLast) && d.dealLast[k] >= 0 && int(d.dealLast[k]) < len(a.deals) {
		return int(d.dealLast[k])
	}
	return 0
}

// invProb is the probability that a name is an investor (lead or not).
func invProb(p []float64) float64 { return p[nmInvestor] + p[nmLead] }

func (d *doc) decideInvestors(a *analysis) {
	tk := d.keepRuleInvestors(a)
	// Only the names addModelInvestor could add are ranked: a name it
	// turns away whatever the deals have taken (a place, or named only
	// where no money moves) takes nothing either, so leaving it out
	// changes neither the order of the others nor what they find taken,
	// and its probabilities need not be worked out.
	order := make([]int, 0, len(a.keys))
	inv := make([]float64, len(a.keys)) // looked up once, not per comparison
	for i := range a.keys {
		if !d.mayAddInvestor(a, a.keys[i]) {
			continue
		}
		order = append(order, i)
		inv[i] = invProb(a.probAt(i))
	}
	slices.SortStableFunc(order, func(x, y int) int {
		return cmp.Compare(inv[y], inv[x])
	})
	for _, x := range order {
		k := a.keys[x]
		if inv[x] <= addInvProb {
			break
		}
		d.addModelInvestor(a, k, tk)
	}
}

// mayAddInvestor reports whether addModelInvestor may add name k, by the
// tests that do not depend on the names the deals have taken.
func (d *doc) mayAddInvestor(a *analysis, k nameKey) bool {
	if d.v.placeOrPeopleOnly(a.names[k.first].text) {
		return false
	}
	_, ok := d.dealContext(a, k)
	return ok
}

// takenNames are the names a text's deals use already: companies, buyers,
// investors, and the gazetteer names of investors ("a16z" after "Andreessen
// Horowitz"); byWord indexes them by first word for prefix matches.
// The maps and the list live in the doc's pooled buffers (clear resets them).
type takenNames struct {
	key, canon map[string]bool
	byWord     map[string]int32 // a first word's last name in names, plus 1
	names      []takenName
}

// takenName is a taken name and the one before it with its first word.
type takenName struct {
	key  string
	prev int32 // plus 1; 0 ends the list
}

func (tk *takenNames) take(key string) {
	tk.key[key] = true
	w := firstWord(key)
	tk.names = append(tk.names, takenName{key: key, prev: tk.byWord[w]})
	tk.byWord[w] = int32(len(tk.names))
}

// clear empties tk for the next text, keeping its memory.
func (tk *takenNames) clear() {
	if tk.key == nil {
		tk.key, tk.canon, tk.byWord = map[string]bool{}, map[string]bool{}, map[string]int32{}
	}
	clear(tk.key)
	clear(tk.canon)
	clear(tk.byWord)
	clear(tk.names) // drop references to the keys
	tk.names = tk.names[:0]
}

// keepRuleInvestors drops the rules' investors the model does not believe
// and nationalities read as investors, and returns the names in use.
func (d *doc) keepRuleInvestors(a *analysis) *takenNames {
	tk := &d.sc.taken
	tk.clear()
	for _, db := range a.deals {
		db.investors = slices.DeleteFunc(db.investors, func(iv investorB) bool {
			if d.v.placeOrPeopleOnly(iv.name) && !iv.lead && iv.amt < 0 {
				return true // "American and British investors": people, not a firm
			}
			if iv.amt >= 0 {
				return false
			}
			p := a.prob(d.normName(iv.name))
			return p != nil && invProb(p) < 1-keepInvProb
		})
		for x := range db.investors {
			iv := &db.investors[x]
			tk.take(d.normName(iv.name))
			tk.canon[d.normName(iv.canonical)] = true
		}
		tk.take(d.normName(db.company))
		tk.take(d.normName(db.acquirer))
	}
	return tk
}

// addModelInvestor adds name k, which the model believes an investor, to the
// deal nearest to where it is named in a sentence where money moves.
func (d *doc) addModelInvestor(a *analysis, k nameKey, tk *takenNames) {
	c := a.names[k.first]
	if tk.key[k.key] || tk.covers(k.key) || c.r.canonical != "" && tk.canon[d.normName(c.r.canonical)] || d.v.placeOrPeopleOnly(c.text) {
		return
	}
	at, ok := d.dealContext(a, k)
	if !ok {
		return // named only where no money moves: background
	}
	c = a.names[at]
	db := a.deals[d.nearestDeal(a, d.sentIdx(c.r.s))]
	if db.round == "acquisition" {
		return // the schema gives an acquisition a buyer, not investors
	}
	tk.take(k.key)
	iv := d.nameInvestor(&c, a.prob(k.key))
	tk.canon[d.normName(iv.canonical)] = true
	db.investors = append(db.investors, iv)
}

// nameInvestor is the investor, without a figure, that name occurrence c
// stands for: a lead when the model's probabilities p believe it a lead
// more than a follower.
func (d *doc) nameInvestor(c *nameCand, p []float64) investorB {
	s, e := d.spanOf(c.r.s, c.r.e)
	cn := c.r.canonical
	if cn == "" {
		cn = c.text
	}
	return investorB{key: c.key, name: c.text, canonical: cn, lead: p[nmLead] > p[nmInvestor], span: news.Span{Start: s, End: e}, amt: -1}
}

// covers reports whether key is a leading-word prefix of a taken name or
// the other way round: "Hillhouse" after "Hillhouse Capital". The taken
// names are listed by first word, which such names share.
func (tk *takenNames) covers(key string) bool {
	for i := tk.byWord[firstWord(key)]; i > 0; i = tk.names[i-1].prev {
		if keysMatch(tk.names[i-1].key, key) {
			return true
		}
	}
	return false
}

func firstWord(key string) string {
	w, _, _ := strings.Cut(key, " ")
	return w
}

// investorSubjects gives back to its deal's investors a name the rules
// took for the company but the model believes an investor more than a
// company ("Norbank lends $50 million for the Crucible park", "Alder
// Capital led a $30 million round for Brook"), when another name of the
// deal's sentences is a likely company: that name becomes the company.
// A deal with a buyer keeps its target: the schema gives it no investors.
func (d *doc) investorSubjects(a *analysis) {
	var inSent [][]int
	var head []int
	for _, db := range a.deals {
		if db.company == "" || db.round == "acquisition" || db.acquirer != "" {
			continue
		}
		key := d.normName(db.company)
		p := a.prob(key)
		if p == nil || invProb(p) <= p[nmCompany] || invProb(p) <= addInvProb {
			continue
		}
		kx := slices.IndexFunc(a.keys, func(k nameKey) bool { return k.key == key })
		if kx < 0 {
			continue
		}
		if inSent == nil {
			inSent = d.keysBySentence(a)
			head = d.headKeys(inSent)
		}
		db.investors = append(db.investors, d.nameInvestor(&a.names[a.keys[kx].first], p))
		bi, bp := d.bestCompany(a, db, d.companyCands(db, inSent, head))
		if bi < 0 || bp <= addProb {
			db.investors = db.investors[:len(db.investors)-1]
			continue
		}
		db.company = d.nameText(d.cutDescriptor(a.names[a.keys[bi].first].r))
		db.companyK = ""
	}
}

func (d *doc) decideCompanies(a *analysis) {
	inSent := d.keysBySentence(a) // the keys named in each sentence, each once
	head := d.headKeys(inSent)
	perSent := make([]int, len(d.sents))
	for _, db := range a.deals {
		if db.sent >= 0 && db.sent < len(perSent) {
			perSent[db.sent]++
		}
	}
	for i, db := range a.deals {
		// In a roundup sentence the rules' clause structure decides.
		if db.sent < 0 || db.sent >= len(perSent) || perSent[db.sent] <= 1 {
			d.decideCompany(a, db, d.restatedCands(a, i, d.companyCands(db, inSent, head), inSent))
			d.receiverOfGiver(a, db, inSent)
			if db.company == "" {
				d.anaphorCompany(a, db, inSent)
			}
		} else {
			d.dropMisread(a, db) // a country the clause structure read ("Ghana and Togo got $1 million each")
		}
		d.dropJunkWord(a, db)
	}
}

// anaphorCompany names a deal left without a company whose sentence refers
// to its receiver before the figure by a pronoun or a definite descriptor
// ("the company", "la jeune société", "das Kölner Start-up"): the name
// is in the sentences before, which the company candidates do not reach
// ("Quill makes maps. Today the startup said it closed a $15 million
// round"). It takes, from the nearer of the two sentences before that
// gives one, the name in its subject, or else the name of that sentence
// the model believes most a company.
func (d *doc) anaphorCompany(a *analysis, db *dealB, inSent [][]int) {
	if db.amt < 0 || db.sent <= 0 || db.sent >= len(d.sents) || !d.anaphorBefore(d.sents[db.sent].s, a.amts[db.amt].h.qi) {
		return
	}
	for k := db.sent - 1; k >= 0 && k >= db.sent-2; k-- {
		if r, ok := d.subjectName(k); ok && d.anaphorName(a, db, r) {
			return
		}
		if k < len(inSent) {
			if bi, _ := d.bestCompany(a, db, inSent[k]); bi >= 0 && d.anaphorName(a, db, d.cutDescriptor(a.names[a.keys[bi].first].r)) {
				return
			}
		}
	}
}

// anaphorName names deal db by the name at r unless it is a party of the
// deal, a place, a person or a given name alone (the founder the sentence
// before quotes), a letter, or one frequent word of a language not written
// in capitals (an app a text calls "MARE", Italian for sea).
func (d *doc) anaphorName(a *analysis, db *dealB, r nameRef) bool {
	name := d.nameText(r)
	if d.partyOf(db, d.normName(name)) || d.v.isPlaceOrPeople(name) || d.personName(a, name) || oneLetter(name) ||
		r.e == r.s+1 && d.rawIn(r.s, setFirstName, d.v.firstName) ||
		d.plainLowerWord(name) {
		return false
	}
	db.company, db.companyAt, db.companyK = name, r.s, ""
	return true
}

// anaphorBefore reports a pronoun (`deal.anaphor_pronoun`: "it") or a
// determiner (`deal.anaphor_det`) with a company noun (`deal.anaphor_noun`)
// within five tokens after it over words, hyphens and apostrophes, between
// tokens s and e.
func (d *doc) anaphorBefore(s, e int) bool {
	for i := s; i < e; i++ {
		if d.in("deal.anaphor_pronoun", i) {
			return true
		}
		if !d.in("deal.anaphor_det", i) {
			continue
		}
		for x := i + 1; x < e && x <= i+5; x++ {
			if d.in("deal.anaphor_noun", x) || d.phraseAt("deal.anaphor_noun", x) > 0 {
				return true
			}
			if d.toks[x].kind != tkWord && !d.is(x, "-") && !d.is(x, "'") && !d.is(x, "’") {
				break
			}
		}
	}
	return false
}

// restatedCands adds to cands the names of the sentences that restate deal
// i's figure: a headline naming only the investor ("Ostwind Capital Leads
// $75 Million Round") leaves the company to the body's sentence with the
// same figure ("Quill Labs closed the $75 million round").
func (d *doc) restatedCands(a *analysis, i int, cands []int, inSent [][]int) []int {
	db := a.deals[i]
	added := false
	for _, am := range a.amts {
		if am.role != roleRestate || am.deal != i || am.sent == db.sent || am.sent < 0 || am.sent >= len(inSent) {
			continue
		}
		if !added {
			cands, added = slices.Clone(cands), true
		}
		cands = append(cands, inSent[am.sent]...)
	}
	return cands
}

// decideCompany lets the model name deal db's company from cands: it drops
// a place, a nationality or a person, replaces a junk company or one the
// model believes clearly less than another, and names a deal without one.
func (d *doc) decideCompany(a *analysis, db *dealB, cands []int) {
	d.dropMisread(a, db)
	cur := -1.0
	if db.company != "" {
		if p := a.prob(d.normName(db.company)); p != nil {
			cur = p[nmCompany]
		}
	}
	if db.round == "acquisition" && db.acquirer != "" && cur >= junkCompany {
		return // the target the rules read beside its buyer, not another name of the sentence
	}
	bi, bp := d.bestCompany(a, db, cands)
	if bi < 0 || bp <= cur {
		if d.junkWord(a, db) {
			db.company = "" // one word nobody else would call a company ("State", "Das")
		}
	} else {
		d.replaceCompany(a, db, bi, bp, cur)
	}
	if db.company == "" {
		d.appositionCompany(a, db)
	}
	db.companyK = "" // the cached key of the company, which may have changed
}

// dropJunkWord drops a deal's company that is a junk word ([doc.junkWord])
// or a city or a state ([doc.townCompany]), whichever step named it: the
// clause structure of a roundup sentence, or a name of the sentence or the
// headline that replaced the rules' own junk pick.
func (d *doc) dropJunkWord(a *analysis, db *dealB) {
	if d.junkWord(a, db) || d.townCompany(a, db) {
		db.company = ""
		db.companyK = ""
	}
}

// townCompany reports a deal's company that is, as the text writes it, a
// city or a first-level subdivision of the place data ("Dubai", "South
// Carolina"), not a word of a longer name ("Satellite Lune").
func (d *doc) townCompany(a *analysis, db *dealB) bool {
	return d.v.isTownOrState(db.company) && d.companyForm(a, db.company) == db.company
}

// junkWord reports a company of one word nobody would call a company: a
// frequent or stop word of a language not written in capitals ("Further",
// "State") that the model does not believe a company or did not score at
// all ("Top" of a headline list), unless the text writes it inside a
// longer name ([doc.companyForm]: "Satellite Lune"); or the rules'
// fallback for the text (companyAt < 0) that the model believes below
// junkCompany. A word of no language read where the text writes it
// ("Vantquill") and a frequent word in capitals ("QUILL", a brand) name
// something.
func (d *doc) junkWord(a *analysis, db *dealB) bool {
	w := strings.TrimSpace(db.company)
	if w == "" || strings.Contains(w, " ") {
		return false
	}
	p := a.prob(d.normName(db.company))
	if d.plainLowerWord(w) {
		return (p == nil || p[nmCompany] < junkCompany) && d.companyForm(a, w) == w
	}
	return p != nil && p[nmCompany] < junkCompany && db.companyAt < 0
}

// dropMisread drops a rules' company that is a country or a nationality,
// a person or a letter; a country or a nationality gives way to the name
// it describes.
func (d *doc) dropMisread(a *analysis, db *dealB) {
	if d.v.isPlaceOrPeople(db.company) {
		// A country or a nationality the rules read as the company only
		// describes it: "in UK challenger bank Quill", "of US-based game
		// maker Brindle".
		db.company = ""
		if r, ok := d.placeDescribes(db.companyAt); ok {
			db.company, db.companyAt = d.nameText(r), r.s
		}
	}
	if d.personName(a, db.company) || oneLetter(db.company) {
		db.company = "" // a person or a letter ("L'opération"), as the rules misread it
	}
}

// replaceCompany gives deal db the candidate bi, believed a company with
// probability bp, when its own company (believed cur, -1 when none or
// unscored) is junk, missing or clearly less likely.
func (d *doc) replaceCompany(a *analysis, db *dealB, bi int, bp, cur float64) {
	// The model judges the name as written; the company is named without
	// what the words before say of it ("Bicycle Startup Quillora").
	name := d.nameText(d.cutDescriptor(a.names[a.keys[bi].first].r))
	switch {
	case cur >= 0 && cur < junkCompany && bp > cur && a.keys[bi].key != d.normName(db.company):
		db.company = name // the rules' pick is no company at all ("Ltd", "State")
	case db.company == "" && bp > addProb:
		db.company = name
	case db.company != "" && cur >= 0 && bp > cur+companyGain && a.keys[bi].key != d.normName(db.company):
		db.company = name
	}
}

// appositionCompany names a deal left without a company by the name its
// sentence sets between commas right before a raise verb, after what
// describes it ("Danish grocer, delivery service too, Quellmart, has
// raised"): the subject reader stops at the first comma.
func (d *doc) appositionCompany(a *analysis, db *dealB) {
	if db.amt < 0 || db.sent < 0 || db.sent >= len(d.sents) {
		return
	}
	sn := d.sents[db.sent]
	for i := sn.s; i < sn.e && i < a.amts[db.amt].h.qi; i++ {
		if !d.is(i, ",") || !d.isCap(i+1) || d.rawIn(i+1, setStop, d.v.stop) {
			continue
		}
		r, ok := d.nameAt(i+1, sn.e)
		if !ok || !d.is(r.e, ",") {
			continue
		}
		for v := r.e + 1; v < r.e+4 && v < a.amts[db.amt].h.qi; v++ {
			if _, ok := d.cueAtIs("raisev", v); ok {
				name := d.nameText(r)
				if !d.partyOf(db, d.normName(name)) && !d.v.isPlaceOrPeople(name) && !d.personName(a, name) {
					db.company, db.companyAt = name, r.s
				}
				return
			}
			if d.toks[v].kind != tkWord || d.isCap(v) {
				break
			}
		}
	}
}

// placeDescribes reads the name that the place or nationality at token
// at describes, in its sentence: after "-based" and up to five lower-case
// descriptors ("US-based mobile game maker Brindle"), or after the
// descriptors nameAfterPlace skips ("UK challenger bank Quill").
func (d *doc) placeDescribes(at int) (nameRef, bool) {
	if at < 0 || at >= len(d.toks) {
		return nameRef{}, false
	}
	e := d.sents[d.sentIdx(at)].e
	r, ok := d.nameAt(at, e)
	if !ok || !d.v.isPlaceOrPeople(d.nameText(r)) {
		return nameRef{}, false
	}
	x := r.e
	if !d.is(x, "-") || d.toks[x].gap || !d.in("deal.based", x+1) {
		return d.nameAfterPlace(r, e)
	}
	x += 2
	lim := x + 5
	for x < e && x < lim && d.toks[x].kind == tkWord && !d.isCap(x) {
		x++
	}
	if x >= e || !d.isCap(x) || d.rawIn(x, setStop, d.v.stop) {
		return nameRef{}, false
	}
	return d.nameAt(x, e)
}

// plainWord reports a one-word name that is a frequent word of one of the
// languages or a stop word ("State", "Das", "Further"): such a word the
// model does not believe a company is the rules' misreading, while a word
// of no language ("Quillora", "BRX") names something.
// plainLowerWord reports whether name is one frequent or stop word of a
// language not written in capitals: "Further" opening a sentence, not
// "QUILL", which is written as a brand.
func (d *doc) plainLowerWord(name string) bool {
	w := strings.TrimSpace(name)
	return w != "" && !strings.Contains(w, " ") && d.plainWord(w) && strings.ToUpper(w) != w
}

func (d *doc) plainWord(name string) bool {
	w := strings.TrimSpace(name)
	return d.v.common[strings.ToLower(w)] || d.v.stop[w] || d.v.stop[strings.ToLower(w)]
}

// companyCands lists the name keys that may be deal db's company: those of
// its sentence, of the headline for a deal of the opening sentences, and
// of the two sentences before one that opens with "The company".
func (d *doc) companyCands(db *dealB, inSent [][]int, head []int) []int {
	var cands []int
	if db.sent >= 0 && db.sent < len(inSent) {
		cands = inSent[db.sent]
	}
	if db.sent <= 2 {
		cands = append(slices.Clone(cands), head...)
	}
	if db.sent > 0 && db.sent < len(d.sents) && d.definiteSubject(db.sent) {
		// "The company raised ...": the name it refers to was written
		// in the sentences before.
		cands = slices.Clone(cands)
		for k := max(0, db.sent-2); k < db.sent; k++ {
			cands = append(cands, inSent[k]...)
		}
	}
	return cands
}

// bestCompany is the candidate the model believes most to be deal db's
// company, with its probability; -1 when there is none.
func (d *doc) bestCompany(a *analysis, db *dealB, cands []int) (int, float64) {
	bi, bp := -1, 0.0
	for _, x := range cands {
		p := a.probAt(x)[nmCompany]
		if p < bp || p == bp && (bi < 0 || x >= bi) {
			continue // no better: the tests below read the text around the name
		}
		key, text := a.keys[x].key, a.names[a.keys[x].first].text
		if d.partyOf(db, key) || d.personKey(a, x) || oneLetter(key) || d.titledPerson(text) || d.sourceName(text) || d.v.isPlaceOrPeople(text) ||
			d.titleInName(text) || d.surnameAlone(text) || d.v.isTownOrState(text) {
			continue // the buyer or an investor of the deal, a person, a source, a country or a nationality is not its company
		}
		bi, bp = x, p
	}
	return bi, bp
}

// oneLetter reports a name of one letter: an elided article or pronoun
// ("L'opération", "C'est") or an initial, never a company.
func oneLetter(name string) bool {
	return utf8.RuneCountInString(strings.TrimSpace(name)) == 1
}

// personName reports whether the rules' company reads as a person's name
// where the text writes it ([doc.personLike]): a founder as the subject
// ("founded by Ann Roe and Bo Lind, raised $6m").
func (d *doc) personName(a *analysis, name string) bool {
	x, ok := d.sc.keyAt[d.normName(name)]
	return ok && d.personKey(a, x) || d.titledPerson(name) || d.sourceName(name) || d.titleInName(name) || d.surnameAlone(name)
}

// surnameAlone reports a one-word name that the text also writes as the
// last word of a person's name ([doc.personLike]): a person referred to by
// the surname ("Ann Roe has bought into Brindle ... Roe said") is no
// company.
func (d *doc) surnameAlone(name string) bool {
	var buf [8][2]int
	if name == "" || strings.Contains(name, " ") {
		return false
	}
	for _, o := range d.occurrences(name, buf[:0]) {
		s, e := o[0], o[1]
		if e != s+1 {
			continue
		}
		if s >= 1 && d.toks[s].gap && d.personLike(s-1, e) {
			return true
		}
	}
	return false
}

// titleInName reports a name that holds a person's title
// (`deal.person_title`) as its first or second word, followed by two or
// three capitalised words none of which is an organisation word or a legal
// form: the name reader took the title with the name ("Chief Scientist Ann
// Roe").
func (d *doc) titleInName(name string) bool {
	var buf [8][2]int
	if strings.Count(name, " ") < 2 {
		return false
	}
	for _, o := range d.occurrences(name, buf[:0]) {
		s, e := o[0], o[1]
		for k := s; k <= s+1 && k < e; k++ {
			if d.in("deal.person_title", k) && e-k-1 >= 2 && e-k-1 <= 3 && d.capitalPlain(k+1, e) {
				return true
			}
		}
	}
	return false
}

// capitalPlain reports tokens s to e all capitalised words, none an
// organisation word or a legal form.
func (d *doc) capitalPlain(s, e int) bool {
	for k := s; k < e; k++ {
		if d.toks[k].kind != tkWord || !d.isCap(k) || d.rawIn(k, setOrg, d.v.org) || d.lowIn(k, setLegal, d.v.legal) {
			return false
		}
	}
	return true
}

// personKey reports whether name key x is written as a person's name
// ([doc.personLike]) whose surname the text also writes alone more often
// than the given name, as news refers to people ("Marta Quist ... Quist
// said"); a company named like one ("Aurora Hydrogen") is shortened to its
// first word, if at all.
func (d *doc) personKey(a *analysis, x int) bool {
	for _, i := range a.keys[x].occ {
		r := a.names[i].r
		if !d.personLike(r.s, r.e) {
			continue
		}
		if a.capWords == nil {
			a.capWords = map[string]int{}
			for t := range d.toks {
				if d.isCap(t) && d.toks[t].kind == tkWord {
					a.capWords[d.tx(t)]++
				}
			}
		}
		if a.capWords[d.tx(r.e-1)] > a.capWords[d.tx(r.s)] {
			return true
		}
	}
	return false
}

// partyOf reports whether name key is deal db's acquirer or one of its
// investors; the acquirer written whole or shortened ("Harwick Motor" for
// "Harwick Motor Group Ltd").
func (d *doc) partyOf(db *dealB, key string) bool {
	if db.acquirer != "" && keysMatch(d.normName(db.acquirer), key) {
		return true
	}
	for _, iv := range db.investors {
		if d.normName(iv.name) == key {
			return true
		}
	}
	return false
}

// dealConfidence is the model's belief in each deal: its figure's raise
// probability, or for a deal with no figure the best of its names.
func (d *doc) dealConfidence(a *analysis) {
	a.dealConf = make([]float64, len(a.deals))
	for i, db := range a.deals {
		c := 0.5
		if db.amt >= 0 && db.amt < len(a.amtProb) && a.amtProb[db.amt] != nil {
			c = a.amtProb[db.amt][amRaise]
		} else if p := a.prob(d.normName(db.company)); p != nil {
			c = p[nmCompany]
		}
		a.dealConf[i] = c
	}
}

// amtConf is the model's probability that amount j has class c, or 0 when
// no model scored it.
func (a *analysis) amtConf(j, c int) float64 {
	if j < 0 || j >= len(a.amtProb) || a.amtProb[j] == nil {
		return 0
	}
	return round3(a.amtProb[j][c])
}

// powerConf is the model's probability that the deal funds power figure
// p; figures are told apart by their first token.
func (a *analysis) powerConf(p powerHit) float64 {
	i, ok := a.powerIndex(p)
	if !ok || i >= len(a.capProb) {
		return 0
	}
	return round3(a.capProb[i])
}

// round3 keeps three decimals: confidences are estimates, and short
// numbers keep records and golden files readable.
func round3(x float64) float64 {
	return math.Round(x*1000) / 1000
}

// ruleNamed reports whether the rules made a company, investor or buyer of
// the name at tokens [s, e), or of it without its leading article or
// number at [r, e).
func (d *doc) ruleNamed(rule map[string]*nameCand, s, r, e int) bool {
	return rule[d.spanKey(s, e)] != nil || r > s && rule[d.spanKey(r, e)] != nil
}

// spanKey is normName of the text of tokens [s, e), without allocating
// when the name is plain ASCII words: its key is then a piece of the
// lower-cased text.
func (d *doc) spanKey(s, e int) string {
	start, end := int(d.toks[s].start), int(d.toks[e-1].end)
	if k, ok := plainKey(d.v, d.lowText[start:end]); ok {
		return k
	}
	return d.normName(d.text[start:end])
}

// plainKey returns normName of a text whose ASCII-lower-cased form is low
// when that key is a prefix of low: the text is ASCII letters and digits
// in words separated by single spaces. ok is false for any other text.
func plainKey(v *vocab, low string) (key string, ok bool) {
	if low == "" {
		return "", false
	}
	for i := 0; i < len(low); i++ {
		switch c := low[i]; {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
		case c == ' ' && i > 0 && i+1 < len(low) && low[i+1] != ' ':
		default:
			return "", false
		}
	}
	return trimLegal(v, low), true // legal suffixes go, as in normName
}

// nameRun reads a name candidate at token i: a run of capitalised words or
// a gazetteer name, possibly opened by a capitalised article ("The Rise
// Fund") or a number ("500 Startups", "8VC"), and carried over a possessive
// into a following name ("SoftBank's Vision Fund"). s is where the
// candidate starts; r is the name run proper.
func (d *doc) nameRun(i, limit int) (s int, r nameRef, ok bool) {
	// Most tokens start no name: a lower-case word that opens no
	// gazetteer name and is no article, or punctuation. Answered here
	// before the name readers, as they would answer.
	if d.fact[i]&factNameOpen == 0 { // a number, or a word that is capitalised, opens a gazetteer name or is an article (indexVocab)
		return 0, nameRef{}, false
	}
	s = i
	switch {
	case d.toks[i].kind == tkNumber && !d.inAmount(i) && i+1 < limit:
		i++
	case d.toks[i].kind == tkWord && d.rawIn(i, setDet, d.v.det) && i+1 < limit:
		i++
	}
	if d.toks[i].kind != tkWord {
		return 0, nameRef{}, false
	}
	r, ok = d.nameAt(i, limit)
	if !ok || r.e <= r.s {
		return 0, nameRef{}, false
	}
	if s < i && (d.toks[s].kind == tkNumber && d.toks[i].gap && !d.isCap(i) || s+1 < i) {
		s = i
	}
	// "SoftBank's Vision Fund 2": possessive, then another run. A
	// place's possessive only describes the name it opens: "Norway's
	// Fjellstad" is Fjellstad.
	if e := r.e; e+2 < limit && (d.is(e, "'") || d.is(e, "’")) && d.lw(e+1) == d.v.possS && d.isCap(e+2) {
		if r2, ok2 := d.nameAt(e+2, limit); ok2 && r2.e > r2.s {
			if _, place := d.v.place[d.nameText(r)]; place {
				return e + 2, r2, true
			}
			r.e, r.canonical = r2.e, ""
		}
	}
	return s, r, true
}

// inAmount reports whether token i lies inside a money figure.
func (d *doc) inAmount(i int) bool {
	return i >= 0 && i < len(d.amtAt) && d.amtAt[i] != 0
}

// dealContext finds an occurrence of a name in a sentence that speaks of
// money changing hands (a figure, or a cue of raising, leading or joining)
// and returns it; a name that only appears elsewhere is background.
func (d *doc) dealContext(a *analysis, k nameKey) (int, bool) {
	for _, i := range k.occ {
		if d.moneySentence(d.sentIdx(a.names[i].r.s)) {
			return i, true
		}
	}
	return 0, false
}

// moneySentence reports whether sentence k speaks of money changing hands:
// it holds a figure, or a cue of raising, leading or joining. The answers
// are computed once per text.
func (d *doc) moneySentence(k int) bool {
	if d.moneySent == nil {
		d.moneySent = make([]bool, len(d.sents))
		for x, sn := range d.sents {
			if lo, hi := d.sentAmts(x); hi > lo {
				d.moneySent[x] = true
				continue
			}
		scan:
			for _, c := range d.cuesIn(sn.s, sn.e) {
				switch c.class {
				case "raisev", "raisen", "lead", "join": // cue classes of words/cue.tsv
					d.moneySent[x] = true
					break scan
				}
			}
		}
	}
	return k >= 0 && k < len(d.moneySent) && d.moneySent[k]
}

// noDealNote reports a figure the rules set aside because the text denies
// or calls off its deal (classifyDenied), or because it is the price of a
// secondary sale (classifyValuation): conventions 3 and 9 make it no deal,
// however much it looks like one, so the model does not promote it.
func noDealNote(n string) bool {
	return n == "denied" || n == "called off" || n == "secondary sale"
}

// genericKind reports whether a figure's kind is the rules' catch-all, as
// opposed to a kind they found a cue for (revenue, contract, market size,
// commitment, fund size): the model may promote only the former to a deal.
func genericKind(k string) bool {
	return k == "" || k == "other"
}

// sameDeal reports whether a deal of the same company and a compatible
// round exists already: one round is reported once, whatever figures a
// headline or a correction add. rounds holds the rounds of the deals so far
// by company key.
func (d *doc) sameDeal(rounds map[string][]string, nd *dealB) bool {
	if nd.company == "" {
		return false
	}
	for _, r := range rounds[d.normName(nd.company)] {
		if nd.round == "" || nd.round == "unknown" || r == "" || r == "unknown" || nd.round == r {
			return true
		}
	}
	return false
}

// linkable reports whether a figure of role r can be an investor's share:
// the deal's amount (a sole investor's), a share, or a figure the rules
// left as other.
func linkable(r role) bool {
	return r == roleRaise || r == roleRestate || r == roleInvAmt || r == roleOther
}

// maxLinkDist bounds how far apart, in tokens, a name and its share may be.
const maxLinkDist = 30

// sharePairs calls fn for every pair of an occurrence of key and a money
// figure of the same sentence that could be its share.
func (d *doc) sharePairs(a *analysis, occ []int, fn func(o, j int)) {
	for _, o := range occ {
		c := a.names[o]
		lo, hi := d.sentAmts(d.sentIdx(c.r.s))
		for j := lo; j < hi && j < lo+8; j++ {
			am := a.amts[j]
			if !linkable(am.role) || am.noShare || am.h.qi-c.r.e > maxLinkDist || c.r.s-am.h.tj > maxLinkDist {
				continue
			}
			fn(o, j)
		}
	}
}

// decideShares gives each investor with no figure of its own the figure
// the model ties to it most strongly, when it believes the tie.
func (d *doc) decideShares(m *Model, a *analysis, f *featSet) {
	lin := m.tasks[taskLink]
	occ := func(key string) []int { // the occurrences of a name, by the index of groupNames
		if x, ok := d.sc.keyAt[key]; ok {
			return a.keys[x].occ
		}
		return nil
	}
	var p []float64
	for _, db := range a.deals {
		ruled := map[int]bool{} // the figures the rules gave investors of db
		for _, iv := range db.investors {
			if iv.amt >= 0 {
				ruled[iv.amt] = true
			}
		}
		for x := range db.investors {
			iv := &db.investors[x]
			if iv.amt >= 0 {
				continue
			}
			best, bp := -1, shareProb
			d.sharePairs(a, occ(d.normName(iv.name)), func(o, j int) {
				if ruled[j] {
					// The rules gave it to the name their reader ties it
					// to ("Harrow, the fund headed by Tessa Marlow, which
					// put in $12 million"); given again to a nearer name,
					// it would go to that one alone (sharedFigures).
					return
				}
				if pr := a.amtProb; pr != nil && pr[j] != nil && a.amts[j].role == roleOther && pr[j][amPrior] > pr[j][amShare] {
					// A figure the rules left as other that the amount
					// model reads as an earlier round sooner than as a
					// share is no investor's share of this deal.
					return
				}
				if r := a.amts[j].role; r == roleRaise || r == roleRestate {
					// A deal's figure, this one's or another's, is left
					// to the rules' share readers: of the figures the
					// link model gave from there, about one in nine
					// was labelled the investor's (folds, seeds 1 and 2).
					return
				}
				if isDealFigure(a.amts, db, j) {
					// The round's whole figure is no investor's own share
					// when several invest, nor a sole lender's or grant
					// maker's (the corpus gives the loan or grant to its
					// one lender or grant maker 2 times in 59); a sole
					// investor's may be ("Tollhaus invests $40 million in
					// Brindle"; 34 of 162 sole investors in
					// ../shared/realnews), but the rules read those
					// where the text ties them.
					return
				}
				f.reset()
				c := a.names[o]
				d.linkFeats(f, a.amts, c.r.s, c.r.e, j)
				p = lin.probs(f.h, p)
				if p[lkYes] > bp {
					best, bp = j, p[lkYes]
				}
			})
			if best >= 0 {
				iv.amt = best
			}
		}
	}
}

// sameFigure reports two figures of one currency whose values differ by at
// most a hundredth: a headline's "$44M" and the body's "$43.8 million".
func sameFigure(x, y moneyHit) bool {
	u, v := x.value.Float64(), y.value.Float64()
	return x.currency == y.currency && math.Abs(u-v) <= 0.01*max(math.Abs(u), math.Abs(v))
}

// isDealFigure reports whether amount j is deal db's own figure or a
// restatement of its value, rounded as a headline rounds it ("$44M" for
// the body's "$43.8 million"; sameFigure).
func isDealFigure(amts []amount, db *dealB, j int) bool {
	if db.amt < 0 || db.amt >= len(amts) {
		return false
	}
	return j == db.amt || sameFigure(amts[j].h, amts[db.amt].h)
}

// pool turns the sorted features of a name's n occurrences into distinct
// features valued by the share of occurrences that have them: a mean, so
// that a name seen often is not drowned by its unrelated mentions. The
// values are appended to vals.
func pool(hs []uint64, n int, vals []float32) ([]uint64, []float32) {
	out := hs[:0]
	for i := 0; i < len(hs); {
		j := i
		for j < len(hs) && hs[j] == hs[i] {
			j++
		}
		out = append(out, hs[i])
		vals = append(vals, min(1, float32(j-i)/float32(n)))
		i = j
	}
	return out, vals
}

// roundGain is how much more the round model must believe another kind of
// round than the rules' to replace it.
const roundGain = 0.3

// decideRounds lets the round model re-decide each deal's kind of round.
// A lettered series takes its letter from the nearest series phrase of the
// deal's sentence or its neighbours; with none, the rules' round stays.
func (d *doc) decideRounds(m *Model, a *analysis, f *featSet) {
	lin := m.tasks[taskRound]
	var p []float64
	for _, db := range a.deals {
		f.reset()
		d.roundFeats(f, a, db)
		p = lin.probs(f.h, p)
		best := 0
		for c := range p {
			if p[c] > p[best] {
				best = c
			}
		}
		cur := roundClass(db.round)
		if best == cur || p[best] < p[cur]+roundGain {
			continue
		}
		if roundClasses[best] != "series" && d.namedBesideFigure(a, db) {
			continue
		}
		if roundClasses[best] != "series" {
			db.round = roundClasses[best]
			continue
		}
		if r, ok := d.nearestSeries(db); ok {
			db.round = r
		}
	}
}

// namedBesideFigure reports a deal whose round the rules read beside its
// figure ("$12 million in a seed round") as a named stage or a strategic
// round: the text names the kind, and the model, trained on few such rounds,
// does not replace it with another kind (a series may still take the
// letter of a nearer series phrase).
func (d *doc) namedBesideFigure(a *analysis, db *dealB) bool {
	if db.amt < 0 || db.amt >= len(a.amts) || !(namedRound(db.round) || db.round == "strategic") {
		return false
	}
	h := a.amts[db.amt].h
	r, _ := d.roundNear(h.qi, h.tj)
	return r == db.round
}

// nearestSeries is the lettered series phrase nearest to deal db's anchor
// in its sentence or the sentences around it.
func (d *doc) nearestSeries(db *dealB) (string, bool) {
	hits := d.roundHits()
	best, dist := "", -1
	for ks := max(0, db.sent-1); ks <= db.sent+1 && ks < len(hits); ks++ {
		for _, h := range hits[ks] {
			if roundClass(h.label) != roundClass("series a") {
				continue
			}
			if x := max(h.at-db.anchor, db.anchor-h.at); dist < 0 || x < dist {
				best, dist = h.label, x
			}
		}
	}
	return best, dist >= 0
}

// keysBySentence lists, per sentence, the name keys (indices into a.keys)
// named in it, each once, in the order of a.keys. The lists are slices of
// one array in the doc's pooled buffers (counted, then filled), valid until
// the next call; each is capped at its length, so appending to one copies it.
func (d *doc) keysBySentence(a *analysis) [][]int {
	sc, n := d.sc, len(d.sents)
	end := resize(sc.inSentEnd, n+1)
	each := func(visit func(x, ks int)) {
		for x, k := range a.keys {
			last := -1
			for _, i := range k.occ {
				if ks := d.sentIdx(a.names[i].r.s); ks != last {
					visit(x, ks)
					last = ks
				}
			}
		}
	}
	each(func(_, ks int) { end[ks+1]++ })
	for k := 1; k <= n; k++ {
		end[k] += end[k-1] // end[k] is where sentence k's keys start
	}
	flat := resize(sc.inSentKeys, int(end[n]))
	each(func(x, ks int) {
		flat[end[ks]] = x
		end[ks]++ // now where they end
	})
	inSent := resize(sc.inSent, n)
	start := int32(0)
	for k := range inSent {
		inSent[k] = flat[start:end[k]:end[k]]
		start = end[k]
	}
	sc.inSentEnd, sc.inSentKeys, sc.inSent = end, flat, inSent
	return inSent
}

// openNoFigureDeals opens a deal with no figure where the rules found none
// but the name model believes a name of a sentence of raising, lending or
// buying is a deal's company ("the bank finances the 30 MW Ostwind park",
// a roundup's item with no figure). The name must be no deal's company or
// party already.
func (d *doc) openNoFigureDeals(a *analysis) {
	tk := &d.sc.taken // cleared again by keepRuleInvestors, which runs after
	tk.clear()
	for _, db := range a.deals {
		for _, name := range []string{db.company, db.acquirer} {
			if name != "" {
				tk.take(d.normName(name))
			}
		}
		for _, iv := range db.investors {
			tk.take(d.normName(iv.name))
		}
	}
	figure := d.figureSentences(a)
	inSent := d.keysBySentence(a)
	head := d.headKeys(inSent)
	// The name decideCompanies will likely give a deal of the rules (whose
	// own pick can be a misread: "Advance GW" for a headline's "to Advance
	// GW-104") is that deal's, not a new one's; so is the likeliest company
	// of a sentence that restates a deal's figure ("Quill Labs closed the
	// $75 million round" under a headline naming only its investor).
	for k, ok := range figure {
		if !ok {
			continue
		}
		cands := inSent[k]
		if k <= 2 {
			cands = append(slices.Clone(cands), head...)
		}
		if bi := likeliestCompany(a, cands, func(int) bool { return true }); bi >= 0 {
			tk.take(a.keys[bi].key)
		}
	}
	opened := false
	for k, sn := range d.sents {
		if figure[k] || sn.noise || len(inSent[k]) == 0 {
			continue
		}
		c, ok := d.moneyMoves(sn)
		if !ok {
			continue
		}
		bi := likeliestCompany(a, inSent[k], func(x int) bool {
			key := a.keys[x].key
			return !tk.key[key] && !tk.covers(key) && !d.v.isPlaceOrPeople(a.names[a.keys[x].first].text)
		})
		if bi < 0 {
			continue
		}
		a.deals = append(a.deals, d.noFigureDeal(a, bi, k, c))
		tk.take(a.keys[bi].key)
		opened = true
	}
	if opened {
		d.indexDeals(a.deals)
	}
}

// figureSentences marks the sentences that name a deal or hold a deal's
// figure (a raise or its restatement): those are the rules' to read.
func (d *doc) figureSentences(a *analysis) []bool {
	figure := make([]bool, len(d.sents))
	for _, db := range a.deals {
		if db.sent >= 0 && db.sent < len(figure) {
			figure[db.sent] = true
		}
	}
	for _, am := range a.amts {
		if am.role == roleRaise || am.role == roleRestate {
			figure[d.sentIdx(am.h.qi)] = true
		}
	}
	return figure
}

// headKeys lists the name keys of the headline's sentences.
func (d *doc) headKeys(inSent [][]int) []int {
	var head []int
	for k, sn := range d.sents {
		if sn.headline {
			head = append(head, inSent[k]...)
		}
	}
	return head
}

// moneyCues are the cue classes that say money moves (moneyMoves).
var moneyCues = [...]string{"raisev", "raisen", "acquire"}

// moneyMoves finds the cue by which sentence sn raises, lends or buys.
func (d *doc) moneyMoves(sn sentence) (cueHit, bool) {
	for _, class := range moneyCues {
		if c, ok := d.cueIn(class, sn.s, sn.e); ok {
			return c, true
		}
	}
	return cueHit{}, false
}

// likeliestCompany is the candidate the model believes a company above
// openProb most, the first of equals, among those allowed; -1 when none.
// The probability is asked first: most names are no likely company, and
// allowed may be dear.
func likeliestCompany(a *analysis, cands []int, allowed func(x int) bool) int {
	bi, bp := -1, openProb
	for _, x := range cands {
		if p := a.probAt(x)[nmCompany]; p > bp && allowed(x) {
			bi, bp = x, p
		}
	}
	return bi
}

// noFigureDeal is the deal without a figure that name key bi opens in
// sentence k, where cue c says money moves: anchored at the name's
// occurrence there, its round and buyer read by the rules at the cue.
func (d *doc) noFigureDeal(a *analysis, bi, k int, c cueHit) *dealB {
	key := a.keys[bi]
	at := a.names[key.occ[0]].r.s
	for _, i := range key.occ {
		if d.sentIdx(a.names[i].r.s) == k {
			at = a.names[i].r.s
			break
		}
	}
	db := &dealB{anchor: at, sent: k, amt: -1}
	d.fillDeal(db, c.s, c.s, "")
	db.company = a.names[key.first].text
	if db.acquirer != "" && d.normName(db.acquirer) == key.key {
		db.acquirer = ""
	}
	return db
}

// unnamed reports whether the rules named no company for deal db: none,
// a place or a people that describes no name after it, a person, a letter,
// or a name the model believes a company below junkCompany.
func (d *doc) unnamed(a *analysis, db *dealB) bool {
	switch {
	case db.company == "":
		return true
	case d.v.isPlaceOrPeople(db.company):
		_, ok := d.placeDescribes(db.companyAt)
		return !ok
	case d.personName(a, db.company) || oneLetter(db.company):
		return true
	}
	p := a.prob(d.normName(db.company))
	return p != nil && p[nmCompany] < junkCompany
}
