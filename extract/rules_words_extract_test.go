package extract

import (
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// TestRuleWordClassesExtract checks the string literals of extract.go,
// build.go and attach.go: each is a class of words/rules_extract.tsv that
// the file holds (vocab.in answers false for a misspelt class, which would
// silently change what a rule reads), a cue class of words/cue.tsv, a value
// of the output schema, or has no letter at all. So no English word comes
// back into the code as a literal. It also checks that every class of
// words/rules_extract.tsv is used, and that its entries are written as the
// rules compare them: lower-cased, words separated by one space.
func TestRuleWordClassesExtract(t *testing.T) {
	v := loadVocab()
	cueClasses := map[string]bool{}
	if err := readTSV(wordFiles, "words/cue.tsv", func(c []string) error {
		cueClasses[c[0]] = true
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	schema := map[string]bool{
		Version: true,
		// Kinds, rounds and bases of news.Extraction, and a figure's note.
		"other": true, "total": true, "energy": true, "unknown": true, "fund": true,
		"seed": true, "pre-seed": true, "growth": true, "series ": true,
		"pre-money": true, "post-money": true, "unspecified": true,
		"valuation with no deal": true,
		// Prefixes of the keys of a deal's investor index.
		"n:": true, "c:": true,
	}
	used := map[string]bool{}
	for _, f := range []string{"extract.go", "build.go", "attach.go"} {
		fset := gotoken.NewFileSet()
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		imports := map[*ast.BasicLit]bool{}
		for _, im := range file.Imports {
			imports[im.Path] = true
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != gotoken.STRING || imports[lit] {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case strings.HasPrefix(s, "extract."):
				used[s] = true
				if len(v.ruleWords[s]) == 0 {
					t.Errorf("%s: class %s is in no words/rules_*.tsv", fset.Position(lit.Pos()), s)
				}
			case cueClasses[s], schema[s], !strings.ContainsFunc(s, unicode.IsLetter):
			default:
				t.Errorf("%s: literal %q: a word the rules test belongs in words/rules_extract.tsv", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
	b, err := os.ReadFile("words/rules_extract.tsv")
	if err != nil {
		t.Fatal(err)
	}
	for n, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		class, word, _ := strings.Cut(line, "\t")
		if !strings.HasPrefix(class, "extract.") {
			t.Errorf("words/rules_extract.tsv:%d: class %q is not of extract", n+1, class)
		}
		if !used[class] {
			t.Errorf("words/rules_extract.tsv:%d: class %s is used by no rule", n+1, class)
		}
		if word != lower(word) || strings.Join(strings.Fields(word), " ") != word {
			t.Errorf("words/rules_extract.tsv:%d: %q must be lower-cased, words separated by one space", n+1, word)
		}
	}
}

// TestRuleWordHelpers checks the two readers of rule word lists that
// extract.go adds to vocab.in and phraseAt: phrases tested at every token,
// and endings, starts and substrings.
func TestRuleWordHelpers(t *testing.T) {
	d := newDoc("Acme made a Strategic Investment in\nBeta, an investment\nin Gamma", loadVocab())
	defer d.release()
	var buf [4]string
	phrases := d.rulePhrases("extract.investment_phrase", buf[:0])
	if len(phrases) != len(d.v.ruleWords["extract.investment_phrase"]) {
		t.Fatalf("rulePhrases = %q", phrases)
	}
	var at []int
	for i := -1; i <= len(d.toks); i++ {
		if d.lowPhraseOf(i, phrases) {
			at = append(at, i)
		}
	}
	// "Strategic Investment" and "Investment in" match; "investment\nin"
	// spans a line break.
	var want []int
	for i := range d.toks {
		if d.lw(i) == "strategic" || d.lw(i) == "investment" && d.tx(i) == "Investment" {
			want = append(want, i)
		}
	}
	if len(want) != 2 || len(at) != 2 || at[0] != want[0] || at[1] != want[1] {
		t.Errorf("lowPhraseOf matched at %v, want %v", at, want)
	}
	for _, c := range []struct {
		class, s string
		test     func(s, w string) bool
		want     bool
	}{
		{"extract.as_light_verb_suffix", "signing", strings.HasSuffix, true},
		{"extract.as_light_verb_suffix", "joined", strings.HasSuffix, true},
		{"extract.as_light_verb_suffix", "joins", strings.HasSuffix, false},
		{"extract.as_role_prefix", "as", strings.HasPrefix, true},
		{"extract.as_role_prefix", "a", strings.HasPrefix, false},
		{"extract.lead_role", "as the lead investor", strings.Contains, true},
		{"extract.lead_role", "as the Lead Investor", strings.Contains, false},
		{"extract.no_such_class", "as", strings.HasPrefix, false},
	} {
		if got := d.anyRuleWord(c.class, c.s, c.test); got != c.want {
			t.Errorf("anyRuleWord(%s, %q) = %v, want %v", c.class, c.s, got, c.want)
		}
	}
}
