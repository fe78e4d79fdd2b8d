package news

import "time"

// DealRecord is one deal (a funding round, loan, grant, fund close, IPO or
// acquisition) resolved across every article that reports it: the merged
// facts, the sources they came from, and the figures the sources disagree on.
// The deals package builds it; the index stores it with document id ID.
//
// A DealRecord is a pure function of the set of contributions it holds, so
// replaying the same records in any order yields byte-identical JSON.
type DealRecord struct {
	V int `json:"v"`
	// ID is the stable deal id: a hex hash of the deal's first contribution
	// (earliest published source) and its company. Re-processing keeps it;
	// it changes only when an earlier-published source arrives late or an
	// edit moves the first source elsewhere, and then the old id is reported
	// once more with Deleted set.
	ID string `json:"id"`
	// Key is the human-readable deal key: normalised company, round and
	// announcement date, e.g. "acme robotics|series b|2026-03-04".
	Key string `json:"key"`
	// Company is the chosen name as written by the sources; CompanyKey is its
	// normalised form (lower case, no punctuation or legal suffixes).
	Company    string `json:"company"`
	CompanyKey string `json:"company_key"`
	// Round uses the values of [Deal.Round]; it is "unknown" only when no
	// source names the round.
	Round string `json:"round"`
	// AnnouncedAt is the earliest published time among the sources.
	AnnouncedAt time.Time `json:"announced_at"`
	// Amount, Valuation, Investors, Capacity and Acquirer are the chosen
	// values under the merge rule of the deals package. The span of each
	// (and of an investor's amount) points into the text of the one source
	// that speaks for the value, named by its entry in Anchors; a value
	// without an anchor has a zero span.
	Amount    *Money     `json:"amount"`
	Valuation *Valuation `json:"valuation"`
	Investors []Investor `json:"investors"`
	Capacity  []Capacity `json:"capacity"`
	Acquirer  string     `json:"acquirer,omitempty"`
	// Confidence is the highest [Deal.Confidence] among the sources: the
	// deal is as credible as its most credible report. 0 when no source was
	// scored. Searches hide deals below their min_confidence.
	Confidence float64 `json:"confidence,omitempty"`
	// Anchors say which source's text the span of each chosen fact points
	// into, so that a reader can open that article with the fact
	// highlighted. One per chosen amount, valuation, investor, investor
	// amount and capacity that its source located.
	Anchors []DealAnchor `json:"anchors,omitempty"`
	// Sources lists every article's contribution, oldest first.
	Sources []DealSource `json:"sources"`
	// Conflicts lists, per field, the distinct values the sources gave when
	// they disagree, the chosen value first.
	Conflicts []DealConflict `json:"conflicts,omitempty"`
	// UpdatedAt is the newest extraction time among the sources: the time of
	// the newest information in the record (not the wall clock of the merge,
	// so that replays converge).
	UpdatedAt time.Time `json:"updated_at"`
	// Deleted marks a tombstone: this id no longer names a deal because its
	// sources now belong to other deal records. The index should delete it.
	Deleted bool `json:"deleted,omitempty"`
}

// DealSource is one article's contribution to a [DealRecord]: where it came
// from and what it said.
type DealSource struct {
	ArticleID string `json:"article_id"`
	// DealIndex is the position of Deal in the article's [Extraction.Deals].
	DealIndex   int       `json:"deal_index"`
	URL         string    `json:"url"`
	Source      string    `json:"source"`
	Title       string    `json:"title,omitempty"`
	PublishedAt time.Time `json:"published_at,omitzero"`
	// Authority ranks how primary the source is: 2 for a press release or the
	// company's own site, 1 for trade press and everything else.
	Authority        int       `json:"authority"`
	ExtractorVersion string    `json:"extractor_version,omitempty"`
	ExtractedAt      time.Time `json:"extracted_at,omitzero"`
	// Deal is what this source said, as extracted.
	Deal Deal `json:"deal"`
	// Outlet is the publication's name as readers know it
	// ([Article.Outlet]); empty for articles fetched before it was kept,
	// which show Source instead.
	Outlet string `json:"outlet,omitempty"`
}

// DealAnchor locates one chosen fact of a [DealRecord] in the text of the
// article it was taken from: Span is a half-open byte range of that
// article's [Article.Text], equal to the fact's own span.
type DealAnchor struct {
	// Field is "amount", "valuation", "investor", "investor_amount" or
	// "capacity".
	Field string `json:"field"`
	// Index is the position in [DealRecord.Investors] or
	// [DealRecord.Capacity] of the fact an "investor", "investor_amount" or
	// "capacity" anchor locates; 0 for the others.
	Index     int    `json:"index"`
	ArticleID string `json:"article_id"`
	// DealIndex is the position of the source's deal in the article's
	// [Extraction.Deals], as in [DealSource].
	DealIndex int  `json:"deal_index"`
	Span      Span `json:"span"`
}

// DealConflict is a field on which the sources of a [DealRecord] disagree.
type DealConflict struct {
	// Field is "round", "amount", "valuation" or "acquirer".
	Field  string      `json:"field"`
	Values []DealValue `json:"values"`
}

// DealValue is one distinct value of a conflicting field and the articles
// that gave it.
type DealValue struct {
	// Value is the value in a canonical text form: "40000000 USD" for money.
	Value      string   `json:"value"`
	ArticleIDs []string `json:"article_ids"`
	// Chosen marks the value the merge rule picked.
	Chosen bool `json:"chosen,omitempty"`
}
