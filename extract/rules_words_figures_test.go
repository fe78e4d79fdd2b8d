package extract

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestRuleWordClassesFigures checks that every rule word class that
// roles.go, money.go, power.go and text.go name exists in
// words/rules_roles.tsv, words/rules_money.tsv or words/rules_text.tsv, and
// that every class of those files is used: vocab.in answers false for a
// misspelt class, which would silently change what a rule reads. Entries
// must be written as the rules compare them: lower-cased (but for the one
// class matched with its case) and, for phrases, words separated by one
// space.
func TestRuleWordClassesFigures(t *testing.T) {
	v := loadVocab()
	classRe := regexp.MustCompile(`"((?:roles|money|power|text)\.[a-z_]+)"`)
	used := map[string]bool{}
	for _, f := range []string{"roles.go", "money.go", "power.go", "text.go"} {
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
	cased := map[string]bool{"text.boilerplate_opener": true}
	lineRe := regexp.MustCompile(`(?m)^((?:roles|money|power|text)\.[a-z_]+)\t(.*)$`)
	for _, f := range []string{"words/rules_roles.tsv", "words/rules_money.tsv", "words/rules_text.tsv"} {
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

// TestPhraseAt checks the matching of multi-word rule entries against the
// lower-cased tokens: whole words only, never across a line break.
func TestPhraseAt(t *testing.T) {
	for _, c := range []struct {
		text  string
		i     int
		class string
		want  int
	}{
		{"a quarter of a billion", 0, "money.spelled_quarter", 4},
		{"A Quarter Of A billion", 0, "money.spelled_quarter", 4},
		{"a quarter of\na billion", 0, "money.spelled_quarter", 0},
		{"a quarter of", 0, "money.spelled_quarter", 0},
		{"half a million", 0, "money.spelled_half", 2},
		{"a half million", 0, "money.spelled_half", 2},
		{"a halfway", 0, "money.spelled_half", 0},
		{"one and a half million", 1, "money.spelled_and_half", 3},
		{"one and a half million", 0, "money.spelled_and_half", 0},
		{"one and a half million", -1, "money.spelled_and_half", 0},
	} {
		d := newDoc(c.text, loadVocab())
		if got := d.phraseAt(c.class, c.i); got != c.want {
			t.Errorf("phraseAt(%q, %q, %d) = %d, want %d", c.class, c.text, c.i, got, c.want)
		}
		d.release()
	}
}
