package export

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// TestCSVLikeEncodingCSV checks the CSV encoder's quoting against
// encoding/csv's Writer, which it replaces.
func TestCSVLikeEncodingCSV(t *testing.T) {
	fields := []string{"", "plain", "a,b", `say "hi"`, "line\nbreak", "cr\rhere", " leading", "\tleading tab",
		"\u00a0nbsp", `\.`, `\.x`, "trailing ", "€ uro", "a;b; c", `""`, "\u2028sep", "\xffbad"}
	for _, f := range fields {
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		if err := w.Write([]string{f, "x"}); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		got := append(appendCSVField(nil, []byte(f)), ",x\n"...)
		if string(got) != want.String() {
			t.Errorf("field %q: got %q, encoding/csv writes %q", f, got, want.String())
		}
	}
}

func FuzzCSVField(f *testing.F) {
	f.Add("a,b")
	f.Add(" \"x\"\r\n")
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		if err := w.Write([]string{s, "x"}); err != nil {
			t.Skip()
		}
		w.Flush()
		if got := append(appendCSVField(nil, []byte(s)), ",x\n"...); string(got) != want.String() {
			t.Errorf("field %q: got %q, encoding/csv writes %q", s, got, want.String())
		}
	})
}
