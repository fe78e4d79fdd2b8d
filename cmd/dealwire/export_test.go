package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/index/sqlite"
)

// exportEnv indexes the conformance suite's resolved deals into a fresh
// SQLite file and returns a runner of "dealwire export" against it,
// configured by the environment only.
func exportEnv(t *testing.T) func(args ...string) (stdout, stderr string, err error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dealwire.db")
	s, err := sqlite.Open(t.Context(), sqlite.Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range s.IndexDeals(t.Context(), indextest.DealRecords()) {
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
	return func(args ...string) (string, string, error) {
		var out, errOut bytes.Buffer
		err := runExport(t.Context(), &env{stdout: &out, stderr: &errOut}, args)
		return out.String(), errOut.String(), err
	}
}

func TestExportCommand(t *testing.T) {
	run := exportEnv(t)

	// CSV to a file: the default threshold (0.5) hides d4 (confidence 0.2).
	file := filepath.Join(t.TempDir(), "deals.csv")
	stdout, stderr, err := run("-o", file)
	if err != nil {
		t.Fatalf("export -o: %v\n%s", err, stderr)
	}
	if stdout != "" {
		t.Errorf("export -o wrote to standard output: %q", stdout)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("reading %s back: %v", file, err)
	}
	var ids []string
	for _, r := range recs[1:] {
		ids = append(ids, r[0])
	}
	if recs[0][0] != "deal_id" || strings.Join(ids, " ") != "d5 d3 d2 d1" {
		t.Errorf("deals exported: header %v, ids %v, want d5 d3 d2 d1 (newest first, d4 hidden)", recs[0][:3], ids)
	}
	// Not a terminal: a summary line and no progress bar.
	if !strings.Contains(stderr, "exported 4 rows (deals) from 4 deals") || strings.Contains(stderr, "\r") {
		t.Errorf("standard error %q: want the summary line only", stderr)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".*.tmp")); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}

	// NDJSON of investors to standard output, with a search filter.
	stdout, stderr, err = run("--format", "ndjson", "--rows", "investors", "--lead-investor", "nvidia", "--min-confidence", "0")
	if err != nil {
		t.Fatalf("export ndjson: %v\n%s", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 1 {
		t.Fatalf("lead investor nvidia: %d rows, want 1 (Acme AI):\n%s", len(lines), stdout)
	}
	var row map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &row); err != nil {
		t.Fatalf("row %q: %v", lines[0], err)
	}
	if row["company"] != "Acme AI" || row["investor_name"] != "Nvidia" || row["is_lead_investor"] != true {
		t.Errorf("row %v: want Nvidia leading Acme AI", row)
	}

	// Refusals name what is wrong.
	if _, stderr, err := run("--format", "xls"); err != errUsage || !strings.Contains(stderr, `format "xls"`) {
		t.Errorf("--format xls: %v, %q", err, stderr)
	}
	if _, stderr, err := run("--amount-min", "lots"); err != errUsage || !strings.Contains(stderr, "amount_min") {
		t.Errorf("--amount-min lots: %v, %q", err, stderr)
	}
	missing := filepath.Join(t.TempDir(), "no", "such", "dir", "x.csv")
	if _, _, err := run("-o", missing); err == nil || !strings.Contains(err.Error(), "creating the output file") {
		t.Errorf("-o into a missing directory: %v", err)
	}
}
