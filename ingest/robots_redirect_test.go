package ingest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// A page reached through a redirect to another host is checked against that
// host's robots.txt, not only the first host's.
func TestRedirectTargetRobots(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
		default:
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body><p>story</p></body></html>")
		}
	}))
	t.Cleanup(target.Close)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+r.URL.Path, http.StatusFound)
	}))
	t.Cleanup(origin.Close)

	tests := []struct {
		name, path string
		ignore     bool
		wantErr    error
	}{
		{"allowed target path", "/public/story", false, nil},
		{"disallowed target path", "/private/story", false, ErrDisallowed},
		{"robots ignored by config", "/private/story", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.IgnoreRobots = tt.ignore
			f, err := newFetcher(cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(f.close)
			robots := newRobotsCache(f, cfg.UserAgent)
			if !cfg.IgnoreRobots {
				f.robotsAllowed = func(ctx context.Context, u string) (bool, error) { return robots.checkWith(ctx, u, false) }
			}
			_, err = f.get(t.Context(), request{url: origin.URL + tt.path, kind: kindPage})
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("get %s: error %v, want %v", tt.path, err, tt.wantErr)
			}
		})
	}
}
