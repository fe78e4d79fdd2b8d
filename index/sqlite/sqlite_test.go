package sqlite

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/news"
)

func openTest(t *testing.T) index.Store {
	t.Helper()
	s, err := Open(t.Context(), Config{Path: filepath.Join(t.TempDir(), "index.db")}, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	indextest.Run(t, openTest)
}

// BenchmarkLoad100k loads 100,000 synthetic records and times typical
// queries. It runs only with -bench:
//
//	go test -run '^$' -bench Load100k -benchtime 1x ./index/sqlite
func BenchmarkLoad100k(b *testing.B) {
	s, err := Open(b.Context(), Config{Path: filepath.Join(b.TempDir(), "bench.db")}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	indextest.Benchmark(b, s, 500, 1, 100)
}

// TestConcurrentReadersWhileIndexing checks the WAL set-up: searches never
// fail with "database is locked" while the indexer commits, and each sees a
// consistent snapshot (the hit count never exceeds the total).
func TestConcurrentReadersWhileIndexing(t *testing.T) {
	s := openTest(t)
	recs := indextest.SyntheticRecords(400, 7)
	ctx := t.Context()
	var g errgroup.Group
	done := make(chan struct{})
	g.Go(func() error {
		defer close(done)
		for i := 0; i < len(recs); i += 50 {
			for k, err := range s.Index(ctx, recs[i:i+50]) {
				if err != nil {
					return fmt.Errorf("record %d: %w", i+k, err)
				}
			}
		}
		return nil
	})
	for range 3 {
		g.Go(func() error {
			last := 0
			for {
				select {
				case <-done:
					return nil
				default:
				}
				res, err := s.Search(ctx, index.Query{Text: "energy", Facets: true, Sort: index.SortDate})
				if err != nil {
					return err
				}
				if res.Total < last {
					return fmt.Errorf("total went down from %d to %d", last, res.Total)
				}
				last = res.Total
			}
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	res, err := s.Search(ctx, index.Query{Size: 1})
	if err != nil || res.Total != len(recs) {
		t.Fatalf("after indexing: total %d, %v; want %d", res.Total, err, len(recs))
	}
}

// TestReopen checks that a file keeps its records and schema across Open.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.db")
	s, err := Open(t.Context(), Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if errs := s.Index(t.Context(), indextest.Records()[:2]); errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(t.Context(), Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Get(t.Context(), "r2"); err != nil {
		t.Errorf("Get after reopen: %v", err)
	}
}

func TestDealConformance(t *testing.T) {
	indextest.RunDeals(t, func(t *testing.T) indextest.DealStore { return openTest(t).(*Store) })
}

// TestReadersMapTheFile checks that the reader connections map the file
// (PRAGMA mmap_size as SQLite took it, after its own cap) and the writer
// does not, and that the writer has its larger page cache.
func TestReadersMapTheFile(t *testing.T) {
	s := openTest(t).(*Store)
	var r, w int64
	if err := s.rec.r.QueryRowContext(t.Context(), "PRAGMA mmap_size").Scan(&r); err != nil {
		t.Fatal(err)
	}
	if err := s.rec.w.QueryRowContext(t.Context(), "PRAGMA mmap_size").Scan(&w); err != nil {
		t.Fatal(err)
	}
	if r != readerMmap || w != 0 {
		t.Errorf("mmap_size: readers %d, writer %d; want %d and 0", r, w, int64(readerMmap))
	}
	if err := s.rec.w.QueryRowContext(t.Context(), "PRAGMA cache_size").Scan(&w); err != nil {
		t.Fatal(err)
	}
	if w != writerCache {
		t.Errorf("writer cache_size %d, want %d", w, writerCache)
	}
}

// TestRelevanceTies pages by relevance through matches whose scores tie
// in long runs: more tied at the end of the first page than topScores
// reads beyond it, and fewer. Tied scores go by date, newest first, then
// id: every page must be what sorting all matches gives, with no hit
// skipped or repeated.
func TestRelevanceTies(t *testing.T) {
	s := openTest(t)
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var recs []news.Record
	type want struct {
		id   string
		tf   int
		date time.Time
	}
	var all []want
	for i := range 150 {
		// 10 records say it three times, 60 twice, 80 once, spread over
		// the file (topScores reads the best scores of each half of the
		// rids on a connection of its own); a few share a date, so that
		// the id breaks their ties.
		tf := 1
		switch k := i * 7 % 150; {
		case k < 10:
			tf = 3
		case k < 70:
			tf = 2
		}
		date := base.Add(time.Duration(i%37) * time.Hour)
		id := fmt.Sprintf("tie%03d", (i*7919)%1000)
		rec := news.Record{Article: news.Article{ID: id, URL: "https://example.com/" + id, Source: "test",
			Title: "Report", Text: strings.Repeat("zebrafish ", tf) + strings.Repeat("filler ", 20-tf), PublishedAt: date}}
		recs = append(recs, rec)
		all = append(all, want{id, tf, date})
	}
	for i, err := range s.Index(t.Context(), recs) {
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
	}
	slices.SortFunc(all, func(a, b want) int {
		return cmp.Or(cmp.Compare(b.tf, a.tf), b.date.Compare(a.date), cmp.Compare(a.id, b.id))
	})
	for _, tc := range []struct {
		size   int
		facets bool // a first page with facets counts apart and reads the best scores alone
	}{{5, true}, {10, true}, {20, true}, {65, true}, {10, false}, {65, false}} {
		size := tc.size
		var got []string
		q := index.Query{Text: "zebrafish", Size: size, Facets: tc.facets}
		for {
			res, err := s.Search(t.Context(), q)
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != len(all) {
				t.Fatalf("size %d: total %d, want %d", size, res.Total, len(all))
			}
			got = append(got, ids(res.Hits)...)
			if res.Next == "" {
				break
			}
			q.After = res.Next
		}
		var wantIDs []string
		for _, w := range all {
			wantIDs = append(wantIDs, w.id)
		}
		if !slices.Equal(got, wantIDs) {
			t.Errorf("pages of %d by relevance (facets %v):\n got %v\nwant %v", size, tc.facets, got, wantIDs)
		}
	}
	if n := s.(*Store).rec.splits.Load(); n == 0 {
		t.Error("no first page read its best scores on two connections")
	}
}

// TestUnmappedReaders: readers map the files by default (on a 64-bit
// build) and not when the store is opened Unmapped, as an export opens it.
func TestUnmappedReaders(t *testing.T) {
	for _, unmapped := range []bool{false, true} {
		s, err := Open(t.Context(), Config{Path: filepath.Join(t.TempDir(), "index.db"), Unmapped: unmapped}, nil)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		for _, d := range []*db{s.rec, s.deal} {
			var size int64
			if err := d.r.QueryRowContext(t.Context(), "PRAGMA mmap_size").Scan(&size); err != nil {
				t.Fatal(err)
			}
			want := int64(readerMmap)
			if unmapped {
				want = 0
			}
			if size != want {
				t.Errorf("unmapped %v: %s readers map %d bytes, want %d", unmapped, d.path, size, want)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
