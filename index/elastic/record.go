package elastic

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/dealwire/dealwire/news"
)

// IndexRaw is [Store.Index] for records as the JSON they came as from the
// stream, which the index stage hands over without decoding them: each
// record is decoded here, all but its title and text, and those two go
// into the document as the JSON strings they already are (with the whole
// JSON as the payload). Title and text are most of a record's bytes:
// decoding them into strings and encoding them again cost a tenth of
// building a document from a message, and the one-pass decoder
// ([news.RecordDecoding]) a fifth more (BENCHMARKS.md, Index).
//
// raw[i] that is no record (not JSON, a field of the wrong type, no article
// id) gets a [news.Permanent] error, as the index stage gives it for other
// stores. The records decoded from raw share its memory ([scanRecord]):
// raw must not change until IndexRaw returns; nothing of it is kept after.
func (s *Store) IndexRaw(ctx context.Context, raw [][]byte) []error {
	docs := make([]bulkDoc, len(raw))
	lb := s.lineBuf(linesSize(raw))
	for i, r := range raw {
		docs[i] = s.rawLines(lb, r, "index")
	}
	return s.write(ctx, docs, s.cfg.Index, lb)
}

// rawLines is the bulk lines of the record whose JSON is raw, with action
// op, written into lb: the same document as [Store.recordLines] builds from the decoded
// record (TestRawLines compares them).
func (s *Store) rawLines(lb *lineBuf, raw []byte, op string) bulkDoc {
	if !news.StorableJSON(raw) {
		// Not stored as it came: decode all of it and encode it again.
		rec, err := news.DecodeRecord(raw)
		if err != nil {
			return bulkDoc{err: err}
		}
		return s.recordLines(lb, rec, nil, op)
	}
	sc := lb.scratch()
	if title, text, ok := scanRecordInto(raw, &sc.rec); ok {
		return s.docLines(lb, sc.rec, raw, title, text, op)
	}
	// JSON in another shape than an encoder's (scanRecord): the general
	// decoder, which also names what is wrong with it.
	var rj recordJSON
	if err := jsonv2.Unmarshal(raw, &rj, news.RecordDecoding); err != nil {
		// The whole decoder's error, which names the record's own types.
		if _, derr := news.DecodeRecord(raw); derr != nil {
			return bulkDoc{err: derr}
		}
		return bulkDoc{err: news.Permanent(fmt.Errorf("decoding record: %w", err))}
	}
	title, ok1 := docString(rj.Article.Title)
	text, ok2 := docString(rj.Article.Text)
	if !ok1 || !ok2 {
		// A title or text that is no string is refused by the full decoder
		// with its own error; one whose escapes are not text is replaced
		// by it, as before.
		rec, err := news.DecodeRecord(raw)
		if err != nil {
			return bulkDoc{err: err}
		}
		return s.recordLines(lb, rec, raw, op)
	}
	rec := rj.Record
	rec.Article = rj.Article.Article
	if rec.Article.ID == "" {
		return bulkDoc{err: news.Permanent(errors.New("decoding record: no article id"))}
	}
	return s.docLines(lb, rec, raw, title, text, op)
}

// docLines is the bulk lines of rec with action op, written into lb: raw
// is its JSON, the document's payload; title and text, when not nil, are
// its title and text as the JSON strings the document gets.
func (s *Store) docLines(lb *lineBuf, rec news.Record, raw, title, text []byte, op string) bulkDoc {
	sc := lb.scratch()
	sc.flat.Fill(rec, s.rates)
	sc.doc.fill(&sc.flat, rec.ExtractorVersion, raw)
	sc.doc.titleJSON, sc.doc.textJSON = title, text
	return lb.docLines(rec.Article.ID, op, &sc.doc)
}

// recordJSON decodes a [news.Record] but for its article's title and text,
// which it keeps as JSON: its Article field hides the embedded record's.
type recordJSON struct {
	news.Record
	Article articleJSON `json:"article"`
}

// articleJSON is a [news.Article] whose Title and Text (hiding the
// embedded article's) stay JSON.
type articleJSON struct {
	news.Article
	Title jsontext.Value `json:"title"`
	Text  jsontext.Value `json:"text"`
}

// docString returns v, a record's title or text as it came, as the JSON
// string the document gets: v itself when it is a string whose escapes all
// decode to text, "" when it is null or absent (as it decodes). ok is
// false for anything else: a value of another kind, or a string with an
// escaped UTF-16 surrogate (which decodes to U+FFFD when it has no pair,
// and which Elasticsearch should not see as it is).
func docString(v jsontext.Value) (s []byte, ok bool) {
	switch {
	case len(v) == 0 || v.Kind() == 'n':
		return []byte(`""`), true
	case v.Kind() != '"':
		return nil, false
	}
	// v is a valid string: every backslash starts an escape, and a \u is
	// followed by four hex digits.
	for i := 0; ; i += 2 {
		j := bytes.IndexByte(v[i:], '\\')
		if j < 0 {
			return v, true
		}
		i += j
		if v[i+1] == 'u' && (v[i+2]|0x20) == 'd' && bytes.IndexByte([]byte("89abcdefABCDEF"), v[i+3]) >= 0 {
			return nil, false
		}
	}
}

// appendString appends s as a JSON string, escaped as encoding/json does
// (json.Marshal of s, byte for byte: HTML characters, U+2028 and U+2029 as
// \u escapes, invalid UTF-8 as \ufffd). Names with accents or an
// ampersand, titles and texts encoded by [Store.Index], and URLs with a
// query went through json.Marshal before: its reflection and a copy of the
// string each.
func appendString(dst []byte, s string) []byte {
	if plainASCII(s) {
		return append(append(append(dst, '"'), s...), '"')
	}
	dst = append(dst, '"')
	start := 0 // s[start:i] is plain and not written yet
	for i := 0; i < len(s); {
		c := s[i]
		if plainByte[c] {
			i++
			continue
		}
		size := 1
		switch {
		case c < utf8.RuneSelf:
			dst = appendEscape(append(dst, s[start:i]...), c)
		default:
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				dst = append(append(dst, s[start:i]...), `\ufffd`...)
			case r == '\u2028' || r == '\u2029':
				dst = append(append(dst, s[start:i]...), `\u202`...)
				dst = append(dst, lowerHex[r&0xf])
			default:
				i += size
				continue
			}
		}
		i += size
		start = i
	}
	return append(append(dst, s[start:]...), '"')
}

// appendEscape appends the escape encoding/json writes for the ASCII byte
// c, one that [plainByte] does not pass.
func appendEscape(dst []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\b':
		return append(dst, `\b`...)
	case '\f':
		return append(dst, `\f`...)
	case '\n':
		return append(dst, `\n`...)
	case '\r':
		return append(dst, `\r`...)
	case '\t':
		return append(dst, `\t`...)
	}
	// Other control characters, and <, > and & (encoding/json's HTML
	// escaping).
	return append(dst, '\\', 'u', '0', '0', lowerHex[c>>4], lowerHex[c&0xf])
}

const lowerHex = "0123456789abcdef"

// plainASCII reports whether s is printable ASCII that encoding/json
// writes as it is: no quote, backslash or HTML character.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if !plainByte[s[i]] {
			return false
		}
	}
	return true
}

// plainByte tells the bytes of [plainASCII].
var plainByte = func() (t [256]bool) {
	for c := 0x20; c <= 0x7f; c++ { // DEL too: encoding/json writes it as it is
		t[c] = true
	}
	for _, c := range `"\<>&` {
		t[c] = false
	}
	return t
}()
