package sqlite

import (
	"database/sql"
	_ "embed"
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/news"
)

//go:embed testdata/schema-v1.sql
var schemaV1 string

// writeV1 writes payloads to a new file of schema version 1, the way
// version 1 of this package indexed them.
func writeV1(t *testing.T, path string, items []item) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(query string, args ...any) sql.Result {
		t.Helper()
		res, err := db.Exec(query, args...)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return res
	}
	exec(schemaV1)
	exec("PRAGMA user_version = 1")
	for _, it := range items {
		d := it.doc
		res := exec(`INSERT INTO records (id, source, url, title, text, lang, published_at, fetched_at, date_ms, month, extractor_version, amount_usd_max, record)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.ID, d.Source, d.URL, d.Title, d.Text, d.Lang, timeText(d.Published), timeText(d.Fetched),
			d.Date.UnixMilli(), d.Date.Format("2006-01"), it.version, d.AmountUSDMax, string(it.raw))
		rid, _ := res.LastInsertId()
		for _, src := range d.Sources {
			exec(`INSERT OR IGNORE INTO record_terms (rid, kind, value) VALUES (?, 'source', ?)`, rid, src)
		}
		for pos, deal := range d.Deals {
			terms := [][2]string{{"round", deal.Round}, {"currency", deal.Currency}}
			for _, inv := range deal.Investors {
				terms = append(terms, [2]string{"investor", inv.Canonical})
			}
			for _, tm := range terms {
				if tm[1] != "" {
					exec(`INSERT OR IGNORE INTO record_terms (rid, kind, value) VALUES (?, ?, ?)`, rid, tm[0], tm[1])
				}
			}
			res := exec(`INSERT INTO deals (rid, article_id, position, company, company_key, round, amount, currency, amount_usd,
				valuation, valuation_currency, valuation_usd, valuation_basis) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				rid, d.ID, pos, deal.Company, deal.CompanyKey, deal.Round, null(deal.Amount), nullText(deal.Currency), null(deal.AmountUSD),
				null(deal.Valuation), nullText(deal.ValuationCurrency), null(deal.ValuationUSD), nullText(deal.ValuationBasis))
			dealID, _ := res.LastInsertId()
			for _, inv := range deal.Investors {
				exec(`INSERT INTO investors (deal_id, rid, article_id, name, canonical, key, name_key, lead, amount, currency, amount_usd)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, dealID, rid, d.ID, inv.Name, inv.Canonical, index.Key(inv.Canonical),
					index.Key(inv.Name), inv.Lead, null(inv.Amount), nullText(inv.Currency), null(inv.AmountUSD))
			}
			for _, w := range deal.CapacityWatts {
				exec(`INSERT INTO capacities (deal_id, rid, article_id, watts) VALUES (?, ?, ?, ?)`, dealID, rid, d.ID, w)
			}
		}
	}
}

// TestMigrateV1 migrates files of schema version 1 in place and checks that
// they then answer like files indexed by this version: the records' deals
// carry their confidences (the extractor wrote them before the schema had
// a column for them), deal records count as unscored until indexed again.
func TestMigrateV1(t *testing.T) {
	rates, err := fx.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := Config{Path: filepath.Join(dir, "old.db")}
	var recs, deals []item
	for _, rec := range indextest.Records() {
		raw, _ := json.Marshal(rec)
		recs = append(recs, item{id: rec.Article.ID, doc: index.NewDoc(rec, rates), raw: raw, version: rec.ExtractorVersion})
	}
	for _, dr := range indextest.DealRecords() {
		dr.Confidence = 0 // version 1 resolved deals had none
		raw, _ := json.Marshal(dr)
		deals = append(deals, item{id: dr.ID, doc: index.NewDealDoc(dr, rates), raw: raw})
	}
	writeV1(t, cfg.Path, recs)
	writeV1(t, cfg.dealsPath(), deals)

	old, err := Open(t.Context(), cfg, nil)
	if err != nil {
		t.Fatalf("Open of a version 1 file: %v", err)
	}
	defer old.Close()
	for _, db := range []*db{old.rec, old.deal} {
		var v int
		if err := db.r.QueryRowContext(t.Context(), "PRAGMA user_version").Scan(&v); err != nil || v != schemaVersion {
			t.Errorf("%s: schema version %d (%v), want %d", db.path, v, err, schemaVersion)
		}
	}
	fresh := openTest(t).(*Store)
	for i, err := range fresh.Index(t.Context(), indextest.Records()) {
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
	}

	for _, q := range []index.Query{
		{Sort: index.SortDate, MinConfidence: 0.5, Facets: true},
		{Sort: index.SortDate, Facets: true},
		{Investor: "softbank", MinConfidence: 0.5},
		{Investor: "softbank"},
		{AmountUSD: index.Range{Min: 1e9}, MinConfidence: 0.5},
		{Sort: index.SortAmount, MinConfidence: 0.5},
		{Sort: index.SortAmount, MinConfidence: 0.2},
		{Round: "acquisition", MinConfidence: 0.5, Facets: true},
		{Investor: "nvidia", MinConfidence: 0.95, Facets: true},
		{Text: "nvidia", Sort: index.SortDate},
		{Capacity: index.Range{Min: 1e9}, MinConfidence: 0.5},
	} {
		q.Size = index.MaxSize
		want, err := fresh.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := old.Search(t.Context(), q)
		if err != nil {
			t.Fatalf("Search(%+v) on the migrated file: %v", q, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Search(%+v): migrated file (+) answers unlike a new one (-):\n%s", q, diff)
		}
	}

	dealIDs := func() []string {
		t.Helper()
		res, err := old.SearchDeals(t.Context(), index.Query{MinConfidence: 0.5, Sort: index.SortDate})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		return ids
	}
	if got := dealIDs(); !slices.Equal(got, []string{"d5", "d3", "d4", "d2", "d1"}) {
		t.Errorf("migrated deals at min_confidence 0.5 = %v, want all five (unscored)", got)
	}
	for _, err := range old.IndexDeals(t.Context(), indextest.DealRecords()) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := dealIDs(); !slices.Equal(got, []string{"d5", "d3", "d2", "d1"}) {
		t.Errorf("deals indexed again at min_confidence 0.5 = %v, want d4 (0.2) hidden", got)
	}

	// Writing to the migrated file, and opening it again, work as usual.
	changed := indextest.Records()[2]
	changed.Extraction.Deals[1].Confidence = 0.8
	if errs := old.Index(t.Context(), []news.Record{changed}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	res, err := old.Search(t.Context(), index.Query{Investor: "softbank", MinConfidence: 0.5})
	if err != nil || res.Total != 1 {
		t.Errorf("after re-indexing r3 with Delta at 0.8: total %d, %v; want 1", res.Total, err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(t.Context(), cfg, nil)
	if err != nil {
		t.Fatalf("reopening the migrated file: %v", err)
	}
	again.Close()
}
