package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// snapRecord is record i of write batch b: dated by batch, so that the
// newest record of a file is one of its last batch's.
func snapRecord(b, i int) news.Record {
	id := fmt.Sprintf("b%04d-%d", b, i)
	return news.Record{Article: news.Article{ID: id, URL: "https://example.com/" + id, Source: fmt.Sprintf("s%d", i),
		Title: "Report", Text: "zebra " + strings.Repeat("filler ", i+1),
		PublishedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(b)*time.Hour + time.Duration(i)*time.Minute)}}
}

// snapBatch is write batch b: ten new records, and three of batch b/2
// written again unchanged (each gets a new row in place of its old one),
// so that a snapshot's total is always ten per batch.
func snapBatch(b int) []news.Record {
	var recs []news.Record
	for i := range 10 {
		recs = append(recs, snapRecord(b, i))
	}
	for i := range 3 {
		recs = append(recs, snapRecord(b/2, 3*i))
	}
	return recs
}

func indexAll(t *testing.T, s index.Store, recs []news.Record) {
	t.Helper()
	for i, err := range s.Index(t.Context(), recs) {
		if err != nil {
			t.Fatalf("indexing %s: %v", recs[i].Article.ID, err)
		}
	}
}

// TestFacetsAsideNeedsOneSnapshot: facets are counted on a second
// connection only when it reads the snapshot the search's own transaction
// reads; a write committed after the search's first read makes it count
// them itself.
func TestFacetsAsideNeedsOneSnapshot(t *testing.T) {
	s := openTest(t).(*Store)
	ctx := t.Context()
	indexAll(t, s, snapBatch(0))
	match, w := filters(index.Query{Text: "zebra"}, false)
	spares := len(s.rec.spare)
	if spares != 3 {
		t.Fatalf("%d spare connections, want 3 (4 readers)", spares)
	}
	conn, err := s.rec.r.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	gen, err := readGeneration(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.rec.facetsAside(ctx, gen, match, w, 0)
	if err != nil || a == nil {
		t.Fatalf("facetsAside on an unchanged file: %v, %v; want facets counted aside", a, err)
	}
	total, f, err := a.wait()
	if err != nil || total != 10 || len(f.Sources) != 10 {
		t.Errorf("counted aside: total %d, %d sources, %v; want 10, 10", total, len(f.Sources), err)
	}
	tx.Rollback()

	tx, err = conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if gen, err = readGeneration(ctx, tx); err != nil { // the snapshot is now fixed
		t.Fatal(err)
	}
	indexAll(t, s, snapBatch(1))
	if a, err = s.rec.facetsAside(ctx, gen, match, w, 0); err != nil || a != nil {
		t.Errorf("facetsAside after a write: %v, %v; want nothing counted aside", a, err)
	}
	if n, _, err := facets(ctx, tx, match, w, 0); err != nil || n != 10 {
		t.Errorf("facets of the old snapshot: %d, %v; want 10", n, err)
	}
	if len(s.rec.spare) != spares {
		t.Errorf("%d spare connections after the searches, want %d", len(s.rec.spare), spares)
	}
}

// TestSearchesWhileIndexingSeeOneSnapshot races searches with facets
// against a writer: the count and facets, counted aside, and the page,
// whose best scores are read on two connections, must always come from
// one snapshot. Every batch adds ten records, dated after all before, and
// writes three older ones again: a total of 10·n must come with a newest
// hit of batch n-1, by date, and by relevance a best hit of batch n-1
// (record 0 of each batch has the shortest text, so the best score, and
// the newest of them comes first), and with sources and months that add
// up to it.
func TestSearchesWhileIndexingSeeOneSnapshot(t *testing.T) {
	s := openTest(t).(*Store)
	indexAll(t, s, snapBatch(0))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var g errgroup.Group
	// The writer goes on past batches until some search has counted its
	// facets aside and some has read its best scores on two connections
	// (on a loaded machine the spare connections can be busy for a long
	// while), but not past maxBatches.
	const batches, maxBatches = 60, 2000
	exercised := func() bool { return s.rec.asides.Load() > 0 && s.rec.splits.Load() > 0 }
	g.Go(func() error {
		defer cancel()
		for b := 1; b < batches || !exercised() && b < maxBatches; b++ {
			for k, err := range s.Index(t.Context(), snapBatch(b)) {
				if err != nil {
					return fmt.Errorf("batch %d, record %d: %w", b, k, err)
				}
			}
		}
		return nil
	})
	searches := 0
	for r := range 3 {
		sort := []string{index.SortDate, index.SortRelevance, index.SortDate}[r]
		g.Go(func() error {
			for ctx.Err() == nil {
				res, err := s.Search(t.Context(), index.Query{Text: "zebra", Facets: true, Sort: sort, Size: 3})
				if err != nil {
					return err
				}
				if err := checkSnapshot(res, sort); err != nil {
					return err
				}
				if r == 0 {
					searches++
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	if s.rec.asides.Load() == 0 {
		t.Errorf("no search counted its facets aside (%d searches of one reader)", searches)
	}
	if s.rec.splits.Load() == 0 {
		t.Errorf("no search read its best scores on two connections (%d searches of one reader)", searches)
	}
	t.Logf("%d searches of one reader, %d counted aside and %d scored on two connections in all", searches,
		s.rec.asides.Load(), s.rec.splits.Load())
}

// checkSnapshot checks that res, a page of the records of snapBatch
// matching "zebra" in the order of sort, is of one snapshot.
func checkSnapshot(res index.Result, sort string) error {
	if res.Total%10 != 0 || res.Total == 0 {
		return fmt.Errorf("total %d: not ten per batch", res.Total)
	}
	var sources, months int
	for _, b := range res.Facets.Sources {
		sources += b.Count
	}
	for _, b := range res.Facets.Months {
		months += b.Count
	}
	if sources != res.Total || months != res.Total {
		return fmt.Errorf("total %d, sources add up to %d, months to %d", res.Total, sources, months)
	}
	want := fmt.Sprintf("b%04d-9", res.Total/10-1)
	if sort == index.SortRelevance {
		want = fmt.Sprintf("b%04d-0", res.Total/10-1)
	}
	if len(res.Hits) == 0 || res.Hits[0].ID != want {
		return fmt.Errorf("total %d: first hit %v by %s, want %s", res.Total, ids(res.Hits), sort, want)
	}
	return nil
}
