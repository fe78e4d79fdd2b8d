package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
)

func openTest(t *testing.T) index.Store {
	t.Helper()
	s, err := Open(t.Context(), Config{Path: filepath.Join(t.TempDir(), "index.db")}, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	indextest.Run(t, openTest)
}

// BenchmarkLoad100k loads 100,000 synthetic records and times typical
// queries. It runs only with -bench:
//
//	go test -run '^$' -bench Load100k -benchtime 1x ./index/sqlite
func BenchmarkLoad100k(b *testing.B) {
	s, err := Open(b.Context(), Config{Path: filepath.Join(b.TempDir(), "bench.db")}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	indextest.Benchmark(b, s, 500, 100)
}
