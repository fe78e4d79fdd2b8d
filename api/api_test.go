package api

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/sqlite"
	"github.com/dealwire/dealwire/news"
)

func record(id, title, text string, usd int64) news.Record {
	return news.Record{
		V: news.SchemaVersion,
		Article: news.Article{
			V: news.SchemaVersion, ID: id, URL: "https://example.com/" + id, CanonicalURL: "https://example.com/" + id,
			Source: "example", Title: title, Text: title + "\n" + text,
			PublishedAt: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), FetchedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC),
		},
		ExtractorVersion: "test",
		Extraction: news.Extraction{Deals: []news.Deal{{
			Company: strings.Fields(title)[0], Round: "series a",
			Amount:    &news.Money{Value: news.Decimal{Coef: usd}, Currency: "USD", Text: "$x"},
			Investors: []news.Investor{{Name: "Accel", Canonical: "Accel", Lead: true}},
		}}},
	}
}

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	return newServerWith(t, Config{})
}

// newServerWith serves two indexed records with the API configured by cfg.
func newServerWith(t *testing.T, cfg Config) *httptest.Server {
	t.Helper()
	store, err := sqlite.Open(t.Context(), sqlite.Config{Path: t.TempDir() + "/api.db"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	recs := []news.Record{
		record("a1", "Quillstone raises $40 million", "Quillstone builds warehouse robots.", 40_000_000),
		record("a2", "Brightmoor raises $12 million", "Brightmoor builds heat pumps.", 12_000_000),
	}
	for i, err := range store.Index(t.Context(), recs) {
		if err != nil {
			t.Fatalf("indexing record %d: %v", i, err)
		}
	}
	if err := store.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewHandler(cfg, store, nil, prometheus.NewRegistry()))
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (int, string, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

func TestSearch(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		name      string
		query     string
		wantCode  int
		wantTotal int
		wantFirst string
	}{
		{"full text", "q=heat+pumps", 200, 1, "a2"},
		{"all by amount", "sort=amount", 200, 2, "a1"},
		{"amount filter", "amount_usd_min=20000000", 200, 1, "a1"},
		{"lead investor", "lead_investor=accel&sort=amount", 200, 2, "a1"},
		{"no match", "q=nothing+here", 200, 0, ""},
		{"bad sort", "sort=sideways", 400, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, ctype, body := get(t, srv.URL+"/api/search?"+tt.query)
			if code != tt.wantCode {
				t.Fatalf("status %d, want %d; body %s", code, tt.wantCode, body)
			}
			if !strings.HasPrefix(ctype, "application/json") {
				t.Errorf("content type %q", ctype)
			}
			if code != 200 {
				var e apiError
				if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error == "" {
					t.Errorf("error body %q has no error message", body)
				}
				return
			}
			var res index.Result
			if err := json.Unmarshal([]byte(body), &res); err != nil {
				t.Fatal(err)
			}
			if res.Total != tt.wantTotal || len(res.Hits) != tt.wantTotal {
				t.Fatalf("total %d, hits %d, want %d", res.Total, len(res.Hits), tt.wantTotal)
			}
			if tt.wantFirst != "" && res.Hits[0].ID != tt.wantFirst {
				t.Errorf("first hit %s, want %s", res.Hits[0].ID, tt.wantFirst)
			}
		})
	}
}

func TestArticle(t *testing.T) {
	srv := newServer(t)
	code, _, body := get(t, srv.URL+"/api/articles/a1")
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	var rec news.Record
	if err := json.Unmarshal([]byte(body), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Article.ID != "a1" || rec.Extraction.Deals[0].Amount.Value.Float64() != 40e6 {
		t.Errorf("got %+v", rec)
	}
	code, _, body = get(t, srv.URL+"/api/articles/nope")
	if code != 404 || !strings.Contains(body, `no article with id \"nope\"`) {
		t.Errorf("missing article: status %d body %s", code, body)
	}
}

func TestPageAndHealth(t *testing.T) {
	srv := newServer(t)
	resp, body := getWith(t, srv.URL+"/?sort=amount", "")
	if ctype := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || !strings.HasPrefix(ctype, "text/html") || !strings.Contains(body, "2 matching articles") {
		t.Errorf("page: status %d type %q, want the results in the HTML; body %.300s", resp.StatusCode, ctype, body)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("page CSP %q, want the page's own script only, nothing inline", csp)
	}
	for file, ctype := range map[string]string{"page.css": "text/css", "page.js": "text/javascript"} {
		resp, body := getWith(t, srv.URL+"/static/"+file, "")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), ctype) || len(body) < 100 || resp.Header.Get("ETag") == "" {
			t.Errorf("/static/%s: status %d type %q etag %q, %d bytes", file, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("ETag"), len(body))
		}
	}
	if code, _, _ := get(t, srv.URL+"/static/nothing.js"); code != 404 {
		t.Errorf("unknown static file: status %d, want 404", code)
	}
	if code, _, body := get(t, srv.URL+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("healthz: %d %q", code, body)
	}
	if code, _, _ := get(t, srv.URL+"/metrics"); code != 200 {
		t.Errorf("metrics: status %d", code)
	}
	if code, _, _ := get(t, srv.URL+"/nothing"); code != 404 {
		t.Errorf("unknown path: status %d, want 404", code)
	}
}

func TestDeals(t *testing.T) {
	store, err := sqlite.Open(t.Context(), sqlite.Config{Path: t.TempDir() + "/deals.db"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	rec := record("a1", "Quillstone raises $40 million", "Quillstone builds robots.", 40_000_000)
	dr := news.DealRecord{
		V: news.SchemaVersion, ID: "d1", Key: "quillstone|series a|2026-11-20", Company: "Quillstone", CompanyKey: "quillstone",
		Round: "series a", AnnouncedAt: rec.Article.PublishedAt, Amount: rec.Extraction.Deals[0].Amount,
		Investors: rec.Extraction.Deals[0].Investors,
		Sources:   []news.DealSource{{ArticleID: "a1", URL: rec.Article.URL, Source: "example", Deal: rec.Extraction.Deals[0]}},
	}
	for _, err := range store.IndexDeals(t.Context(), []news.DealRecord{dr}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(NewHandler(Config{}, store, nil, nil))
	t.Cleanup(srv.Close)

	code, _, body := get(t, srv.URL+"/api/deals?investor=accel")
	var res index.DealResult
	if err := json.Unmarshal([]byte(body), &res); err != nil || code != 200 {
		t.Fatalf("status %d, %v: %s", code, err, body)
	}
	if res.Total != 1 || res.Hits[0].Deal.Company != "Quillstone" || len(res.Hits[0].Deal.Sources) != 1 {
		t.Errorf("deals search = %+v", res)
	}
	if code, _, body := get(t, srv.URL+"/api/deals/d1"); code != 200 || !strings.Contains(body, `"company":"Quillstone"`) {
		t.Errorf("GET /api/deals/d1: %d %s", code, body)
	}
	if code, _, _ := get(t, srv.URL+"/api/deals/nope"); code != 404 {
		t.Errorf("GET /api/deals/nope: status %d, want 404", code)
	}
}
