package sqlite

import (
	"path/filepath"
	"slices"
	"testing"

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
