package index

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/news"
)

// DealStore keeps resolved deals ([news.DealRecord]) in an index of their
// own beside the records, searchable with the same [Query]: text matches the
// company, round, source titles and evidence sentences; the deal filters
// match the merged deal; Source matches any of its sources; the date is
// AnnouncedAt; the facets count deals. A deal whose confidence
// ([news.DealRecord.Confidence]) the query does not show ([Query.Shows]) is
// not found at all.
type DealStore interface {
	// IndexDeals stores deals, overwriting by ID; a tombstone (Deleted)
	// removes its id. One result per deal, with the meaning of [Store.Index].
	IndexDeals(ctx context.Context, deals []news.DealRecord) []error
	// SearchDeals answers q over the deals.
	SearchDeals(ctx context.Context, q Query) (DealResult, error)
	// GetDeal returns the deal with id id, or [ErrNotFound].
	GetDeal(ctx context.Context, id string) (news.DealRecord, error)
}

// DealResult is one page of deals.
type DealResult struct {
	Total  int       `json:"total"`
	Hits   []DealHit `json:"hits"`
	Next   string    `json:"next,omitempty"`
	Facets *Facets   `json:"facets,omitempty"`
	// MinConfidence is the threshold the answer applied ([Query.MinConfidence]).
	MinConfidence float64 `json:"min_confidence"`
}

// DealHit is one matching deal.
type DealHit struct {
	ID    string          `json:"id"`
	Score float64         `json:"score"`
	Deal  news.DealRecord `json:"deal"`
}

// NewDealDoc flattens a deal record into a [Doc] with one deal.
func NewDealDoc(dr news.DealRecord, rates *fx.Table) Doc {
	d := Doc{ID: dr.ID, Date: dr.AnnouncedAt.UTC().Truncate(time.Millisecond)}
	d.Published = d.Date
	d.Title = strings.TrimSpace(dr.Company + " " + dr.Round)
	var text []string
	for _, s := range dr.Sources {
		if s.Source != "" && !slices.Contains(d.Sources, s.Source) {
			d.Sources = append(d.Sources, s.Source)
		}
		if s.Title != "" {
			text = append(text, s.Title)
		}
		if s.Deal.Evidence != "" {
			text = append(text, s.Deal.Evidence)
		}
	}
	if len(d.Sources) > 0 {
		d.Source = d.Sources[0]
	}
	if len(dr.Sources) > 0 {
		d.URL = dr.Sources[0].URL
	}
	d.Text = strings.Join(text, "\n")
	d.addDeal(0, news.Deal{Company: dr.Company, Round: dr.Round, Amount: dr.Amount, Valuation: dr.Valuation,
		Investors: dr.Investors, Capacity: dr.Capacity, Acquirer: dr.Acquirer, Confidence: dr.Confidence}, rates)
	d.AmountUSDMax = d.Deals[0].AmountUSD
	return d
}
