package index

import (
	"time"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/news"
)

// Doc is a record flattened for indexing: the fields both backends filter,
// sort and facet on, with amounts as floats and approximate USD values from
// the FX table. The record itself is stored beside it unchanged.
type Doc struct {
	ID     string
	Source string
	// Sources are every source the document draws on: Source for a record,
	// the sources of all its articles for a deal record. The source filter
	// and facet use them.
	Sources   []string
	Title     string
	Text      string
	URL       string
	Lang      string
	Published time.Time // zero when the article gave none
	Fetched   time.Time
	// Date is what the date filter and sort use: Published, or Fetched when
	// Published is zero. Truncated to milliseconds, the precision both
	// backends store.
	Date time.Time
	// AmountUSDMax is the largest deal amount in approximate USD, 0 when no
	// deal has a convertible amount; the amount sort uses it.
	AmountUSDMax float64
	Deals        []DealDoc
	// Amounts lists every money figure of the record, deal or not.
	Amounts []AmountDoc
}

// DealDoc is one deal of a [Doc]. Zero numbers and empty strings mean unknown.
type DealDoc struct {
	Company           string
	CompanyKey        string // [Key] of Company
	Round             string // [Key] of the round
	Amount            float64
	Currency          string
	AmountUSD         float64
	Valuation         float64
	ValuationCurrency string
	ValuationUSD      float64
	ValuationBasis    string
	Investors         []InvestorDoc
	CapacityWatts     []float64
	// Confidence is the deal's confidence at [StoredConfidence] precision;
	// 0 when the extractor's model did not score it.
	Confidence float64
}

// InvestorDoc is one investor of a [DealDoc].
type InvestorDoc struct {
	Name      string
	Canonical string // the gazetteer name, or Name when the record has none
	// Keys are the [Key]s an investor filter matches: of Canonical and of Name.
	Keys      []string
	Lead      bool
	Amount    float64
	Currency  string
	AmountUSD float64
}

// AmountDoc is one money figure of a record.
type AmountDoc struct {
	// Kind is "deal", "valuation", "investor", "prior:<kind>" or "other:<kind>".
	Kind     string
	Deal     int // index into Doc.Deals, -1 for figures outside deals
	Value    float64
	Currency string
	USD      float64
	Text     string
	Span     news.Span
}

// NewDoc flattens rec. rates may be nil; then USD values come only from the
// record's own USD fields.
func NewDoc(rec news.Record, rates *fx.Table) Doc {
	var d Doc
	d.Fill(rec, rates)
	return d
}

// Fill sets d to [NewDoc] of rec, in the memory of d's lists: a caller that
// flattens record after record into one Doc, and is done with each before
// the next (the Elasticsearch store writes a document's bulk lines at
// once), allocates its lists once instead of for every record (about 0.7 kB
// of a synthetic record, a fifth of what the index stage's handler
// allocated a record). What d held before is overwritten, the lists of its
// deals and investors too; a list d had may come back empty where NewDoc
// gives nil. d keeps rec's strings until it is filled again.
func (d *Doc) Fill(rec news.Record, rates *fx.Table) {
	a := rec.Article
	*d = Doc{
		ID: a.ID, Source: a.Source, Title: a.Title, Text: a.Text, URL: a.URL, Lang: a.Lang,
		Published: a.PublishedAt.UTC().Truncate(time.Millisecond),
		Fetched:   a.FetchedAt.UTC().Truncate(time.Millisecond),
		Sources:   d.Sources[:0], Deals: d.Deals[:0], Amounts: d.Amounts[:0],
	}
	if a.Source != "" {
		d.Sources = append(d.Sources, a.Source)
	}
	d.Date = d.Published
	if d.Date.IsZero() {
		d.Date = d.Fetched
	}
	for i, deal := range rec.Extraction.Deals {
		d.addDeal(i, deal, rates)
	}
	// Deals the extractor's model rejected are indexed too, after the
	// others, with their low confidence: min_confidence hides them unless
	// a search asks for them.
	for j, deal := range rec.Extraction.Doubtful {
		d.addDeal(len(rec.Extraction.Deals)+j, deal, rates)
	}
	for _, f := range rec.Extraction.PriorAmounts {
		if fd, ok := figureDoc("prior:", f, rates); ok {
			d.Amounts = append(d.Amounts, fd)
		}
	}
	for _, f := range rec.Extraction.OtherAmounts {
		if fd, ok := figureDoc("other:", f, rates); ok {
			d.Amounts = append(d.Amounts, fd)
		}
	}
}

// addDeal flattens deal, the i-th of d, into the next of d.Deals, whose
// lists it reuses when d's list had one there before ([Doc.Fill]).
func (d *Doc) addDeal(i int, deal news.Deal, rates *fx.Table) {
	var old DealDoc
	if n := len(d.Deals); n < cap(d.Deals) {
		old = d.Deals[:n+1][n]
	}
	dd := DealDoc{
		Company: deal.Company, CompanyKey: Key(deal.Company), Round: Key(deal.Round), Confidence: StoredConfidence(deal.Confidence),
		Investors: old.Investors[:0], CapacityWatts: old.CapacityWatts[:0],
	}
	if m := deal.Amount; m != nil {
		dd.Amount, dd.Currency, dd.AmountUSD = m.Value.Float64(), m.Currency, usd(*m, rates)
		d.Amounts = append(d.Amounts, amountDoc("deal", i, *m, rates))
		d.AmountUSDMax = max(d.AmountUSDMax, dd.AmountUSD)
	}
	if v := deal.Valuation; v != nil {
		dd.Valuation, dd.ValuationCurrency, dd.ValuationUSD = v.Value.Float64(), v.Currency, usd(v.Money, rates)
		dd.ValuationBasis = v.Basis
		d.Amounts = append(d.Amounts, amountDoc("valuation", i, v.Money, rates))
	}
	if v := deal.ValuationAlt; v != nil {
		d.Amounts = append(d.Amounts, amountDoc("valuation", i, v.Money, rates))
	}
	for _, inv := range deal.Investors {
		var keys []string
		if n := len(dd.Investors); n < cap(dd.Investors) {
			keys = dd.Investors[:n+1][n].Keys[:0]
		}
		id := InvestorDoc{Name: inv.Name, Canonical: inv.Canonical, Lead: inv.Lead}
		if id.Canonical == "" {
			id.Canonical = inv.Name
		}
		// Most investors' names are their canonical names: one key.
		ck, nk := Key(id.Canonical), ""
		if inv.Name != id.Canonical {
			nk = Key(inv.Name)
		}
		for _, k := range [2]string{ck, nk} {
			if k != "" && (len(keys) == 0 || keys[0] != k) {
				keys = append(keys, k)
			}
		}
		id.Keys = keys
		if m := inv.Amount; m != nil {
			id.Amount, id.Currency, id.AmountUSD = m.Value.Float64(), m.Currency, usd(*m, rates)
			d.Amounts = append(d.Amounts, amountDoc("investor", i, *m, rates))
		}
		dd.Investors = append(dd.Investors, id)
	}
	for _, c := range deal.Capacity {
		dd.CapacityWatts = append(dd.CapacityWatts, c.ValueWatts.Float64())
	}
	d.Deals = append(d.Deals, dd)
}

func amountDoc(kind string, deal int, m news.Money, rates *fx.Table) AmountDoc {
	return AmountDoc{Kind: kind, Deal: deal, Value: m.Value.Float64(), Currency: m.Currency, USD: usd(m, rates), Text: m.Text, Span: m.Span}
}

// figureDoc keeps the money figures among prior and other amounts; power and
// energy figures have no currency.
func figureDoc(prefix string, f news.Figure, rates *fx.Table) (AmountDoc, bool) {
	if f.Value == nil || f.Currency == "" {
		return AmountDoc{}, false
	}
	m := news.Money{Value: *f.Value, Currency: f.Currency, USD: f.USD}
	return AmountDoc{Kind: prefix + f.Kind, Deal: -1, Value: m.Value.Float64(), Currency: f.Currency, USD: usd(m, rates), Text: f.Text, Span: f.Span}, true
}

// usd converts with the FX table, falling back to the extractor's own value
// for currencies the table does not know.
func usd(m news.Money, rates *fx.Table) float64 {
	if rates != nil {
		if v, ok := rates.USD(m.Value.Float64(), m.Currency); ok {
			return v
		}
	}
	return m.USD
}
