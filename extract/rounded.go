package extract

import "math"

// A headline often rounds the figure its body gives: "Halvard gets $7
// million" over "has taken Rs 58 crore (about $6.9 million)", a digest's
// item heading "$41.6m" over "comes to $41.5 million". The rounded figure
// restates the precise one; read as its own raise it was a second deal of
// the same news.

// maxRoundedScan bounds the figures roundedRaise compares a raise with, so
// that time stays linear.
const maxRoundedScan = 64

// roundedRaise is the raise that raise i restates rounded, -1 when there is
// none. Raise i stands in a heading line (the headline, a digest's item
// heading, a bullet) and the other raise after it, or the raise whose
// conversion it is; in the same currency, the other's value is within one
// unit of the last digit of i's and within 3% of it, and is written with
// as many digits or more. A roundup's next item with a near figure
// ("Alder took $9 million. ... Brook got $8.8 million") stands in a
// sentence, not a heading.
func (d *doc) roundedRaise(amts []amount, i int) int {
	x := amts[i].h
	if !d.headingLine(amts[i].sent) {
		return -1
	}
	for j := i + 1; j < len(amts) && j < i+maxRoundedScan; j++ {
		if amts[j].h.currency != x.currency {
			continue
		}
		o := j
		if amts[j].role == roleEquiv && amts[j].equivOf >= 0 {
			o = amts[j].equivOf
		}
		if o == i || amts[o].role != roleRaise || !d.newsSentence(amts[o].sent) {
			continue
		}
		if roundingOf(x, amts[j].h) >= 0 {
			return o
		}
	}
	return -1
}

// headingLine reports that sentence k is a whole line without a final full
// stop, with more text after it.
func (d *doc) headingLine(k int) bool {
	sn := d.sents[k]
	if sn.e <= sn.s || sn.e >= len(d.toks) || d.toks[sn.e].kind != tkNewline || d.tx(sn.e-1) == "." {
		return false
	}
	return sn.s == 0 || d.toks[sn.s-1].kind == tkNewline
}

// newsSentence reports that sentence k may hold a deal's news: it is
// neither press-release boilerplate nor a teaser line.
func (d *doc) newsSentence(k int) bool {
	return k < d.boiler && !d.sents[k].teaser
}

// roundingOf compares figure x with a figure y of the same currency: 1
// when x rounds y (fewer digits), 0 when they have as many digits and
// differ by at most one unit of the last ("$41.6m" over "$41.5 million"),
// -1 when x does not round y (equal values restate each other by the
// exact rules).
func roundingOf(x, y moneyHit) int {
	kx, ky := valKey(x), valKey(y)
	if kx == ky || x.max != nil || y.max != nil {
		return -1
	}
	dx, dy := digits(kx.coef), digits(ky.coef)
	if dx > dy {
		return -1
	}
	fx, fy := x.value.Float64(), y.value.Float64()
	diff := math.Abs(fx - fy)
	if diff > math.Pow(10, float64(kx.exp))*(1+1e-9) || diff > 0.03*math.Max(fx, fy) {
		return -1
	}
	if dx < dy {
		return 1
	}
	return 0
}

// digits is the number of decimal digits of c.
func digits(c int64) int {
	n := 1
	for c >= 10 || c <= -10 {
		c /= 10
		n++
	}
	return n
}
