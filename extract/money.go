package extract

import (
	"fmt"

	"github.com/dealwire/dealwire/news"
)

// maxCoef keeps every mantissa far from int64 overflow.
const maxCoef = 1_000_000_000_000_000_000 / 10

// parseNumber reads a number token: "1,250.5", "4.500.000", "3,50,00,000",
// "1,5", "1 200". A lone comma followed by three digits groups thousands; a
// lone dot is a decimal point; when both occur the last one is the decimal
// separator. It reports false for more than 18 significant digits.
func parseNumber(s string) (news.Decimal, bool) { return parseNumberAs(s, 0) }

// Readings of a lone separator that the words around a number decide.
const (
	dotGroups    = 1 << iota // a lone dot before exactly three digits groups thousands: "213.000 Euro"
	commaDecimal             // a lone comma is a decimal comma: "9,488 millones" is 9.488 million
)

// parseNumberAs is parseNumber with the readings of a lone separator that
// how allows, for numbers written next to words of a language that groups
// thousands with dots and writes decimal commas.
func parseNumberAs(s string, how int) (news.Decimal, bool) {
	decimal, ok := decimalSeparator(s, how)
	if !ok {
		return news.Decimal{}, false
	}
	return readDigits(s, decimal)
}

// decimalSeparator decides which separator of the number s, if any, is its
// decimal point, from how many commas and dots it holds and where: it
// returns the separator's byte index or -1, and false for a number whose
// grouping contradicts itself ("1.250.000,5" is fine, "1,250.000,5" not).
// Any other byte (the space of "1 200") only groups.
func decimalSeparator(s string, how int) (int, bool) {
	var commas, dots int
	lastSep := byte(0)
	lastPos := -1
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ',':
			commas++
			lastSep, lastPos = c, i
		case '.':
			dots++
			lastSep, lastPos = c, i
		}
	}
	decimal := -1
	switch {
	case commas > 0 && dots > 0:
		decimal = lastPos
		// "1.250.000,5" and "1,250,000.5": the other separator groups.
		if (lastSep == ',' && commas > 1) || (lastSep == '.' && dots > 1) {
			return -1, false
		}
	case commas == 1 && dots == 0:
		// A decimal is not written with a trailing zero, so "1,000
		// millones" groups thousands even where commas are decimal (Mexican
		// and other American Spanish write it so).
		if n := digitsAfter(s, lastPos); n != 3 || (how&commaDecimal != 0 && s[lastPos+3] != '0') {
			decimal = lastPos
		}
	case dots == 1 && commas == 0:
		if how&dotGroups == 0 || digitsAfter(s, lastPos) != 3 || s[0] == '0' {
			decimal = lastPos
		}
	}
	return decimal, true
}

// readDigits reads the digits of s as an exact decimal whose fraction
// starts after byte decimal (none when it is -1). Leading zeros are not
// significant; it reports false for more than 18 significant digits.
func readDigits(s string, decimal int) (news.Decimal, bool) {
	var coef int64
	var exp int32
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
	ti, tj    int // token range of the amount (range included, qualifier excluded)
	qi        int // first token of the qualifier, or ti
	value     news.Decimal
	max       *news.Decimal
	currency  string
	qualifier string
	hasScale  bool
	spelled   bool
	curPrefix bool
	curTokEnd int // token after the prefix currency marker
	numEndTok int // token after the number+scale of the first value
}

// currencyAt reads a currency marker before a number at token i: a symbol
// ("$", "HK$"), a code ("USD", "kr") or a marker of several tokens ("Rs.",
// "U.S.$", "USD $"). It returns the code as listed, which may still depend
// on the context (see resolveCur), and the next token.
func (d *doc) currencyAt(i int) (string, int, bool) {
	if i >= len(d.toks) {
		return "", i, false
	}
	t := d.toks[i]
	if t.kind != tkCurSym && t.kind != tkWord {
		return "", i, false
	}
	// A marker of several tokens starts with a capital: "US $35 million",
	// while in "gave us $5 million" the pronoun stands before a plain "$".
	if t.kind == tkWord && d.has(i, bitCurPhrase) && d.tx(i) != d.lw(i) {
		if p, n := d.matchPhrase(d.v.curPhrase, bitCurPhrase, i); n > 1 && p.class != "post" {
			return p.value, i + n, true
		}
	}
	if !d.has(i, bitCurWord) {
		return "", i, false
	}
	e, ok := d.v.curWord[d.tx(i)]
	if !ok || !e.pre || e.exp != 0 {
		return "", i, false
	}
	return e.code, i + 1, true
}

// currencyAfter reads a currency marker after a number at token i: a code,
// a symbol ("1,5 Mrd. €") or words ("million Swiss francs"); after a scale
// word also a linking word before them ("5 millions d’euros", "7,3 milioni
// di euro", words/link.tsv). It returns the code as listed, the power of
// ten that the marker itself carries ("3,9 MDH" counts millions of dirhams)
// and the next token.
func (d *doc) currencyAfter(i int, scaled bool) (string, int32, int, bool) {
	if c, exp, next, ok := d.currencyWordAfter(i); ok {
		return c, exp, next, true
	}
	if !scaled {
		return "", 0, i, false
	}
	n := d.linkAt(i)
	if n == 0 {
		return "", 0, i, false
	}
	c, exp, next, ok := d.currencyWordAfter(i + n)
	if !ok || exp != 0 || d.isNumber(next) {
		// "the first 4 million of USD 10 million": a code before a
		// number belongs to that number.
		return "", 0, i, false
	}
	return c, exp, next, true
}

// currencyWordAfter reads a currency marker that may follow a figure.
func (d *doc) currencyWordAfter(i int) (string, int32, int, bool) {
	if i >= len(d.toks) || !d.has(i, bitCurWord|bitCurPhrase) {
		return "", 0, i, false
	}
	if d.toks[i].kind == tkWord || d.toks[i].kind == tkCurSym {
		if e, ok := d.v.curWord[d.tx(i)]; ok && e.post {
			return e.code, e.exp, i + 1, true
		}
	}
	if p, n := d.matchPhrase(d.v.curPhrase, bitCurPhrase, i); n > 0 && p.class != "pre" {
		return p.value, 0, i + n, true
	}
	return "", 0, i, false
}

// linkAt returns the length in tokens of a linking word between a scale
// word and a currency at token i ("de", "d’", "di"), or 0.
func (d *doc) linkAt(i int) int {
	if i >= len(d.toks) || d.toks[i].kind != tkWord {
		return 0
	}
	n := 0
	for _, p := range d.v.curLink[d.lw(i)] {
		if len(p.words) > n && d.matchWords(p.words, i) {
			n = len(p.words)
		}
	}
	return n
}

func (d *doc) isNumber(i int) bool { return i < len(d.toks) && d.toks[i].kind == tkNumber }

// resolveCur turns a context-dependent marker into an ISO code; i is the
// first token of the amount.
func (d *doc) resolveCur(code string, i int) string {
	if code == "" || code[0] != '?' {
		return code
	}
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
	cc, ok := d.v.curCtx[code]
	if !ok {
		return code
	}
	// The nearest place or nationality word within the look-around bound
	// decides: "8 billion shillings" near "Kenya" are Kenyan.
	for k := 1; k <= maxWin; k++ {
		for _, x := range [2]int{i - k, i + k} {
			if x >= 0 && x < len(d.toks) && d.toks[x].kind == tkWord {
				if iso, ok := cc.byWord[d.tx(x)]; ok {
					return iso
				}
			}
		}
	}
	return cc.dflt
}

// curContext is how words near an amount resolve one context-dependent
// currency code (words/curcontext.tsv).
type curContext struct {
	byWord map[string]string // place or nationality word → ISO code
	dflt   string            // the code when no word is near
}

// addCurContext reads a line of words/curcontext.tsv: code, word (or "*"
// for the default), ISO code.
func (v *vocab) addCurContext(c []string) error {
	if len(c) < 3 {
		return fmt.Errorf("want 3 columns, got %d", len(c))
	}
	if v.curCtx == nil {
		v.curCtx = map[string]curContext{}
	}
	cc, ok := v.curCtx[c[0]]
	if !ok {
		cc = curContext{byWord: map[string]string{}}
	}
	if c[1] == "*" {
		cc.dflt = c[2]
	} else {
		cc.byWord[c[1]] = c[2]
	}
	v.curCtx[c[0]] = cc
	return nil
}

// scaleAt reads a scale word ("million", "bn", "m" glued to the number,
// "crore", "Mrd.", "mil millones") at token i and returns its power of ten.
func (d *doc) scaleAt(i int) (int32, int, bool) {
	e, next, ok := d.scaleEntryAt(i)
	return e.exp, next, ok
}

// scaleEntryAt is scaleAt with the entry's flags. A larger scale word right
// after the first multiplies it: "5 mil millones" (Spanish) and "5 thousand
// million" are 5×10^9.
func (d *doc) scaleEntryAt(i int) (scaleEntry, int, bool) {
	e, next, ok := d.scaleWordAt(i)
	if !ok || e.glued || next >= len(d.toks) || !d.toks[next].gap {
		return e, next, ok
	}
	if e2, n2, ok2 := d.scaleWordAt(next); ok2 && !e2.glued && e2.exp > e.exp {
		e2.exp += e.exp
		e2.comma = e2.comma || e.comma
		return e2, n2, true
	}
	return e, next, ok
}

// scaleWordAt reads one scale word, with the full stop of an abbreviation
// ("Mio.", "mld.").
func (d *doc) scaleWordAt(i int) (scaleEntry, int, bool) {
	if i >= len(d.toks) || d.toks[i].kind != tkWord || !d.has(i, bitScale) {
		return scaleEntry{}, i, false
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
		return scaleEntry{}, i, false
	}
	if e.glued && d.toks[i].gap {
		return scaleEntry{}, i, false
	}
	// A glued letter must end the word: "5m" but not "5mg" (lexed apart
	// anyway) and not "5 million" spelled "5mil...".
	next := i + 1
	if next < len(d.toks) && !d.toks[next].gap && d.toks[next].kind == tkWord {
		return scaleEntry{}, i, false
	}
	if e.dotExp != 0 && d.is(next, ".") && !d.toks[next].gap && d.midSentenceWord(next+1) {
		e.exp, e.comma, e.ctx = e.dotExp, false, false
		return e, next + 1, true
	}
	if e.abbr && d.is(next, ".") && !d.toks[next].gap {
		next++
	}
	return e, next, true
}

// midSentenceWord reports a lower-case word at token i after a gap: the
// full stop before it ends an abbreviation, not a sentence.
func (d *doc) midSentenceWord(i int) bool {
	return i < len(d.toks) && d.toks[i].gap && d.toks[i].kind == tkWord && !d.isCap(i)
}

// figure is a number read at a token, with its scale word.
type figure struct {
	val    news.Decimal
	next   int // token after the number and scale
	scaled bool
	scale  scaleEntry
	how    int // the reading of separators the number was parsed with
}

// numberAt reads a digit number at token i, then an optional scale word. A
// scale word of a language that writes decimal commas decides the reading
// of a lone separator: "1,250 Millionen" is 1.25 million.
func (d *doc) numberAt(i int) (figure, bool) {
	f := figure{next: i}
	if i >= len(d.toks) || d.toks[i].kind != tkNumber {
		return f, false
	}
	next := i + 1
	e, n, ok := scaleEntry{}, next, false
	// "a $50-million round": a hyphen between number and scale word.
	if d.is(next, "-") && !d.toks[next].gap && next+1 < len(d.toks) && !d.toks[next+1].gap && d.toks[next+1].kind == tkWord && len(d.tx(next+1)) > 2 {
		e, n, ok = d.scaleEntryAt(next + 1)
	}
	if !ok {
		e, n, ok = d.scaleEntryAt(next)
	}
	if ok && e.comma {
		f.how = dotGroups | commaDecimal
	}
	val, okv := parseNumberAs(d.tx(i), f.how)
	if !okv {
		return f, false
	}
	if !ok {
		f.val, f.next = val, next
		return f, true
	}
	v, ok := scaleDec(val, e.exp)
	if !ok {
		return f, false
	}
	f.val, f.next, f.scaled, f.scale = v, n, true, e
	return f, true
}

// spelledAt reads a spelled-out amount: "two billion", "a quarter of a
// billion", "one and a half million", "Eighty-five million". A scale word is
// required so that "one" or "ten" alone never become money.
func (d *doc) spelledAt(i int) (news.Decimal, int, bool) {
	val, j := d.spelledFraction(i)
	if j == i {
		n, k, ok := d.cardinalAt(j)
		if !ok {
			return val, i, false
		}
		val, j = news.Decimal{Coef: n}, k
		if m := d.phraseAt("money.spelled_and_half", j); m > 0 {
			val = news.Decimal{Coef: n*10 + 5, Exp: -1}
			j += m
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

// spelledFractions are the fractions of a scale word that a phrase of a
// class of words/rules_money.tsv spells before it ("a quarter of a
// billion", "half a million").
var spelledFractions = [...]struct {
	class string
	val   news.Decimal
}{
	{"money.spelled_quarter", news.Decimal{Coef: 25, Exp: -2}},
	{"money.spelled_three_quarters", news.Decimal{Coef: 75, Exp: -2}},
	{"money.spelled_half", news.Decimal{Coef: 5, Exp: -1}},
}

// spelledFraction reads a spelled fraction of the scale word after it at
// token i and returns its value and the token after it, or i when there is
// none.
func (d *doc) spelledFraction(i int) (news.Decimal, int) {
	for _, f := range spelledFractions {
		if n := d.phraseAt(f.class, i); n > 0 {
			return f.val, i + n
		}
	}
	return news.Decimal{}, i
}

// cardinalAt reads a cardinal number in words up to 999: "eighty-five",
// "two hundred and fifty", "a"/"an"/"one".
func (d *doc) cardinalAt(i int) (int64, int, bool) {
	if i >= len(d.toks) || d.toks[i].kind != tkWord {
		return 0, i, false
	}
	if d.in("money.article_one", i) {
		return 1, i + 1, true
	}
	if !d.numWordAt(i) {
		return 0, i, false
	}
	n := d.v.numWord[d.lw(i)]
	j := i + 1
	if n >= 20 && n%10 == 0 && d.is(j, "-") && j+1 < len(d.toks) {
		if u := d.v.numWord[d.lw(j+1)]; d.numWordAt(j+1) && u < 10 {
			n += u
			j += 2
		}
	}
	if d.in("money.hundred", j) {
		n *= 100
		j++
		k := j
		if d.in("money.cardinal_and", k) {
			k++
		}
		if m, kk, ok := d.cardinalAt(k); ok && m < 100 && !d.in("money.article_one", k) {
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
func (d *doc) money(i int) (moneyHit, int, bool) { return d.moneyAt(i, true) }

// moneyAt is money; ctx lets a figure with no currency take the currency
// of the amount before it (see contextCurrency).
func (d *doc) moneyAt(i int, ctx bool) (moneyHit, int, bool) {
	var h moneyHit
	h.ti = i
	code, j := d.moneyPrefix(&h, i)
	f, ok := d.moneyFigure(&h, j)
	if !ok {
		return h, i + 1, false
	}
	h.value, h.hasScale = f.val, f.scaled
	j = f.next
	h.numEndTok = j
	if !h.curPrefix {
		code, j, ok = d.moneySuffix(&h, f, j, ctx)
		if !ok {
			code, j, ok = d.leadingRange(&h, f, j)
		}
		if !ok {
			return h, i + 1, false
		}
	} else {
		code, j = d.settlePrefix(code, j)
	}
	h.currency = d.resolveCur(code, i)
	h.tj = j
	h.qi = d.qualifierBefore(h.ti, &h.qualifier)
	d.moneyRange(&h)
	return h, h.tj, true
}

// moneyPrefix reads the currency marker that opens an amount at token i,
// with a hyphen that joins a code to its figure ("EUR-570-million"), and
// records it in h. It returns the marker's code ("" when there is none)
// and the token of the figure.
func (d *doc) moneyPrefix(h *moneyHit, i int) (string, int) {
	code, j, ok := d.currencyAt(i)
	if !ok {
		return code, i
	}
	h.curPrefix = true
	// "EUR-570-million": a code joined to a scaled figure by hyphens.
	if d.toks[i].kind == tkWord && d.is(j, "-") && !d.toks[j].gap && j+1 < len(d.toks) && !d.toks[j+1].gap {
		if f, ok := d.numberAt(j + 1); ok && f.scaled {
			j++
		}
	}
	h.curTokEnd = j
	return code, j
}

// moneyFigure reads the figure of an amount at token j: digits with an
// optional scale word or, with no currency before it, a spelled-out
// amount, which always has a scale ("two billion").
func (d *doc) moneyFigure(h *moneyHit, j int) (figure, bool) {
	f, ok := d.numberAt(j)
	if ok || h.curPrefix {
		return f, ok
	}
	val, next, ok := d.spelledAt(j)
	if !ok {
		return f, false
	}
	h.spelled = true
	return figure{val: val, next: next, scaled: true}, true
}

// moneySuffix reads the currency of an amount with no marker before it,
// at token j after its figure f: a marker after the figure ("40 million
// kr", "3,9 MDH", which scales h), or the currency of the amounts around a
// scale word that counts money alone. "5 crore" with neither is not money.
// It returns the code and the token after the amount.
func (d *doc) moneySuffix(h *moneyHit, f figure, j int, ctx bool) (string, int, bool) {
	c, exp, k, ok := d.currencyAfter(j, f.scaled)
	switch {
	case ok:
		if exp != 0 {
			v, ok := scaleDec(h.value, exp)
			if !ok {
				return "", j, false
			}
			h.value, h.hasScale = v, true
		} else if !f.scaled && !h.spelled {
			// "213.000 Euro": with the currency written after it, a
			// lone dot before three digits groups thousands (the
			// price rows of "EUR 1.073" put the code before).
			if v, ok := parseNumberAs(d.tx(h.ti), dotGroups); ok {
				h.value = v
			}
		}
		return c, k, true
	case ctx && !h.spelled && f.scale.ctx && !d.isCap(j) && d.linkAt(j) == 0:
		// "Gar 82 Millionen gab es": a scale word of a language that
		// links or capitalises counted nouns ("Millionen Nutzer",
		// "millions d’utilisateurs"), standing alone, counts money
		// in the currency of the amounts around it.
		c, ok := d.contextCurrency(h.ti)
		return c, j, ok
	}
	return "", j, false
}

// settlePrefix lets a code after the figure settle a prefix marker that
// depends on context ("$1.35M CAD"), unless the code opens the next
// figure. It returns the code and the token after the amount.
func (d *doc) settlePrefix(code string, j int) (string, int) {
	if code[0] != '?' || j >= len(d.toks) || d.toks[j].kind != tkWord || !d.has(j, bitCurWord) {
		return code, j
	}
	if e, ok := d.v.curWord[d.tx(j)]; ok && e.post && e.exp == 0 && e.code[0] != '?' && !d.isNumber(j+1) {
		return e.code, j + 1
	}
	return code, j
}

// contextCurrency is the currency of the nearest amount before token i
// that names one, within twice the look-around bound; for a figure of the
// headline, which has no text before it, the first amount of the text
// below that names one ("obtiene 140 millones" over "140 millones de
// euros"), within the same bound after the headline.
func (d *doc) contextCurrency(i int) (string, bool) {
	for k := i - 1; k >= 0 && k >= i-2*maxWin; k-- {
		if !d.isMoneyStartCandidate(k) {
			continue
		}
		if h, _, ok := d.moneyAt(k, false); ok && h.tj <= i {
			return h.currency, true
		}
	}
	if len(d.sents) < 2 || !d.sents[0].headline || i >= d.sents[0].e {
		return "", false
	}
	for k := d.sents[0].e; k < len(d.toks) && k < d.sents[0].e+2*maxWin; k++ {
		if !d.isMoneyStartCandidate(k) {
			continue
		}
		if h, _, ok := d.moneyAt(k, false); ok {
			return h.currency, true
		}
	}
	return "", false
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
	dash := sep == "-" || sep == "–"
	if !dash && !d.rangeWord(h, sep) {
		return
	}
	k, ok := d.rangeCurrency(h, j+1, dash)
	if !ok {
		return
	}
	f2, next, ok := d.rangeSecond(h, k)
	if !ok {
		return
	}
	lo := d.rangeLow(h, k, f2)
	if cmpDec(f2.val, lo) <= 0 {
		return
	}
	h.value = lo
	hi := f2.val
	h.max = &hi
	h.tj = next
}

// leadingRange reads a range whose first figure f has no currency of its
// own, at token j after f: "40 bis 55 Milliarden Dollar", "entre 3 et 6
// millions d’euros", "7 billion to 9 billion Danish kroner". The second
// figure must be scaled and followed by its currency, which both take; the
// first takes the second's scale when it has none, and must then be the
// smaller number as written ("in 2019 to 3 billion euros" is no range). It
// returns the currency code and the token after the range.
func (d *doc) leadingRange(h *moneyHit, f figure, j int) (string, int, bool) {
	if h.spelled || j+1 >= len(d.toks) {
		return "", j, false
	}
	var q string
	h.qi = d.qualifierBefore(h.ti, &q)
	if sep := d.lw(j); sep != "-" && sep != "–" && !d.rangeWord(h, sep) {
		return "", j, false
	}
	f2, ok := d.numberAt(j + 1)
	if !ok || !f2.scaled {
		return "", j, false
	}
	c, exp, next, ok := d.currencyAfter(f2.next, true)
	if !ok || exp != 0 {
		return "", j, false
	}
	if !f.scaled {
		raw1, ok1 := parseNumberAs(d.tx(h.ti), f2.how)
		raw2, ok2 := parseNumberAs(d.tx(j+1), f2.how)
		if !ok1 || !ok2 || cmpDec(raw1, raw2) >= 0 {
			return "", j, false
		}
		h.value = raw1
	}
	lo := d.rangeLow(h, j+1, f2)
	if cmpDec(f2.val, lo) <= 0 {
		return "", j, false
	}
	hi := f2.val
	h.value, h.max, h.hasScale = lo, &hi, true
	return c, next, true
}

// rangeWord reports whether sep joins the two figures of a range: "to", or
// "and" after "between" ("between $15 billion and $20 billion"); a bare
// "and" joins two amounts, not a range.
func (d *doc) rangeWord(h *moneyHit, sep string) bool {
	if d.inWord("money.range_to", sep) {
		return true
	}
	return d.inWord("money.range_and", sep) && h.qi != 0 && d.in("money.range_between", h.qi-1)
}

// rangeCurrency reads the currency marker of a range's second figure at
// token k when the first had one before it: it must name the same
// currency, and only a dash may leave it out ("$5-10 million", not "$5 to
// 10"). It returns the token of the second figure.
func (d *doc) rangeCurrency(h *moneyHit, k int, dash bool) (int, bool) {
	if h.curPrefix {
		if c, kk, ok := d.currencyAt(k); ok {
			return kk, d.resolveCur(c, k) == h.currency
		}
	}
	return k, dash
}

// rangeSecond reads the second figure of a range at token k, with its
// currency after it when the first figure had its currency after it too;
// the currencies must agree. It returns the figure and the token after the
// range.
func (d *doc) rangeSecond(h *moneyHit, k int) (figure, int, bool) {
	f2, ok := d.numberAt(k)
	if !ok {
		return f2, k, false
	}
	next := f2.next
	if h.curPrefix {
		// "$5 million USD-10" — never a range.
		return f2, next, h.numEndTok >= h.tj
	}
	c, exp, kk, ok := d.currencyAfter(next, f2.scaled)
	if !ok || d.resolveCur(c, next) != h.currency {
		return f2, next, false
	}
	if exp != 0 {
		v, ok := scaleDec(f2.val, exp)
		if !ok {
			return f2, next, false
		}
		f2.val, f2.scaled = v, true
	}
	return f2, kk, true
}

// rangeLow is the range's first value, which takes the scale of the second
// figure (at token k) when it has none: "$5-10 million" is $5 million to
// $10 million.
func (d *doc) rangeLow(h *moneyHit, k int, f2 figure) news.Decimal {
	lo := h.value
	if !h.hasScale && f2.scaled {
		raw, _ := parseNumberAs(d.tx(k), f2.how)
		if raw.Coef != 0 {
			shift := int64(f2.val.Exp) - int64(raw.Exp)
			if v, ok := scaleDec(lo, int32(shift)); ok {
				lo = v
			}
		}
	}
	return lo
}

// qualifierBefore finds an approximation phrase ending right before token
// i and returns its first token; the phrase's canonical form goes to q.
func (d *doc) qualifierBefore(i int, q *string) int {
	best := i
	for n := 1; n <= 3 && i-n >= 0; n++ {
		s := i - n
		if p, m := d.matchPhrase(d.v.qualifier, bitQualifier, s); m == n {
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

// mayStartMoney is false where isMoneyStartCandidate(i) is: a token that
// is no currency symbol, number or word, or a word with none of the
// vocabulary bits and the hot class that let one open an amount. Small
// enough to be inlined where scan asks it of every token.
func (d *doc) mayStartMoney(i int) bool {
	switch d.toks[i].kind {
	case tkCurSym, tkNumber:
		return true
	case tkWord:
		if d.mask[i]&(bitCurWord|bitNumWord|bitCurPhrase) != 0 {
			return true
		}
		e := d.info[i] // a word's entry (doc.entry), nil when it has none
		return e != nil && e.hot&hotSpelledStart != 0
	}
	return false
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
		if d.has(i, bitCurPhrase) && d.tx(i) != d.lw(i) {
			return true // "U.S.$", "USD $"
		}
		return d.inHot(hotSpelledStart, i) // "money.spelled_start"
	}
	return false
}
