package elastic

import (
	"testing"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index/indextest"
)

// BenchmarkBulkBody measures turning records into bulk request lines (the
// CPU side of indexing, without Elasticsearch).
//
//	go test -run '^$' -bench BulkBody -benchmem ./index/elastic
func BenchmarkBulkBody(b *testing.B) {
	rates, err := fx.Default()
	if err != nil {
		b.Fatal(err)
	}
	s := &Store{cfg: Config{}.WithDefaults(), rates: rates}
	recs := indextest.SyntheticRecords(1000, 1)
	var bytes int64
	for _, r := range recs {
		d := s.recordLines(r, "index")
		if d.err != nil {
			b.Fatal(d.err)
		}
		bytes += int64(len(d.lines))
	}
	b.SetBytes(bytes / int64(len(recs)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if d := s.recordLines(recs[i%len(recs)], "index"); d.err != nil {
			b.Fatal(d.err)
		}
	}
}
