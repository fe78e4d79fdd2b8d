package main

import (
	"os/exec"
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
