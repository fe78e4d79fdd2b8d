package sqlite

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dealwire/dealwire/index/indextest"
)

// BenchmarkSearch times the typical queries of [indextest.BenchQueries]
// over 100,000 synthetic records (DEALWIRE_BENCH_RECORDS another count).
// DEALWIRE_BENCH_SQLITE names a file to keep, so that a later run with the
// same count skips the load:
//
//	DEALWIRE_BENCH_SQLITE=/tmp/bench-1m.db DEALWIRE_BENCH_RECORDS=1000000 \
//		go test -run '^$' -bench '^BenchmarkSearch$' -benchtime 1x -timeout 2h ./index/sqlite
//
// scripts/bench-search runs it on both backends.
func BenchmarkSearch(b *testing.B) {
	path := os.Getenv("DEALWIRE_BENCH_SQLITE")
	if path == "" {
		path = filepath.Join(b.TempDir(), "bench.db")
	}
	s, err := Open(b.Context(), Config{Path: path}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	indextest.SearchBenchmark(b, s, 500, 1, 100)
}
