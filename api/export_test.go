package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/index/sqlite"
)

// newExportServer serves the conformance suite's resolved deals with the
// default threshold 0.5, which hides d4 (confidence 0.2).
func newExportServer(t *testing.T) (*httptest.Server, *sqlite.Store) {
	t.Helper()
	store, err := sqlite.Open(t.Context(), sqlite.Config{Path: t.TempDir() + "/export.db"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	for i, err := range store.IndexDeals(t.Context(), indextest.DealRecords()) {
		if err != nil {
			t.Fatalf("indexing deal %d: %v", i, err)
		}
	}
	srv := httptest.NewServer(NewHandler(Config{Search: index.DefaultConfig()}, store, nil, nil))
	t.Cleanup(srv.Close)
	return srv, store
}

func download(t *testing.T, u string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", u, err)
	}
	return resp, b
}

func TestExport(t *testing.T) {
	srv, store := newExportServer(t)

	resp, body := download(t, srv.URL+"/api/export?format=csv")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("csv: %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="dealwire-deals-`) || !strings.HasSuffix(cd, `.csv"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("reading the CSV back: %v", err)
	}
	var ids []string
	for _, r := range recs[1:] {
		ids = append(ids, r[0])
	}
	if strings.Join(ids, " ") != "d5 d3 d2 d1" {
		t.Errorf("csv deals %v, want d5 d3 d2 d1 (newest first; d4 below the default confidence)", ids)
	}

	// The search parameters filter; investor rows of an investor filter are
	// that investor's.
	resp, body = download(t, srv.URL+"/api/export?format=ndjson&rows=investors&investor=Nvidia&amount_usd_min=1bn")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("ndjson: %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	for _, l := range lines {
		var row map[string]any
		if err := json.Unmarshal([]byte(l), &row); err != nil {
			t.Fatalf("ndjson line %q: %v", l, err)
		}
		if row["investor_name"] != "Nvidia" || row["money_raised_usd"].(float64) < 1e9 {
			t.Errorf("row %v: want Nvidia in a deal of at least $1bn", row)
		}
	}
	if len(lines) != 1 {
		t.Errorf("Nvidia in deals over $1bn: %d rows, want 1 (Acme AI):\n%s", len(lines), body)
	}

	resp, body = download(t, srv.URL+"/api/export?format=parquet&rows=amounts&min_confidence=0")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/vnd.apache.parquet" ||
		!bytes.HasPrefix(body, []byte("PAR1")) || !bytes.HasSuffix(body, []byte("PAR1")) {
		t.Errorf("parquet: %d %s, %d bytes framed %q…%q", resp.StatusCode, resp.Header.Get("Content-Type"), len(body), body[:min(4, len(body))], body[max(0, len(body)-4):])
	}

	for _, c := range []struct{ query, want string }{
		{"format=xlsx", `format \"xlsx\": want csv, ndjson or parquet`},
		{"rows=people", `rows \"people\"`},
		{"amount_min=lots", "amount_min"},
	} {
		resp, body := download(t, srv.URL+"/api/export?"+c.query)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), c.want) || resp.Header.Get("Content-Disposition") != "" {
			t.Errorf("%s: %d %s (Content-Disposition %q), want 400 naming %s", c.query, resp.StatusCode, body, resp.Header.Get("Content-Disposition"), c.want)
		}
	}

	// An index that fails before anything is sent gets a 502 that says so.
	store.Close()
	resp, body = download(t, srv.URL+"/api/export")
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(string(body), "exporting deals: reading deals from the index") ||
		resp.Header.Get("Content-Disposition") != "" {
		t.Errorf("closed index: %d %s, want 502 naming the read", resp.StatusCode, body)
	}
}

// TestExportUsesTheProcessRates: the handler converts with the table it is
// given (the index's), not the shipped one.
func TestExportUsesTheProcessRates(t *testing.T) {
	store, err := sqlite.Open(t.Context(), sqlite.Config{Path: t.TempDir() + "/export.db"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	for i, err := range store.IndexDeals(t.Context(), indextest.DealRecords()) {
		if err != nil {
			t.Fatalf("indexing deal %d: %v", i, err)
		}
	}
	rates, err := fx.Parse(strings.NewReader("date\t2030-06-01\nUSD\t1\nEUR\t2\nGBP\t3\nJPY\t0.01\nINR\t0.02\n"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewHandler(Config{Search: index.DefaultConfig(), Rates: rates}, store, nil, nil))
	t.Cleanup(srv.Close)
	resp, body := download(t, srv.URL+"/api/export?format=ndjson&min_confidence=0")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d: %s", resp.StatusCode, body)
	}
	if !strings.Contains(string(body), "2030-06-01") {
		t.Errorf("no row carries the given table's date 2030-06-01:\n%s", body)
	}
}
