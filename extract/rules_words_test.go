package extract

import (
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// ruleSources are the package's Go files other than tests and the feature
// definitions (features.go), which are allowed to name what they look at.
func ruleSources(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") && f != "features.go" {
			out = append(out, f)
		}
	}
	return out
}

// inspectSources parses each of files and visits every node of it with
// the file set that places its positions.
func inspectSources(t *testing.T, files []string, visit func(fset *gotoken.FileSet, n ast.Node)) {
	t.Helper()
	for _, f := range files {
		fset := gotoken.NewFileSet()
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			visit(fset, n)
			return true
		})
	}
}

// TestRuleWordClasses checks the rule word lists against the code: every
// class the rules or the feature definitions name ("deal.institution",
// "side.give") has entries, every class of words/rules_*.tsv is named by
// some rule or feature (vocab.in answers false for a
// misspelt class, which would silently change what a rule reads), and
// entries are written as the rules compare them: lower-cased (but for the
// classes matched with their case) and words separated by one space.
func TestRuleWordClasses(t *testing.T) {
	v := loadVocab()
	classRe := regexp.MustCompile(`^(?:roles|money|power|text|deal|investors|extract|amount|side)\.[a-z_]+$`)
	used := map[string]bool{}
	inspectSources(t, append(ruleSources(t), "features.go"), func(fset *gotoken.FileSet, n ast.Node) {
		l, ok := n.(*ast.BasicLit)
		if !ok || l.Kind != gotoken.STRING {
			return
		}
		s, err := strconv.Unquote(l.Value)
		if err != nil || !classRe.MatchString(s) || strings.HasSuffix(s, ".tsv") {
			return
		}
		used[s] = true
		if len(v.ruleWords[s]) == 0 {
			t.Errorf("%s names class %s, which no words/rules_*.tsv holds", fset.Position(l.Pos()), s)
		}
	})
	cased := map[string]bool{"text.boilerplate_opener": true, "investors.title_cap": true}
	for class, words := range v.ruleWords {
		if !used[class] {
			t.Errorf("class %s of words/rules_*.tsv is used by no rule or feature", class)
		}
		for w := range words {
			if !cased[class] && w != lower(w) {
				t.Errorf("%s %q is not lower-cased, so it never matches", class, w)
			}
			if strings.Join(strings.Fields(w), " ") != w {
				t.Errorf("%s %q: words must be separated by one space", class, w)
			}
		}
	}
}

// TestNoWordLiteralsInRules checks that no rule tests a token against an
// English word written in Go: the text of a token (d.lw, d.tx, lower) is
// compared with, switched over or matched against word lists of
// words/*.tsv, never against a literal with letters. Literals that name
// classes, output values or codes are not compared with tokens and pass.
func TestNoWordLiteralsInRules(t *testing.T) {
	tokenText := map[string]bool{"lw": true, "tx": true, "lower": true, "asciiLower": true}
	wordArgs := map[string]bool{"is": true, "matchWords": true}
	isTokenText := func(e ast.Expr) bool {
		c, ok := e.(*ast.CallExpr)
		if !ok {
			return false
		}
		switch f := c.Fun.(type) {
		case *ast.SelectorExpr:
			return tokenText[f.Sel.Name]
		case *ast.Ident:
			return tokenText[f.Name]
		}
		return false
	}
	wordLit := func(e ast.Expr) (string, bool) {
		l, ok := e.(*ast.BasicLit)
		if !ok || l.Kind != gotoken.STRING {
			return "", false
		}
		s, err := strconv.Unquote(l.Value)
		return s, err == nil && strings.ContainsFunc(s, unicode.IsLetter)
	}
	inspectSources(t, ruleSources(t), func(fset *gotoken.FileSet, n ast.Node) {
		report := func(e ast.Expr, s string) {
			t.Errorf("%s: a token is tested against the word %q: put it in a words/rules_*.tsv class", fset.Position(e.Pos()), s)
		}
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if n.Op != gotoken.EQL && n.Op != gotoken.NEQ {
				break
			}
			if s, ok := wordLit(n.Y); ok && isTokenText(n.X) {
				report(n.Y, s)
			}
			if s, ok := wordLit(n.X); ok && isTokenText(n.Y) {
				report(n.X, s)
			}
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && wordArgs[sel.Sel.Name] {
				for _, a := range n.Args {
					if s, ok := wordLit(a); ok {
						report(a, s)
					}
				}
			}
		case *ast.SwitchStmt:
			if n.Tag == nil || !isTokenText(n.Tag) {
				break
			}
			for _, st := range n.Body.List {
				for _, e := range st.(*ast.CaseClause).List {
					if s, ok := wordLit(e); ok {
						report(e, s)
					}
				}
			}
		}
	})
}

// TestCueClassesExist checks that every cue class a rule asks for by name
// is a class of words/cue.tsv: a misspelt or removed class is never found,
// so the rule's test is silently always false.
func TestCueClassesExist(t *testing.T) {
	v := loadVocab()
	classes := map[string]bool{}
	for _, ps := range v.cues {
		for _, p := range ps {
			classes[p.class] = true
		}
	}
	takesCue := map[string]bool{"hasCue": true, "cueIn": true, "cueAtIs": true, "cueEndsAt": true,
		"cueStartsNear": true, "cueNearAfter": true, "cueNearAfterX": true, "hasLowerCue": true}
	asked := 0
	inspectSources(t, append(ruleSources(t), "features.go"), func(fset *gotoken.FileSet, n ast.Node) {
		c, ok := n.(*ast.CallExpr)
		if !ok || len(c.Args) == 0 {
			return
		}
		sel, ok := c.Fun.(*ast.SelectorExpr)
		if !ok || !takesCue[sel.Sel.Name] {
			return
		}
		l, ok := c.Args[0].(*ast.BasicLit)
		if !ok || l.Kind != gotoken.STRING {
			return
		}
		class, err := strconv.Unquote(l.Value)
		if err != nil {
			t.Fatal(err)
		}
		asked++
		if !classes[class] {
			t.Errorf("%s asks for cue class %q, which words/cue.tsv does not have", fset.Position(l.Pos()), class)
		}
	})
	if asked < 20 {
		t.Fatalf("found %d cue classes asked for by name; the check is broken", asked)
	}
}
