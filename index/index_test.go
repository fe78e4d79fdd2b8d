package index

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/news"
)

func TestParseText(t *testing.T) {
	tests := []struct {
		in   string
		want TextQuery
	}{
		{"", TextQuery{}},
		{"nvidia", TextQuery{Must: []string{"nvidia"}}},
		{"  nvidia   series b ", TextQuery{Must: []string{"nvidia", "series", "b"}}},
		{`"series  b" nvidia`, TextQuery{Must: []string{"series b", "nvidia"}}},
		{`raised -nvidia -"soft bank"`, TextQuery{Must: []string{"raised"}, Not: []string{"nvidia", "soft bank"}}},
		{`"unclosed phrase`, TextQuery{Must: []string{"unclosed phrase"}}},
		{`- & "" -"" --`, TextQuery{}},
		{`e-commerce -`, TextQuery{Must: []string{"e-commerce"}}},
		{`a"b`, TextQuery{Must: []string{`a"b`}}},
	}
	for _, tt := range tests {
		if got := ParseText(tt.in); !cmp.Equal(got, tt.want) {
			t.Errorf("ParseText(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Query
	}{
		{"empty", "", Query{}},
		{"text and filters", "q=nvidia+%22series+b%22&investor=Nvidia&lead_investor=a16z&company=Acme&round=seed&currency=eur&source=techcrunch",
			Query{Text: `nvidia "series b"`, Investor: "Nvidia", LeadInvestor: "a16z", Company: "Acme", Round: "seed", Currency: "eur", Source: "techcrunch"}},
		{"amounts with scale", "amount_usd_min=1bn&amount_usd_max=2.5B&amount_min=20m&amount_max=1,500,000,000&valuation_min=1e9&valuation_usd_max=300k",
			Query{AmountUSD: Range{Min: 1e9, Max: 2.5e9}, Amount: Range{Min: 20e6, Max: 1.5e9}, Valuation: Range{Min: 1e9}, ValuationUSD: Range{Max: 300e3}}},
		{"capacity units", "capacity_min=500MW&capacity_max=2+GW", Query{Capacity: Range{Min: 500e6, Max: 2e9}}},
		{"day range", "from=2024-01-01&to=2024-01-31",
			Query{PublishedFrom: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), PublishedTo: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)}},
		{"month range", "from=2024-01&to=2024-03",
			Query{PublishedFrom: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), PublishedTo: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)}},
		{"page", "sort=amount&size=50&after=abc&facets=true&format=csv", Query{Sort: SortAmount, Size: 50, After: "abc", Facets: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := url.ParseQuery(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseQuery(v, Config{})
			if err != nil {
				t.Fatalf("ParseQuery(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseQuery(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseQueryMinConfidence(t *testing.T) {
	tests := []struct {
		name string
		in   string
		cfg  Config
		want float64
	}{
		{"default from the configuration", "", DefaultConfig(), 0.5},
		{"configured to show all", "q=x", Config{MinConfidence: 0}, 0},
		{"parameter over configuration", "min_confidence=0.8", DefaultConfig(), 0.8},
		{"zero shows all", "min_confidence=0", DefaultConfig(), 0},
		{"one", "min_confidence=1", Config{}, 1},
		{"spaces", "min_confidence=+0.25+", DefaultConfig(), 0.25},
		{"empty means default", "min_confidence=", Config{MinConfidence: 0.7}, 0.7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := url.ParseQuery(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseQuery(v, tt.cfg)
			if err != nil {
				t.Fatalf("ParseQuery(%q, %+v): %v", tt.in, tt.cfg, err)
			}
			if got.MinConfidence != tt.want {
				t.Errorf("ParseQuery(%q, %+v).MinConfidence = %g, want %g", tt.in, tt.cfg, got.MinConfidence, tt.want)
			}
		})
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct {
		in, param string
	}{
		{"amount_min=lots", "amount_min"},
		{"capacity_max=2 horses", "capacity_max"},
		{"from=yesterday", "from"},
		{"size=many", "size"},
		{"facets=maybe", "facets"},
		{"min_confidence=1.5", "min_confidence"},
		{"min_confidence=-0.1", "min_confidence"},
		{"min_confidence=high", "min_confidence"},
		{"min_confidence=NaN", "min_confidence"},
		{"min_confidence=Inf", "min_confidence"},
		{"min_confidence=50%25", "min_confidence"},
		{"amount_usd_min=-5", "amount_usd_min"},
		{"sort=random", ""},
		{"size=100000", ""},
		{"amount_min=10&amount_max=1", ""},
		{"from=2024-02-01&to=2024-01-01", ""},
	}
	for _, tt := range tests {
		v, _ := url.ParseQuery(tt.in)
		_, err := ParseQuery(v, DefaultConfig())
		if err == nil {
			t.Errorf("ParseQuery(%q) error = nil", tt.in)
			continue
		}
		var pe *ParamError
		if tt.param != "" && (!errors.As(err, &pe) || pe.Param != tt.param) {
			t.Errorf("ParseQuery(%q) error = %v, want a *ParamError for %s", tt.in, err, tt.param)
		}
	}
}

func TestNormalized(t *testing.T) {
	got := Query{Investor: "  Andreessen   Horowitz ", Round: "Series B", Currency: "eur", Text: " x "}.Normalized()
	want := Query{Investor: "andreessen horowitz", Round: "series b", Currency: "EUR", Text: "x", Sort: SortRelevance, Size: DefaultSize}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Normalized (-want +got):\n%s", diff)
	}
}

func TestNewDoc(t *testing.T) {
	rates, err := fx.Default()
	if err != nil {
		t.Fatal(err)
	}
	eur := news.Money{Value: news.Decimal{Coef: 5, Exp: 8}, Currency: "EUR", Text: "€500m", Span: news.Span{Start: 3, End: 8}}
	odd := news.Money{Value: news.Decimal{Coef: 1, Exp: 6}, Currency: "XYZ", USD: 42}
	rec := news.Record{
		Article: news.Article{ID: "a", Title: "T", FetchedAt: time.Date(2024, 5, 1, 0, 0, 0, 123456789, time.UTC)},
		Extraction: news.Extraction{
			Deals: []news.Deal{{Company: " Beta  Robotics", Round: "Series B", Amount: &eur,
				Investors: []news.Investor{{Name: "a16z", Canonical: "Andreessen Horowitz", Lead: true}, {Name: "Nvidia"}},
				Capacity:  []news.Capacity{{ValueWatts: news.Decimal{Coef: 2, Exp: 9}}}},
				{Company: "Odd", Amount: &odd}},
			OtherAmounts: []news.Figure{{Kind: "revenue", Value: &news.Decimal{Coef: 3, Exp: 6}, Currency: "USD", Text: "$3M"},
				{Kind: "energy", Value: &news.Decimal{Coef: 1, Exp: 9}}},
		},
	}
	d := NewDoc(rec, rates)
	if !d.Date.Equal(time.Date(2024, 5, 1, 0, 0, 0, 123000000, time.UTC)) {
		t.Errorf("Date = %v, want the fetched time at ms precision", d.Date)
	}
	usd, _ := rates.USD(5e8, "EUR")
	if d.AmountUSDMax != usd || d.Deals[0].AmountUSD != usd || d.Deals[1].AmountUSD != 42 {
		t.Errorf("USD values %g %g %g, want %g, %g, 42 (extractor's value for unknown currency)", d.AmountUSDMax, d.Deals[0].AmountUSD, d.Deals[1].AmountUSD, usd, usd)
	}
	dd := d.Deals[0]
	if dd.CompanyKey != "beta robotics" || dd.Round != "series b" || dd.CapacityWatts[0] != 2e9 {
		t.Errorf("deal = %+v", dd)
	}
	if got := dd.Investors[0].Keys; !cmp.Equal(got, []string{"andreessen horowitz", "a16z"}) {
		t.Errorf("investor keys = %v", got)
	}
	if inv := dd.Investors[1]; inv.Canonical != "Nvidia" || !cmp.Equal(inv.Keys, []string{"nvidia"}) {
		t.Errorf("investor without canonical = %+v", inv)
	}
	var kinds []string
	for _, a := range d.Amounts {
		kinds = append(kinds, a.Kind)
	}
	if !cmp.Equal(kinds, []string{"deal", "deal", "other:revenue"}) {
		t.Errorf("amount kinds = %v (energy has no currency and is left out)", kinds)
	}
}

func TestCursor(t *testing.T) {
	type pos struct {
		A string
		B float64
	}
	in := pos{"x", 1.0000000000000002}
	var out pos
	if err := DecodeCursor(EncodeCursor(in), &out); err != nil || out != in {
		t.Errorf("round trip: %+v, %v", out, err)
	}
	if err := DecodeCursor("!!", &out); !errors.Is(err, ErrBadCursor) {
		t.Errorf("DecodeCursor(!!) = %v, want ErrBadCursor", err)
	}
}

func TestMinConfidenceErrorMessage(t *testing.T) {
	_, err := ParseQuery(url.Values{"min_confidence": {"1.5"}}, DefaultConfig())
	want := `parameter min_confidence="1.5": want a number from 0 to 1, such as 0.5; 0 shows every deal`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	if err := (Query{MinConfidence: 2}).Validate(); err == nil || err.Error() != "min_confidence 2: want a number from 0 to 1" {
		t.Errorf("Validate(min_confidence 2) = %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		in      float64
		wantErr bool
	}{{0, false}, {0.5, false}, {1, false}, {-0.01, true}, {1.01, true}, {math.NaN(), true}, {math.Inf(1), true}}
	for _, tt := range tests {
		err := Config{MinConfidence: tt.in}.Validate()
		if (err != nil) != tt.wantErr {
			t.Errorf("Config{MinConfidence: %g}.Validate() = %v, want error %v", tt.in, err, tt.wantErr)
		}
	}
	if err := DefaultConfig().Validate(); err != nil || DefaultConfig().MinConfidence != DefaultMinConfidence {
		t.Errorf("DefaultConfig() = %+v, %v", DefaultConfig(), err)
	}
}

func TestShows(t *testing.T) {
	tests := []struct {
		name    string
		min, in float64
		want    bool
	}{
		{name: "zero threshold shows low", min: 0, in: 0.2, want: true},
		{name: "zero threshold shows unscored", min: 0, in: 0, want: true},
		{name: "unscored always shows", min: 0.9, in: 0, want: true},
		{name: "below", min: 0.5, in: 0.2, want: false},
		{name: "above", min: 0.5, in: 0.9, want: true},
		{name: "at the threshold", min: 0.7, in: 0.7, want: true},
		{name: "one", min: 1, in: 1, want: true},
		{name: "below one", min: 1, in: 0.99, want: false},
		// Within float32 precision of the threshold counts as reaching it,
		// as Elasticsearch's float field compares.
		{name: "float32 precision", min: 0.7, in: 0.69999999, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (Query{MinConfidence: tt.min}).Shows(tt.in); got != tt.want {
				t.Errorf("Query{MinConfidence: %g}.Shows(%g) = %v, want %v", tt.min, tt.in, got, tt.want)
			}
		})
	}
}

func TestHide(t *testing.T) {
	deals := func(cs ...float64) []news.Deal {
		out := []news.Deal{}
		for i, c := range cs {
			out = append(out, news.Deal{Company: fmt.Sprint("c", i), Confidence: c})
		}
		return out
	}
	tests := []struct {
		name       string
		min        float64
		in         []float64
		want       []string
		wantHidden int
	}{
		{"show all", 0, []float64{0.2, 0.9, 0}, []string{"c0", "c1", "c2"}, 0},
		{"hide low, keep unscored", 0.5, []float64{0.2, 0.9, 0}, []string{"c1", "c2"}, 1},
		{"all hidden", 0.95, []float64{0.2, 0.9}, []string{}, 2},
		{"no deals", 0.5, nil, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := Hit{ID: "a"}
			if tt.in != nil {
				h.Record.Extraction.Deals = deals(tt.in...)
			}
			Query{MinConfidence: tt.min}.Hide(&h)
			var got []string
			if h.Record.Extraction.Deals != nil {
				got = []string{}
			}
			for _, d := range h.Record.Extraction.Deals {
				got = append(got, d.Company)
			}
			if !cmp.Equal(got, tt.want) || h.HiddenDeals != tt.wantHidden {
				t.Errorf("deals %v, hidden %d; want %v, %d", got, h.HiddenDeals, tt.want, tt.wantHidden)
			}
		})
	}
}

func TestDocConfidence(t *testing.T) {
	rec := news.Record{Article: news.Article{ID: "a"}, Extraction: news.Extraction{Deals: []news.Deal{
		{Company: "A", Confidence: 0.7}, {Company: "B"}}}}
	d := NewDoc(rec, nil)
	if got := d.Deals[0].Confidence; got != float64(float32(0.7)) {
		t.Errorf("deal confidence = %v, want 0.7 at float32 precision", got)
	}
	if got := d.Deals[1].Confidence; got != 0 {
		t.Errorf("unscored deal confidence = %v, want 0", got)
	}
	dd := NewDealDoc(news.DealRecord{ID: "d", Company: "A", Confidence: 0.9}, nil)
	if len(dd.Deals) != 1 || dd.Deals[0].Confidence != float64(float32(0.9)) {
		t.Errorf("deal record doc = %+v, want one deal of confidence 0.9", dd.Deals)
	}
}

// Deals the extractor rejected are indexed after the others and shown only
// when a search reaches down to their confidence.
func TestDoubtfulDeals(t *testing.T) {
	m := news.Money{Value: news.Decimal{Coef: 5, Exp: 6}, Currency: "USD", Text: "$5m"}
	rec := news.Record{
		Article: news.Article{ID: "a", FetchedAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)},
		Extraction: news.Extraction{
			Deals:    []news.Deal{{Company: "Acme", Round: "seed", Confidence: 0.9}},
			Doubtful: []news.Deal{{Company: "Budget", Round: "unknown", Amount: &m, Confidence: 0.3}},
		},
	}
	d := NewDoc(rec, nil)
	if len(d.Deals) != 2 || d.Deals[1].Company != "Budget" || d.Deals[1].Confidence != StoredConfidence(0.3) {
		t.Fatalf("indexed deals = %+v, want Acme then the doubtful Budget at 0.3", d.Deals)
	}
	if len(d.Amounts) != 1 || d.Amounts[0].Deal != 1 {
		t.Errorf("the doubtful deal's amount = %+v, want it tied to deal 1", d.Amounts)
	}
	for _, tt := range []struct {
		min    float64
		want   []string
		hidden int
	}{
		{0.5, []string{"Acme"}, 1},
		{0.3, []string{"Acme", "Budget"}, 0},
		{0, []string{"Acme", "Budget"}, 0},
		{0.95, nil, 2},
	} {
		h := Hit{Record: rec}
		Query{MinConfidence: tt.min}.Hide(&h)
		var got []string
		for _, dl := range h.Record.Extraction.Deals {
			got = append(got, dl.Company)
		}
		if !cmp.Equal(got, tt.want) || h.HiddenDeals != tt.hidden || h.Record.Extraction.Doubtful != nil {
			t.Errorf("min_confidence %g: deals %v hidden %d doubtful %v; want %v hidden %d and no doubtful list",
				tt.min, got, h.HiddenDeals, h.Record.Extraction.Doubtful, tt.want, tt.hidden)
		}
	}
}

// TestKey compares Key with its definition: fields joined by a space, in
// lower case.
func TestKey(t *testing.T) {
	for _, s := range []string{"", " ", "  \t\n", "a", "A", "Thrive Capital", "thrive capital", " lead", "trail ", "two  spaces",
		"tab\there", "MiXeD\r\nCASE \v\f x", "série A", "Ünïcode  Name", "a\u00a0b", "a\u0085b", "@#[`{~\x7f", "x\x00y"} {
		if got, want := Key(s), strings.ToLower(strings.Join(strings.Fields(s), " ")); got != want {
			t.Errorf("Key(%q) = %q, want %q", s, got, want)
		}
	}
}

// FuzzKey: Key is its definition for any input.
func FuzzKey(f *testing.F) {
	for _, s := range []string{"Thrive Capital", " a  B ", "série\tA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Key(s), strings.ToLower(strings.Join(strings.Fields(s), " ")); got != want {
			t.Errorf("Key(%q) = %q, want %q", s, got, want)
		}
	})
}
