package extract

import (
	"encoding/binary"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// sentence is a token range [s, e) that ends at a full stop, a question or
// exclamation mark, or a line break. headline marks a first line that is a
// title.
type sentence struct {
	s, e     int
	headline bool
	// titled marks a line written in Title Case inside the text, such as a
	// roundup's item heading ("Fernwood Analytics Raises $42 Million in
	// Series B"): its names end where a capitalised verb starts, as in
	// the headline.
	titled bool
	noise  bool // metadata, a byline, a caption or a credit: no facts come from it
	teaser bool // a line linking another article ("Read also: ..."): a raise read in it is that article's
}

// cueHit is a cue phrase found at tokens [s, e).
type cueHit struct {
	s, e  int
	class string
}

// doc is one text under analysis: its tokens, their lower-cased texts, its
// sentences and the cue phrases found in it.
type doc struct {
	text      string
	lowText   string // text with its ASCII letters lower-cased, byte for byte
	v         *vocab
	toks      []token
	low       []string
	sents     []sentence
	sentOf    []int32
	cues      []cueHit          // cue phrases in token order
	cueOff    []int32           // cues of token i are cues[cueOff[i]:cueOff[i+1]]
	mask      []uint32          // vocab.known bits of each token (raw and lower-cased)
	info      []*wordEntry      // vocab.known entry of each word token's lower-cased text, or nil
	raw       []*wordEntry      // the same of its text as written
	roundMemo []roundMemo       // roundAt's answer per token
	subj      []subjMemo        // subjectRange and subjectName of sentence k, worked out when first asked
	comp      []companyReadings // companyFor's readings per figure, chained by sentence from subj
	lendSent  []int32           // lenderCounts: tokens naming lenders per sentence, nil until asked
	lendDoc   int               // … and in the whole text
	country   [5]int            // places named: JP, CN, SE, NO, DK (see countryIdx)
	boiler    int               // first sentence of an "About X" boilerplate section, or len(sents)
	amtAt     []int32           // amount index + 1 for tokens inside an amount, after classify
	amts      []amount
	sc        *scratch
	amtLo     []int32 // amounts of sentence k are amts[amtLo[k]:amtLo[k+1]]
	// Deal lookup by sentence, set by indexDeals.
	dealFirst   []int32      // first deal named in sentence k, or -1
	dealLast    []int32      // last deal named in a sentence before k, or -1
	sentFeat    []sentFeats  // where the features of sentence k lie in sentHash and sentNames, built on first use
	sentHash    []uint64     // the sentences' feature hashes, one arena
	sentNames   []string     // their names, while training
	sentTrain   bool         // the arena holds names too
	sentRank    []int32      // position of sentence k among those that are not noise
	moneySent   []bool       // sentence k speaks of money changing hands, built on first use
	acqSent     []int8       // sentence k holds an acquire cue: 0 not yet known, 1 no, 2 yes
	commaNums   int8         // the text writes decimal commas (decimalCommas): 0 not yet known, 1 no, 2 yes
	rounds      [][]roundHit // round phrases per sentence, built on first use
	roundCounts []int        // round phrases per class in the whole text, with rounds
	compSent    []bool       // sentence k names a company of the rules' deals, set before the name features
	sideVerb    []uint8      // the verb of words/rules_side.tsv starting at token i: class<<4 | length, built on first use (indexSideVerbs)
	aggWord     []uint8      // aggMark of word token i | aggKnown once worked out (aggMark), allocated on first use
	freeLists   []freeList   // the investor lists the rules read but gave to no deal (attachInvestors)
	occHead     []int32      // indexOccurrences: the first token of each chain, or -1; nil until asked
	occNext     []int32      // … and the next token of token k's chain, or -1
	occScans    int          // calls of occurrences answered by searching the text
	nameRoles   []role       // the figures' roles when the names were scored, which their features read
	// Per-token facts that the rules and features ask of many windows,
	// worked out once per text by indexVocab and clauseIndex.
	fact  []uint8 // factBoundary, factDate, factList, factListSep of token i
	bPrev []int32 // last clause boundary before token i, or -1
	bNext []int32 // first clause boundary at or after token i, or len(toks)
	dateN []int32 // dates (years and month names) among tokens [0, i)
}

// Bits of doc.fact.
const (
	factBoundary = 1 << iota // isBoundary
	factDate                 // a year or a month name (dateFeats)
	factList                 // inList's first answer: the token can sit inside a list of names
	factListSep              // inList's second answer: a comma or a conjunction
	factYear                 // a year such as 2023 (isYear)
	factNameOpen             // a token that can open a name (nameRun): a number, a capitalised word, a word that opens a gazetteer name, an article
	factRound                // a word that starts a round phrase or is a series word: the only tokens findRound reads further
	factNoPhrase             // a word whose entry starts no phrase of any rule class (wordEntry.starts): phraseAt answers 0 without a call; the top bit (phraseAt compares)
)

// phraseAt tests factNoPhrase by comparing; it must stay the top bit.
var _ = [1]int{}[factNoPhrase>>7-1]

// punctFacts are the facts of a punctuation token by its text (see
// isBoundary and inList).
func punctFacts(s string, gap bool) uint8 {
	switch s {
	case ",":
		return factBoundary | factList | factListSep
	case ";", ":", "(", ")", "—", "–":
		return factBoundary
	case "-":
		if gap {
			return factBoundary | factList
		}
		return factList
	case "&", ".", "'", "’":
		return factList
	}
	return 0
}

// wordFacts are the facts of a word token from its vocabulary entry e
// (nil when it has none) and its capitalisation.
func wordFacts(e *wordEntry, capital bool) uint8 {
	var f uint8
	var sets uint32
	if e != nil {
		sets = e.sets
	}
	if e == nil || len(e.starts) == 0 {
		f |= factNoPhrase
	}
	if sets&setMonth != 0 {
		f |= factDate
	}
	switch {
	case capital || sets&setConnect != 0:
		f |= factList
	case sets&setConj != 0:
		f |= factList | factListSep
	}
	return f
}

// numberFacts are the facts of a number token: a year such as 2023 is a
// date (see isYear); every number can sit inside a list of names.
func numberFacts(s string) uint8 {
	if len(s) == 4 && (s[:2] == "19" || s[:2] == "20") {
		return factYear | factDate | factList | factNameOpen
	}
	return factList | factNameOpen
}

// clauseIndex fills bPrev, bNext and dateN from the tokens' facts.
func (d *doc) clauseIndex() {
	n := len(d.toks)
	sc := d.sc
	fact := d.fact[:n]
	bPrev := resize(sc.bPrev, n)
	bNext := resize(sc.bNext, n)
	dateN := resize(sc.dateN, n+1)
	prev, dates := int32(-1), int32(0)
	for i, f := range fact {
		bPrev[i] = prev
		if f&factBoundary != 0 {
			prev = int32(i)
		}
		if f&factDate != 0 {
			dates++
		}
		dateN[i+1] = dates
	}
	next := int32(n)
	for i := n - 1; i >= 0; i-- {
		if fact[i]&factBoundary != 0 {
			next = int32(i)
		}
		bNext[i] = next
	}
	d.bPrev, d.bNext, d.dateN = bPrev, bNext, dateN
}

// datesIn counts the dates among tokens [a, b).
func (d *doc) datesIn(a, b int) int32 {
	if a >= b {
		return 0
	}
	return d.dateN[b] - d.dateN[a]
}

// indexAmounts records which amounts each sentence holds; amounts come in
// token order.
func (d *doc) indexAmounts(amts []amount) {
	d.amtLo = make([]int32, len(d.sents)+1)
	j := 0
	for k := range d.sents {
		d.amtLo[k] = int32(j)
		for j < len(amts) && amts[j].sent == k {
			j++
		}
	}
	d.amtLo[len(d.sents)] = int32(len(amts))
}

// sentAmts returns the range of amounts in sentence k.
func (d *doc) sentAmts(k int) (int, int) {
	if k < 0 || k+1 >= len(d.amtLo) {
		return 0, 0
	}
	return int(d.amtLo[k]), int(d.amtLo[k+1])
}

// indexDeals records, per sentence, the first deal named in it and the
// last deal named before it. Deals are sorted by position.
func (d *doc) indexDeals(deals []*dealB) {
	n := len(d.sents)
	d.dealFirst = resize(d.sc.dealFirst, n)
	d.dealLast = resize(d.sc.dealLast, n)
	d.sc.dealFirst, d.sc.dealLast = d.dealFirst, d.dealLast
	for k := range d.dealFirst {
		d.dealFirst[k] = -1
	}
	for j := len(deals) - 1; j >= 0; j-- {
		if s := deals[j].sent; s >= 0 && s < n {
			d.dealFirst[s] = int32(j)
		}
	}
	last := int32(-1)
	j := 0
	for k := 0; k < n; k++ {
		d.dealLast[k] = last
		for j < len(deals) && deals[j].sent <= k {
			if deals[j].sent == k {
				last = int32(j)
			}
			j++
		}
	}
}

// scratch holds the per-text buffers of a doc between calls.
type scratch struct {
	toks      []token
	low       []string
	mask      []uint32
	info      []*wordEntry
	raw       []*wordEntry
	roundMemo []roundMemo
	cueOff    []int32
	sentOf    []int32
	amtAt     []int32
	cues      []cueHit
	sents     []sentence
	// Buffers of the name model (nameKeys): the keys, their index and
	// one arena for every key's features.
	keys     []nameKey
	keyAt    map[string]int
	arena    []uint64
	valArena []float32  // the pooled features' values (see pool)
	feats    []uint64   // the feature buffer of decide
	tmpl     tmplHashes // the feature templates' hash prefixes, kept from text to text
	classes  classMemo  // the rule classes' indexes, kept from text to text
	amts     []amount   // the money figures found by scan
	// The name candidates, their counts by key and the name model's
	// probabilities by key (nameCands, scoreNames).
	names     []nameCand
	nameCount map[string]int
	nprobs    nameProbs
	nameRoles []role // doc.nameRoles
	// The sentence features' arena (see sentenceFeats).
	sentFeat  []sentFeats
	sentRank  []int32
	sentHash  []uint64
	sentNames []string
	compSent  []bool  // doc.compSent
	sideVerb  []uint8 // doc.sideVerb
	aggWord   []uint8 // doc.aggWord
	fact      []uint8
	bPrev     []int32
	bNext     []int32
	dateN     []int32
	normBuf   byteArena // the name keys of doc.normName
	normMemo  *normMemo // the keys doc.normName made of this text's strings, allocated on first use
	// The name keys of each sentence (keysBySentence).
	inSent     [][]int
	inSentKeys []int
	inSentEnd  []int32
	taken      takenNames // keepRuleInvestors
	freeLists  []freeList // doc.freeLists
	// writtenLists: the lists by token span, their members and runs.
	listAt   map[listSpan]int
	listSegs []listMember
	lists    []listSpan
	listToks []listSpan // each list's bounds by token, as listAround gives them
	// roundHits: the hits, where each sentence's end and the counts.
	roundFlat   []roundHit
	roundEnd    []int32
	roundCounts []int
	rounds      [][]roundHit
	dealFirst   []int32 // indexDeals
	dealLast    []int32
	amtState    amountState          // newAmountState
	pstats      powerStats           // doc.powerStats
	ruleMark    map[string]*nameCand // ruleMarks
	ruleMarks   []nameCand
	sentsAlt    []sentence        // splitMetadata's buffer beside sents
	subj        []subjMemo        // doc.subj
	comp        []companyReadings // doc.comp
	lendSent    []int32           // doc.lendSent
	occHead     []int32           // doc.occHead
	occNext     []int32           // doc.occNext
	doc         doc               // the doc these buffers serve (newDoc, release)
}

// scratchPool recycles doc buffers: extraction allocates little per text.
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// resize returns s with length n and zero values, reusing its memory.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/4)
	}
	s = s[:n]
	clear(s)
	return s
}

// release returns the doc's buffers, and the doc itself, to the pool. The
// doc must not be used afterwards, nor released twice: the next newDoc may
// hand out the same doc.
func (d *doc) release() {
	sc := d.sc
	if sc == nil {
		return
	}
	clear(d.low) // drop references to the text
	clear(d.info)
	clear(d.raw)
	clear(d.roundMemo)
	sc.info, sc.raw, sc.roundMemo = d.info[:0], d.raw[:0], d.roundMemo[:0]
	clear(sc.keyAt)
	if sc.normMemo != nil {
		clear(sc.normMemo[:]) // drop references to the text
	}
	clear(sc.amts[:cap(sc.amts)])
	clear(sc.nameCount)
	sc.nprobs.release()
	if sc.taken.key != nil {
		sc.taken.clear()
	}
	// Drop the references to this text's names, rounds, doc and analysis.
	clear(sc.ruleMark)
	clear(sc.freeLists[:cap(sc.freeLists)]) // drop references to the lists' items
	clear(sc.roundFlat)
	clear(sc.rounds)
	clear(sc.amtState.rounds)
	sc.amtState.d, sc.amtState.a = nil, nil
	clear(sc.names[:cap(sc.names)]) // drop references to the text
	clear(d.sentNames)
	if d.sentFeat != nil {
		sc.sentFeat, sc.sentRank, sc.sentHash, sc.sentNames = d.sentFeat[:0], d.sentRank[:0], d.sentHash[:0], d.sentNames[:0]
	}
	if d.compSent != nil {
		sc.compSent = d.compSent[:0]
	}
	if d.sideVerb != nil {
		sc.sideVerb = d.sideVerb[:0]
	}
	if d.aggWord != nil {
		sc.aggWord = d.aggWord[:0]
	}
	if d.subj != nil {
		clear(d.subj) // drop references to the text's names
		sc.subj = d.subj[:0]
	}
	if d.comp != nil {
		clear(d.comp) // drop references to the text's names
		sc.comp = d.comp[:0]
	}
	if d.lendSent != nil {
		sc.lendSent = d.lendSent[:0]
	}
	if d.occHead != nil {
		sc.occHead, sc.occNext = d.occHead[:0], d.occNext[:0]
	}
	for i := range sc.keys {
		sc.keys[i].key, sc.keys[i].names = "", nil
	}
	sc.fact, sc.bPrev, sc.bNext, sc.dateN = d.fact[:0], d.bPrev[:0], d.bNext[:0], d.dateN[:0]
	sc.toks, sc.low, sc.mask, sc.cueOff, sc.sentOf, sc.amtAt, sc.cues, sc.sents = d.toks[:0], d.low[:0], d.mask[:0], d.cueOff[:0], d.sentOf[:0], d.amtAt[:0], d.cues[:0], d.sents[:0]
	*d = doc{} // drop the references to the text; d.sc is nil
	scratchPool.Put(sc)
}

// newDoc lexes text and indexes what every rule looks up per token: the
// lower-cased texts, the vocabulary bits, the cue phrases and the
// sentences. Its buffers come from the pool (see release).
func newDoc(text string, v *vocab) *doc {
	sc := scratchPool.Get().(*scratch)
	d := &sc.doc // the doc itself is pooled too (see release)
	*d = doc{text: text, v: v, sc: sc}
	if sc.classes.v != v {
		sc.classes.reset(v)
	}
	d.toks = splitGlued(text, lexInto(text, sc.toks), v)
	n := len(d.toks)
	d.low = resize(sc.low, n)
	d.mask = resize(sc.mask, n)
	d.info = resize(sc.info, n)
	d.raw = resize(sc.raw, n)
	d.roundMemo = resize(sc.roundMemo, n)
	d.cues = sc.cues[:0]
	d.sents = sc.sents[:0]
	d.amtAt = sc.amtAt[:0]
	d.sentOf = sc.sentOf[:0]
	d.lowerTokens()
	d.cueOff = resize(sc.cueOff, n+1)
	d.fact = resize(sc.fact, n)
	d.indexVocab()
	d.clauseIndex()
	d.splitSentences()
	return d
}

// splitGlued splits a word that a page glued onto the organisation word
// ending the name before it ("Alder CapitalBrook Ventures", a list whose
// separators the page lost) into the organisation word and the next
// name's first word, which follows it without a gap: no word token follows
// another so otherwise, and the name readers end a name there
// (gluedAt). The word must follow a capitalised word, so that a name
// that starts with an organisation word ("CapitalQuill") stays whole.
func splitGlued(text string, toks []token, v *vocab) []token {
	for i := 1; i < len(toks); i++ {
		t := toks[i]
		if t.kind != tkWord || !t.cap || t.end-t.start < 5 || !toks[i].gap || toks[i-1].kind != tkWord || !toks[i-1].cap {
			continue
		}
		w := text[t.start:t.end]
		k := 2
		for k < len(w)-1 && !(w[k] >= 'A' && w[k] <= 'Z' && w[k-1] >= 'a' && w[k-1] <= 'z') {
			k++
		}
		if k >= len(w)-1 || !v.org[w[:k]] {
			continue
		}
		head, rest := t, t
		head.end = t.start + int32(k)
		rest.start, rest.gap = head.end, false
		toks = slices.Insert(toks, i+1, rest)
		toks[i] = head
		i++
	}
	return toks
}

// gluedAt reports a word that splitGlued cut off the word before it: a
// name starts there, and a list goes on.
func (d *doc) gluedAt(i int) bool {
	return i > 0 && i < len(d.toks) && d.toks[i].kind == tkWord && !d.toks[i].gap && d.toks[i-1].kind == tkWord
}

// lowerTokens fills d.low with the lower-cased text of every word token
// (other tokens keep their text). The text is lower-cased once as ASCII,
// so that most words are substrings of it and cost no allocation.
func (d *doc) lowerTokens() {
	text := d.text
	lowText := asciiLower(text)
	d.lowText = lowText
	for i, t := range d.toks {
		s := text[t.start:t.end]
		if t.kind == tkWord {
			l := lowText[t.start:t.end]
			same := l == s
			if !same && !isASCII(s) {
				l = lower(s)
				same = l == s
			}
			d.low[i] = l
			d.toks[i].lowSame = same
		} else {
			d.low[i] = s
		}
	}
}

// indexVocab looks every token up once in the vocabularies: it records the
// tables that hold it (d.mask), the cue phrases that start at it (d.cues,
// d.cueOff) and the countries that the places named vote for (d.country),
// so that the rules never search a table again.
func (d *doc) indexVocab() {
	text, v := d.text, d.v
	n := len(d.toks)
	for i, t := range d.toks {
		d.cueOff[i] = int32(len(d.cues))
		s := text[t.start:t.end]
		if t.kind != tkWord {
			switch t.kind {
			case tkNewline:
				d.fact[i] = factBoundary
			case tkPunct:
				d.fact[i] = punctFacts(s, t.gap)
			case tkNumber:
				d.fact[i] = numberFacts(s)
			}
			if t.kind == tkCurSym || t.kind == tkPunct && (s == "&" || s == "~") { // "~" qualifies: "(~$33 million)"
				if e := v.knownTab.get(s); e != nil {
					d.mask[i] = e.mask
				}
			}
			continue
		}
		l := d.lw(i)
		var m uint32
		if e := v.knownTab.get(l); e != nil {
			d.info[i] = e
			m = e.mask
			for _, p := range e.cues {
				// The cues of an entry start with its text: the
				// words after the first are compared.
				if d.spellsRest(p.words, i) {
					d.cues = append(d.cues, cueHit{s: i, e: i + len(p.words), class: p.class})
				}
			}
		}
		if t.lowSame {
			d.raw[i] = d.info[i]
		} else if m&(bitRawAlt|bitRawSet) != 0 || !isASCII(s) {
			// The text as written has an entry of its own only when
			// its lower-cased form says so.
			if e := v.knownTab.get(s); e != nil {
				d.raw[i] = e
				if m&bitRawAlt != 0 || !isASCII(s) {
					m |= e.mask
				}
			}
		}
		d.mask[i] = m &^ (bitRawAlt | bitRawSet) // lookup hints, not tables
		d.fact[i] = wordFacts(d.info[i], t.cap)
		if t.cap || d.mask[i]&bitGaz != 0 || d.raw[i] != nil && d.raw[i].sets&setDet != 0 {
			d.fact[i] |= factNameOpen
		}
		if d.mask[i]&bitRound != 0 || d.info[i] != nil && d.info[i].hot&hotSeries != 0 {
			d.fact[i] |= factRound
		}
		if m&bitPlace != 0 {
			d.countPlace(s)
		}
	}
	d.cueOff[n] = int32(len(d.cues))
}

// countPlace counts the country of the place s, if the vocabulary knows
// one, among the text's countries.
func (d *doc) countPlace(s string) {
	if c, ok := d.v.place[s]; ok {
		if x := countryIdx(c); x >= 0 {
			d.country[x]++
		}
	}
}

// countryIdx maps the countries that decide ¥ and kr to slots of
// doc.country.
func countryIdx(c string) int {
	switch c {
	case "JP":
		return 0
	case "CN":
		return 1
	case "SE":
		return 2
	case "NO":
		return 3
	case "DK":
		return 4
	}
	return -1
}

// asciiLower lower-cases ASCII letters only, so byte offsets stay valid.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			j := i
			// Eight bytes a round: the capitals' top bits, as
			// hasUpperASCII finds them, shifted onto their 0x20 bit.
			for ; j+8 <= len(b); j += 8 {
				x := binary.LittleEndian.Uint64(b[j:])
				y := x | 0x8080808080808080
				up := (y - 0x4141414141414141) &^ (y - 0x5b5b5b5b5b5b5b5b) &^ x & 0x8080808080808080
				binary.LittleEndian.PutUint64(b[j:], x|up>>2)
			}
			for ; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return unsafe.String(&b[0], len(b)) // b is never written again
		}
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// has reports whether token i is a key of the vocab tables in bits.
func (d *doc) has(i int, bits uint32) bool {
	return i >= 0 && i < len(d.mask) && d.mask[i]&bits != 0
}

// lw is the lower-cased text of token i, or "" outside the text.
func (d *doc) lw(i int) string {
	if i < 0 || i >= len(d.low) {
		return ""
	}
	return d.low[i]
}

// sentIdx is the sentence of token i.
func (d *doc) sentIdx(i int) int {
	if i >= len(d.sentOf) {
		i = len(d.sentOf) - 1
	}
	if i < 0 {
		return 0
	}
	return int(d.sentOf[i])
}

// cuesAt returns the cue phrases that start at token i.
func (d *doc) cuesAt(i int) []cueHit {
	if i < 0 || i >= len(d.toks) {
		return nil
	}
	return d.cues[d.cueOff[i]:d.cueOff[i+1]]
}

// tx is the text of token i.
func (d *doc) tx(i int) string {
	t := d.toks[i]
	return d.text[t.start:t.end]
}

// anyIn reports whether a token from a up to b (not included) is a word of
// class.
func (d *doc) anyIn(class string, a, b int) bool {
	for i := max(a, 0); i < b && i < len(d.toks); i++ {
		if d.in(class, i) {
			return true
		}
	}
	return false
}

// in reports whether the lower-cased text of token i is a word of the
// rule class (see [vocab.in]); a word token is answered from its
// vocabulary entry, without a lookup.
func (d *doc) in(class string, i int) bool {
	if i < 0 || i >= len(d.toks) {
		return false
	}
	e := d.entry(i)
	if e == nil || len(e.classes) == 0 {
		return false
	}
	id, ok := d.classIDMemo(class)
	if !ok {
		id = d.classIDSlow(class)
	}
	return e.classMask&(1<<(id&63)) != 0 && hasClass(e.classes, id)
}

// inHot is [doc.in] for the class of hotClasses whose bit is bit: one
// load from the token's entry.
func (d *doc) inHot(bit uint8, i int) bool {
	if i < 0 || i >= len(d.toks) {
		return false
	}
	e := d.entry(i)
	return e != nil && e.hot&bit != 0
}

// numWordAt reports whether word token i is a number word of
// vocab.numWord ("five", "douze"), from its vocabulary entry: no lookup.
func (d *doc) numWordAt(i int) bool {
	if i < 0 || i >= len(d.toks) || d.toks[i].kind != tkWord {
		return false
	}
	e := d.info[i]
	return e != nil && e.mask&bitNumWord != 0
}

// inWord is [vocab.in] with one lookup of word instead of two.
func (d *doc) inWord(class, word string) bool {
	e := d.v.known[word]
	if e == nil || len(e.classes) == 0 {
		return false
	}
	id := d.classID(class)
	return e.classMask&(1<<(id&63)) != 0 && hasClass(e.classes, id)
}

// classID is the index of rule class in d.v.classIdx, or -1 when no word
// list has the class. Rules name classes by string literals: the index is
// remembered by the literal's address (see litMemo), so that a test costs
// no map lookup.
func (d *doc) classID(class string) int {
	if id, ok := d.classIDMemo(class); ok {
		return id
	}
	return d.classIDSlow(class)
}

// classIDMemo is classID when the memo holds class (ok), small enough to
// be inlined at the callers. The memo is of d.v's classes: newDoc resets
// it when a text comes with another vocabulary (classMemo.reset), so a
// hit compares only the address and the length.
func (d *doc) classIDMemo(class string) (id int, ok bool) {
	p := unsafe.StringData(class)
	x := &d.sc.classes.ids[uint64(uintptr(unsafe.Pointer(p)))*litHash>>(64-classMemoBits)]
	return int(x.id), unsafe.StringData(x.s) == p && len(x.s) == len(class)
}

// classIDSlow is classID when the memo does not hold class.
func (d *doc) classIDSlow(class string) int {
	p := unsafe.StringData(class)
	x := &d.sc.classes.ids[uint64(uintptr(unsafe.Pointer(p)))*litHash>>(64-classMemoBits)]
	id := -1
	if c, ok := d.v.classIdx[class]; ok {
		id = int(c)
	}
	// The slot holds the string, so its bytes cannot be freed and reused
	// for another (see litMemo).
	x.s, x.id = class, int32(id)
	return id
}

// classMemoBits is log2 of the slots of classMemo: the rules name some
// four hundred classes, which 256 slots shared too often.
const classMemoBits = 10

// classMemo remembers the index of each rule class by the address of its
// name (see doc.classID), for the vocabulary v.
type classMemo struct {
	v   *vocab
	ids [1 << classMemoBits]classSlot
}

// classSlot is a class name and its index. An empty slot holds the empty
// string, whose index reset sets: it answers a class named "" rightly.
type classSlot struct {
	s  string
	id int32
}

// reset empties m for the classes of v.
func (m *classMemo) reset(v *vocab) {
	empty := int32(-1)
	if c, ok := v.classIdx[""]; ok {
		empty = int32(c)
	}
	m.v = v
	for x := range m.ids {
		m.ids[x] = classSlot{id: empty}
	}
}

// lowIn reports whether the lower-cased text of token i is in the word
// set m, whose bit is set; a word token is answered from its vocabulary
// entry, without a lookup.
func (d *doc) lowIn(i int, set uint32, m map[string]bool) bool {
	if i < 0 || i >= len(d.toks) {
		return m[""]
	}
	e := d.entry(i)
	return e != nil && e.sets&set != 0
}

// rawIn is lowIn for the sets of texts as written.
func (d *doc) rawIn(i int, set uint32, m map[string]bool) bool {
	e := d.raw[i]
	if d.toks[i].kind != tkWord {
		e = d.entry(i) // other tokens are their own lower case
	}
	return e != nil && e.sets&set != 0
}

// noEntry marks a token other than a word that the vocabularies do not
// hold, once it has been looked up.
var noEntry wordEntry

// entry is the vocabulary entry of token i's lower-cased text, or nil. A
// word's entry is found by indexVocab; another token's (a comma, a
// number, "&") on first use, and remembered: rules ask about the same
// tokens many times.
func (d *doc) entry(i int) *wordEntry {
	e := d.info[i]
	if e == nil && d.toks[i].kind != tkWord {
		if e = d.v.known[d.low[i]]; e == nil {
			e = &noEntry
		}
		d.info[i] = e
	}
	return e
}

// is reports whether token i has exactly the text s.
func (d *doc) is(i int, s string) bool {
	if i < 0 || i >= len(d.toks) {
		return false
	}
	// The lengths first, and a one-byte text ("," "." "-") as one byte:
	// the rules ask this of nearly every token they walk.
	t := d.toks[i]
	if int(t.end-t.start) != len(s) {
		return false
	}
	if len(s) == 1 {
		return d.text[t.start] == s[0]
	}
	return d.text[t.start:t.end] == s
}

func (d *doc) matchWords(ws []string, i int) bool {
	if i < 0 || i+len(ws) > len(d.toks) {
		return false
	}
	for k, w := range ws {
		if d.lw(i+k) != w {
			return false
		}
		if d.toks[i+k].kind == tkNewline {
			return false
		}
	}
	return true
}

// phraseAt returns the length in tokens of the longest phrase of a rule
// word class (words/rules_*.tsv, words separated by one space) that the
// lower-cased tokens from i spell, or 0. Like matchWords, a phrase never
// spans a line break.
func (d *doc) phraseAt(class string, i int) int {
	// Most words start no phrase of any class (factNoPhrase): answered
	// here, inlined at the rules' loops over a sentence's tokens, without
	// a call. factNoPhrase is the top bit, so a comparison tests it and
	// the function stays within the inliner's budget.
	if uint(i) < uint(len(d.fact)) && d.fact[i] >= factNoPhrase {
		return 0
	}
	return d.phraseAtSlow(class, i)
}

// phraseAtSlow is phraseAt past its first test.
func (d *doc) phraseAtSlow(class string, i int) int {
	if i < 0 || i >= len(d.toks) {
		return 0
	}
	e := d.entry(i)
	if e == nil || len(e.starts) == 0 {
		return 0 // no phrase of any class starts with the token: no lookup
	}
	id, ok := d.classIDMemo(class)
	if !ok {
		id = d.classIDSlow(class)
	}
	if id < 0 || e.startMask&(1<<(id%64)) == 0 {
		return 0 // no phrase of the class starts with the token
	}
	for x, c := range e.starts {
		if int(c) != id {
			continue
		}
		// The entries of the class that start with the token, split
		// into words when the vocabulary was built: no map lookup and
		// no splitting here.
		n := 0
		for _, ws := range e.phrases[x] {
			if len(ws) > n && d.spellsRest(ws, i) {
				n = len(ws)
			}
		}
		return n
	}
	return 0
}

// spellsRest reports whether the lower-cased tokens from i are the words
// ws, with no line break among them, for words whose first is the token's
// lower-cased text, as of every phrase and cue the token's entry lists: its
// vocabulary entry is that of its text, which no line break has. The
// first word is not compared again (a common word starts many phrases:
// the French "a investi", "a financé", ... at each English "a").
func (d *doc) spellsRest(ws []string, i int) bool {
	if i < 0 || i+len(ws) > len(d.toks) {
		return false
	}
	for k := 1; k < len(ws); k++ {
		if d.toks[i+k].kind == tkNewline || d.low[i+k] != ws[k] {
			return false
		}
	}
	return true
}

// spells returns the number of words of phrase p when the lower-cased
// tokens from i are its words, or 0.
func (d *doc) spells(p string, i int) int {
	if i < 0 {
		return 0
	}
	k := 0
	for rest := p; rest != ""; k++ {
		var w string
		w, rest, _ = strings.Cut(rest, " ")
		if i+k >= len(d.toks) || d.toks[i+k].kind == tkNewline || d.lw(i+k) != w {
			return 0
		}
	}
	return k
}

// matchPhrase returns the longest phrase of pt starting at token i; bit is
// pt's bit of vocab.known, which every first word of pt carries.
func (d *doc) matchPhrase(pt phraseTable, bit uint32, i int) (phrase, int) {
	if i < 0 || i >= len(d.toks) || d.mask[i]&bit == 0 {
		return phrase{}, 0
	}
	var best phrase
	n := 0
	for _, p := range pt[d.lw(i)] {
		if len(p.words) > n && d.matchWords(p.words, i) {
			best, n = p, len(p.words)
		}
	}
	return best, n
}

// cueIn reports the first cue of class that starts within [a, b) and ends
// by b.
func (d *doc) cueIn(class string, a, b int) (cueHit, bool) {
	for _, c := range d.cuesIn(a, b) {
		if c.class == class && c.e <= b {
			return c, true
		}
	}
	return cueHit{}, false
}

// cuesIn returns the cue phrases that start in [a, b), in order.
func (d *doc) cuesIn(a, b int) []cueHit {
	a = max(a, 0)
	b = min(b, len(d.toks))
	if a >= b {
		return nil
	}
	return d.cues[d.cueOff[a]:d.cueOff[b]]
}

// lastCueIn is like cueIn but returns the last one.
func (d *doc) lastCueIn(class string, a, b int) (cueHit, bool) {
	cs := d.cuesIn(a, b)
	for k := len(cs) - 1; k >= 0; k-- {
		// Cues of one token come in phrase-table order, not by end;
		// the last start wins like the token loop did.
		if c := cs[k]; c.class == class && c.e <= b {
			best := c
			for j := k - 1; j >= 0 && cs[j].s == c.s; j-- {
				if cs[j].class == class && cs[j].e <= b {
					best = cs[j]
				}
			}
			return best, true
		}
	}
	return cueHit{}, false
}

// cueAtIs reports whether a cue of class starts at i and returns its end.
func (d *doc) cueAtIs(class string, i int) (int, bool) {
	if i < 0 || i >= len(d.toks) {
		return 0, false
	}
	e := 0
	for _, c := range d.cuesAt(i) {
		if c.class == class && c.e > e {
			e = c.e
		}
	}
	return e, e > 0
}

// isCap reports whether token i is a word that starts with a capital
// letter or a digit-led name part.
func (d *doc) isCap(i int) bool {
	return i >= 0 && i < len(d.toks) && d.toks[i].cap
}

// isBoundary reports whether token i separates clauses.
func (d *doc) isBoundary(i int) bool {
	if i < 0 || i >= len(d.toks) {
		return true
	}
	return d.fact[i]&factBoundary != 0 // a line break, a comma, ";", ":", a bracket, a dash or " - " (punctFacts)
}

// splitSentences cuts the tokens into sentences, marks noise and the
// headline, and finds where the boilerplate starts.
func (d *doc) splitSentences() {
	n := len(d.toks)
	d.sentOf = resize(d.sentOf, n)
	d.breakSentences()
	d.splitMetadata()
	if len(d.sents) == 0 {
		// Only newlines: one empty sentence keeps lookups in range.
		d.sents = append(d.sents, sentence{s: 0, e: 0})
	}
	k := 0
	for i := 0; i < n; i++ {
		for k+1 < len(d.sents) && d.sents[k+1].s <= i {
			k++
		}
		d.sentOf[i] = int32(k)
	}
	d.boiler = d.boilerplateStart()
	d.markHeadline()
	d.markTitled()
}

// breakSentences appends to d.sents the token ranges between line breaks
// and sentence-ending marks; the marks and the quotes or parentheses that
// close after them stay with the sentence they end.
func (d *doc) breakSentences() {
	n := len(d.toks)
	start := 0
	add := func(e int) {
		if e > start {
			d.sents = append(d.sents, sentence{s: start, e: e})
		}
		start = e
	}
	for i := 0; i < n; i++ {
		t := d.toks[i]
		if t.kind == tkNewline {
			add(i)
			start = i + 1
			continue
		}
		if t.kind != tkPunct {
			continue
		}
		switch d.tx(i) {
		case ".", "!", "?":
		default:
			continue
		}
		j := i + 1
		for j < n && d.toks[j].kind == tkPunct && (d.tx(j) == "\"" || d.tx(j) == "”" || d.tx(j) == "’" || d.tx(j) == ")") {
			j++
		}
		if !d.endsSentence(i, j) {
			continue
		}
		add(j)
		i = j - 1
	}
	add(n)
}

// endsSentence reports whether the mark at token i, followed by closing
// quotes up to token j, ends a sentence: it must be followed by a space or
// a line break, must not end an abbreviation or an initial, and what comes
// next must not be a lower-case word, which continues the sentence.
func (d *doc) endsSentence(i, j int) bool {
	n := len(d.toks)
	if j < n && d.toks[j].kind != tkNewline && !d.toks[j].gap {
		return false
	}
	if d.tx(i) == "." && i > 0 && d.toks[i-1].kind == tkWord {
		if d.dottedLetters(i) && j < n && d.toks[j].kind != tkNewline {
			return false // "u.a.", "e.g.", "d.h.": an abbreviation of letters ends no sentence within its line
		}
		w := d.lw(i - 1)
		abbr := d.in("text.abbrev", i-1)
		if abbr || (utf8.RuneCountInString(w) == 1 && d.isCap(i-1)) {
			// "Mio. in", "T. Rowe Price", "the U.S. Department": an
			// initial or abbreviation ends a sentence only before a
			// word that typically opens one ("in the U.S. The firm").
			if j < n && !d.isCap(j) || abbr {
				return false
			}
			if j < n && utf8.RuneCountInString(w) == 1 && d.isCap(j) && !d.rawIn(j, setStop, d.v.stop) &&
				(i < 2 || d.toks[i-2].kind != tkWord) {
				// An initial ("T. Rowe Price", "J.P. Morgan"), not the
				// letter of "Series B." ending a sentence.
				return false
			}
		}
	}
	return !(j < n && d.toks[j].kind == tkWord && !d.isCap(j))
}

// dottedLetters reports whether the full stop at token i closes an
// abbreviation written as lower-case single letters, each with its full
// stop and no space between ("u.a.", "e.g.", "i.e.", "z.b."): the last
// letter is lower-case, so no initial of a name ("J.P.") or a country
// ("U.S.") is one.
func (d *doc) dottedLetters(i int) bool {
	if i < 3 || d.toks[i-1].gap || d.toks[i-2].gap || !d.is(i-2, ".") {
		return false
	}
	last, first := d.tx(i-1), d.tx(i-3)
	return utf8.RuneCountInString(last) == 1 && !d.isCap(i-1) &&
		d.toks[i-3].kind == tkWord && utf8.RuneCountInString(first) == 1
}

// boilerplateStart returns the first sentence of a press release's
// boilerplate, "About Acme" on a line of its own or "About Acme:", or
// len(d.sents) when there is none: what follows describes the company, it
// does not report news.
func (d *doc) boilerplateStart() int {
	n := len(d.toks)
	for k, s := range d.sents {
		if k == 0 || s.e-s.s < 2 || !d.inWord("text.boilerplate_opener", d.tx(s.s)) || !d.isCap(s.s+1) {
			continue
		}
		colon := false
		for i := s.s + 1; i < s.e && i < s.s+6; i++ {
			if d.is(i, ":") {
				colon = true
			}
		}
		if colon || s.e-s.s <= 5 && s.e < n && d.toks[s.e].kind == tkNewline {
			return k
		}
	}
	return len(d.sents)
}

// markHeadline marks the first line as a headline when more text follows
// it and it has no final full stop.
func (d *doc) markHeadline() {
	n := len(d.toks)
	if len(d.sents) > 1 {
		s0 := d.sents[0]
		last := s0.e - 1
		if last >= s0.s && s0.e < n && d.toks[s0.e].kind == tkNewline {
			if x := d.tx(last); x != "." {
				d.sents[0].headline = true
			}
		}
	}
}

// markTitled marks the lines after the first that are written in Title
// Case: a whole line without a final full stop, with more text after it, of
// at least three words, whose words of four letters or more that are not
// stop words all start with a capital, three of them at least.
func (d *doc) markTitled() {
	n := len(d.toks)
	for k := 1; k < len(d.sents); k++ {
		sn := d.sents[k]
		if sn.noise || sn.e >= n || d.toks[sn.e].kind != tkNewline || d.toks[sn.s-1].kind != tkNewline || d.tx(sn.e-1) == "." || k+1 == len(d.sents) {
			continue
		}
		words, caps := 0, 0
		titled := true
		for i := sn.s; i < sn.e && titled; i++ {
			if d.toks[i].kind != tkWord {
				continue
			}
			words++
			if len(d.tx(i)) < 4 || d.lowIn(i, setStop, d.v.stop) {
				continue
			}
			if !d.isCap(i) {
				titled = false
			}
			caps++
		}
		d.sents[k].titled = titled && words >= 3 && caps >= 3
	}
}

// splitMetadata separates what a page puts before or around the text from
// the sentences: a leading "date 2026-02-27" (or "Published: 3 March
// 2025") becomes a sentence of its own, marked noise, so that it neither
// joins the first sentence's subject nor becomes a name; a line that opens
// with such a label and a colon ("Photo: ...", "Image credit: ...") or a
// short "By ..." line is noise as a whole. The sentences of a line that
// opens with a teaser ("Read also: ...") are marked teaser, not noise: as
// noise, its names and figures out of the model's view, the six-order
// headline fell (extract/README.md, extract-59).
func (d *doc) splitMetadata() {
	// The sentences are copied into the second pooled buffer (never the
	// array they are read from), which then swaps places with the first.
	out := d.sc.sentsAlt[:0]
	teaser := false // within a teaser line, up to its end (see teaserOpener)
	for _, sn := range d.sents {
		i := sn.s
		lineStart := i == 0 || d.toks[i-1].kind == tkNewline
		if lineStart {
			teaser = i < sn.e && d.teaserOpener(i)
		}
		if teaser {
			sn.teaser = true
			out = append(out, sn)
			continue
		}
		if i >= sn.e || !d.metaLabel(i, sn.e) {
			out = append(out, sn)
			continue
		}
		j := i + 1
		if !d.lowIn(i, setMeta, d.v.meta) {
			j++ // a two-word label ("Firms mentioned:")
		}
		if j < sn.e && d.is(j, ":") {
			j++
		}
		k := j
		for k < sn.e && k < j+8 && (d.toks[k].kind == tkNumber || d.toks[k].kind == tkPunct && !d.toks[k].gap || d.lowIn(k, setMonth, d.v.month)) {
			k++
		}
		switch {
		case k > j && k < sn.e && d.toks[k].kind == tkWord:
			// A date, then the text: split after the date.
			out = append(out, sentence{s: sn.s, e: k, noise: true}, sentence{s: k, e: sn.e})
		case k > j || j > i+1 && lineStart:
			sn.noise = true
			out = append(out, sn)
		case lineStart && sn.e-sn.s <= 8 && sn.e < len(d.toks) && d.toks[sn.e].kind == tkNewline && d.isCap(i+1):
			sn.noise = true // "By Jane Doe" on its own line
			out = append(out, sn)
		default:
			out = append(out, sn)
		}
	}
	d.sc.sentsAlt = d.sents[:0]
	d.sents = out
}

// teaserOpener reports whether the line starting at token i opens with a
// teaser, a link to another article ("Read also: ...", "ALSO READ | ...")
// in the words of text.teaser_opener; the opener's last word may be glued
// to the linked title without a space ("Lire aussiAcme lève ...").
func (d *doc) teaserOpener(i int) bool {
	if d.toks[i].kind != tkWord {
		return false
	}
	for _, p := range d.v.rulePhrases["text.teaser_opener"][d.lw(i)] {
		ws := strings.Split(p, " ")
		last := len(ws) - 1
		if i+last >= len(d.toks) || !d.spellsRest(ws[:last], i) {
			continue
		}
		k := i + last
		if d.toks[k].kind == tkNewline {
			continue
		}
		w := d.lw(k)
		if w == ws[last] {
			return true
		}
		if raw := d.tx(k); len(raw) == len(w) && len(w) > len(ws[last]) && strings.HasPrefix(w, ws[last]) {
			if r, _ := utf8.DecodeRuneInString(raw[len(ws[last]):]); unicode.IsUpper(r) {
				return true // the last word glued to a title
			}
		}
	}
	return false
}

// metaLabel reports whether sentence tokens [i, e) open with a metadata
// label: a meta word ("date", "Photo"), or a word and a meta word before a
// colon at the start of a line ("Firms mentioned:", "Related topics:"),
// unless the two words are a cue ("Backed by:" opens investors).
func (d *doc) metaLabel(i, e int) bool {
	if d.lowIn(i, setMeta, d.v.meta) {
		return true
	}
	lineStart := i == 0 || d.toks[i-1].kind == tkNewline
	return lineStart && i+2 < e && d.toks[i].kind == tkWord && d.lowIn(i+1, setMeta, d.v.meta) && d.is(i+2, ":") && len(d.cuesAt(i)) == 0
}

// clauseStart returns the first token of the clause holding token i.
func (d *doc) clauseStart(i int) int {
	if i <= 0 || len(d.sents) == 0 {
		return 0
	}
	if i >= len(d.toks) {
		i = len(d.toks) - 1
	}
	s := max(d.sents[d.sentIdx(i)].s, i-maxWin)
	// The last boundary before i, when it lies at or after s, ends the
	// clause before; otherwise the clause opens at s.
	if p := int(d.bPrev[i]); p >= s {
		return p + 1
	}
	return s
}

// maxWin bounds every look-around in tokens, so that work per figure is
// constant and extraction stays linear in the text on any input.
const maxWin = 40

// clauseEnd returns the token after the clause holding token i.
func (d *doc) clauseEnd(i int) int {
	if i >= len(d.toks) || len(d.sents) == 0 {
		return len(d.toks)
	}
	if i < 0 {
		i = 0
	}
	e := min(d.sents[d.sentIdx(i)].e, i+maxWin)
	return min(int(d.bNext[i]), e) // the first boundary from i, when before e
}
