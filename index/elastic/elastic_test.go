package elastic

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dealwire/dealwire/configs"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/news"
)

// uniqueIndex is an alias name no other test uses.
func uniqueIndex(t testing.TB) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "dealwire-test-" + strings.ToLower(hex.EncodeToString(b))
}

func openTest(t *testing.T, cfg Config) *Store {
	t.Helper()
	cfg.URLs = []string{indextest.ElasticURL(t)}
	if cfg.Index == "" {
		cfg.Index = uniqueIndex(t)
	}
	s, err := New(t.Context(), cfg, nil, nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := contextWithTimeout(10 * time.Second)
		defer cancel()
		if err := s.Delete(ctx); err != nil {
			t.Errorf("Delete: %v", err)
		}
		s.Close()
	})
	return s
}

func TestConformance(t *testing.T) {
	indextest.Run(t, func(t *testing.T) index.Store { return openTest(t, Config{}) })
}

func TestUnreachable(t *testing.T) {
	_, err := New(t.Context(), Config{URLs: []string{"http://127.0.0.1:1", "http://127.0.0.1:2"}, Timeout: 2 * time.Second}, nil, nil)
	var ue *UnreachableError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "elasticsearch unreachable at http://127.0.0.1:1, http://127.0.0.1:2") {
		t.Errorf("New on closed ports: %v, want an *UnreachableError naming both URLs", err)
	}
}

func TestFailover(t *testing.T) {
	u := indextest.ElasticURL(t)
	s := openTest(t, Config{URLs: nil})
	s2, err := New(t.Context(), Config{URLs: []string{"http://127.0.0.1:1", u}, Index: s.cfg.Index}, nil, nil)
	if err != nil {
		t.Fatalf("New with one dead node: %v", err)
	}
	defer s2.Close()
	for i := range 4 {
		if _, err := s2.Search(t.Context(), index.Query{}); err != nil {
			t.Fatalf("search %d with one dead node: %v", i, err)
		}
	}
}

// TestBulkOutcomes sends a batch where one document is rejected by the
// mapping: that one is permanent, the others are stored.
func TestBulkOutcomes(t *testing.T) {
	s := openTest(t, Config{})
	recs := indextest.Records()[:3]
	// A strict mapping rejects a field it does not know; write such a
	// document straight through the bulk API to see the item answer.
	body := []byte(`{"index":{"_id":"x1"}}` + "\n" + `{"id":"x1","unknown_field":1,"record":{}}` + "\n")
	raw, status, err := s.client.roundTrip(t.Context(), "POST", "/"+s.cfg.Index+"/_bulk", body, "application/x-ndjson")
	if err != nil || status != 200 {
		t.Fatalf("bulk: %v %d", err, status)
	}
	var ans bulkAnswer
	if err := json.Unmarshal(raw, &ans); err != nil {
		t.Fatal(err)
	}
	op, it := ans.Items[0].item()
	if op != "index" {
		t.Errorf("bulk item for action %q, want index", op)
	}
	if err := classifyItem(it.ID, it.Status, it.Error); !news.IsPermanent(err) || !strings.Contains(err.Error(), "strict_dynamic_mapping_exception") {
		t.Errorf("unknown field: %v, want a permanent strict mapping error", err)
	}
	// Small FlushBytes: every record in its own request, sent concurrently.
	s.cfg.FlushBytes = 1
	for i, err := range s.Index(t.Context(), recs) {
		if err != nil {
			t.Errorf("record %d: %v", i, err)
		}
	}
	if err := s.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	res, err := s.Search(t.Context(), index.Query{})
	if err != nil || res.Total != 3 {
		t.Errorf("after split batch: total %d, err %v; want 3", res.Total, err)
	}
}

// TestPointInTime checks that pages after the first come from one snapshot:
// a record indexed between pages, ahead of the cursor, does not appear.
func TestPointInTime(t *testing.T) {
	s := openTest(t, Config{})
	recs := indextest.Records()
	for _, err := range s.Index(t.Context(), recs) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	q := index.Query{Sort: index.SortDate, Size: 2}
	res, err := s.Search(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	var c cursor
	if err := index.DecodeCursor(res.Next, &c); err != nil || c.PIT != "" {
		t.Fatalf("first page cursor %+v (%v): want no point in time yet", c, err)
	}
	got := []string{res.Hits[0].ID, res.Hits[1].ID}
	q.After = res.Next
	if res, err = s.Search(t.Context(), q); err != nil {
		t.Fatal(err)
	}
	if err := index.DecodeCursor(res.Next, &c); err != nil || c.PIT == "" {
		t.Fatalf("second page cursor %+v (%v): want a point in time", c, err)
	}
	got = append(got, res.Hits[0].ID, res.Hits[1].ID)
	fresh := recs[0]
	fresh.Article.ID = "r0-newest"
	fresh.Article.PublishedAt = time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC) // between r2 and r8: ahead of the cursor
	if errs := s.Index(t.Context(), []news.Record{fresh}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	if err := s.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	for q.After = res.Next; q.After != ""; q.After = res.Next {
		if res, err = s.Search(t.Context(), q); err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
	}
	want := []string{"r7", "r6", "r4", "r3", "r2", "r8", "r1", "r5"}
	if !slices.Equal(got, want) {
		t.Errorf("pages = %v, want %v", got, want)
	}
	// An expired (here: closed) point in time falls back to the alias.
	if c.PIT, err = s.openPIT(t.Context(), s.cfg.Index); err != nil {
		t.Fatal(err)
	}
	s.closePIT(t.Context(), c.PIT)
	q.After = index.EncodeCursor(c)
	if _, err := s.Search(t.Context(), q); err != nil {
		t.Errorf("search with a dead point in time: %v", err)
	}
}

// BenchmarkLoad100k loads 100,000 synthetic records and times typical
// queries. It runs only with -bench:
//
//	DEALWIRE_ES_URL=http://127.0.0.1:9200 go test -run '^$' -bench Load100k -benchtime 1x -timeout 30m ./index/elastic
func BenchmarkLoad100k(b *testing.B) {
	u := indextest.ElasticURL(b)
	s, err := New(b.Context(), Config{URLs: []string{u}, Index: uniqueIndex(b)}, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		ctx, cancel := contextWithTimeout(time.Minute)
		defer cancel()
		if err := s.Delete(ctx); err != nil {
			b.Error(err)
		}
	}()
	indextest.Benchmark(b, s, 500, 2, 100)
}

// TestReindex puts the alias on an older index, as after a mapping version
// bump, and checks that Reindex copies every record and switches the alias.
func TestReindex(t *testing.T) {
	s := openTest(t, Config{})
	old := s.cfg.Index + "-v0"
	if err := s.createIndex(t.Context(), old); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := contextWithTimeout(10 * time.Second)
		defer cancel()
		_ = s.client.do(ctx, "DELETE", "/"+old, nil, nil)
	})
	if err := s.switchAlias(t.Context(), s.cfg.Index, []string{s.Concrete()}, old); err != nil {
		t.Fatal(err)
	}
	if err := s.client.do(t.Context(), "DELETE", "/"+s.Concrete(), nil, nil); err != nil {
		t.Fatal(err)
	}
	recs := indextest.Records()
	for _, err := range s.Index(t.Context(), recs) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	n, err := s.Reindex(t.Context())
	if err != nil || n != len(recs) {
		t.Fatalf("Reindex = %d, %v; want %d", n, err, len(recs))
	}
	targets, err := s.aliasTargets(t.Context(), s.cfg.Index)
	if err != nil || !slices.Equal(targets, []string{s.Concrete()}) {
		t.Fatalf("alias targets %v (%v), want [%s]", targets, err, s.Concrete())
	}
	if err := s.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	res, err := s.Search(t.Context(), index.Query{Investor: "nvidia", AmountUSD: index.Range{Min: 1e9}})
	if err != nil || res.Total != 1 || res.Hits[0].ID != "r1" {
		t.Errorf("search after reindex: %+v, %v", res, err)
	}
	if n, err := s.Reindex(t.Context()); err != nil || n != 0 {
		t.Errorf("second Reindex = %d, %v; want 0, nil", n, err)
	}
}

func TestDealConformance(t *testing.T) {
	indextest.RunDeals(t, func(t *testing.T) indextest.DealStore { return openTest(t, Config{}) })
}

// TestMappingUpgrade puts both aliases on indices of mapping version 1
// (before deals.confidence), as a running installation has them when this
// version starts: New must make them accept documents with confidences
// until the reindex, and Reindex must move both aliases.
func TestMappingUpgrade(t *testing.T) {
	s := openTest(t, Config{})
	tmpl, err := loadTemplate(configs.Files)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(tmpl.Template, &body); err != nil {
		t.Fatal(err)
	}
	deals := body["mappings"].(map[string]any)["properties"].(map[string]any)["deals"].(map[string]any)["properties"].(map[string]any)
	delete(deals, "confidence")
	for _, alias := range []string{s.cfg.Index, s.DealsIndex()} {
		old := alias + "-old" // outside the template's pattern, so it keeps the mapping given here
		if err := s.client.do(t.Context(), "PUT", "/"+old, body, nil); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := contextWithTimeout(10 * time.Second)
			defer cancel()
			_ = s.client.do(ctx, "DELETE", "/"+old, nil, nil)
		})
		if err := s.switchAlias(t.Context(), alias, []string{s.concrete(alias)}, old); err != nil {
			t.Fatal(err)
		}
		if err := s.client.do(t.Context(), "DELETE", "/"+s.concrete(alias), nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	recs := indextest.Records()
	if errs := s.Index(t.Context(), recs[2:3]); !news.IsPermanent(errs[0]) || !strings.Contains(errs[0].Error(), "strict_dynamic_mapping_exception") {
		t.Fatalf("a deal with a confidence in the old index: %v, want the strict mapping to refuse it", errs[0])
	}

	s2, err := New(t.Context(), s.cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	for i, err := range s2.Index(t.Context(), recs) {
		if err != nil {
			t.Fatalf("record %d into the old index after New: %v", i, err)
		}
	}
	for i, err := range s2.IndexDeals(t.Context(), indextest.DealRecords()) {
		if err != nil {
			t.Fatalf("deal %d into the old index after New: %v", i, err)
		}
	}
	if err := s2.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		res, err := s2.Search(t.Context(), index.Query{Investor: "softbank", MinConfidence: 0.5})
		if err != nil || res.Total != 0 {
			t.Errorf("%s: investor of a low-confidence deal: total %d, %v; want 0", when, res.Total, err)
		}
		dres, err := s2.SearchDeals(t.Context(), index.Query{MinConfidence: 0.5})
		if err != nil || dres.Total != 4 {
			t.Errorf("%s: deals at min_confidence 0.5: total %d, %v; want 4", when, dres.Total, err)
		}
	}
	check("before the reindex")

	n, err := s2.Reindex(t.Context())
	if err != nil || n != len(recs) {
		t.Fatalf("Reindex = %d, %v; want %d", n, err, len(recs))
	}
	for _, alias := range []string{s.cfg.Index, s.DealsIndex()} {
		targets, err := s2.aliasTargets(t.Context(), alias)
		if err != nil || !slices.Equal(targets, []string{s2.concrete(alias)}) {
			t.Errorf("alias %s targets %v (%v), want [%s]", alias, targets, err, s2.concrete(alias))
		}
	}
	if err := s2.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	check("after the reindex")
	if got, err := s2.GetDeal(t.Context(), "d4"); err != nil || got.Confidence != 0.2 {
		t.Errorf("GetDeal(d4) after the reindex: confidence %g, %v; want 0.2", got.Confidence, err)
	}
}

// TestRefusedBodyCostsOnlyItsDocument sends a batch in one request where one
// record's JSON spans two lines, which breaks the bulk body as a whole (a
// 400 for the request, not an item): the request is halved until that
// record stands alone, and only it is refused, as permanent.
func TestRefusedBodyCostsOnlyItsDocument(t *testing.T) {
	s := openTest(t, Config{})
	recs := indextest.Records()[:5]
	raw := make([][]byte, len(recs))
	for i, rec := range recs {
		b, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		raw[i] = b
	}
	bad := 3
	pretty, err := json.MarshalIndent(recs[bad], "", " ")
	if err != nil {
		t.Fatal(err)
	}
	raw[bad] = pretty
	errs := s.IndexJSON(t.Context(), recs, raw)
	for i, err := range errs {
		switch {
		case i == bad && (!news.IsPermanent(err) || !strings.Contains(err.Error(), "status 400")):
			t.Errorf("record %d, two lines of JSON: %v, want a permanent status 400 error", i, err)
		case i != bad && err != nil:
			t.Errorf("record %d: %v, want stored", i, err)
		}
	}
	if err := s.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	res, err := s.Search(t.Context(), index.Query{})
	if err != nil || res.Total != len(recs)-1 {
		t.Errorf("after a refused record: total %d, err %v; want %d", res.Total, err, len(recs)-1)
	}
}
