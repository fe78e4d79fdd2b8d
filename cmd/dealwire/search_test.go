package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/index/sqlite"
)

func TestSearchCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dealwire.db")
	s, err := sqlite.Open(t.Context(), sqlite.Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range s.Index(t.Context(), indextest.Records()) {
		if err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	t.Setenv("DEALWIRE_CONFIG", "")
	t.Setenv("DEALWIRE_ES_URLS", "")
	t.Setenv("DEALWIRE_SQLITE_PATH", path)
	t.Setenv("DEALWIRE_LOG_LEVEL", "error")

	run := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := runSearch(t.Context(), &env{stdout: &out, stderr: &errOut}, args)
		return out.String() + errOut.String(), err
	}
	out, err := run("--investor", "nvidia", "--amount-usd-min", "1bn", "--facets")
	if err != nil {
		t.Fatalf("search: %v\n%s", err, out)
	}
	for _, want := range []string{"r1", "USD 2B", "series c", "Acme AI", "1 of 1 matching records", "investors:  Nvidia (1)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table output lacks %q:\n%s", want, out)
		}
	}
	out, err = run("--json", "--sort", "date", "--size", "2", "nvidia")
	if err != nil {
		t.Fatalf("search --json: %v\n%s", err, out)
	}
	var res index.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if res.Total != 5 || len(res.Hits) != 2 || res.Hits[0].ID != "r6" || res.Next == "" {
		t.Errorf("--json: total %d, %d hits, first %q, next %q", res.Total, len(res.Hits), res.Hits[0].ID, res.Next)
	}
	out, err = run("--json", "--sort", "date", "--size", "2", "--after", res.Next, "nvidia")
	if err != nil {
		t.Fatalf("second page: %v", err)
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Hits[0].ID != "r2" {
		t.Errorf("second page starts with %v (%v), want r2", res.Hits, err)
	}
	if out, err := run("--amount-min", "lots"); err == nil || !strings.Contains(out, "amount_min") {
		t.Errorf("bad amount: err %v, output %q", err, out)
	}
}
