package api

import (
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

func TestChartView(t *testing.T) {
	var c Chart
	for i := range 30 {
		m := ChartMonth{Month: time.Date(2024, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")}
		if i%2 == 0 {
			m.Deals, m.AmountUSD = i+1, float64(i)*1e6
		}
		c.Months = append(c.Months, m)
		c.Deals += m.Deals
	}
	v := newChartView(c)
	if len(v.Bars) != 30 || len(v.Dots) != 30 || strings.Count(v.Line, ",") != 30 {
		t.Fatalf("%d bars, %d dots, %d line points; want 30 of each", len(v.Bars), len(v.Dots), strings.Count(v.Line, ","))
	}
	if len(v.Labels) > 12 || v.Labels[0].Text != "2024-01" {
		t.Errorf("%d month labels from %q, want at most 12 from 2024-01", len(v.Labels), v.Labels[0].Text)
	}
	// The busiest month (29 deals, the 29th) fills the height; an empty one has no bar.
	if v.MaxDeals != 29 || v.Bars[28].H != "136.0" || v.Bars[28].Y != "10.0" || v.Bars[1].H != "0.0" {
		t.Errorf("max %d, busiest bar %s high at %s, empty bar %s high; want 29, 136.0 at 10.0, 0.0", v.MaxDeals, v.Bars[28].H, v.Bars[28].Y, v.Bars[1].H)
	}
	if v.MaxAmount != "$28M" || v.Bars[28].Title != "2026-05: 29 deals, $28M" {
		t.Errorf("amount scale %q, busiest title %q", v.MaxAmount, v.Bars[28].Title)
	}
	if e := newChartView(Chart{Of: "articles"}); !e.Empty || e.Of != "deals of the matching articles" {
		t.Errorf("empty chart view %+v", e)
	}
}
