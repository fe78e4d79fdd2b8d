package alerts

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/dealwire/dealwire/news"
)

func money(v int64, cur string) *news.Money {
	return &news.Money{Value: news.Decimal{Coef: v}, Currency: cur}
}

// testDeal is a Series B of Acme Robotics: 40M EUR at 300M EUR post-money,
// led by Sequoia Capital (written "Sequoia") with Andreessen Horowitz
// (written "a16z"), 2 GW of capacity, confidence 0.8, one source.
func testDeal() news.DealRecord {
	return news.DealRecord{
		V: 1, ID: "d1", Company: "Acme Robotics", CompanyKey: "acme robotics", Round: "series b",
		AnnouncedAt: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC),
		Amount:      money(40_000_000, "EUR"),
		Valuation:   &news.Valuation{Money: *money(300_000_000, "EUR"), Basis: "post-money"},
		Investors: []news.Investor{
			{Name: "Sequoia", Canonical: "Sequoia Capital", Lead: true},
			{Name: "a16z", Canonical: "Andreessen Horowitz"},
		},
		Capacity:   []news.Capacity{{ValueWatts: news.Decimal{Coef: 2, Exp: 9}, Text: "2 GW"}},
		Confidence: 0.8,
		Sources: []news.DealSource{{
			ArticleID: "a1", URL: "https://news.example/acme", Source: "technews",
			Title: "Acme Robotics raises €40M to build warehouse robots",
			Deal:  news.Deal{Evidence: "Acme Robotics, the Berlin maker of warehouse robots, raised €40 million in a Series B."},
		}},
	}
}

func TestRuleMatch(t *testing.T) {
	tests := []struct {
		name string
		rule RuleConfig
		edit func(*news.DealRecord)
		want bool
	}{
		{"no conditions", RuleConfig{}, nil, true},
		{"amount in USD below (40M EUR is about 43M USD)", RuleConfig{AmountMin: "50m"}, nil, false},
		{"amount in USD above", RuleConfig{AmountMin: "30m"}, nil, true},
		{"amount in its own currency, exact", RuleConfig{AmountMin: "40m", AmountCurrency: "EUR"}, nil, true},
		{"amount in its own currency, just above", RuleConfig{AmountMin: "40.1m", AmountCurrency: "eur"}, nil, false},
		{"amount in another currency, converted", RuleConfig{AmountMin: "20m", AmountCurrency: "GBP"}, nil, true},
		{"amount condition, deal without amount", RuleConfig{AmountMin: "1"}, func(d *news.DealRecord) { d.Amount = nil }, false},
		{"amount uses the USD value when set", RuleConfig{AmountMin: "100m"}, func(d *news.DealRecord) { d.Amount.USD = 150e6 }, true},
		{"valuation above", RuleConfig{ValuationMin: "250m", ValuationCurrency: "EUR"}, nil, true},
		{"valuation below", RuleConfig{ValuationMin: "1bn"}, nil, false},
		{"valuation condition, none stated", RuleConfig{ValuationMin: "1"}, func(d *news.DealRecord) { d.Valuation = nil }, false},
		{"investor as written", RuleConfig{Investors: []string{"A16Z"}}, nil, true},
		{"investor canonical", RuleConfig{Investors: []string{"andreessen  horowitz"}}, nil, true},
		{"investor absent", RuleConfig{Investors: []string{"Accel", "Index Ventures"}}, nil, false},
		{"lead investor leads", RuleConfig{LeadInvestors: []string{"Sequoia Capital"}}, nil, true},
		{"lead investor only participates", RuleConfig{LeadInvestors: []string{"a16z"}}, nil, false},
		{"round in list, normalised", RuleConfig{Rounds: []string{"Seed", "Series-B"}}, nil, true},
		{"round not in list", RuleConfig{Rounds: []string{"series a"}}, nil, false},
		{"company normalised", RuleConfig{Companies: []string{"ACME Robotics, Inc."}}, nil, true},
		{"company other", RuleConfig{Companies: []string{"Acme"}}, nil, false},
		{"source", RuleConfig{Sources: []string{"TechNews"}}, nil, true},
		{"source other", RuleConfig{Sources: []string{"wire"}}, nil, false},
		{"capacity above", RuleConfig{CapacityMin: "500MW"}, nil, true},
		{"capacity below", RuleConfig{CapacityMin: "3 GW"}, nil, false},
		{"confidence reached", RuleConfig{MinConfidence: 0.8}, nil, true},
		{"confidence not reached", RuleConfig{MinConfidence: 0.9}, nil, false},
		{"unscored deal passes a confidence condition", RuleConfig{MinConfidence: 0.9}, func(d *news.DealRecord) { d.Confidence = 0 }, true},
		{"tombstone never matches", RuleConfig{}, func(d *news.DealRecord) { d.Deleted = true }, false},
		{"query word in evidence", RuleConfig{Query: "warehouse"}, nil, true},
		{"query phrase in title", RuleConfig{Query: `"warehouse robots"`}, nil, true},
		{"query phrase out of order", RuleConfig{Query: `"robots warehouse"`}, nil, false},
		{"query OR, second alternative", RuleConfig{Query: "drones OR berlin"}, nil, true},
		{"query OR, neither", RuleConfig{Query: "drones OR paris"}, nil, false},
		{"query negation", RuleConfig{Query: "robots -berlin"}, nil, false},
		{"query negated phrase absent", RuleConfig{Query: `robots -"series a"`}, nil, true},
		{"query investor name", RuleConfig{Query: `"andreessen horowitz"`}, nil, true},
		{"query and conditions together", RuleConfig{Query: "robots", Rounds: []string{"series b"}, Investors: []string{"a16z"}, AmountMin: "10m"}, nil, true},
		{"one failing condition of many", RuleConfig{Query: "robots", Rounds: []string{"series b"}, Investors: []string{"accel"}}, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Compile(tc.rule, nil)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			d := testDeal()
			if tc.edit != nil {
				tc.edit(&d)
			}
			if got := r.Match(d); got != tc.want {
				t.Errorf("Match = %v, want %v (rule %+v)", got, tc.want, tc.rule)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name string
		rule RuleConfig
		want string
	}{
		{"amount", RuleConfig{AmountMin: "lots"}, "amount_min"},
		{"currency unknown", RuleConfig{AmountMin: "1m", AmountCurrency: "XYZ"}, "amount_currency"},
		{"currency without amount", RuleConfig{ValuationCurrency: "EUR"}, "valuation_currency"},
		{"capacity", RuleConfig{CapacityMin: "big"}, "capacity_min"},
		{"confidence", RuleConfig{MinConfidence: 1.5}, "min_confidence"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile(tc.rule, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Compile error = %v, want one naming %s", err, tc.want)
			}
		})
	}
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`nvidia`, `nvidia`},
		{`Nvidia "Series B"`, `nvidia "series b"`},
		{`a OR b c`, `a OR b c`},
		{`a OR "b c" OR d -e`, `a OR "b c" OR d -e`},
		{`-"x y" z`, `z -"x y"`},
		{`OR a`, `a`},        // a leading OR has nothing to join
		{`a or b`, `a or b`}, // lower-case "or" is a word
		{`"unclosed phrase`, `"unclosed phrase"`},
		{`Series-B`, `"series b"`},
		{`- -- "" a`, `a`},
	}
	for _, tc := range tests {
		if got := ParseQuery(tc.in).String(); got != tc.want {
			t.Errorf("ParseQuery(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestChanges(t *testing.T) {
	before := factsOf(testDeal())
	tests := []struct {
		name string
		edit func(*news.DealRecord)
		want []string
	}{
		{"nothing", func(*news.DealRecord) {}, nil},
		{"confidence and evidence only", func(d *news.DealRecord) { d.Confidence = 0.99; d.Sources[0].Deal.Evidence = "other words" }, nil},
		{"new source", func(d *news.DealRecord) {
			d.Sources = append(d.Sources, news.DealSource{ArticleID: "a2", Source: "wire"})
		}, []string{"new source: wire"}},
		{"corrected amount", func(d *news.DealRecord) { d.Amount = money(45_000_000, "EUR") }, []string{"amount: 40000000 EUR → 45000000 EUR"}},
		{"new investor", func(d *news.DealRecord) {
			d.Investors = append(d.Investors, news.Investor{Name: "Accel", Canonical: "Accel"})
		}, []string{"investor: Accel"}},
		{"source withdrawn", func(d *news.DealRecord) { d.Sources = nil }, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := testDeal()
			tc.edit(&d)
			got := changes(before, factsOf(d))
			if !slices.Equal(got, tc.want) {
				t.Errorf("changes = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSummaryAndMoney(t *testing.T) {
	got := Summary(testDeal())
	want := "Acme Robotics raised 40M EUR (series b), valued at 300M EUR, led by Sequoia Capital"
	if got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	if got := FormatMoney(money(1_250_000_000, "USD")); got != "1.25B USD" {
		t.Errorf("FormatMoney = %q, want 1.25B USD", got)
	}
}

func TestConfigValidate(t *testing.T) {
	t.Setenv("TEST_ALERT_SECRET", "s3cret-s3cret-s3cret")
	good := Config{Rules: []RuleConfig{{Name: "big-rounds", AmountMin: "20m", Sinks: []SinkConfig{
		{Type: "webhook", URL: "https://hooks.example/x", SecretEnv: "TEST_ALERT_SECRET"},
		{Type: "webhook", Name: "slack", URL: "https://hooks.example/y", Format: "slack"},
		{Type: "email", SMTPAddr: "smtp.example:587", From: "alerts@example.org", To: []string{"a@example.org"}},
		{Type: "nats", Subject: "alerts.big"}, {Type: "atom"}, {Type: "log"},
	}}}}.WithDefaults()
	if err := good.Validate(); err != nil {
		t.Fatalf("Validate(good) = %v", err)
	}
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"bad name", func(c *Config) { c.Rules[0].Name = "Big Rounds" }, "rules[0].name"},
		{"no sinks", func(c *Config) { c.Rules[0].Sinks = nil }, "at least one sink"},
		{"duplicate sink names", func(c *Config) { c.Rules[0].Sinks[1].Name = "webhook" }, "two sinks"},
		{"unsigned json webhook", func(c *Config) { c.Rules[0].Sinks[0].SecretEnv = "" }, "signing secret"},
		{"secret env unset", func(c *Config) { c.Rules[0].Sinks[0].SecretEnv = "TEST_ALERT_UNSET" }, "TEST_ALERT_UNSET"},
		{"nats subject in a dealwire stream", func(c *Config) { c.Rules[0].Sinks[3].Subject = "dealwire.deal.x" }, "dealwire's own"},
		{"bad amount", func(c *Config) { c.Rules[0].AmountMin = "much" }, "amount_min"},
		{"email without to", func(c *Config) { c.Rules[0].Sinks[2].To = nil }, "to:"},
		{"unknown type", func(c *Config) { c.Rules[0].Sinks[5].Type = "pager" }, "type \"pager\""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := good
			c.Rules = []RuleConfig{good.Rules[0]}
			c.Rules[0].Sinks = slices.Clone(good.Rules[0].Sinks)
			tc.edit(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate = %v, want an error naming %s", err, tc.want)
			}
		})
	}
}

// TestExampleRuleValid: the commented example rule of configs/dealwire.yaml,
// uncommented, is a valid configuration with every field known.
func TestExampleRuleValid(t *testing.T) {
	b, err := os.ReadFile("../configs/dealwire.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "\n  # rules:\n")
	if !ok {
		t.Fatal("configs/dealwire.yaml has no commented example under alerts (\"  # rules:\")")
	}
	var doc strings.Builder
	doc.WriteString("rules:\n")
	for _, line := range strings.Split(after, "\n") {
		rest, ok := strings.CutPrefix(line, "  # ")
		if !ok {
			break
		}
		doc.WriteString(rest + "\n")
	}
	var c Config
	dec := yaml.NewDecoder(strings.NewReader(doc.String()))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("decoding the example rule: %v\n%s", err, doc.String())
	}
	t.Setenv("DEALWIRE_ALERT_SECRET", "example-secret")
	t.Setenv("DEALWIRE_SMTP_PASSWORD", "example-password")
	c = c.WithDefaults()
	if err := c.Validate(); err != nil {
		t.Fatalf("the example rule is invalid: %v", err)
	}
	if len(c.Rules) != 1 || len(c.Rules[0].Sinks) != 5 {
		t.Errorf("example has %d rules, want 1 with 5 sinks: %+v", len(c.Rules), c.Rules)
	}
}
