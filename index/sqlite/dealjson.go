package sqlite

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dealwire/dealwire/news"
)

// decodeDeal decodes a stored deal record. Decoding is most of the cost of
// reading deals (an export of a million deals spent three quarters of its
// CPU time in encoding/json), so the JSON that [Store.IndexDeals] writes
// is read here by a parser that knows the fields of [news.DealRecord] and
// its parts: no reflection and one pass. Anything it does not expect (a
// field it does not know, such as one a newer program added; an escape in
// a key; a null where a list or number belongs; malformed JSON) sends the
// whole record to encoding/json instead, so the result is always what
// json.Unmarshal gives. TestDecodeDealMatchesEncodingJSON keeps the two
// in step when a field is added.
func decodeDeal(data string, dr *news.DealRecord) error {
	return decodeDealOmitting(data, dr, omitSet{})
}

// decodeDealOmitting is decodeDeal that passes over the members in omit
// (see [Store.SearchDealsOmitting]), which stay zero; on the slow path,
// encoding/json decodes everything.
func decodeDealOmitting(data string, dr *news.DealRecord, omit omitSet) error {
	d := dealDecoder{s: data, omit: omit}
	if err := d.dealRecord(dr); err == nil {
		if d.ws(); d.i == len(d.s) {
			return nil
		}
	}
	*dr = news.DealRecord{}
	return json.Unmarshal([]byte(data), dr)
}

// errSlowPath makes decodeDeal fall back to encoding/json; its text never
// reaches a caller.
var errSlowPath = errors.New("deal record needs encoding/json")

// dealDecoder reads one JSON value from s, from offset i. The decoded
// strings are cut from s, which costs no allocation.
type dealDecoder struct {
	s    string
	i    int
	omit omitSet // members to pass over
}

func (d *dealDecoder) ws() {
	if d.i < len(d.s) && d.s[d.i] > ' ' {
		return
	}
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// next skips white space and returns the next byte without consuming it.
func (d *dealDecoder) next() byte {
	d.ws()
	if d.i < len(d.s) {
		return d.s[d.i]
	}
	return 0
}

// null consumes a null literal if one comes next.
func (d *dealDecoder) null() bool {
	if d.next() == 'n' && len(d.s)-d.i >= 4 && d.s[d.i:d.i+4] == "null" {
		d.i += 4
		return true
	}
	return false
}

// objectStart consumes the start of an object: in is false for null and
// for an empty object, whose end it consumes too. A null leaves the struct
// unchanged, as encoding/json does. The members follow as key, value and
// more('}') until more returns false.
func (d *dealDecoder) objectStart() (in bool, err error) {
	if d.null() {
		return false, nil
	}
	return d.open('{', '}')
}

// arrayStart is objectStart for an array; null says it was null.
func (d *dealDecoder) arrayStart() (in, null bool, err error) {
	if d.null() {
		return false, true, nil
	}
	in, err = d.open('[', ']')
	return in, false, err
}

func (d *dealDecoder) open(start, end byte) (bool, error) {
	if d.next() != start {
		return false, errSlowPath
	}
	d.i++
	if d.next() == end {
		d.i++
		return false, nil
	}
	return true, nil
}

// more consumes the separator after a member or element: true for a
// comma, false for the end.
func (d *dealDecoder) more(end byte) (bool, error) {
	switch d.next() {
	case ',':
		d.i++
		return true, nil
	case end:
		d.i++
		return false, nil
	}
	return false, errSlowPath
}

// key reads a member name and its colon, leaving the decoder at the
// value. It returns the name's bytes as they are, up to the next quote:
// a name with an escape or a byte outside printable ASCII is no name the
// decoder knows (they are all plain ASCII), so the field methods send it
// to the slow path, as they do any unknown name.
func (d *dealDecoder) key() (string, error) {
	if d.next() != '"' {
		return "", errSlowPath
	}
	start := d.i + 1
	n := strings.IndexByte(d.s[start:], '"')
	if n < 0 {
		return "", errSlowPath
	}
	end := start + n
	d.i = end + 1
	if d.i < len(d.s) && d.s[d.i] == ':' { // json.Marshal writes no space
		d.i++
	} else {
		if d.next() != ':' {
			return "", errSlowPath
		}
		d.i++
	}
	d.ws()
	return d.s[start:end], nil
}

// plain marks the bytes a string holds as they are: printable ASCII
// other than the quote and the backslash. Any other byte in a string is an
// escape, a control character (invalid) or part of a multi-byte UTF-8
// sequence, which must be validated.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// rawString returns the bytes of the next string value, quotes included,
// whether it holds an escape and whether it holds bytes outside ASCII.
func (d *dealDecoder) rawString() (raw string, escaped, nonASCII bool, err error) {
	if d.next() != '"' {
		return "", false, false, errSlowPath
	}
	start := d.i
	j := start + 1
	for {
		// Eight plain bytes at a time (most of a string), then one byte.
		for j+8 <= len(d.s) && special(load64(d.s, j)) == 0 {
			j += 8
		}
		if j == len(d.s) {
			return "", false, false, errSlowPath
		}
		switch c := d.s[j]; {
		case plain[c]:
		case c == '"':
			d.i = j + 1
			return d.s[start:d.i], escaped, nonASCII, nil
		case c == '\\':
			escaped = true
			j++
		case c < 0x20:
			return "", false, false, errSlowPath
		default:
			nonASCII = true
		}
		j++
	}
}

// load64 reads the eight bytes of s at i as a little-endian word (the
// compiler makes it one load).
func load64(s string, i int) uint64 {
	b := s[i : i+8] // one bounds check for the eight bytes
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// special is non-zero when one of the eight bytes of w is not [plain]: a
// quote, a backslash, a control character or a byte of 0x80 and above. It
// uses the bit tricks that find a zero byte in a word, which say exactly
// whether there is one.
func special(w uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	zero := func(v uint64) uint64 { return (v - ones) &^ v & highs }
	below := (w - ones*0x20) &^ w & highs // a byte under 0x20
	return zero(w^(ones*'"')) | zero(w^(ones*'\\')) | below | w&highs
}

// str reads a string into *s; null leaves it unchanged.
func (d *dealDecoder) str(s *string) error {
	if d.null() {
		return nil
	}
	raw, escaped, nonASCII, err := d.rawString()
	if err != nil {
		return err
	}
	body := raw[1 : len(raw)-1]
	if escaped || nonASCII && !utf8.ValidString(body) {
		// Rare in stored records: encoding/json's unescaping and its
		// replacement of invalid UTF-8, exactly.
		return json.Unmarshal([]byte(raw), s)
	}
	*s = body
	return nil
}

// number returns the bytes of the next number; ok is false for null.
func (d *dealDecoder) number() (num string, ok bool, err error) {
	if d.null() {
		return "", false, nil
	}
	start := d.i
	for d.i < len(d.s) {
		c := d.s[d.i]
		if c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			d.i++
			continue
		}
		break
	}
	if d.i == start {
		return "", false, errSlowPath
	}
	return d.s[start:d.i], true, nil
}

func (d *dealDecoder) int(v *int) error {
	num, ok, err := d.number()
	if !ok || err != nil {
		return err
	}
	if n, ok := smallUint(num); ok {
		*v = int(n)
		return nil
	}
	n, err := strconv.ParseInt(num, 10, 0)
	if err != nil {
		return errSlowPath
	}
	*v = int(n)
	return nil
}

// smallUint parses num when it is a JSON number of one to 18 digits and
// nothing else (offsets, versions, mantissas of amounts), which cannot
// overflow; ok is false for anything else, left to strconv.
func smallUint(num string) (n int64, ok bool) {
	if len(num) == 0 || len(num) > 18 || len(num) > 1 && num[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(num); i++ {
		c := num[i] - '0'
		if c > 9 {
			return 0, false
		}
		n = n*10 + int64(c)
	}
	return n, true
}

func (d *dealDecoder) float(v *float64) error {
	num, ok, err := d.number()
	if !ok || err != nil {
		return err
	}
	if !validNumber(num) {
		return errSlowPath
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return errSlowPath
	}
	*v = f
	return nil
}

// validNumber reports whether num is a JSON number, which ParseFloat alone
// does not check ("+1", ".5", "1." pass it).
func validNumber(num string) bool {
	i := 0
	if i < len(num) && num[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(num) && num[i] >= '0' && num[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(num) && num[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(num) && num[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(num) && (num[i] == 'e' || num[i] == 'E') {
		i++
		if i < len(num) && (num[i] == '+' || num[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(num)
}

func (d *dealDecoder) bool(v *bool) error {
	switch {
	case d.null():
	case len(d.s)-d.i >= 4 && d.s[d.i:d.i+4] == "true":
		d.i += 4
		*v = true
	case len(d.s)-d.i >= 5 && d.s[d.i:d.i+5] == "false":
		d.i += 5
		*v = false
	default:
		return errSlowPath
	}
	return nil
}

// decimal reads a number as [news.Decimal.UnmarshalJSON] does, as
// encoding/json would (which also hands it a null, which it refuses). A
// whole number of up to 18 digits, as amounts mostly are, is read here:
// the same coefficient without its trailing zeros, which go to the
// exponent.
func (d *dealDecoder) decimal(v *news.Decimal) error {
	num, ok, err := d.number()
	if !ok || err != nil {
		return errSlowPath
	}
	if n, ok := smallUint(num); ok {
		var exp int32
		for n != 0 && n%10 == 0 {
			n /= 10
			exp++
		}
		*v = news.Decimal{Coef: n, Exp: exp}
		return nil
	}
	if !validNumber(num) {
		return errSlowPath
	}
	var buf [32]byte // on the stack: UnmarshalJSON takes bytes
	if v.UnmarshalJSON(append(buf[:0], num...)) != nil {
		return errSlowPath
	}
	return nil
}

func (d *dealDecoder) decimalPtr(v **news.Decimal) error {
	if d.null() {
		*v = nil
		return nil
	}
	if *v == nil {
		*v = new(news.Decimal)
	}
	return d.decimal(*v)
}

func (d *dealDecoder) time(t *time.Time) error {
	if d.null() {
		return nil
	}
	raw, escaped, _, err := d.rawString()
	if err != nil || escaped {
		return errSlowPath
	}
	var buf [48]byte // on the stack: UnmarshalJSON takes bytes
	if t.UnmarshalJSON(append(buf[:0], raw...)) != nil {
		return errSlowPath
	}
	return nil
}

func (d *dealDecoder) strings(v *[]string) error {
	var out []string
	in, null, err := d.arrayStart()
	for ; in && err == nil; in, err = d.more(']') {
		var s string
		if err = d.str(&s); err != nil {
			return err
		}
		out = append(out, s)
	}
	*v = nonNil(out, null)
	return err
}

// nonNil is out, except that an empty array decodes to an empty slice and
// null to nil, as with encoding/json.
func nonNil[T any](out []T, null bool) []T {
	switch {
	case null:
		return nil
	case out == nil:
		return []T{}
	}
	return out
}

// fielder decodes the member named key of the struct it points to; the
// decoder is at the member's value. A struct decodes through a pointer of
// a type converted from the news type, so that no closure is allocated.
type fielder interface {
	field(d *dealDecoder, key string) error
}

// members decodes each member of an object into f (none for null).
func (d *dealDecoder) members(f fielder) error {
	in, err := d.objectStart()
	for ; in && err == nil; in, err = d.more('}') {
		var key string
		if key, err = d.key(); err != nil {
			return err
		}
		if err = f.field(d, key); err != nil {
			return err
		}
	}
	return err
}

// list decodes an array of objects into *v, each element through as.
func list[T any](d *dealDecoder, v *[]T, as func(*T) fielder) error {
	var out []T
	in, null, err := d.arrayStart()
	if in {
		out = make([]T, 0, 2) // most lists of a deal hold one to three
	}
	for ; in && err == nil; in, err = d.more(']') {
		var zero T
		out = append(out, zero)
		if err = d.members(as(&out[len(out)-1])); err != nil {
			return err
		}
	}
	*v = nonNil(out, null)
	return err
}

type spanDec news.Span

func (s *spanDec) field(d *dealDecoder, key string) error {
	switch key {
	case "start":
		return d.int(&s.Start)
	case "end":
		return d.int(&s.End)
	}
	return errSlowPath
}

func (d *dealDecoder) span(s *news.Span) error { return d.members((*spanDec)(s)) }

type moneyDec news.Money

func (m *moneyDec) field(d *dealDecoder, key string) error {
	switch key {
	case "value":
		return d.decimal(&m.Value)
	case "currency":
		return d.str(&m.Currency)
	case "text":
		return d.str(&m.Text)
	case "span":
		return d.span(&m.Span)
	case "approx":
		return d.bool(&m.Approx)
	case "qualifier":
		return d.str(&m.Qualifier)
	case "max":
		return d.decimalPtr(&m.Max)
	case "mentions":
		return d.strings(&m.Mentions)
	case "equivalent":
		return d.moneyPtr(&m.Equivalent)
	case "usd":
		return d.float(&m.USD)
	case "confidence":
		return d.float(&m.Confidence)
	}
	return errSlowPath
}

func (d *dealDecoder) moneyPtr(m **news.Money) error {
	if d.null() {
		*m = nil
		return nil
	}
	if *m == nil {
		*m = new(news.Money)
	}
	return d.members((*moneyDec)(*m))
}

type valuationDec news.Valuation

func (v *valuationDec) field(d *dealDecoder, key string) error {
	if key == "basis" {
		return d.str(&v.Basis)
	}
	return (*moneyDec)(&v.Money).field(d, key)
}

func (d *dealDecoder) valuationPtr(v **news.Valuation) error {
	if d.null() {
		*v = nil
		return nil
	}
	if *v == nil {
		*v = new(news.Valuation)
	}
	return d.members((*valuationDec)(*v))
}

type investorDec news.Investor

func (inv *investorDec) field(d *dealDecoder, key string) error {
	switch key {
	case "name":
		return d.str(&inv.Name)
	case "canonical":
		return d.str(&inv.Canonical)
	case "lead":
		return d.bool(&inv.Lead)
	case "amount":
		return d.moneyPtr(&inv.Amount)
	case "span":
		return d.span(&inv.Span)
	case "confidence":
		return d.float(&inv.Confidence)
	}
	return errSlowPath
}

type capacityDec news.Capacity

func (c *capacityDec) field(d *dealDecoder, key string) error {
	switch key {
	case "value_watts":
		return d.decimal(&c.ValueWatts)
	case "text":
		return d.str(&c.Text)
	case "span":
		return d.span(&c.Span)
	case "what":
		return d.str(&c.What)
	case "approx":
		return d.bool(&c.Approx)
	case "qualifier":
		return d.str(&c.Qualifier)
	case "confidence":
		return d.float(&c.Confidence)
	}
	return errSlowPath
}

type dealDec news.Deal

func (dl *dealDec) field(d *dealDecoder, key string) error {
	if d.omit.deal != 0 && d.omit.deal&dealBit(key) != 0 {
		return d.skip()
	}
	switch key {
	case "company":
		return d.str(&dl.Company)
	case "round":
		return d.str(&dl.Round)
	case "amount":
		return d.moneyPtr(&dl.Amount)
	case "valuation":
		return d.valuationPtr(&dl.Valuation)
	case "valuation_alt":
		return d.valuationPtr(&dl.ValuationAlt)
	case "investors":
		return list(d, &dl.Investors, func(v *news.Investor) fielder { return (*investorDec)(v) })
	case "capacity":
		return list(d, &dl.Capacity, func(v *news.Capacity) fielder { return (*capacityDec)(v) })
	case "acquirer":
		return d.str(&dl.Acquirer)
	case "evidence":
		return d.str(&dl.Evidence)
	case "evidence_span":
		return d.span(&dl.EvidenceSpan)
	case "confidence":
		return d.float(&dl.Confidence)
	}
	return errSlowPath
}

type sourceDec news.DealSource

func (s *sourceDec) field(d *dealDecoder, key string) error {
	if d.omit.source != 0 && d.omit.source&sourceBit(key) != 0 {
		return d.skip()
	}
	switch key {
	case "article_id":
		return d.str(&s.ArticleID)
	case "deal_index":
		return d.int(&s.DealIndex)
	case "url":
		return d.str(&s.URL)
	case "source":
		return d.str(&s.Source)
	case "title":
		return d.str(&s.Title)
	case "published_at":
		return d.time(&s.PublishedAt)
	case "authority":
		return d.int(&s.Authority)
	case "extractor_version":
		return d.str(&s.ExtractorVersion)
	case "extracted_at":
		return d.time(&s.ExtractedAt)
	case "deal":
		return d.members((*dealDec)(&s.Deal))
	case "outlet":
		return d.str(&s.Outlet)
	}
	return errSlowPath
}

type anchorDec news.DealAnchor

func (a *anchorDec) field(d *dealDecoder, key string) error {
	switch key {
	case "field":
		return d.str(&a.Field)
	case "index":
		return d.int(&a.Index)
	case "article_id":
		return d.str(&a.ArticleID)
	case "deal_index":
		return d.int(&a.DealIndex)
	case "span":
		return d.span(&a.Span)
	}
	return errSlowPath
}

type conflictDec news.DealConflict

func (c *conflictDec) field(d *dealDecoder, key string) error {
	switch key {
	case "field":
		return d.str(&c.Field)
	case "values":
		return list(d, &c.Values, func(v *news.DealValue) fielder { return (*valueDec)(v) })
	}
	return errSlowPath
}

type valueDec news.DealValue

func (v *valueDec) field(d *dealDecoder, key string) error {
	switch key {
	case "value":
		return d.str(&v.Value)
	case "article_ids":
		return d.strings(&v.ArticleIDs)
	case "chosen":
		return d.bool(&v.Chosen)
	}
	return errSlowPath
}

type recordDec news.DealRecord

func (dr *recordDec) field(d *dealDecoder, key string) error {
	if d.omit.record != 0 && d.omit.record&recordBit(key) != 0 {
		return d.skip()
	}
	switch key {
	case "v":
		return d.int(&dr.V)
	case "id":
		return d.str(&dr.ID)
	case "key":
		return d.str(&dr.Key)
	case "company":
		return d.str(&dr.Company)
	case "company_key":
		return d.str(&dr.CompanyKey)
	case "round":
		return d.str(&dr.Round)
	case "announced_at":
		return d.time(&dr.AnnouncedAt)
	case "amount":
		return d.moneyPtr(&dr.Amount)
	case "valuation":
		return d.valuationPtr(&dr.Valuation)
	case "investors":
		return list(d, &dr.Investors, func(v *news.Investor) fielder { return (*investorDec)(v) })
	case "capacity":
		return list(d, &dr.Capacity, func(v *news.Capacity) fielder { return (*capacityDec)(v) })
	case "acquirer":
		return d.str(&dr.Acquirer)
	case "confidence":
		return d.float(&dr.Confidence)
	case "anchors":
		return list(d, &dr.Anchors, func(v *news.DealAnchor) fielder { return (*anchorDec)(v) })
	case "sources":
		return list(d, &dr.Sources, func(v *news.DealSource) fielder { return (*sourceDec)(v) })
	case "conflicts":
		return list(d, &dr.Conflicts, func(v *news.DealConflict) fielder { return (*conflictDec)(v) })
	case "updated_at":
		return d.time(&dr.UpdatedAt)
	case "deleted":
		return d.bool(&dr.Deleted)
	}
	return errSlowPath
}

func (d *dealDecoder) dealRecord(dr *news.DealRecord) error {
	if d.next() != '{' {
		return errSlowPath // null or not an object: leave it to encoding/json
	}
	return d.members((*recordDec)(dr))
}
