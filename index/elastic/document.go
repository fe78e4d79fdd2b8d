package elastic

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
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
	// publishedAt and fetchedAt are what PublishedAt and FetchedAt point
	// to when set: no allocation of their own.
	publishedAt, fetchedAt int64
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
	var doc document
	doc.fill(&d, version, raw)
	return doc
}

// fill sets doc to [newDocument] of d, in the memory of doc's lists (see
// [index.Doc.Fill]): a lineBuf's documents are written one after the other
// from the same two values ([docScratch]). Its lists may come back empty
// where newDocument gives nil, which writes the same JSON (omitempty).
func (doc *document) fill(d *index.Doc, version string, raw []byte) {
	*doc = document{
		ID: d.ID, Title: d.Title, Text: d.Text, Source: d.Sources, URL: d.URL, Lang: d.Lang,
		ExtractorVersion: version, AmountUSDMax: d.AmountUSDMax, Record: raw, Deals: doc.Deals[:0],
	}
	if !d.Date.IsZero() {
		doc.Date = d.Date.UnixMilli()
	}
	if !d.Published.IsZero() {
		doc.publishedAt = d.Published.UnixMilli()
		doc.PublishedAt = &doc.publishedAt
	}
	if !d.Fetched.IsZero() {
		doc.fetchedAt = d.Fetched.UnixMilli()
		doc.FetchedAt = &doc.fetchedAt
	}
	for _, deal := range d.Deals {
		var invs []investorDoc
		if n := len(doc.Deals); n < cap(doc.Deals) {
			invs = doc.Deals[:n+1][n].Investors[:0]
		}
		dd := dealDoc{
			Company: deal.Company, CompanyKey: deal.CompanyKey, Round: deal.Round,
			Currency: deal.Currency, Amount: deal.Amount, AmountUSD: deal.AmountUSD,
			Valuation: deal.Valuation, ValuationCurrency: deal.ValuationCurrency, ValuationUSD: deal.ValuationUSD,
			ValuationBasis: deal.ValuationBasis, CapacityWatts: deal.CapacityWatts, Confidence: deal.Confidence,
		}
		for _, inv := range deal.Investors {
			invs = append(invs, investorDoc{
				Name: inv.Name, Canonical: inv.Canonical, Keys: inv.Keys, Lead: inv.Lead,
				Amount: inv.Amount, Currency: inv.Currency, AmountUSD: inv.AmountUSD,
			})
		}
		dd.Investors = invs
		doc.Deals = append(doc.Deals, dd)
	}
}

// docScratch is where a lineBuf's documents are built, one after the
// other: the record scanned from its JSON, the flattened record and its
// document, whose lists each document's reuse ([scanRecordInto],
// [index.Doc.Fill], [document.fill]). It keeps the strings of the last
// record until the next one, or until the buffer is used again.
type docScratch struct {
	rec  news.Record
	flat index.Doc
	doc  document
}

// scratch returns lb's docScratch, or a new one for a nil lb.
func (lb *lineBuf) scratch() *docScratch {
	if lb == nil {
		return new(docScratch)
	}
	return &lb.docs
}

// appendFields appends the fields of doc that encoding/json writes (all
// but title, text and the payload), as json.Marshal(doc) has them between
// its braces, without reflection: a third of building a document's lines
// was marshalling these few fields. ok is false when a number has no JSON
// form (an amount that overflowed to infinity); json.Marshal(doc) then
// says why.
func appendFields(dst []byte, doc *document) (out []byte, ok bool) {
	dst = appendString(append(dst, `"id":`...), doc.ID)
	if len(doc.Source) > 0 {
		dst = appendStrings(append(dst, `,"source":`...), doc.Source)
	}
	dst = appendStringField(dst, `,"url":`, doc.URL)
	dst = appendStringField(dst, `,"lang":`, doc.Lang)
	dst = strconv.AppendInt(append(dst, `,"date":`...), doc.Date, 10)
	if doc.PublishedAt != nil {
		dst = strconv.AppendInt(append(dst, `,"published_at":`...), *doc.PublishedAt, 10)
	}
	if doc.FetchedAt != nil {
		dst = strconv.AppendInt(append(dst, `,"fetched_at":`...), *doc.FetchedAt, 10)
	}
	dst = appendStringField(dst, `,"extractor_version":`, doc.ExtractorVersion)
	ok = true
	dst, ok = appendFloat(append(dst, `,"amount_usd_max":`...), doc.AmountUSDMax, ok)
	dst, ok = appendArray(dst, `,"deals":[`, len(doc.Deals), ok, func(dst []byte, i int, ok bool) ([]byte, bool) {
		return appendDeal(dst, &doc.Deals[i], ok)
	})
	return dst, ok
}

// appendArray appends key (which opens the array) and n elements written
// by elem, as encoding/json writes a list under omitempty: nothing when n
// is 0.
func appendArray(dst []byte, key string, n int, ok bool, elem func(dst []byte, i int, ok bool) ([]byte, bool)) ([]byte, bool) {
	if n == 0 {
		return dst, ok
	}
	dst = append(dst, key...)
	for i := range n {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst, ok = elem(dst, i, ok)
	}
	return append(dst, ']'), ok
}

// appendDeal appends d as encoding/json writes a dealDoc; ok is and-ed
// with whether its numbers have JSON forms.
func appendDeal(dst []byte, d *dealDoc, ok bool) ([]byte, bool) {
	n := len(dst)
	dst = append(dst, '{')
	dst = appendStringField(dst, `,"company":`, d.Company)
	dst = appendStringField(dst, `,"company_key":`, d.CompanyKey)
	dst = appendStringField(dst, `,"round":`, d.Round)
	dst = appendStringField(dst, `,"currency":`, d.Currency)
	dst, ok = appendFloatField(dst, `,"amount":`, d.Amount, ok)
	dst, ok = appendFloatField(dst, `,"amount_usd":`, d.AmountUSD, ok)
	dst, ok = appendFloatField(dst, `,"valuation":`, d.Valuation, ok)
	dst = appendStringField(dst, `,"valuation_currency":`, d.ValuationCurrency)
	dst, ok = appendFloatField(dst, `,"valuation_usd":`, d.ValuationUSD, ok)
	dst = appendStringField(dst, `,"valuation_basis":`, d.ValuationBasis)
	dst, ok = appendArray(dst, `,"capacity_watts":[`, len(d.CapacityWatts), ok, func(dst []byte, i int, ok bool) ([]byte, bool) {
		return appendFloat(dst, d.CapacityWatts[i], ok)
	})
	dst, ok = appendArray(dst, `,"investors":[`, len(d.Investors), ok, func(dst []byte, i int, ok bool) ([]byte, bool) {
		return appendInvestor(dst, &d.Investors[i], ok)
	})
	dst, ok = appendFloatField(dst, `,"confidence":`, d.Confidence, ok)
	return closeObject(dst, n), ok
}

func appendInvestor(dst []byte, inv *investorDoc, ok bool) ([]byte, bool) {
	n := len(dst)
	dst = append(dst, '{')
	dst = appendStringField(dst, `,"name":`, inv.Name)
	dst = appendStringField(dst, `,"canonical":`, inv.Canonical)
	if len(inv.Keys) > 0 {
		dst = appendStrings(append(dst, `,"keys":`...), inv.Keys)
	}
	dst = strconv.AppendBool(append(dst, `,"lead":`...), inv.Lead)
	dst, ok = appendFloatField(dst, `,"amount":`, inv.Amount, ok)
	dst = appendStringField(dst, `,"currency":`, inv.Currency)
	dst, ok = appendFloatField(dst, `,"amount_usd":`, inv.AmountUSD, ok)
	return closeObject(dst, n), ok
}

// closeObject ends the object that starts at dst[n]; its fields were each
// written with a leading comma, and the first of them is dropped.
func closeObject(dst []byte, n int) []byte {
	if len(dst) > n+1 {
		dst = append(dst[:n+1], dst[n+2:]...)
	}
	return append(dst, '}')
}

// appendStringField appends the field key (`,"name":`) with s, unless s is
// empty (omitempty).
func appendStringField(dst []byte, key, s string) []byte {
	if s == "" {
		return dst
	}
	return appendString(append(dst, key...), s)
}

// appendFloatField appends the field key with f, unless f is 0
// (omitempty).
func appendFloatField(dst []byte, key string, f float64, ok bool) ([]byte, bool) {
	if f == 0 {
		return dst, ok
	}
	return appendFloat(append(dst, key...), f, ok)
}

func appendStrings(dst []byte, ss []string) []byte {
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, s)
	}
	return append(dst, ']')
}

// appendFloat appends f as encoding/json writes a float64; ok is and-ed
// with whether f has a JSON form.
func appendFloat(dst []byte, f float64, ok bool) ([]byte, bool) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return append(dst, '0'), false
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// e-09 to e-9, as encoding/json writes it.
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, ok
}
