package ingest

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// WarnIfNoFeedReached watches the feed states of the first round of polls
// (each feed's first poll falls within a minute of start, by its hashed
// offset) and logs one warning if every feed polled in that round failed:
// the usual first run on a machine that cannot reach the shipped feeds.
func WarnIfNoFeedReached(ctx context.Context, js jetstream.JetStream, cfg Config, start time.Time, logger *slog.Logger) {
	enabled := 0
	for _, f := range cfg.Feeds {
		if !f.Disabled {
			enabled++
		}
	}
	deadline := start.Add(time.Minute + cfg.FeedTimeout + 15*time.Second)
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		states, err := ListFeedStates(ctx, js, cfg.StateBucket)
		if err != nil {
			continue // the next tick tries again; a broken bus shows elsewhere
		}
		polled, reached, lastErr := 0, 0, ""
		for _, st := range states {
			if st.LastPoll.Before(start) {
				continue
			}
			polled++
			if !st.LastSuccess.Before(start) {
				reached++
			} else if lastErr == "" {
				lastErr = st.LastError
			}
		}
		if reached > 0 {
			return
		}
		if polled > 0 && (polled >= enabled || time.Now().After(deadline)) {
			logger.Warn("no feed could be reached on the first round of polls; "+
				"to try dealwire without network, run it with --sample (bundled fictional articles)",
				"feeds", polled, "error", oneLine(lastErr, 200))
			return
		}
		if time.Now().After(deadline.Add(time.Minute)) {
			return // no poll in the first round: feeds resumed a schedule stored earlier
		}
	}
}

// oneLine puts s on one line and cuts it to n bytes, marking the cut.
func oneLine(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
