package indextest

import (
	"fmt"
	"hash/fnv"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// SearchBenchRecords is how many records [SearchBenchmark] searches
// unless DEALWIRE_BENCH_RECORDS says otherwise.
const SearchBenchRecords = 100_000

// SearchBenchmark times [BenchQueries] over the first n records of
// [Synthetic] seed 1 (n from DEALWIRE_BENCH_RECORDS, default
// [SearchBenchRecords]): the p50 and p99 latency of each over rounds runs
// (DEALWIRE_BENCH_ROUNDS overrides it), after three untimed runs that warm
// the caches. It does the work once whatever b.N is; run it with
// -benchtime 1x.
//
// s is loaded first, in batches of batch written by writers concurrent
// Index calls, unless it already holds exactly n records: a store kept
// from an earlier run (a million records take a quarter of an hour to
// load) is searched as it is. A store with more records than n is refused.
//
// Besides the metrics, it prints one line per query (to standard output:
// a benchmark's log keeps only ten lines) with the CPU time this
// process spent per run (all of it, for an embedded store; only the
// client's for a server), the total and a digest of the hits' ids and of
// the facets, so that two backends can be checked for the same answers
// (scripts/bench-search compares them).
func SearchBenchmark(b *testing.B, s index.Store, batch, writers, rounds int) {
	n := SearchBenchRecords
	if v, err := strconv.Atoi(os.Getenv("DEALWIRE_BENCH_RECORDS")); err == nil && v > 0 {
		n = v
	}
	if v, err := strconv.Atoi(os.Getenv("DEALWIRE_BENCH_ROUNDS")); err == nil && v > 0 {
		rounds = v
	}
	res, err := s.Search(b.Context(), index.Query{Size: 1})
	if err != nil {
		b.Fatal(err)
	}
	switch {
	case res.Total > n:
		b.Fatalf("the store holds %d records, more than the %d to search: use another file or index", res.Total, n)
	case res.Total < n:
		start, cpu := time.Now(), processCPU()
		if err := loadSynthetic(b, s, n, batch, writers); err != nil {
			b.Fatal(err)
		}
		took, cpu := time.Since(start), processCPU()-cpu
		fmt.Printf("loaded %d records in %v (%.1f s of CPU in this process): %.0f records/s, batches of %d, %d writers\n",
			n, took.Round(time.Millisecond), cpu.Seconds(), float64(n)/took.Seconds(), batch, writers)
	default:
		fmt.Printf("searching the %d records already stored\n", n)
	}
	b.ResetTimer()
	for _, bq := range BenchQueries() {
		p50, p99, cpu, dig := timeQuery(b, s, bq, rounds)
		b.ReportMetric(float64(p50.Microseconds())/1000, bq.Name+"-p50-ms")
		b.ReportMetric(float64(p99.Microseconds())/1000, bq.Name+"-p99-ms")
		fmt.Printf("query %-24s total %7d  p50 %8.2fms  p99 %8.2fms  cpu %8.2fms  digest %s\n", bq.Name, dig.total,
			float64(p50.Microseconds())/1000, float64(p99.Microseconds())/1000, float64(cpu.Microseconds())/1000, dig)
	}
}

// loadSynthetic indexes the first n records of [Synthetic] seed 1 into s,
// generating them a batch at a time, so that memory holds at most writers
// batches whatever n is.
func loadSynthetic(b *testing.B, s index.Store, n, batch, writers int) error {
	g, ctx := errgroup.WithContext(b.Context())
	batches := make(chan []news.Record)
	g.Go(func() error {
		defer close(batches)
		gen := NewSynthetic(1)
		for i := 0; i < n; i += batch {
			chunk := make([]news.Record, min(batch, n-i))
			for k := range chunk {
				chunk[k] = gen.Next()
			}
			select {
			case batches <- chunk:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	for range writers {
		g.Go(func() error {
			for chunk := range batches {
				for k, err := range s.Index(ctx, chunk) {
					if err != nil {
						return fmt.Errorf("indexing record %s: %w", chunk[k].Article.ID, err)
					}
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return s.Refresh(b.Context())
}

// digest sums up one answer: its total, and hashes of its hits' ids and of
// its facets.
type digest struct {
	total        int
	hits, facets uint32
}

func (d digest) String() string { return fmt.Sprintf("%d/%08x/%08x", d.total, d.hits, d.facets) }

// timeQuery runs bq rounds times (after paging to its depth, and three
// warming runs) and returns the median and 99th percentile latency and the
// CPU time of the process per run.
func timeQuery(b *testing.B, s index.Store, bq BenchQuery, rounds int) (p50, p99, cpu time.Duration, d digest) {
	q := bq.Q
	q.Size = 20
	for seen := 0; seen < bq.Depth; seen += q.Size {
		res, err := s.Search(b.Context(), q)
		if err != nil {
			b.Fatalf("%s: paging: %v", bq.Name, err)
		}
		q.After = res.Next
	}
	lat := make([]time.Duration, 0, rounds)
	var cpu0 time.Duration
	for i := range rounds + 3 {
		if i == 3 {
			cpu0 = processCPU()
		}
		t0 := time.Now()
		res, err := s.Search(b.Context(), q)
		took := time.Since(t0)
		if err != nil {
			b.Fatalf("%s: %v", bq.Name, err)
		}
		if i >= 3 {
			lat = append(lat, took)
		}
		d = answerDigest(res, bq.Q.Text == "" || bq.Q.Sort != index.SortRelevance && bq.Q.Sort != "")
	}
	cpu = (processCPU() - cpu0) / time.Duration(rounds)
	slices.Sort(lat)
	return lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)], cpu, d
}

// answerDigest hashes res. The backends score relevance differently, so
// the ids of the hits count only when ordered says that the query fixes
// their order (a date or amount sort, or no text).
func answerDigest(res index.Result, ordered bool) digest {
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	if !ordered {
		ids = nil
	}
	h := fnv.New32a()
	for _, id := range ids {
		fmt.Fprintln(h, id)
	}
	f := fnv.New32a()
	if res.Facets != nil {
		fmt.Fprintf(f, "%v", *res.Facets)
	}
	return digest{total: res.Total, hits: h.Sum32(), facets: f.Sum32()}
}
