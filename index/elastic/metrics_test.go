package elastic

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/obs"
)

// TestBulkMetrics: each _bulk request is timed and sized under its kind.
func TestBulkMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	s, err := New(t.Context(), Config{URLs: []string{indextest.ElasticURL(t)}, Index: uniqueIndex(t)}, nil, reg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := contextWithTimeout(10 * time.Second)
		defer cancel()
		if err := s.Delete(ctx); err != nil {
			t.Errorf("Delete: %v", err)
		}
		s.Close()
	})
	recs, deals := indextest.Records(), indextest.DealRecords()
	for i, err := range s.Index(t.Context(), recs) {
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
	}
	for i, err := range s.IndexDeals(t.Context(), deals) {
		if err != nil {
			t.Fatalf("deal %d: %v", i, err)
		}
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ name, kind string }
	count, sum := map[key]uint64{}, map[key]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			k := key{name: mf.GetName()}
			for _, lp := range m.GetLabel() {
				if lp.GetName() == "kind" {
					k.kind = lp.GetValue()
				}
				if lp.GetName() == "backend" && lp.GetValue() != obs.BackendElasticsearch {
					t.Errorf("%s has backend %q", mf.GetName(), lp.GetValue())
				}
			}
			count[k] += m.GetHistogram().GetSampleCount()
			sum[k] += m.GetHistogram().GetSampleSum()
		}
	}
	for _, tt := range []struct {
		kind string
		docs int
	}{{obs.KindRecords, len(recs)}, {obs.KindDeals, len(deals)}} {
		if n := count[key{obs.MetricBulkDuration, tt.kind}]; n < 1 {
			t.Errorf("%s{kind=%s} has %d samples, want at least one request", obs.MetricBulkDuration, tt.kind, n)
		}
		if got := sum[key{obs.MetricBulkDocuments, tt.kind}]; got != float64(tt.docs) {
			t.Errorf("%s{kind=%s} sums to %v documents, want %d", obs.MetricBulkDocuments, tt.kind, got, tt.docs)
		}
	}
}
