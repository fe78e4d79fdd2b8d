package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestStagesStayApart lists what each stage package imports, directly or
// not, with "go list -deps", and fails when the fetch, extract and index
// sides reach into each other: they meet only through news and the
// streams, and this binary wires them (STYLE.md, section 1).
func TestStagesStayApart(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to list imports with")
	}
	const mod = "github.com/dealwire/dealwire/"
	fetch := []string{"ingest"}
	extract := []string{"extract", "extractstage"}
	index := []string{"index", "index/elastic", "index/sqlite", "indexstage", "dealindexstage"}
	tests := []struct {
		pkgs, forbidden []string
	}{
		{fetch, append(append([]string{}, extract...), index...)},
		{extract, append(append([]string{}, fetch...), index...)},
		{index, append(append([]string{}, fetch...), extract...)},
	}
	for _, tt := range tests {
		for _, p := range tt.pkgs {
			out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", mod+p).Output()
			if err != nil {
				t.Fatalf("go list -deps %s: %v", p, err)
			}
			deps := map[string]bool{}
			for _, d := range strings.Fields(string(out)) {
				deps[strings.TrimPrefix(d, mod)] = true
			}
			if !deps[p] {
				t.Fatalf("go list -deps %s does not list the package itself: %q", p, out)
			}
			for _, f := range tt.forbidden {
				if deps[f] {
					t.Errorf("package %s imports %s (directly or through another package)", p, f)
				}
			}
		}
	}
}

// TestOnlyTheBinaryWires fails when a package other than this binary
// imports pipeline (the composition root) or config (the whole process's
// configuration): every other package gets its own Config section and its
// dependencies from its caller (STYLE.md, section 6).
func TestOnlyTheBinaryWires(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to list imports with")
	}
	const mod = "github.com/dealwire/dealwire/"
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, mod+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowed := map[string][]string{
		"pipeline": {"cmd/dealwire"},
		"config":   {"cmd/dealwire", "pipeline"},
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], mod)
		seen++
		for _, imp := range fields[1:] {
			who, ok := allowed[strings.TrimPrefix(imp, mod)]
			if ok && strings.HasPrefix(imp, mod) && !slices.Contains(who, pkg) {
				t.Errorf("package %s imports %s, which only %v may", pkg, strings.TrimPrefix(imp, mod), who)
			}
		}
	}
	if seen < 20 {
		t.Fatalf("go list listed %d packages; the check is broken", seen)
	}
}
