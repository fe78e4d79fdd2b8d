package dealindexstage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/deals"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// Config configures the stage's batches; the binary takes them from the
// index section of the configuration file, like the index stage's.
type Config struct {
	// Batch is the most deal messages one bulk request answers (default 200).
	Batch int
	// FlushInterval is how long a partial batch waits for more (default 1s).
	FlushInterval time.Duration
}

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.Batch == 0 {
		c.Batch = 200
	}
	if c.FlushInterval == 0 {
		c.FlushInterval = time.Second
	}
	return c
}

// Store is what the stage needs of the index: bulk writes of deals, and a
// read to probe it while it fails.
type Store interface {
	IndexDeals(ctx context.Context, deals []news.DealRecord) []error
	Get(ctx context.Context, id string) (news.Record, error)
}

// Options are the stage's dependencies besides JetStream and the store.
type Options struct {
	// NATS configures the consumer.
	NATS bus.Config
	// Deals configures the resolver whose current deal states are written.
	Deals deals.Config
	// Logger gets the stage's logs; nil discards them.
	Logger *slog.Logger
	// Registerer gets the consumer's metrics; nil registers nothing.
	Registerer prometheus.Registerer
}

// Stage is the deal-indexing stage.
type Stage struct {
	store    Store
	resolver *deals.Resolver
	cons     *bus.Consumer
}

// New opens the deal resolver and the durable consumer "index-deals" of the
// DEALS stream, writing to store.
func New(ctx context.Context, js jetstream.JetStream, store Store, cfg Config, opts Options) (*Stage, error) {
	cfg = cfg.WithDefaults()
	resolver, err := deals.NewResolver(ctx, js, opts.Deals, opts.Logger)
	if err != nil {
		return nil, fmt.Errorf("opening deal resolver: %w", err)
	}
	cons, err := bus.NewConsumer(ctx, js, opts.NATS, bus.Stage{
		Name: "index-deals", Stream: news.StreamDeals, Durable: "index-deals", Workers: 1,
		Batch: cfg.Batch, MaxWait: cfg.FlushInterval, Probe: index.Probe(store),
	}, opts.Logger, opts.Registerer)
	if err != nil {
		return nil, err
	}
	return &Stage{store: store, resolver: resolver, cons: cons}, nil
}

// Run consumes deal messages until ctx ends, then settles the batch it holds.
func (s *Stage) Run(ctx context.Context) error {
	return s.cons.RunBatch(ctx, handler(s.store, s.resolver))
}

// handler returns the batch handler: each deal of the batch once, in its
// current state, and every message of a deal settled by that deal's result.
func handler(store Store, resolver *deals.Resolver) func(ctx context.Context, msgs []jetstream.Msg) []error {
	return func(ctx context.Context, msgs []jetstream.Msg) []error {
		errs := make([]error, len(msgs))
		byID := map[string]int{} // deal id -> position in batch
		var batch []news.DealRecord
		owner := make([][]int, 0, len(msgs)) // message positions per batch entry
		for i, m := range msgs {
			var dr news.DealRecord
			if err := json.Unmarshal(m.Data(), &dr); err != nil {
				errs[i] = news.Permanent(fmt.Errorf("decoding deal record: %w", err))
				continue
			}
			if dr.ID == "" {
				errs[i] = news.Permanent(errors.New("decoding deal record: no id"))
				continue
			}
			if j, ok := byID[dr.ID]; ok {
				owner[j] = append(owner[j], i)
				continue
			}
			cur, err := resolver.Current(ctx, dr)
			if err != nil {
				errs[i] = fmt.Errorf("reading current state of deal %s: %w", dr.ID, err)
				continue
			}
			byID[dr.ID] = len(batch)
			batch = append(batch, cur)
			owner = append(owner, []int{i})
		}
		if len(batch) == 0 {
			return errs
		}
		res := store.IndexDeals(ctx, batch)
		for j, positions := range owner {
			var err error
			if j < len(res) {
				err = res[j]
			} else {
				err = errors.New("index returned no result for this deal")
			}
			for _, i := range positions {
				errs[i] = err
			}
		}
		return errs
	}
}

// Replay writes every deal the resolver of cfg holds to store and returns
// how many it wrote.
func Replay(ctx context.Context, js jetstream.JetStream, store Store, cfg deals.Config, logger *slog.Logger) (int, error) {
	resolver, err := deals.NewResolver(ctx, js, cfg, logger)
	if err != nil {
		return 0, fmt.Errorf("opening deal resolver: %w", err)
	}
	all, err := resolver.Deals(ctx)
	if err != nil {
		return 0, err
	}
	for i, err := range store.IndexDeals(ctx, all) {
		if err != nil {
			return i, fmt.Errorf("reindexing deal %s: %w", all[i].ID, err)
		}
	}
	return len(all), nil
}
