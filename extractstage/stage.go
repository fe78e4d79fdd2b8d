package extractstage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/deals"
	"github.com/dealwire/dealwire/dedup"
	"github.com/dealwire/dealwire/extract"
	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/news"
	"github.com/dealwire/dealwire/obs"
)

// Config configures the extract stage (the extract section of the
// configuration file).
type Config struct {
	// Workers is the number of articles extracted at once (default 4). A
	// worker spends most of an article waiting for JetStream round trips,
	// so four take more articles per second than two at no more CPU per
	// article (BENCHMARKS.md, "The extract stage's round trips").
	Workers int `yaml:"workers"`
}

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.Workers == 0 {
		c.Workers = 4
	}
	return c
}

// Validate reports a config that cannot work.
func (c Config) Validate() error {
	if c.Workers < 1 {
		return errors.New("extract.workers must be at least 1")
	}
	return nil
}

// Options are the stage's dependencies besides JetStream.
type Options struct {
	// NATS configures the consumer.
	NATS bus.Config
	// Dedup configures the near-duplicate index (its bucket's replicas too).
	Dedup dedup.Config
	// Deals configures deal resolution (its bucket's replicas too).
	Deals deals.Config
	// Rates fills the approximate USD value of every amount; it must be the
	// process's one FX table, so records, deals and index filters agree.
	// Nil leaves USD values empty.
	Rates *fx.Table
	// Logger gets the stage's logs; nil discards them.
	Logger *slog.Logger
	// Registerer gets the consumer's metrics; nil registers nothing.
	Registerer prometheus.Registerer
}

// Stage is the extract stage: article in, record (and the deal records it
// changed) out. Its handler returns only after every output's PubAck, so the
// adapter acks the article only once its outputs are durable.
type Stage struct {
	// pub publishes the outputs asynchronously (see [Stage.Handle]).
	pub      jetstream.JetStream
	rates    *fx.Table
	dedup    *dedup.Index
	resolver *deals.Resolver
	logger   *slog.Logger
	cons     *bus.Consumer
	counts   obs.StageCounters
	took     prometheus.Observer // time of one extraction
}

// New opens the near-duplicate index and the deal resolver, whose state
// lives in JetStream key-value buckets shared by every extract replica, and
// the durable consumer "extract" of the ARTICLES stream.
func New(ctx context.Context, js jetstream.JetStream, cfg Config, opts Options) (*Stage, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	dx, err := dedup.NewIndex(ctx, js, opts.Dedup, logger)
	if err != nil {
		return nil, fmt.Errorf("opening near-duplicate index: %w", err)
	}
	rs, err := deals.NewResolver(ctx, js, opts.Deals, logger)
	if err != nil {
		return nil, fmt.Errorf("opening deal resolver: %w", err)
	}
	// The stage's store is JetStream itself (records, deal and dedup
	// buckets): while it fails, the consumer pauses and probes it.
	cons, err := bus.NewConsumer(ctx, js, opts.NATS, bus.Stage{
		Name: "extract", Stream: news.StreamArticles, Durable: "extract", Workers: cfg.Workers,
		Probe: func(ctx context.Context) error {
			_, err := js.AccountInfo(ctx)
			return err
		},
	}, logger, opts.Registerer)
	if err != nil {
		return nil, err
	}
	// Outputs are published without waiting for each PubAck, then awaited
	// together. A PubAck that never comes (a stream without a leader drops
	// the publish) must end as an error and free its slot among the
	// connection's pending async publishes, so this JetStream context gets
	// a timeout: the handler's own. Publishing names subjects only, so a
	// context of its own on the same connection needs none of js's API
	// options.
	pub, err := jetstream.New(js.Conn(), jetstream.WithPublishAsyncTimeout(opts.NATS.WithDefaults().HandlerTimeout))
	if err != nil {
		return nil, fmt.Errorf("creating the publisher of the extract stage: %w", err)
	}
	sm, err := obs.NewStageMetrics(opts.Registerer)
	if err != nil {
		return nil, fmt.Errorf("registering metrics of the extract stage: %w", err)
	}
	em, err := obs.NewExtractMetrics(opts.Registerer)
	if err != nil {
		return nil, fmt.Errorf("registering metrics of the extract stage: %w", err)
	}
	return &Stage{pub: pub, rates: opts.Rates, dedup: dx, resolver: rs, logger: logger, cons: cons,
		counts: sm.For("extract"), took: em.Duration}, nil
}

// Run consumes articles until ctx ends, then settles what it holds.
func (s *Stage) Run(ctx context.Context) error { return s.cons.Run(ctx, s.Handle) }

// Handle extracts one article message and publishes its outputs. It never
// acks: the consumer settles the message by the error it returns.
func (s *Stage) Handle(ctx context.Context, msg jetstream.Msg) error {
	var a news.Article
	if err := json.Unmarshal(msg.Data(), &a); err != nil {
		return news.Permanent(fmt.Errorf("decoding article: %w", err))
	}
	if a.ID == "" {
		return news.Permanent(errors.New("decoding article: no id"))
	}
	fp := dedup.Fingerprint(a.Text)
	a.Fingerprint = dedup.FormatFingerprint(fp)
	if s.dedup != nil {
		canon, err := s.dedup.Canonical(ctx, a.ID, fp)
		if err != nil {
			return fmt.Errorf("looking up near-duplicates of article %s: %w", a.ID, err)
		}
		if canon != a.ID {
			// A republication under a new URL, guid or title: it updates the
			// earlier record instead of becoming a second one.
			s.logger.Info("article repeats an earlier one", "article_id", a.ID, "canonical_id", canon, "url", a.URL)
			a.ID = canon
		}
	}
	start := time.Now()
	ex, err := extract.ExtractChecked(a.Text)
	s.took.Observe(time.Since(start).Seconds())
	s.counts.Extracted.Inc()
	if err != nil {
		// A panic in the extractor: dead-lettered with the stack, never
		// indexed as an article without deals.
		return fmt.Errorf("extracting article %s: %w", a.ID, err)
	}
	rec := news.Record{
		V:                news.SchemaVersion,
		Article:          a,
		ExtractorVersion: extract.Version,
		ExtractedAt:      time.Now().UTC(),
		Extraction:       ex,
	}
	if s.rates != nil {
		fillUSD(&rec.Extraction, s.rates)
	}
	// The record and the deal records go out without waiting for each
	// PubAck (the resolver reads the deal bucket meanwhile); the handler
	// waits for all of them at the end, so the article is still acked only
	// once every output is stored. If any fails, the redelivered article
	// publishes them all again under the same message ids.
	fut, err := bus.PublishAsync(s.pub, news.RecordSubject(a.Source), rec.MsgID(), rec)
	if err != nil {
		return fmt.Errorf("publishing record of article %s: %w", a.ID, err)
	}
	futs := []jetstream.PubAckFuture{fut}
	if s.resolver != nil {
		changed, err := s.resolver.Resolve(ctx, rec)
		if err != nil {
			return fmt.Errorf("resolving deals of article %s: %w", a.ID, err)
		}
		for _, dr := range changed {
			id, err := dealMsgID(dr)
			if err != nil {
				return err
			}
			f, err := bus.PublishAsync(s.pub, news.DealSubject(dr.Round), id, dr)
			if err != nil {
				return fmt.Errorf("publishing deal %s: %w", dr.ID, err)
			}
			futs = append(futs, f)
		}
	}
	if err := bus.AwaitPubAcks(ctx, futs); err != nil {
		return fmt.Errorf("publishing the outputs of article %s: %w", a.ID, err)
	}
	s.counts.Published.Add(float64(len(futs)))
	return nil
}

// dealMsgID is the message id of a deal record on DEALS: the deal id and a
// hash of the whole record, so every change of the deal is a new message
// and a repeat of the same state is dropped by the duplicate window.
func dealMsgID(dr news.DealRecord) (string, error) {
	body, err := json.Marshal(dr)
	if err != nil {
		return "", fmt.Errorf("encoding deal %s: %w", dr.ID, err)
	}
	sum := sha256.Sum256(body)
	return dr.ID + "/" + hex.EncodeToString(sum[:8]), nil
}
