package sqlite

import (
	"bufio"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
)

var updateAnswers = flag.Bool("update-answers", false, "rewrite the digests TestAnswersUnchanged compares with")

// answerQueries are the queries whose answers TestAnswersUnchanged pins
// down: the typical queries of [indextest.BenchQueries] in each sort
// order, and texts with exclusions, sources, rounds and thresholds off the
// hundredths (counted from the matches, not from facet_totals).
func answerQueries() []struct {
	name string
	q    index.Query
} {
	type nq = struct {
		name string
		q    index.Query
	}
	var out []nq
	for _, bq := range indextest.BenchQueries() {
		for _, sort := range []string{index.SortRelevance, index.SortDate, index.SortAmount} {
			q := bq.Q
			q.Sort = sort
			out = append(out, nq{bq.Name + "/" + sort, q})
		}
	}
	for _, q := range []index.Query{
		{Text: "energy -solar", Facets: true},
		{Text: "energy", Facets: true, MinConfidence: 0.37},
		{Text: "energy", Facets: true, MinConfidence: 0.123456},
		{Text: "-energy", Facets: true},
		{Text: "energy", Facets: true, Round: "seed"},
		{Text: "grid storage", Facets: true, Source: "source03"},
		{Text: `"supply chain"`, Facets: true, MinConfidence: 0.5},
		{Text: "energy", Facets: true, Sort: index.SortDate, PublishedFrom: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)},
		{Facets: true, MinConfidence: 0.37},
		{Facets: true, Currency: "EUR"},
		// Texts matching most records at thresholds of hundredths: their
		// facets are the totals less the records that do not match.
		{Text: "energy", Facets: true, MinConfidence: 0.01},
		{Text: "energy", Facets: true, MinConfidence: 0.99},
		{Text: "energy", Facets: true, MinConfidence: 1},
		{Text: "energy", Facets: true, Sort: index.SortAmount, MinConfidence: 0.5},
		{Text: "energy -storage", Facets: true, MinConfidence: 0.2},
	} {
		out = append(out, nq{fmt.Sprintf("%+v", q), q})
	}
	return out
}

// answerDigest hashes the first two pages of q: the total, every hit's
// id and score, the cursors and the facets.
func answerDigest(t *testing.T, s index.Store, q index.Query) string {
	t.Helper()
	h := fnv.New64a()
	for page := 0; page < 2; page++ {
		res, err := s.Search(t.Context(), q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		fmt.Fprintf(h, "%d %q\n", res.Total, res.Next)
		for _, hit := range res.Hits {
			fmt.Fprintf(h, "%s %v\n", hit.ID, hit.Score)
		}
		if res.Facets != nil {
			fmt.Fprintf(h, "%v\n", *res.Facets)
		}
		if res.Next == "" {
			break
		}
		q.After = res.Next
	}
	return fmt.Sprintf("%016x", h.Sum64())
}

// TestAnswersUnchanged compares the answers to [answerQueries] over 3,000
// synthetic records with the digests in testdata/answers.golden, so that
// a change meant to make search faster cannot change what it answers
// (go test -update-answers rewrites them, for a change that means to).
//
// DEALWIRE_ANSWERS_SQLITE names a kept file to search instead (the one of
// scripts/bench-search, for example), and DEALWIRE_ANSWERS_GOLDEN the
// digests to compare with, written by an earlier version with
// -update-answers: how the answers at 100,000 records were compared
// before and after a change.
func TestAnswersUnchanged(t *testing.T) {
	golden := filepath.Join("testdata", "answers.golden")
	var st *Store
	if path := os.Getenv("DEALWIRE_ANSWERS_SQLITE"); path != "" {
		golden = os.Getenv("DEALWIRE_ANSWERS_GOLDEN")
		if golden == "" {
			t.Fatal("DEALWIRE_ANSWERS_SQLITE is set without DEALWIRE_ANSWERS_GOLDEN")
		}
		if _, err := os.Stat(path); err != nil {
			t.Fatal(err)
		}
		var err error
		if st, err = Open(t.Context(), Config{Path: path}, nil); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
	} else {
		st = openTest(t).(*Store)
		recs := indextest.SyntheticRecords(3000, 1)
		for i := 0; i < len(recs); i += 500 {
			batch := recs[i:min(i+500, len(recs))]
			for k, err := range st.Index(t.Context(), batch) {
				if err != nil {
					t.Fatalf("indexing %s: %v", batch[k].Article.ID, err)
				}
			}
		}
	}
	var got strings.Builder
	for _, nq := range answerQueries() {
		fmt.Fprintf(&got, "%s %s\n", answerDigest(t, st, nq.q), nq.name)
	}
	if *updateAnswers {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	raw, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test -update-answers writes it)", err)
	}
	want := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(raw)))
	for sc.Scan() {
		digest, name, _ := strings.Cut(sc.Text(), " ")
		want[name] = digest
	}
	sc = bufio.NewScanner(strings.NewReader(got.String()))
	n := 0
	for sc.Scan() {
		digest, name, _ := strings.Cut(sc.Text(), " ")
		n++
		if want[name] != digest {
			t.Errorf("%s: digest %s, want %s", name, digest, want[name])
		}
	}
	if n != len(want) {
		t.Errorf("%d queries, %s has %d", n, golden, len(want))
	}
}
