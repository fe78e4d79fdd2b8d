package fx

import (
	"strings"
	"testing"
)

func TestDefault(t *testing.T) {
	tab, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if tab.Date.IsZero() || tab.Len() < 20 {
		t.Fatalf("default table: date %v, %d currencies", tab.Date, tab.Len())
	}
	tests := []struct {
		cur    string
		in     float64
		lo, hi float64
		wantOK bool
	}{
		{"USD", 100, 100, 100, true},
		{"EUR", 1e9, 0.9e9, 1.2e9, true},
		{"JPY", 1e9, 5e6, 8e6, true},
		{"XXX", 1, 0, 0, false},
		{"", 1, 0, 0, false},
	}
	for _, tt := range tests {
		got, ok := tab.USD(tt.in, tt.cur)
		if ok != tt.wantOK || got < tt.lo || got > tt.hi {
			t.Errorf("USD(%g, %q) = %g, %v; want [%g, %g], %v", tt.in, tt.cur, got, ok, tt.lo, tt.hi, tt.wantOK)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{
		"USD\t1\n",                    // no date
		"date\t2025-13-01\n",          // bad date
		"date\t2025-01-01\nusd\t1\n",  // lower-case code
		"date\t2025-01-01\nEUR\t-1\n", // negative
		"date\t2025-01-01\nEUR 1.1\n", // no tab
	} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("Parse(%q) = nil error", in)
		}
	}
}
