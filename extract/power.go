package extract

import "github.com/dealwire/dealwire/news"

// powerHit is a power (W) or energy (Wh) figure at a token range.
type powerHit struct {
	ti, tj    int
	qi        int
	value     news.Decimal // watts or watt-hours
	energy    bool
	qualifier string
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
		v, ok := parseNumber(d.tx(i))
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
