package company

import (
	"strings"
	"unicode"
)

// legalSuffixes are trailing words that do not tell two companies apart:
// "Acme Inc." and "Acme" are the same company. Lower case, letters and
// digits only ("S.A." is "sa").
var legalSuffixes = map[string]bool{
	"ab": true, "ag": true, "as": true, "asa": true, "bv": true, "co": true,
	"company": true, "corp": true, "corporation": true, "gmbh": true,
	"group": true, "holding": true, "holdings": true, "inc": true,
	"incorporated": true, "kk": true, "limited": true, "llc": true,
	"llp": true, "lp": true, "ltd": true, "nv": true, "oy": true,
	"oyj": true, "plc": true, "pte": true, "pty": true, "pvt": true,
	"sa": true, "sarl": true, "sas": true, "se": true, "spa": true,
	"srl": true,
}

// IsLegalSuffix reports whether word, in lower case with letters and digits
// only, is a legal-form suffix such as "inc", "gmbh" or "sa".
func IsLegalSuffix(word string) bool { return legalSuffixes[word] }

// LegalSuffixes returns the legal-form suffixes, in no particular order.
func LegalSuffixes() []string {
	out := make([]string, 0, len(legalSuffixes))
	for w := range legalSuffixes {
		out = append(out, w)
	}
	return out
}

// Tokens returns the normalised words of a company name: lower case,
// split at anything that is not a letter or digit and inside camel case
// ("HelioGrid" is "helio grid", as some outlets write it), without a leading
// "the", "and"/"&", or trailing legal suffixes. "The Acme Robotics, Inc."
// gives [acme robotics]. A name made only of such words keeps them, so that
// "Group Inc" still has a key.
func Tokens(name string) []string {
	words := strings.FieldsFunc(strings.ToLower(splitCamel(name)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	kept := words[:0:0]
	for i, w := range words {
		switch {
		case w == "and":
			continue
		case len(w) == 1 && i > 0 && len(words[i-1]) == 1 && len(kept) > 0:
			// Initials belong together: "S.A." is "sa", "A.I." is "ai".
			kept[len(kept)-1] += w
			continue
		}
		kept = append(kept, w)
	}
	if len(kept) > 1 && kept[0] == "the" {
		kept = kept[1:]
	}
	for len(kept) > 1 && legalSuffixes[kept[len(kept)-1]] {
		kept = kept[:len(kept)-1]
	}
	return kept
}

// splitCamel puts a space where a lower-case letter is followed by an upper-
// case one: "HelioGrid" becomes "Helio Grid", "ACME" and "Acme" stay.
func splitCamel(s string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range s {
		if prevLower && unicode.IsUpper(r) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prevLower = unicode.IsLower(r)
	}
	return b.String()
}

// Key is the normal form of a company name: its [Tokens] joined by single
// spaces. Names with equal keys are the same company.
func Key(name string) string { return strings.Join(Tokens(name), " ") }
