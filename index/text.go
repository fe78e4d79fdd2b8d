package index

import (
	"strings"
	"unicode"
)

// TextQuery is [Query.Text] parsed: every Must element has to occur in the
// title or the text, no Not element may. An element is one word or a phrase
// of words in order. Both backends translate it into their own syntax, so a
// user's stray quote or dash never becomes a syntax error.
type TextQuery struct {
	Must []string
	Not  []string
}

// IsZero reports whether t matches everything.
func (t TextQuery) IsZero() bool { return len(t.Must) == 0 && len(t.Not) == 0 }

// ParseText splits s into words and "quoted phrases"; a '-' in front of either
// excludes it. An unclosed quote runs to the end. Elements without a letter or
// digit are dropped: neither backend's tokenizer keeps anything of them.
func ParseText(s string) TextQuery {
	var t TextQuery
	for s != "" {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			break
		}
		neg := false
		if s[0] == '-' && len(s) > 1 && !unicode.IsSpace(rune(s[1])) {
			neg, s = true, s[1:]
		}
		var elem string
		if s[0] == '"' {
			s = s[1:]
			end := strings.IndexByte(s, '"')
			if end < 0 {
				end = len(s)
			}
			elem = s[:end]
			s = s[min(end+1, len(s)):]
		} else {
			end := strings.IndexFunc(s, unicode.IsSpace)
			if end < 0 {
				end = len(s)
			}
			elem, s = s[:end], s[end:]
		}
		elem = strings.Join(strings.Fields(elem), " ")
		if !strings.ContainsFunc(elem, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			continue
		}
		if neg {
			t.Not = append(t.Not, elem)
		} else {
			t.Must = append(t.Must, elem)
		}
	}
	return t
}
