package extract

import (
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/dealwire/dealwire/news"
)

// TrainOptions sets the trainer. The zero value trains with the defaults.
type TrainOptions struct {
	Epochs int     // passes over the examples; default 6
	Rate   float64 // AdaGrad learning rate; default 0.1
	L2     float64 // weight decay per update of a feature; default 1e-4
	Seed   uint64  // order of examples per epoch; default 1
	// MinCount drops features seen in fewer training examples; default 3.
	MinCount int
	// Progress, when set, is called after every epoch.
	Progress func(task string, epoch int, loss float64)
}

func (o TrainOptions) withDefaults() TrainOptions {
	if o.Epochs == 0 {
		o.Epochs = 6
	}
	if o.Rate == 0 {
		o.Rate = 0.1
	}
	if o.L2 == 0 {
		o.L2 = 1e-4
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.MinCount == 0 {
		o.MinCount = 3
	}
	return o
}

// example is one candidate with its features and gold class.
type example struct {
	feats []int32
	vals  []float32 // nil: every value 1
	class int
}

func (e example) val(x int) float64 {
	if e.vals == nil {
		return 1
	}
	return float64(e.vals[x])
}

// dataset is the examples of one task with their feature names.
type dataset struct {
	ids   map[string]int32
	names []string
	ex    []example
}

func (ds *dataset) add(names []string, class int) {
	ds.addV(names, nil, class)
}

// addV adds an example whose features have values (nil: all 1).
func (ds *dataset) addV(names []string, vals []float32, class int) {
	fs := make([]int32, 0, len(names))
	for _, n := range names {
		id, ok := ds.ids[n]
		if !ok {
			id = int32(len(ds.names))
			ds.ids[n] = id
			ds.names = append(ds.names, n)
		}
		fs = append(fs, id)
	}
	ds.ex = append(ds.ex, example{feats: fs, vals: vals, class: class})
}

// Trained is a model with its feature names, ready to use or to write.
type Trained struct {
	*Model
	named map[string]*namedWeights
	// Examples counts the training examples per task.
	Examples map[string]int
}

// Write writes the weights in the format [ReadModel] reads.
func (t *Trained) Write(w io.Writer, header string) error {
	return writeModel(w, header, t.named)
}

// Train learns every decision from labelled documents: the rules run on
// each text, every candidate they propose is labelled from the gold facts,
// and one multinomial logistic regression per task is fitted. Training is
// deterministic: the same documents and options give the same weights.
func Train(docs []GoldDoc, opt TrainOptions) *Trained {
	opt = opt.withDefaults()
	v := loadVocab()
	sets := map[string]*dataset{}
	for t := range taskClasses {
		sets[t] = &dataset{ids: map[string]int32{}}
	}
	for _, g := range docs {
		collectExamples(v, g, sets)
	}
	out := &Trained{Model: &Model{tasks: map[string]*linear{}}, named: map[string]*namedWeights{}, Examples: map[string]int{}}
	for t, ds := range sets {
		nw := fit(t, ds, len(taskClasses[t]), opt)
		out.named[t] = nw
		out.Examples[t] = len(ds.ex)
		l := &linear{classes: taskClasses[t], w: map[uint64][]float32{}, bias: make([]float32, len(taskClasses[t])), trained: len(ds.ex) > 0}
		for i, n := range nw.names {
			if n == "" {
				l.bias = nw.rows[i]
				continue
			}
			tmpl, val, _ := strings.Cut(n, "=")
			l.w[featHash(tmpl, val)] = nw.rows[i]
		}
		out.Model.tasks[t] = l
	}
	out.Model.freeze()
	return out
}

// goldLabels are a document's gold facts in the shape the labeller needs.
type goldLabels struct {
	amount    map[string]int // money text → amount class
	values    []goldValue    // the same by value, for figures written another way
	watts     []float64      // capacities of deals
	companies map[string]bool
	investors map[string]bool // key → lead
	shares    map[string][]goldValue
	// The amounts of gold deals and their rounds, in the same order.
	dealAmounts []goldValue
	dealRounds  []string
}

// goldValue is a labelled figure by value.
type goldValue struct {
	value    float64
	currency string
	class    int
}

// byValue labels a figure whose text no label names: a restatement of a
// deal's amount or valuation in other words ("$55m" in the headline, "$55
// million" in the body) has its class; anything else is other.
func (gl goldLabels) byValue(h moneyHit) int {
	for _, v := range gl.values {
		if v.currency == h.currency && within1(v.value, h.value.Float64()) {
			return v.class
		}
	}
	return amOther
}

func newGoldLabels(v *vocab, g GoldDoc) goldLabels {
	gl := goldLabels{amount: map[string]int{}, companies: map[string]bool{}, investors: map[string]bool{}, shares: map[string][]goldValue{}}
	setValue := func(m *news.Money, c int) {
		if m != nil {
			gl.values = append(gl.values, goldValue{m.Value.Float64(), m.Currency, c})
		}
	}
	set := func(text string, c int) {
		if text == "" {
			return
		}
		if old, ok := gl.amount[text]; ok && old < c {
			return // raise outranks valuation outranks share ...
		}
		gl.amount[text] = c
	}
	for _, f := range g.PriorAmounts {
		set(f.Text, amPrior)
	}
	for _, dl := range g.Deals {
		setValue(dl.Amount, amRaise)
		if dl.Amount != nil {
			gl.dealAmounts = append(gl.dealAmounts, goldValue{dl.Amount.Value.Float64(), dl.Amount.Currency, 0})
			gl.dealRounds = append(gl.dealRounds, strings.ToLower(dl.Round))
		}
		if dl.Valuation != nil {
			setValue(&dl.Valuation.Money, amValuation)
		}
		if dl.Amount != nil {
			set(dl.Amount.Text, amRaise)
			for _, m := range dl.Amount.Mentions {
				set(m, amRaise)
			}
		}
		for _, vl := range []*news.Valuation{dl.Valuation, dl.ValuationAlt} {
			if vl != nil {
				set(vl.Text, amValuation)
				for _, m := range vl.Mentions {
					set(m, amValuation)
				}
			}
		}
		for _, iv := range dl.Investors {
			k := normName(v, iv.Name)
			if iv.Amount != nil {
				set(iv.Amount.Text, amShare)
				gl.shares[k] = append(gl.shares[k], goldValue{iv.Amount.Value.Float64(), iv.Amount.Currency, lkYes})
			}
			gl.investors[k] = gl.investors[k] || iv.Lead
		}
		for _, c := range dl.Capacity {
			gl.watts = append(gl.watts, c.ValueWatts.Float64())
		}
		if dl.Company != "" {
			gl.companies[normName(v, dl.Company)] = true
		}
	}
	return gl
}

// collectExamples runs the rules on one gold document and labels every
// candidate they propose.
func collectExamples(v *vocab, g GoldDoc, sets map[string]*dataset) {
	if g.Text == "" {
		return
	}
	d := newDoc(g.Text, v)
	defer d.release()
	if len(d.toks) == 0 {
		return
	}
	if len(g.Tasks) > 0 {
		// The tasks the document does not train collect into sets that
		// are thrown away.
		only := make(map[string]*dataset, len(sets))
		for t, ds := range sets {
			if !slices.Contains(g.Tasks, t) {
				ds = &dataset{ids: map[string]int32{}}
			}
			only[t] = ds
		}
		sets = only
	}
	a := d.analyse()
	d.amts = a.amts
	gl := newGoldLabels(v, g)
	f := featSet{train: true}
	d.amountExamples(a, gl, &f, sets[taskAmount])
	d.powerExamples(a, gl, &f, sets[taskPower])
	a.names = d.nameCands(a)
	keys := d.nameKeys(a, &f)
	classes := keyClasses(keys, gl)
	for x := range keys {
		sets[taskName].addV(keys[x].names, keys[x].vals, classes[x])
	}
	d.shareExamples(a, gl, keys, classes, &f, sets[taskLink])
	d.roundExamples(a, gl, &f, sets[taskRound])
}

// roundExamples labels every deal of the rules whose figure is a gold
// deal's amount with that deal's kind of round.
func (d *doc) roundExamples(a *analysis, gl goldLabels, f *featSet, ds *dataset) {
	for _, db := range a.deals {
		r, ok := gl.roundOf(db, a.amts)
		if !ok {
			continue
		}
		f.reset()
		d.roundFeats(f, a, db)
		ds.add(f.names, roundClass(r))
	}
}

// roundOf is the round of the gold deal whose amount is deal db's figure.
func (gl goldLabels) roundOf(db *dealB, amts []amount) (string, bool) {
	if db.amt < 0 || db.amt >= len(amts) {
		return "", false
	}
	h := amts[db.amt].h
	for i, g := range gl.dealAmounts {
		if g.currency == h.currency && within1(g.value, h.value.Float64()) {
			return gl.dealRounds[i], true
		}
	}
	return "", false
}

// amountExamples labels every money figure the model decides on: by its
// text, else by its value. A restatement is its raise's, but a heading's
// rounded figure stays an example: the labels often call it other money,
// and without it the model learns less of what headings hold.
func (d *doc) amountExamples(a *analysis, gl goldLabels, f *featSet, ds *dataset) {
	main := d.mainCompany(a.amts)
	for j := range a.amts {
		if !scored(a.amts[j].role) || a.amts[j].role == roleRestate && !a.amts[j].rounded {
			continue
		}
		c, ok := gl.amount[d.toMoney(a.amts[j].h).Text]
		if !ok {
			c = gl.byValue(a.amts[j].h)
		}
		f.reset()
		d.amountFeats(f, a.amts, j, main)
		ds.add(f.names, c)
	}
}

// powerExamples labels every power figure: capacity when a gold deal funds
// its wattage.
func (d *doc) powerExamples(a *analysis, gl goldLabels, f *featSet, ds *dataset) {
	a.pstats = d.powerStats(a) // of the deals as they stand now
	for i, pw := range a.powers {
		if pw.energy {
			continue
		}
		c := pwOther
		for _, w := range gl.watts {
			if within1(w, pw.value.Float64()) {
				c = pwCapacity
			}
		}
		f.reset()
		d.powerFeats(f, a, i)
		ds.add(f.names, c)
	}
}

// shareExamples labels every pair of a gold investor's occurrence and a
// figure of its sentence: yes when the figure is the investor's labelled
// amount.
func (d *doc) shareExamples(a *analysis, gl goldLabels, keys []nameKey, classes []int, f *featSet, ds *dataset) {
	for x, k := range keys {
		if classes[x] != nmInvestor && classes[x] != nmLead {
			continue
		}
		gold := gl.sharesOf(k.key)
		d.sharePairs(a, k.occ, func(o, j int) {
			c := lkNo
			for _, g := range gold {
				if g.currency == a.amts[j].h.currency && within1(g.value, a.amts[j].h.value.Float64()) {
					c = lkYes
				}
			}
			f.reset()
			n := a.names[o]
			d.linkFeats(f, a.amts, n.r.s, n.r.e, j)
			ds.add(f.names, c)
		})
	}
}

// sharesOf is the labelled amounts of the gold investor key matches.
func (gl goldLabels) sharesOf(key string) []goldValue {
	if s, ok := gl.shares[key]; ok {
		return s
	}
	for _, gk := range slices.Sorted(maps.Keys(gl.shares)) {
		if keysMatch(gk, key) {
			return gl.shares[gk]
		}
	}
	return nil
}

// keyClasses labels the names of a text. A gold name labels the candidate
// equal to it; when none is equal, the most frequent candidate that matches
// it leniently (a leading-word prefix either way), the shorter on a tie.
// Other lenient matches stay "none": they would be duplicates.
func keyClasses(keys []nameKey, gl goldLabels) []int {
	out := make([]int, len(keys))
	label := func(gk string, c int) {
		best := -1
		for x, k := range keys {
			if k.key == gk {
				best = x
				break
			}
			if keysMatch(k.key, gk) && (best < 0 || len(k.occ) > len(keys[best].occ) || len(k.occ) == len(keys[best].occ) && len(k.key) < len(keys[best].key)) {
				best = x
			}
		}
		if best >= 0 && out[best] == nmNone {
			out[best] = c
		}
	}
	for _, gk := range slices.Sorted(maps.Keys(gl.investors)) {
		if gl.investors[gk] {
			label(gk, nmLead)
		} else {
			label(gk, nmInvestor)
		}
	}
	for _, gk := range slices.Sorted(maps.Keys(gl.companies)) {
		label(gk, nmCompany)
	}
	return out
}

// fit trains a multinomial logistic regression with AdaGrad and lazy L2
// decay over a deterministic shuffle.
func fit(task string, ds *dataset, nc int, opt TrainOptions) *namedWeights {
	count := pruneRare(ds, opt.MinCount)
	nf := len(ds.names)
	lr := &sgd{nc: nc, nf: nf, rate: opt.Rate, l2: opt.L2, w: make([]float64, (nf+1)*nc), p: make([]float64, nc)}
	lr.g2 = make([]float64, len(lr.w))
	order := make([]int, len(ds.ex))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x9e3779b97f4a7c15))
	for ep := 0; ep < opt.Epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		loss := 0.0
		for _, oi := range order {
			loss += lr.update(ds.ex[oi])
		}
		if opt.Progress != nil && len(ds.ex) > 0 {
			opt.Progress(task, ep+1, loss/float64(len(ds.ex)))
		}
	}
	nw := &namedWeights{}
	for fi := 0; fi <= nf; fi++ {
		name := ""
		if fi < nf {
			if count[fi] < opt.MinCount {
				continue
			}
			name = ds.names[fi]
		}
		row := make([]float32, nc)
		for c := range row {
			row[c] = float32(lr.w[fi*nc+c])
		}
		nw.names = append(nw.names, name)
		nw.rows = append(nw.rows, row)
	}
	return nw
}

// pruneRare drops from every example the features seen in fewer than min
// examples, values with them, and returns the counts. Such features say
// more about one document than about news, and leaving them out keeps the
// weights file small.
func pruneRare(ds *dataset, min int) []int {
	count := make([]int, len(ds.names))
	for _, e := range ds.ex {
		for _, fi := range e.feats {
			count[fi]++
		}
	}
	for i := range ds.ex {
		e := &ds.ex[i]
		n := 0
		for x, fi := range e.feats {
			if count[fi] < min {
				continue
			}
			e.feats[n] = fi
			if e.vals != nil {
				e.vals[n] = e.vals[x]
			}
			n++
		}
		e.feats = e.feats[:n]
		if e.vals != nil {
			e.vals = e.vals[:n]
		}
	}
	return count
}

// sgd is a multinomial logistic regression trained one example at a time
// with AdaGrad steps and L2 decay on the features an example has. Row nf
// of w is the bias.
type sgd struct {
	nc, nf   int
	rate, l2 float64
	w, g2    []float64
	p        []float64
}

func (s *sgd) step(idx int, grad float64) {
	s.g2[idx] += grad * grad
	s.w[idx] -= s.rate * grad / (math.Sqrt(s.g2[idx]) + 1e-8)
}

// update takes one step on example e and returns its loss before it.
func (s *sgd) update(e example) float64 {
	nc, nf, w, p := s.nc, s.nf, s.w, s.p
	for c := 0; c < nc; c++ {
		p[c] = w[nf*nc+c]
		for x, fi := range e.feats {
			p[c] += w[int(fi)*nc+c] * e.val(x)
		}
	}
	softmax(p)
	loss := -math.Log(max(p[e.class], 1e-12))
	for c := 0; c < nc; c++ {
		grad := p[c]
		if c == e.class {
			grad--
		}
		for x, fi := range e.feats {
			idx := int(fi)*nc + c
			s.step(idx, grad*e.val(x)+s.l2*w[idx])
		}
		s.step(nf*nc+c, grad)
	}
	return loss
}

// Fold is the cross-validation fold of a document's outlet.
func Fold(host string, folds int) int {
	h := featHash("host", strings.TrimPrefix(strings.ToLower(host), "www."))
	return int(h % uint64(folds))
}

// CrossValidate scores docs by folds: each fold's documents are extracted by
// a model trained on the other folds plus extra (documents that are never
// scored, such as the devset). fold gives a document's fold.
func CrossValidate(docs, extra []GoldDoc, folds int, fold func(GoldDoc) int, opt TrainOptions) (Report, error) {
	if folds < 2 {
		return Report{}, fmt.Errorf("cross-validating: want at least 2 folds, got %d", folds)
	}
	total := Report{Kinds: map[string]*Counts{}}
	for _, k := range Kinds {
		total.Kinds[k] = &Counts{}
	}
	for k := 0; k < folds; k++ {
		var train, test []GoldDoc
		train = append(train, extra...)
		for _, g := range docs {
			if fold(g) == k {
				test = append(test, g)
			} else {
				train = append(train, g)
			}
		}
		m := Train(train, opt)
		rep := ScoreChecked(test, func(s string) (news.Extraction, error) { return ExtractWithChecked(s, m.Model) })
		total.Failed = append(total.Failed, rep.Failed...)
		for kind, c := range rep.Kinds {
			t := total.Kinds[kind]
			t.TP += c.TP
			t.FP += c.FP
			t.FN += c.FN
		}
		total.Docs = append(total.Docs, rep.Docs...)
	}
	return total, nil
}
