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
	run := searchEnv(t)
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

// searchEnv indexes the conformance fixture into a fresh SQLite file and
// returns a runner of "dealwire search" against it, configured by the
// environment only.
func searchEnv(t *testing.T) func(args ...string) (string, error) {
	t.Helper()
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
	t.Setenv("DEALWIRE_SEARCH_MIN_CONFIDENCE", "")
	return func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := runSearch(t.Context(), &env{stdout: &out, stderr: &errOut}, args)
		return out.String() + errOut.String(), err
	}
}

// TestSearchCommandConfidence uses the fixture's confidences: r3's Delta
// deal (SoftBank, $3B) is 0.2, its Gamma deal and r1's deal 0.9.
func TestSearchCommandConfidence(t *testing.T) {
	run := searchEnv(t)
	tests := []struct {
		name   string
		env    string // DEALWIRE_SEARCH_MIN_CONFIDENCE
		args   []string
		want   []string
		reject []string
	}{
		{"default hides the low deal", "", []string{"--investor", "softbank"},
			[]string{"0 of 0 matching records", "below confidence 0.5 hidden (--min-confidence 0 shows all)"}, []string{"r3"}},
		{"flag shows all", "", []string{"--investor", "softbank", "--min-confidence", "0"},
			[]string{"r3", "Delta", "0.20", "Gamma", "0.90", "1 of 1 matching records"}, []string{"hidden"}},
		{"environment shows all", "0", []string{"--investor", "softbank"},
			[]string{"r3", "Delta", "1 of 1 matching records"}, nil},
		{"flag over environment", "0", []string{"--investor", "softbank", "--min-confidence", "0.5"},
			[]string{"0 of 0 matching records"}, []string{"r3"}},
		{"hits keep their shown deals", "", []string{"--company", "gamma"},
			[]string{"r3", "Gamma", "0.90", "1 of 1 matching records; 1 deal below confidence 0.5 hidden"}, []string{"0.20"}},
		{"unscored deals show a dash", "", []string{"--company", "beta robotics"},
			[]string{"r2", "Beta Robotics", "  -  "}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("DEALWIRE_SEARCH_MIN_CONFIDENCE", tt.env)
			out, err := run(tt.args...)
			if err != nil {
				t.Fatalf("search %v: %v\n%s", tt.args, err, out)
			}
			for _, want := range tt.want {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			for _, no := range tt.reject {
				if strings.Contains(out, no) {
					t.Errorf("output has %q:\n%s", no, out)
				}
			}
		})
	}

	out, err := run("--json", "--company", "gamma")
	if err != nil {
		t.Fatal(err)
	}
	var res index.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.MinConfidence != 0.5 || len(res.Hits) != 1 || res.Hits[0].HiddenDeals != 1 || len(res.Hits[0].Record.Extraction.Deals) != 1 {
		t.Errorf("--json: min_confidence %g, hits %+v; want 0.5 and r3 with one deal shown, one hidden", res.MinConfidence, res.Hits)
	}

	for _, bad := range []string{"1.5", "-0.1", "high"} {
		if out, err := run("--min-confidence", bad); err == nil || !strings.Contains(out, "min_confidence") || !strings.Contains(out, "want a number from 0 to 1") {
			t.Errorf("--min-confidence %s: err %v, output %q", bad, err, out)
		}
	}
	t.Setenv("DEALWIRE_SEARCH_MIN_CONFIDENCE", "lots")
	if _, err := run(); err == nil || !strings.Contains(err.Error(), "DEALWIRE_SEARCH_MIN_CONFIDENCE") {
		t.Errorf("bad environment value: %v, want an error naming the variable", err)
	}
}
