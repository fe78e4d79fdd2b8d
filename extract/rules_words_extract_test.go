package extract

import (
	"strings"
	"testing"
)

// TestRuleWordHelpers checks the readers of rule word lists: the
// phrases of a class found at every token (phraseAt, as strategicNoFigure
// asks), and the endings, starts and substrings that extract.go adds to
// vocab.in.
func TestRuleWordHelpers(t *testing.T) {
	d := newDoc("Acme made a Strategic Investment in\nBeta, an investment\n\nin Gamma", loadVocab())
	defer d.release()
	var at []int
	for i := -1; i <= len(d.toks); i++ {
		if d.phraseAt("extract.investment_phrase", i) > 0 {
			at = append(at, i)
		}
	}
	// "Strategic Investment" and "Investment in" match; "investment\n\nin"
	// spans a paragraph break.
	var want []int
	for i := range d.toks {
		if d.lw(i) == "strategic" || d.lw(i) == "investment" && d.tx(i) == "Investment" {
			want = append(want, i)
		}
	}
	if len(want) != 2 || len(at) != 2 || at[0] != want[0] || at[1] != want[1] {
		t.Errorf("phraseAt matched at %v, want %v", at, want)
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
