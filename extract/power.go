package extract

import "github.com/dealwire/dealwire/news"

// powerHit is a power (W) or energy (Wh) figure at a token range.
type powerHit struct {
	ti, tj    int
	qi        int
	value     news.Decimal // watts or watt-hours
	energy    bool
	qualifier string
	// span marks one end of a span or a change written with the power
	// figure next to it ("from 8 MW to 240 MW"; markPowerSpans).
	span bool
	// past marks a figure set in the past (markPowerPast).
	past bool
	// other marks a figure of another project told in a clause of its
	// own (markPowerOther), or one of two ratings of a part of a larger
	// whole (markPowerRatings).
	other bool
}

// unitAt reads a power or energy unit at token i: "MW", "GWh",
// "gigawatts", "megawatt-hours".
func (d *doc) unitAt(i int) (unitEntry, int, bool) {
	if i >= len(d.toks) || d.toks[i].kind != tkWord || !d.has(i, bitUnitPhrase|bitUnitExact) {
		return unitEntry{}, i, false
	}
	if p, n := d.matchPhrase(d.v.units, bitUnitPhrase, i); n > 1 {
		exp := int32(0)
		for _, c := range p.value {
			exp = exp*10 + int32(c-'0')
		}
		return unitEntry{exp: exp, energy: p.class == "energy"}, i + n, true
	}
	if e, ok := d.v.unitExact[d.tx(i)]; ok {
		// A unit glued to a following word is something else ("MWhale").
		if i+1 < len(d.toks) && !d.toks[i+1].gap && d.toks[i+1].kind == tkWord {
			return unitEntry{}, i, false
		}
		return e, i + 1, true
	}
	if e, ok := d.v.unitExact[d.lw(i)]; ok && len(d.lw(i)) > 3 {
		return e, i + 1, true
	}
	return unitEntry{}, i, false
}

// power recognizes "2 GW", "1.2GW", "70-megawatt", "5.1 gigawatt-hours" and
// "first gigawatt" at token i. Units after "per" are prices, not figures.
func (d *doc) power(i int) (powerHit, int, bool) {
	var h powerHit
	h.ti = i
	var val news.Decimal
	j := i
	switch {
	case d.toks[i].kind == tkNumber:
		how := 0
		if d.decimalCommas() {
			how = dotGroups // "1.500 MW" beside "4,5 GW" is fifteen hundred
		}
		v, ok := parseNumberAs(d.tx(i), how)
		if !ok {
			return h, i + 1, false
		}
		val, j = v, i+1
		if e, n, ok := d.scaleAt(j); ok && e >= 3 && !d.in("power.not_scale", j) {
			// "1.5 million kW" is rare but exact.
			if v2, ok := scaleDec(val, e); ok {
				val, j = v2, n
			}
		}
		if d.is(j, "-") && !d.toks[j].gap {
			j++
		}
	case d.toks[i].kind == tkWord:
		if !d.has(i+1, bitUnitExact) {
			return h, i + 1, false
		}
		if !d.in("power.spelled_one", i) {
			return h, i + 1, false
		}
		val, j = news.Decimal{Coef: 1}, i+1
	default:
		return h, i + 1, false
	}
	u, next, ok := d.unitAt(j)
	if !ok {
		return h, i + 1, false
	}
	if d.toks[i].kind == tkWord {
		// Only the singular spelled unit: "its first gigawatt".
		if u.energy || !d.in("power.singular_unit", j) {
			return h, i + 1, false
		}
	}
	if i > 0 && (d.in("power.per", i-1) || d.lw(i-1) == "/") {
		return h, next, false
	}
	v, ok := scaleDec(val, u.exp)
	if !ok {
		return h, i + 1, false
	}
	h.value, h.energy, h.tj = v, u.energy, next
	h.qi = d.qualifierBefore(i, &h.qualifier)
	return h, next, true
}

// markPowerSpans marks the power figures written as the two ends of a span
// or a change: the second follows the first with only a word of
// power.span_to (and the second's qualifier) between them, or, when a word
// of power.span_from opens the first, with a few more words and no
// punctuation ("from 410 MW in 2020 to 2.2 GW in 2025"); both are power or
// both energy ("sites that range from 8 MW to 240 MW", "grows the
// pipeline by 3 GW to 11 GW"). Such figures give a range of sites or a
// before and after, not the plant a deal pays for (fundable).
func (d *doc) markPowerSpans(powers []powerHit) {
	for x := 1; x < len(powers); x++ {
		p, q := &powers[x-1], &powers[x]
		if p.energy != q.energy || q.qi <= p.tj || !d.in("power.span_to", q.qi-1) {
			continue
		}
		if q.qi == p.tj+1 || d.spanFrom(p, q) {
			p.span, q.span = true, true
		}
	}
}

// maxSpanGap is the most tokens that may stand between the first figure of
// a span opened by power.span_from and the word before the second.
const maxSpanGap = 4

// spanFrom reports a span opened by a word of power.span_from before p,
// with at most maxSpanGap tokens and no punctuation between p and the
// power.span_to word before q.
func (d *doc) spanFrom(p, q *powerHit) bool {
	if p.qi == 0 || !d.in("power.span_from", p.qi-1) || q.qi-1-p.tj > maxSpanGap {
		return false
	}
	for k := p.tj; k < q.qi-1; k++ {
		if d.toks[k].kind == tkPunct || d.toks[k].kind == tkNewline {
			return false
		}
	}
	return true
}

// markPowerPast marks the power figures whose clause the rules set in the
// past, as they would a money figure there (priorContext): an earlier
// project's cue ("its previous 50 MW farm"), a past year or opening ("In
// 2021, it completed the 80 MW Brook farm", "Three weeks ago, it signed
// for 640 MW"). The news does not pay for them (fundable).
func (d *doc) markPowerPast(powers []powerHit) {
	for x := range powers {
		p := &powers[x]
		a := amount{h: moneyHit{ti: p.ti, tj: p.tj, qi: p.qi}, sent: d.sentIdx(p.ti)}
		p.past = d.priorContext(&a)
	}
}

// markPowerOther marks the power figures of a clause after the first of
// their sentence that a word of power.other_project opens before them:
// another project of the same company, named beside the news ("Alder, which
// is also building the 140 MW Brook site", "as it also bought into the 90
// MW Cobalt park in May"). The news does not pay for them (fundable).
func (d *doc) markPowerOther(powers []powerHit) {
	for x := range powers {
		p := &powers[x]
		cs, sn := d.clauseStart(p.qi), d.sents[d.sentIdx(p.ti)]
		if d.otherOpening(sn.s, p.qi) || d.laterProject(p) || d.exampleBefore(sn.s, p.qi) || d.growthTarget(p) {
			p.other = true
			continue
		}
		if cs <= sn.s {
			continue
		}
		for k := cs; k < p.qi; k++ {
			if d.in("power.other_project", k) {
				p.other = true
				break
			}
		}
	}
}

// laterProject reports a word of power.later_project before power figure p
// in its clause, not before a time unit: a developer's next builds ("its
// next sites are the 250 MW Dune and 700 MW Fenn parks"), the rest of a
// fleet that another buyer takes ("the remaining 300 MW go to a second
// fund"). A period after the word, or after one more token, dates the
// plant the news pays for instead ("online next year", "in the next 12
// months").
func (d *doc) laterProject(p *powerHit) bool {
	for k := d.clauseStart(p.qi); k < p.qi; k++ {
		if d.in("power.later_project", k) && !d.in("power.later_time", k+1) && !d.in("power.later_time", k+2) {
			return true
		}
	}
	return false
}

// exampleBefore reports a word of power.example between tokens s and e:
// a power figure after "for instance" in its sentence is another company's
// plant given as an example ("Brindle, for instance, is building 300 MW of
// reactors with Cobalt").
func (d *doc) exampleBefore(s, e int) bool {
	return d.anyIn("power.example", s, e)
}

// growthTarget reports a power figure right after a word of
// power.target_to with a word of power.growth_verb later in its clause:
// the size a plant is to grow to ("soll auf 400 MW erweitert werden").
func (d *doc) growthTarget(p *powerHit) bool {
	if p.qi == 0 || !d.in("power.target_to", p.qi-1) {
		return false
	}
	return d.anyIn("power.growth_verb", p.tj, d.clauseEnd(p.tj))
}

// otherOpening reports a sentence from token s whose first word, before
// token e, is a word of power.other_opening: the sentence turns from the
// news to other deals or projects ("Other recent deals: the 400 MW Hollin
// wind farm", "Also on Tuesday, Brindle announced a 90 MW campus",
// "Meanwhile, Tessary took a final decision on its 60 MW plant"). Its power
// figures are another project's, as markPowerOther's are.
func (d *doc) otherOpening(s, e int) bool {
	for k := s; k < e; k++ {
		if d.toks[k].kind == tkWord {
			return d.in("power.other_opening", k)
		}
	}
	return false
}

// markPowerRatings marks two power figures of one clause joined by a word of
// money.range_and when a word of power.rating stands beside the second
// ("Hall A has 12 MW of IT load and 18 MW of gross capacity") and the text
// names a power figure larger than their sum: they rate one part of that
// whole twice, and the deal pays for the whole (fundable).
func (d *doc) markPowerRatings(powers []powerHit) {
	top := 0.0
	for _, p := range powers {
		if !p.energy {
			top = max(top, p.value.Float64())
		}
	}
	for x := 1; x < len(powers); x++ {
		p, q := &powers[x-1], &powers[x]
		if p.energy || q.energy || q.qi <= p.tj || d.clauseStart(q.qi) > p.ti {
			continue
		}
		if p.value.Float64()+q.value.Float64() >= top || !d.ratingPair(p, q) {
			continue
		}
		p.other, q.other = true, true
	}
}

// maxRatingGap is the most tokens a rating word may stand after the second
// figure of a pair (markPowerRatings), and between the two figures.
const maxRatingGap = 4

// ratingPair reports a word of money.range_and between p and q, with a
// word of power.rating between them or just after q.
func (d *doc) ratingPair(p, q *powerHit) bool {
	if q.qi-p.tj > 2*maxRatingGap {
		return false
	}
	and, rating := false, false
	end := min(q.tj+maxRatingGap, d.clauseEnd(q.tj))
	for k := p.tj; k < end; k++ {
		if k < q.qi && d.in("money.range_and", k) {
			and = true
		}
		if (k < q.qi || k >= q.tj) && d.in("power.rating", k) {
			rating = true
		}
	}
	return and && rating
}

// decimalCommas reports whether the text writes its numbers the way that
// groups thousands with dots: a number elsewhere with a lone comma before
// one, two or more than three digits ("4,5 GW"), with several dots
// ("1.250.000") or with a dot before a comma ("1.250,5"). Worked out once
// per text.
func (d *doc) decimalCommas() bool {
	if d.commaNums == 0 {
		d.commaNums = 1
		for i := range d.toks {
			if d.toks[i].kind == tkNumber && dotGroupShape(d.tx(i)) {
				d.commaNums = 2
				break
			}
		}
	}
	return d.commaNums == 2
}

// dotGroupShape reports whether the number s is written as only a text
// with decimal commas writes numbers (decimalCommas). Indian grouping
// ("3,50,00,000") has more than one comma and no dot, and is not.
func dotGroupShape(s string) bool {
	commas, dots, comma, dot := 0, 0, -1, -1 // counts, and the first of each
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',':
			if commas++; comma < 0 {
				comma = i
			}
		case '.':
			if dots++; dot < 0 {
				dot = i
			}
		}
	}
	switch {
	case commas == 1 && dots == 0:
		n := digitsAfter(s, comma)
		return n > 0 && n != 3
	case dots > 1 && commas == 0:
		return true
	case dots > 0 && commas == 1:
		return dot < comma
	}
	return false
}
