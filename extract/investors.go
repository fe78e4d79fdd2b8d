package extract

import (
	"strings"
	"unicode/utf8"
)

// nameRef is a name found in the text at tokens [s, e).
type nameRef struct {
	s, e      int
	canonical string
}

// gazAt returns the token length of the longest gazetteer name at i.
func (d *doc) gazAt(i int) int {
	n, _ := d.gazMatch(i)
	return n
}

func (d *doc) gazMatch(i int) (int, string) {
	if !d.has(i, bitGaz) {
		return 0, ""
	}
	best, canon := 0, ""
	for _, g := range d.v.gaz[d.tx(i)] {
		if len(g.words) <= best || i+len(g.words) > len(d.toks) {
			continue
		}
		ok := true
		for k, w := range g.words {
			if d.tx(i+k) != w {
				ok = false
				break
			}
		}
		if ok {
			best, canon = len(g.words), g.canonical
		}
	}
	return best, canon
}

// capRun reads a run of capitalised name words at i: "Bessemer Venture
// Partners", "U.S. Department of Energy", "SoftBank Vision Fund 2", "M12",
// "Johnson & Johnson Innovation". It stops before a possessive.
func (d *doc) capRun(i, limit int) int {
	j := i
	if j >= limit || !d.isCap(j) || d.v.stop[d.tx(j)] {
		return i
	}
	for j < limit {
		switch {
		case d.isCap(j):
			j++
		case d.toks[j].kind == tkNumber && j > i && (!d.toks[j].gap || d.isCap(j-1)) && !d.isYear(j):
			j++
		case d.toks[j].kind == tkWord && j > i && !d.toks[j].gap && d.toks[j-1].kind == tkNumber:
			j++ // "a16z" is lexed a 16 z
		case d.is(j, ".") && !d.toks[j].gap && j > i && utf8.RuneCountInString(d.tx(j-1)) == 1 && d.isCap(j-1):
			j++
		case (d.is(j, "'") || d.is(j, "’")) && j > i && strings.HasSuffix(d.tx(j-1), "s") && !d.toks[j].gap && j+1 < limit && d.isCap(j+1) && d.toks[j+1].gap:
			j++ // "Teachers' Venture Growth"
		case (d.is(j, "-") || d.is(j, "&")) && j > i && j+1 < limit && d.isCap(j+1):
			j++
		case d.is(j, ".") && !d.toks[j].gap && j > i && j+1 < limit && d.toks[j+1].kind == tkWord && !d.toks[j+1].gap && !d.isCap(j+1) && (j+2 >= limit || d.toks[j+2].gap || d.toks[j+2].kind == tkPunct):
			j += 2 // "Rocketship.vc", "Character.ai"
		case d.is(j, "/") && j > i && !d.toks[j].gap && j+1 < limit && !d.toks[j+1].gap && d.isCap(j+1):
			j++ // "Oak HC/FT"
		case d.toks[j].kind == tkWord && d.v.connect[d.lw(j)] && j > i && j+1 < limit && d.isCap(j+1) && !d.v.stop[d.tx(j+1)]:
			j++
		case d.lw(j) == "and" && j > i+2 && j+1 < limit && d.isCap(j+1) && !d.v.stop[d.tx(j+1)] && d.gazAt(j+1) == 0 && d.institutionOf(i, j):
			j++ // "Department of Science and Technology"
		default:
			return d.trimRun(i, j)
		}
	}
	return d.trimRun(i, j)
}

// institutionOf reports a run [i, j) such as "Department of Science" or
// "Ministry of Electronics": a public body whose name may go on with "and".
func (d *doc) institutionOf(i, j int) bool {
	switch d.lw(i) {
	case "department", "ministry", "institute", "university", "council", "office", "agency", "commission", "school", "academy", "bureau", "board":
	default:
		return false
	}
	for k := i + 1; k < j; k++ {
		if d.lw(k) == "of" {
			return true
		}
	}
	return false
}

// trimRun drops trailing connectors and stop words from a run.
func (d *doc) trimRun(i, j int) int {
	for j > i {
		last := j - 1
		if d.toks[last].kind == tkPunct && !d.is(last, ".") || d.toks[last].kind == tkWord && (d.v.connect[d.lw(last)] && !d.isCap(last) || d.v.stop[d.tx(last)] && !d.v.org[d.tx(last)]) {
			j--
			continue
		}
		if d.is(last, ".") && (last-1 < i || utf8.RuneCountInString(d.tx(last-1)) != 1) {
			j--
			continue
		}
		break
	}
	return j
}

// nameAt reads a name at i: the longer of a gazetteer match and a run of
// capitalised words.
func (d *doc) nameAt(i, limit int) (nameRef, bool) {
	n, canon := d.gazMatch(i)
	if i+n > limit {
		n, canon = 0, ""
	}
	e := d.capRun(i, limit)
	if n == 0 && d.toks[i].kind == tkWord && !d.isCap(i) {
		return nameRef{}, false
	}
	if i+n > e {
		e = i + n
	}
	if e <= i {
		return nameRef{}, false
	}
	if (canon == "" || i+n != e) && d.has(i, bitGaz) {
		if c, ok := d.v.gazCanon[normName(d.v, d.text[d.toks[i].start:d.toks[e-1].end])]; ok {
			canon = c
		} else if i+n != e {
			canon = ""
		}
	}
	return nameRef{s: i, e: e, canonical: canon}, true
}

func (d *doc) nameText(r nameRef) string {
	return d.text[d.toks[r.s].start:d.toks[r.e-1].end]
}

// personAfterTitle turns "Google CEO Eric Schmidt" and "Stripe co-founder
// John Collison" into the person's name.
func (d *doc) personAfterTitle(r nameRef, limit int) nameRef {
	// A title inside the run: "Google CEO Eric Schmidt".
	for k := r.s + 1; k < r.e-1; k++ {
		if d.v.title[d.lw(k)] && isUpperASCII(d.tx(k)) || d.tx(k) == "Chief" || d.tx(k) == "Founder" {
			if p, ok := d.nameAt(k+1, limit); ok && !d.v.title[d.lw(k+1)] {
				return p
			}
		}
	}
	// A lower-case title after it: "Stripe co-founder John Collison".
	j := r.e
	k := j
	for k < limit && k < j+6 && !d.isCap(k) && d.v.title[d.lw(k)] {
		k++
	}
	if k > j && k < limit && d.isCap(k) && !d.v.stop[d.tx(k)] {
		if p, ok := d.nameAt(k, limit); ok {
			return p
		}
	}
	return r
}

// nameAfterDescriptor turns "Swedish state-owned fund Industrifonden" and
// "Japanese conglomerate SoftBank" into the name at the end.
func (d *doc) nameAfterDescriptor(r nameRef, limit int) nameRef {
	k := r.e
	for k < limit && k < r.e+6 {
		switch {
		case d.is(k, "-") && !d.toks[k].gap:
		case d.toks[k].kind == tkWord && !d.isCap(k) && d.v.desc[d.lw(k)] && !listWords[d.lw(k)]:
		case d.toks[k].kind == tkWord && !d.isCap(k) && d.lw(k) == "state":
		default:
			if k > r.e && d.isCap(k) && !d.v.stop[d.tx(k)] {
				if p, ok := d.nameAt(k, limit); ok {
					return p
				}
			}
			return r
		}
		k++
	}
	return r
}

// listWords are descriptor words that also join or end lists.
var listWords = map[string]bool{"and": true, "as": true, "well": true, "including": true, "from": true, "of": true, "also": true, "a": true, "an": true, "the": true, "its": true}

// listItem is a name in a list of investors.
type listItem struct {
	nameRef
	lead bool
	// tail marks a name after the end of a "led by" group: "led by X, and
	// Y also invested", "led by X, as well as Z". It is a participant, not
	// a lead.
	tail bool
}

// isListEnd reports tokens that end a list of names.
func (d *doc) isListEnd(i, limit int) bool {
	if i >= limit {
		return true
	}
	switch d.toks[i].kind {
	case tkNewline:
		return true
	case tkPunct:
		switch d.tx(i) {
		case ".", ";", ":", "(", ")", "—", "–", "\"", "“", "”":
			return true
		}
	}
	return false
}

// parseList reads names separated by commas, "and", "&" and "as well as"
// from token i up to limit. Lower-case descriptors before a name are
// skipped ("existing investor Y Combinator", "angel investors A and B");
// items without a name ("a group of angels", "an unnamed lender") are
// skipped; a relative clause (", which led its Series A,") is skipped. The
// list ends at anything else.
func (d *doc) parseList(i, limit int) []listItem {
	limit = min(limit, i+2*maxWin)
	var out []listItem
	tail := false
	for items := 0; items < 16 && i < limit; items++ {
		itemStart := i
		// Skip descriptors.
		for i < limit && d.toks[i].kind == tkWord && !d.isCap(i) && d.v.desc[d.lw(i)] && d.gazAt(i) == 0 {
			if d.lowIs(i, "as", "well", "as") {
				i += 3
				continue
			}
			i++
		}
		if i >= limit || d.isListEnd(i, limit) {
			return out
		}
		if d.lw(i) == "which" || d.lw(i) == "who" {
			for i < limit && !d.is(i, ",") && !d.isListEnd(i, limit) {
				i++
			}
			if i < limit && d.is(i, ",") {
				i++
				continue
			}
			return out
		}
		if d.isCap(i) && d.v.stop[d.tx(i)] && d.gazAt(i) == 0 {
			i++
			items--
			continue
		}
		if _, _, ok := d.money(i); ok {
			return out
		}
		if _, _, ok := d.roundAt(i); ok {
			return out
		}
		r, ok := d.nameAt(i, limit)
		if !ok && d.toks[i].kind == tkNumber && !d.isYear(i) && i+1 < limit && d.isCap(i+1) {
			// "500 Global", "8 Roads Ventures": a name that starts
			// with a number.
			e := max(i+2, d.capRun(i+1, limit))
			r, ok = nameRef{s: i, e: e}, true
		}
		if ok {
			r = d.personAfterTitle(r, limit)
			r = d.nameAfterDescriptor(r, limit)
			j := r.e
			// "Microsoft's venture arm M12": a possessive is a descriptor.
			if (d.is(j, "'") || d.is(j, "’")) && d.lowIs(j+1, "s") {
				i = j + 2
				items--
				continue
			}
			// "the Wallenberg family's FAM": so is a name before a
			// common noun's possessive.
			if j+2 < limit && d.toks[j].kind == tkWord && !d.isCap(j) && (d.is(j+1, "'") || d.is(j+1, "’")) && d.lowIs(j+2, "s") && d.isCap(j+3) {
				i = j + 3
				items--
				continue
			}
			// "a Temasek-backed fund": an adjective, not a name.
			apposition := (d.lw(itemStart) == "a" || d.lw(itemStart) == "an") && j < limit && d.toks[j].kind == tkWord && !d.isCap(j) && d.lw(j) != "and"
			if d.speechAt(j) {
				// "led by TLcom Capital, TechCabal reports": the source
				// of the story, not an investor.
				return out
			}
			if d.is(j, "-") && !d.toks[j].gap || apposition {
				ok = false
			} else if d.lw(r.s) == "series" {
				ok = false
			} else {
				out = append(out, listItem{nameRef: r, tail: tail})
				i = j
			}
		}
		if !ok {
			// Skip this item to the next separator.
			for i < limit && !d.isListEnd(i, limit) && !d.is(i, ",") && d.lw(i) != "and" {
				if _, cue := d.cueAtIs("lead", i); cue && d.lw(i) != "including" {
					return out
				}
				if d.toks[i].kind == tkWord && !d.isCap(i) && !d.v.desc[d.lw(i)] {
					// "an unnamed lender from ...", "with X participating":
					// the list is over.
					return out
				}
				i++
			}
		}
		// Separator.
		switch {
		case i < limit && d.is(i, ","):
			i++
			if d.lowIs(i, "and") {
				i++
				// ", and Y also invested": a clause of its own.
				tail = tail || d.clauseHasOwnVerb(i, limit)
			}
			if d.lowIs(i, "as", "well", "as") {
				i += 3
				tail = true
			}
		case d.lowIs(i, "and") || d.is(i, "&"):
			i++
			tail = tail || d.lowIs(i-1, "and") && d.clauseHasOwnVerb(i, limit)
		case d.lowIs(i, "as", "well", "as"):
			i += 3
			tail = true
		case d.lowIs(i, "including"):
			i++
		default:
			return out
		}
	}
	return out
}

// speechAt reports a reporting verb at i ("reports", "said", "has
// learned", "told Reuters"): the name before it is a source.
func (d *doc) speechAt(i int) bool {
	if i < len(d.toks) && (d.lw(i) == "has" || d.lw(i) == "have") {
		i++
	}
	switch d.lw(i) {
	case "reports", "reported", "said", "says", "writes", "wrote", "learned", "learnt", "told", "tells", "noted", "notes", "confirmed", "confirms", "announced", "announces", "stated", "states", "added", "adds", "revealed", "reveals":
		return i < len(d.toks) && d.toks[i].kind == tkWord && d.toks[i].gap
	}
	return false
}

// clauseHasOwnVerb reports that the stretch from i to the next comma or
// list end has a participation verb of its own ("also invested",
// "participated", "joined"): the names there are a new clause's subject,
// not more names of the list before.
func (d *doc) clauseHasOwnVerb(i, limit int) bool {
	for k := i; k < limit && k < i+maxWin; k++ {
		if d.is(k, ",") || d.isListEnd(k, limit) {
			return false
		}
		if d.lw(k) == "also" {
			return true
		}
		if _, ok := d.cueAtIs("join", k); ok && d.toks[k].gap {
			switch d.lw(k) {
			case "led", "co-led", "leading", "lead", "leads", "co-leads", "co-leading":
				continue
			}
			return true
		}
	}
	return false
}

// auxWords may sit between a list of names and the verb that makes them
// investors: "Coatue is expected to lead", "Nvidia also took part".
var auxWords = map[string]bool{
	"also": true, "each": true, "is": true, "are": true, "was": true, "were": true, "expected": true,
	"to": true, "will": true, "would": true, "has": true, "have": true, "had": true, "jointly": true,
	"both": true, "reportedly": true, "all": true, "together": true, "agreed": true, "may": true,
	"could": true, "said": true, "says": true, "then": true, "likely": true, "set": true, "being": true,
}

// leftList reads the list of names that ends right before token i (a verb
// such as "led", "participated", "each committed"), skipping auxiliaries and
// a relative clause between them.
func (d *doc) leftList(i int) []listItem {
	s := max(d.sents[d.sentIdx(i)].s, i-maxWin)
	j := i
	for j > s && d.toks[j-1].kind == tkWord && auxWords[d.lw(j-1)] {
		j--
	}
	// "led by ASML, which invested €1.3 billion": the name before.
	if j-2 > s && (d.lw(j-1) == "which" || d.lw(j-1) == "who") && d.is(j-2, ",") {
		if items := d.leftList(j - 2); len(items) > 0 {
			return items[len(items)-1:]
		}
		return nil
	}
	// ", which led the company's Series A," before the verb.
	if j > s && d.is(j-1, ",") {
		for k := j - 2; k > s; k-- {
			if (d.lw(k) == "which" || d.lw(k) == "who") && d.is(k-1, ",") {
				j = k - 1
				break
			}
			if d.isListEnd(k, len(d.toks)) {
				break
			}
		}
	}
	end := j
	k := j
	for k > s {
		p := k - 1
		switch {
		case d.isCap(p), d.is(p, ","), d.is(p, "&"), d.lw(p) == "and":
		case d.toks[p].kind == tkNumber && p > s && !d.toks[p].gap:
		case d.toks[p].kind == tkNumber && p > s && d.isCap(p-1):
		case d.toks[p].kind == tkNumber && p+1 < end && d.isCap(p+1) && !d.isYear(p) && d.amtAt != nil && p < len(d.amtAt) && d.amtAt[p] == 0:
			// "500 Global".
		case d.toks[p].kind == tkWord && !d.toks[p].gap && p > s && d.toks[p-1].kind == tkNumber:
		case d.is(p, ".") && p > s && utf8.RuneCountInString(d.tx(p-1)) == 1:
		case d.is(p, "-") && !d.toks[p].gap && p > s && (d.isCap(p-1) || d.toks[p-1].kind == tkWord && d.v.desc[d.lw(p+1)]):
		case (d.is(p, "'") || d.is(p, "’")) && p+1 < end && d.lw(p+1) == "s":
		case d.lw(p) == "s" && p > s && (d.is(p-1, "'") || d.is(p-1, "’")):
		case d.toks[p].kind == tkWord && d.v.desc[d.lw(p)] && d.lw(p) != "from" && !(p+1 < end && (d.lw(p+1) == "and" || d.is(p+1, ",")) && d.isCap(p-1)):
			// A descriptor precedes a name; after a name and before
			// "and" it is that name's verb: "X returning and Y joining".
		case d.toks[p].kind == tkWord && d.v.connect[d.lw(p)]:
		case d.lowIs(p-2, "as", "well", "as"):
			k -= 2
		default:
			goto done
		}
		k--
	}
done:
	for k < end && (d.is(k, ",") || d.lw(k) == "and") {
		k++
	}
	if k >= end {
		return nil
	}
	items := d.parseList(k, end)
	// The list must reach the verb: "X, a Temasek-backed fund, led" keeps
	// only names that are followed by separators or the verb.
	return items
}
