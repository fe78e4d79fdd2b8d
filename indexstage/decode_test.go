package indexstage

import (
	"encoding/json"
	"testing"

	"github.com/dealwire/dealwire/index/indextest"
)

// BenchmarkDecodeRecord measures decoding the records the stage takes
// from RECORDS, the stage's own CPU work besides the store's.
//
//	go test -run '^$' -bench DecodeRecord -benchmem ./indexstage
func BenchmarkDecodeRecord(b *testing.B) {
	recs := indextest.SyntheticRecords(1000, 1)
	raws := make([][]byte, len(recs))
	var size int64
	for i, r := range recs {
		raw, err := json.Marshal(r)
		if err != nil {
			b.Fatal(err)
		}
		raws[i] = raw
		size += int64(len(raw))
	}
	b.SetBytes(size / int64(len(raws)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := decodeRecord(raws[i%len(raws)]); err != nil {
			b.Fatal(err)
		}
	}
}
