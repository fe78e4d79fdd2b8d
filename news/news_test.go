package news

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

func TestDecimalRoundTrip(t *testing.T) {
	tests := []struct {
		name, in, want string
		f              float64
	}{
		{"integer", "40000000", "40000000", 4e7},
		{"fraction", "1.50", "1.5", 1.5},
		{"exponent", "2e9", "2000000000", 2e9},
		{"small", "0.05", "0.05", 0.05},
		{"zero", "0", "0", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDecimal(tt.in)
			if err != nil {
				t.Fatalf("ParseDecimal(%q): %v", tt.in, err)
			}
			if got := d.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if got := d.Float64(); got != tt.f {
				t.Errorf("Float64() = %v, want %v", got, tt.f)
			}
			b, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			var back Decimal
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("unmarshal %s: %v", b, err)
			}
			if back != d {
				t.Errorf("round trip %s: got %+v, want %+v", b, back, d)
			}
		})
	}
}

func TestParseDecimalErrors(t *testing.T) {
	for _, in := range []string{"", "abc", "1.2.3", "99999999999999999999"} {
		_, err := ParseDecimal(in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("ParseDecimal(%q) error = %v, want *ParseError", in, err)
		}
	}
}

func TestSubjects(t *testing.T) {
	if got, want := ArticleSubject("Tech Crunch.com"), "dealwire.article.tech_crunch_com"; got != want {
		t.Errorf("ArticleSubject = %q, want %q", got, want)
	}
	if got, want := DeadSubject(""), "dealwire.dead.unknown"; got != want {
		t.Errorf("DeadSubject = %q, want %q", got, want)
	}
}

func TestPermanent(t *testing.T) {
	base := errors.New("bad mapping")
	err := fmt.Errorf("indexing: %w", Permanent(base))
	if !IsPermanent(err) || !errors.Is(err, base) {
		t.Errorf("IsPermanent(%v) = false or chain lost", err)
	}
	if IsPermanent(base) || Permanent(nil) != nil {
		t.Error("plain errors must not be permanent")
	}
}

func TestArticleIDStable(t *testing.T) {
	a, b := ArticleID("https://example.com/a"), ArticleID("https://example.com/a")
	if a != b || len(a) != 32 || a == ArticleID("https://example.com/b") {
		t.Errorf("ArticleID not stable or not distinct: %q %q", a, b)
	}
}
