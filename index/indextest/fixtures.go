package indextest

import (
	"time"

	"github.com/dealwire/dealwire/news"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err) // impossible: literal dates below
	}
	return t.Add(9 * time.Hour)
}

func money(v float64, cur, text string) *news.Money {
	d, err := news.ParseDecimal(trimFloat(v))
	if err != nil {
		panic(err) // impossible: literal values below
	}
	return &news.Money{Value: d, Currency: cur, Text: text}
}

func trimFloat(v float64) string {
	return news.Decimal{Coef: int64(v), Exp: 0}.String()
}

func watts(v float64, text string) news.Capacity {
	d, err := news.ParseDecimal(trimFloat(v))
	if err != nil {
		panic(err) // impossible: literal values below
	}
	return news.Capacity{ValueWatts: d, Text: text}
}

func inv(name, canonical string, lead bool) news.Investor {
	return news.Investor{Name: name, Canonical: canonical, Lead: lead}
}

func rec(id, source, published, title, text string, deals ...news.Deal) news.Record {
	a := news.Article{
		V: news.SchemaVersion, ID: id, URL: "https://example.com/" + id, CanonicalURL: "https://example.com/" + id,
		Source: source, Title: title, Text: text, Lang: "en", FetchedAt: day("2024-04-01"),
	}
	if published != "" {
		a.PublishedAt = day(published)
	}
	if deals == nil {
		deals = []news.Deal{}
	}
	return news.Record{
		V: news.SchemaVersion, Article: a, ExtractorVersion: "test-1", ExtractedAt: day("2024-04-02"),
		Extraction: news.Extraction{Deals: deals, PriorAmounts: []news.Figure{}, OtherAmounts: []news.Figure{}},
	}
}

// Records is the fixture every query case runs against. Dates are distinct,
// so date order is total; see the comments for what each record tests.
//
// Confidences: r1's deal and r3's Gamma deal 0.9, r3's Delta deal and r7's
// deal 0.2, every other deal unscored (0). At min_confidence 0.5, Delta
// (SoftBank, $3B, series d) and Iota (acquisition) are hidden.
func Records() []news.Record {
	r8 := rec("r8", "sifted", "2024-01-30", "Kappa raises £40m Series A led by Index Ventures",
		"London-based Kappa has raised £40m in a Series A round led by Index Ventures, at a valuation of £200m.",
		news.Deal{Company: "Kappa", Round: "series a", Amount: money(40e6, "GBP", "£40m"),
			Valuation: &news.Valuation{Money: *money(200e6, "GBP", "£200m"), Basis: "post-money"},
			Investors: []news.Investor{inv("Index Ventures", "Index Ventures", true)}})
	r8.Extraction.PriorAmounts = []news.Figure{{Kind: "round", Value: &news.Decimal{Coef: 5, Exp: 6}, Currency: "GBP", Text: "£5m"}}
	return []news.Record{
		// r1: Nvidia leads a $2B round: the one record for "lead investor Nvidia" and "Nvidia over $1B".
		rec("r1", "techcrunch", "2024-01-15", "Nvidia leads $2B Series C in Acme AI",
			"Acme AI raised $2 billion in a Series C round led by Nvidia, with Sequoia Capital joining. The round values the company at $20 billion.",
			news.Deal{Company: "Acme AI", Round: "series c", Amount: money(2e9, "USD", "$2 billion"),
				Valuation:  &news.Valuation{Money: *money(20e9, "USD", "$20 billion"), Basis: "post-money"},
				Investors:  []news.Investor{inv("Nvidia", "Nvidia", true), inv("Sequoia", "Sequoia Capital", false)},
				Confidence: 0.9}),
		// r2: euro amount, investor known by a nickname.
		rec("r2", "sifted", "2024-02-10", "Beta Robotics raises €500m",
			"Beta Robotics closed a €500m Series B. a16z led the round; Nvidia also took part.",
			news.Deal{Company: "Beta Robotics", Round: "Series B", Amount: money(500e6, "EUR", "€500m"),
				Investors: []news.Investor{inv("a16z", "Andreessen Horowitz", true), inv("Nvidia", "Nvidia", false)}}),
		// r3: two deals. Nvidia is in the small one, the big one is $3B: "Nvidia over $1B" must not match.
		// The big one is doubtful (0.2): at min_confidence 0.5 r3 is a $10M seed record.
		rec("r3", "techcrunch", "2024-02-20", "Gamma gets $10M seed with Nvidia while Delta raises $3B",
			"Gamma raised a $10M seed round from Nvidia. Separately, Delta raised $3B in a Series D led by SoftBank.",
			news.Deal{Company: "Gamma", Round: "seed", Amount: money(10e6, "USD", "$10M"),
				Investors: []news.Investor{inv("Nvidia", "Nvidia", false)}, Confidence: 0.9},
			news.Deal{Company: "Delta", Round: "series d", Amount: money(3e9, "USD", "$3B"),
				Investors: []news.Investor{inv("SoftBank", "SoftBank", true)}, Confidence: 0.2}),
		// r4: yen debt for a 2 GW solar farm: native amount large, USD amount small, capacity.
		rec("r4", "nikkei", "2024-03-05", "Solar developer Epsilon secures ¥15bn for 2 GW",
			"Epsilon secured ¥15bn in project debt from Mizuho to build 2 GW of solar capacity.",
			news.Deal{Company: "Epsilon", Round: "debt", Amount: money(15e9, "JPY", "¥15bn"),
				Investors: []news.Investor{inv("Mizuho", "Mizuho", true)},
				Capacity:  []news.Capacity{watts(2e9, "2 GW")}}),
		// r5: no deal; Nvidia only in the text.
		rec("r5", "sifted", "2023-12-01", "Zeta closes its second fund",
			"Zeta, an early backer of companies that now sell to Nvidia, closed its second fund."),
		// r6: Series B with a 500 MW battery and Nvidia as a follower.
		rec("r6", "techcrunch", "2024-03-20", "Eta Energy raises $150 million for 500 MW battery",
			"Eta Energy raised $150 million in a Series B led by BlackRock, with Nvidia participating, to build 500 MW of storage.",
			news.Deal{Company: "Eta Energy", Round: "series b", Amount: money(150e6, "USD", "$150 million"),
				Investors: []news.Investor{inv("BlackRock", "BlackRock", true), inv("Nvidia", "Nvidia", false)},
				Capacity:  []news.Capacity{watts(500e6, "500 MW")}}),
		// r7: no published date (its date is the fetch time, 2024-04-01) and a doubtful deal without amount.
		rec("r7", "reuters", "", "Theta acquires Iota",
			"Theta said it would acquire Iota for an undisclosed sum.",
			news.Deal{Company: "Iota", Round: "acquisition", Acquirer: "Theta", Confidence: 0.2}),
		r8,
	}
}
