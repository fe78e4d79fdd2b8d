package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestExtractJSONL(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"a","text":"Acme raised $40 million in a Series B led by Accel.","title":""}`,
		`{"id":"b",`,
		`{"id":"c","text":"The round was led by Accel.","title":"Brightwater raises $5M seed"}`,
		`{"id":"d","text":"Nothing here.","title":"Nothing here."}`,
	}, "\n") + "\n"
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(in), stdout: &out, stderr: &errb}
	if err := runExtract(t.Context(), e, []string{"--jsonl"}); err != nil {
		t.Fatalf("runExtract: %v (stderr %s)", err, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("got %d output lines, want 4:\n%s", len(lines), out.String())
	}
	type result struct {
		ID          string            `json:"id"`
		Deals       []json.RawMessage `json:"deals"`
		OffsetsInto string            `json:"offsets_into"`
		Error       string            `json:"error"`
	}
	var rs []result
	for _, l := range lines {
		var r result
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("output line %q: %v", l, err)
		}
		rs = append(rs, r)
	}
	if rs[0].ID != "a" || len(rs[0].Deals) != 1 || rs[0].Error != "" {
		t.Errorf("line a = %+v, want one deal", rs[0])
	}
	if rs[1].Error == "" {
		t.Errorf("malformed line b gave no error: %+v", rs[1])
	}
	if rs[2].ID != "c" || rs[2].OffsetsInto == "" || len(rs[2].Deals) != 1 {
		t.Errorf("line c = %+v, want a deal found through the title and offsets_into set", rs[2])
	}
	if rs[3].OffsetsInto != "" {
		t.Errorf("line d = %+v: text already starts with the title, offsets_into must be empty", rs[3])
	}
}

func TestExtractStdin(t *testing.T) {
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader("Acme raised $40 million in a Series B led by Accel."), stdout: &out, stderr: &errb}
	if err := runExtract(t.Context(), e, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"company": "Acme"`) {
		t.Errorf("output lacks the company:\n%s", out.String())
	}
}
