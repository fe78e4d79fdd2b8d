package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/deals"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// reindexer is an index that can rebuild itself from its previous version
// (Elasticsearch: copy the old concrete index into the new one, then move
// the alias).
type reindexer interface {
	Reindex(ctx context.Context) (int, error)
}

// runReindex is "dealwire index reindex": rebuild the index from the
// RECORDS stream (any backend) or from the old index (Elasticsearch).
func runReindex(ctx context.Context, e *env, args []string) error {
	const summary = "rebuild the index: replay every record of the RECORDS stream and every resolved deal into it (--from stream), " +
		"or copy Elasticsearch's previous concrete index into the one of the current mapping and switch the alias (--from index)"
	fs := newFlagSet(e, "index reindex", summary)
	cfgPath := fs.String("config", "", "configuration file (YAML); default $DEALWIRE_CONFIG")
	from := fs.String("from", "stream", "where to rebuild from: stream or index")
	batch := fs.Int("batch", 500, "records per bulk write")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from != "stream" && *from != "index" {
		fmt.Fprintf(e.stderr, "dealwire index reindex: --from %q: want stream or index\n", *from)
		return errUsage
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	d := newDeps(cfg, "reindex")
	logger := d.logger
	store, err := openStore(ctx, cfg, logger, d.reg)
	if err != nil {
		return err
	}
	defer closeStore(store, logger)
	if *from == "index" {
		ri, ok := store.(reindexer)
		if !ok {
			return errors.New("reindexing from the index: only Elasticsearch keeps an old index to copy; use --from stream")
		}
		n, err := ri.Reindex(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "reindexed %d records\n", n)
		return nil
	}
	// Replaying needs the stream, which "dealwire run" keeps in its embedded
	// server: start it when no external NATS is configured.
	if err := connectBus(ctx, d, "reindex", true); err != nil {
		return err
	}
	defer d.closeBus()
	n, err := replayRecords(ctx, d.js, store, *batch, logger)
	if err != nil {
		return err
	}
	nd := 0
	if ds, ok := store.(dealStore); ok {
		if nd, err = replayDeals(ctx, d, ds); err != nil {
			return err
		}
	}
	if err := store.Refresh(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "reindexed %d records and %d deals from the stream\n", n, nd)
	return nil
}

// replayRecords writes every record of the RECORDS stream, oldest first, to
// store; later versions of an article overwrite earlier ones.
func replayRecords(ctx context.Context, js jetstream.JetStream, store index.Store, batch int, logger *slog.Logger) (int, error) {
	stream, err := js.Stream(ctx, news.StreamRecords)
	if err != nil {
		return 0, fmt.Errorf("opening stream %s: %w", news.StreamRecords, err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("reading stream %s: %w", news.StreamRecords, err)
	}
	last := info.State.LastSeq
	if info.State.Msgs == 0 {
		return 0, nil
	}
	cons, err := stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy})
	if err != nil {
		return 0, fmt.Errorf("replaying stream %s: %w", news.StreamRecords, err)
	}
	n, bad := 0, 0
	progress := time.Now()
	for {
		mb, err := cons.Fetch(batch, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			return n, fmt.Errorf("replaying stream %s: %w", news.StreamRecords, err)
		}
		var recs []news.Record
		var seq uint64
		for m := range mb.Messages() {
			if md, err := m.Metadata(); err == nil {
				seq = md.Sequence.Stream
			}
			var r news.Record
			if err := json.Unmarshal(m.Data(), &r); err != nil || r.Article.ID == "" {
				bad++
				continue
			}
			recs = append(recs, r)
		}
		if err := mb.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) && ctx.Err() == nil {
			logger.Debug("fetch ended early", "error", err)
		}
		for i, err := range store.Index(ctx, recs) {
			if err != nil {
				return n, fmt.Errorf("reindexing article %s: %w", recs[i].Article.ID, err)
			}
		}
		n += len(recs)
		if time.Since(progress) > 5*time.Second {
			logger.Info("reindexing", "records", n, "stream_seq", seq, "last_seq", last)
			progress = time.Now()
		}
		if seq >= last || ctx.Err() != nil {
			break
		}
	}
	if bad > 0 {
		logger.Warn("skipped undecodable records", "count", bad)
	}
	return n, ctx.Err()
}

// replayDeals writes every deal the resolver holds to the deal index.
func replayDeals(ctx context.Context, d *deps, ds dealStore) (int, error) {
	resolver, err := deals.NewResolver(ctx, d.js, deals.Config{Replicas: d.cfg.NATS.Replicas}, d.logger)
	if err != nil {
		return 0, fmt.Errorf("opening deal resolver: %w", err)
	}
	all, err := resolver.Deals(ctx)
	if err != nil {
		return 0, err
	}
	for i, err := range ds.IndexDeals(ctx, all) {
		if err != nil {
			return i, fmt.Errorf("reindexing deal %s: %w", all[i].ID, err)
		}
	}
	return len(all), nil
}
