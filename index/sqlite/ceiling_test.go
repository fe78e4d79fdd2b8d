package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/indexstage"
	"github.com/dealwire/dealwire/indexstage/indexstagetest"
	"github.com/dealwire/dealwire/news"
)

// BenchmarkIndexCeiling times the index stage (JetStream consumer, bulk
// write, per-message acks) into a fresh SQLite file beside the ceiling: the
// same rows inserted straight into the same schema by a minimal loader, one
// transaction per batch of the stage's size, values computed before the
// clock starts. Stage and ceiling take turns, in the same run; the figure
// to read is stage/ceiling. scripts/bench-index runs it:
//
//	go test -run '^$' -bench IndexCeiling -benchtime 1x -timeout 1h ./index/sqlite
//
// DEALWIRE_BENCH_INDEX_RECORDS and DEALWIRE_BENCH_INDEX_ROUNDS size it (see
// [indexstagetest]).
func BenchmarkIndexCeiling(b *testing.B) {
	n, rounds := indexstagetest.Size(b)
	recs := indextest.SyntheticRecords(n, 1)
	rates, err := fx.Default()
	if err != nil {
		b.Fatal(err)
	}
	cfg := indexstage.Config{}.WithDefaults()
	js := indexstagetest.Stream(b, recs)
	rows := ceilingRows(b, recs, rates)
	b.ResetTimer()
	for b.Loop() {
		indexstagetest.Compare(b, n, rounds,
			func(b *testing.B, round int, clock *indexstagetest.Clock) {
				s := openBench(b, fmt.Sprintf("stage%d.db", round), rates)
				indexstagetest.Run(b, js, s, cfg, clock)
				checkCount(b, s, n)
			},
			func(b *testing.B, round int, clock *indexstagetest.Clock) {
				s := openBench(b, fmt.Sprintf("ceiling%d.db", round), rates)
				clock.Start()
				loadCeiling(b, s.rec, rows, cfg.Batch)
				clock.Stop()
				checkCount(b, s, n)
			}, nil)
	}
}

func openBench(b *testing.B, name string, rates *fx.Table) *Store {
	b.Helper()
	s, err := Open(b.Context(), Config{Path: filepath.Join(b.TempDir(), name), Rates: rates}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func checkCount(b *testing.B, s *Store, want int) {
	b.Helper()
	res, err := s.Search(b.Context(), index.Query{Size: 1})
	if err != nil {
		b.Fatal(err)
	}
	if res.Total != want {
		b.Fatalf("the store holds %d records, want %d", res.Total, want)
	}
}

// ceilingRow is one record's rows, every value ready to bind. Row ids are
// given, not read back, as a loader into an empty file may.
type ceilingRow struct {
	record                      []any
	terms, deals, invs, capacit [][]any
	amounts                     [][]any
	month                       string
	ts                          []recordTerm // terms again, for facet_totals
}

// ceilingRows computes the rows of recs the way the store does (same
// columns, same values), before any clock runs.
func ceilingRows(b *testing.B, recs []news.Record, rates *fx.Table) []ceilingRow {
	b.Helper()
	out := make([]ceilingRow, len(recs))
	dealID := int64(0)
	for i, rec := range recs {
		raw, err := json.Marshal(rec)
		if err != nil {
			b.Fatal(err)
		}
		d := index.NewDoc(rec, rates)
		rid := int64(i + 1)
		month := ""
		if !d.Date.IsZero() {
			month = d.Date.Format("2006-01")
		}
		amountConf, dealConf := 1.0, 0.0
		if d.AmountUSDMax > 0 {
			amountConf = 0
		}
		for _, deal := range d.Deals {
			if deal.AmountUSD == d.AmountUSDMax && d.AmountUSDMax > 0 {
				amountConf = max(amountConf, upTo(deal.Confidence))
			}
			dealConf = max(dealConf, upTo(deal.Confidence))
		}
		r := ceilingRow{record: []any{rid, d.ID, d.Source, d.URL, d.Title, d.Text, d.Lang, timeText(d.Published), timeText(d.Fetched),
			d.Date.UnixMilli(), month, rec.ExtractorVersion, d.AmountUSDMax, string(raw), amountConf, dealConf}}
		terms := map[[2]string]float64{}
		var order [][2]string
		addTerm := func(kind, value string, conf float64) {
			k := [2]string{kind, value}
			if value == "" {
				return
			}
			if c, ok := terms[k]; !ok || conf > c {
				if !ok {
					order = append(order, k)
				}
				terms[k] = conf
			}
		}
		for _, src := range d.Sources {
			addTerm("source", src, 1)
		}
		for pos, deal := range d.Deals {
			dealID++
			addTerm("round", deal.Round, upTo(deal.Confidence))
			addTerm("currency", deal.Currency, upTo(deal.Confidence))
			r.deals = append(r.deals, []any{dealID, rid, d.ID, pos, deal.Company, deal.CompanyKey, deal.Round,
				null(deal.Amount), nullText(deal.Currency), null(deal.AmountUSD),
				null(deal.Valuation), nullText(deal.ValuationCurrency), null(deal.ValuationUSD), nullText(deal.ValuationBasis),
				null(deal.Confidence)})
			for _, inv := range deal.Investors {
				addTerm("investor", inv.Canonical, upTo(deal.Confidence))
				r.invs = append(r.invs, []any{dealID, rid, d.ID, inv.Name, inv.Canonical, index.Key(inv.Canonical), index.Key(inv.Name),
					inv.Lead, null(inv.Amount), nullText(inv.Currency), null(inv.AmountUSD)})
			}
			for _, w := range deal.CapacityWatts {
				r.capacit = append(r.capacit, []any{dealID, rid, d.ID, w})
			}
		}
		for _, k := range order {
			r.terms = append(r.terms, []any{rid, k[0], k[1], terms[k]})
			r.ts = append(r.ts, recordTerm{k[0], k[1], terms[k]})
		}
		r.month = month
		for _, a := range d.Amounts {
			var pos any
			if a.Deal >= 0 {
				pos = a.Deal
			}
			r.amounts = append(r.amounts, []any{rid, d.ID, pos, a.Kind, a.Value, a.Currency, null(a.USD), a.Text, a.Span.Start, a.Span.End})
		}
		out[i] = r
	}
	return out
}

// loadCeiling inserts rows into d, batch rows per transaction, through the
// store's own writer connection (WAL, synchronous=FULL): the records of a
// batch in one statement (so that FTS5 writes one segment a batch), the
// rows of the other tables with one prepared statement each, then the
// derived tables' rows of the batch with one statement each.
func loadCeiling(b *testing.B, d *db, rows []ceilingRow, batch int) {
	b.Helper()
	ctx := b.Context()
	for i := 0; i < len(rows); i += batch {
		if err := ceilingBatch(ctx, d, rows[i:min(i+batch, len(rows))]); err != nil {
			b.Fatalf("ceiling: %v", err)
		}
	}
}

func ceilingBatch(ctx context.Context, d *db, rows []ceilingRow) error {
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var recArgs []any
	for _, r := range rows {
		recArgs = append(recArgs, r.record...)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO records (rid, id, source, url, title, text, lang, published_at, fetched_at,
		date_ms, month, extractor_version, amount_usd_max, record, amount_usd_max_conf, deal_conf)
		VALUES `+placeholders(len(rows), 16), recArgs...); err != nil {
		return err
	}
	for _, t := range []struct {
		query string
		args  func(r ceilingRow) [][]any
	}{
		{`INSERT INTO record_terms (rid, kind, value, confidence) VALUES (?, ?, ?, ?)`,
			func(r ceilingRow) [][]any { return r.terms }},
		{`INSERT INTO deals (deal_id, rid, article_id, position, company, company_key, round, amount, currency, amount_usd,
			valuation, valuation_currency, valuation_usd, valuation_basis, confidence)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			func(r ceilingRow) [][]any { return r.deals }},
		{`INSERT INTO investors (deal_id, rid, article_id, name, canonical, key, name_key, lead, amount, currency, amount_usd)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			func(r ceilingRow) [][]any { return r.invs }},
		{`INSERT INTO capacities (deal_id, rid, article_id, watts) VALUES (?, ?, ?, ?)`,
			func(r ceilingRow) [][]any { return r.capacit }},
		{`INSERT INTO amounts (rid, article_id, position, kind, value, currency, usd, text, span_start, span_end)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			func(r ceilingRow) [][]any { return r.amounts }},
	} {
		st, err := tx.PrepareContext(ctx, t.query)
		if err != nil {
			return err
		}
		for _, r := range rows {
			for _, a := range t.args(r) {
				if _, err := st.ExecContext(ctx, a...); err != nil {
					st.Close()
					return err
				}
			}
		}
		st.Close()
	}
	// record_keys and facet_totals, as the store derives them: by batch.
	lo, hi := rows[0].record[0].(int64)-1, rows[len(rows)-1].record[0].(int64)
	if _, err := tx.ExecContext(ctx, deriveKeys, lo, hi); err != nil {
		return err
	}
	counts := facetCounts{}
	for _, r := range rows {
		counts.add(r.month, r.ts)
	}
	if err := addTotals(ctx, tx, counts); err != nil {
		return err
	}
	return tx.Commit()
}
