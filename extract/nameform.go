package extract

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// companyForm writes a deal's company as the text names it elsewhere.
// The rules and the model pick a run of capitalised words; where that run
// starts is a guess that the rest of the text can check:
//   - words before the name that are no part of it ("NAIROBI Kestrel Oil",
//     "O Banco Ximenes", "Lithuanian Tessel Group", "Battery Maker
//     Vantor Power") go when the text also writes what follows them on its
//     own, at least as often as with them;
//   - a word the readers cut off as a descriptor ("Satellite Quill", "New
//     Tillbrook Energy") comes back when the text never writes the name
//     without it;
//   - a name glued to the word before it by a hyphen or a full stop
//     ("d-Quill", "Tessel.AI") is written whole;
//   - the scale letter of a figure before it and what a headline glues on
//     after it, its verb or its figure ("$7M Tessel Games", "Lumetra
//     Closes", "Quellbach 370.000 Euro"), are no part of it;
//   - an abbreviation the text defines in brackets is written out
//     ("Harlow Devices SA (HDS)" gives "Harlow Devices SA", not "HDS").
//
// It changes the output only: the models see the same candidates.
func (d *doc) companyForm(a *analysis, name string) string {
	var arr [8][2]int // most names are written a few times: no allocation
	occ := d.occurrences(name, arr[:0])
	if len(occ) == 0 {
		return name
	}
	if n, ok := d.spelledOut(name, occ); ok {
		return n
	}
	s, e := occ[0][0], occ[0][1]
	if s2, e2 := d.trimFigure(s, e); s2 != s || e2 != e {
		if s2 >= e2 {
			return name
		}
		return d.text[d.toks[s2].start:d.toks[e2-1].end]
	}
	if n, ok := d.dropLead(name, s, e, len(occ)); ok {
		return n
	}
	if n, ok := d.gluedName(s, e); ok {
		return n
	}
	if n, ok := d.restoreLead(name, occ); ok {
		return n
	}
	if n, ok := d.fullForm(a, occ); ok {
		return n
	}
	if n, ok := d.possessiveName(name, occ); ok {
		return n
	}
	return name
}

// possessiveName is the name with the possessive ending the text writes
// after it every time, when it writes it at least twice ("Quillu's" in
// every sentence is the brand's own name, as in two documents of the
// corpus, ../shared/realnews): the readers end a name before an
// apostrophe. A name written once with a possessive is the company's
// ("Quillu's board"), as in nine labelled documents.
func (d *doc) possessiveName(name string, occ [][2]int) (string, bool) {
	if len(occ) < 2 {
		return "", false
	}
	for _, o := range occ {
		if !possessiveAt(d.text, int(d.toks[o[1]-1].end)) {
			return "", false
		}
	}
	st, end := int(d.toks[occ[0][0]].start), int(d.toks[occ[0][1]-1].end)
	_, w := utf8.DecodeRuneInString(d.text[end:])
	return d.text[st : end+w+1], true
}

// possessiveAt reports an apostrophe and an s as a word of their own at
// byte i of text ("'s", "’s").
func possessiveAt(text string, i int) bool {
	r, w := utf8.DecodeRuneInString(text[i:])
	if r != '\'' && r != '’' || i+w >= len(text) || text[i+w] != 's' {
		return false
	}
	next, _ := utf8.DecodeRuneInString(text[i+w+1:])
	return i+w+1 == len(text) || !unicode.IsLetter(next) && !unicode.IsDigit(next)
}

// fullForm is the longer name the text writes the company with elsewhere,
// ending in a word of what it is ("Quellmark" written once as "Quellmark
// Bank", "Vell" as "Vell Robotics", "Tessel" as "Tessel Sleep Inc"): the
// labels, and the people who search, name a company by its full name.
// A longer name the model takes for an investor more than for a company
// ("Google Ventures" beside "Google") is another organisation.
func (d *doc) fullForm(a *analysis, occ [][2]int) (string, bool) {
	best := ""
	for _, o := range occ {
		s, e := o[0], o[1]
		x := e
		for x < len(d.toks) && x < e+4 && d.toks[x].gap && d.toks[x].kind == tkWord && d.isCap(x) &&
			!d.rawIn(x, setStop, d.v.stop) && !d.in("deal.title_verb", x) && !d.inAmount(x) {
			x++
		}
		for x > e && !d.rawIn(x-1, setOrg, d.v.org) && !d.lowIn(x-1, setLegal, d.v.legal) && !d.lowIn(x-1, setSector, d.v.sector) {
			x--
		}
		if x == e {
			continue
		}
		n := d.text[d.toks[s].start:d.toks[x-1].end]
		if a != nil {
			if p := a.prob(d.normName(n)); p != nil && invProb(p) > p[nmCompany] {
				continue
			}
		}
		if len(n) > len(best) {
			best = n
		}
	}
	return best, best != ""
}

// spelledOut is the name an abbreviation stands for, where the text
// defines it in brackets right after the capitalised words whose initials
// spell it ("Harlow Devices Systems SA (HDS)", "The Tessel Fusion Works
// ("TFW")"): labels, and the people who search, use the full name. A legal
// form may give a letter or none ("Quill Battery Technology Co. Ltd.
// (QBTL)"); a short lower-case word between capitalised ones gives none
// ("Bank of Tessel (BT)"); "&" gives none.
func (d *doc) spelledOut(name string, occ [][2]int) (string, bool) {
	if len(name) < 2 || len(name) > 6 || !isUpperASCII(name) || d.v.legal[strings.ToLower(name)] {
		return "", false
	}
	for _, o := range occ {
		p, x := o[0]-1, o[1]
		if d.is(p, "\"") || d.is(p, "“") {
			p--
		}
		if d.is(x, "\"") || d.is(x, "”") {
			x++
		}
		if !d.is(p, "(") || !d.is(x, ")") {
			continue
		}
		if n := d.abbreviated(int(d.toks[p].start), name); n != "" {
			return n, true
		}
	}
	return "", false
}

// abbreviated is the run of capitalised words that ends at byte end of the
// text, on its line, whose initials spell abbr; the longest such run, or "".
// An acronym right before the run belongs to the name.
func (d *doc) abbreviated(end int, abbr string) string {
	from := max(0, end-160)
	if nl := strings.LastIndexByte(d.text[from:end], '\n'); nl >= 0 {
		from += nl + 1
	}
	var words [8][2]int // byte spans, the last word first
	n := 0
	for i := end; n < len(words); {
		for i > from && d.text[i-1] == ' ' {
			i--
		}
		j := strings.LastIndexAny(d.text[from:i], " \t\r") + from + 1
		if j >= i {
			break
		}
		w := d.text[j:i]
		if strings.ContainsAny(w[len(w)-1:], ",;:)\"”") || w[len(w)-1] == '.' && !d.legalWord(w) {
			break
		}
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && w != "&" && (len(w) > 3 || n == 0) {
			break
		}
		words[n] = [2]int{j, i}
		n++
		i = j
	}
	best := -1
	for k := 0; k < n; k++ { // words[k] opens the run
		w := d.text[words[k][0]:words[k][1]]
		if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
			continue
		}
		if d.initialsSpell(words[:k+1], k, abbr) {
			best = k
		}
	}
	if best < 0 {
		return ""
	}
	if k := best + 1; k < n {
		// An acronym before what the abbreviation spells is the rest of
		// the name ("KQRT Pension Fund (PF)"); a country is not ("US", "UAE").
		if w := d.text[words[k][0]:words[k][1]]; len(w) >= 3 && isUpperASCII(w) && !d.legalWord(w) && !d.v.isPlaceOrPeople(w) {
			best = k
		}
	}
	return strings.TrimSpace(d.text[words[best][0]:end])
}

// initialsSpell reports whether the words[k], words[k-1], ..., words[0] (in the
// order of the text) spell abbr by their initials.
func (d *doc) initialsSpell(words [][2]int, k int, abbr string) bool {
	if k < 0 {
		return abbr == ""
	}
	w := d.text[words[k][0]:words[k][1]]
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) { // "&", "of"
		return d.initialsSpell(words, k-1, abbr)
	}
	if d.legalWord(w) && d.initialsSpell(words, k-1, abbr) {
		return true
	}
	return abbr != "" && rune(abbr[0]) == r && d.initialsSpell(words, k-1, abbr[1:])
}

// legalWord reports a legal form as written ("Ltd.", "S.A.", "Co.").
func (d *doc) legalWord(w string) bool {
	return d.v.legal[strings.ToLower(strings.ReplaceAll(w, ".", ""))]
}

// occurrences appends to out the token spans [s, e) where the text writes
// name as whole words, in order; a name may also open with the scale
// letter of the figure before it ("$7M Tessel Games"). The first
// occScanMax calls search the whole text; after them, as a span opens
// where a token does, only the tokens whose text opens with the name's
// first two bytes are tried (indexOccurrences): the searches grow with a
// long text's names times its length, and the index costs more than a few
// searches of a short text.
func (d *doc) occurrences(name string, out [][2]int) [][2]int {
	if name == "" || len(d.toks) == 0 {
		return out
	}
	if d.occHead == nil {
		if len(name) < 2 || d.occScans < occScanMax {
			d.occScans++
			return d.occurrencesScan(name, out)
		}
		d.indexOccurrences()
	}
	if len(name) < 2 {
		return d.occurrencesScan(name, out)
	}
	for k := d.occHead[occSlot(name[0], name[1], len(d.occHead))]; k >= 0; k = d.occNext[k] {
		st := int(d.toks[k].start)
		if !strings.HasPrefix(d.text[st:], name) {
			continue
		}
		out = d.occurrenceAt(name, st, out)
	}
	return out
}

// occScanMax is how many calls of occurrences a text answers by searching
// it before indexing its tokens.
const occScanMax = 16

// occurrencesScan is occurrences by a search of the whole text (names of
// one byte, which indexOccurrences does not key, and a text's first calls).
func (d *doc) occurrencesScan(name string, out [][2]int) [][2]int {
	for from := 0; from < len(d.text); {
		x := strings.Index(d.text[from:], name)
		if x < 0 {
			break
		}
		st := from + x
		from = st + 1
		out = d.occurrenceAt(name, st, out)
	}
	return out
}

// occurrenceAt appends the span of name written at byte st, when it is
// written there as whole words (or after a figure's scale letter) and
// opens a token.
func (d *doc) occurrenceAt(name string, st int, out [][2]int) [][2]int {
	en := st + len(name)
	glued := false
	if r, _ := utf8.DecodeLastRuneInString(d.text[:st]); st > 0 && wordRune(r) {
		glued = true
	}
	if r, _ := utf8.DecodeRuneInString(d.text[en:]); en < len(d.text) && wordRune(r) {
		return out
	}
	s := sort.Search(len(d.toks), func(i int) bool { return int(d.toks[i].start) >= st })
	e := sort.Search(len(d.toks), func(i int) bool { return int(d.toks[i].start) >= en })
	if glued && (s >= len(d.toks) || !d.inAmount(s)) {
		return out // inside a word, and not a figure's scale ("7M")
	}
	if s < len(d.toks) && int(d.toks[s].start) == st && e > s {
		out = append(out, [2]int{s, e})
	}
	return out
}

// indexOccurrences chains the tokens by the first two bytes of the text
// they open (occSlot), each chain in token order; a token that opens
// where the one before it does is left out, as the search that finds a
// span's first token finds the earlier one.
func (d *doc) indexOccurrences() {
	n := 64
	for n < len(d.toks) {
		n <<= 1
	}
	d.occHead = resize(d.sc.occHead, n)
	d.occNext = resize(d.sc.occNext, len(d.toks))
	for i := range d.occHead {
		d.occHead[i] = -1
	}
	for k := len(d.toks) - 1; k >= 0; k-- {
		d.occNext[k] = -1
		st := int(d.toks[k].start)
		if st+1 >= len(d.text) || k > 0 && int(d.toks[k-1].start) == st {
			continue
		}
		x := occSlot(d.text[st], d.text[st+1], n)
		d.occNext[k] = d.occHead[x]
		d.occHead[x] = int32(k)
	}
}

// occSlot is the chain of a text opening with bytes b0 b1 in a table of n
// chains (a power of two).
func occSlot(b0, b1 byte, n int) int {
	return int((uint32(b0)<<8|uint32(b1))*0x9e3779b1>>16) & (n - 1)
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// dropLead drops the words before the name proper, when the first of them
// says what or where the name is (an article or preposition, a
// nationality, a place in capitals, a descriptor: "O Banco Ximenes",
// "NAIROBI Kestrel Oil", "Battery Maker Vantor Power") and the others
// are common words, or when they are common words ending in a lower-case
// one ("Loan Facilities for Quillora"); and the rest is a name, no place,
// that the text writes without them at least as often as with them (count).
func (d *doc) dropLead(name string, s, e, count int) (string, bool) {
	var buf [8][2]int
	strong := d.leadWord(s)
	title := d.sents[d.sentIdx(s)].headline // a headline capitalises its common words too
	for k := s + 1; k < e; k++ {
		p := k - 1
		if d.toks[p].kind != tkWord || d.rawIn(p, setFirstName, d.v.firstName) {
			return "", false
		}
		if p > s && !d.leadWord(p) && !d.lowIn(p, setCommon, d.v.common) {
			return "", false
		}
		if !strong && !d.lowIn(p, setCommon, d.v.common) {
			return "", false
		}
		if d.toks[k].kind != tkWord || !d.isCap(k) || !strong && !title && d.isCap(p) {
			continue
		}
		if e-k == 1 && (d.lowIn(k, setCommon, d.v.common) || d.rawIn(k, setStop, d.v.stop)) {
			return "", false // "Green Monday" is no "Monday"
		}
		rest := d.text[d.toks[k].start:d.toks[e-1].end]
		if d.v.isPlaceOrPeople(rest) {
			return "", false // "Bank of America" is no "America"
		}
		alone := 0
		for _, o := range d.occurrences(rest, buf[:0]) {
			if o[0] == 0 || d.toks[o[0]-1].kind != tkWord || !d.isCap(o[0]-1) || d.otherDet(o[0]-1, s) {
				alone++
			}
		}
		if alone > 0 && alone >= count {
			return rest, true
		}
	}
	return "", false
}

// otherDet reports an article at token k other than the word the name at
// token s opens with: "Die Quellbach Platform" writes "Quellbach Platform"
// without "Das Joint Venture", while "The Tessel Company" written again is
// the same name.
func (d *doc) otherDet(k, s int) bool {
	return d.rawIn(k, setDet, d.v.det) && !strings.EqualFold(d.tx(k), d.tx(s))
}

// leadWord reports a word that says what or where a name is, and may
// stand before it without being part of it.
func (d *doc) leadWord(k int) bool {
	if d.toks[k].kind != tkWord {
		return false
	}
	if d.in("deal.name_lead", k) || d.rawIn(k, setDemonym, d.v.demonym) || d.rawIn(k, setDet, d.v.det) {
		return true
	}
	if d.lowIn(k, setSector, d.v.sector) || d.in("deal.descriptor_noun", k) {
		return true
	}
	w := d.tx(k)
	if len(w) < 3 || !isUpperASCII(w) {
		return false
	}
	_, place := d.v.place[w[:1]+strings.ToLower(w[1:])] // a dateline: "NAIROBI"
	return place
}

// gluedName writes the name at tokens [s, e) with the word glued before it
// by a full stop ("Tessel.AI"), or by a hyphen to a lower-case word
// ("d-Quill").
func (d *doc) gluedName(s, e int) (string, bool) {
	if s < 2 || d.toks[s].gap || d.toks[s-1].gap {
		return "", false
	}
	if d.toks[s-2].kind != tkWord || !d.is(s-1, ".") && !(d.is(s-1, "-") && !d.isCap(s-2)) {
		return "", false // "Alder-Brook" joins two names
	}
	return d.text[d.toks[s-2].start:d.toks[e-1].end], true
}

// restoreLead puts back a capitalised word the readers cut before the
// name (a sector word or a stop word such as "New") when the text writes
// the name more than once and never without that word.
func (d *doc) restoreLead(name string, occ [][2]int) (string, bool) {
	if len(occ) < 2 {
		return "", false
	}
	var lead string
	for _, o := range occ {
		p := o[0] - 1
		if p < 0 || d.toks[p].kind != tkWord || !d.isCap(p) || !d.toks[o[0]].gap {
			return "", false
		}
		if !d.lowIn(p, setSector, d.v.sector) && !d.rawIn(p, setStop, d.v.stop) {
			return "", false
		}
		w := d.tx(p)
		if lead != "" && w != lead {
			return "", false
		}
		lead = w
	}
	return lead + " " + name, true
}

// trimFigure narrows the name at tokens [s, e) to its own words: a figure
// (the scale letter of "$7M Tessel Games", "Quellbach 370.000 Euro") and a
// capitalised headline verb with what follows it ("Lumetra Closes",
// "Quillbox Sets Listing Terms", "QUILLBOX TO TOLLHAUS") are none of them.
func (d *doc) trimFigure(s, e int) (int, int) {
	for s < e && d.inAmount(s) {
		s++
	}
	for k := s + 1; k < e; k++ {
		if d.inAmount(k) || d.toks[k].kind == tkWord && d.isCap(k) && d.in("deal.title_verb", k) {
			e = k
			for e > s && d.toks[e-1].kind != tkWord && d.toks[e-1].kind != tkNumber {
				e-- // a comma or a dash before the verb
			}
			break
		}
	}
	return s, e
}

// titledPerson reports a name of two or three capitalised words, none of
// them an organisation word or a legal form, that the text gives a
// person's title: right before it ("founder Ann Roe", "Gründer Jo Pell")
// or after a comma ("Ann Roe, co-founder of"). A person is never a deal's
// company, whatever the first-name data knows of the given name.
func (d *doc) titledPerson(name string) bool {
	var buf [8][2]int
	if strings.Count(name, " ") < 1 || strings.Count(name, " ") > 2 {
		return false
	}
	for _, o := range d.occurrences(name, buf[:0]) {
		s, e := o[0], o[1]
		for k := s; k < e; k++ {
			if d.toks[k].kind != tkWord || !d.isCap(k) || d.rawIn(k, setOrg, d.v.org) || d.lowIn(k, setLegal, d.v.legal) {
				return false
			}
		}
		if d.in("deal.person_title", s-1) || d.is(e, ",") && (d.in("deal.person_title", e+1) || d.in("extract.article", e+1) && d.in("deal.person_title", e+2)) {
			return true
		}
	}
	return false
}

// sourceName reports a name the text cites as its source: after "tells"
// or "told", or before "has learnt" or "understands"
// ("the startup tells Ledger Daily it closed ...", "Wire News has learnt
// that Quillbox ..."). A source is no deal's company.
func (d *doc) sourceName(name string) bool {
	var buf [8][2]int
	for _, o := range d.occurrences(name, buf[:0]) {
		s, e := o[0], o[1]
		for k := max(0, s-3); k < s; k++ {
			if n := d.phraseAt("deal.source_before", k); n > 0 && k+n == s {
				return true
			}
		}
		if d.phraseAt("deal.source_after", e) > 0 {
			return true
		}
	}
	return false
}
