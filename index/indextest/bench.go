package indextest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// BenchRecords is how many records [Benchmark] loads.
const BenchRecords = 100_000

// BenchQuery is one of the typical queries [Benchmark] times.
type BenchQuery struct {
	Name string
	Q    index.Query
	// Depth pages this far (in hits) with cursors before timing, to measure
	// a page deep in the results.
	Depth int
}

// BenchQueries are the queries [Benchmark] times.
func BenchQueries() []BenchQuery {
	return []BenchQuery{
		{Name: "text", Q: index.Query{Text: "nvidia"}},
		{Name: "phrase+word", Q: index.Query{Text: `"series b" robotics`}},
		{Name: "investor+usd", Q: index.Query{Investor: "Nvidia", AmountUSD: index.Range{Min: 1e8}, Sort: index.SortDate}},
		{Name: "round+quarter_by_amount", Q: index.Query{Round: "seed", Sort: index.SortAmount,
			PublishedFrom: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC), PublishedTo: time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)}},
		{Name: "facets_all", Q: index.Query{Facets: true}},
		{Name: "text+facets", Q: index.Query{Text: "energy", Facets: true}},
		{Name: "date_page_at_2000", Q: index.Query{Sort: index.SortDate}, Depth: 2000},
		// The same kinds of query with the default min_confidence, which
		// the API and the command line apply unless told otherwise.
		{Name: "conf:investor+usd", Q: index.Query{Investor: "Nvidia", AmountUSD: index.Range{Min: 1e8}, Sort: index.SortDate, MinConfidence: 0.5}},
		{Name: "conf:all_by_amount", Q: index.Query{Sort: index.SortAmount, MinConfidence: 0.5}},
		{Name: "conf:facets_all", Q: index.Query{Facets: true, MinConfidence: 0.5}},
		{Name: "conf:text+facets", Q: index.Query{Text: "energy", Facets: true, MinConfidence: 0.5}},
	}
}

// Benchmark loads [BenchRecords] synthetic records into s, in batches of
// batch written by writers concurrent Index calls (as the index stage's
// workers do), and reports the indexing rate and the p50 and p99 latency of
// each of [BenchQueries] over rounds runs. It does the work once whatever
// b.N is; run it with -benchtime 1x.
//
// DEALWIRE_BENCH_RECORDS overrides the number of records for a quick run.
func Benchmark(b *testing.B, s index.Store, batch, writers, rounds int) {
	n := BenchRecords
	if v, err := strconv.Atoi(os.Getenv("DEALWIRE_BENCH_RECORDS")); err == nil && v > 0 {
		n = v
	}
	recs := SyntheticRecords(n, 1)
	var bytes int
	for _, r := range recs {
		bytes += len(r.Article.Text) + len(r.Article.Title)
	}
	b.ResetTimer()
	start := time.Now()
	var g errgroup.Group
	g.SetLimit(writers)
	for i := 0; i < len(recs); i += batch {
		chunk := recs[i:min(i+batch, len(recs))]
		g.Go(func() error {
			for k, err := range s.Index(b.Context(), chunk) {
				if err != nil {
					return fmt.Errorf("indexing record %d: %w", i+k, err)
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	if err := s.Refresh(b.Context()); err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	b.StopTimer()
	rate := float64(len(recs)) / took.Seconds()
	b.ReportMetric(rate, "records/s")
	b.Logf("indexed %d records (%.0f MB of text) in %v: %.0f records/s, batches of %d, %d writers",
		len(recs), float64(bytes)/1e6, took.Round(time.Millisecond), rate, batch, writers)

	for _, bq := range BenchQueries() {
		qstart := time.Now()
		q := bq.Q
		q.Size = 20
		var total int
		if bq.Depth > 0 {
			for seen := 0; seen < bq.Depth; seen += q.Size {
				res, err := s.Search(b.Context(), q)
				if err != nil {
					b.Fatalf("%s: paging: %v", bq.Name, err)
				}
				q.After = res.Next
			}
		}
		lat := make([]time.Duration, 0, rounds)
		for i := range rounds + 3 {
			t0 := time.Now()
			res, err := s.Search(b.Context(), q)
			d := time.Since(t0)
			if err != nil {
				b.Fatalf("%s: %v", bq.Name, err)
			}
			if i >= 3 { // the first runs warm caches
				lat = append(lat, d)
			}
			total = res.Total
		}
		slices.Sort(lat)
		p50, p99 := lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)]
		b.ReportMetric(float64(p50.Microseconds())/1000, bq.Name+"-p50-ms")
		b.ReportMetric(float64(p99.Microseconds())/1000, bq.Name+"-p99-ms")
		b.Logf("%-24s total %6d  p50 %8.2fms  p99 %8.2fms  (%d runs in %v)", bq.Name, total,
			float64(p50.Microseconds())/1000, float64(p99.Microseconds())/1000, rounds, time.Since(qstart).Round(time.Millisecond))
	}
}

var (
	benchWords = strings.Fields(`the company said its platform customers growth market revenue software data cloud
		startup founders team product launch expand europe asia america hiring engineers model training compute
		infrastructure energy solar battery storage grid robotics logistics health biotech drug clinical trial
		payments fintech bank lending insurance climate carbon hydrogen nuclear fusion chips semiconductor design
		security identity developer tools open source agents enterprise consumer retail mobility electric vehicles
		charging satellites defense space quantum materials manufacturing supply chain agriculture food water`)
	benchInvestors = []string{"Nvidia", "Sequoia Capital", "Andreessen Horowitz", "SoftBank", "Tiger Global",
		"Accel", "Index Ventures", "Lightspeed", "General Catalyst", "Insight Partners", "Thrive Capital",
		"Coatue", "BlackRock", "Microsoft", "Google", "Amazon", "Khosla Ventures", "Founders Fund", "Balderton",
		"Atomico", "Mizuho", "Temasek", "GIC", "Mubadala", "Breakthrough Energy Ventures"}
	benchRounds     = []string{"pre-seed", "seed", "series a", "series b", "series c", "series d", "growth", "debt", "grant"}
	benchCurrencies = []struct {
		code string
		sym  string
		p    float64
	}{{"USD", "$", 0.70}, {"EUR", "€", 0.15}, {"GBP", "£", 0.08}, {"INR", "₹", 0.04}, {"JPY", "¥", 0.03}}
)

// SyntheticRecords returns n deterministic, realistic-looking records: a
// title and about 150 words of text each, mostly one deal (some none, some
// two) with 0 to 4 investors, amounts over five currencies and dates over
// 2023 to 2025. About one deal in seven has a confidence below 0.5, the
// others 0.5 to 0.99.
func SyntheticRecords(n int, seed uint64) []news.Record {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	base := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]news.Record, n)
	var sb strings.Builder
	for i := range out {
		company := fmt.Sprintf("%s %s%d", strings.ToUpper(benchWords[rng.IntN(len(benchWords))][:1])+benchWords[rng.IntN(len(benchWords))][1:],
			[]string{"Labs", "AI", "Energy", "Robotics", "Health", "Systems"}[rng.IntN(6)], i%997)
		ndeals := 1
		switch p := rng.Float64(); {
		case p < 0.1:
			ndeals = 0
		case p < 0.2:
			ndeals = 2
		}
		var deals []news.Deal
		sb.Reset()
		for d := range ndeals {
			cur := benchCurrencies[len(benchCurrencies)-1]
			p, acc := rng.Float64(), 0.0
			for _, c := range benchCurrencies {
				if acc += c.p; p < acc {
					cur = c
					break
				}
			}
			// Amounts from 100k to 10bn, log-uniform, two significant digits.
			mant := 10 + rng.Int64N(90)
			exp := int32(4 + rng.IntN(8))
			amount := news.Money{Value: news.Decimal{Coef: mant, Exp: exp}, Currency: cur.code}
			amount.Text = fmt.Sprintf("%s%s", cur.sym, amount.Value.String())
			round := benchRounds[rng.IntN(len(benchRounds))]
			deal := news.Deal{Company: company, Round: round, Amount: &amount}
			if d == 1 {
				deal.Company = company + " Holdings"
			}
			for k := range rng.IntN(5) {
				name := benchInvestors[rng.IntN(len(benchInvestors))]
				deal.Investors = append(deal.Investors, news.Investor{Name: name, Canonical: name, Lead: k == 0 && rng.IntN(10) < 6})
			}
			if rng.IntN(10) == 0 {
				deal.Capacity = []news.Capacity{{ValueWatts: news.Decimal{Coef: 1 + rng.Int64N(999), Exp: 6}, Text: "MW"}}
			}
			// Not drawn from rng, so that every other value is what it was
			// before records had confidences.
			deal.Confidence = 0.5 + float64((i*31+d*17)%50)/100
			if (i+d)%7 == 0 {
				deal.Confidence = 0.1 + float64(i%30)/100
			}
			deals = append(deals, deal)
			fmt.Fprintf(&sb, "%s raised %s in a %s round", deal.Company, amount.Text, round)
			if len(deal.Investors) > 0 {
				fmt.Fprintf(&sb, " led by %s", deal.Investors[0].Name)
			}
			sb.WriteString(". ")
		}
		for w := range 150 {
			sb.WriteString(benchWords[rng.IntN(len(benchWords))])
			if w%15 == 14 {
				sb.WriteString(". ")
			} else {
				sb.WriteByte(' ')
			}
		}
		title := company + " " + []string{"raises funding", "announces new round", "expands", "closes deal"}[rng.IntN(4)]
		if ndeals > 0 {
			title = fmt.Sprintf("%s raises %s %s", company, deals[0].Amount.Text, deals[0].Round)
		}
		id := fmt.Sprintf("bench%07d", i)
		r := rec(id, fmt.Sprintf("source%02d", rng.IntN(20)), "", title, sb.String(), deals...)
		r.Article.PublishedAt = base.Add(time.Duration(rng.Int64N(int64(3 * 365 * 24 * time.Hour))))
		out[i] = r
	}
	return out
}
