package deals

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/news"
)

// Current returns the deal record with d's id as the bucket holds it now:
// recomputed from its company entry, or read from the archive, or a
// tombstone when the id no longer names a deal. d is a record that
// [Resolver.Resolve] returned earlier, possibly long ago.
//
// The index stage writes Current rather than the record a message carried:
// two extract replicas publish their results in whatever order their
// PubAcks come back, which need not be the order of their compare-and-set
// updates, so a message can carry a stale state. Writing the current state,
// one message after the other, makes the last write the newest state.
func (r *Resolver) Current(ctx context.Context, d news.DealRecord) (news.DealRecord, error) {
	gone := news.DealRecord{V: news.SchemaVersion, ID: d.ID, Deleted: true}
	if d.Deleted || d.CompanyKey == "" {
		return gone, nil
	}
	first, _, _ := strings.Cut(d.CompanyKey, " ")
	e, _, err := r.entry(ctx, bucketKey(first))
	if err != nil {
		return news.DealRecord{}, err
	}
	for _, cur := range resolve(e.Contributions, r.rules()) {
		if cur.ID == d.ID {
			return cur, nil
		}
	}
	kv, err := r.kv.Get(ctx, archiveKey(d.ID))
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound):
		return gone, nil
	case err != nil:
		return news.DealRecord{}, fmt.Errorf("reading archived deal %s: %w", d.ID, err)
	}
	var archived news.DealRecord
	if err := json.Unmarshal(kv.Value(), &archived); err != nil {
		return news.DealRecord{}, news.Permanent(fmt.Errorf("decoding archived deal %s: %w", d.ID, err))
	}
	return archived, nil
}
