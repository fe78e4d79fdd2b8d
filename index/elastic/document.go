package elastic

import (
	"encoding/json"

	"github.com/dealwire/dealwire/index"
)

// document is what one record becomes in Elasticsearch: the fields of
// configs/mapping.json. Empty strings and zero numbers are left out, so that
// facets and range filters never see "unknown" as a value.
type document struct {
	ID string `json:"id"`
	// Title and Text are fields "title" and "text"; [docLines] writes them
	// in, from titleJSON and textJSON when those are set.
	Title            string    `json:"-"`
	Text             string    `json:"-"`
	Source           []string  `json:"source,omitempty"`
	URL              string    `json:"url,omitempty"`
	Lang             string    `json:"lang,omitempty"`
	Date             int64     `json:"date"` // Unix ms, 0 when unknown
	PublishedAt      *int64    `json:"published_at,omitempty"`
	FetchedAt        *int64    `json:"fetched_at,omitempty"`
	ExtractorVersion string    `json:"extractor_version,omitempty"`
	AmountUSDMax     float64   `json:"amount_usd_max"`
	Deals            []dealDoc `json:"deals,omitempty"`
	// Record is the payload (a record or a deal record) as compact JSON,
	// field "record" of the document; [docLines] writes it in.
	Record json.RawMessage `json:"-"`
	// titleJSON and textJSON, when not nil, are Title and Text as JSON
	// strings, as the record's JSON had them ([Store.IndexRaw]); Title and
	// Text are then empty.
	titleJSON, textJSON []byte
}

type dealDoc struct {
	Company           string        `json:"company,omitempty"`
	CompanyKey        string        `json:"company_key,omitempty"`
	Round             string        `json:"round,omitempty"`
	Currency          string        `json:"currency,omitempty"`
	Amount            float64       `json:"amount,omitempty"`
	AmountUSD         float64       `json:"amount_usd,omitempty"`
	Valuation         float64       `json:"valuation,omitempty"`
	ValuationCurrency string        `json:"valuation_currency,omitempty"`
	ValuationUSD      float64       `json:"valuation_usd,omitempty"`
	ValuationBasis    string        `json:"valuation_basis,omitempty"`
	CapacityWatts     []float64     `json:"capacity_watts,omitempty"`
	Investors         []investorDoc `json:"investors,omitempty"`
	// Confidence is left out when the model did not score the deal, so
	// that "unscored" is a missing field, as in documents indexed before
	// mapping version 2.
	Confidence float64 `json:"confidence,omitempty"`
}

type investorDoc struct {
	Name      string   `json:"name,omitempty"`
	Canonical string   `json:"canonical,omitempty"`
	Keys      []string `json:"keys,omitempty"`
	Lead      bool     `json:"lead"`
	Amount    float64  `json:"amount,omitempty"`
	Currency  string   `json:"currency,omitempty"`
	AmountUSD float64  `json:"amount_usd,omitempty"`
}

// newDocument builds the document of d; raw is its payload (a record or a
// deal record) as compact JSON (one line, as json.Marshal writes it).
func newDocument(d index.Doc, version string, raw []byte) document {
	doc := document{
		ID: d.ID, Title: d.Title, Text: d.Text, Source: d.Sources, URL: d.URL, Lang: d.Lang,
		ExtractorVersion: version, AmountUSDMax: d.AmountUSDMax, Record: raw,
	}
	if !d.Date.IsZero() {
		doc.Date = d.Date.UnixMilli()
	}
	if !d.Published.IsZero() {
		ms := d.Published.UnixMilli()
		doc.PublishedAt = &ms
	}
	if !d.Fetched.IsZero() {
		ms := d.Fetched.UnixMilli()
		doc.FetchedAt = &ms
	}
	for _, deal := range d.Deals {
		dd := dealDoc{
			Company: deal.Company, CompanyKey: deal.CompanyKey, Round: deal.Round,
			Currency: deal.Currency, Amount: deal.Amount, AmountUSD: deal.AmountUSD,
			Valuation: deal.Valuation, ValuationCurrency: deal.ValuationCurrency, ValuationUSD: deal.ValuationUSD,
			ValuationBasis: deal.ValuationBasis, CapacityWatts: deal.CapacityWatts, Confidence: deal.Confidence,
		}
		for _, inv := range deal.Investors {
			dd.Investors = append(dd.Investors, investorDoc{
				Name: inv.Name, Canonical: inv.Canonical, Keys: inv.Keys, Lead: inv.Lead,
				Amount: inv.Amount, Currency: inv.Currency, AmountUSD: inv.AmountUSD,
			})
		}
		doc.Deals = append(doc.Deals, dd)
	}
	return doc
}
