package extract

import "testing"

func TestNamesMatch(t *testing.T) {
	v := loadVocab()
	tests := []struct {
		a, b string
		want bool
	}{
		{"Lightspeed", "Lightspeed Venture Partners", true},
		{"Sequoia Capital", "sequoia capital", true},
		{"Acme, Inc.", "Acme", true},
		{"Hillhouse Investment", "Hillhouse", true},
		{"Société Générale", "société générale", true},
		{"Index Ventures", "Indexa Ventures", false},
		{"a16z", "Andreessen Horowitz", false},
		{"Acme Holdings Ltd", "Acme", true},
	}
	for _, tt := range tests {
		if got := namesMatch(v, tt.a, tt.b); got != tt.want {
			t.Errorf("namesMatch(%q, %q) = %v, want %v (keys %q %q)", tt.a, tt.b, got, tt.want, normName(v, tt.a), normName(v, tt.b))
		}
	}
}
