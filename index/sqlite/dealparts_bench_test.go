//go:build linux

package sqlite

import (
	"database/sql"
	"os"
	"runtime"
	"syscall"
	"testing"

	"github.com/dealwire/dealwire/news"
)

// BenchmarkDecodeDeal decodes 5,000 stored deal records of the file
// DEALWIRE_EXPORT_BENCH_DB's deals file (scripts/bench-export loads one;
// skipped without it): whole, without what the rows of deals of an export
// do not read, and only passed over. It reports ns a record, and the CPU
// time of its thread a record (cpu-ns/record), which a busy machine
// changes much less than the time.
func BenchmarkDecodeDeal(b *testing.B) {
	path := os.Getenv("DEALWIRE_EXPORT_BENCH_DB")
	if path == "" {
		b.Skip("DEALWIRE_EXPORT_BENCH_DB is not set")
	}
	db, err := sql.Open("sqlite", Config{Path: path}.dealsPath()+"?_pragma=query_only(1)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(b.Context(), "SELECT record FROM records ORDER BY rid LIMIT 5000")
	if err != nil {
		b.Fatal(err)
	}
	var raws []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			b.Fatal(err)
		}
		raws = append(raws, s)
	}
	if err := rows.Close(); err != nil {
		b.Fatal(err)
	}
	if len(raws) == 0 {
		b.Fatalf("%s holds no deal records", path)
	}
	// What export.unread lists for deal rows.
	dealRows, err := parseOmit([]string{"key", "company_key", "anchors",
		"sources.deal_index", "sources.title", "sources.published_at", "sources.authority", "sources.extracted_at", "sources.outlet",
		"sources.deal.company", "sources.deal.round", "sources.deal.valuation", "sources.deal.investors", "sources.deal.capacity",
		"sources.deal.acquirer", "sources.deal.confidence"})
	if err != nil {
		b.Fatal(err)
	}
	run := func(name string, f func(raw string) error) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			cpu0 := threadCPU(b)
			n := 0
			for b.Loop() {
				for _, raw := range raws {
					if err := f(raw); err != nil {
						b.Fatal(err)
					}
				}
				n += len(raws)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/record")
			b.ReportMetric(float64(threadCPU(b)-cpu0)/float64(n), "cpu-ns/record")
		})
	}
	run("whole", func(raw string) error { var dr news.DealRecord; return decodeDeal(raw, &dr) })
	run("deal-rows", func(raw string) error { var dr news.DealRecord; return decodeDealOmitting(raw, &dr, dealRows) })
	run("skip", func(raw string) error { d := dealDecoder{s: raw}; return d.skip() })
}

// threadCPU is the CPU time of the calling thread in ns.
func threadCPU(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_THREAD, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
