package extract

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestJSONL(t *testing.T) {
	in := `{"id":"a","title":"Kovo raises €18 million","text":"Kovo, a Berlin startup, raised €18 million in a Series A round."}
not json

{"id":"b","text":"Nothing to see."}
`
	var out bytes.Buffer
	if err := JSONL(t.Context(), strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d output lines, want 3 (the blank line gives none):\n%s", len(lines), out.String())
	}
	var got []jsonlOut
	for _, l := range lines {
		var o jsonlOut
		if err := json.Unmarshal([]byte(l), &o); err != nil {
			t.Fatalf("output line %q: %v", l, err)
		}
		got = append(got, o)
	}
	if got[0].ID != "a" || len(got[0].Deals) != 1 || got[0].OffsetsInto == "" {
		t.Errorf("line 1 = %+v, want one deal with offsets into title+text", got[0])
	}
	if got[1].Error == "" || got[1].Deals == nil {
		t.Errorf("line 2 = %+v, want an error and an empty deal list", got[1])
	}
	if got[2].ID != "b" || len(got[2].Deals) != 0 || got[2].ExtractorVersion != Version {
		t.Errorf("line 3 = %+v, want no deals and the extractor version", got[2])
	}
}
