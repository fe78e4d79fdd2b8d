package extract

import (
	"hash/fnv"
	"math"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/dealwire/dealwire/news"
)

// TestSpanKey checks the allocation-free name key against normName, which
// it must equal on every text: on a table of edge cases and on every run
// of up to six tokens of the project's own articles and labelled sentences.
func TestSpanKey(t *testing.T) {
	v := loadVocab()
	texts := []string{
		"Acme raised money", "Acme Ltd", "Acme Holdings Ltd.", "ACME  Labs", "Ltd", "O'Neil Capital",
		"Société Générale", "8VC", "a16z Crypto", "Acme, Inc", "Acme-Beta Labs", "Acme\tLabs", " Acme ",
	}
	texts = append(texts, ownTexts(t)...)
	n := 0
	for _, text := range texts {
		d := newDoc(text, v)
		for s := range d.toks {
			for e := s + 1; e <= len(d.toks) && e <= s+6; e++ {
				want := normName(v, d.nameText(nameRef{s: s, e: e}))
				if got := d.spanKey(s, e); got != want {
					t.Errorf("spanKey(%q) = %q, normName gives %q", d.nameText(nameRef{s: s, e: e}), got, want)
				}
				n++
			}
		}
		d.release()
	}
	if n < 10000 {
		t.Fatalf("compared %d token runs, want at least 10000", n)
	}
}

// TestMagnitude checks the digit count of a value's integer part against
// its plain notation, which the feature was first computed from.
func TestMagnitude(t *testing.T) {
	for _, v := range []news.Decimal{
		{}, {Coef: 5}, {Coef: 5, Exp: -1}, {Coef: 15, Exp: -1}, {Coef: 12, Exp: 8}, {Coef: 1250, Exp: -3},
		{Coef: -3, Exp: 2}, {Coef: -35, Exp: -1}, {Coef: 7, Exp: -5}, {Coef: 1000, Exp: -3}, {Coef: 110, Exp: 9},
		{Coef: math.MaxInt64}, {Coef: math.MinInt64}, {Coef: 999, Exp: -2},
	} {
		want := 0
		for _, r := range v.String() {
			if r == '.' {
				break
			}
			if r >= '0' && r <= '9' {
				want++
			}
		}
		if got := magnitude(v); got != want {
			t.Errorf("magnitude(%s) = %d, want %d", v, got, want)
		}
	}
}

// TestTemplatePrefixes checks that features hashed from a remembered
// template prefix equal featHash and featHash2, also when templates share
// a slot of the memo or are built at run time.
func TestTemplatePrefixes(t *testing.T) {
	var pre tmplHashes
	plain, memo := featSet{}, featSet{pre: &pre}
	tmpls := []string{"w-1", "w+1", "wl", "wr", "cue_l", "rule_company", "first_name1", "", "x"}
	for i := range 300 {
		tmpls = append(tmpls, "t"+strconv.Itoa(i)) // more templates than slots
	}
	for round := range 2 {
		for _, tm := range tmpls {
			for _, v := range []string{"", "led", "by", "<s>", "1"} {
				plain.add(tm, v)
				memo.add(tm, v)
				plain.add2(tm, v, "series")
				memo.add2(tm, v, "series")
			}
		}
		if !slices.Equal(plain.h, memo.h) {
			t.Fatalf("round %d: hashes from remembered prefixes differ from featHash", round)
		}
	}
	if plain.h[0] != featHash("w-1", "") || plain.h[1] != featHash2("w-1", "", "series") {
		t.Fatal("featSet.add does not hash as featHash")
	}
}

// TestClassIndex checks the rule-class tests that answer from a token's
// vocabulary entry (doc.in, doc.inWord, doc.phraseAt, and matchPhrase with
// its table's bit) against the word lists themselves, on every token of the
// project's own articles and labelled sentences and for every class, with
// class names built at run time as well as literals.
func TestClassIndex(t *testing.T) {
	v := loadVocab()
	texts := []string{"Acme raised a Series B led by Accel, as well as a seed round.", "Der Series-C-Runde; the fund's U.S.$ 5 MW"}
	texts = append(texts, ownTexts(t)...)
	var classes []string
	for c := range v.ruleWords {
		classes = append(classes, c, string([]byte(c))) // a copy at another address
	}
	classes = append(classes, "no.such_class")
	tables := []struct {
		pt  phraseTable
		bit uint32
	}{{v.rounds, bitRound}, {v.curPhrase, bitCurPhrase}, {v.qualifier, bitQualifier}, {v.units, bitUnitPhrase}}
	hits := 0
	for _, text := range texts {
		d := newDoc(text, v)
		for i := range d.toks {
			for _, c := range classes {
				want := v.in(c, d.lw(i))
				if got := d.in(c, i); got != want {
					t.Fatalf("in(%q, %q) = %v, the word list says %v", c, d.lw(i), got, want)
				}
				if got := d.inWord(c, d.lw(i)); got != want {
					t.Fatalf("inWord(%q, %q) = %v, the word list says %v", c, d.lw(i), got, want)
				}
				wantN := 0
				for _, p := range v.rulePhrases[c][d.lw(i)] {
					wantN = max(wantN, d.spells(p, i))
				}
				if got := d.phraseAt(c, i); got != wantN {
					t.Fatalf("phraseAt(%q) at %q = %d, want %d", c, d.lw(i), got, wantN)
				}
				if want {
					hits++
				}
			}
			for _, tb := range tables {
				wantN := 0
				if d.mask[i] != 0 {
					for _, p := range tb.pt[d.lw(i)] {
						if len(p.words) > wantN && d.matchWords(p.words, i) {
							wantN = len(p.words)
						}
					}
				}
				if _, got := d.matchPhrase(tb.pt, tb.bit, i); got != wantN {
					t.Fatalf("matchPhrase at %q = %d, want %d", d.lw(i), got, wantN)
				}
			}
		}
		d.release()
	}
	if hits < 1000 {
		t.Fatalf("only %d class hits: the texts do not exercise the word lists", hits)
	}
}

// ownTexts returns the project's own texts: the golden articles and the
// labelled sentences of testdata/general.jsonl.
func ownTexts(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/articles/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	gold, err := ReadGoldFile("testdata/general.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gold {
		texts = append(texts, g.Text)
	}
	return texts
}

// TestTokenFacts checks the per-token facts that indexVocab records and
// clauseIndex sums (isBoundary, inList, isYear, the dates of dateFeats,
// the tokens that can open a name, and clauseStart and clauseEnd, which
// answer from them) against the token tests they replace, on every token
// of the project's own articles and labelled sentences.
func TestTokenFacts(t *testing.T) {
	v := loadVocab()
	texts := []string{"Acme, Beta & Gamma - and Delta; (2019) — in March: 1999–2000 - x-y", "\n, ; : ( ) — – - & . ' ’"}
	texts = append(texts, ownTexts(t)...)
	boundary := func(d *doc, i int) bool {
		if i < 0 || i >= len(d.toks) {
			return true
		}
		switch d.toks[i].kind {
		case tkNewline:
			return true
		case tkPunct:
			switch d.tx(i) {
			case ",", ";", ":", "(", ")", "—", "–":
				return true
			case "-":
				return d.toks[i].gap
			}
		}
		return false
	}
	list := func(d *doc, i int) (bool, bool) {
		switch d.toks[i].kind {
		case tkNumber:
			return true, false
		case tkWord:
			if d.isCap(i) || d.lowIn(i, setConnect, d.v.connect) {
				return true, false
			}
			if d.lowIn(i, setConj, d.v.conj) {
				return true, true
			}
		case tkPunct:
			switch d.tx(i) {
			case ",":
				return true, true
			case "&", ".", "'", "’", "-":
				return true, false
			}
		}
		return false, false
	}
	year := func(d *doc, i int) bool {
		if i < 0 || i >= len(d.toks) || d.toks[i].kind != tkNumber {
			return false
		}
		s := d.tx(i)
		return len(s) == 4 && (s[:2] == "19" || s[:2] == "20")
	}
	date := func(d *doc, i int) bool {
		return year(d, i) || d.toks[i].kind == tkWord && d.lowIn(i, setMonth, d.v.month)
	}
	nameOpen := func(d *doc, i int) bool {
		k := d.toks[i].kind
		return k == tkNumber || k == tkWord && (d.isCap(i) || d.has(i, bitGaz) || d.rawIn(i, setDet, d.v.det))
	}
	clauseStart := func(d *doc, i int) int {
		if i <= 0 || len(d.sents) == 0 {
			return 0
		}
		i = min(i, len(d.toks)-1)
		s := max(d.sents[d.sentIdx(i)].s, i-maxWin)
		for k := i - 1; k >= s; k-- {
			if boundary(d, k) {
				return k + 1
			}
		}
		return s
	}
	clauseEnd := func(d *doc, i int) int {
		if i >= len(d.toks) || len(d.sents) == 0 {
			return len(d.toks)
		}
		i = max(i, 0)
		e := min(d.sents[d.sentIdx(i)].e, i+maxWin)
		for k := i; k < e; k++ {
			if boundary(d, k) {
				return k
			}
		}
		return e
	}
	dates, seps, rounds := 0, 0, 0
	for _, text := range texts {
		d := newDoc(text, v)
		for i := -1; i <= len(d.toks); i++ {
			if got, want := d.isBoundary(i), boundary(d, i); got != want {
				t.Fatalf("isBoundary at %d of %q = %v, want %v", i, text, got, want)
			}
			if got, want := d.clauseStart(i), clauseStart(d, i); got != want {
				t.Fatalf("clauseStart(%d) of %q = %d, want %d", i, text, got, want)
			}
			if got, want := d.clauseEnd(i), clauseEnd(d, i); got != want {
				t.Fatalf("clauseEnd(%d) of %q = %d, want %d", i, text, got, want)
			}
			if got, want := d.isYear(i), year(d, i); got != want {
				t.Fatalf("isYear at %d of %q = %v, want %v", i, text, got, want)
			}
			if i < 0 || i == len(d.toks) {
				continue
			}
			if got, want := d.fact[i]&factNameOpen != 0, nameOpen(d, i); got != want {
				t.Fatalf("%q can open a name: %v, want %v", d.tx(i), got, want)
			}
			if got, want := d.fact[i]&factRound != 0, d.toks[i].kind == tkWord && (d.has(i, bitRound) || d.inHot(hotSeries, i)); got != want {
				t.Fatalf("%q may start a round: %v, want %v", d.tx(i), got, want)
			}
			r, e, ok := d.roundAt(i)
			if wr, we, wok := d.findRound(i); r != wr || e != we || ok != wok {
				t.Fatalf("roundAt(%q) = %q %d %v, findRound says %q %d %v", d.tx(i), r, e, ok, wr, we, wok)
			}
			if ok {
				rounds++
			}
			ok, sep := d.inList(i)
			if wok, wsep := list(d, i); ok != wok || sep != wsep {
				t.Fatalf("inList(%q) = %v %v, want %v %v", d.tx(i), ok, sep, wok, wsep)
			}
			if got, want := d.datesIn(i, i+1) == 1, date(d, i); got != want {
				t.Fatalf("date %q = %v, want %v", d.tx(i), got, want)
			}
			if date(d, i) {
				dates++
			}
			if sep {
				seps++
			}
		}
		d.release()
	}
	if dates < 50 || seps < 500 || rounds < 50 {
		t.Fatalf("only %d dates, %d list separators and %d rounds: the texts do not exercise the facts", dates, seps, rounds)
	}
}

// TestFNV checks the unrolled fnvAdd against the standard library's
// FNV-1a on strings of every length up to 40, so that feature hashes, and
// with them the weights they find, stay the same.
func TestFNV(t *testing.T) {
	b := []byte("Acme, Série B; €5 million led by 8VC — 2026 ")
	for n := 0; n <= len(b); n++ {
		for _, split := range []int{0, n / 2, n} {
			tmpl, val := string(b[:split]), string(b[split:n])
			h := fnv.New64a()
			h.Write([]byte(tmpl + "=" + val))
			if got, want := featHash(tmpl, val), h.Sum64(); got != want {
				t.Fatalf("featHash(%q, %q) = %x, FNV-1a gives %x", tmpl, val, got, want)
			}
		}
	}
}

// TestHotClasses checks that a token's entry answers each class of
// hotClasses with its bit (doc.inHot) as doc.in answers by the class's
// index, on every token of the project's own articles and labelled
// sentences, and that every hot class is a class of the word lists.
func TestHotClasses(t *testing.T) {
	v := loadVocab()
	for bit, c := range map[uint8]string{hotSpelledStart: "money.spelled_start", hotSeries: "deal.series", hotHeadInvestor: "investors.head_investor", hotHeadOther: "investors.head_other", hotFuture: "roles.future", hotDeadline: "roles.deadline", hotLender: "deal.lender"} {
		if k := bits.TrailingZeros8(bit); hotClasses[k] != c {
			t.Fatalf("hot bit %d is %q, its callers mean %q", k, hotClasses[k], c)
		}
	}
	for _, c := range hotClasses {
		if _, ok := v.classIdx[c]; !ok {
			t.Fatalf("hot class %q is no class of words/rules_*.tsv", c)
		}
	}
	texts := append([]string{"Series B, seed: will raise by 2027 led by Acme", "a loan from a bank"}, ownTexts(t)...)
	hits := make([]int, len(hotClasses))
	for _, text := range texts {
		d := newDoc(text, v)
		for i := -1; i <= len(d.toks); i++ {
			for k, c := range hotClasses {
				got, want := d.inHot(1<<k, i), d.in(c, i)
				if got != want {
					t.Fatalf("inHot(%q) at %d of %q = %v, in says %v", c, i, text, got, want)
				}
				if want {
					hits[k]++
				}
			}
		}
		d.release()
	}
	for k, n := range hits {
		if n == 0 {
			t.Errorf("no token of the texts is in %q: the test does not exercise it", hotClasses[k])
		}
	}
}

// TestSideStart checks that every vocabulary entry's sideStart bits say
// which classes of sideVerbClasses start with its text, as the entry's
// starts does by the classes' indexes, so that indexSideVerbs skips no
// verb.
func TestSideStart(t *testing.T) {
	v := loadVocab()
	hits := 0
	for w, e := range v.known {
		for c := verbGive; c <= verbGet; c++ {
			id, ok := v.classIdx[sideVerbClasses[c]]
			if !ok {
				t.Fatalf("side class %q is no class of words/rules_*.tsv", sideVerbClasses[c])
			}
			got, want := e.sideStart&(1<<c) != 0, hasClass(e.starts, int(id))
			if got != want {
				t.Fatalf("sideStart of %q for %q = %v, its starts say %v", w, sideVerbClasses[c], got, want)
			}
			if want {
				hits++
			}
		}
	}
	if hits == 0 {
		t.Fatal("no word starts a side verb: the test does not exercise sideStart")
	}
}

// TestAggWordMemo checks that aggMark answers a word it has seen from
// doc.aggWord with the marks it worked out, on every token of the project's
// own articles and labelled sentences, in any order and without the bit
// that says the marks are known.
func TestAggWordMemo(t *testing.T) {
	v := loadVocab()
	texts := append([]string{"The region's startups raised 12 deals worth €40m this quarter, twice last year's total."}, ownTexts(t)...)
	marked := 0
	for _, text := range texts {
		d := newDoc(text, v)
		fresh := make([]uint8, len(d.toks))
		for i := range d.toks {
			if d.aggWord != nil {
				d.aggWord[i] = 0 // worked out again, not read
			}
			fresh[i] = d.aggMark(i)
			if fresh[i]&aggKnown != 0 {
				t.Fatalf("aggMark at %d of %q = %b: the known bit leaks", i, text, fresh[i])
			}
			if fresh[i] != 0 {
				marked++
			}
		}
		for i := len(d.toks) - 1; i >= 0; i-- {
			if got := d.aggMark(i); got != fresh[i] {
				t.Fatalf("aggMark at %d (%q) of %q = %b remembered, %b worked out", i, d.lw(i), text, got, fresh[i])
			}
		}
		d.release()
	}
	if marked == 0 {
		t.Fatal("no token of the texts has an aggregate mark: the test does not exercise aggMark")
	}
}

// TestEntryAnswers checks the tests answered from a token's vocabulary
// entry against the lookups they replace, on every token of the project's
// own articles and labelled sentences: numWordAt against vocab.numWord,
// and doc.in against vocab.in of the token's lower-cased text.
func TestEntryAnswers(t *testing.T) {
	v := loadVocab()
	texts := append([]string{"Two hundred and twenty-five investors, douze fonds, zwölf Fonds: a round of one"}, ownTexts(t)...)
	classes := []string{"money.article_one", "deal.time_adverb", "deal.time_opener", "extract.from", "extract.backed_verb", "extract.list_cue_needs_name", "extract.include_verb"}
	num, in := 0, 0
	for _, text := range texts {
		d := newDoc(text, v)
		for i := -1; i <= len(d.toks); i++ {
			_, want := v.numWord[d.lw(i)]
			want = want && i >= 0 && i < len(d.toks) && d.toks[i].kind == tkWord
			if got := d.numWordAt(i); got != want {
				t.Errorf("numWordAt(%q) = %v, numWord says %v", d.lw(i), got, want)
			}
			if want {
				num++
			}
			for _, c := range classes {
				want := d.inWord(c, d.lw(i))
				if got := d.in(c, i); got != want {
					t.Errorf("in(%q, %q) = %v, inWord says %v", c, d.lw(i), got, want)
				}
				if want {
					in++
				}
			}
		}
		d.release()
	}
	if num == 0 || in == 0 {
		t.Fatalf("%d number words, %d class words: the test exercises too little", num, in)
	}
}

// TestStartMask checks that every class a word starts a phrase of has its
// bit in the word's startMask, which phraseAt reads before searching
// starts, and phraseAt, which compares only the words after the first
// (spellsRest), against the phrases of the word lists.
func TestStartMask(t *testing.T) {
	v := loadVocab()
	n := 0
	for w, e := range v.known {
		for _, id := range e.starts {
			if e.startMask&(1<<(id%64)) == 0 {
				t.Fatalf("startMask of %q lacks class %d of its starts", w, id)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no word starts a phrase: the test exercises nothing")
	}
	classes := []string{"extract.investment_phrase", "amount.aggregate_noun", "amount.period_noun", "side.by", "side.to", "side.give", "no.such.class"}
	hits := 0
	for _, text := range ownTexts(t) {
		d := newDoc(text, v)
		for i := range d.toks {
			for _, c := range classes {
				want := 0
				for _, p := range v.rulePhrases[c][d.lw(i)] {
					want = max(want, d.spells(p, i))
				}
				if got := d.phraseAt(c, i); got != want {
					t.Fatalf("phraseAt(%q, %q) = %d, the phrases say %d", c, d.lw(i), got, want)
				}
				if want > 0 {
					hits++
				}
			}
		}
		d.release()
	}
	if hits == 0 {
		t.Fatal("no phrase of the classes found: the test exercises too little")
	}
}

// TestNormMemo checks doc.normName, which remembers keys by the address
// and length of the string, against normName on every run of up to five
// tokens of the project's own articles and labelled sentences, asked
// twice in two orders: runs that start at the same byte and differ in
// length share an address, and copies of a run have another.
func TestNormMemo(t *testing.T) {
	v := loadVocab()
	n := 0
	for _, text := range append([]string{"Acme Ltd raised $5m from Alder Capital LLC and Alder Capital.", ""}, ownTexts(t)...) {
		d := newDoc(text, v)
		for round := range 2 {
			for s := range d.toks {
				for x := 1; x <= 5; x++ {
					l := x
					if round == 1 {
						l = 6 - x // the longer runs first
					}
					if s+l > len(d.toks) {
						continue
					}
					str := d.text[d.toks[s].start:d.toks[s+l-1].end]
					want := normName(v, str)
					if got := d.normName(str); got != want {
						t.Fatalf("normName(%q) = %q, want %q", str, got, want)
					}
					if got := d.normName(strings.Clone(str)); got != want {
						t.Fatalf("normName of a copy of %q = %q, want %q", str, got, want)
					}
					n++
				}
			}
		}
		d.release()
	}
	if n < 10000 {
		t.Fatalf("compared %d runs, want at least 10000", n)
	}
}

// TestSums4 checks probsV's loop for a model of four classes (sums4)
// against the general loop, bit for bit, on the committed name model with
// lists of its own features, features it lacks and hash 0, with and
// without values.
func TestSums4(t *testing.T) {
	lin := DefaultModel().tasks[taskName]
	if len(lin.classes) != 4 || lin.tab == nil || lin.tab.count == 0 {
		t.Fatalf("the name model has %d classes and no weights: the test exercises nothing", len(lin.classes))
	}
	var known []uint64
	for _, k := range lin.tab.keys {
		if k != 0 {
			known = append(known, k)
		}
	}
	general := func(feats []uint64, vals []float32) []float64 {
		out := make([]float64, 4)
		for c := range out {
			out[c] = float64(lin.bias[c])
		}
		for i, f := range feats {
			row := lin.tab.row(f)
			if len(row) < 4 {
				continue
			}
			for c := range out {
				if vals == nil {
					out[c] += float64(row[c])
				} else {
					out[c] += float64(row[c] * vals[i])
				}
			}
		}
		softmax(out)
		return out
	}
	for n := range 200 {
		var feats []uint64
		var vals []float32
		for k := range n {
			f := known[(n*7919+k*104729)%len(known)]
			if k%5 == 1 {
				f ^= 0x5bd1e995 // most likely a feature the model lacks
			}
			if k%17 == 3 {
				f = 0
			}
			feats = append(feats, f)
			vals = append(vals, float32(k%3+1)/3)
		}
		for _, v := range [][]float32{nil, vals} {
			want := general(feats, v)
			got := lin.probsV(feats, v, nil)
			for c := range want {
				if math.Float64bits(got[c]) != math.Float64bits(want[c]) {
					t.Fatalf("%d features (values %v): class %d = %v, the general loop gives %v", n, v != nil, c, got[c], want[c])
				}
			}
		}
	}
}

// TestLowSame checks the flag lowerTokens sets on a word whose
// lower-cased text is its text as written, which indexVocab reads instead
// of comparing the two, on every word of the project's own articles and
// labelled sentences and of words with capitals beyond ASCII.
func TestLowSame(t *testing.T) {
	v := loadVocab()
	same, differ := 0, 0
	for _, text := range append([]string{"Ärzte ärzte ÉCOLE école straße STRASSE eBay iFood xAI"}, ownTexts(t)...) {
		d := newDoc(text, v)
		for i, tk := range d.toks {
			if tk.kind != tkWord {
				continue
			}
			want := d.low[i] == d.tx(i)
			if tk.lowSame != want {
				t.Fatalf("lowSame of %q = %v, its lower-cased text %q says %v", d.tx(i), tk.lowSame, d.low[i], want)
			}
			if want {
				same++
			} else {
				differ++
			}
		}
		d.release()
	}
	if same == 0 || differ == 0 {
		t.Fatalf("%d words the same lower-cased, %d not: the test exercises too little", same, differ)
	}
}

// TestCapitalisedASCII checks capitalised, which reads an ASCII first
// byte without decoding it, against the decoded reading it replaced, on
// every ASCII first byte, capitals beyond ASCII and every word of the
// project's own articles and labelled sentences.
func TestCapitalisedASCII(t *testing.T) {
	decoded := func(s string) bool {
		r, _ := utf8.DecodeRuneInString(s)
		if unicode.IsUpper(r) {
			return true
		}
		for k := 1; k < len(s) && k < 4; k++ {
			if s[k] >= 'A' && s[k] <= 'Z' {
				return true
			}
		}
		return false
	}
	words := []string{"", "Éclair", "éclair", "Ärzte", "ΑΒΓ", "eBay", "iFood", "xAI", "abcdE", "\xff", "\xffA"}
	for c := range 128 {
		words = append(words, string(rune(c)), string(rune(c))+"x", string(rune(c))+"bC",
			string(rune(c))+"bcd", string(rune(c))+"bcD", string(rune(c))+"@[`{", string(rune(c))+"É", string(rune(c))+"aÉ")
	}
	v := loadVocab()
	for _, text := range ownTexts(t) {
		d := newDoc(text, v)
		for i, tk := range d.toks {
			if tk.kind == tkWord {
				words = append(words, d.tx(i))
				// The lexer's own test of four ASCII bytes (emit).
				if want := decoded(d.tx(i)); tk.cap != want {
					t.Fatalf("token %q lexed with cap %v, decoded %v", d.tx(i), tk.cap, want)
				}
			}
		}
		d.release()
	}
	for _, w := range words {
		if got, want := capitalised(w), decoded(w); got != want {
			t.Fatalf("capitalised(%q) = %v, decoded %v", w, got, want)
		}
	}
}

// TestCueFirstWord checks what indexVocab relies on to compare only the
// words after a cue's first: every cue phrase starts with the word it is
// listed under, and the cues found at every token of the project's own
// articles and labelled sentences are those that matchWords, comparing
// every word, finds, in the same order.
func TestCueFirstWord(t *testing.T) {
	v := loadVocab()
	for w, ps := range v.cues {
		for _, p := range ps {
			if len(p.words) == 0 || p.words[0] != w {
				t.Fatalf("cue %q is listed under %q", p.words, w)
			}
		}
	}
	n := 0
	for _, text := range ownTexts(t) {
		d := newDoc(text, v)
		var want []cueHit
		for i := range d.toks {
			if d.toks[i].kind != tkWord {
				continue
			}
			for _, p := range v.cues[d.lw(i)] {
				if d.matchWords(p.words, i) {
					want = append(want, cueHit{s: i, e: i + len(p.words), class: p.class})
				}
			}
		}
		if !slices.Equal(d.cues, want) {
			t.Fatalf("indexVocab found %d cues, matchWords %d", len(d.cues), len(want))
		}
		n += len(want)
		d.release()
	}
	if n == 0 {
		t.Fatal("no cue found: the test exercises nothing")
	}
}

// TestPowerWordNeedsUnit holds the shortcut of scan: a word token that no
// unit follows opens no power figure, so scan need not call power there.
// Checked at every word of the project's own articles and labelled
// sentences, and at a spelled figure that does open one.
func TestPowerWordNeedsUnit(t *testing.T) {
	v := loadVocab()
	texts := append([]string{"Brindle switched on its first gigawatt of capacity."}, ownTexts(t)...)
	opened := 0
	for _, text := range texts {
		d := newDoc(text, v)
		for i := range d.toks {
			if d.toks[i].kind != tkWord {
				continue
			}
			_, _, ok := d.power(i)
			if ok && !d.has(i+1, bitUnitExact) {
				t.Fatalf("power at word %d (%q) of %q found a figure with no unit after it", i, d.tx(i), text)
			}
			if ok {
				opened++
			}
		}
		d.release()
	}
	if opened == 0 {
		t.Fatal("no word opened a power figure: the test does not exercise the shortcut")
	}
}

// TestMayStartMoney holds the filter scan asks of every token before
// isMoneyStartCandidate: where it says no, so does the full test, at
// every token of the project's own articles and labelled sentences.
func TestMayStartMoney(t *testing.T) {
	v := loadVocab()
	texts := append([]string{"Brindle raised twelve million dollars, US$3m and €40m in 2025."}, ownTexts(t)...)
	starts, turned := 0, 0
	for _, text := range texts {
		d := newDoc(text, v)
		for i := range d.toks {
			may, is := d.mayStartMoney(i), d.isMoneyStartCandidate(i)
			if is && !may {
				t.Fatalf("mayStartMoney at token %d (%q) of %q is false, isMoneyStartCandidate true", i, d.tx(i), text)
			}
			if is {
				starts++
			}
			if !may {
				turned++
			}
		}
		d.release()
	}
	if starts == 0 || turned == 0 {
		t.Fatalf("%d starts, %d tokens turned away: the test does not exercise both answers", starts, turned)
	}
}

// TestHasUpperASCII compares hasUpperASCII with a test of each byte: every
// value at each of the four positions, among bytes at the edges of the
// capitals and of ASCII.
func TestHasUpperASCII(t *testing.T) {
	others := []byte{0, '@', 'A', 'Z', '[', 'a', 'z', 0x7f, 0x80, 0xc1, 0xda, 0xdb, 0xff}
	for p := range 4 {
		for b := range 256 {
			for _, o1 := range others {
				for _, o2 := range others {
					var bs [4]byte
					for q := range bs {
						bs[q] = o1
						if q%2 == 1 {
							bs[q] = o2
						}
					}
					bs[p] = byte(b)
					want := false
					for _, c := range bs {
						want = want || c >= 'A' && c <= 'Z'
					}
					x := uint32(bs[0]) | uint32(bs[1])<<8 | uint32(bs[2])<<16 | uint32(bs[3])<<24
					if got := hasUpperASCII(x); got != want {
						t.Fatalf("hasUpperASCII(% x) = %v, want %v", bs, got, want)
					}
				}
			}
		}
	}
}

// TestASCIILowerWords compares asciiLower, which lower-cases eight bytes a
// round, with a byte at a time: every byte value at every place of texts
// of up to 20 bytes, and the project's own articles and labelled
// sentences.
func TestASCIILowerWords(t *testing.T) {
	byByte := func(s string) string {
		b := []byte(s)
		for j, c := range b {
			if c >= 'A' && c <= 'Z' {
				b[j] = c + 'a' - 'A'
			}
		}
		return string(b)
	}
	texts := ownTexts(t)
	for n := range 21 {
		for p := range n {
			for c := range 256 {
				b := []byte(strings.Repeat("aZ@[`{\x80\xc1\xda\xdbA", 2)[:n])
				b[p] = byte(c)
				texts = append(texts, string(b))
			}
		}
	}
	for _, s := range texts {
		if got, want := asciiLower(s), byByte(s); got != want {
			t.Fatalf("asciiLower(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestDottedLegalFirstLetter holds the shortcut of capRun: a dotted legal
// form opens with a token of one byte, so dottedLegal finds none at any
// other token. Checked at every token of the project's own articles and
// labelled sentences, and at forms that it does find.
func TestDottedLegalFirstLetter(t *testing.T) {
	v := loadVocab()
	texts := append([]string{"Banca Rivale S.p.A. and Orvik N.V. backed Kestrel S.A. this week."}, ownTexts(t)...)
	found := 0
	for _, text := range texts {
		d := newDoc(text, v)
		for j := range d.toks {
			e := d.dottedLegal(j, len(d.toks))
			if e > j && d.toks[j].end != d.toks[j].start+1 {
				t.Fatalf("dottedLegal at token %d (%q) of %q found a form from a token of %d bytes", j, d.tx(j), text, d.toks[j].end-d.toks[j].start)
			}
			if e > j {
				found++
			}
		}
		d.release()
	}
	if found == 0 {
		t.Fatal("no dotted legal form found: the test does not exercise dottedLegal")
	}
}
