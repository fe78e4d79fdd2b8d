package extract

import (
	"math"

	"github.com/dealwire/dealwire/news"
)

// maxCoef keeps every mantissa far from int64 overflow.
const maxCoef = 1_000_000_000_000_000_000 / 10

// parseNumber reads a number token: "1,250.5", "4.500.000", "3,50,00,000",
// "1,5", "1 200". A lone comma followed by three digits groups thousands; a
// lone dot is a decimal point; when both occur the last one is the decimal
// separator. It reports false for more than 18 significant digits.
func parseNumber(s string) (news.Decimal, bool) {
	var commas, dots, spaces int
	lastSep := byte(0)
	lastPos := -1
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ',':
			commas++
			lastSep, lastPos = c, i
		case c == '.':
			dots++
			lastSep, lastPos = c, i
		case c >= '0' && c <= '9':
		default:
			spaces++
		}
	}
	decimal := -1 // byte index of the decimal separator
	switch {
	case commas > 0 && dots > 0:
		decimal = lastPos
		// "1.250.000,5" and "1,250,000.5": the other separator groups.
		if (lastSep == ',' && commas > 1) || (lastSep == '.' && dots > 1) {
			return news.Decimal{}, false
		}
	case commas == 1 && dots == 0:
		if digitsAfter(s, lastPos) != 3 {
			decimal = lastPos
		}
	case dots == 1 && commas == 0:
		decimal = lastPos
	}
	var coef int64
	var exp int32
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			continue
		}
		if coef == 0 && c == '0' && (decimal < 0 || i < decimal) {
			continue
		}
		if coef > maxCoef {
			return news.Decimal{}, false
		}
		coef = coef*10 + int64(c-'0')
		digits++
		if decimal >= 0 && i > decimal {
			exp--
		}
	}
	if decimal >= 0 && coef == 0 {
		exp = 0
	}
	return normDec(news.Decimal{Coef: coef, Exp: exp}), true
}

func digitsAfter(s string, i int) int {
	n := 0
	for j := i + 1; j < len(s) && s[j] >= '0' && s[j] <= '9'; j++ {
		n++
	}
	return n
}

// normDec strips trailing zeros from the mantissa.
func normDec(d news.Decimal) news.Decimal {
	if d.Coef == 0 {
		return news.Decimal{}
	}
	for d.Coef%10 == 0 {
		d.Coef /= 10
		d.Exp++
	}
	return d
}

// scaleDec multiplies d by 10^e, refusing absurd magnitudes.
func scaleDec(d news.Decimal, e int32) (news.Decimal, bool) {
	x := int64(d.Exp) + int64(e)
	if x > 30 || x < -30 {
		return news.Decimal{}, false
	}
	d.Exp = int32(x)
	return d, true
}

// mulDec multiplies two decimals when the product fits.
func mulDec(a, b news.Decimal) (news.Decimal, bool) {
	if a.Coef != 0 && b.Coef > math.MaxInt64/a.Coef {
		return news.Decimal{}, false
	}
	return scaleDec(normDec(news.Decimal{Coef: a.Coef * b.Coef, Exp: a.Exp}), b.Exp)
}

// addDec adds two decimals when the sum fits.
func addDec(a, b news.Decimal) (news.Decimal, bool) {
	for a.Exp > b.Exp {
		if a.Coef > maxCoef {
			return news.Decimal{}, false
		}
		a.Coef *= 10
		a.Exp--
	}
	for b.Exp > a.Exp {
		if b.Coef > maxCoef {
			return news.Decimal{}, false
		}
		b.Coef *= 10
		b.Exp--
	}
	if a.Coef > math.MaxInt64-b.Coef {
		return news.Decimal{}, false
	}
	return normDec(news.Decimal{Coef: a.Coef + b.Coef, Exp: a.Exp}), true
}

// cmpDec compares two decimals.
func cmpDec(a, b news.Decimal) int {
	fa, fb := a.Float64(), b.Float64()
	switch {
	case fa < fb:
		return -1
	case fa > fb:
		return 1
	}
	return 0
}

// moneyHit is an amount of money found at a token position.
type moneyHit struct {
	ti, tj     int // token range of the amount (range included, qualifier excluded)
	qi         int // first token of the qualifier, or ti
	value      news.Decimal
	max        *news.Decimal
	currency   string
	qualifier  string
	hasScale   bool
	spelled    bool
	curPrefix  bool
	curTokEnd  int // token after the prefix currency marker
	numEndTok  int // token after the number+scale of the first value
	smallPrice bool
}

// currencyAt reads a currency marker before a number at token i: a symbol
// ("$", "HK$"), or a code ("USD", "Rs.", "kr"). It returns the ISO code and
// the next token.
func (d *doc) currencyAt(i int) (string, int, bool) {
	if i >= len(d.toks) {
		return "", i, false
	}
	t := d.toks[i]
	if t.kind != tkCurSym && t.kind != tkWord || !d.has(i, bitCurWord) {
		return "", i, false
	}
	e, ok := d.v.curWord[d.tx(i)]
	if !ok || !e.pre {
		return "", i, false
	}
	next := i + 1
	if d.is(next, ".") && !d.toks[next].gap && (d.tx(i) == "Rs" || d.tx(i) == "Rp") {
		next++
	}
	return d.resolveCur(e.code), next, true
}

// currencyAfter reads a currency marker after a number at token i: a code,
// a symbol ("1,5 Mrd. €") or words ("million Swiss francs").
func (d *doc) currencyAfter(i int) (string, int, bool) {
	if i >= len(d.toks) {
		return "", i, false
	}
	if !d.has(i, bitCurWord|bitCurPhrase) {
		return "", i, false
	}
	if d.toks[i].kind == tkWord || d.toks[i].kind == tkCurSym {
		if e, ok := d.v.curWord[d.tx(i)]; ok && e.post {
			return d.resolveCur(e.code), i + 1, true
		}
	}
	if p, n := d.matchPhrase(d.v.curPhrase, i); n > 0 {
		return d.resolveCur(p.value), i + n, true
	}
	return "", i, false
}

// resolveCur turns a context-dependent marker into an ISO code.
func (d *doc) resolveCur(code string) string {
	c := &d.country
	switch code {
	case "?YEN":
		if c[countryIdx("CN")] > c[countryIdx("JP")] {
			return "CNY"
		}
		return "JPY"
	case "?KR":
		se, no, dk := c[countryIdx("SE")], c[countryIdx("NO")], c[countryIdx("DK")]
		switch {
		case no > se && no >= dk:
			return "NOK"
		case dk > se:
			return "DKK"
		}
		return "SEK"
	}
	return code
}

// scaleAt reads a scale word ("million", "bn", "m" glued to the number,
// "crore", "Mrd.") at token i.
func (d *doc) scaleAt(i int) (int32, int, bool) {
	if i >= len(d.toks) || d.toks[i].kind != tkWord || !d.has(i, bitScale) {
		return 0, i, false
	}
	w := d.tx(i)
	e, ok := d.v.scaleExct[w]
	if !ok {
		e, ok = d.v.scale[d.lw(i)]
		if ok && len(w) == 1 && w != d.lw(i) {
			// A single capital letter is only a scale when listed exactly.
			ok = false
		}
	}
	if !ok {
		return 0, i, false
	}
	if e.glued && d.toks[i].gap {
		return 0, i, false
	}
	// A glued letter must end the word: "5m" but not "5mg" (lexed apart
	// anyway) and not "5 million" spelled "5mil...".
	next := i + 1
	if next < len(d.toks) && !d.toks[next].gap && d.toks[next].kind == tkWord {
		return 0, i, false
	}
	if (d.lw(i) == "mrd" || d.lw(i) == "mio" || d.lw(i) == "mln" || d.lw(i) == "bln") && d.is(next, ".") && !d.toks[next].gap {
		next++
	}
	return e.exp, next, true
}

// numberAt reads a digit number at token i, then an optional scale word.
func (d *doc) numberAt(i int) (val news.Decimal, next int, scaled bool, ok bool) {
	if i >= len(d.toks) || d.toks[i].kind != tkNumber {
		return val, i, false, false
	}
	val, ok = parseNumber(d.tx(i))
	if !ok {
		return val, i, false, false
	}
	next = i + 1
	// "a $50-million round": a hyphen between number and scale word.
	if d.is(next, "-") && !d.toks[next].gap && next+1 < len(d.toks) && !d.toks[next+1].gap && d.toks[next+1].kind == tkWord && len(d.tx(next+1)) > 2 {
		if e, n, ok := d.scaleAt(next + 1); ok {
			if v, ok2 := scaleDec(val, e); ok2 {
				return v, n, true, true
			}
		}
	}
	if e, n, ok := d.scaleAt(next); ok {
		v, ok2 := scaleDec(val, e)
		if !ok2 {
			return val, i, false, false
		}
		return v, n, true, true
	}
	return val, next, false, true
}

// spelledAt reads a spelled-out amount: "two billion", "a quarter of a
// billion", "one and a half million", "Eighty-five million". A scale word is
// required so that "one" or "ten" alone never become money.
func (d *doc) spelledAt(i int) (news.Decimal, int, bool) {
	j := i
	var val news.Decimal
	switch {
	case d.lowIs(j, "a", "quarter", "of", "a"):
		val, j = news.Decimal{Coef: 25, Exp: -2}, j+4
	case d.lowIs(j, "three", "quarters", "of", "a"):
		val, j = news.Decimal{Coef: 75, Exp: -2}, j+4
	case d.lowIs(j, "half", "a"):
		val, j = news.Decimal{Coef: 5, Exp: -1}, j+2
	case d.lowIs(j, "a", "half"):
		val, j = news.Decimal{Coef: 5, Exp: -1}, j+2
	default:
		n, k, ok := d.cardinalAt(j)
		if !ok {
			return val, i, false
		}
		val, j = news.Decimal{Coef: n}, k
		if d.lowIs(j, "and", "a", "half") {
			val = news.Decimal{Coef: n*10 + 5, Exp: -1}
			j += 3
		}
	}
	if j >= len(d.toks) || d.toks[j].kind != tkWord {
		return val, i, false
	}
	e, ok := d.v.scale[d.lw(j)]
	if !ok || e.glued || len(d.lw(j)) < 4 {
		return val, i, false
	}
	v, ok := scaleDec(normDec(val), e.exp)
	return v, j + 1, ok
}

// cardinalAt reads a cardinal number in words up to 999: "eighty-five",
// "two hundred and fifty", "a"/"an"/"one".
func (d *doc) cardinalAt(i int) (int64, int, bool) {
	if i >= len(d.toks) || d.toks[i].kind != tkWord {
		return 0, i, false
	}
	w := d.lw(i)
	if w == "a" || w == "an" {
		return 1, i + 1, true
	}
	n, ok := d.v.numWord[w]
	if !ok {
		return 0, i, false
	}
	j := i + 1
	if n >= 20 && n%10 == 0 && d.is(j, "-") && j+1 < len(d.toks) {
		if u, ok := d.v.numWord[d.lw(j+1)]; ok && u < 10 {
			n += u
			j += 2
		}
	}
	if d.lowIs(j, "hundred") {
		n *= 100
		j++
		k := j
		if d.lowIs(k, "and") {
			k++
		}
		if m, kk, ok := d.cardinalAt(k); ok && m < 100 && d.lw(k) != "a" && d.lw(k) != "an" {
			n += m
			j = kk
		}
	}
	return n, j, true
}

// money recognizes an amount of money starting at token i: an optional
// currency marker, a number (digits or words) with an optional scale, a
// currency after the number when there was none before, and an optional
// range to a second figure. Approximation words before it become the
// qualifier; they are not part of the span.
func (d *doc) money(i int) (moneyHit, int, bool) {
	var h moneyHit
	h.ti = i
	j := i
	cur, k, ok := d.currencyAt(j)
	if ok {
		h.curPrefix = true
		j = k
		h.curTokEnd = k
		// "Rmb50mn", "$ 40M": the number must follow closely.
	}
	val, next, scaled, ok := d.numberAt(j)
	if !ok {
		if !h.curPrefix {
			val, next, ok = d.spelledAt(j)
			if !ok {
				return h, i + 1, false
			}
			scaled, h.spelled = true, true
		} else {
			return h, i + 1, false
		}
	}
	h.value, h.hasScale = val, scaled
	j = next
	h.numEndTok = j
	if !h.curPrefix {
		c, k, ok := d.currencyAfter(j)
		if !ok {
			return h, i + 1, false
		}
		// "40 million kr" is fine; "5 crore" alone is not money.
		cur, j = c, k
	}
	h.currency = cur
	h.tj = j
	h.qi = d.qualifierBefore(h.ti, &h.qualifier)
	d.moneyRange(&h)
	return h, h.tj, true
}

// moneyRange extends h over "-10 million", " to $3m", " and $25 million"
// (after "between"). A missing scale on the first figure is taken from the
// second: "$5-10 million".
func (d *doc) moneyRange(h *moneyHit) {
	j := h.tj
	if h.spelled || j >= len(d.toks) {
		return
	}
	sep := d.lw(j)
	switch sep {
	case "-", "–", "to":
	case "and":
		if h.qi == 0 || d.lw(h.qi-1) != "between" {
			return
		}
	default:
		return
	}
	k := j + 1
	if h.curPrefix {
		if c, kk, ok := d.currencyAt(k); ok {
			if c != h.currency {
				return
			}
			k = kk
		} else if sep != "-" && sep != "–" {
			return
		}
	} else if sep != "-" && sep != "–" {
		return
	}
	val2, next, scaled2, ok := d.numberAt(k)
	if !ok {
		return
	}
	if !h.curPrefix {
		c, kk, ok := d.currencyAfter(next)
		if !ok || c != h.currency {
			return
		}
		next = kk
	} else if h.numEndTok < h.tj {
		// "$5 million USD-10" — never a range.
		return
	}
	lo := h.value
	if !h.hasScale && scaled2 {
		// Take the scale of the second figure: "$5-10 million".
		raw, _ := parseNumber(d.tx(k))
		if raw.Coef != 0 {
			shift := int64(val2.Exp) - int64(raw.Exp)
			if v, ok := scaleDec(lo, int32(shift)); ok {
				lo = v
			}
		}
	}
	if cmpDec(val2, lo) <= 0 {
		return
	}
	h.value = lo
	hi := val2
	h.max = &hi
	h.tj = next
}

// qualifierBefore finds an approximation phrase ending right before token
// i and returns its first token; the phrase's canonical form goes to q.
func (d *doc) qualifierBefore(i int, q *string) int {
	best := i
	for n := 1; n <= 3 && i-n >= 0; n++ {
		s := i - n
		if p, m := d.matchPhrase(d.v.qualifier, s); m == n {
			best, *q = s, p.value
		}
	}
	return best
}

// moneyText is the exact text of the hit.
func (d *doc) spanOf(ti, tj int) (int, int) {
	return int(d.toks[ti].start), int(d.toks[tj-1].end)
}

// toMoney converts a hit into the wire type.
func (d *doc) toMoney(h moneyHit) news.Money {
	s, e := d.spanOf(h.ti, h.tj)
	m := news.Money{
		Value:     h.value,
		Currency:  h.currency,
		Text:      d.text[s:e],
		Span:      news.Span{Start: s, End: e},
		Approx:    h.qualifier != "",
		Qualifier: h.qualifier,
		Max:       h.max,
	}
	return m
}

// isMoneyStartCandidate is a quick filter before the full recognizer.
func (d *doc) isMoneyStartCandidate(i int) bool {
	t := d.toks[i]
	switch t.kind {
	case tkCurSym, tkNumber:
		return true
	case tkWord:
		if d.has(i, bitCurWord|bitNumWord) {
			return true
		}
		w := d.lw(i)
		return w == "a" || w == "an" || w == "half" || w == "three"
	}
	return false
}
