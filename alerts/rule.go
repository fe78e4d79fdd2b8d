package alerts

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dealwire/dealwire/company"
	"github.com/dealwire/dealwire/deals"
	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// Rule is a [RuleConfig] compiled for matching.
type Rule struct {
	Config RuleConfig
	Query  Query

	amount, valuation   threshold
	investors, leads    []string // index.Key form
	rounds              []string // deals.NormalizeRound form
	companies           []string // company.Key form
	sources             []string // lower case
	capacityMin         float64  // watts; 0 = no condition
	minConfidence       float64
	rates               *fx.Table
	hasAmount, hasValue bool
}

// threshold is a least money value in a currency.
type threshold struct {
	value    float64
	currency string
}

// Compile checks rc's conditions and prepares them. rates converts
// amounts between currencies; nil uses the shipped FX table.
func Compile(rc RuleConfig, rates *fx.Table) (*Rule, error) {
	if rates == nil {
		var err error
		if rates, err = fx.Default(); err != nil {
			return nil, fmt.Errorf("loading the FX table: %w", err)
		}
	}
	r := &Rule{Config: rc, Query: ParseQuery(rc.Query), rates: rates, minConfidence: rc.MinConfidence}
	var err error
	if r.amount, r.hasAmount, err = parseThreshold("amount", rc.AmountMin, rc.AmountCurrency, rates); err != nil {
		return nil, err
	}
	if r.valuation, r.hasValue, err = parseThreshold("valuation", rc.ValuationMin, rc.ValuationCurrency, rates); err != nil {
		return nil, err
	}
	if strings.TrimSpace(rc.CapacityMin) != "" {
		if r.capacityMin, err = index.ParseWatts(rc.CapacityMin); err != nil {
			return nil, fmt.Errorf("capacity_min %q: %w", rc.CapacityMin, err)
		}
	}
	if rc.MinConfidence < 0 || rc.MinConfidence > 1 || rc.MinConfidence != rc.MinConfidence {
		return nil, fmt.Errorf("min_confidence %g: want a number from 0 to 1", rc.MinConfidence)
	}
	for _, n := range rc.Investors {
		r.investors = append(r.investors, index.Key(n))
	}
	for _, n := range rc.LeadInvestors {
		r.leads = append(r.leads, index.Key(n))
	}
	for _, n := range rc.Rounds {
		r.rounds = append(r.rounds, deals.NormalizeRound(n))
	}
	for _, n := range rc.Companies {
		r.companies = append(r.companies, company.Key(n))
	}
	for _, n := range rc.Sources {
		r.sources = append(r.sources, strings.ToLower(strings.TrimSpace(n)))
	}
	return r, nil
}

func parseThreshold(what, value, currency string, rates *fx.Table) (threshold, bool, error) {
	if strings.TrimSpace(value) == "" {
		if currency != "" {
			return threshold{}, false, fmt.Errorf("%s_currency %q without %s_min", what, currency, what)
		}
		return threshold{}, false, nil
	}
	v, err := index.ParseAmount(value)
	if err != nil {
		return threshold{}, false, fmt.Errorf("%s_min %q: %w", what, value, err)
	}
	cur := strings.ToUpper(strings.TrimSpace(currency))
	if cur == "" {
		cur = "USD"
	}
	if _, ok := rates.USD(1, cur); !ok {
		return threshold{}, false, fmt.Errorf("%s_currency %q: not in the FX table (configs/fx.tsv); use an ISO 4217 code it lists", what, currency)
	}
	return threshold{value: v, currency: cur}, true, nil
}

// Name is the rule's name.
func (r *Rule) Name() string { return r.Config.Name }

// Match reports whether the deal record meets every condition of r.
// Tombstones never match.
func (r *Rule) Match(d news.DealRecord) bool {
	if d.Deleted {
		return false
	}
	if r.minConfidence > 0 && d.Confidence != 0 && index.StoredConfidence(d.Confidence) < index.StoredConfidence(r.minConfidence) {
		return false
	}
	if r.hasAmount && !r.atLeast(d.Amount, r.amount) {
		return false
	}
	if r.hasValue && (d.Valuation == nil || !r.atLeast(&d.Valuation.Money, r.valuation)) {
		return false
	}
	if len(r.rounds) > 0 && !slices.Contains(r.rounds, deals.NormalizeRound(d.Round)) {
		return false
	}
	if len(r.companies) > 0 {
		key := d.CompanyKey
		if key == "" {
			key = company.Key(d.Company)
		}
		if !slices.Contains(r.companies, key) {
			return false
		}
	}
	if len(r.investors) > 0 && !hasInvestor(d.Investors, r.investors, false) {
		return false
	}
	if len(r.leads) > 0 && !hasInvestor(d.Investors, r.leads, true) {
		return false
	}
	if len(r.sources) > 0 && !slices.ContainsFunc(d.Sources, func(s news.DealSource) bool {
		return slices.Contains(r.sources, strings.ToLower(s.Source))
	}) {
		return false
	}
	if r.capacityMin > 0 && !slices.ContainsFunc(d.Capacity, func(c news.Capacity) bool {
		return c.ValueWatts.Float64() >= r.capacityMin
	}) {
		return false
	}
	return r.Query.Match(TextFields(d))
}

// atLeast reports whether m is worth at least t: compared in t's currency
// when m is in it, else in approximate US dollars. An amount that cannot
// be converted does not match.
func (r *Rule) atLeast(m *news.Money, t threshold) bool {
	if m == nil {
		return false
	}
	if strings.EqualFold(m.Currency, t.currency) {
		return m.Value.Float64() >= t.value
	}
	usd := m.USD
	if usd == 0 {
		var ok bool
		if usd, ok = r.rates.USD(m.Value.Float64(), m.Currency); !ok {
			return false
		}
	}
	min, ok := r.rates.USD(t.value, t.currency)
	return ok && usd >= min
}

func hasInvestor(invs []news.Investor, names []string, lead bool) bool {
	for _, inv := range invs {
		if lead && !inv.Lead {
			continue
		}
		if slices.Contains(names, index.Key(inv.Name)) || slices.Contains(names, index.Key(inv.Canonical)) {
			return true
		}
	}
	return false
}

// TextFields are the texts of d a rule's query is matched against:
// company, round, acquirer, each investor's names, and each source's title
// and evidence sentence.
func TextFields(d news.DealRecord) []string {
	f := []string{d.Company, d.Round, d.Acquirer}
	for _, inv := range d.Investors {
		f = append(f, inv.Name, inv.Canonical)
	}
	for _, s := range d.Sources {
		f = append(f, s.Title, s.Deal.Evidence)
	}
	return f
}
