package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/dealwire/dealwire/alerts"
)

// AlertFeeds renders the Atom feed of an alert rule; [alerts.Feeds] is one.
type AlertFeeds interface {
	// Atom returns the feed of rule as an Atom document, with self as its
	// own URL; an error wrapping [alerts.ErrNoFeed] when the rule has none.
	Atom(ctx context.Context, rule, self string) ([]byte, error)
}

// NewAlertFeedHandler serves GET /alerts/{rule}.atom from feeds: the Atom
// feed of each rule with an atom sink, for any feed reader. With cfg.Token
// set it needs the bearer token like the rest of the API.
func NewAlertFeedHandler(cfg Config, feeds AlertFeeds, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg = cfg.WithDefaults()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rule, ok := strings.CutSuffix(r.PathValue("file"), ".atom")
		if !ok || rule == "" {
			writeJSON(w, http.StatusNotFound, apiError{Error: "alert feeds are at /alerts/<rule>.atom"})
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), cfg.QueryTimeout)
		defer cancel()
		self := "http://" + r.Host + r.URL.Path
		if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
			self = "https://" + r.Host + r.URL.Path
		}
		body, err := feeds.Atom(ctx, rule, self)
		switch {
		case errors.Is(err, alerts.ErrNoFeed):
			writeJSON(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no alert feed %q: give the rule a sink of type atom in the alerts section of the configuration", rule)})
			return
		case err != nil:
			logger.Error("reading an alert feed", "rule", rule, "error", err)
			writeJSON(w, http.StatusBadGateway, apiError{Error: "reading alert feed " + rule + ": " + err.Error()})
			return
		}
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		w.Header().Set("Cache-Control", "max-age="+fmt.Sprint(int(time.Minute.Seconds())))
		_, _ = w.Write(body)
	})
	mux := http.NewServeMux()
	mux.Handle("GET /alerts/{file}", h)
	return newGate(cfg.Token, logger).guard(mux)
}
