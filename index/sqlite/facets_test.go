package sqlite

import (
	"cmp"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/news"
)

// facetRecords are synthetic records, a tenth of them indexed a second
// time with other deals, plus records whose values and confidences test
// the encoding of record_keys.terms: separators and multi-byte text in
// names, a confidence SQLite writes with an exponent, one at a threshold,
// one value in two deals of one record at two confidences (an upsert).
func facetRecords(t *testing.T, s *Store) []news.Record {
	t.Helper()
	recs := indextest.SyntheticRecords(2000, 9)
	odd := recs[0]
	odd.Article.ID = "odd"
	odd.Extraction.Deals = []news.Deal{
		{Company: "A", Round: "seed", Confidence: 0.3, Investors: []news.Investor{{Name: "x", Canonical: "Fund, 2:|i0.9,3:abc"}}},
		{Company: "B", Round: "seed", Confidence: 0.7, Investors: []news.Investor{{Name: "y", Canonical: "Société Générale"}}},
		{Company: "C", Round: "series a", Confidence: 1.5e-05},
		{Company: "D", Round: "debt", Confidence: 0.55},
	}
	odd.Article.PublishedAt = time.Time{} // fetched date stands in
	recs = append(recs, odd)
	for _, batch := range [][]news.Record{recs[:1000], recs[1000:]} {
		for i, err := range s.Index(t.Context(), batch) {
			if err != nil {
				t.Fatalf("indexing %s: %v", batch[i].Article.ID, err)
			}
		}
	}
	// Overwrite a tenth with the deals of other records: old terms and
	// months must leave the counts, new ones enter them.
	var again []news.Record
	for i := 0; i < 2000; i += 10 {
		r := recs[i]
		r.Extraction.Deals = recs[(i+7)%2000].Extraction.Deals
		r.Article.PublishedAt = recs[(i+3)%2000].Article.PublishedAt
		recs[i] = r
		again = append(again, r)
	}
	for i, err := range s.Index(t.Context(), again) {
		if err != nil {
			t.Fatalf("indexing %s again: %v", again[i].Article.ID, err)
		}
	}
	return recs
}

// wantFacets counts the facets of the records with ids from recs, in Go,
// the way [index.Facets] describes them.
func wantFacets(t *testing.T, recs map[string]news.Record, ids []string, q index.Query) index.Facets {
	t.Helper()
	rates, err := fx.Default()
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]map[string]int{"investor": {}, "round": {}, "currency": {}, "source": {}, "month": {}}
	for _, id := range ids {
		d := index.NewDoc(recs[id], rates)
		seen := map[[2]string]bool{}
		add := func(kind, v string) {
			if v != "" && !seen[[2]string{kind, v}] {
				seen[[2]string{kind, v}] = true
				counts[kind][v]++
			}
		}
		for _, src := range d.Sources {
			add("source", src)
		}
		if !d.Date.IsZero() {
			add("month", d.Date.Format("2006-01"))
		}
		for _, deal := range d.Deals {
			if !q.Shows(deal.Confidence) {
				continue
			}
			add("round", deal.Round)
			add("currency", deal.Currency)
			for _, inv := range deal.Investors {
				add("investor", inv.Canonical)
			}
		}
	}
	buckets := func(kind string) []index.Bucket {
		out := []index.Bucket{}
		for k, n := range counts[kind] {
			out = append(out, index.Bucket{Key: k, Count: n})
		}
		slices.SortFunc(out, func(a, b index.Bucket) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key)) })
		if kind == "month" {
			slices.SortFunc(out, func(a, b index.Bucket) int { return cmp.Compare(a.Key, b.Key) })
			return out
		}
		return out[:min(len(out), index.FacetSize)]
	}
	return index.Facets{Investors: buckets("investor"), Rounds: buckets("round"), Currencies: buckets("currency"),
		Sources: buckets("source"), Months: buckets("month")}
}

// TestFacetsCountTheMatches checks the facets of queries with and without
// conditions, at thresholds that facet_totals answers and at others,
// against counts made in Go from the records that match.
func TestFacetsCountTheMatches(t *testing.T) {
	s := openTest(t).(*Store)
	recs := facetRecords(t, s)
	byID := map[string]news.Record{}
	for _, r := range recs {
		byID[r.Article.ID] = r
	}
	for _, tt := range []struct {
		name string
		q    index.Query
	}{
		{"all", index.Query{}},
		{"text", index.Query{Text: "energy"}},
		{"two words", index.Query{Text: "energy solar"}},
		{"exclusion", index.Query{Text: "-energy"}},
		{"source", index.Query{Source: "source03"}},
		{"dates", index.Query{PublishedFrom: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), PublishedTo: time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)}},
		{"investor", index.Query{Investor: "Nvidia"}},
		{"text and round", index.Query{Text: "raised", Round: "seed"}},
	} {
		for _, minConf := range []float64{0, 1.5e-05, 0.2, 0.5, 0.55, 0.123, 0.99, 1} {
			q := tt.q
			q.MinConfidence = minConf
			t.Run(fmt.Sprintf("%s/min_confidence %g", tt.name, minConf), func(t *testing.T) {
				var ids []string
				page := q
				page.Size = index.MaxSize
				for {
					res, err := s.Search(t.Context(), page)
					if err != nil {
						t.Fatal(err)
					}
					for _, h := range res.Hits {
						ids = append(ids, h.ID)
					}
					if res.Next == "" {
						break
					}
					page.After = res.Next
				}
				q.Facets = true
				res, err := s.Search(t.Context(), q)
				if err != nil {
					t.Fatal(err)
				}
				if res.Total != len(ids) {
					t.Errorf("Total = %d with facets, %d hits without", res.Total, len(ids))
				}
				if diff := gocmp.Diff(wantFacets(t, byID, ids, q), *res.Facets); diff != "" {
					t.Errorf("facets (-counted in Go +searched):\n%s", diff)
				}
			})
		}
	}
}

// TestTotalsBucket checks that thresholds answered from facet_totals draw
// the line where the SQL conditions do: the steps are the 32-bit
// hundredths exactly, and the bucket SQLite computes for a confidence is
// the number of steps it reaches, for 32-bit confidences all over [0, 1]
// and on either side of every step; bucketOf, which the writer counts
// with, agrees.
func TestTotalsBucket(t *testing.T) {
	s := openTest(t).(*Store)
	ctx := t.Context()
	steps := []float32{0} // steps[k] is hundredth k
	for k := 1; k <= 100; k++ {
		steps = append(steps, float32(float64(k)/100))
		var step float64
		if err := s.rec.r.QueryRowContext(ctx, "SELECT step FROM facet_steps WHERE k = ?", k).Scan(&step); err != nil {
			t.Fatal(err)
		}
		if step != float64(steps[k]) {
			t.Errorf("step %d = %v, want %v", k, step, float64(steps[k]))
		}
	}
	var confs []float32
	for _, st := range steps {
		c := st
		for range 3 {
			c = math.Nextafter32(c, 0)
		}
		for range 7 {
			confs = append(confs, c)
			c = math.Nextafter32(c, 2)
		}
	}
	for c := float32(1e-7); c < 1; c *= 1.37 {
		confs = append(confs, c)
	}
	expr := strings.ReplaceAll(bucketNew, "new.confidence", "?1")
	for _, c := range confs {
		if c < 0 || c > 1 {
			continue
		}
		var got int
		if err := s.rec.r.QueryRowContext(ctx, "SELECT "+expr, float64(c)).Scan(&got); err != nil {
			t.Fatal(err)
		}
		want := 0
		for k := 1; k <= 100; k++ {
			if c >= steps[k] {
				want = k
			}
		}
		if got != want {
			t.Errorf("confidence %v: bucket %d, want %d", c, got, want)
		}
		if b := bucketOf(float64(c)); b != int64(want) {
			t.Errorf("confidence %v: bucketOf %d, want %d", c, b, want)
		}
	}
	for h := range 101 {
		if k, ok := totalsBucket(float64(h) / 100); !ok || k != int64(h) {
			t.Errorf("totalsBucket(%g) = %d, %v; want %d, true", float64(h)/100, k, ok, h)
		}
	}
	for _, c := range []float64{0.123456, 0.5000001, 1e-9} {
		if _, ok := totalsBucket(c); ok {
			t.Errorf("threshold %g answered from facet_totals, whose steps are hundredths", c)
		}
	}
}

// TestMigrateFacets opens a file of schema version 3, as this version
// wrote it before record_keys and facet_totals, and checks that the
// migrated file answers as it did.
func TestMigrateFacets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v3.db")
	s, err := Open(t.Context(), Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	facetRecords(t, s)
	queries := []index.Query{
		{Facets: true}, {Facets: true, MinConfidence: 0.5}, {Text: "energy", Facets: true, MinConfidence: 0.5},
		{Text: "energy", Sort: index.SortAmount, MinConfidence: 0.5}, {Sort: index.SortAmount, MinConfidence: 0.5},
		{Investor: "Nvidia", Facets: true, Sort: index.SortDate},
	}
	var want []index.Result
	for _, q := range queries {
		res, err := s.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, res)
	}
	for _, stmt := range []string{
		"DROP TABLE record_keys", "DROP TABLE facet_totals", "DROP TABLE facet_steps", "DROP TRIGGER record_keys_au",
		"DROP TRIGGER record_keys_ad", "DROP TRIGGER record_terms_keys_au", "DROP TRIGGER record_terms_keys_ad",
		"DROP INDEX investors_key", "CREATE INDEX investors_key ON investors (key)",
		"DROP INDEX investors_name_key", "CREATE INDEX investors_name_key ON investors (name_key)",
		"DROP TABLE generation", // of schema 6
		"PRAGMA user_version = 3",
	} {
		if _, err := s.rec.w.ExecContext(t.Context(), stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	s = reopen(t, s, path, 3)
	for i, q := range queries {
		got, err := s.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		if diff := gocmp.Diff(want[i], got); diff != "" {
			t.Errorf("Search(%+v) after migrating (-before +after):\n%s", q, diff)
		}
	}
	// The migrated file has what a new one has, triggers and indexes included.
	fresh := openTest(t).(*Store)
	if diff := gocmp.Diff(schemaObjects(t, fresh), schemaObjects(t, s)); diff != "" {
		t.Errorf("schema objects (-new file +migrated file):\n%s", diff)
	}
	checkDerived(t, s.rec)
}

// TestMigrateDerive opens a file of schema version 4, whose insert
// triggers wrote record_keys and facet_totals, and checks that the
// migrated file has what a new one has and that records written to it
// are counted once.
func TestMigrateDerive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v4.db")
	s, err := Open(t.Context(), Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	recs := facetRecords(t, s)
	for _, stmt := range []string{
		// The insert triggers of schema 4, as it wrote them.
		`CREATE TRIGGER record_keys_ai AFTER INSERT ON records BEGIN
			INSERT INTO record_keys (rid, id, date_ms, deal_conf, amount_usd_max, amount_usd_max_conf, month, terms)
			VALUES (new.rid, new.id, new.date_ms, new.deal_conf, new.amount_usd_max, new.amount_usd_max_conf, new.month, '');
			INSERT INTO facet_totals VALUES ('', '', 100, 1) ON CONFLICT DO UPDATE SET n = n + 1;
			INSERT INTO facet_totals SELECT 'month', new.month, 100, 1 WHERE new.month <> '' ON CONFLICT DO UPDATE SET n = n + 1;
		END`,
		`CREATE TRIGGER record_terms_keys_ai AFTER INSERT ON record_terms BEGIN
			UPDATE record_keys SET terms = terms || ` + termEntryNew + ` WHERE rid = new.rid;
			INSERT INTO facet_totals VALUES (new.kind, new.value, ` + bucketNew + `, 1) ON CONFLICT DO UPDATE SET n = n + 1;
		END`,
		"DROP TABLE generation", // of schema 6
		"PRAGMA user_version = 4",
	} {
		if _, err := s.rec.w.ExecContext(t.Context(), stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	s = reopen(t, s, path, 4)
	fresh := openTest(t).(*Store)
	if diff := gocmp.Diff(schemaObjects(t, fresh), schemaObjects(t, s)); diff != "" {
		t.Errorf("schema objects (-new file +migrated file):\n%s", diff)
	}
	more := indextest.SyntheticRecords(300, 4)
	more = append(more, recs[:50]...)
	for i, err := range s.Index(t.Context(), more) {
		if err != nil {
			t.Fatalf("indexing %s into the migrated file: %v", more[i].Article.ID, err)
		}
	}
	checkDerived(t, s.rec)
}

// schemaObjects returns the SQL of every index, trigger and table of s's
// records file but the full-text index's own, white space collapsed.
func schemaObjects(t *testing.T, s *Store) map[string]string {
	t.Helper()
	rows, err := s.rec.r.QueryContext(t.Context(), "SELECT name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'records_fts%'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, sql string
		if err := rows.Scan(&name, &sql); err != nil {
			t.Fatal(err)
		}
		out[name] = strings.Join(strings.Fields(sql), " ")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTermEntry decodes record_keys.terms entries, and refuses cut or
// garbled ones without reading past them.
func TestTermEntry(t *testing.T) {
	for _, tt := range []struct {
		in, conf, value, rest string
		ok                    bool
	}{
		{"0.5,3:abcr1.0,0:", "0.5", "abc", "r1.0,0:", true},
		{"1.0,0:", "1.0", "", "", true},
		{"0.25,7:a,1:b|cs", "0.25", "a,1:b|c", "s", true},
		{"", "", "", "", false},
		{"0.5", "", "", "", false},
		{"0.5,", "", "", "", false},
		{"0.5,3", "", "", "", false},
		{"0.5,:abc", "", "", "", false},
		{"0.5,3:ab", "", "", "", false},
		{"0.5,a:x", "", "", "", false},
		{"0.5,99999999999999999999999:x", "", "", "", false},
	} {
		conf, value, rest, err := termEntry([]byte(tt.in))
		if (err == nil) != tt.ok {
			t.Errorf("termEntry(%q): error %v, want ok %v", tt.in, err, tt.ok)
			continue
		}
		if tt.ok && (string(conf) != tt.conf || string(value) != tt.value || string(rest) != tt.rest) {
			t.Errorf("termEntry(%q) = %q, %q, %q; want %q, %q, %q", tt.in, conf, value, rest, tt.conf, tt.value, tt.rest)
		}
	}
}

// reopen closes s, made to look like a file of schema version, and opens
// its file again, which migrates it; the test closes it at its end.
func reopen(t *testing.T, s *Store, path string, version int) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(t.Context(), Config{Path: path}, nil)
	if err != nil {
		t.Fatalf("opening a version %d file: %v", version, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestFacetsOutside checks that a text matching most records has its
// facets counted from the records outside it, and a narrow text from its
// matches; [TestFacetsCountTheMatches] checks the counts of both.
func TestFacetsOutside(t *testing.T) {
	s := openTest(t).(*Store)
	facetRecords(t, s)
	tx, err := s.rec.r.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var maxRID int64
	if err := tx.QueryRowContext(t.Context(), "SELECT max(rid) FROM record_keys").Scan(&maxRID); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		text    string
		minConf float64
		outside bool
	}{
		{"energy", 0, true},
		{"energy", 0.5, true},
		{"energy -nvidia", 0.2, true},
		{"energy -solar", 0.2, false},
		{"nvidia", 0, false},
		{"zzzz", 0, false},
	} {
		match, _ := filters(index.Query{Text: tt.text}, false)
		bucket, _ := totalsBucket(tt.minConf)
		total, f, ok, err := facetsOutside(t.Context(), tx, match, tt.minConf, bucket, maxRID)
		if err != nil {
			t.Fatalf("%s at %g: %v", tt.text, tt.minConf, err)
		}
		if ok != tt.outside {
			t.Errorf("%s at %g: counted outside %v, want %v", tt.text, tt.minConf, ok, tt.outside)
		}
		if !ok {
			continue
		}
		res, err := s.Search(t.Context(), index.Query{Text: tt.text, MinConfidence: tt.minConf, Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		if total != res.Total || total <= int(maxRID)/2 {
			t.Errorf("%s at %g: total %d, %d without facets, of %d rids", tt.text, tt.minConf, total, res.Total, maxRID)
		}
		if len(f.Investors) == 0 || len(f.Months) == 0 {
			t.Errorf("%s at %g: facets %+v", tt.text, tt.minConf, f)
		}
	}
}
