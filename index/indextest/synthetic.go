package indextest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/dealwire/dealwire/news"
)

// Synthetic generates deterministic, realistic-looking records one at a
// time, so that a benchmark of a million records never holds them all: a
// title and about 150 words of text each, mostly one deal (some none, some
// two) with 0 to 4 investors, amounts over five currencies and dates over
// 2023 to 2025. About one deal in seven has a confidence below 0.5, the
// others 0.5 to 0.99. The records of one seed are always the same, in the
// same order.
type Synthetic struct {
	rng  *rand.Rand
	base time.Time
	i    int
	sb   strings.Builder
}

// NewSynthetic returns a generator whose first record is record 0 of seed.
func NewSynthetic(seed uint64) *Synthetic {
	return &Synthetic{rng: rand.New(rand.NewPCG(seed, seed+1)), base: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// Next returns the next record; its id is "bench" and its 7-digit number.
func (g *Synthetic) Next() news.Record {
	rng, i, sb := g.rng, g.i, &g.sb
	g.i++
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
		fmt.Fprintf(sb, "%s raised %s in a %s round", deal.Company, amount.Text, round)
		if len(deal.Investors) > 0 {
			fmt.Fprintf(sb, " led by %s", deal.Investors[0].Name)
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
	r.Article.PublishedAt = g.base.Add(time.Duration(rng.Int64N(int64(3 * 365 * 24 * time.Hour))))
	return r
}
