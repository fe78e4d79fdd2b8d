package extract

import (
	"os"
	"regexp"
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
	lineRe := regexp.MustCompile(`(?m)^((?:deal|investors)\.[a-z_]+)\t`)
	for _, f := range []string{"words/rules_deal.tsv", "words/rules_investors.tsv"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lineRe.FindAllStringSubmatch(string(b), -1) {
			if !used[m[1]] {
				t.Errorf("%s: class %s is used by no rule", f, m[1])
			}
		}
	}
}
