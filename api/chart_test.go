package api

import (
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/index/sqlite"
)

func TestChart(t *testing.T) {
	store, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "chart.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	fillPageStore(t, store)
	srv := httptest.NewServer(NewHandler(Config{}, store, nil, prometheus.NewRegistry()))
	t.Cleanup(srv.Close)

	tests := []struct {
		name, query string
		want        []ChartMonth
	}{
		// Helio Grid is one resolved deal of two reports: counted once, at
		// the chosen amount.
		{"every deal", "", []ChartMonth{{"2026-03", 1, 40e6, 0}, {"2026-04", 1, 9e6, 0}, {"2026-05", 1, 13e6, 0}}},
		{"an investor", "investor=Accel", []ChartMonth{{"2026-03", 1, 40e6, 0}, {"2026-04", 1, 9e6, 0}}},
		// April has no deal of Index Ventures: it is there, empty, so that
		// bars stand in time order with their gaps.
		{"a gap", "investor=Index+Ventures", []ChartMonth{{"2026-03", 1, 40e6, 0}, {"2026-04", 0, 0, 0}, {"2026-05", 1, 13e6, 0}}},
		{"nothing", "round=grant", []ChartMonth{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := get(t, srv.URL+"/api/chart?"+tt.query)
			if status != 200 {
				t.Fatalf("status %d: %s", status, body)
			}
			var c Chart
			if err := json.Unmarshal([]byte(body), &c); err != nil {
				t.Fatalf("decoding %s: %v", body, err)
			}
			if diff := cmp.Diff(tt.want, c.Months); diff != "" {
				t.Errorf("months (-want +got):\n%s", diff)
			}
			n := 0
			for _, m := range tt.want {
				n += m.Deals
			}
			if c.Of != "deals" || c.Deals != n || c.Partial {
				t.Errorf("of %q, %d deals, partial %v; want deals, %d, false", c.Of, c.Deals, c.Partial, n)
			}
		})
	}
	if status, _, body := get(t, srv.URL+"/api/chart?min_confidence=2"); status != 400 {
		t.Errorf("min_confidence=2: status %d %s, want 400", status, body)
	}
}
