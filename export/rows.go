package export

import (
	"slices"
	"time"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// The row types below are the columns of every format, in order. The name
// in the parquet tag is the column name of all three formats; "optional"
// marks a column whose zero value means unknown (empty in CSV, null in
// NDJSON and Parquet); "date" writes a day (YYYY-MM-DD), "timestamp" an
// instant (RFC 3339, UTC); "list" a list of names (joined by "; " in CSV).
// Money is in base units of its currency ("$2.5bn" is 2500000000), power
// in watts. Dates are days since 1970-01-01 (the Parquet DATE type; the
// library writes time.Time values with the date tag wrongly), 0 for
// unknown. Offsets are byte offsets into the UTF-8 text of the source
// article (GET /api/articles/{article_id}), start inclusive, end exclusive.

// DealRow is one resolved deal: a round however many outlets reported it.
type DealRow struct {
	DealID                  string     `parquet:"deal_id"`
	Company                 string     `parquet:"company,optional"`
	Round                   string     `parquet:"round,optional"`
	AnnouncedOn             int32      `parquet:"announced_on,optional,date"`
	MoneyRaised             float64    `parquet:"money_raised,optional"`
	MoneyRaisedCurrencyCode string     `parquet:"money_raised_currency_code,optional"`
	MoneyRaisedUSD          float64    `parquet:"money_raised_usd,optional"`
	FXRate                  float64    `parquet:"fx_rate,optional"`
	FXDate                  int32      `parquet:"fx_date,optional,date"`
	PostMoneyValuation      float64    `parquet:"post_money_valuation,optional"`
	PreMoneyValuation       float64    `parquet:"pre_money_valuation,optional"`
	Valuation               float64    `parquet:"valuation,optional"`
	ValuationBasis          string     `parquet:"valuation_basis,optional"`
	ValuationCurrencyCode   string     `parquet:"valuation_currency_code,optional"`
	ValuationUSD            float64    `parquet:"valuation_usd,optional"`
	LeadInvestors           []string   `parquet:"lead_investors,list"`
	Investors               []string   `parquet:"investors,list"`
	CapacityWatts           float64    `parquet:"capacity_watts,optional"`
	Acquirer                string     `parquet:"acquirer,optional"`
	Confidence              float64    `parquet:"confidence,optional"`
	ConflictingFields       []string   `parquet:"conflicting_fields,list"`
	SourceCount             int64      `parquet:"source_count"`
	SourceURLs              []string   `parquet:"source_urls,list"`
	SourceOutlets           []string   `parquet:"source_outlets,list"`
	Evidence                string     `parquet:"evidence,optional"`
	EvidenceURL             string     `parquet:"evidence_url,optional"`
	EvidenceArticleID       string     `parquet:"evidence_article_id,optional"`
	EvidenceStart           *int64     `parquet:"evidence_start,optional"`
	EvidenceEnd             *int64     `parquet:"evidence_end,optional"`
	ExtractorVersion        string     `parquet:"extractor_version,optional"`
	UpdatedAt               *time.Time `parquet:"updated_at,optional,timestamp(millisecond)"`
}

// InvestorRow is one investor's participation in a deal.
type InvestorRow struct {
	DealID                  string  `parquet:"deal_id"`
	Company                 string  `parquet:"company,optional"`
	Round                   string  `parquet:"round,optional"`
	AnnouncedOn             int32   `parquet:"announced_on,optional,date"`
	MoneyRaised             float64 `parquet:"money_raised,optional"`
	MoneyRaisedCurrencyCode string  `parquet:"money_raised_currency_code,optional"`
	MoneyRaisedUSD          float64 `parquet:"money_raised_usd,optional"`
	FXRate                  float64 `parquet:"fx_rate,optional"`
	FXDate                  int32   `parquet:"fx_date,optional,date"`
	InvestorName            string  `parquet:"investor_name"`
	InvestorNameAsWritten   string  `parquet:"investor_name_as_written,optional"`
	IsLeadInvestor          bool    `parquet:"is_lead_investor"`
	InvestmentAmount        float64 `parquet:"investment_amount,optional"`
	InvestmentCurrencyCode  string  `parquet:"investment_currency_code,optional"`
	InvestmentUSD           float64 `parquet:"investment_usd,optional"`
	Confidence              float64 `parquet:"confidence,optional"`
	DealConfidence          float64 `parquet:"deal_confidence,optional"`
	ArticleID               string  `parquet:"article_id,optional"`
	SourceURL               string  `parquet:"source_url,optional"`
	SourceOutlet            string  `parquet:"source_outlet,optional"`
	InvestorStart           *int64  `parquet:"investor_start,optional"`
	InvestorEnd             *int64  `parquet:"investor_end,optional"`
	Evidence                string  `parquet:"evidence,optional"`
	EvidenceStart           *int64  `parquet:"evidence_start,optional"`
	EvidenceEnd             *int64  `parquet:"evidence_end,optional"`
	ExtractorVersion        string  `parquet:"extractor_version,optional"`
}

// AmountRow is one money figure one source reported for a deal: the
// amount raised, a valuation, or one investor's share.
type AmountRow struct {
	DealID           string     `parquet:"deal_id"`
	Company          string     `parquet:"company,optional"`
	Round            string     `parquet:"round,optional"`
	AnnouncedOn      int32      `parquet:"announced_on,optional,date"`
	Kind             string     `parquet:"kind"`
	Value            float64    `parquet:"value"`
	MaxValue         float64    `parquet:"max_value,optional"`
	CurrencyCode     string     `parquet:"currency_code,optional"`
	ValueUSD         float64    `parquet:"value_usd,optional"`
	FXRate           float64    `parquet:"fx_rate,optional"`
	FXDate           int32      `parquet:"fx_date,optional,date"`
	Approximate      bool       `parquet:"approximate"`
	Qualifier        string     `parquet:"qualifier,optional"`
	Text             string     `parquet:"text,optional"`
	Investor         string     `parquet:"investor,optional"`
	Chosen           bool       `parquet:"chosen"`
	Confidence       float64    `parquet:"confidence,optional"`
	ArticleID        string     `parquet:"article_id,optional"`
	SourceURL        string     `parquet:"source_url,optional"`
	SourceOutlet     string     `parquet:"source_outlet,optional"`
	PublishedAt      *time.Time `parquet:"published_at,optional,timestamp(millisecond)"`
	SpanStart        *int64     `parquet:"span_start,optional"`
	SpanEnd          *int64     `parquet:"span_end,optional"`
	Evidence         string     `parquet:"evidence,optional"`
	EvidenceStart    *int64     `parquet:"evidence_start,optional"`
	EvidenceEnd      *int64     `parquet:"evidence_end,optional"`
	ExtractorVersion string     `parquet:"extractor_version,optional"`
}

// Kinds of [AmountRow].
const (
	KindMoneyRaised        = "money_raised"
	KindPostMoneyValuation = "post_money_valuation"
	KindPreMoneyValuation  = "pre_money_valuation"
	KindValuation          = "valuation" // basis not stated
	KindInvestment         = "investment"
)

// unread lists, for each kind of rows, the members of a stored deal
// record (JSON names, as index/sqlite's SearchDealsOmitting takes them)
// that its rows never read, so that the index need not decode them: most
// of a record is its sources' own deals, which the rows of deals read
// little of. A member listed here that a row starts to read would be
// empty in the export: TestExportValues and TestExportReadBack compare
// every column of rows exported from SQLite with rows built from the
// whole records, on records with every member set.
var unread = map[Rows][]string{
	RowsDeals: {"key", "company_key", "anchors",
		"sources.deal_index", "sources.title", "sources.published_at", "sources.authority", "sources.extracted_at", "sources.outlet",
		"sources.deal.company", "sources.deal.round", "sources.deal.valuation", "sources.deal.investors", "sources.deal.capacity",
		"sources.deal.acquirer", "sources.deal.confidence"},
	RowsInvestors: {"key", "company_key", "valuation", "capacity", "acquirer", "anchors", "conflicts", "updated_at",
		"sources.deal_index", "sources.title", "sources.published_at", "sources.authority", "sources.extracted_at", "sources.outlet",
		"sources.deal.company", "sources.deal.round", "sources.deal.amount", "sources.deal.valuation", "sources.deal.valuation_alt",
		"sources.deal.capacity", "sources.deal.acquirer", "sources.deal.confidence"},
	RowsAmounts: {"key", "company_key", "investors", "capacity", "acquirer", "anchors", "conflicts", "updated_at",
		"sources.deal_index", "sources.title", "sources.authority", "sources.extracted_at", "sources.outlet",
		"sources.deal.company", "sources.deal.round", "sources.deal.capacity", "sources.deal.acquirer"},
}

// converter fills USD values, rates and their date from one FX table.
type converter struct {
	rates *fx.Table
	date  int32 // the table's date
	// named is the investors the sources of one deal name, reused from
	// deal to deal (a converter serves one goroutine).
	named []namedInvestor
}

// namedInvestor is an investor as one source of a deal names it, with
// the key of its name ([index.Key]), which finds it again.
type namedInvestor struct {
	src  *news.DealSource
	inv  *news.Investor
	name string // investorName(*inv)
	key  string
}

func newConverter(rates *fx.Table) *converter {
	return &converter{rates: rates, date: day(rates.Date)}
}

// usd returns m in approximate US dollars with the rate used and the date
// of that rate: rate 1 and no date for dollars; for a currency the table
// does not know, the USD value the pipeline stored, if any, with its
// implied rate and no date; zeros when nothing is known.
func (c *converter) usd(m *news.Money) (usd, rate float64, date int32) {
	if m == nil || m.Currency == "" {
		return 0, 0, 0
	}
	v := m.Value.Float64()
	if m.Currency == "USD" {
		return v, 1, 0
	}
	if r, ok := c.rates.USD(1, m.Currency); ok {
		return v * r, r, c.date
	}
	if m.USD > 0 && v > 0 {
		return m.USD, m.USD / v, 0
	}
	return 0, 0, 0
}

// deal is the columns every row kind starts with.
type deal struct {
	company, round string
	announced      int32
	raised         float64
	currency       string
	raisedUSD      float64
	rate           float64
	rateDate       int32
}

func (c *converter) deal(dr *news.DealRecord) deal {
	d := deal{company: dr.Company, round: dr.Round, announced: day(dr.AnnouncedAt)}
	if dr.Amount != nil {
		d.raised, d.currency = dr.Amount.Value.Float64(), dr.Amount.Currency
		d.raisedUSD, d.rate, d.rateDate = c.usd(dr.Amount)
	}
	return d
}

// appendDeal appends dr's row to rows.
func (c *converter) appendDeal(rows []DealRow, dr *news.DealRecord) []DealRow {
	d := c.deal(dr)
	r := DealRow{
		DealID: dr.ID, Company: d.company, Round: d.round, AnnouncedOn: d.announced,
		MoneyRaised: d.raised, MoneyRaisedCurrencyCode: d.currency, MoneyRaisedUSD: d.raisedUSD, FXRate: d.rate, FXDate: d.rateDate,
		Acquirer: dr.Acquirer, Confidence: dr.Confidence, SourceCount: int64(len(dr.Sources)),
		LeadInvestors: []string{}, Investors: []string{}, ConflictingFields: []string{},
		SourceURLs: make([]string, 0, len(dr.Sources)), SourceOutlets: []string{},
		UpdatedAt: instant(dr.UpdatedAt),
	}
	if v := dr.Valuation; v != nil {
		r.Valuation, r.ValuationBasis, r.ValuationCurrencyCode = v.Value.Float64(), v.Basis, v.Currency
		r.ValuationUSD, _, _ = c.usd(&v.Money)
		setBasis(&r, v)
	}
	for _, inv := range dr.Investors {
		name := investorName(inv)
		r.Investors = append(r.Investors, name)
		if inv.Lead {
			r.LeadInvestors = append(r.LeadInvestors, name)
		}
	}
	for _, p := range dr.Capacity {
		r.CapacityWatts = max(r.CapacityWatts, p.ValueWatts.Float64())
	}
	for _, cf := range dr.Conflicts {
		r.ConflictingFields = append(r.ConflictingFields, cf.Field)
	}
	for i := range dr.Sources {
		s := &dr.Sources[i]
		r.SourceURLs = append(r.SourceURLs, s.URL)
		if s.Source != "" && !slices.Contains(r.SourceOutlets, s.Source) {
			r.SourceOutlets = append(r.SourceOutlets, s.Source)
		}
		// The explicit basis a source gave fills the other valuation
		// column when the merged valuation has only one.
		if alt := s.Deal.ValuationAlt; alt != nil && alt.Currency == r.ValuationCurrencyCode {
			setBasis(&r, alt)
		}
	}
	if s := evidenceSource(dr); s != nil {
		r.Evidence, r.EvidenceURL, r.EvidenceArticleID = s.Deal.Evidence, s.URL, s.ArticleID
		r.EvidenceStart, r.EvidenceEnd = evidenceSpan(&s.Deal)
		r.ExtractorVersion = s.ExtractorVersion
	}
	return append(rows, r)
}

func setBasis(r *DealRow, v *news.Valuation) {
	switch v.Basis {
	case "pre-money":
		if r.PreMoneyValuation == 0 {
			r.PreMoneyValuation = v.Value.Float64()
		}
	case "post-money":
		if r.PostMoneyValuation == 0 {
			r.PostMoneyValuation = v.Value.Float64()
		}
	}
}

// evidenceSource is the source whose sentence best supports dr: the
// oldest one that reported the chosen amount with a sentence, else the
// oldest with a sentence, else the oldest.
func evidenceSource(dr *news.DealRecord) *news.DealSource {
	var withText *news.DealSource
	for i := range dr.Sources {
		s := &dr.Sources[i]
		if s.Deal.Evidence == "" {
			continue
		}
		if sameMoney(s.Deal.Amount, dr.Amount) {
			return s
		}
		if withText == nil {
			withText = s
		}
	}
	if withText == nil && len(dr.Sources) > 0 {
		return &dr.Sources[0]
	}
	return withText
}

// appendInvestors appends a row per investor of dr to rows; with keep
// non-nil, only the investors it accepts.
func (c *converter) appendInvestors(rows []InvestorRow, dr *news.DealRecord, keep func(news.Investor) bool) []InvestorRow {
	d := c.deal(dr)
	first := len(rows)
	for _, inv := range dr.Investors {
		if keep != nil && !keep(inv) {
			continue
		}
		r := InvestorRow{
			DealID: dr.ID, Company: d.company, Round: d.round, AnnouncedOn: d.announced,
			MoneyRaised: d.raised, MoneyRaisedCurrencyCode: d.currency, MoneyRaisedUSD: d.raisedUSD, FXRate: d.rate, FXDate: d.rateDate,
			InvestorName: investorName(inv), InvestorNameAsWritten: inv.Name, IsLeadInvestor: inv.Lead,
			Confidence: inv.Confidence, DealConfidence: dr.Confidence,
		}
		if m := inv.Amount; m != nil {
			r.InvestmentAmount, r.InvestmentCurrencyCode = m.Value.Float64(), m.Currency
			r.InvestmentUSD, _, _ = c.usd(m)
		}
		// Provenance: the oldest source that names this investor.
		if s, si := c.investorSource(dr, inv, len(rows) == first); s != nil {
			r.ArticleID, r.SourceURL, r.SourceOutlet, r.ExtractorVersion = s.ArticleID, s.URL, s.Source, s.ExtractorVersion
			r.Evidence = s.Deal.Evidence
			r.EvidenceStart, r.EvidenceEnd = evidenceSpan(&s.Deal)
			r.InvestorStart, r.InvestorEnd = span(si.Span)
			if r.Confidence == 0 {
				r.Confidence = si.Confidence
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// investorSource returns the first source of dr, and its investor, that
// names inv (same key). newDeal says that dr is not the deal of the last
// call: the names of its sources' investors are then collected, with
// their keys, once for all the deal's investors. A name written as the
// one before it shares its key, which is only computed for a new name
// (keys allocate; most sources name the same investors the same way).
func (c *converter) investorSource(dr *news.DealRecord, inv news.Investor, newDeal bool) (*news.DealSource, *news.Investor) {
	if newDeal {
		clear(c.named)
		c.named = c.named[:0]
		for i := range dr.Sources {
			s := &dr.Sources[i]
			for k := range s.Deal.Investors {
				n := namedInvestor{src: s, inv: &s.Deal.Investors[k]}
				n.name = investorName(*n.inv)
				for _, m := range c.named {
					if m.name == n.name {
						n.key = m.key
						break
					}
				}
				if n.key == "" {
					n.key = index.Key(n.name)
				}
				c.named = append(c.named, n)
			}
		}
	}
	name := investorName(inv)
	key := ""
	for _, n := range c.named {
		if n.name == name {
			return n.src, n.inv
		}
		if key == "" {
			key = index.Key(name)
		}
		if n.key == key {
			return n.src, n.inv
		}
	}
	return nil, nil
}

// appendAmounts appends a row per money figure each source of dr reported.
func (c *converter) appendAmounts(rows []AmountRow, dr *news.DealRecord) []AmountRow {
	d := c.deal(dr)
	for i := range dr.Sources {
		s := &dr.Sources[i]
		base := AmountRow{
			DealID: dr.ID, Company: d.company, Round: d.round, AnnouncedOn: d.announced,
			ArticleID: s.ArticleID, SourceURL: s.URL, SourceOutlet: s.Source, PublishedAt: instant(s.PublishedAt),
			Evidence: s.Deal.Evidence, ExtractorVersion: s.ExtractorVersion,
		}
		base.EvidenceStart, base.EvidenceEnd = evidenceSpan(&s.Deal)
		add := func(kind string, m *news.Money, chosen bool, investor string) {
			r := base
			r.Kind, r.Investor, r.Chosen = kind, investor, chosen
			r.Value, r.CurrencyCode, r.Approximate, r.Qualifier, r.Text = m.Value.Float64(), m.Currency, m.Approx, m.Qualifier, m.Text
			if m.Max != nil {
				r.MaxValue = m.Max.Float64()
			}
			r.ValueUSD, r.FXRate, r.FXDate = c.usd(m)
			r.SpanStart, r.SpanEnd = span(m.Span)
			r.Confidence = m.Confidence
			if r.Confidence == 0 {
				r.Confidence = s.Deal.Confidence
			}
			rows = append(rows, r)
		}
		if m := s.Deal.Amount; m != nil {
			add(KindMoneyRaised, m, sameMoney(m, dr.Amount), "")
		}
		for _, v := range []*news.Valuation{s.Deal.Valuation, s.Deal.ValuationAlt} {
			if v != nil {
				add(valuationKind(v.Basis), &v.Money, dr.Valuation != nil && sameMoney(&v.Money, &dr.Valuation.Money), "")
			}
		}
		for _, inv := range s.Deal.Investors {
			if inv.Amount != nil {
				add(KindInvestment, inv.Amount, false, investorName(inv))
			}
		}
	}
	return rows
}

func valuationKind(basis string) string {
	switch basis {
	case "pre-money":
		return KindPreMoneyValuation
	case "post-money":
		return KindPostMoneyValuation
	}
	return KindValuation
}

func sameMoney(a, b *news.Money) bool {
	return a != nil && b != nil && a.Value == b.Value && a.Currency == b.Currency
}

// investorName is the gazetteer's name of inv, or the name as written.
func investorName(inv news.Investor) string {
	if inv.Canonical != "" {
		return inv.Canonical
	}
	return inv.Name
}

// span returns the offsets of sp, or nils for the zero span, which stands
// for "not known" (a merged fact points into no single text).
func span(sp news.Span) (start, end *int64) {
	if sp.End <= sp.Start {
		return nil, nil
	}
	s, e := int64(sp.Start), int64(sp.End)
	return &s, &e
}

func evidenceSpan(d *news.Deal) (start, end *int64) {
	if d.Evidence == "" {
		return nil, nil
	}
	return span(d.EvidenceSpan)
}

// day is t's calendar day in UTC as days since 1970-01-01, 0 for the zero
// time.
func day(t time.Time) int32 {
	if t.IsZero() {
		return 0
	}
	return int32(t.UTC().Truncate(24*time.Hour).Unix() / 86400)
}

// instant is t in UTC at millisecond precision, nil for the zero time.
func instant(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC().Truncate(time.Millisecond)
	return &u
}
