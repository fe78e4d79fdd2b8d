package export

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dealwire/dealwire/index/sqlite"
)

// TestRunWritesTheFileWhole checks that Run renames its temporary file to
// the path only after a complete export, and leaves nothing behind when the
// export fails.
func TestRunWritesTheFileWhole(t *testing.T) {
	s := backends(t, fixture())["sqlite"](t)
	dir := t.TempDir()
	path := filepath.Join(dir, "deals.csv")
	var stdout, stderr bytes.Buffer
	if err := Run(t.Context(), s, Options{Format: FormatCSV, Rows: RowsDeals}, path, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var written int
	if _, err := fmt.Sscanf(stderr.String(), "exported %d rows (deals)", &written); err != nil || !strings.HasSuffix(stderr.String(), "rows/s)\n") {
		t.Fatalf("stderr %q: want the summary line alone (not a terminal: no bar)", stderr.String())
	}
	if lines := strings.Count(string(b), "\n"); written == 0 || lines < written+1 {
		t.Errorf("%s holds %d lines for %d rows written", path, lines, written)
	}
	if stdout.Len() != 0 {
		t.Errorf("an export to a file wrote %d bytes to stdout", stdout.Len())
	}

	// A store that fails: no file at the path, no temporary file beside it.
	broken, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "closed.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	broken.Close()
	failed := filepath.Join(dir, "failed.csv")
	stderr.Reset()
	if err := Run(t.Context(), broken, Options{Format: FormatCSV, Rows: RowsDeals}, failed, &stdout, &stderr); err == nil {
		t.Fatal("exporting from a closed store succeeded")
	}
	if stderr.Len() != 0 {
		t.Errorf("a failed export printed %q, want no summary", stderr.String())
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "deals.csv" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("after a failed export the directory holds %v, want only deals.csv", names)
	}

	// Without a path the rows go to stdout.
	stdout.Reset()
	if err := Run(t.Context(), s, Options{Format: FormatNDJSON, Rows: RowsDeals}, "", &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(stdout.String(), "\n"); n != written {
		t.Errorf("ndjson to stdout: %d lines, want %d", n, written)
	}
	if err := Run(t.Context(), s, Options{Format: FormatCSV, Rows: RowsDeals}, filepath.Join(dir, "missing", "x.csv"), &stdout, &stderr); err == nil ||
		!strings.Contains(err.Error(), "creating the output file") {
		t.Errorf("export into a missing directory: %v, want the error creating the output file", err)
	}
}
