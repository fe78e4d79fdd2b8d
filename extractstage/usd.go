package extractstage

import (
	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/news"
)

// fillUSD sets the approximate US-dollar value of every amount that has a
// currency the FX table knows, so readers of a record need no FX table.
func fillUSD(ex *news.Extraction, rates *fx.Table) {
	money := func(m *news.Money) {
		if m == nil {
			return
		}
		if usd, ok := rates.USD(m.Value.Float64(), m.Currency); ok {
			m.USD = usd
		}
		if m.Equivalent != nil {
			if usd, ok := rates.USD(m.Equivalent.Value.Float64(), m.Equivalent.Currency); ok {
				m.Equivalent.USD = usd
			}
		}
	}
	for i := range ex.Deals {
		d := &ex.Deals[i]
		money(d.Amount)
		if d.Valuation != nil {
			money(&d.Valuation.Money)
		}
		if d.ValuationAlt != nil {
			money(&d.ValuationAlt.Money)
		}
		for j := range d.Investors {
			money(d.Investors[j].Amount)
		}
	}
	for _, figs := range [][]news.Figure{ex.PriorAmounts, ex.OtherAmounts} {
		for i := range figs {
			f := &figs[i]
			if f.Value != nil && f.Currency != "" {
				if usd, ok := rates.USD(f.Value.Float64(), f.Currency); ok {
					f.USD = usd
				}
			}
		}
	}
}
