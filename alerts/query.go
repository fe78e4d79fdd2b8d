package alerts

import (
	"strings"
	"unicode"
)

// Query is a rule's text query, parsed. Syntax:
//
//	word            the word must occur (case-insensitive, whole words)
//	"a phrase"      the words must occur next to each other, in order
//	a OR b          either must occur; OR (upper case) binds tighter than
//	                the implicit AND between elements: a OR b c = (a OR b) AND c
//	-word -"phrase" must not occur
//
// Words are runs of letters and digits; everything else separates them, so
// "Series-B" is the phrase "series b". A stray quote runs to the end; an
// element without a letter or digit is ignored. The index's own parser
// (index.ParseText) has no OR, so alerts parse their queries here, with
// the same words-and-phrases rules.
type Query struct {
	// All must hold: each is a set of alternatives, one of which must occur.
	All [][]phrase
	// None must occur.
	None []phrase
}

// phrase is one or more lower-case words that must occur in order.
type phrase []string

// ParseQuery parses s; it never fails.
func ParseQuery(s string) Query {
	var q Query
	orNext := false
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
		quoted := s[0] == '"'
		if quoted {
			s = s[1:]
			end := strings.IndexByte(s, '"')
			if end < 0 {
				end = len(s)
			}
			elem, s = s[:end], s[min(end+1, len(s)):]
		} else {
			end := strings.IndexFunc(s, unicode.IsSpace)
			if end < 0 {
				end = len(s)
			}
			elem, s = s[:end], s[end:]
		}
		if !quoted && !neg && elem == "OR" {
			orNext = len(q.All) > 0
			continue
		}
		p := phrase(words(elem))
		if len(p) == 0 {
			continue
		}
		switch {
		case neg:
			q.None = append(q.None, p)
			orNext = false
		case orNext:
			last := len(q.All) - 1
			q.All[last] = append(q.All[last], p)
			orNext = false
		default:
			q.All = append(q.All, []phrase{p})
		}
	}
	return q
}

// IsZero reports whether q matches everything.
func (q Query) IsZero() bool { return len(q.All) == 0 && len(q.None) == 0 }

// Match reports whether q holds for the fields; a phrase never spans two fields.
func (q Query) Match(fields []string) bool {
	if q.IsZero() {
		return true
	}
	toks := make([][]string, len(fields))
	for i, f := range fields {
		toks[i] = words(f)
	}
	for _, alts := range q.All {
		ok := false
		for _, p := range alts {
			if contains(toks, p) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	for _, p := range q.None {
		if contains(toks, p) {
			return false
		}
	}
	return true
}

// String writes q back in the query syntax.
func (q Query) String() string {
	var parts []string
	quote := func(p phrase) string {
		if len(p) == 1 {
			return p[0]
		}
		return `"` + strings.Join(p, " ") + `"`
	}
	for _, alts := range q.All {
		s := make([]string, len(alts))
		for i, p := range alts {
			s[i] = quote(p)
		}
		parts = append(parts, strings.Join(s, " OR "))
	}
	for _, p := range q.None {
		parts = append(parts, "-"+quote(p))
	}
	return strings.Join(parts, " ")
}

func contains(fields [][]string, p phrase) bool {
	for _, toks := range fields {
		for i := 0; i+len(p) <= len(toks); i++ {
			match := true
			for j, w := range p {
				if toks[i+j] != w {
					match = false
					break
				}
			}
			if match {
				return true
			}
		}
	}
	return false
}

// words splits s into lower-case runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}
