package index

import (
	"context"
	"errors"

	"github.com/dealwire/dealwire/news"
)

// ErrNotFound is returned by [Store.Get] when no record has the id.
var ErrNotFound = errors.New("record not found")

// Store is a searchable collection of records: Elasticsearch or SQLite.
type Store interface {
	// Index stores recs, overwriting records with the same Article.ID. It
	// returns exactly one error per record, in order: nil means the record is
	// durably stored; an error marked [news.Permanent] means retrying cannot
	// help (mapping error, other 4xx); any other error is transient (429,
	// 5xx, network) and the record should be retried later.
	Index(ctx context.Context, recs []news.Record) []error
	// Search answers q.
	Search(ctx context.Context, q Query) (Result, error)
	// Get returns the record with article id id, or [ErrNotFound].
	Get(ctx context.Context, id string) (news.Record, error)
	// Refresh makes every write that returned nil visible to Search now.
	// Backends make writes visible on their own within about a second; tests
	// and reindexing call Refresh when they cannot wait.
	Refresh(ctx context.Context) error
	// Close releases the store's resources.
	Close() error
}

// Errs returns a slice of n copies of err: the answer of [Store.Index] when
// the whole batch failed the same way.
func Errs(n int, err error) []error {
	out := make([]error, n)
	for i := range out {
		out[i] = err
	}
	return out
}

// Getter reads one record by id; every [Store] is one.
type Getter interface {
	Get(ctx context.Context, id string) (news.Record, error)
}

// Probe asks the index for a document that does not exist: "not found"
// means it answers. The index stages probe with it while their writes
// fail; a process's /readyz uses it as its index check.
func Probe(g Getter) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		_, err := g.Get(ctx, "dealwire-probe")
		if err == nil || errors.Is(err, ErrNotFound) {
			return nil
		}
		return err
	}
}
