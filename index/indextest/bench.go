package indextest

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// BenchRecords is how many records [Benchmark] loads.
const BenchRecords = 100_000

// BenchQuery is one of the typical queries [Benchmark] times.
type BenchQuery struct {
	Name string
	Q    index.Query
	// Depth pages this far (in hits) with cursors before timing, to measure
	// a page deep in the results.
	Depth int
}

// BenchQueries are the queries [Benchmark] times.
func BenchQueries() []BenchQuery {
	return []BenchQuery{
		{Name: "text", Q: index.Query{Text: "nvidia"}},
		{Name: "phrase+word", Q: index.Query{Text: `"series b" robotics`}},
		{Name: "investor+usd", Q: index.Query{Investor: "Nvidia", AmountUSD: index.Range{Min: 1e8}, Sort: index.SortDate}},
		{Name: "round+quarter_by_amount", Q: index.Query{Round: "seed", Sort: index.SortAmount,
			PublishedFrom: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC), PublishedTo: time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)}},
		{Name: "facets_all", Q: index.Query{Facets: true}},
		{Name: "text+facets", Q: index.Query{Text: "energy", Facets: true}},
		{Name: "date_page_at_2000", Q: index.Query{Sort: index.SortDate}, Depth: 2000},
		// The same kinds of query with the default min_confidence, which
		// the API and the command line apply unless told otherwise.
		{Name: "conf:investor+usd", Q: index.Query{Investor: "Nvidia", AmountUSD: index.Range{Min: 1e8}, Sort: index.SortDate, MinConfidence: 0.5}},
		{Name: "conf:all_by_amount", Q: index.Query{Sort: index.SortAmount, MinConfidence: 0.5}},
		{Name: "conf:facets_all", Q: index.Query{Facets: true, MinConfidence: 0.5}},
		{Name: "conf:text+facets", Q: index.Query{Text: "energy", Facets: true, MinConfidence: 0.5}},
	}
}

// Benchmark loads [BenchRecords] synthetic records into s, in batches of
// batch written by writers concurrent Index calls (as the index stage's
// workers do), and reports the indexing rate and the p50 and p99 latency of
// each of [BenchQueries] over rounds runs. It does the work once whatever
// b.N is; run it with -benchtime 1x.
//
// DEALWIRE_BENCH_RECORDS overrides the number of records for a quick run.
func Benchmark(b *testing.B, s index.Store, batch, writers, rounds int) {
	n := BenchRecords
	if v, err := strconv.Atoi(os.Getenv("DEALWIRE_BENCH_RECORDS")); err == nil && v > 0 {
		n = v
	}
	recs := SyntheticRecords(n, 1)
	var bytes int
	for _, r := range recs {
		bytes += len(r.Article.Text) + len(r.Article.Title)
	}
	b.ResetTimer()
	start := time.Now()
	var g errgroup.Group
	g.SetLimit(writers)
	for i := 0; i < len(recs); i += batch {
		chunk := recs[i:min(i+batch, len(recs))]
		g.Go(func() error {
			for k, err := range s.Index(b.Context(), chunk) {
				if err != nil {
					return fmt.Errorf("indexing record %d: %w", i+k, err)
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	if err := s.Refresh(b.Context()); err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	b.StopTimer()
	rate := float64(len(recs)) / took.Seconds()
	b.ReportMetric(rate, "records/s")
	b.Logf("indexed %d records (%.0f MB of text) in %v: %.0f records/s, batches of %d, %d writers",
		len(recs), float64(bytes)/1e6, took.Round(time.Millisecond), rate, batch, writers)

	for _, bq := range BenchQueries() {
		qstart := time.Now()
		p50, p99, _, d := timeQuery(b, s, bq, rounds)
		total := d.total
		b.ReportMetric(float64(p50.Microseconds())/1000, bq.Name+"-p50-ms")
		b.ReportMetric(float64(p99.Microseconds())/1000, bq.Name+"-p99-ms")
		b.Logf("%-24s total %6d  p50 %8.2fms  p99 %8.2fms  (%d runs in %v)", bq.Name, total,
			float64(p50.Microseconds())/1000, float64(p99.Microseconds())/1000, rounds, time.Since(qstart).Round(time.Millisecond))
	}
}

var (
	benchWords = strings.Fields(`the company said its platform customers growth market revenue software data cloud
		startup founders team product launch expand europe asia america hiring engineers model training compute
		infrastructure energy solar battery storage grid robotics logistics health biotech drug clinical trial
		payments fintech bank lending insurance climate carbon hydrogen nuclear fusion chips semiconductor design
		security identity developer tools open source agents enterprise consumer retail mobility electric vehicles
		charging satellites defense space quantum materials manufacturing supply chain agriculture food water`)
	benchInvestors = []string{"Nvidia", "Sequoia Capital", "Andreessen Horowitz", "SoftBank", "Tiger Global",
		"Accel", "Index Ventures", "Lightspeed", "General Catalyst", "Insight Partners", "Thrive Capital",
		"Coatue", "BlackRock", "Microsoft", "Google", "Amazon", "Khosla Ventures", "Founders Fund", "Balderton",
		"Atomico", "Mizuho", "Temasek", "GIC", "Mubadala", "Breakthrough Energy Ventures"}
	benchRounds     = []string{"pre-seed", "seed", "series a", "series b", "series c", "series d", "growth", "debt", "grant"}
	benchCurrencies = []struct {
		code string
		sym  string
		p    float64
	}{{"USD", "$", 0.70}, {"EUR", "€", 0.15}, {"GBP", "£", 0.08}, {"INR", "₹", 0.04}, {"JPY", "¥", 0.03}}
)

// SyntheticRecords returns n deterministic, realistic-looking records: the
// first n of [Synthetic] with this seed.
func SyntheticRecords(n int, seed uint64) []news.Record {
	g := NewSynthetic(seed)
	out := make([]news.Record, n)
	for i := range out {
		out[i] = g.Next()
	}
	return out
}
