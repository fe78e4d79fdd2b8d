package extract

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestRuleWordClassesDealInvestors checks that every rule word class that
// deal.go and investors.go name exists in words/rules_deal.tsv or
// words/rules_investors.tsv, and that every class of those files is used:
// vocab.in answers false for a misspelt class, which would silently change
// what a rule reads.
func TestRuleWordClassesDealInvestors(t *testing.T) {
	v := loadVocab()
	classRe := regexp.MustCompile(`"((?:deal|investors)\.[a-z_]+)"`)
	used := map[string]bool{}
	for _, f := range []string{"deal.go", "investors.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range classRe.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
			if len(v.ruleWords[m[1]]) == 0 {
				t.Errorf("%s names class %s, which no words/rules_*.tsv holds", f, m[1])
			}
		}
	}
	// Matched against the token's own spelling, not lower-cased.
	cased := map[string]bool{"investors.title_cap": true}
	lineRe := regexp.MustCompile(`(?m)^((?:deal|investors)\.[a-z_]+)\t(.*)$`)
	for _, f := range []string{"words/rules_deal.tsv", "words/rules_investors.tsv"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lineRe.FindAllStringSubmatch(string(b), -1) {
			class, word := m[1], m[2]
			if !used[class] {
				t.Errorf("%s: class %s is used by no rule", f, class)
			}
			if !cased[class] && word != lower(word) {
				t.Errorf("%s: %s %q is not lower-cased, so it never matches", f, class, word)
			}
			if strings.Join(strings.Fields(word), " ") != word {
				t.Errorf("%s: %s %q: words must be separated by one space", f, class, word)
			}
		}
	}
}

// TestPhraseEndsAt checks the leftward matching of multi-word rule entries
// that leftList uses: whole words only, never across a line break.
func TestPhraseEndsAt(t *testing.T) {
	for _, c := range []struct {
		text string
		e    int
		want int
	}{
		{"A as well as B", 3, 3},
		{"A As Well As B", 3, 3},
		{"A as well as B", 2, 0},
		{"as well\nas B", 3, 0},
		{"well as", 1, 0},
	} {
		d := newDoc(c.text, loadVocab())
		if got := d.phraseEndsAt("investors.as_well_as", c.e); got != c.want {
			t.Errorf("phraseEndsAt(%q, %d) = %d, want %d", c.text, c.e, got, c.want)
		}
		d.release()
	}
}
