package alerts

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealwire/dealwire/news"
)

// TestWebhookSend: the Slack body, retries of a 429 and a 5xx within one
// delivery, and which answers are permanent.
func TestWebhookSend(t *testing.T) {
	a := newAlert("r", "d1", 1, KindNew, nil, deal("d1", "Acme <Labs>", 10_000_000, "a1"), time.Now())
	tests := []struct {
		name      string
		format    string
		answers   []int
		wantErr   string // "" for success
		permanent bool
		calls     int
	}{
		{"slack body", "slack", []int{200}, "", false, 1},
		{"429 then ok", "json", []int{429, 204}, "", false, 2},
		{"503 every time", "json", []int{503, 503}, "503", false, 2},
		{"401 is permanent", "json", []int{401}, "401", true, 1},
		{"404 is permanent", "json", []int{404}, "404", true, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var bodies []string
			var sigs []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				defer mu.Unlock()
				bodies = append(bodies, string(b))
				sigs = append(sigs, r.Header.Get(HeaderSignature))
				if len(bodies) <= len(tc.answers) {
					if tc.answers[len(bodies)-1] == 429 {
						w.Header().Set("Retry-After", "1")
					}
					w.WriteHeader(tc.answers[len(bodies)-1])
				}
			}))
			defer srv.Close()
			w := newWebhook(SinkConfig{URL: srv.URL + "/secret-path", Format: tc.format, Secret: "k", Tries: 2, Timeout: 5 * time.Second}, srv.Client())
			err := w.Send(context.Background(), a)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("Send: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("Send = %v, want an error with %s", err, tc.wantErr)
			case err != nil && news.IsPermanent(err) != tc.permanent:
				t.Errorf("permanent = %v, want %v (%v)", news.IsPermanent(err), tc.permanent, err)
			case err != nil && strings.Contains(err.Error(), "secret-path"):
				t.Errorf("the error shows the URL's path: %v", err)
			}
			if len(bodies) != tc.calls {
				t.Errorf("%d requests, want %d", len(bodies), tc.calls)
			}
			for i, b := range bodies {
				if sigs[i] != Sign("k", []byte(b)) {
					t.Errorf("request %d: signature %q does not sign its body", i, sigs[i])
				}
			}
			if tc.format == "slack" {
				var sb struct{ Text string }
				if err := json.Unmarshal([]byte(bodies[0]), &sb); err != nil || !strings.HasPrefix(sb.Text, "*New deal:* Acme &lt;Labs&gt; raised 10M USD") ||
					!strings.Contains(sb.Text, "<https://news.example/a1|outlet-a1: Acme &lt;Labs&gt; raises money>") {
					t.Errorf("slack body %s (%v)", bodies[0], err)
				}
			}
		})
	}
}
