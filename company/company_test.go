package company

import (
	"slices"
	"strings"
	"testing"
)

func TestKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Acme Robotics, Inc.", "acme robotics"}, {"The Acme Co.", "acme"}, {"ACME", "acme"},
		{"Orchard & Oak", "orchard oak"}, {"Orchard and Oak Ltd", "orchard oak"}, {"Acme.ai", "acme ai"},
		{"Group Inc", "group"}, {"HelioGrid S.A.", "helio grid"}, {"Helio Grid", "helio grid"}, {"OpenAI", "open ai"},
		{"Société Générale SA", "société générale"}, {"  ", ""},
		// Suffixes only one of the two earlier lists had.
		{"Hafslund AS", "hafslund"}, {"Nokia Oyj", "nokia"}, {"Siemens Energy SE", "siemens energy"},
		{"Zomato Pvt. Ltd.", "zomato"}, {"Ubisoft SARL", "ubisoft"}, {"Equinor ASA", "equinor"},
		// Legal words stay when nothing else is left, or when they do not end the name.
		{"SE", "se"}, {"Group Holdings Ltd", "group"}, {"AS Roma Holding", "as roma"},
	}
	for _, tt := range tests {
		if got := Key(tt.in); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestLegalSuffixes checks the list's form: what [Tokens] produces (lower
// case, letters and digits), each word once.
func TestLegalSuffixes(t *testing.T) {
	ws := LegalSuffixes()
	if len(ws) < 30 {
		t.Errorf("%d legal suffixes, want the union of the extractor's and deal resolution's lists", len(ws))
	}
	for _, w := range ws {
		if got := strings.Join(Tokens("Acme "+w), " "); got != "acme" {
			t.Errorf("suffix %q: Tokens(\"Acme %s\") = %q, want acme", w, w, got)
		}
		if !IsLegalSuffix(w) {
			t.Errorf("IsLegalSuffix(%q) = false", w)
		}
	}
	for _, w := range []string{"robotics", "Inc", "inc.", ""} {
		if IsLegalSuffix(w) {
			t.Errorf("IsLegalSuffix(%q) = true", w)
		}
	}
	if !slices.Contains(ws, "gmbh") {
		t.Errorf("no gmbh in %q", ws)
	}
}

// FuzzTokens checks that any name gives non-empty words of letters and
// digits only.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"Acme Robotics, Inc.", "HelioGrid S.A.", "The The", "Société Générale", "東京エレクトロン", "a.b.c", "", "&&&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		for _, w := range Tokens(name) {
			if w == "" || strings.ContainsFunc(w, func(r rune) bool { return r == ' ' || r == '.' || r == ',' }) {
				t.Fatalf("Tokens(%q) has word %q", name, w)
			}
		}
	})
}
