package export

import (
	"bufio"
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/elastic"
	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/index/sqlite"
	"github.com/dealwire/dealwire/news"
)

// store is a deal index under test.
type store interface {
	index.DealStore
	Refresh(ctx context.Context) error
}

// backends returns the deal stores the tests run against, each loaded with
// deals: SQLite always; Elasticsearch at DEALWIRE_ES_URL (skipped without
// it, unless CI=true).
func backends(t *testing.T, deals []news.DealRecord) map[string]func(t *testing.T) store {
	load := func(t *testing.T, s store) store {
		t.Helper()
		for i, err := range s.IndexDeals(t.Context(), deals) {
			if err != nil {
				t.Fatalf("indexing deal %s: %v", deals[i].ID, err)
			}
		}
		if err := s.Refresh(t.Context()); err != nil {
			t.Fatalf("refreshing: %v", err)
		}
		return s
	}
	return map[string]func(t *testing.T) store{
		"sqlite": func(t *testing.T) store {
			s, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "export.db")}, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return load(t, s)
		},
		"elasticsearch": func(t *testing.T) store {
			u := os.Getenv("DEALWIRE_ES_URL")
			if u == "" {
				if os.Getenv("CI") == "true" {
					t.Fatal("DEALWIRE_ES_URL is not set and CI=true: the Elasticsearch export tests must run (scripts/test sets it)")
				}
				t.Skip("DEALWIRE_ES_URL is not set")
			}
			b := make([]byte, 6)
			_, _ = crand.Read(b)
			s, err := elastic.New(t.Context(), elastic.Config{URLs: []string{u}, Index: "dealwire-export-test-" + hex.EncodeToString(b)}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				if err := s.Delete(ctx); err != nil {
					t.Errorf("deleting test index: %v", err)
				}
				s.Close()
			})
			return load(t, s)
		},
	}
}

// fixture is the conformance suite's resolved deals plus synthetic ones,
// which carry spans, valuations, power figures and several currencies.
func fixture() []news.DealRecord {
	deals := indextest.DealRecords()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 9 {
		deals = append(deals, syntheticDeal(rng, i))
	}
	return deals
}

// wantDeals is what an export of deals must hold, newest first: the
// fixture's deals that q shows.
func wantDeals(deals []news.DealRecord, minConf float64) []news.DealRecord {
	q := index.Query{MinConfidence: minConf}
	var out []news.DealRecord
	for _, d := range deals {
		if q.Shows(d.Confidence) {
			out = append(out, d)
		}
	}
	slices.SortStableFunc(out, func(a, b news.DealRecord) int {
		if c := b.AnnouncedAt.Compare(a.AnnouncedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// table is an export read back: one map of canonical cell texts per row
// (see canon), and the column names in file order.
type table struct {
	cols []string
	rows []map[string]string
}

// wantTable builds the rows of kind r from deals in memory and renders
// them like canon does for a file read back.
func wantTable[T any](t *testing.T, deals []news.DealRecord, build func([]T, *news.DealRecord) []T) table {
	t.Helper()
	var rows []T
	for i := range deals {
		rows = build(rows, &deals[i])
	}
	cols := Columns[T]()
	var tb table
	for _, c := range cols {
		tb.cols = append(tb.cols, c.Name)
	}
	for i := range rows {
		v := reflect.ValueOf(rows[i])
		m := map[string]string{}
		for _, c := range cols {
			f := v.Field(c.field)
			switch {
			case c.Type == "list":
				m[c.Name] = strings.Join(f.Interface().([]string), "; ")
			case c.Optional && f.IsZero():
				m[c.Name] = ""
			default:
				if f.Kind() == reflect.Pointer {
					f = f.Elem()
				}
				switch c.Type {
				case "date":
					m[c.Name] = time.Unix(f.Int()*86400, 0).UTC().Format(time.DateOnly)
				case "timestamp":
					m[c.Name] = f.Interface().(time.Time).UTC().Format(time.RFC3339Nano)
				case "number":
					m[c.Name] = strconv.FormatFloat(f.Float(), 'g', -1, 64)
				case "integer":
					m[c.Name] = strconv.FormatInt(f.Int(), 10)
				case "boolean":
					m[c.Name] = strconv.FormatBool(f.Bool())
				default:
					m[c.Name] = f.String()
				}
			}
		}
		tb.rows = append(tb.rows, m)
	}
	return tb
}

// canon renders a value read back from a file (a CSV field, or a decoded
// JSON value) as wantTable renders the value written.
func canon(t *testing.T, c Column, v any) string {
	t.Helper()
	if v == nil {
		return ""
	}
	switch c.Type {
	case "list":
		if s, ok := v.(string); ok { // CSV
			return s
		}
		var parts []string
		for _, e := range v.([]any) {
			parts = append(parts, e.(string))
		}
		return strings.Join(parts, "; ")
	case "number", "integer":
		var s string
		switch n := v.(type) {
		case string:
			s = n
		case json.Number:
			s = n.String()
		default:
			t.Fatalf("column %s: %T %v is not a number", c.Name, v, v)
		}
		if s == "" {
			return ""
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("column %s: %q is not a number: %v", c.Name, s, err)
		}
		if c.Type == "integer" {
			if f != math.Trunc(f) {
				t.Fatalf("column %s: %q is not an integer", c.Name, s)
			}
			return strconv.FormatInt(int64(f), 10)
		}
		return strconv.FormatFloat(f, 'g', -1, 64)
	case "boolean":
		if b, ok := v.(bool); ok {
			return strconv.FormatBool(b)
		}
		return v.(string)
	case "timestamp":
		s := v.(string)
		if s == "" {
			return ""
		}
		ts, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatalf("column %s: %q is not an RFC 3339 time: %v", c.Name, s, err)
		}
		return ts.UTC().Format(time.RFC3339Nano)
	}
	return v.(string)
}

func readCSV(t *testing.T, cols []Column, b []byte) table {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("reading the CSV back with encoding/csv: %v", err)
	}
	if len(recs) == 0 {
		t.Fatal("CSV has no header line")
	}
	tb := table{cols: recs[0]}
	byName := columnMap(cols)
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, v := range rec {
			m[tb.cols[i]] = canon(t, byName[tb.cols[i]], v)
		}
		tb.rows = append(tb.rows, m)
	}
	return tb
}

func readNDJSON(t *testing.T, cols []Column, b []byte) table {
	t.Helper()
	var tb table
	byName := columnMap(cols)
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			t.Fatalf("reading NDJSON line back with encoding/json: %v\n%s", err, sc.Text())
		}
		if tb.cols == nil {
			tb.cols = jsonKeys(t, sc.Bytes())
		}
		m := map[string]string{}
		for k, v := range obj {
			m[k] = canon(t, byName[k], v)
		}
		tb.rows = append(tb.rows, m)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return tb
}

// jsonKeys returns the keys of a JSON object in the order written.
func jsonKeys(t *testing.T, line []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(line))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// parquetReader returns the command line that reads a Parquet file with
// pyarrow ($DEALWIRE_PYTHON, default python3). Without pyarrow the test is
// skipped, or fails under CI=true: scripts/test installs it.
func parquetReader(t *testing.T) []string {
	t.Helper()
	py := os.Getenv("DEALWIRE_PYTHON")
	if py == "" {
		py = "python3"
	}
	if out, err := exec.Command(py, "-c", "import pyarrow").CombinedOutput(); err != nil {
		msg := fmt.Sprintf("the Parquet read-back needs pyarrow: %s -c 'import pyarrow': %v\n%s(scripts/test installs it; or pip install pyarrow, or set DEALWIRE_PYTHON)", py, err, out)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	script, err := filepath.Abs(filepath.Join("testdata", "read_parquet.py"))
	if err != nil {
		t.Fatal(err)
	}
	return []string{py, script}
}

// readParquet reads b back with pyarrow and checks each column's type.
func readParquet(t *testing.T, reader []string, cols []Column, b []byte) table {
	t.Helper()
	path := filepath.Join(t.TempDir(), "export.parquet")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(reader[0], append(reader[1:], path)...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("reading the Parquet file back with pyarrow: %v\n%s", err, stderr.String())
	}
	first, rest, _ := bytes.Cut(out, []byte("\n"))
	var head struct {
		Schema map[string]string `json:"schema"`
	}
	if err := json.Unmarshal(first, &head); err != nil {
		t.Fatalf("pyarrow's schema line: %v\n%s", err, first)
	}
	wantType := map[string]string{"string": "string", "number": "double", "integer": "int64", "boolean": "bool",
		"date": "date32[day]", "timestamp": "timestamp[ms, tz=UTC]", "list": "list<element: string not null>"}
	for _, c := range cols {
		if got := head.Schema[c.Name]; got != wantType[c.Type] {
			t.Errorf("parquet column %s: pyarrow reads type %q, want %q", c.Name, got, wantType[c.Type])
		}
	}
	tb := readNDJSON(t, cols, rest)
	return tb
}

func columnMap(cols []Column) map[string]Column {
	m := map[string]Column{}
	for _, c := range cols {
		m[c.Name] = c
	}
	return m
}

// checkTable compares an export read back with the rows expected.
func checkTable(t *testing.T, what string, got, want table) {
	t.Helper()
	if diff := cmp.Diff(want.cols, got.cols); diff != "" {
		t.Errorf("%s: columns (-want +got):\n%s", what, diff)
	}
	if len(got.rows) != len(want.rows) {
		t.Errorf("%s: %d rows, want %d", what, len(got.rows), len(want.rows))
	}
	for i := range min(len(got.rows), len(want.rows)) {
		if diff := cmp.Diff(want.rows[i], got.rows[i]); diff != "" {
			t.Errorf("%s: row %d (-want +got):\n%s", what, i, diff)
		}
	}
}

// TestExportReadBack exports every kind of rows in every format from both
// backends, two deals a page, reads each file back with an independent
// reader (encoding/csv, encoding/json, pyarrow) and compares every value
// with the rows built from the deals in memory.
func TestExportReadBack(t *testing.T) {
	deals := fixture()
	rates, err := fx.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := newConverter(rates)
	want := wantDeals(deals, 0)
	for name, open := range backends(t, deals) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			var reader []string
			for _, f := range []Format{FormatCSV, FormatNDJSON, FormatParquet} {
				if f == FormatParquet {
					reader = parquetReader(t)
				}
				for _, r := range []Rows{RowsDeals, RowsInvestors, RowsAmounts} {
					var buf bytes.Buffer
					var calls int
					p, err := Export(t.Context(), &buf, s, Options{Format: f, Rows: r, PageSize: 2, Rates: rates,
						Progress: func(Progress) { calls++ }})
					if err != nil {
						t.Fatalf("export %s %s: %v", f, r, err)
					}
					var tw table
					var cols []Column
					switch r {
					case RowsDeals:
						tw, cols = wantTable(t, want, c.appendDeal), Columns[DealRow]()
					case RowsInvestors:
						tw = wantTable(t, want, func(rows []InvestorRow, dr *news.DealRecord) []InvestorRow { return c.appendInvestors(rows, dr, nil) })
						cols = Columns[InvestorRow]()
					case RowsAmounts:
						tw, cols = wantTable(t, want, c.appendAmounts), Columns[AmountRow]()
					}
					var got table
					switch f {
					case FormatCSV:
						got = readCSV(t, cols, buf.Bytes())
					case FormatNDJSON:
						got = readNDJSON(t, cols, buf.Bytes())
					case FormatParquet:
						got = readParquet(t, reader, cols, buf.Bytes())
					}
					what := fmt.Sprintf("%s %s", f, r)
					checkTable(t, what, got, tw)
					if p.Deals != len(want) || p.Total != len(want) || p.Written != len(tw.rows) || p.Bytes != int64(buf.Len()) {
						t.Errorf("%s: summary %+v, want %d deals of %d, %d rows, %d bytes", what, p, len(want), len(want), len(tw.rows), buf.Len())
					}
					if pages := (len(want) + 1) / 2; calls < pages {
						t.Errorf("%s: progress called %d times for %d pages", what, calls, pages)
					}
				}
			}
		})
	}
}

// TestExportValues pins the columns of known deals, so that a mistake made
// alike in the rows and in the test's expectations still shows.
func TestExportValues(t *testing.T) {
	rates, err := fx.Parse(strings.NewReader("date\t2024-06-30\nEUR\t1.07\nGBP\t1.26\nJPY\t0.0062\n"))
	if err != nil {
		t.Fatal(err)
	}
	deals := fixture()
	for name, open := range backends(t, deals) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			rows := func(r Rows, q index.Query) table {
				t.Helper()
				var buf bytes.Buffer
				if _, err := Export(t.Context(), &buf, s, Options{Format: FormatNDJSON, Rows: r, Query: q, Rates: rates}); err != nil {
					t.Fatalf("export %s: %v", r, err)
				}
				var cols []Column
				switch r {
				case RowsDeals:
					cols = Columns[DealRow]()
				case RowsInvestors:
					cols = Columns[InvestorRow]()
				default:
					cols = Columns[AmountRow]()
				}
				return readNDJSON(t, cols, buf.Bytes())
			}
			find := func(tb table, col, val string) []map[string]string {
				var out []map[string]string
				for _, r := range tb.rows {
					if r[col] == val {
						out = append(out, r)
					}
				}
				return out
			}
			all := rows(RowsDeals, index.Query{})
			acme := find(all, "deal_id", "d1")
			if len(acme) != 1 {
				t.Fatalf("deal d1 (Acme AI): %d rows", len(acme))
			}
			for col, want := range map[string]string{
				"company": "Acme AI", "round": "series c", "announced_on": "2024-01-15",
				"money_raised": "2e+09", "money_raised_currency_code": "USD", "money_raised_usd": "2e+09", "fx_rate": "1", "fx_date": "",
				"post_money_valuation": "2e+10", "pre_money_valuation": "", "valuation_basis": "post-money",
				"lead_investors": "Nvidia", "investors": "Nvidia; Sequoia Capital", "confidence": "0.9",
				"source_count": "2", "source_outlets": "techcrunch; reuters",
				"source_urls":  "https://example.com/r1; https://example.com/x1",
				"evidence":     "Acme AI raised $2 billion in a Series C round led by Nvidia.",
				"evidence_url": "https://example.com/r1", "extractor_version": "test-1",
			} {
				if got := acme[0][col]; got != want {
					t.Errorf("d1 %s = %q, want %q", col, got, want)
				}
			}
			beta := find(all, "deal_id", "d2")
			eur := 500e6 // a variable: the product of constants would be exact
			if len(beta) != 1 || beta[0]["money_raised_currency_code"] != "EUR" || beta[0]["fx_rate"] != "1.07" ||
				beta[0]["fx_date"] != "2024-06-30" || beta[0]["money_raised_usd"] != strconv.FormatFloat(eur*1.07, 'g', -1, 64) {
				t.Errorf("d2 (Beta, €500m) converted with the table of 2024-06-30 at 1.07: %v", beta)
			}
			// A synthetic deal carries offsets: the evidence sentence starts
			// after "Today, " in its article.
			syn := find(all, "deal_id", "deal0000000")
			if len(syn) != 1 || syn[0]["evidence_start"] != "7" ||
				syn[0]["evidence_end"] != strconv.Itoa(7+len(syn[0]["evidence"])) {
				t.Errorf("synthetic deal 0: evidence offsets %v", syn)
			}

			// The default threshold of searches hides d4 (confidence 0.2).
			if got := rows(RowsDeals, index.Query{MinConfidence: 0.5}); len(find(got, "deal_id", "d4")) != 0 || len(got.rows) != len(all.rows)-1 {
				t.Errorf("min_confidence 0.5: %d of %d deals, d4 among them: %v", len(got.rows), len(all.rows), find(got, "deal_id", "d4"))
			}

			// With a deal filter too: SoftBank led Delta (d4).
			if got := rows(RowsDeals, index.Query{LeadInvestor: "softbank", Company: "delta", MinConfidence: 0.5}); len(got.rows) != 0 {
				t.Errorf("lead investor softbank at 0.5: %d deals, want none (d4 is 0.2)", len(got.rows))
			}
			if got := rows(RowsDeals, index.Query{LeadInvestor: "softbank", Company: "delta", MinConfidence: 0.2}); len(got.rows) != 1 || got.rows[0]["deal_id"] != "d4" {
				t.Errorf("lead investor softbank at 0.2: %v, want d4", got.rows)
			}

			// Investor rows of an investor filter are that investor's only.
			inv := rows(RowsInvestors, index.Query{Investor: "nvidia"})
			if len(inv.rows) == 0 {
				t.Fatal("no investor rows for nvidia")
			}
			for _, r := range inv.rows {
				if r["investor_name"] != "Nvidia" {
					t.Errorf("investor filter nvidia: row of %q (deal %s)", r["investor_name"], r["deal_id"])
				}
			}
			lead := find(inv, "deal_id", "d1")
			if len(lead) != 1 || lead[0]["is_lead_investor"] != "true" || lead[0]["source_url"] != "https://example.com/r1" {
				t.Errorf("Nvidia in d1: %v, want one lead row from https://example.com/r1", lead)
			}

			// Amount rows: each source's figure, the chosen one marked.
			am := find(rows(RowsAmounts, index.Query{Company: "acme ai"}), "kind", KindMoneyRaised)
			if len(am) != 2 || am[0]["value"] != "2e+09" || am[0]["chosen"] != "true" || am[0]["text"] != "$2 billion" ||
				am[0]["source_outlet"] != "techcrunch" || am[1]["source_outlet"] != "reuters" {
				t.Errorf("amounts raised of Acme AI: %v, want 2e+09 from techcrunch and reuters, chosen", am)
			}
		})
	}
}

// TestExportErrors: bad options are refused before anything is written, a
// failing index names what failed.
func TestExportErrors(t *testing.T) {
	var buf bytes.Buffer
	if _, err := Export(t.Context(), &buf, nil, Options{Format: "xlsx"}); err == nil || !strings.Contains(err.Error(), `format "xlsx": want csv, ndjson or parquet`) {
		t.Errorf("format xlsx: %v", err)
	}
	if _, err := Export(t.Context(), &buf, nil, Options{Rows: "people"}); err == nil || !strings.Contains(err.Error(), `rows "people"`) {
		t.Errorf("rows people: %v", err)
	}
	if buf.Len() != 0 {
		t.Errorf("refused exports wrote %q", buf.String())
	}
	s, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "x.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Export(t.Context(), &buf, s, Options{})
	if err == nil || !strings.Contains(err.Error(), "reading deals from the index after 0 of them") || errors.Is(err, ErrIncomplete) {
		t.Errorf("closed store: %v, want a read error that is not ErrIncomplete (nothing was written)", err)
	}
}

func TestBar(t *testing.T) {
	var buf bytes.Buffer
	b := &Bar{W: &buf, Every: time.Hour, Width: 10}
	b.Update(Progress{Total: 200, Read: 100, Deals: 90, Written: 150, Bytes: 3 << 20, Elapsed: 1500 * time.Millisecond})
	b.Update(Progress{Total: 200, Read: 150}) // within Every: not drawn
	want := "\r\x1b[K[=====>    ]  50%  100/200 deals  150 rows  3.0 MiB  1.5s"
	if got := buf.String(); got != want {
		t.Errorf("bar:\n got %q\nwant %q", got, want)
	}
	b.Clear()
	if !strings.HasSuffix(buf.String(), "\r\x1b[K") {
		t.Errorf("Clear did not erase the line: %q", buf.String())
	}
	if got := (Progress{Format: FormatCSV, Rows: RowsDeals, Deals: 10, Written: 10, Bytes: 2048, Elapsed: 2 * time.Second}).String(); got != "exported 10 rows (deals) from 10 deals, 2.0 KiB of csv in 2s (5 rows/s)" {
		t.Errorf("summary %q", got)
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, in := range []string{"plain", `quote " and \ backslash`, "tab\tnew\nline\r\x01\x1f", "€ 5 • ünïcode", "bad \xff utf8", "\u2028"} {
		got := appendJSONString(nil, in)
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Errorf("%q → %s: not JSON: %v", in, got, err)
			continue
		}
		want := strings.ToValidUTF8(in, "\ufffd")
		if back != want {
			t.Errorf("%q → %s → %q, want %q", in, got, back, want)
		}
	}
}

// TestREADMEColumns checks that the README documents every column.
func TestREADMEColumns(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, cols := range [][]Column{Columns[DealRow](), Columns[InvestorRow](), Columns[AmountRow]()} {
		for _, c := range cols {
			if !strings.Contains(readme, "`"+c.Name+"`") {
				t.Errorf("README.md does not document export column %s", c.Name)
			}
		}
	}
}

// TestExportPagesThroughTies: deals of the same millisecond straddle pages
// (the date bound of the next page is exclusive), and an export bounded by
// a date keeps that bound; every deal comes exactly once.
func TestExportPagesThroughTies(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var deals []news.DealRecord
	same := time.Date(2024, 5, 1, 12, 0, 0, 123e6, time.UTC)
	for i := range 12 {
		d := syntheticDeal(rng, i)
		if i < 7 {
			d.AnnouncedAt = same
		}
		deals = append(deals, d)
	}
	for name, open := range backends(t, deals) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			for _, q := range []index.Query{{}, {PublishedTo: same.Add(time.Millisecond)}} {
				var buf bytes.Buffer
				if _, err := Export(t.Context(), &buf, s, Options{Format: FormatCSV, PageSize: 3, Query: q}); err != nil {
					t.Fatal(err)
				}
				got := readCSV(t, Columns[DealRow](), buf.Bytes())
				var ids []string
				for _, r := range got.rows {
					ids = append(ids, r["deal_id"])
				}
				var want []string
				for _, d := range wantDeals(deals, 0) {
					if q.PublishedTo.IsZero() || d.AnnouncedAt.Before(q.PublishedTo) {
						want = append(want, d.ID)
					}
				}
				if !slices.Equal(ids, want) {
					t.Errorf("to %v: deals\n%v\nwant\n%v", q.PublishedTo, ids, want)
				}
			}
		})
	}
}
