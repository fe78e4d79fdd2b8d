package elastic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

var _ index.DealStore = (*Store)(nil)

// IndexDeals writes resolved deals to the deals alias ([Store.DealsIndex])
// with the same mapping as records; a tombstone deletes its id. One result
// per deal, classified like [Store.Index].
func (s *Store) IndexDeals(ctx context.Context, deals []news.DealRecord) []error {
	docs := make([]bulkDoc, len(deals))
	for i, dr := range deals {
		docs[i] = s.dealLines(nil, dr, "index")
	}
	return s.write(ctx, docs, s.DealsIndex(), nil)
}

// dealLines is the bulk lines of dr with action op, or "delete" for a
// tombstone, written into lb.
func (s *Store) dealLines(lb *lineBuf, dr news.DealRecord, op string) bulkDoc {
	switch raw, err := json.Marshal(dr); {
	case dr.ID == "":
		return bulkDoc{err: news.Permanent(errors.New("indexing: deal record has no id"))}
	case err != nil:
		return bulkDoc{id: dr.ID, err: news.Permanent(fmt.Errorf("encoding deal %s: %w", dr.ID, err))}
	case dr.Deleted:
		return lb.docLines(dr.ID, "delete", nil)
	default:
		doc := newDocument(index.NewDealDoc(dr, s.rates), "", raw)
		return lb.docLines(dr.ID, op, &doc)
	}
}

// GetDeal returns the deal with id id.
func (s *Store) GetDeal(ctx context.Context, id string) (news.DealRecord, error) {
	var dr news.DealRecord
	if err := s.get(ctx, s.DealsIndex(), id, &dr); err != nil {
		return news.DealRecord{}, err
	}
	return dr, nil
}
