package sqlite

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/news"
)

// TestRejectedRecordFailsAlone has SQLite reject one record of a batch
// halfway through its rows (a trigger refuses its deal, after its record
// row and full-text entry are written): that record gets a permanent error
// and leaves nothing behind, the others of the batch are stored.
func TestRejectedRecordFailsAlone(t *testing.T) {
	s, err := Open(t.Context(), Config{Path: filepath.Join(t.TempDir(), "index.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	recs := indextest.Records()[:3]
	if len(recs[1].Extraction.Deals) == 0 {
		t.Fatalf("fixture %s has no deal to reject", recs[1].Article.ID)
	}
	poison := recs[1].Article.ID
	if _, err := s.rec.w.ExecContext(t.Context(), `CREATE TRIGGER reject_poison BEFORE INSERT ON deals
		WHEN new.article_id = '`+poison+`' BEGIN SELECT RAISE(ABORT, 'rejected by the test'); END`); err != nil {
		t.Fatal(err)
	}
	errs := s.Index(t.Context(), recs)
	if errs[0] != nil || errs[2] != nil {
		t.Errorf("good records: %v, %v; want nil", errs[0], errs[2])
	}
	if !news.IsPermanent(errs[1]) {
		t.Errorf("rejected record: %v, want a permanent error", errs[1])
	}
	res, err := s.Search(t.Context(), index.Query{Sort: index.SortDate})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{recs[0].Article.ID, recs[2].Article.ID}
	got := ids(res.Hits)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("stored %v, want %v", got, want)
	}
	for _, q := range []string{
		`SELECT count(*) FROM records WHERE id = ?`,
		`SELECT count(*) FROM deals WHERE article_id = ?`,
		`SELECT count(*) FROM amounts WHERE article_id = ?`,
	} {
		var n int
		if err := s.rec.r.QueryRowContext(t.Context(), q, poison).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d rows (%v), want none of the rejected record", q, n, err)
		}
	}
	// The full-text index holds exactly the stored records: an entry of
	// the rejected record would make FTS5's integrity check fail.
	if _, err := s.rec.w.ExecContext(t.Context(), `INSERT INTO records_fts (records_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Errorf("full-text integrity check: %v", err)
	}
}

func ids(hits []index.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

// TestOverwriteInBatch writes new versions of stored records in one batch
// that also holds one id twice: the later version of each id is what
// searches find, and the full-text index holds no trace of the earlier ones.
func TestOverwriteInBatch(t *testing.T) {
	s, err := Open(t.Context(), Config{Path: filepath.Join(t.TempDir(), "index.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	recs := indextest.Records()
	for i, err := range s.Index(t.Context(), recs) {
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
	}
	first, second, other := recs[0], recs[0], recs[1]
	first.Article.Title = "Zanzibarfirst headline"
	second.Article.Title = "Quokkasecond headline"
	other.Article.Title = "Wombatother headline"
	for i, err := range s.Index(t.Context(), []news.Record{first, other, second}) {
		if err != nil {
			t.Fatalf("record %d of the second batch: %v", i, err)
		}
	}
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"zanzibarfirst", nil},
		{"quokkasecond", []string{recs[0].Article.ID}},
		{"wombatother", []string{recs[1].Article.ID}},
	} {
		res, err := s.Search(t.Context(), index.Query{Text: tc.text})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(res.Hits); !slices.Equal(got, tc.want) {
			t.Errorf("search %q: %v, want %v", tc.text, got, tc.want)
		}
	}
	res, err := s.Search(t.Context(), index.Query{Size: 1})
	if err != nil || res.Total != len(recs) {
		t.Errorf("total %d (%v), want %d", res.Total, err, len(recs))
	}
	if _, err := s.rec.w.ExecContext(t.Context(), `INSERT INTO records_fts (records_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Errorf("full-text integrity check: %v", err)
	}
}

// checkDerived checks that record_keys and facet_totals of d hold what a
// count from scratch of records and record_terms gives: the same columns
// and terms for every record (the entries of a record's terms in any
// order), and the same non-zero count for every facet value, bucket,
// month and the file.
func checkDerived(t *testing.T, d *db) {
	t.Helper()
	ctx := t.Context()
	query := func(q string) map[string]int {
		t.Helper()
		rows, err := d.r.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				t.Fatal(err)
			}
			out[k] += n
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	// One key per record: its columns and its sorted entries.
	keys := func(terms func(rid string) []string, q string) map[string]int {
		t.Helper()
		out := map[string]int{}
		for k, n := range query(q) {
			rid, cols, _ := strings.Cut(k, "|")
			out[rid+"|"+cols+"|"+strings.Join(terms(rid), ";")] = n
		}
		return out
	}
	stored := map[string][]string{} // rid -> entries of record_keys.terms
	for k := range query(`SELECT rid || '|' || terms, 1 FROM record_keys`) {
		rid, b, _ := strings.Cut(k, "|")
		rest := []byte(b)
		for len(rest) > 0 {
			conf, value, next, err := termEntry(rest[1:])
			if err != nil {
				t.Fatalf("record_keys row %s: %v", rid, err)
			}
			stored[rid] = append(stored[rid], string(rest[0])+string(conf)+"="+string(value))
			rest = next
		}
		slices.Sort(stored[rid])
	}
	counted := map[string][]string{} // rid -> entries from record_terms
	for k := range query(`SELECT t.rid || '|' || substr(t.kind, 1, 1) || t.confidence || '=' || t.value, 1 FROM record_terms t`) {
		rid, e, _ := strings.Cut(k, "|")
		counted[rid] = append(counted[rid], e)
	}
	for rid := range counted {
		slices.Sort(counted[rid])
	}
	const cols = `|' || id || '|' || date_ms || '|' || deal_conf || '|' || amount_usd_max || '|' || amount_usd_max_conf || '|' || month, 1`
	got := keys(func(rid string) []string { return stored[rid] }, `SELECT rid || '`+cols+` FROM record_keys`)
	want := keys(func(rid string) []string { return counted[rid] }, `SELECT rid || '`+cols+` FROM records`)
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("%s: record_keys (-counted from records and record_terms +stored):\n%s", d.path, diff)
	}
	got = query(`SELECT kind || '|' || value || '|' || bucket, n FROM facet_totals WHERE n <> 0`)
	want = query(`SELECT t.kind || '|' || t.value || '|' || ` + bucketT + `, count(*) FROM record_terms t GROUP BY t.kind, t.value, ` + bucketT + `
		UNION ALL SELECT 'month|' || month || '|100', count(*) FROM records WHERE month <> '' GROUP BY month
		UNION ALL SELECT '||100', count(*) FROM records HAVING count(*) > 0`)
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("%s: facet_totals (-counted from records and record_terms +stored):\n%s", d.path, diff)
	}
}

// TestDerivedTablesMatchRecount writes records and deal records every way
// the writer knows (whole batches, replacements of stored versions, an id
// twice in a batch, a record SQLite rejects, tombstones) and checks after
// each step that record_keys and facet_totals equal a count from scratch.
func TestDerivedTablesMatchRecount(t *testing.T) {
	s := openTest(t).(*Store)
	ctx := t.Context()
	recs := facetRecords(t, s) // two batches, then a tenth replaced
	checkDerived(t, s.rec)

	// An id twice in one batch, new and stored, the new one the last
	// record of the file: written item by item.
	fresh := recs[5]
	fresh.Article.ID = "fresh"
	again := fresh
	again.Extraction.Deals = recs[8].Extraction.Deals
	old := recs[11]
	old.Extraction.Deals = recs[12].Extraction.Deals
	for i, err := range s.Index(ctx, []news.Record{fresh, old, again, old}) {
		if err != nil {
			t.Fatalf("record %d of the batch with repeated ids: %v", i, err)
		}
	}
	checkDerived(t, s.rec)

	// A record SQLite rejects after its record and terms rows are written.
	poison := recs[20]
	if _, err := s.rec.w.ExecContext(ctx, `CREATE TRIGGER reject_poison BEFORE INSERT ON deals
		WHEN new.article_id = '`+poison.Article.ID+`' BEGIN SELECT RAISE(ABORT, 'rejected by the test'); END`); err != nil {
		t.Fatal(err)
	}
	if len(poison.Extraction.Deals) == 0 {
		poison.Extraction.Deals = recs[7].Extraction.Deals
	}
	errs := s.Index(ctx, []news.Record{recs[30], poison, recs[40]})
	if errs[0] != nil || errs[2] != nil || errs[1] == nil {
		t.Fatalf("batch with a rejected record: %v, want only the second to fail", errs)
	}
	checkDerived(t, s.rec)

	// Deal records: stored, replaced, deleted by tombstones.
	deals := indextest.DealRecords()
	for i, err := range s.IndexDeals(ctx, deals) {
		if err != nil {
			t.Fatalf("deal %d: %v", i, err)
		}
	}
	checkDerived(t, s.deal)
	changed := deals[1]
	changed.Confidence = 0.31
	gone := news.DealRecord{ID: deals[2].ID, Deleted: true}
	for i, err := range s.IndexDeals(ctx, []news.DealRecord{changed, gone}) {
		if err != nil {
			t.Fatalf("deal %d of the second batch: %v", i, err)
		}
	}
	checkDerived(t, s.deal)
	for i, err := range s.IndexDeals(ctx, []news.DealRecord{{ID: deals[0].ID, Deleted: true}, deals[2], deals[0]}) {
		if err != nil {
			t.Fatalf("deal %d of the third batch: %v", i, err)
		}
	}
	checkDerived(t, s.deal)
}
