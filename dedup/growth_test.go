package dedup

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/dealwire/dealwire/bus"
)

// BenchmarkCanonicalGrowth registers b.N distinct articles (random
// fingerprints, so no two are near) into one index and reports what a
// registration costs once the index holds them: the mean size of a band
// key's value and the time of the last tenth of the registrations. The
// band keys grow with the index (up to MaxEntries members each), and every
// registration reads and rewrites Bands of them.
//
//	go test -run '^$' -bench CanonicalGrowth -benchtime 20000x ./dedup
func BenchmarkCanonicalGrowth(b *testing.B) {
	x := replicas(b, 1)[0]
	ctx := b.Context()
	r := rand.New(rand.NewPCG(1, 2))
	lastTenth := b.N - b.N/10
	var tail time.Duration
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if _, err := x.Canonical(ctx, fmt.Sprintf("%032x", i), r.Uint64()); err != nil {
			b.Fatal(err)
		}
		if i >= lastTenth {
			tail += time.Since(start)
		}
	}
	b.StopTimer()
	keys := x.bandKeys(r.Uint64())
	snap, err := bus.GetMany(ctx, x.js, x.cfg.Bucket, keys)
	if err != nil {
		b.Fatal(err)
	}
	members, size := 0, 0
	for _, k := range keys {
		bd, err := decodeBand(k, snap[k])
		if err != nil {
			b.Fatal(err)
		}
		members += len(bd.Members)
		size += len(snap[k].Value)
	}
	b.ReportMetric(float64(members)/float64(len(keys)), "members/band")
	b.ReportMetric(float64(size)/float64(len(keys)), "bytes/band")
	if n := b.N - lastTenth; n > 0 {
		b.ReportMetric(float64(tail.Microseconds())/float64(n), "µs/op-last-tenth")
	}
}
