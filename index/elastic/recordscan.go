package elastic

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strconv"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/dealwire/dealwire/news"
)

// scanRecord decodes a record's JSON, valid UTF-8 (which [Store.rawLines]
// has checked with [news.StorableJSON]), in one pass over its bytes, all but
// its title and text, which it returns as the JSON strings they are (`""`
// when absent or null), as [Store.rawLines] puts them into the document.
// It takes only JSON in the shape a record encoder writes: every key one
// of the record's own, spelt as the encoder spells it and at most once per
// object, every value of its field's JSON type, null only for a pointer
// or a list. For anything else (an unknown or later field, a key in
// another case, a string with an escaped UTF-16 surrogate, a number out of
// range, invalid JSON) it returns ok false, and the caller decodes the
// record the general way ([news.DecodeRecord]'s decoder), which gives the
// same record where this one gives any (FuzzScanRecord checks it) and
// reports the errors.
//
// The general decoder spent most of its time on the per-field machinery
// of a record's many small fields (about 9.5 µs of a synthetic record's
// 4.1 kB, a quarter of the index stage's CPU; BENCHMARKS.md, Index).
//
// The record's strings without escapes share raw's memory, as title and
// text do: raw must not change while the record is in use. The index
// stage's raw is a message's data, which nothing writes after it came,
// and a record lives only until its bulk lines are written; a copy of raw
// to cut them from was a third of the bytes the stage's handler allocated
// (2.9 kB of a synthetic record's 8 kB).
func scanRecord(raw []byte) (rec news.Record, title, text []byte, ok bool) {
	if title, text, ok = scanRecordInto(raw, &rec); !ok {
		return news.Record{}, nil, nil, false
	}
	return rec, title, text, true
}

// scanRecordInto is [scanRecord] into *rec, in the memory of its lists and
// of its deals' and investors' amounts, which it overwrites: the index
// stage scans a batch's records one after the other into the same record
// ([docScratch]), whose lists were most of what the scanner allocated (0.55
// kB of a synthetic record). A list may come back empty where scanRecord
// gives nil. When ok is false *rec is garbage.
func scanRecordInto(raw []byte, rec *news.Record) (title, text []byte, ok bool) {
	sc := recordScan{b: raw, s: unsafe.String(unsafe.SliceData(raw), len(raw)), title: []byte(`""`), text: []byte(`""`)}
	sc.record(rec)
	sc.ws()
	if sc.bad || sc.i != len(sc.b) || rec.Article.ID == "" {
		return nil, nil, false
	}
	return sc.title, sc.text, true
}

// recordScan is the state of [scanRecord]. Once bad is set every read
// returns a zero value and consumes nothing more.
type recordScan struct {
	b []byte
	// s is b as a string, sharing its memory: decoded strings without
	// escapes are cut from it.
	s   string
	i   int
	bad bool
	// title and text are the article's title and text as JSON strings.
	title, text []byte
}

func (sc *recordScan) fail() {
	sc.bad = true
	sc.i = len(sc.b)
}

// ws skips JSON whitespace. An encoder's JSON has none, and every byte
// above a space is no whitespace: one comparison for most calls, where
// the four cases of whitespace took a seventh of a record's scan.
func (sc *recordScan) ws() {
	for sc.i < len(sc.b) && sc.b[sc.i] <= ' ' {
		switch sc.b[sc.i] {
		case ' ', '\t', '\n', '\r':
			sc.i++
		default:
			return
		}
	}
}

// peek skips whitespace and returns the next byte, 0 at the end.
func (sc *recordScan) peek() byte {
	if sc.i < len(sc.b) && sc.b[sc.i] > ' ' {
		return sc.b[sc.i]
	}
	sc.ws()
	if sc.i < len(sc.b) {
		return sc.b[sc.i]
	}
	return 0
}

// null reads a null when one comes next.
func (sc *recordScan) null() bool {
	if sc.peek() == 'n' && len(sc.b)-sc.i >= 4 && string(sc.b[sc.i:sc.i+4]) == "null" {
		sc.i += 4
		return true
	}
	return false
}

// object reads an object, calling member for each member with its key,
// positioned at the value; member reads the value and returns the field's
// number (below 64), or -1 for a key the field set does not have.
func (sc *recordScan) object(member func(key string) int) {
	if sc.peek() != '{' {
		sc.fail()
		return
	}
	sc.i++
	if sc.peek() == '}' {
		sc.i++
		return
	}
	var seen uint64
	for !sc.bad {
		k := sc.key()
		if sc.peek() != ':' {
			sc.fail()
			return
		}
		sc.i++
		f := member(k)
		if f < 0 || seen&(1<<f) != 0 {
			// A key of another case or a later version's, or one that
			// comes twice: the general decoder knows what it means.
			sc.fail()
			return
		}
		seen |= 1 << f
		switch sc.peek() {
		case ',':
			sc.i++
		case '}':
			sc.i++
			return
		default:
			sc.fail()
		}
	}
}

// key reads an object's key. A key is only compared with the names of
// the record's fields, which are plain ASCII: one with a control
// character matches none of them, and the scan fails on it either way.
// So the quote that ends the key is all that is looked for, or a
// backslash, which sends the key to [recordScan.str] (an escaped key is
// decoded and taken, as the general decoder takes it).
func (sc *recordScan) key() string {
	if sc.peek() != '"' {
		sc.fail()
		return ""
	}
	b, start := sc.b, sc.i+1
	j := start + quoteOrBackslash(b[start:])
	for j < len(b) && b[j] != '"' && b[j] != '\\' {
		j++ // the last bytes (fewer than 8)
	}
	if j >= len(b) || b[j] != '"' {
		return sc.str()
	}
	sc.i = j + 1
	return sc.s[start:j]
}

// array reads an array, calling elem for each element.
func (sc *recordScan) array(elem func()) {
	if sc.peek() != '[' {
		sc.fail()
		return
	}
	sc.i++
	if sc.peek() == ']' {
		sc.i++
		return
	}
	for !sc.bad {
		elem()
		switch sc.peek() {
		case ',':
			sc.i++
		case ']':
			sc.i++
			return
		default:
			sc.fail()
		}
	}
}

// SWAR constants: a byte's worth of each in every byte of a word.
const (
	swarOnes = 0x0101010101010101
	swarHigh = 0x8080808080808080
)

// specialBytes marks the bytes of w, 8 bytes of a string read as a
// little-endian word, that end the string or need a closer look: a quote,
// a backslash, a control character. A byte's mark is its top bit. Marks
// above the first may be false (a borrow), the first is not.
func specialBytes(w uint64) uint64 {
	ctl := (w - swarOnes*0x20) &^ w
	quote := w ^ (swarOnes * '"')
	back := w ^ (swarOnes * '\\')
	return (ctl | (quote-swarOnes)&^quote | (back-swarOnes)&^back) & swarHigh
}

// plainPrefix returns the length of the plain string content (no quote,
// backslash or control character) at the start of b, read eight bytes at a
// time: exact when it is shorter than len(b) rounded down to a multiple of
// 8, else that.
func plainPrefix(b []byte) int {
	n := 0
	for len(b) >= 8 {
		if m := specialBytes(binary.LittleEndian.Uint64(b)); m != 0 {
			return n + bits.TrailingZeros64(m)/8
		}
		b, n = b[8:], n+8
	}
	return n
}

// quoteOrBackslash returns the length of the start of b without a quote
// or a backslash, read eight bytes at a time as [plainPrefix] reads them,
// without its test for control characters, which a key does not need:
// exact when it is shorter than len(b) rounded down to a multiple of 8,
// else that.
func quoteOrBackslash(b []byte) int {
	n := 0
	for len(b) >= 8 {
		w := binary.LittleEndian.Uint64(b)
		quote, back := w^(swarOnes*'"'), w^(swarOnes*'\\')
		if m := ((quote-swarOnes)&^quote | (back-swarOnes)&^back) & swarHigh; m != 0 {
			return n + bits.TrailingZeros64(m)/8
		}
		b, n = b[8:], n+8
	}
	return n
}

// stringEnd returns the position of the quote that ends the string whose
// contents start at j, and whether the string has escapes; -1 when the
// string is not valid JSON (a control character, an invalid escape, no
// end). surrogates false refuses escaped UTF-16 surrogates.
func (sc *recordScan) stringEnd(j int, surrogates bool) (end int, escaped bool) {
	b := sc.b
	for {
		j += plainPrefix(b[j:])
		if j >= len(b) {
			return -1, false
		}
		switch c := b[j]; {
		case c == '"':
			return j, escaped
		case c < 0x20:
			return -1, false
		case c == '\\':
			escaped = true
			if j+1 >= len(b) {
				return -1, false
			}
			switch b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				r, ok := hex4(b[j+2:])
				if !ok || !surrogates && utf16Surrogate(r) {
					return -1, false
				}
				j += 6
			default:
				return -1, false
			}
		default:
			j++
		}
	}
}

func utf16Surrogate(r rune) bool { return 0xd800 <= r && r < 0xe000 }

// hex4 decodes the four hex digits at the start of b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// str reads a string. One with an escaped surrogate is not taken: the
// general decoder replaces one without its pair.
func (sc *recordScan) str() string {
	if sc.peek() != '"' {
		sc.fail()
		return ""
	}
	start := sc.i + 1
	end, escaped := sc.stringEnd(start, false)
	if end < 0 {
		sc.fail()
		return ""
	}
	sc.i = end + 1
	if !escaped {
		return sc.s[start:end]
	}
	return unescape(sc.b[start:end])
}

// unescape decodes the contents of a valid JSON string without escaped
// surrogates.
func unescape(b []byte) string {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		switch b[i] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, _ := hex4(b[i+1:])
			out = utf8.AppendRune(out, r)
			i += 4
		default: // '"', '\\', '/'
			out = append(out, b[i])
		}
	}
	return string(out)
}

// rawString reads the title or text: a string as the JSON it is, `""` for
// null.
func (sc *recordScan) rawString() []byte {
	if sc.null() {
		return []byte(`""`)
	}
	if sc.peek() != '"' {
		sc.fail()
		return nil
	}
	start := sc.i
	end := sc.longStringEnd(start + 1)
	if end < 0 {
		sc.fail()
		return nil
	}
	sc.i = end + 1
	return sc.b[start:sc.i]
}

// longStringEnd is [recordScan.stringEnd] of a long string without
// escaped surrogates (the title and text, two thirds of a record's
// bytes): the position of its closing quote, -1 when it is not valid
// JSON. Where stringEnd tests every eight bytes for a quote, a backslash
// and a control character at once (a fifth of building a document's
// lines, nearly all of it in these two strings), this finds the next
// quote and the next backslash before it with [bytes.IndexByte], which
// takes 16 or 32 bytes a step, and tests the bytes between for control
// characters alone ([hasControl]). Each byte is looked at once by each of
// the three: after an escape the search goes on from the same quote.
func (sc *recordScan) longStringEnd(j int) int {
	b := sc.b
	q := -1 // the first quote at or after j, when q >= j
	for {
		if q < j {
			k := bytes.IndexByte(b[j:], '"')
			if k < 0 {
				return -1
			}
			q = j + k
		}
		seg := b[j:q]
		k := bytes.IndexByte(seg, '\\')
		if k < 0 {
			if hasControl(seg) {
				return -1
			}
			return q
		}
		if hasControl(seg[:k]) {
			return -1
		}
		j += k
		n := escapeLen(b[j:])
		if n < 0 {
			return -1
		}
		j += n // past q when the escape is \" (that quote ends nothing)
	}
}

// escapeLen returns the length of the escape at the start of b (b[0] is a
// backslash), -1 when it is not a valid JSON escape or is an escaped UTF-16
// surrogate.
func escapeLen(b []byte) int {
	if len(b) < 2 {
		return -1
	}
	switch b[1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2
	case 'u':
		if r, ok := hex4(b[2:]); ok && !utf16Surrogate(r) {
			return 6
		}
	}
	return -1
}

// hasControl reports whether b has a byte below 0x20, which a JSON string
// must escape; sixteen bytes a step (see [specialBytes]: a byte at or above
// 0x80 has its top bit set and is never marked).
func hasControl(b []byte) bool {
	for len(b) >= 16 {
		w1, w2 := binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])
		if ((w1-swarOnes*0x20)&^w1|(w2-swarOnes*0x20)&^w2)&swarHigh != 0 {
			return true
		}
		b = b[16:]
	}
	for _, c := range b {
		if c < 0x20 {
			return true
		}
	}
	return false
}

// number reads a number and returns it as it is written.
func (sc *recordScan) number() string {
	sc.ws()
	b, start := sc.b, sc.i
	j := start
	digits := func() bool {
		k := j
		for j < len(b) && '0' <= b[j] && b[j] <= '9' {
			j++
		}
		return j > k
	}
	if j < len(b) && b[j] == '-' {
		j++
	}
	switch {
	case j < len(b) && b[j] == '0':
		j++
	case !digits():
		sc.fail()
		return ""
	}
	if j < len(b) && b[j] == '.' {
		j++
		if !digits() {
			sc.fail()
			return ""
		}
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if !digits() {
			sc.fail()
			return ""
		}
	}
	sc.i = j
	return sc.s[start:j]
}

// int reads a whole number that fits an int.
func (sc *recordScan) int() int {
	lit := sc.number()
	if sc.bad {
		return 0
	}
	if n, ok := shortInt(lit); ok {
		return n
	}
	n, err := strconv.ParseInt(lit, 10, strconv.IntSize)
	if err != nil {
		sc.fail()
		return 0
	}
	return int(n)
}

// maxShortDigits is the most decimal digits that no int overflows.
const maxShortDigits = 9 + 9*(strconv.IntSize/64)

// shortInt is strconv.ParseInt of lit, a valid JSON number, when it is a
// whole number of at most maxShortDigits digits; ok is false for any
// other, which ParseInt decides. A record's spans are a dozen such
// numbers, and ParseInt's general bases and checks took a twelfth of
// scanning it.
func shortInt(lit string) (n int, ok bool) {
	digits := lit
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > maxShortDigits {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		c := digits[i] - '0'
		if c > 9 {
			return 0, false
		}
		n = n*10 + int(c)
	}
	if len(digits) < len(lit) {
		n = -n
	}
	return n, true
}

func (sc *recordScan) float() float64 {
	lit := sc.number()
	if sc.bad {
		return 0
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		sc.fail()
		return 0
	}
	return f
}

func (sc *recordScan) bool() bool {
	switch sc.peek() {
	case 't':
		if len(sc.b)-sc.i >= 4 && string(sc.b[sc.i:sc.i+4]) == "true" {
			sc.i += 4
			return true
		}
	case 'f':
		if len(sc.b)-sc.i >= 5 && string(sc.b[sc.i:sc.i+5]) == "false" {
			sc.i += 5
			return false
		}
	}
	sc.fail()
	return false
}

// decimal reads a number the way [news.Decimal] decodes one.
func (sc *recordScan) decimal() news.Decimal {
	lit := sc.number()
	if sc.bad {
		return news.Decimal{}
	}
	d, err := news.ParseDecimal(lit)
	if err != nil {
		sc.fail()
	}
	return d
}

func (sc *recordScan) decimalPtr() *news.Decimal {
	if sc.null() {
		return nil
	}
	d := sc.decimal()
	return &d
}

// time reads a time the way the general decoder does
// ([time.Time.UnmarshalText] of the string); one with escapes is not taken.
func (sc *recordScan) time() time.Time {
	if sc.peek() != '"' {
		sc.fail()
		return time.Time{}
	}
	start := sc.i + 1
	end, escaped := sc.stringEnd(start, false)
	if end < 0 || escaped {
		sc.fail()
		return time.Time{}
	}
	sc.i = end + 1
	var t time.Time
	if err := t.UnmarshalText(sc.b[start:end]); err != nil {
		sc.fail()
	}
	return t
}

// strings reads a list of strings, in reuse's memory; null is nil, [] an
// empty list.
func (sc *recordScan) strings(reuse []string) []string {
	return list(sc, reuse, func(s *string) { *s = sc.str() })
}

// list reads a list whose elements elem reads, in the memory of reuse
// (nil for none): each element is one of reuse's, which elem must set
// whole (it may take the lists the element had for its own), or a new
// zero one. null is nil, [] an empty list, as encoding/json decodes them;
// but null is reuse emptied when reuse is not nil, which keeps its memory
// for the next record (a record without deals has "deals":null).
func list[T any](sc *recordScan, reuse []T, elem func(x *T)) []T {
	if sc.null() {
		return reuse[:0]
	}
	out := reuse[:0]
	if out == nil {
		out = []T{}
	}
	sc.array(func() {
		if n := len(out); n < cap(out) {
			out = out[:n+1]
		} else {
			var zero T
			out = append(out, zero)
		}
		elem(&out[len(out)-1])
	})
	return out
}

func (sc *recordScan) span() (sp news.Span) {
	sc.object(func(k string) int {
		switch k {
		case "start":
			sp.Start = sc.int()
			return 0
		case "end":
			sp.End = sc.int()
			return 1
		}
		return -1
	})
	return sp
}

// record reads a record into *r, whose lists it reuses.
func (sc *recordScan) record(r *news.Record) {
	old := *r
	*r = news.Record{}
	sc.object(func(k string) int {
		switch k {
		case "v":
			r.V = sc.int()
			return 0
		case "article":
			sc.article(&r.Article, &old.Article)
			return 1
		case "extractor_version":
			r.ExtractorVersion = sc.str()
			return 2
		case "extracted_at":
			r.ExtractedAt = sc.time()
			return 3
		case "extraction":
			sc.extraction(&r.Extraction, &old.Extraction)
			return 4
		}
		return -1
	})
}

// article reads the article but for its title and text, which it keeps
// as JSON in sc.title and sc.text; old's lists are reused.
func (sc *recordScan) article(a, old *news.Article) {
	sc.object(func(k string) int {
		switch k {
		case "v":
			a.V = sc.int()
			return 0
		case "id":
			a.ID = sc.str()
			return 1
		case "url":
			a.URL = sc.str()
			return 2
		case "canonical_url":
			a.CanonicalURL = sc.str()
			return 3
		case "source":
			a.Source = sc.str()
			return 4
		case "feed_url":
			a.FeedURL = sc.str()
			return 5
		case "title":
			sc.title = sc.rawString()
			return 6
		case "text":
			sc.text = sc.rawString()
			return 7
		case "authors":
			a.Authors = sc.strings(old.Authors)
			return 8
		case "lang":
			a.Lang = sc.str()
			return 9
		case "published_at":
			a.PublishedAt = sc.time()
			return 10
		case "date_source":
			a.DateSource = sc.str()
			return 11
		case "fetched_at":
			a.FetchedAt = sc.time()
			return 12
		case "tags":
			a.Tags = sc.strings(old.Tags)
			return 13
		case "fingerprint":
			a.Fingerprint = sc.str()
			return 14
		case "outlet":
			a.Outlet = sc.str()
			return 15
		}
		return -1
	})
}

func (sc *recordScan) extraction(e, old *news.Extraction) {
	sc.object(func(k string) int {
		switch k {
		case "deals":
			e.Deals = sc.deals(old.Deals)
			return 0
		case "prior_amounts":
			e.PriorAmounts = sc.figures(old.PriorAmounts)
			return 1
		case "other_amounts":
			e.OtherAmounts = sc.figures(old.OtherAmounts)
			return 2
		case "doubtful":
			e.Doubtful = sc.deals(old.Doubtful)
			return 3
		}
		return -1
	})
}

func (sc *recordScan) deals(reuse []news.Deal) []news.Deal { return list(sc, reuse, sc.deal) }

// deal reads a deal into *d, whose investors and amount it reuses.
func (sc *recordScan) deal(d *news.Deal) {
	old := *d
	*d = news.Deal{}
	sc.object(func(k string) int {
		switch k {
		case "company":
			d.Company = sc.str()
			return 0
		case "round":
			d.Round = sc.str()
			return 1
		case "amount":
			d.Amount = sc.moneyPtr(old.Amount)
			return 2
		case "valuation":
			d.Valuation = sc.valuationPtr()
			return 3
		case "valuation_alt":
			d.ValuationAlt = sc.valuationPtr()
			return 4
		case "investors":
			d.Investors = sc.investors(old.Investors)
			return 5
		case "capacity":
			d.Capacity = sc.capacities()
			return 6
		case "acquirer":
			d.Acquirer = sc.str()
			return 7
		case "evidence":
			d.Evidence = sc.str()
			return 8
		case "evidence_span":
			d.EvidenceSpan = sc.span()
			return 9
		case "confidence":
			d.Confidence = sc.float()
			return 10
		}
		return -1
	})
}

// moneyField reads member k of a money object into m and returns its
// field number, or -1 when m has no such member.
func (sc *recordScan) moneyField(k string, m *news.Money) int {
	switch k {
	case "value":
		m.Value = sc.decimal()
		return 0
	case "currency":
		m.Currency = sc.str()
		return 1
	case "text":
		m.Text = sc.str()
		return 2
	case "span":
		m.Span = sc.span()
		return 3
	case "approx":
		m.Approx = sc.bool()
		return 4
	case "qualifier":
		m.Qualifier = sc.str()
		return 5
	case "max":
		m.Max = sc.decimalPtr()
		return 6
	case "mentions":
		m.Mentions = sc.strings(nil)
		return 7
	case "equivalent":
		m.Equivalent = sc.moneyPtr(nil)
		return 8
	case "usd":
		m.USD = sc.float()
		return 9
	case "confidence":
		m.Confidence = sc.float()
		return 10
	}
	return -1
}

// moneyPtr reads a money object or null; into *reuse when not nil.
func (sc *recordScan) moneyPtr(reuse *news.Money) *news.Money {
	if sc.null() {
		return nil
	}
	m := reuse
	if m == nil {
		m = new(news.Money)
	}
	*m = news.Money{}
	sc.object(func(k string) int { return sc.moneyField(k, m) })
	return m
}

func (sc *recordScan) valuationPtr() *news.Valuation {
	if sc.null() {
		return nil
	}
	v := new(news.Valuation)
	sc.object(func(k string) int {
		if k == "basis" {
			v.Basis = sc.str()
			return 11
		}
		return sc.moneyField(k, &v.Money)
	})
	return v
}

func (sc *recordScan) investors(reuse []news.Investor) []news.Investor {
	return list(sc, reuse, func(inv *news.Investor) {
		amount := inv.Amount
		*inv = news.Investor{}
		sc.object(func(k string) int {
			switch k {
			case "name":
				inv.Name = sc.str()
				return 0
			case "canonical":
				inv.Canonical = sc.str()
				return 1
			case "lead":
				inv.Lead = sc.bool()
				return 2
			case "amount":
				inv.Amount = sc.moneyPtr(amount)
				return 3
			case "span":
				inv.Span = sc.span()
				return 4
			case "confidence":
				inv.Confidence = sc.float()
				return 5
			}
			return -1
		})
	})
}

func (sc *recordScan) capacities() []news.Capacity {
	return list(sc, nil, func(c *news.Capacity) {
		sc.object(func(k string) int {
			switch k {
			case "value_watts":
				c.ValueWatts = sc.decimal()
				return 0
			case "text":
				c.Text = sc.str()
				return 1
			case "span":
				c.Span = sc.span()
				return 2
			case "what":
				c.What = sc.str()
				return 3
			case "approx":
				c.Approx = sc.bool()
				return 4
			case "qualifier":
				c.Qualifier = sc.str()
				return 5
			case "confidence":
				c.Confidence = sc.float()
				return 6
			}
			return -1
		})
	})
}

func (sc *recordScan) figures(reuse []news.Figure) []news.Figure {
	return list(sc, reuse, func(f *news.Figure) {
		*f = news.Figure{}
		sc.object(func(k string) int {
			switch k {
			case "kind":
				f.Kind = sc.str()
				return 0
			case "value":
				f.Value = sc.decimalPtr()
				return 1
			case "currency":
				f.Currency = sc.str()
				return 2
			case "value_watts":
				f.ValueWatts = sc.decimalPtr()
				return 3
			case "text":
				f.Text = sc.str()
				return 4
			case "span":
				f.Span = sc.span()
				return 5
			case "approx":
				f.Approx = sc.bool()
				return 6
			case "qualifier":
				f.Qualifier = sc.str()
				return 7
			case "max":
				f.Max = sc.decimalPtr()
				return 8
			case "note":
				f.Note = sc.str()
				return 9
			case "usd":
				f.USD = sc.float()
				return 10
			}
			return -1
		})
	})
}
