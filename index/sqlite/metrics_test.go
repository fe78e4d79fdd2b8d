package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/obs"
)

// TestBulkMetrics: after RegisterMetrics each write transaction is
// observed under its kind with its document count; before, none is.
func TestBulkMetrics(t *testing.T) {
	s, err := Open(t.Context(), Config{Path: filepath.Join(t.TempDir(), "index.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs, deals := indextest.Records(), indextest.DealRecords()
	s.Index(t.Context(), recs[:1]) // before metrics: not observed, no panic
	reg := prometheus.NewRegistry()
	if err := s.RegisterMetrics(reg); err != nil {
		t.Fatal(err)
	}
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
	got := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			k := mf.GetName()
			for _, lp := range m.GetLabel() {
				k += "," + lp.GetName() + "=" + lp.GetValue()
			}
			got[k+",count"] = float64(m.GetHistogram().GetSampleCount())
			got[k+",sum"] = m.GetHistogram().GetSampleSum()
		}
	}
	for k, want := range map[string]float64{
		obs.MetricBulkDuration + ",backend=sqlite,kind=records,count":  1,
		obs.MetricBulkDuration + ",backend=sqlite,kind=deals,count":    1,
		obs.MetricBulkDocuments + ",backend=sqlite,kind=records,count": 1,
		obs.MetricBulkDocuments + ",backend=sqlite,kind=records,sum":   float64(len(recs)),
		obs.MetricBulkDocuments + ",backend=sqlite,kind=deals,sum":     float64(len(deals)),
	} {
		if got[k] != want {
			t.Errorf("%s = %v, want %v (gathered %v)", k, got[k], want, got)
		}
	}
}
