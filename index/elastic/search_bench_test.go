package elastic

import (
	"os"
	"testing"
	"time"

	"github.com/dealwire/dealwire/index/indextest"
)

// BenchmarkSearch times the typical queries of [indextest.BenchQueries]
// over 100,000 synthetic records (DEALWIRE_BENCH_RECORDS another count).
// DEALWIRE_BENCH_ES_INDEX names an alias to keep, so that a later run with
// the same count skips the load; without it the index is deleted after:
//
//	DEALWIRE_ES_URL=http://127.0.0.1:9200 DEALWIRE_BENCH_ES_INDEX=bench-1m DEALWIRE_BENCH_RECORDS=1000000 \
//		go test -run '^$' -bench '^BenchmarkSearch$' -benchtime 1x -timeout 2h ./index/elastic
//
// scripts/bench-search runs it on both backends.
func BenchmarkSearch(b *testing.B) {
	name, keep := os.LookupEnv("DEALWIRE_BENCH_ES_INDEX")
	if !keep || name == "" {
		name, keep = uniqueIndex(b), false
	}
	s, err := New(b.Context(), Config{URLs: []string{indextest.ElasticURL(b)}, Index: name}, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	if !keep {
		defer func() {
			ctx, cancel := contextWithTimeout(time.Minute)
			defer cancel()
			if err := s.Delete(ctx); err != nil {
				b.Error(err)
			}
		}()
	}
	indextest.SearchBenchmark(b, s, 500, 2, 100)
}
