package extract

// Aggregate features of the amount model: whether a money figure sums many
// companies' rounds (a place's, a sector's or a period's total, or a
// statistics piece's figure) rather than one company's round. The words
// are classes of words/rules_amount.tsv.

// Marks of one token (aggMarks).
const (
	aggNoun   = 1 << iota // amount.aggregate_noun starts here
	aggCount              // a number, then amount.counted_noun within two tokens
	aggPeriod             // amount.period_noun starts here
	aggKnown              // doc.aggWord: the marks of the word are worked out
)

// aggWin bounds the tokens on each side of a figure that its aggregate
// features read, so that time stays linear.
const aggWin = 24

// aggMark returns the aggregate marks of token i.
func (d *doc) aggMark(i int) uint8 {
	t := d.toks[i]
	var m uint8
	switch t.kind {
	case tkWord:
		// A word's marks depend on the tokens alone: the windows of the
		// figures of a sentence overlap, so they are worked out once.
		if d.aggWord == nil {
			d.aggWord = resize(d.sc.aggWord, len(d.toks))
		}
		if w := d.aggWord[i]; w&aggKnown != 0 {
			return w &^ aggKnown
		}
		if d.numWordAt(i) {
			m |= d.countedAfter(i)
		}
		if d.phraseAt("amount.aggregate_noun", i) > 0 {
			m |= aggNoun
		}
		if d.phraseAt("amount.period_noun", i) > 0 {
			m |= aggPeriod
		}
		d.aggWord[i] = m | aggKnown
	case tkNumber:
		if !d.inAmount(i) {
			m |= d.countedAfter(i)
		}
	}
	return m
}

// countedAfter is aggCount when a word of amount.counted_noun follows the
// number at token i within two tokens ("12 deals", "neuf opérations",
// "40 Ruritanian start-ups").
func (d *doc) countedAfter(i int) uint8 {
	for k := i + 1; k <= i+3 && k < len(d.toks); k++ {
		if d.toks[k].kind == tkNewline {
			break
		}
		if d.phraseAt("amount.counted_noun", k) > 0 {
			return aggCount
		}
	}
	return 0
}

// aggFeats adds the aggregate features of the figure at tokens [qi, tj) of
// the sentence [lo, hi): a plural noun of companies before it in its
// clause or near it in its sentence, a count of deals or companies, and a
// period that statistics are counted over.
func (d *doc) aggFeats(f *featSet, qi, tj, lo, hi int) {
	cs := d.clauseStart(qi)
	var clause, near uint8
	for i := max(lo, qi-aggWin); i < min(hi, tj+aggWin); i++ {
		if i >= qi && i < tj {
			continue
		}
		m := d.aggMark(i)
		near |= m
		if i >= cs && i < qi {
			clause |= m
		}
	}
	switch {
	case clause&aggNoun != 0:
		f.add("agg_noun", "clause")
	case near&aggNoun != 0:
		f.add("agg_noun", "sentence")
	}
	f.flag("agg_count", near&aggCount != 0)
	f.flag("agg_period", near&aggPeriod != 0)
}
