package news

// Span is a half-open range of byte offsets into [Article.Text]:
// Text[Start:End] is the text of the fact it belongs to.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Money is an amount of money found in the text. Value is in base units of
// Currency (an ISO 4217 code): "$2.5bn" is 2500000000 USD.
type Money struct {
	Value    Decimal `json:"value"`
	Currency string  `json:"currency"`
	Text     string  `json:"text"` // the smallest span covering marker, number and scale
	Span     Span    `json:"span"`
	// Approx is set, with Qualifier, for "about", "nearly", "up to", "more than"...
	Approx    bool     `json:"approx"`
	Qualifier string   `json:"qualifier,omitempty"`
	Max       *Decimal `json:"max,omitempty"`      // upper bound of a range; Value is the lower
	Mentions  []string `json:"mentions,omitempty"` // other spans restating the same figure
	// Equivalent is a conversion given alongside: "¥5 billion ($33 million)".
	Equivalent *Money `json:"equivalent,omitempty"`
	// USD is an approximate US-dollar value from the FX table; 0 when unknown.
	USD float64 `json:"usd,omitempty"`
	// Confidence is the extractor model's probability, in [0, 1], that this
	// figure has the role it was given (the deal's amount, its valuation, an
	// investor's share); 0 when no model scored it.
	Confidence float64 `json:"confidence,omitempty"`
}

// Valuation is a company valuation with its basis: "pre-money", "post-money"
// or "unspecified".
type Valuation struct {
	Money
	Basis string `json:"basis"`
}

// Investor is an organisation or person named as putting money into a deal.
type Investor struct {
	Name      string `json:"name"`      // as written in the text
	Canonical string `json:"canonical"` // the gazetteer's name, or Name when unknown
	Lead      bool   `json:"lead"`
	Amount    *Money `json:"amount"` // set when the text ties a figure to this investor
	Span      Span   `json:"span"`
	// Confidence is the model's probability that Name invests in this deal.
	Confidence float64 `json:"confidence,omitempty"`
}

// Capacity is a power figure in watts: "2 GW" is 2000000000.
type Capacity struct {
	ValueWatts Decimal `json:"value_watts"`
	Text       string  `json:"text"`
	Span       Span    `json:"span"`
	What       string  `json:"what,omitempty"` // what the power is for
	Approx     bool    `json:"approx"`
	Qualifier  string  `json:"qualifier,omitempty"`
	// Confidence is the model's probability that the deal funds this power.
	Confidence float64 `json:"confidence,omitempty"`
}

// Deal is one money event an article reports as its news: a funding round,
// a loan, a grant, a fund close, an IPO or an acquisition.
type Deal struct {
	Company string `json:"company"`
	// Round is "pre-seed", "seed", "series a".."series f", "growth", "debt", "ipo",
	// "grant", "fund", "acquisition", "strategic" or "unknown".
	Round        string     `json:"round"`
	Amount       *Money     `json:"amount"`
	Valuation    *Valuation `json:"valuation"`
	ValuationAlt *Valuation `json:"valuation_alt,omitempty"` // pre-money when both are stated
	Investors    []Investor `json:"investors"`
	Capacity     []Capacity `json:"capacity"`
	Acquirer     string     `json:"acquirer,omitempty"`
	// Evidence is the sentence the deal was found in.
	Evidence     string `json:"evidence,omitempty"`
	EvidenceSpan Span   `json:"evidence_span"`
	// Confidence is the model's probability, in [0, 1], that the text reports
	// this deal as news. Searches hide deals below their min_confidence.
	Confidence float64 `json:"confidence,omitempty"`
}

// Figure is an amount that is not a deal's raise: an earlier round, revenue,
// a contract, a market size, power that is only mentioned, energy in watt-hours.
type Figure struct {
	// Kind is "round", "valuation" or "total" in prior amounts; "revenue",
	// "contract", "fund size", "market size", "commitment", "energy" or "other"
	// in other amounts.
	Kind       string   `json:"kind"`
	Value      *Decimal `json:"value"`              // money in base units, or watt-hours for energy
	Currency   string   `json:"currency,omitempty"` // empty for power and energy
	ValueWatts *Decimal `json:"value_watts"`
	Text       string   `json:"text"`
	Span       Span     `json:"span"`
	Approx     bool     `json:"approx"`
	Qualifier  string   `json:"qualifier,omitempty"`
	Max        *Decimal `json:"max,omitempty"`
	Note       string   `json:"note,omitempty"`
	USD        float64  `json:"usd,omitempty"`
}

// Extraction is everything the extractor found in one text, in the shape of
// the devset labels (shared/devset/README.md).
type Extraction struct {
	Deals        []Deal   `json:"deals"`
	PriorAmounts []Figure `json:"prior_amounts"`
	OtherAmounts []Figure `json:"other_amounts"`
	// Doubtful are candidate deals the model rejected, each with its low
	// confidence. They are not part of the answer (scorers ignore them);
	// the pipeline indexes them beside Deals so that a search with
	// min_confidence below theirs can still show them.
	Doubtful []Deal `json:"doubtful,omitempty"`
}
