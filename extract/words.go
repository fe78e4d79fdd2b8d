package extract

import (
	"bufio"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/dealwire/dealwire/configs"
)

//go:embed words/*.tsv
var wordFiles embed.FS

// phrase is a cue phrase as lower-cased token texts, as the lexer splits it.
type phrase struct {
	words []string
	class string
	value string
}

// phraseTable finds phrases by their first token.
type phraseTable map[string][]phrase

func (pt phraseTable) add(text, class, value string) {
	ws := phraseWords(text)
	if len(ws) == 0 {
		return
	}
	pt[ws[0]] = append(pt[ws[0]], phrase{words: ws, class: class, value: value})
}

// phraseWords splits text into lower-cased token texts with the same lexer
// the documents go through, so "pre-money" matches "pre", "-", "money".
func phraseWords(text string) []string {
	toks := compact(lex(text))
	ws := make([]string, 0, len(toks))
	for _, t := range toks {
		ws = append(ws, lower(text[t.start:t.end]))
	}
	return ws
}

type currencyEntry struct {
	code string
	pre  bool
	post bool
	exp  int32 // power of ten the marker itself carries ("MDH": millions of dirhams)
}

type scaleEntry struct {
	exp   int32
	glued bool
	exact bool
	abbr  bool // may take a glued full stop ("Mio.")
	comma bool // of a language with decimal commas and dot thousands ("1,5 Millionen")
	ctx   bool // alone, counts money in the currency of its context ("82 Millionen gab es")
	// dotExp, when not 0, is the power of ten of the word written as an
	// English abbreviation inside a sentence, a glued full stop and a
	// lower-case word after it: "$12 mil. into" is twelve million, where the
	// Spanish "12 mil" is twelve thousand.
	dotExp int32
}

type unitEntry struct {
	exp    int32
	energy bool
}

// gazEntry is one investor the gazetteer knows.
type gazEntry struct {
	canonical string
	words     []string // surface tokens, case kept
}

// vocab holds every word list the recognizers use. It is built once from the
// embedded files and never changes afterwards.
type vocab struct {
	curWord   map[string]currencyEntry // single-token currency markers, case kept
	curPhrase phraseTable              // multi-token currency markers ("swiss francs", "U.S.$"); class pre, post or both
	curLink   phraseTable              // linking words between a scale and a currency ("d’", "di")
	curCtx    map[string]curContext    // context-dependent currency codes resolved by nearby words
	scale     map[string]scaleEntry    // lower-cased, plus exact entries under their own spelling
	scaleExct map[string]scaleEntry
	numWord   map[string]int64
	qualifier phraseTable
	units     phraseTable
	unitExact map[string]unitEntry
	place     map[string]string
	rounds    phraseTable
	cues      phraseTable
	stop      map[string]bool
	desc      map[string]bool
	legal     map[string]bool
	connect   map[string]bool
	org       map[string]bool
	verb      map[string]bool
	title     map[string]bool
	sector    map[string]bool
	gaz       map[string][]gazEntry // by first token
	gazCanon  map[string]string     // normalised name or alias → canonical
	det       map[string]bool       // capitalised articles that may open a name ("The Engine")
	conj      map[string]bool       // conjunctions that join the names of a list
	meta      map[string]bool       // labels of page metadata, bylines and credits ("date", "photo")
	month     map[string]bool       // month names and abbreviations, lower-cased
	possS     string                // the letter of a possessive after an apostrophe
	placeName map[string]string     // place names of the public data set → type
	demonym   map[string]bool       // nationality words
	// placeOrPeople holds the countries and regions of placeName and the
	// nationalities of demonym (see isPlaceOrPeople).
	placeOrPeople map[string]bool
	firstName     map[string]bool                // given names
	common        map[string]bool                // the most frequent words of each language, lower-cased
	ruleWords     map[string]map[string]bool     // words/rules_*.tsv: class → lower-cased words the rules test
	rulePhrases   map[string]map[string][]string // class → first word → the entries of the class that start with it
	classIdx      map[string]uint16              // rule class → its index in wordEntry.classes and .starts (see doc.classID)
	// known maps every key of the tables above to the tables that hold
	// it, so that a token is looked up once and most tables never.
	known map[string]*wordEntry
	// knownTab is known frozen for indexVocab's look-ups (see knownTable).
	knownTab knownTable
}

// wordEntry is what the vocabularies know about one token text.
type wordEntry struct {
	mask    uint32   // tables holding the text as a key
	cues    []phrase // cue phrases starting with it
	classes []uint16 // rule classes (words/rules_*.tsv, by vocab.classIdx) holding it as a word
	// classMask has bit id%64 set for each class id of classes, so that
	// doc.in turns away most classes without searching classes.
	classMask uint64
	starts    []uint16 // rule classes holding a word or phrase that starts with it
	// startMask has bit id%64 set for each class id of starts, so that
	// phraseAt turns away most classes without searching starts.
	startMask uint64
	// phrases holds, for each class of starts at the same index, the
	// words of that class's entries that start with the text, split at
	// spaces (see doc.phraseAt).
	phrases [][][]string
	sets    uint32 // word sets holding the text as a key (set* bits)
	hot     uint8  // the classes of hotClasses holding it as a word, one bit each
	// sideStart has bit c set when an entry of sideVerbClasses[c] starts
	// with the text, so that indexSideVerbs passes over the other words
	// without searching starts.
	sideStart uint8
}

// hotClasses are the rule classes tested at nearly every token (the start
// of a spelled amount, of a round, the words before a list of names, the
// future in a clause): a token's entry answers them with a bit of
// wordEntry.hot (doc.inHot), without looking up the class's index. Bit k
// is hotClasses[k].
var hotClasses = [...]string{"money.spelled_start", "deal.series", "investors.head_investor", "investors.head_other", "roles.future", "roles.deadline", "deal.lender"}

// Bits of wordEntry.hot, in the order of hotClasses.
const (
	hotSpelledStart uint8 = 1 << iota
	hotSeries
	hotHeadInvestor
	hotHeadOther
	hotFuture
	hotDeadline
	hotLender // lenderCounts asks it of every token of a text with a deal
)

// hasClass reports whether the rule class with index id is among ids.
func hasClass(ids []uint16, id int) bool {
	for _, c := range ids {
		if int(c) == id {
			return true
		}
	}
	return false
}

// Bits of wordEntry.sets, one per word set of the vocabulary. The sets
// of raw texts (stop words, given names, ...) mark the entry of the text
// as written; the others the lower-cased text's.
const (
	setStop uint32 = 1 << iota
	setFirstName
	setDet
	setDemonym
	setOrg
	setDesc
	setVerb
	setTitle
	setConnect
	setMonth
	setConj
	setCommon
	setSector
	setMeta
	setLegal
)

// Bits of vocab.known.
const (
	bitCurWord uint32 = 1 << iota
	bitCurPhrase
	bitScale
	bitNumWord
	bitQualifier
	bitUnitPhrase
	bitUnitExact
	bitPlace
	bitRound
	bitCue
	bitGaz
	bitRawAlt // set on the lower-cased form of a key kept with its case
	bitRawSet // set on the lower-cased form of a key of a set of texts as written (stop words, given names)
)

func (v *vocab) index() {
	v.known = map[string]*wordEntry{}
	// Entries are allocated in slabs: tens of thousands of small objects
	// would each be visited by every garbage collection.
	var slab []wordEntry
	mark := func(k string, b uint32) {
		e := v.known[k]
		if e == nil {
			if len(slab) == cap(slab) {
				slab = make([]wordEntry, 0, 4096)
			}
			slab = append(slab, wordEntry{})
			e = &slab[len(slab)-1]
			v.known[k] = e
		}
		e.mask |= b
		if b == bitCue {
			e.cues = v.cues[k]
		}
	}
	for k := range v.curWord {
		mark(k, bitCurWord)
	}
	for k := range v.scale {
		mark(k, bitScale)
	}
	for k := range v.scaleExct {
		mark(k, bitScale)
	}
	for k := range v.numWord {
		mark(k, bitNumWord)
	}
	for k := range v.unitExact {
		mark(k, bitUnitExact)
	}
	for k := range v.place {
		mark(k, bitPlace)
	}
	for k := range v.gaz {
		mark(k, bitGaz)
	}
	// Case-kept keys: a capitalised token needs its own lookup only when
	// its lower-cased form says one of these exists.
	for _, m := range []map[string]bool{keys(v.curWord), keys(v.unitExact), keys(v.scaleExct), keys(v.place), keys(v.gaz)} {
		for k := range m {
			mark(strings.ToLower(k), bitRawAlt)
		}
	}
	v.indexSets(mark)
	for _, t := range []struct {
		pt  phraseTable
		bit uint32
	}{{v.curPhrase, bitCurPhrase}, {v.qualifier, bitQualifier}, {v.units, bitUnitPhrase}, {v.rounds, bitRound}, {v.cues, bitCue}} {
		for k := range t.pt {
			mark(k, t.bit)
		}
	}
}

// indexSets records in v.known the word sets and the rule classes that
// hold each word, so that a token's entry answers them.
func (v *vocab) indexSets(mark func(k string, b uint32)) {
	for _, t := range []struct {
		set map[string]bool
		bit uint32
	}{{v.stop, setStop}, {v.firstName, setFirstName}, {v.det, setDet}, {v.demonym, setDemonym}, {v.org, setOrg}, {v.desc, setDesc}, {v.verb, setVerb}, {v.title, setTitle}, {v.connect, setConnect}, {v.month, setMonth}, {v.conj, setConj}, {v.common, setCommon}, {v.sector, setSector}, {v.meta, setMeta}, {v.legal, setLegal}} {
		raw := t.bit&(setStop|setFirstName|setDet|setDemonym|setOrg) != 0
		for k := range t.set {
			mark(k, 0)
			v.known[k].sets |= t.bit
			if raw {
				mark(strings.ToLower(k), bitRawSet)
			}
		}
	}
	for class, words := range v.ruleWords {
		id := v.classIdx[class]
		for w := range words {
			mark(w, 0)
			v.known[w].classes = append(v.known[w].classes, id)
			v.known[w].classMask |= 1 << (id % 64)
		}
	}
	for k, class := range hotClasses {
		for w := range v.ruleWords[class] {
			v.known[w].hot |= 1 << k
		}
	}
	for class, byFirst := range v.rulePhrases {
		id := v.classIdx[class]
		for first, entries := range byFirst {
			mark(first, 0)
			e := v.known[first]
			e.starts = append(e.starts, id)
			e.startMask |= 1 << (id % 64)
			words := make([][]string, len(entries))
			for k, p := range entries {
				words[k] = strings.Split(p, " ")
			}
			e.phrases = append(e.phrases, words)
		}
	}
	for c := verbGive; c <= verbGet; c++ {
		for first := range v.rulePhrases[sideVerbClasses[c]] {
			v.known[first].sideStart |= 1 << c
		}
	}
}

var loadVocab = sync.OnceValue(func() *vocab {
	v, err := buildVocab()
	if err != nil {
		// The files are embedded and covered by tests: a failure here is
		// a build defect, not an input problem.
		panic(err)
	}
	return v
})

func readTSV(fsys interface{ ReadFile(string) ([]byte, error) }, name string, fn func(cols []string) error) error {
	b, err := fsys.ReadFile(name)
	if err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	return tsvLines(string(b), func(n int, cols []string) error {
		if err := fn(cols); err != nil {
			return fmt.Errorf("reading %s line %d: %w", name, n, err)
		}
		return nil
	})
}

// tsvLines is tsvRows over a string held in memory: the columns are
// pieces of s, not a string per line, so the vocabulary's keys share one
// allocation per file and the garbage collector, which marks the live
// vocabulary at every cycle, has a few objects to visit instead of one per
// word.
func tsvLines(s string, fn func(n int, cols []string) error) error {
	n := 0
	for s != "" {
		var line string
		line, s, _ = strings.Cut(s, "\n")
		line = strings.TrimSuffix(line, "\r") // as bufio.ScanLines
		n++
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := fn(n, strings.Split(line, "\t")); err != nil {
			return err
		}
	}
	return nil
}

// tsvRows calls fn with the number and the tab-separated columns of every
// line of r that is neither empty nor a # comment.
func tsvRows(r io.Reader, fn func(n int, cols []string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := fn(n, strings.Split(line, "\t")); err != nil {
			return err
		}
	}
	return sc.Err()
}

func buildVocab() (*vocab, error) {
	v := newVocab()
	steps := []struct {
		name string
		fn   func([]string) error
	}{
		{"words/currency.tsv", v.addCurrency},
		{"words/scale.tsv", v.addScale},
		{"words/numword.tsv", func(c []string) error {
			n, err := strconv.ParseInt(c[1], 10, 64)
			v.numWord[c[0]] = n
			return err
		}},
		{"words/link.tsv", func(c []string) error { v.curLink.add(c[0], "link", ""); return nil }},
		{"words/curcontext.tsv", v.addCurContext},
		{"words/qualifier.tsv", func(c []string) error { v.qualifier.add(c[0], "qualifier", c[1]); return nil }},
		{"words/unit.tsv", v.addUnit},
		{"words/place.tsv", func(c []string) error { v.place[c[0]] = c[1]; return nil }},
		{"words/round.tsv", func(c []string) error { v.rounds.add(c[0], "round", c[1]); return nil }},
		{"words/cue.tsv", func(c []string) error { v.cues.add(c[1], c[0], ""); return nil }},
		{"words/name.tsv", v.addNameWord},
		// The public data sets of words/NAMEDATA.md: names that are a
		// place, a nationality or a person's.
		{"words/place_names.tsv", func(c []string) error {
			if len(c) < 2 {
				return fmt.Errorf("want a name and a type, got %q", c)
			}
			v.placeName[c[0]] = c[1]
			return nil
		}},
		{"words/demonyms.tsv", func(c []string) error { v.demonym[c[0]] = true; return nil }},
		{"words/first_names.tsv", func(c []string) error { v.firstName[c[0]] = true; return nil }},
		{"words/common_words.tsv", func(c []string) error { v.common[c[0]] = true; return nil }},
	}
	for _, s := range steps {
		if err := readTSV(wordFiles, s.name, s.fn); err != nil {
			return nil, err
		}
	}
	if err := v.readGazetteer(); err != nil {
		return nil, err
	}
	if err := v.readRuleWords(); err != nil {
		return nil, err
	}
	v.index()
	v.knownTab = newKnownTable(v.known) // known is complete: index made every key
	v.indexPlaceOrPeople()
	return v, nil
}

// newVocab returns a vocab with every table empty.
func newVocab() *vocab {
	return &vocab{
		curWord:   map[string]currencyEntry{},
		curPhrase: phraseTable{},
		curLink:   phraseTable{},
		scale:     map[string]scaleEntry{},
		scaleExct: map[string]scaleEntry{},
		numWord:   map[string]int64{},
		qualifier: phraseTable{},
		units:     phraseTable{},
		unitExact: map[string]unitEntry{},
		place:     map[string]string{},
		rounds:    phraseTable{},
		cues:      phraseTable{},
		stop:      map[string]bool{},
		det:       map[string]bool{},
		conj:      map[string]bool{},
		meta:      map[string]bool{},
		month:     map[string]bool{},
		desc:      map[string]bool{},
		legal:     map[string]bool{},
		connect:   map[string]bool{},
		org:       map[string]bool{},
		verb:      map[string]bool{},
		title:     map[string]bool{},
		sector:    map[string]bool{},
		gaz:       map[string][]gazEntry{},
		gazCanon:  map[string]string{},
		placeName: map[string]string{},
		demonym:   map[string]bool{},
		firstName: map[string]bool{},
		common:    map[string]bool{},
	}
}

// addCurrency reads a line of words/currency.tsv: a marker, its ISO code,
// where it stands (pre, post, both) and an optional power of ten.
func (v *vocab) addCurrency(c []string) error {
	if len(c) < 3 {
		return fmt.Errorf("want 3 columns, got %d", len(c))
	}
	e := currencyEntry{code: c[1], pre: c[2] != "post", post: c[2] != "pre"}
	if len(c) > 3 {
		exp, err := strconv.Atoi(c[3])
		if err != nil {
			return err
		}
		e.exp = int32(exp)
	}
	if len(phraseWords(c[0])) > 1 || (e.post && !e.pre && c[0] == strings.ToLower(c[0])) {
		v.curPhrase.add(c[0], c[2], c[1])
		return nil
	}
	v.curWord[c[0]] = e
	return nil
}

// addScale reads a line of words/scale.tsv: a scale word, its power of
// ten and its flags.
func (v *vocab) addScale(c []string) error {
	exp, err := strconv.Atoi(c[1])
	if err != nil {
		return err
	}
	flags := ""
	if len(c) > 2 {
		flags = c[2]
	}
	e := scaleEntry{exp: int32(exp), glued: strings.Contains(flags, "glued"), exact: strings.Contains(flags, "exact"),
		abbr: strings.Contains(flags, "abbr"), comma: strings.Contains(flags, "comma"), ctx: strings.Contains(flags, "ctx")}
	if len(c) > 3 {
		dot, err := strconv.Atoi(c[3])
		if err != nil {
			return err
		}
		e.dotExp = int32(dot)
	}
	if e.exact {
		v.scaleExct[c[0]] = e
	} else {
		v.scale[c[0]] = e
	}
	return nil
}

// addUnit reads a line of words/unit.tsv: a unit, its power of ten and
// whether it measures power or energy.
func (v *vocab) addUnit(c []string) error {
	exp, err := strconv.Atoi(c[1])
	if err != nil {
		return err
	}
	e := unitEntry{exp: int32(exp), energy: c[2] == "energy"}
	if strings.ContainsAny(c[0], " -") {
		v.units.add(c[0], c[2], c[1])
	} else {
		v.unitExact[c[0]] = e
	}
	return nil
}

// addNameWord reads a line of words/name.tsv: a class and a word.
func (v *vocab) addNameWord(c []string) error {
	sets := map[string]map[string]bool{
		"stop": v.stop, "det": v.det, "meta": v.meta, "month": v.month, "conj": v.conj, "desc": v.desc,
		"legal": v.legal, "connect": v.connect, "org": v.org, "verb": v.verb, "title": v.title, "sector": v.sector,
	}
	if c[0] == "poss" {
		v.possS = c[1]
		return nil
	}
	set, ok := sets[c[0]]
	if !ok {
		return fmt.Errorf("unknown class %q", c[0])
	}
	set[c[1]] = true
	return nil
}

// readGazetteer reads configs/investors.tsv: a name, its canonical name
// and aliases.
func (v *vocab) readGazetteer() error {
	first := true
	return readTSV(configs.Files, "investors.tsv", func(c []string) error {
		if first {
			first = false
			if c[0] == "name" {
				return nil // the header
			}
		}
		if len(c) < 2 {
			return fmt.Errorf("want name and canonical")
		}
		canon := c[1]
		names := []string{c[0]}
		if len(c) > 2 && c[2] != "" {
			names = append(names, strings.Split(c[2], ",")...)
		}
		for i, n := range names {
			v.addGazName(strings.TrimSpace(n), canon, i == 0)
		}
		return nil
	})
}

// addGazName adds one spelling of a gazetteer investor; the name itself
// (primary) wins over an alias shared with another investor.
func (v *vocab) addGazName(n, canon string, primary bool) {
	toks := compact(lex(n))
	if len(toks) == 0 {
		return
	}
	ws := make([]string, len(toks))
	for k, t := range toks {
		ws[k] = n[t.start:t.end]
	}
	key := normName(v, n)
	if _, dup := v.gazCanon[key]; !dup || primary {
		v.gazCanon[key] = canon
	}
	v.gaz[ws[0]] = append(v.gaz[ws[0]], gazEntry{canonical: canon, words: ws})
}

// isPlaceOrPeople reports whether a name is, as a whole, a country, a
// region or a nationality of the public data sets ("India", "Hong Kong",
// "Dutch"). Cities and states are left to the model: many share their name
// with an organisation (Santander, Toyota, Temasek); only a deal's final
// company is checked against them ([vocab.isTownOrState]).
func (v *vocab) isPlaceOrPeople(name string) bool {
	return v.placeOrPeople[name]
}

// indexPlaceOrPeople fills v.placeOrPeople from the place names and the
// nationalities, so that isPlaceOrPeople costs one lookup, not two.
func (v *vocab) indexPlaceOrPeople() {
	v.placeOrPeople = map[string]bool{}
	for name, typ := range v.placeName {
		if typ == "country" || typ == "region" {
			v.placeOrPeople[name] = true
		}
	}
	for name := range v.demonym {
		v.placeOrPeople[name] = true
	}
}

// isTownOrState reports whether a name is, as a whole, a city or a
// first-level subdivision of the public data sets ("Dubai", "South
// Carolina"), which isPlaceOrPeople leaves to the model, and no name the
// investor gazetteer knows.
func (v *vocab) isTownOrState(name string) bool {
	typ := v.placeName[name]
	if typ != "city" && typ != "state" {
		return false
	}
	_, known := v.gazCanon[normName(v, name)]
	return !known
}

// placeOrPeopleOnly reports a name that is a country, a region or a
// nationality and no investor the gazetteer knows ("Georgian" is a fund as
// well as a nationality).
func (v *vocab) placeOrPeopleOnly(name string) bool {
	if !v.isPlaceOrPeople(name) {
		return false
	}
	_, known := v.gazCanon[normName(v, name)]
	return !known
}

// readRuleWords loads every words/rules_*.tsv: lines of a class and a
// lower-cased word (or phrase) that a rule tests, so that the rules name
// classes, not English words. Classes are file-scoped by convention
// ("deal.institution").
func (v *vocab) readRuleWords() error {
	v.ruleWords, v.rulePhrases, v.classIdx = map[string]map[string]bool{}, map[string]map[string][]string{}, map[string]uint16{}
	names, err := fs.Glob(wordFiles, "words/rules_*.tsv")
	if err != nil {
		return fmt.Errorf("listing rule words: %w", err)
	}
	for _, name := range names {
		err := readTSV(wordFiles, name, func(c []string) error {
			if len(c) < 2 || c[0] == "" || c[1] == "" {
				return fmt.Errorf("want a class and a word, got %q", strings.Join(c, "\t"))
			}
			set := v.ruleWords[c[0]]
			if set == nil {
				if len(v.ruleWords) > math.MaxUint16 {
					return fmt.Errorf("more than %d rule classes", math.MaxUint16)
				}
				set = map[string]bool{}
				v.ruleWords[c[0]] = set
				v.classIdx[c[0]] = uint16(len(v.classIdx))
			}
			set[c[1]] = true
			first, _, _ := strings.Cut(c[1], " ")
			byFirst := v.rulePhrases[c[0]]
			if byFirst == nil {
				byFirst = map[string][]string{}
				v.rulePhrases[c[0]] = byFirst
			}
			byFirst[first] = append(byFirst[first], c[1])
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// in reports whether word belongs to class of the rule word lists.
func (v *vocab) in(class, word string) bool {
	return v.ruleWords[class][word]
}

func keys[V any](m map[string]V) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// lower lower-cases ASCII letters and returns s itself when nothing changes,
// so most tokens cost no allocation.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
		if c >= 0x80 {
			return strings.ToLower(s)
		}
	}
	return s
}

// normName is the comparison key of an investor or company name: lower case,
// letters and digits only, words separated by one space, legal suffixes
// dropped.
func normName(v *vocab, s string) string {
	return normNameIn(v, nil, s)
}

// normName is normName(d.v, s) written into the doc's byte arena. The
// decisions ask the key of the same name many times (a deal's company,
// each investor, each figure's company against the main one): the key of
// a string is remembered by its address and length (normMemo).
func (d *doc) normName(s string) string {
	if s == "" {
		return ""
	}
	m := d.sc.normMemo
	if m == nil {
		m = new(normMemo)
		d.sc.normMemo = m
	}
	p := unsafe.StringData(s)
	x := &m[((uint64(uintptr(unsafe.Pointer(p)))+uint64(len(s))*0x9E3779B9)*litHash)>>(64-normMemoBits)]
	// The slot holds the string, so that its bytes cannot be freed and
	// reused for another while the slot names them: the same address and
	// length are the same text.
	if unsafe.StringData(x.s) == p && len(x.s) == len(s) {
		return x.key
	}
	key := normNameIn(d.v, &d.sc.normBuf, s)
	x.s, x.key = s, key
	return key
}

// normMemoBits is the log2 of normMemo's slots.
const normMemoBits = 8

// normMemo remembers doc.normName's key of a string, by the string's
// address and length; strings that share a slot only have their key
// worked out again. It is cleared with the doc.
type normMemo [1 << normMemoBits]struct{ s, key string }

// normNameIn is normName writing the key into ar when ar is not nil, so
// that the keys of a text share a few allocations instead of one each.
func normNameIn(v *vocab, ar *byteArena, s string) string {
	var b []byte
	if ar != nil {
		b = ar.room(2 * len(s)) // a lower-cased rune takes at most twice its bytes
	} else {
		b = make([]byte, 0, len(s))
	}
	space := true // at a word boundary
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			c := byte(r)
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			switch {
			case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
				b = append(b, c)
				space = false
			case c == '.' || c == '\'':
			default:
				if !space {
					b = append(b, ' ')
					space = true
				}
			}
		case r == '’':
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			b = utf8.AppendRune(b, unicode.ToLower(r))
			space = false
		default:
			if !space {
				b = append(b, ' ')
				space = true
			}
		}
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	if len(b) == 0 {
		return ""
	}
	if ar != nil {
		ar.commit(b)
	}
	return trimLegal(v, unsafe.String(&b[0], len(b))) // b is never written again
}

// byteArena hands out the room for short strings from chunks of bytes. A
// committed string's bytes are never written again and a full chunk is
// never reused: it is freed by the collector when no string points into it,
// so the strings may outlive the text they were made for.
type byteArena struct {
	buf []byte // the current chunk; its bytes up to len are committed
}

// arenaChunk is the size of an arena's chunk; a request of more than a
// quarter of it gets its own allocation.
const arenaChunk = 4096

// room returns an empty slice whose capacity n appends fill without
// reallocating; commit(b) then keeps what was appended.
func (a *byteArena) room(n int) []byte {
	if n > arenaChunk/4 {
		return make([]byte, 0, n)
	}
	if cap(a.buf)-len(a.buf) < n {
		a.buf = make([]byte, 0, arenaChunk)
	}
	return a.buf[len(a.buf):len(a.buf):cap(a.buf)]
}

// commit keeps the bytes b, filled from the last room, out of later rooms.
func (a *byteArena) commit(b []byte) {
	if len(b) == 0 || cap(a.buf) == 0 {
		return
	}
	end := len(a.buf)
	if unsafe.SliceData(b) == unsafe.SliceData(a.buf[end:cap(a.buf)]) {
		a.buf = a.buf[:end+len(b)]
	}
}

// trimLegal drops the legal-form words ("ltd", "inc") that end a key of
// words separated by single spaces; the first word always stays.
func trimLegal(v *vocab, key string) string {
	for {
		i := strings.LastIndexByte(key, ' ')
		if i < 0 || !v.legal[key[i+1:]] {
			return key
		}
		key = key[:i]
	}
}
