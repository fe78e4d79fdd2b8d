package indexstage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/news"
)

// Replay writes every record of the RECORDS stream, oldest first, to store,
// batch records per bulk write; later versions of an article overwrite
// earlier ones. Undecodable records are skipped and counted in a warning.
// It returns the number of records written.
func Replay(ctx context.Context, js jetstream.JetStream, store Store, batch int, logger *slog.Logger) (int, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
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
			r, err := news.DecodeRecord(m.Data())
			if err != nil {
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
