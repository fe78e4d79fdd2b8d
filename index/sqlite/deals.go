package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
	"github.com/dealwire/dealwire/obs"
)

// IndexDeals writes resolved deals to the deals file, in one transaction; a
// tombstone deletes its id.
func (s *Store) IndexDeals(ctx context.Context, deals []news.DealRecord) []error {
	items := make([]item, len(deals))
	for i, dr := range deals {
		it := item{id: dr.ID, del: dr.Deleted}
		switch raw, err := json.Marshal(dr); {
		case it.id == "":
			it.err = news.Permanent(errors.New("deal record has no id"))
		case err != nil:
			it.err = news.Permanent(fmt.Errorf("encoding deal %s: %w", it.id, err))
		case !dr.Deleted:
			it.raw, it.doc = raw, index.NewDealDoc(dr, s.rates)
		}
		items[i] = it
	}
	start := time.Now()
	errs := s.deal.write(ctx, items)
	s.bulk.Load().Observe(obs.BackendSQLite, obs.KindDeals, len(items), time.Since(start))
	return errs
}

// GetDeal returns the deal with id id.
func (s *Store) GetDeal(ctx context.Context, id string) (news.DealRecord, error) {
	var dr news.DealRecord
	if err := s.deal.get(ctx, id, &dr); err != nil {
		return news.DealRecord{}, err
	}
	return dr, nil
}
