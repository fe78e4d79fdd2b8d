package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dealwire/dealwire/alerts"
)

// staticFeeds has one feed, "funding", with no entries.
type staticFeeds struct{}

func (staticFeeds) Atom(_ context.Context, rule, self string) ([]byte, error) {
	if rule != "funding" {
		return nil, fmt.Errorf("alert feed %q: %w", rule, alerts.ErrNoFeed)
	}
	return alerts.RenderAtom(rule, self, nil)
}

func TestAlertFeedHandler(t *testing.T) {
	const token = "alert-feed-token-0123456789"
	h := NewAlertFeedHandler(Config{Token: token}, staticFeeds{}, nil)
	tests := []struct {
		name, path, auth string
		want             int
		body             string
	}{
		{"feed with token", "/alerts/funding.atom", "Bearer " + token, http.StatusOK, `<link href="http://example.com/alerts/funding.atom" rel="self">`},
		{"feed without token", "/alerts/funding.atom", "", http.StatusUnauthorized, "needs a token"},
		{"rule without atom sink", "/alerts/other.atom", "Bearer " + token, http.StatusNotFound, "sink of type atom"},
		{"not an atom path", "/alerts/funding", "Bearer " + token, http.StatusNotFound, "/alerts/<rule>.atom"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "http://example.com"+tc.path, nil)
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tc.want || !strings.Contains(w.Body.String(), tc.body) {
				t.Errorf("GET %s: %d %q, want %d with %q", tc.path, w.Code, w.Body.String(), tc.want, tc.body)
			}
			if tc.want == http.StatusOK && !strings.HasPrefix(w.Header().Get("Content-Type"), "application/atom+xml") {
				t.Errorf("content type %q", w.Header().Get("Content-Type"))
			}
		})
	}
}
