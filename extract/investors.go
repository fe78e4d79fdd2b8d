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
	if j >= limit || !d.isCap(j) {
		return i
	}
	if d.rawIn(j, setStop, d.v.stop) {
		return d.stopHeadRun(i, limit)
	}
	for j < limit {
		// A dotted form opens with a letter of one byte, past the run's
		// first word: dottedLegal is called only then, not at every word.
		if j > i && d.toks[j].end == d.toks[j].start+1 {
			if e := d.dottedLegal(j, limit); e > j {
				j = e // "Banca Rivale S.p.A.", "Orvik N.V."
				continue
			}
		}
		switch {
		case d.gluedAt(j) && j > i:
			return d.trimRun(i, j) // "Alder CapitalBrook Ventures": the next name
		case d.isCap(j):
			j++
		case d.toks[j].kind == tkNumber && j > i && (!d.toks[j].gap || d.isCap(j-1)) && !d.isYear(j):
			j++
		case d.toks[j].kind == tkWord && j > i && !d.toks[j].gap && d.toks[j-1].kind == tkNumber:
			j++ // "a16z" is lexed a 16 z
		case d.is(j, ".") && !d.toks[j].gap && j > i && utf8.RuneCountInString(d.tx(j-1)) == 1 && d.isCap(j-1):
			j++
		case d.is(j, ".") && j > i && j+1 < limit && d.isCap(j+1) && d.legalAt(j-1) && d.legalAt(j+1):
			j++ // "Tarnside Cabs Pvt. Ltd", "Oskarby Pharma Co. Ltd."
		case (d.is(j, "'") || d.is(j, "’")) && j > i && d.v.endsIn("investors.plural_end", d.tx(j-1)) && !d.toks[j].gap && j+1 < limit && d.isCap(j+1) && d.toks[j+1].gap:
			j++ // "Teachers' Venture Growth"
		case (d.is(j, "-") || d.is(j, "&")) && j > i && j+1 < limit && d.isCap(j+1):
			j++
		case d.is(j, ".") && !d.toks[j].gap && j > i && j+1 < limit && d.toks[j+1].kind == tkWord && !d.toks[j+1].gap && !d.isCap(j+1) && (j+2 >= limit || d.toks[j+2].gap || d.toks[j+2].kind == tkPunct):
			j += 2 // "Rocketship.vc", "Character.ai"
		case d.is(j, "/") && j > i && !d.toks[j].gap && j+1 < limit && !d.toks[j+1].gap && d.isCap(j+1):
			j++ // "Oak HC/FT"
		case d.toks[j].kind == tkWord && d.lowIn(j, setConnect, d.v.connect) && j > i && j+1 < limit && d.isCap(j+1) && !d.rawIn(j+1, setStop, d.v.stop):
			j++
		case d.conjAt(j) && j > i+2 && j+1 < limit && d.isCap(j+1) && !d.rawIn(j+1, setStop, d.v.stop) && d.gazAt(j+1) == 0 && d.institutionOf(i, j):
			j++ // "Department of Science and Technology"
		default:
			return d.trimRun(i, j)
		}
	}
	return d.trimRun(i, j)
}

// stopHeadRun reads a name opened by a word that alone starts none
// (investors.name_head: "Founders Quarry Capital", "Angel Tessel Fund"):
// two capitalised words at least must follow, the first no stop word, the
// last an organisation word; or, as an item of a list, one capitalised
// word that is neither (twoWordItem: "Alder, Venture Tarn and Brook"). It
// returns where the name ends, or i.
func (d *doc) stopHeadRun(i, limit int) int {
	if !d.in("investors.name_head", i) || i+1 >= limit || !d.isCap(i+1) || !d.toks[i+1].gap || d.rawIn(i+1, setStop, d.v.stop) {
		return i
	}
	e := d.capRun(i+1, limit)
	if e == i+2 && d.twoWordItem(i, limit) {
		return e
	}
	if e <= i+2 || !d.rawIn(e-1, setOrg, d.v.org) {
		return i
	}
	return e
}

// twoWordItem reports a name head and one more word at i that stand as an
// item of a list: a comma, a conjunction or a lower-case word before,
// a comma, a conjunction or the clause's end after, and the second word
// no organisation word ("Venture Tarn", where "Venture Capital" and
// "Founders Fund" are no such item).
func (d *doc) twoWordItem(i, limit int) bool {
	if i == 0 || d.rawIn(i+1, setOrg, d.v.org) {
		return false
	}
	p := i - 1
	before := d.is(p, ",") || d.is(p, "&") || d.conjAt(p) || (d.toks[p].kind == tkWord && !d.isCap(p))
	n := i + 2
	after := n >= limit || n >= len(d.toks) || d.is(n, ",") || d.is(n, ".") || d.is(n, ";") || d.is(n, "&") || d.conjAt(n)
	return before && after
}

// dottedLegal reads a legal form written as letters and dots at i
// ("S.p.A.", "N.V.", "S.A.") and returns where it ends after its last dot,
// or i when none starts there.
func (d *doc) dottedLegal(i, limit int) int {
	if i+4 > limit || i+4 > len(d.toks) || !d.isCap(i) {
		return i
	}
	var buf [8]byte
	letters := buf[:0]
	k := i
	for k+1 < limit && len(letters) < len(buf) && d.toks[k].kind == tkWord && len(d.tx(k)) == 1 && (k == i || !d.toks[k].gap) && d.is(k+1, ".") && !d.toks[k+1].gap {
		c := d.tx(k)[0]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		letters = append(letters, c)
		k += 2
	}
	if len(letters) < 2 || !d.v.legal[string(letters)] {
		return i
	}
	return k
}

// commaLegal returns where a legal form set off by a comma after a name
// ends (", LLC", ", S.A."), or e when none follows the name that ends at e:
// the form belongs to the name, not to a name of its own.
func (d *doc) commaLegal(e, limit int) int {
	if e+1 >= limit || !d.is(e, ",") || !d.isCap(e+1) {
		return e
	}
	k := e + 1
	for k < limit {
		if n := d.dottedLegal(k, limit); n > k {
			k = n
			continue
		}
		if d.legalAt(k) && d.isCap(k) {
			k++
			continue
		}
		break
	}
	if k == e+1 || k < limit && (d.isCap(k) || !d.toks[k].gap && d.toks[k].kind != tkPunct) {
		return e // "Blume, Inc42 reported": a word that goes on is no legal form
	}
	return k
}

// legalAt reports a legal-form word at token i ("Pvt", "Co", "Ltd").
func (d *doc) legalAt(i int) bool {
	return d.toks[i].kind == tkWord && d.lowIn(i, setLegal, d.v.legal)
}

// institutionOf reports a run [i, j) such as "Department of Science" or
// "Ministry of Electronics": a public body whose name may go on with "and".
func (d *doc) institutionOf(i, j int) bool {
	if !d.in("investors.institution", i) {
		return false
	}
	return d.anyIn("investors.of", i+1, j)
}

// trimRun drops trailing connectors and stop words from a run.
func (d *doc) trimRun(i, j int) int {
	for j > i {
		last := j - 1
		if d.toks[last].kind == tkPunct && !d.is(last, ".") || d.toks[last].kind == tkWord && (d.lowIn(last, setConnect, d.v.connect) && !d.isCap(last) || d.rawIn(last, setStop, d.v.stop) && !d.rawIn(last, setOrg, d.v.org)) {
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
	if e <= i || n == 0 && d.legalOnly(i, e) {
		return nameRef{}, false
	}
	if (canon == "" || i+n != e) && d.has(i, bitGaz) {
		if c, ok := d.v.gazCanon[d.spanKey(i, e)]; ok {
			canon = c
		} else if i+n != e {
			canon = ""
		}
	}
	return nameRef{s: i, e: e, canonical: canon}, true
}

// legalOnly reports a run [i, e) made only of legal-form words ("Ltd",
// "Pvt. Ltd", "Co."): what is left of a name cut off before them, no name.
func (d *doc) legalOnly(i, e int) bool {
	for k := i; k < e; k++ {
		if n := d.dottedLegal(k, e); n > k {
			k = n - 1
			continue
		}
		if d.toks[k].kind == tkWord && !d.lowIn(k, setLegal, d.v.legal) || d.toks[k].kind != tkWord && !d.is(k, ".") {
			return false
		}
	}
	return true
}

func (d *doc) nameText(r nameRef) string {
	return d.text[d.toks[r.s].start:d.toks[r.e-1].end]
}

// personAfterTitle turns "Tollhaus CEO Ann Roe" and "Brindle co-founder
// Bo Lind" into the person's name.
func (d *doc) personAfterTitle(r nameRef, limit int) nameRef {
	// A title inside the run: "Tollhaus CEO Ann Roe".
	for k := r.s + 1; k < r.e-1; k++ {
		if d.lowIn(k, setTitle, d.v.title) && isUpperASCII(d.tx(k)) || d.inWord("investors.title_cap", d.tx(k)) {
			if p, ok := d.nameAt(k+1, limit); ok && !d.lowIn(k+1, setTitle, d.v.title) {
				return p
			}
		}
	}
	// A lower-case title after it: "Brindle co-founder Bo Lind".
	j := r.e
	k := j
	for k < limit && k < j+6 && !d.isCap(k) && d.lowIn(k, setTitle, d.v.title) {
		k++
	}
	if k > j && k < limit && d.isCap(k) && !d.rawIn(k, setStop, d.v.stop) {
		if p, ok := d.nameAt(k, limit); ok {
			return p
		}
	}
	return r
}

// titleInRun finds a capitalised title inside or at the start of name run
// r with a person's name after it ("Tollhaus CEO Ann Roe", "Founder Bo
// Lind", "Teleport-Gründer Ann Roe") and returns the person.
func (d *doc) titleInRun(r nameRef, limit int) (nameRef, bool) {
	for k := r.s; k < r.e-1; k++ {
		if d.lowIn(k, setTitle, d.v.title) && isUpperASCII(d.tx(k)) || d.inWord("investors.title_cap", d.tx(k)) {
			if p, ok := d.nameAt(k+1, limit); ok && !d.lowIn(k+1, setTitle, d.v.title) {
				return p, true
			}
		}
	}
	return nameRef{}, false
}

// nameAfterDescriptor turns "Swedish state-owned fund Industrifonden" and
// "Japanese conglomerate SoftBank" into the name at the end.
func (d *doc) nameAfterDescriptor(r nameRef, limit int) nameRef {
	k := r.e
	for k < limit && k < r.e+6 {
		switch {
		case d.is(k, "-") && !d.toks[k].gap:
		case d.toks[k].kind == tkWord && !d.isCap(k) && d.lowIn(k, setDesc, d.v.desc) && !d.in("investors.list_word", k):
		case d.toks[k].kind == tkWord && !d.isCap(k) && d.in("investors.desc_prefix", k):
		default:
			if k > r.e && d.isCap(k) && !d.rawIn(k, setStop, d.v.stop) {
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
		i = d.skipDescriptors(i, limit)
		if i >= limit || d.isListEnd(i, limit) {
			return out
		}
		if d.in("investors.relative", i) {
			next, more := d.skipRelativeClause(i, limit)
			if !more {
				return out
			}
			i = next
			continue
		}
		if d.isCap(i) && d.rawIn(i, setStop, d.v.stop) && d.gazAt(i) == 0 && d.stopHeadRun(i, limit) == i {
			i++
			items--
			continue
		}
		if d.figureOrRoundAt(i) {
			return out
		}
		if r, next, ok := d.bracketedName(i, limit); ok {
			// "consumer electronics (Alder), a state-backed fund (Brook)"
			out = append(out, listItem{nameRef: r, tail: tail})
			if i, tail, ok = d.listSeparator(next, limit, tail); !ok {
				return out
			}
			continue
		}
		switch r, next, step := d.nameItem(i, itemStart, limit); step {
		case itemStop:
			return out
		case itemAgain:
			i = next
			items--
			continue
		case itemRead:
			out = append(out, listItem{nameRef: r, tail: tail})
			i = next
		default:
			next, more := d.skipListItem(i, limit)
			if !more {
				return out
			}
			i = next
		}
		next, nextTail, more := d.listSeparator(i, limit, tail)
		if !more {
			return out
		}
		i, tail = next, nextTail
	}
	return out
}

// itemStep is what nameItem read at a list item.
type itemStep int

const (
	itemNone  itemStep = iota // no name item: the list reader skips the item
	itemRead                  // a name, and next is the token after it
	itemAgain                 // a possessive descriptor: the item starts again at next
	itemStop                  // the list ends here
)

// nameItem reads the name of a list item at token i (the item opened at
// itemStart): its legal form after a comma, the person after a title, the
// name after a descriptor, and a bracketed aside after it.
func (d *doc) nameItem(i, itemStart, limit int) (nameRef, int, itemStep) {
	r, ok := d.listName(i, limit)
	if !ok {
		return r, i, itemNone
	}
	r.e = d.commaLegal(r.e, limit)
	r = d.personAfterTitle(r, limit)
	r = d.nameAfterDescriptor(r, limit)
	if next, poss := d.possessiveDescriptor(r.e, limit); poss {
		return r, next, itemAgain
	}
	if d.speechAt(r.e) && !d.sayerAt(r.e) {
		// "led by Alder Capital, Ledger Daily reports": the source of
		// the story, not an investor; but "Alder said it would provide
		// $20 million" speaks of its own money.
		return r, i, itemStop
	}
	if !d.nameIsItem(r, itemStart, limit) {
		return r, i, itemNone
	}
	next := r.e
	if after, aside := d.asideAfter(next, limit); aside {
		next = after // "Landesbank Ostmark (Ostbank) and Brook"
	}
	return r, next, itemRead
}

// maxAside bounds the tokens of a bracketed aside or descriptor inside a
// list of names.
const maxAside = 12

// asideAfter returns the token after a bracketed aside that opens at i,
// right after a list item's name: an acronym, a place or what the named
// one does ("Landesbank Ostmark (Ostbank) and Brook", "Ann Roe (co-founder
// of Cobalt), Bo Lind"), after which the list goes on. It reports false
// when no bracket opens at i, or the bracket is empty, holds a figure (a
// roundup's "Kestrelwave ($3.1m)", an investor's own share) or does not
// close within maxAside tokens on its line.
func (d *doc) asideAfter(i, limit int) (int, bool) {
	if i >= limit || !d.is(i, "(") {
		return i, false
	}
	for k := i + 1; k < limit && k <= i+maxAside; k++ {
		switch {
		case d.is(k, ")"):
			return k + 1, k > i+1
		case d.toks[k].kind == tkNewline || d.is(k, "("):
			return i, false
		case d.amtAt != nil && k < len(d.amtAt) && d.amtAt[k] != 0:
			return i, false
		}
	}
	return i, false
}

// bracketedName reads a list item written as what the investor is and then
// its name in brackets ("consumer electronics (Alder)", "a state-backed fund
// (Brook)"): up to eight lower-case words, hyphens or apostrophes, then a
// bracket that holds a name alone. It returns the name and the token after
// the bracket.
func (d *doc) bracketedName(i, limit int) (nameRef, int, bool) {
	k := i
	for k < limit && k < i+8 && d.describes(k) {
		k++
	}
	if k == i || k+2 >= limit || !d.is(k, "(") {
		return nameRef{}, i, false
	}
	r, ok := d.listName(k+1, limit)
	if !ok || r.e >= limit || !d.is(r.e, ")") || d.amtAt != nil && d.amtAt[k+1] != 0 {
		return nameRef{}, i, false
	}
	return r, r.e + 1, true
}

// describes reports a token that may sit in a description before a
// bracketed name: a lower-case word that is no conjunction, or a hyphen or
// an apostrophe inside a word.
func (d *doc) describes(k int) bool {
	switch d.toks[k].kind {
	case tkWord:
		return !d.isCap(k) && !d.conjAt(k)
	case tkPunct:
		return !d.toks[k].gap && !d.is(k, "(") && !d.is(k, ",") && !d.isListEnd(k, len(d.toks))
	}
	return false
}

// skipDescriptors skips the lower-case descriptors before a list item
// ("existing investor Y Combinator", "as well as"), so that the item is
// read from its name; a gazetteer name written in lower case is kept, and
// an adjective of a capitalised word and a hyphen ("Berlin-based") is
// skipped with them.
func (d *doc) skipDescriptors(i, limit int) int {
	for i < limit {
		if i+3 < limit && d.toks[i].kind == tkWord && d.is(i+3, ".") && d.dottedLetters(i+3) {
			i += 4 // "zählen u.a. Alder und Brook": "among others"
			continue
		}
		if d.capAdjective(i, limit) {
			i += 3 // "US-amerikanische", "Berlin-based"
			continue
		}
		if k := d.hyphenDescriptor(i, limit); k > i {
			i = k // "Silicon-Valley-Investor"
			continue
		}
		if d.toks[i].kind != tkWord || d.isCap(i) || !d.lowIn(i, setDesc, d.v.desc) || d.gazAt(i) != 0 {
			break
		}
		if n := d.phraseAt("investors.as_well_as", i); n > 0 {
			i += n
			continue
		}
		i++
	}
	if i < limit && d.toks[i].kind == tkWord && !d.isCap(i) {
		i = d.descriptorPhrase(i, limit)
	}
	return i
}

// hyphenDescriptor returns the token after a compound of capitalised
// words joined by hyphens whose last word is a descriptor noun, when a
// capitalised name follows ("der Silicon-Valley-Investor Alder", German
// writing the place into the noun); i otherwise.
func (d *doc) hyphenDescriptor(i, limit int) int {
	k := i
	for k+2 < limit && d.toks[k].kind == tkWord && d.isCap(k) && d.is(k+1, "-") && !d.toks[k+1].gap && !d.toks[k+2].gap {
		k += 2
	}
	if k == i || k+1 >= limit || !d.isCap(k+1) || d.toks[k].kind != tkWord {
		return i
	}
	if d.lowIn(k, setDesc, d.v.desc) || d.rawIn(k, setStop, d.v.stop) {
		return k + 1
	}
	return i
}

// capAdjective reports an adjective made of a capitalised word, a hyphen
// and a lower-case word at i ("Berlin-based", "US-amerikanische"), which
// describes the name after it.
func (d *doc) capAdjective(i, limit int) bool {
	return i+3 < limit && d.isCap(i) && d.toks[i].kind == tkWord && d.is(i+1, "-") && !d.toks[i+1].gap &&
		d.toks[i+2].kind == tkWord && !d.toks[i+2].gap && !d.isCap(i+2) && d.isCap(i+3)
}

// descriptorPhrase skips a descriptor whose words are no descriptors of
// their own but whose head noun is ("pharmaceutical firms Alder and Brook",
// "commercialisation firm Cobalt", "la société d'ingénierie Dune"): up to
// four lower-case words, the head (investors.desc_head), then the name, or
// after the head an elided preposition and up to two words, or after a
// head the Romance languages write first (investors.desc_tail_head) up to
// four words, the last no preposition. It returns i
// when no such phrase ends before a capitalised name at i.
func (d *doc) descriptorPhrase(i, limit int) int {
	plain := func(k int) bool {
		return d.toks[k].kind == tkWord && !d.isCap(k) && !d.conjAt(k) && len(d.cuesAt(k)) == 0
	}
	nameAt := func(k int) bool {
		return k < limit && d.isCap(k) && !d.rawIn(k, setStop, d.v.stop)
	}
	k := i
	for k < limit && k < i+5 && !d.in("investors.desc_head", k) {
		if !plain(k) && !(d.is(k, "-") && !d.toks[k].gap) {
			return i
		}
		k++
	}
	if k >= limit || !d.in("investors.desc_head", k) {
		return i
	}
	k++
	if nameAt(k) {
		return k
	}
	// "le fonds de pension danois Alder": the head first, its
	// adjectives and complements after it, then the name.
	if d.in("investors.desc_tail_head", k-1) {
		for j := k; j < limit && j < k+4 && plain(j); j++ {
			if nameAt(j+1) && !d.in("investors.desc_tail_stop", j) {
				return j + 1
			}
		}
	}
	// "société d'investissement": a preposition elided onto the next word.
	if k+2 < limit && plain(k) && (d.is(k+1, "'") || d.is(k+1, "’")) && !d.toks[k+1].gap {
		for j := k + 2; j < limit && j < k+4; j++ {
			if !plain(j) {
				break
			}
			if nameAt(j + 1) {
				return j + 1
			}
		}
	}
	return i
}

// skipRelativeClause skips a relative clause inside a list, from its
// pronoun at i past its closing comma (", which led its Series A,"): the
// names after it go on with the list. It reports false when the clause runs
// to the end of the list instead, which ends the list.
func (d *doc) skipRelativeClause(i, limit int) (int, bool) {
	for i < limit && !d.is(i, ",") && !d.isListEnd(i, limit) {
		i++
	}
	if i < limit && d.is(i, ",") {
		return i + 1, true
	}
	return i, false
}

// figureOrRoundAt reports an amount of money or a round at i: a list of
// names ends there, since what follows is the deal, not an investor.
func (d *doc) figureOrRoundAt(i int) bool {
	if _, _, ok := d.money(i); ok {
		return true
	}
	_, _, ok := d.roundAt(i)
	return ok
}

// listName reads the name of a list item at i: a gazetteer name or a run of
// capitalised words, or a name that starts with a number ("500 Global", "8
// Roads Ventures"), which nameAt does not read because a number is not a
// name on its own.
func (d *doc) listName(i, limit int) (nameRef, bool) {
	r, ok := d.nameAt(i, limit)
	if !ok && d.toks[i].kind == tkNumber && !d.isYear(i) && i+1 < limit && d.isCap(i+1) {
		e := max(i+2, d.capRun(i+1, limit))
		r, ok = nameRef{s: i, e: e}, true
	}
	return r, ok
}

// possessiveDescriptor reports a possessive after the name that ends at j,
// and returns where the possessed name starts: "Microsoft's venture arm
// M12" and "the Wallenberg family's FAM" describe the investor that
// follows, so the name before the possessive is not an item of the list.
func (d *doc) possessiveDescriptor(j, limit int) (int, bool) {
	if d.apostropheS(j) {
		return j + 2, true
	}
	// A name before a common noun's possessive: "the Wallenberg family's".
	if j+2 < limit && d.toks[j].kind == tkWord && !d.isCap(j) && d.apostropheS(j+1) && d.isCap(j+3) {
		return j + 3, true
	}
	return j, false
}

// apostropheS reports a possessive at token j: an apostrophe and the
// possessive letter ("Acme's", "Acme’s").
func (d *doc) apostropheS(j int) bool {
	return (d.is(j, "'") || d.is(j, "’")) && d.lw(j+1) == d.v.possS
}

// nameIsItem reports whether the name r, read for the item that starts at
// itemStart, is an investor of the list rather than part of a compound
// ("Temasek-backed"), an adjective after an article ("a Temasek-backed
// fund") or a round ("Series B").
func (d *doc) nameIsItem(r nameRef, itemStart, limit int) bool {
	j := r.e
	if d.is(j, "-") && !d.toks[j].gap {
		return false
	}
	apposition := d.in("investors.indefinite", itemStart) && j < limit && d.toks[j].kind == tkWord && !d.isCap(j) && !d.conjAt(j)
	if apposition {
		return false
	}
	return !d.in("investors.series", r.s)
}

// skipListItem skips an item without a name ("a group of angels") up to the
// next separator. It reports false when a lead cue or a lower-case word
// that is no descriptor comes first ("an unnamed lender from ...", "with X
// participating"): the list is over.
func (d *doc) skipListItem(i, limit int) (int, bool) {
	for i < limit && !d.isListEnd(i, limit) && !d.is(i, ",") && !d.conjAt(i) {
		if _, cue := d.cueAtIs("lead", i); cue && !d.in("investors.including", i) {
			return i, false
		}
		if d.toks[i].kind == tkWord && !d.isCap(i) && !d.lowIn(i, setDesc, d.v.desc) {
			return i, false
		}
		i++
	}
	return i, true
}

// listSeparator reads the separator after a list item at i (",", ", and",
// "and", "&", "as well as", "including") and returns where the next item
// starts and whether the names from there are a tail: participants after
// the end of a "led by" group, not leads. It reports false when no
// separator follows: the list is over.
func (d *doc) listSeparator(i, limit int, tail bool) (int, bool, bool) {
	switch {
	case i < limit && d.is(i, ","):
		i++
		if d.conjAt(i) {
			i++
			// ", and Y also invested": a clause of its own.
			tail = tail || d.clauseHasOwnVerb(i, limit)
		}
		if n := d.phraseAt("investors.as_well_as", i); n > 0 {
			i += n
			tail = true
		}
	case d.conjAt(i) || d.is(i, "&"):
		i++
		tail = tail || d.conjAt(i-1) && d.clauseHasOwnVerb(i, limit)
	case i < limit && d.gluedAt(i):
		// "Alder CapitalBrook Ventures": the page lost the comma.
	case d.phraseAt("investors.as_well_as", i) > 0:
		i += d.phraseAt("investors.as_well_as", i)
		tail = true
	case d.in("investors.including", i):
		i++
	default:
		return i, tail, false
	}
	return i, tail, true
}

// speechAt reports a reporting verb at i ("reports", "said", "has
// learned", "told Reuters"): the name before it is a source.
func (d *doc) speechAt(i int) bool {
	if i < len(d.toks) && d.in("investors.perfect_aux", i) {
		i++
	}
	if d.in("investors.speech_verb", i) {
		return i < len(d.toks) && d.toks[i].kind == tkWord && d.toks[i].gap
	}
	return false
}

// sayerAt reports a reporting verb at i that the speaker's pronoun follows
// ("said it would provide", "says they have put in"): the speaker is the
// subject of what it reports.
func (d *doc) sayerAt(i int) bool {
	if i < len(d.toks) && d.in("investors.perfect_aux", i) {
		i++
	}
	return d.in("investors.speech_verb", i) && d.in("extract.sayer_pronoun", i+1)
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
		if d.in("investors.also", k) {
			return true
		}
		if _, ok := d.cueAtIs("join", k); ok && d.toks[k].gap {
			if d.in("investors.lead_verb", k) {
				continue
			}
			return true
		}
	}
	return false
}

// leftList reads the list of names that ends right before token i (a verb
// such as "led", "participated", "each committed"), skipping auxiliaries
// (investors.aux: "Coatue is expected to lead", "Nvidia also took part")
// and a relative clause between them.
func (d *doc) leftList(i int) []listItem {
	s := max(d.sents[d.sentIdx(i)].s, i-maxWin)
	j := i
	for j > s && d.toks[j-1].kind == tkWord && d.in("investors.aux", j-1) {
		j--
	}
	// "led by ASML, which invested €1.3 billion": the name before.
	if j-2 > s && d.in("investors.relative", j-1) && d.is(j-2, ",") {
		items := d.leftList(j - 2)
		if len(items) == 0 {
			return nil
		}
		// "led by Harrow, the fund headed by Tessa Marlow, which put in
		// $12 million": the name the apposition describes, not its own.
		if c := d.appositionBefore(items[len(items)-1].s, s); c > s {
			if outer := d.leftList(c); len(outer) > 0 {
				return outer[len(outer)-1:]
			}
		}
		return items[len(items)-1:]
	}
	j = d.beforeRelativeClause(j, s)
	end := j
	k := d.leftListStart(s, end)
	for k < end && (d.is(k, ",") || d.conjAt(k)) {
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

// maxAppositionWords bounds the lower-case words of an apposition.
const maxAppositionWords = 8

// appositionBefore is the comma that opens an apposition ending in the name
// that starts at i (", the fund headed by Tessa Marlow"): after it an
// article and lower-case words only, before it a capitalised name. It is -1
// when there is none.
func (d *doc) appositionBefore(i, s int) int {
	k := i - 1
	for n := 0; k > s && n < maxAppositionWords && d.toks[k].kind == tkWord && !d.isCap(k); n++ {
		k--
	}
	if k <= s || k+2 > i-1 || !d.is(k, ",") || !d.in("extract.article", k+1) || !d.isCap(k-1) {
		return -1
	}
	return k
}

// beforeRelativeClause moves j, the end of a list before its verb, to
// before a relative clause that separates them (", which led the company's
// Series A," before the verb), so that the clause's own names are not read
// as the list.
func (d *doc) beforeRelativeClause(j, s int) int {
	if j > s && d.is(j-1, ",") {
		for k := j - 2; k > s; k-- {
			if d.in("investors.relative", k) && d.is(k-1, ",") {
				return k - 1
			}
			if d.isListEnd(k, len(d.toks)) {
				break
			}
		}
	}
	return j
}

// leftListStart walks left from end, the token after a list of names, down
// to s, over the tokens a list may hold (names, separators, descriptors,
// "as well as"), and returns where the list starts.
func (d *doc) leftListStart(s, end int) int {
	k := end
	for k > s {
		p := k - 1
		if !d.inLeftList(p, s, end) {
			n := d.phraseEndsAt("investors.as_well_as", p)
			if n == 0 {
				return k
			}
			k -= n - 1
		}
		k--
	}
	return k
}

// inLeftList reports whether token p, read leftwards within [s, end), may be
// part of a list of names: a capitalised word, a separator, a number or a
// letter of a name ("500 Global", "a16z", "U.S."), a hyphen or possessive
// inside a name, a descriptor or a connector.
func (d *doc) inLeftList(p, s, end int) bool {
	switch {
	case d.isCap(p), d.is(p, ","), d.is(p, "&"), d.conjAt(p):
	case d.toks[p].kind == tkNumber && p > s && !d.toks[p].gap:
	case d.toks[p].kind == tkNumber && p > s && d.isCap(p-1):
	case d.toks[p].kind == tkNumber && p+1 < end && d.isCap(p+1) && !d.isYear(p) && d.amtAt != nil && p < len(d.amtAt) && d.amtAt[p] == 0:
		// "500 Global".
	case d.toks[p].kind == tkWord && !d.toks[p].gap && p > s && d.toks[p-1].kind == tkNumber:
	case d.is(p, ".") && p > s && utf8.RuneCountInString(d.tx(p-1)) == 1:
	case d.is(p, "-") && !d.toks[p].gap && p > s && (d.isCap(p-1) || d.toks[p-1].kind == tkWord && d.lowIn(p+1, setDesc, d.v.desc)):
	case (d.is(p, "'") || d.is(p, "’")) && p+1 < end && d.lw(p+1) == d.v.possS:
	case d.lw(p) == d.v.possS && p > s && (d.is(p-1, "'") || d.is(p-1, "’")):
	case d.toks[p].kind == tkWord && d.lowIn(p, setDesc, d.v.desc) && !d.in("investors.left_stop", p) && !(p+1 < end && (d.conjAt(p+1) || d.is(p+1, ",")) && d.isCap(p-1)):
		// A descriptor precedes a name; after a name and before
		// "and" it is that name's verb: "X returning and Y joining".
	case d.toks[p].kind == tkWord && d.lowIn(p, setConnect, d.v.connect):
	default:
		return false
	}
	return true
}

// phraseEndsAt returns the token length of the longest phrase of the rule
// word class that ends at token e, or 0: [doc.phraseAt] for the lists read
// leftwards.
func (d *doc) phraseEndsAt(class string, e int) int {
	best := 0
	for p := range d.v.ruleWords[class] {
		n := strings.Count(p, " ") + 1
		if n > best && d.spells(p, e-n+1) == n {
			best = n
		}
	}
	return best
}

// endsIn reports whether w ends in one of the endings listed under the
// rule word class ("deal.verb_suffix": "ed", "s").
func (v *vocab) endsIn(class, w string) bool {
	for e := range v.ruleWords[class] {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// conjAt reports whether token i joins two names of a list: a conjunction
// of investors.and written in lower case, so that a capital letter that is
// also a conjunction in some language ("Y Combinator") stays a name.
func (d *doc) conjAt(i int) bool {
	return d.in("investors.and", i) && !d.isCap(i)
}

// listHead names the noun before the cue that opens a list ending at token
// l: "investor" in "investors including A and B", "other" in "customers
// such as A and B", "none" when neither stands within four tokens.
func (d *doc) listHead(l, lo int) string {
	for k := l; k >= max(lo, l-4); k-- {
		switch {
		case d.inHot(hotHeadInvestor, k): // "investors.head_investor"
			return "investor"
		case d.inHot(hotHeadOther, k): // "investors.head_other"
			return "other"
		}
	}
	return "none"
}
