package indexstage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
	"github.com/dealwire/dealwire/obs"
)

// Config configures the index stage (the index section of the
// configuration file).
type Config struct {
	// Workers is the number of concurrent bulk writers (default 2).
	Workers int `yaml:"workers"`
	// Batch is the most records one bulk request carries (default 200).
	Batch int `yaml:"batch"`
	// FlushInterval is how long a partial batch waits for more records (default 1s).
	FlushInterval time.Duration `yaml:"flush_interval"`
}

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.Workers == 0 {
		c.Workers = 2
	}
	if c.Batch == 0 {
		c.Batch = 200
	}
	if c.FlushInterval == 0 {
		c.FlushInterval = time.Second
	}
	return c
}

// Validate reports a config that cannot work.
func (c Config) Validate() error {
	if c.Workers < 1 || c.Batch < 1 {
		return errors.New("index.workers and index.batch must be at least 1")
	}
	return nil
}

// Store is what the stage needs of the index: bulk writes, a refresh to
// make them searchable, and a read to probe it while it fails.
type Store interface {
	Index(ctx context.Context, recs []news.Record) []error
	Refresh(ctx context.Context) error
	Get(ctx context.Context, id string) (news.Record, error)
}

// Options are the stage's dependencies besides JetStream and the store.
type Options struct {
	// NATS configures the consumer.
	NATS bus.Config
	// Logger gets the stage's logs; nil discards them.
	Logger *slog.Logger
	// Registerer gets the consumer's metrics; nil registers nothing.
	Registerer prometheus.Registerer
}

// Stage is the index stage: a batch of records goes to the store in one bulk
// request, and each message is settled by its own item's result.
type Stage struct {
	store   Store
	cons    *bus.Consumer
	batch   int // Config.Batch
	logger  *slog.Logger
	indexed prometheus.Counter // records the store accepted
}

// New builds the durable consumer "index" of the RECORDS stream, writing to
// store.
func New(ctx context.Context, js jetstream.JetStream, store Store, cfg Config, opts Options) (*Stage, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cons, err := bus.NewConsumer(ctx, js, opts.NATS, bus.Stage{
		Name: "index", Stream: news.StreamRecords, Durable: "index", Workers: cfg.Workers,
		Batch: cfg.Batch, MaxWait: cfg.FlushInterval, Probe: index.Probe(store),
		// A worker's next batch comes while its bulk request is in flight,
		// as the ceiling's loader always has its next body at hand.
		Prefetch: true,
	}, opts.Logger, opts.Registerer)
	if err != nil {
		return nil, err
	}
	sm, err := obs.NewStageMetrics(opts.Registerer)
	if err != nil {
		return nil, fmt.Errorf("registering metrics of the index stage: %w", err)
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Stage{store: store, cons: cons, batch: cfg.Batch, logger: logger, indexed: sm.For("index").Indexed}, nil
}

// Run consumes records until ctx ends, then settles the batch it holds.
func (s *Stage) Run(ctx context.Context) error {
	return s.cons.RunBatch(ctx, s.handle)
}

// handle is the stage's batch handler: one bulk write per batch, and one
// result per message.
//
// A batch smaller than Config.Batch came when the flush interval ended:
// the stage keeps up with the stream. Then it asks the store to refresh
// before the batch is acked, so that the records are searchable at once
// instead of up to the index's refresh interval later (a second more, for
// Elasticsearch). That is at most one refresh per worker and flush
// interval, while the stream is quiet; full batches, when records come
// faster than they are written, are never refreshed.
func (s *Stage) handle(ctx context.Context, msgs []jetstream.Msg) []error {
	errs := s.write(ctx, msgs)
	if len(msgs) < s.batch && slices.Contains(errs, nil) {
		if err := s.store.Refresh(ctx); err != nil {
			// The records are stored; they become searchable at the
			// index's next scheduled refresh.
			s.logger.Debug("refreshing after a partial batch", "error", err)
		}
	}
	return errs
}

// jsonIndexer is a [Store] that also takes each record's JSON as it came
// from the stream (SQLite's; Elasticsearch's is a [rawIndexer]): it stores
// those bytes instead of encoding the decoded record once more, which was
// a tenth of the stage's own work for Elasticsearch.
type jsonIndexer interface {
	IndexJSON(ctx context.Context, recs []news.Record, raw [][]byte) []error
}

// rawIndexer is a [Store] that takes records as the JSON they came as and
// decodes them itself, as far as it needs to (Elasticsearch: all but the
// title and text, which go into its documents as the JSON strings they
// are). Decoding whole records here and encoding their text again in the
// store was most of the stage's own work for Elasticsearch. It answers for
// each record as [Store.Index] does, with a [news.Permanent] error for one
// that is no record.
type rawIndexer interface {
	IndexRaw(ctx context.Context, raw [][]byte) []error
}

// write writes the records of msgs to the store in one bulk write and
// returns one result per message.
func (s *Stage) write(ctx context.Context, msgs []jetstream.Msg) []error {
	if ri, ok := s.store.(rawIndexer); ok {
		raw := make([][]byte, len(msgs))
		pos := make([]int, len(msgs))
		for i, m := range msgs {
			raw[i], pos[i] = m.Data(), i
		}
		return s.settle(make([]error, len(msgs)), ri.IndexRaw(ctx, raw), pos)
	}
	errs := make([]error, len(msgs))
	recs := make([]news.Record, 0, len(msgs))
	raw := make([][]byte, 0, len(msgs))
	pos := make([]int, 0, len(msgs))
	for i, m := range msgs {
		data := m.Data()
		r, err := news.DecodeRecord(data)
		if err != nil {
			errs[i] = err
			continue
		}
		if !news.StorableJSON(data) {
			data = nil // the store encodes the record
		}
		recs = append(recs, r)
		raw = append(raw, data)
		pos = append(pos, i)
	}
	if len(recs) == 0 {
		return errs
	}
	var res []error
	if ji, ok := s.store.(jsonIndexer); ok {
		res = ji.IndexJSON(ctx, recs, raw)
	} else {
		res = s.store.Index(ctx, recs)
	}
	return s.settle(errs, res, pos)
}

// settle puts res, the store's result for each record, at its
// message's position pos[j] in errs, and counts the stored ones.
func (s *Stage) settle(errs, res []error, pos []int) []error {
	for j, i := range pos {
		if j < len(res) {
			errs[i] = res[j]
			if res[j] == nil {
				s.indexed.Inc()
			}
		} else {
			errs[i] = errors.New("index returned no result for this record")
		}
	}
	return errs
}
