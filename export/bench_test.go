package export

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/sqlite"
	"github.com/dealwire/dealwire/news"
)

var (
	benchCompanies = []string{"Acme", "Borealis", "Cobalt", "Dynamo", "Ember", "Fathom", "Granite", "Helix", "Ion", "Juniper"}
	benchSuffixes  = []string{"AI", "Robotics", "Energy", "Health", "Labs", "Systems"}
	benchRounds    = []string{"seed", "series a", "series b", "series c", "growth", "debt"}
	benchInvestors = []string{"Sequoia Capital", "Andreessen Horowitz", "Nvidia", "SoftBank", "Index Ventures", "Accel", "Tiger Global", "Lightspeed"}
	benchOutlets   = []string{"techcrunch", "reuters", "sifted", "bloomberg", "nikkei", "the-information"}
	benchCurrency  = []struct{ code, sym string }{{"USD", "$"}, {"USD", "$"}, {"USD", "$"}, {"EUR", "€"}, {"GBP", "£"}, {"JPY", "¥"}}
)

// syntheticDeal is deal number i of a deterministic stream: one to three
// sources, each with its evidence sentence and the spans of its figures,
// zero to four investors, a valuation for one deal in three, a power
// figure for one in ten, confidences from 0.5 to 0.99.
func syntheticDeal(rng *rand.Rand, i int) news.DealRecord {
	base := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	company := fmt.Sprintf("%s %s %d", benchCompanies[rng.IntN(len(benchCompanies))], benchSuffixes[rng.IntN(len(benchSuffixes))], i)
	round := benchRounds[rng.IntN(len(benchRounds))]
	cur := benchCurrency[rng.IntN(len(benchCurrency))]
	amount := &news.Money{Value: news.Decimal{Coef: 10 + rng.Int64N(90), Exp: int32(5 + rng.IntN(6))}, Currency: cur.code}
	amount.Text = cur.sym + amount.Value.String()
	published := base.Add(time.Duration(rng.Int64N(int64(3 * 365 * 24 * time.Hour)))).Truncate(time.Second)
	sentence := company + " raised " + amount.Text + " in a " + round + " round"
	d := news.Deal{Company: company, Round: round, Confidence: 0.5 + float64(i%50)/100}
	for k := range rng.IntN(5) {
		name := benchInvestors[(i+k)%len(benchInvestors)]
		inv := news.Investor{Name: name, Canonical: name, Lead: k == 0}
		if k == 0 {
			sentence += " led by "
			inv.Span = news.Span{Start: len(sentence), End: len(sentence) + len(name)}
			sentence += name
		}
		d.Investors = append(d.Investors, inv)
	}
	sentence += "."
	prefix := "Today, "
	amt := *amount
	start := len(prefix) + len(company) + len(" raised ")
	amt.Span = news.Span{Start: start, End: start + len(amount.Text)}
	d.Amount = &amt
	d.Evidence, d.EvidenceSpan = sentence, news.Span{Start: len(prefix), End: len(prefix) + len(sentence)}
	for k := range d.Investors {
		if d.Investors[k].Span.End > 0 {
			d.Investors[k].Span.Start += len(prefix)
			d.Investors[k].Span.End += len(prefix)
		}
	}
	if rng.IntN(3) == 0 {
		d.Valuation = &news.Valuation{Money: news.Money{Value: news.Decimal{Coef: amount.Value.Coef, Exp: amount.Value.Exp + 1}, Currency: cur.code}, Basis: "post-money"}
	}
	if rng.IntN(10) == 0 {
		d.Capacity = []news.Capacity{{ValueWatts: news.Decimal{Coef: 1 + rng.Int64N(999), Exp: 6}, Text: "MW"}}
	}
	dr := news.DealRecord{V: news.SchemaVersion, ID: fmt.Sprintf("deal%07d", i), Company: company, CompanyKey: index.Key(company),
		Round: round, AnnouncedAt: published, Amount: amount, Valuation: d.Valuation, Investors: d.Investors, Capacity: d.Capacity,
		Confidence: d.Confidence, UpdatedAt: published.Add(time.Hour)}
	dr.Key = dr.CompanyKey + "|" + round + "|" + published.Format(time.DateOnly)
	for k := range 1 + rng.IntN(3) {
		article := fmt.Sprintf("a%07d-%d", i, k)
		dr.Sources = append(dr.Sources, news.DealSource{ArticleID: article, URL: "https://news.example.com/" + article,
			Source: benchOutlets[(i+k)%len(benchOutlets)], Title: company + " raises " + amount.Text,
			PublishedAt: published.Add(time.Duration(k) * time.Hour), Authority: 1, ExtractorVersion: "bench-1",
			ExtractedAt: published.Add(time.Hour), Deal: d})
	}
	return dr
}

// loadSynthetic indexes n synthetic deals into s in batches.
func loadSynthetic(ctx context.Context, s index.DealStore, n int) error {
	rng := rand.New(rand.NewPCG(7, 11))
	const batch = 1000
	deals := make([]news.DealRecord, 0, batch)
	for i := 0; i < n; i += batch {
		deals = deals[:0]
		for k := i; k < min(i+batch, n); k++ {
			deals = append(deals, syntheticDeal(rng, k))
		}
		for k, err := range s.IndexDeals(ctx, deals) {
			if err != nil {
				return fmt.Errorf("indexing synthetic deal %d: %w", i+k, err)
			}
		}
	}
	return nil
}

// benchStore opens the SQLite file DEALWIRE_EXPORT_BENCH_DB (default: a
// temporary one) and loads DEALWIRE_EXPORT_BENCH_DEALS synthetic deals
// (default 20000) into it unless it holds that many already.
func benchStore(b *testing.B) *sqlite.Store {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("DEALWIRE_EXPORT_BENCH_DEALS")); err == nil && v > 0 {
		n = v
	}
	path := os.Getenv("DEALWIRE_EXPORT_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "bench.db")
	}
	s, err := sqlite.Open(b.Context(), sqlite.Config{Path: path}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	// By date: the default sort (relevance) would sort every deal.
	res, err := s.SearchDeals(b.Context(), index.Query{Size: 1, Sort: index.SortDate})
	if err != nil {
		b.Fatal(err)
	}
	if res.Total < n {
		t0 := time.Now()
		if err := loadSynthetic(b.Context(), s, n); err != nil {
			b.Fatal(err)
		}
		d := time.Since(t0)
		b.Logf("indexed %d deals in %s (%.0f deals/s)", n, d.Round(time.Millisecond), float64(n)/d.Seconds())
	}
	return s
}

// BenchmarkLoad only loads the deals of benchStore: scripts/bench-export
// runs it with DEALWIRE_EXPORT_BENCH_DB set to keep the file, then times
// "dealwire export" on it.
func BenchmarkLoad(b *testing.B) {
	benchStore(b)
}

// BenchmarkExport exports the deals of benchStore to io.Discard in every
// format and kind of rows, a sub-benchmark each (BenchmarkExport/csv/deals),
// and reports rows/s.
func BenchmarkExport(b *testing.B) {
	s := benchStore(b)
	for _, f := range []Format{FormatCSV, FormatNDJSON, FormatParquet} {
		for _, r := range []Rows{RowsDeals, RowsInvestors, RowsAmounts} {
			b.Run(string(f)+"/"+string(r), func(b *testing.B) {
				var p Progress
				for b.Loop() {
					var err error
					if p, err = Export(b.Context(), io.Discard, s, Options{Format: f, Rows: r}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(p.Written)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
				b.Logf("%s", p)
			})
		}
	}
}

// BenchmarkWrite measures the export's own work, without the index: it
// turns 1000 synthetic deal records into rows and writes them in each
// format and kind of rows (BenchmarkWrite/csv/deals), per deal.
func BenchmarkWrite(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 11))
	deals := make([]news.DealRecord, 1000)
	for i := range deals {
		deals[i] = syntheticDeal(rng, i)
	}
	rates, err := fx.Default()
	if err != nil {
		b.Fatal(err)
	}
	c := newConverter(rates)
	for _, f := range []Format{FormatCSV, FormatNDJSON, FormatParquet} {
		b.Run(string(f)+"/deals", func(b *testing.B) { benchWrite(b, f, deals, c.appendDeal) })
		b.Run(string(f)+"/investors", func(b *testing.B) {
			benchWrite(b, f, deals, func(rows []InvestorRow, dr *news.DealRecord) []InvestorRow { return c.appendInvestors(rows, dr, nil) })
		})
		b.Run(string(f)+"/amounts", func(b *testing.B) { benchWrite(b, f, deals, c.appendAmounts) })
	}
}

func benchWrite[T any](b *testing.B, f Format, deals []news.DealRecord, build func([]T, *news.DealRecord) []T) {
	b.ReportAllocs()
	var rows []T
	n := 0
	for b.Loop() {
		enc, err := newEncoder[T](f, io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		for page := range slices.Chunk(deals, index.MaxSize) {
			rows = rows[:0]
			for i := range page {
				rows = build(rows, &page[i])
			}
			if err := enc.Write(rows); err != nil {
				b.Fatal(err)
			}
		}
		if err := enc.Close(); err != nil {
			b.Fatal(err)
		}
		n += len(deals)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/deal")
}
