package progress

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/news"
)

// Log logs, every interval and only when something changed, how many
// articles, records and deal updates the streams hold and how many wait for
// each stage, until ctx ends. Streams or consumers it cannot read are left
// out of that line.
func Log(ctx context.Context, js jetstream.JetStream, logger *slog.Logger, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	var last []any
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		attrs := make([]any, 0, 10)
		for _, s := range []struct{ stream, durable, name string }{
			{news.StreamArticles, "extract", "articles"},
			{news.StreamRecords, "index", "records"},
			{news.StreamDeals, "index-deals", "deal_updates"},
		} {
			st, err := js.Stream(ctx, s.stream)
			if err != nil {
				continue
			}
			info, err := st.Info(ctx)
			if err != nil {
				continue
			}
			attrs = append(attrs, s.name, info.State.Msgs)
			if c, err := st.Consumer(ctx, s.durable); err == nil {
				if ci, err := c.Info(ctx); err == nil {
					attrs = append(attrs, s.name+"_waiting", ci.NumPending+uint64(ci.NumAckPending))
				}
			}
		}
		if ctx.Err() != nil {
			return nil // the reads were cut short: no partial line at shutdown
		}
		if fmt.Sprint(attrs) != fmt.Sprint(last) {
			logger.Info("progress", attrs...)
			last = attrs
		}
	}
}
