package extract

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a lexed token.
type tokKind uint8

const (
	tkNumber  tokKind = iota + 1 // 1,250.5  4.500.000  1 200
	tkWord                       // letters, possibly with marks
	tkCurSym                     // $ € £ ¥ ₹ and US$, C$, HK$ ...
	tkPercent                    // %
	tkPunct                      // any other single rune
	tkSpace                      // a run of horizontal space
	tkNewline                    // a run of space holding at least one line break
)

// token is one lexeme with its half-open byte span in the text.
type token struct {
	start, end int32
	kind       tokKind
	gap        bool // whitespace precedes the token
	cap        bool // a word that is capitalised (see capitalised)
	// lowSame is set by doc.lowerTokens on a word whose lower-cased text
	// is its text as written, so that indexVocab need not compare them.
	lowSame bool
}

// lexer scans text into tokens in the style of text/template/parse: a
// position, a start of the pending token, and next/backup/peek/accept
// helpers. It runs synchronously and never looks back more than one rune.
type lexer struct {
	text  string
	start int
	pos   int
	width int
	gap   bool
	toks  []token
}

const eof = -1

func (l *lexer) next() rune {
	if l.pos >= len(l.text) {
		l.width = 0
		return eof
	}
	r, w := rune(l.text[l.pos]), 1
	if r >= utf8.RuneSelf {
		r, w = utf8.DecodeRuneInString(l.text[l.pos:])
	}
	l.width = w
	l.pos += w
	return r
}

func (l *lexer) backup() { l.pos -= l.width }

// peekAt returns the rune at byte offset p without moving.
func (l *lexer) peekAt(p int) (rune, int) {
	if p >= len(l.text) {
		return eof, 0
	}
	if c := l.text[p]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(l.text[p:])
}

func (l *lexer) acceptRun(ok func(rune) bool) {
	for {
		r := l.next()
		if r == eof {
			return
		}
		if !ok(r) {
			l.backup()
			return
		}
	}
}

// wrapped tells whether the line break just read only wraps a sentence
// ("a round at a valuation of $9" / "billion"): one
// newline, after a letter, digit or comma and before a lower-case letter
// or a digit. A heading, a list item or a new paragraph starts otherwise.
func (l *lexer) wrapped() bool {
	run := l.text[l.start:l.pos]
	if l.start == 0 || l.pos >= len(l.text) || strings.Count(run, "\n") != 1 || run[0] != '\n' {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(l.text[:l.start])
	after, _ := utf8.DecodeRuneInString(l.text[l.pos:])
	return (unicode.IsLetter(before) || unicode.IsDigit(before) || before == ',') &&
		(unicode.IsLower(after) || unicode.IsDigit(after))
}

// emit appends the pending token. Space is not kept as a token of its
// own: it sets gap on the token after it, which is all the recognizers
// need, and halves the token slice.
func (l *lexer) emit(k tokKind) {
	if k == tkSpace {
		l.gap = true
		l.start = l.pos
		return
	}
	c := false
	if k == tkWord {
		// capitalised, its test of four ASCII bytes written out: it
		// runs on every word.
		if s := l.text[l.start:l.pos]; len(s) >= 4 && s[0] < utf8.RuneSelf {
			c = hasUpperASCII(uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24)
		} else {
			c = capitalisedRunes(s)
		}
	}
	l.toks = append(l.toks, token{kind: k, start: int32(l.start), end: int32(l.pos), gap: l.gap || k == tkNewline, cap: c})
	l.gap = k == tkNewline
	l.start = l.pos
}

// capitalised reports a word that starts with a capital letter, or has
// one after a lower-case start ("eBay", "iFood", "xAI"). A word of four
// bytes or more that opens with an ASCII byte is answered by its first
// four bytes, small enough to be inlined in emit; others by
// capitalisedRunes, the same reading with the first rune decoded.
func capitalised(s string) bool {
	if len(s) >= 4 && s[0] < utf8.RuneSelf {
		return hasUpperASCII(uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24)
	}
	return capitalisedRunes(s)
}

// hasUpperASCII reports whether one of the four bytes of x is an ASCII
// capital, 'A' to 'Z', with no test per byte: for each byte, its low
// seven bits are at least 'A' (x|hi minus 'A' keeps the top bit) and
// not above 'Z' (minus 'Z'+1 clears it), and its top bit is clear.
func hasUpperASCII(x uint32) bool {
	const hi = 0x80808080
	y := x | hi
	return (y-0x41414141)&^(y-0x5b5b5b5b)&^x&hi != 0
}

// capitalisedRunes is capitalised for any word.
func capitalisedRunes(s string) bool {
	if s != "" && s[0] < utf8.RuneSelf {
		if c := s[0]; c >= 'A' && c <= 'Z' {
			return true // the ASCII capitals are the ASCII letters unicode.IsUpper accepts
		}
	} else if r, _ := utf8.DecodeRuneInString(s); unicode.IsUpper(r) {
		return true
	}
	for k := 1; k < len(s) && k < 4; k++ {
		if s[k] >= 'A' && s[k] <= 'Z' {
			return true
		}
	}
	return false
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)
}

func isHSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\u00a0', '\u2009', '\u202f', '\u2007', '\r', '\f', '\v':
		return true
	}
	return false
}

// isRegionalIndicator reports one of the two letters that make a flag emoji.
func isRegionalIndicator(r rune) bool { return r >= '\U0001F1E6' && r <= '\U0001F1FF' }

func isCurSym(r rune) bool {
	switch r {
	case '$', '€', '£', '¥', '₹', '₩', '₽', '₺', '₪', '₫', '₱', '฿', '₦', '₴':
		return true
	}
	return false
}

// lex turns text into tokens, spaces and newlines included.
func lex(text string) []token { return lexInto(text, nil) }

// lexInto is lex appending to buf[:0], so that callers can reuse memory.
func lexInto(text string, buf []token) []token {
	if len(text) > math.MaxInt32 {
		text = text[:math.MaxInt32]
	}
	if buf == nil {
		buf = make([]token, 0, len(text)/5+8)
	}
	l := lexer{text: text, toks: buf[:0]}
	for {
		// ASCII is read here as next and lexRune would read it, without
		// decoding a rune or testing the cases of other runes: a letter
		// opens a word, a single space is the common gap.
		if l.pos < len(l.text) {
			switch c := l.text[l.pos]; {
			case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
				l.pos++
				l.width = 1
				l.lexWord()
				continue
			case c == ' ' && (l.pos+1 >= len(l.text) || l.text[l.pos+1] > ' '):
				l.pos++
				l.width = 1
				l.emit(tkSpace) // the common single space
				continue
			case c > ' ' && c < utf8.RuneSelf:
				// No other ASCII byte above space is a space or a line
				// break, and '$' is its only currency symbol.
				l.pos++
				l.width = 1
				switch {
				case c >= '0' && c <= '9':
					l.lexNumber()
				case c == '$':
					l.emit(tkCurSym)
				case c == '%':
					l.emit(tkPercent)
				default:
					l.emit(tkPunct)
				}
				continue
			}
		}
		r := l.next()
		if r == eof {
			return l.toks
		}
		l.lexRune(r)
	}
}

// lexRune reads the token that the rune r, just read by next, opens.
func (l *lexer) lexRune(r rune) {
	switch {
	case r == '\n' || r == '\u2028' || r == '\u2029' || r == '\u0085':
		l.acceptRun(func(r rune) bool { return r == '\n' || isHSpace(r) })
		if l.wrapped() {
			l.emit(tkSpace)
		} else {
			l.emit(tkNewline)
		}
	case r == ' ' && (l.pos >= len(l.text) || l.text[l.pos] > ' '):
		l.emit(tkSpace) // the common single space
	case isHSpace(r) || unicode.IsSpace(r):
		nl := false
		l.acceptRun(func(r rune) bool {
			if r == '\n' {
				nl = true
			}
			return r == '\n' || isHSpace(r) || unicode.IsSpace(r)
		})
		if nl {
			l.emit(tkNewline)
		} else {
			l.emit(tkSpace)
		}
	case isDigit(r):
		l.lexNumber()
	case isLetter(r):
		l.lexWord()
	case isRegionalIndicator(r):
		// A flag ("Alder Lake 🇺🇸, Brook 🇧🇷") says where a name is
		// from and is read as space, so that the list around it goes on.
		l.acceptRun(isRegionalIndicator)
		l.emit(tkSpace)
	case isCurSym(r):
		l.emit(tkCurSym)
	case r == '%':
		l.emit(tkPercent)
	default:
		l.emit(tkPunct)
	}
}

// lexNumber scans digits with inner group or decimal separators: "1,250.5",
// "4.500.000", "3,50,00,000", "1,5" and "1 200" (a single space followed by
// exactly three digits). The value is interpreted later by parseNumber.
func (l *lexer) lexNumber() {
	for l.pos < len(l.text) && l.text[l.pos] >= '0' && l.text[l.pos] <= '9' {
		l.pos++
	}
	for {
		r, w := l.peekAt(l.pos)
		if r == ',' || r == '.' {
			if d, _ := l.peekAt(l.pos + w); isDigit(d) {
				l.pos += w
				l.acceptRun(isDigit)
				continue
			}
			break
		}
		if r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\u2009' {
			// "1 200 000": every group after the space has exactly three
			// digits and the first group at most three.
			if l.pos-l.start > 3 || !allDigits(l.text[l.start:l.pos]) {
				break
			}
			p := l.pos + w
			n := 0
			for n < 4 {
				d, _ := l.peekAt(p + n)
				if !isDigit(d) {
					break
				}
				n++
			}
			if n != 3 {
				break
			}
			if d, _ := l.peekAt(p + 3); d == ',' || d == '.' || isLetter(d) {
				break
			}
			l.pos = p + 3
			for {
				r2, w2 := l.peekAt(l.pos)
				if r2 != r {
					break
				}
				okGroup := true
				for k := 0; k < 3; k++ {
					if d, _ := l.peekAt(l.pos + w2 + k); !isDigit(d) {
						okGroup = false
					}
				}
				if d, _ := l.peekAt(l.pos + w2 + 3); isDigit(d) {
					okGroup = false
				}
				if !okGroup {
					break
				}
				l.pos += w2 + 3
			}
			break
		}
		break
	}
	l.emit(tkNumber)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// lexWord scans letters. A short all-capital word glued to "$" (US$, C$,
// HK$) is a currency symbol.
func (l *lexer) lexWord() {
	// ASCII fast path, then the general one.
	for l.pos < len(l.text) {
		c := l.text[l.pos]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			l.pos++
			continue
		}
		break
	}
	if l.pos < len(l.text) && l.text[l.pos] >= utf8.RuneSelf {
		l.acceptRun(isLetter) // an ASCII byte here is no letter: nothing to read
	}
	if l.pos < len(l.text) && l.text[l.pos] == '$' && l.pos-l.start <= 3 && isUpperASCII(l.text[l.start:l.pos]) {
		l.pos++ // '$' is one byte: read without peekAt's call on every word
		l.emit(tkCurSym)
		return
	}
	l.emit(tkWord)
}

func isUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}

// compact is kept for callers that want the token stream without space:
// lex already records space as the gap flag of the next token.
func compact(toks []token) []token { return toks }
