package extract

import (
	"slices"
	"testing"
)

// A headline that shortens an investor's name and a body that names it in
// full give one investor, under the full name.
func TestInvestorShortFormMerged(t *testing.T) {
	text := "Kelpwater Storage Secures $35 Million from Brackley Equity\n\n" +
		"Kelpwater Storage, an operator of cold stores, today announced a $35 million growth equity investment from Brackley Equity Partners, with Oldmill Ventures joining."
	ex := Extract(text)
	if len(ex.Deals) != 1 {
		t.Fatalf("%d deals, want 1: %+v", len(ex.Deals), ex.Deals)
	}
	var names []string
	for _, iv := range ex.Deals[0].Investors {
		names = append(names, iv.Name)
	}
	if slices.Contains(names, "Brackley Equity") || !slices.Contains(names, "Brackley Equity Partners") {
		t.Errorf("investors %q, want Brackley Equity Partners once and no short form", names)
	}
}

func TestShortFormOf(t *testing.T) {
	d := newDoc("x", loadVocab())
	defer d.release()
	for _, c := range []struct {
		short, long string
		want        bool
	}{
		{"larchmont equity", "larchmont equity partners", true},
		{"sequoia", "sequoia capital", true},
		{"sequoia capital", "sequoia capital china", false}, // another firm
		{"acme", "acme", false},
		{"", "capital partners", false},
	} {
		if got := d.shortFormOf(c.short, c.long); got != c.want {
			t.Errorf("shortFormOf(%q, %q) = %v, want %v", c.short, c.long, got, c.want)
		}
	}
}
