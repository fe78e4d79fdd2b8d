package ingest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestWebSubSubscribeAndPush(t *testing.T) {
	s := newSite(t)
	hub := newSite(t)
	feedURL := s.URL + "/feed"
	rss := func(guid, title string) string {
		return fmt.Sprintf(`<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>t</title><link>%[1]s/</link>
<atom:link rel="hub" href="%[2]s/hub"/><atom:link rel="self" href="%[3]s"/>
<item><title>%[5]s</title><link>%[1]s/%[4]s</link><guid>%[4]s</guid><description>%[5]s, the feed says.</description></item></channel></rss>`, s.URL, hub.URL, feedURL, guid, title)
	}
	s.serve("/feed", "application/rss+xml", rss("first", "First story"))

	// The callback server runs the poller's handler; its address is known
	// before it starts so the config can name it.
	cb := httptest.NewUnstartedServer(nil)
	callback := "http://" + cb.Listener.Addr().String() + "/websub"
	js := newBus(t)
	cfg := testConfig(FeedConfig{Name: "pushed", URL: feedURL, FullText: FullTextNever})
	cfg.WebSubCallback = callback
	p := newTestPoller(t, cfg, js)
	cb.Config.Handler = p.WebSubHandler()
	cb.Start()
	t.Cleanup(cb.Close)

	client := &http.Client{}
	t.Cleanup(client.CloseIdleConnections)
	var mu sync.Mutex
	var form url.Values
	var verified bool
	hub.handle("/hub", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		// Verify the intent before accepting, as a synchronous hub would.
		q := url.Values{"hub.mode": {"subscribe"}, "hub.topic": {r.PostForm.Get("hub.topic")}, "hub.challenge": {"c-42"}, "hub.lease_seconds": {"3600"}}
		resp, err := client.Get(r.PostForm.Get("hub.callback") + "?" + q.Encode())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		mu.Lock()
		form, verified = r.PostForm, resp.StatusCode == http.StatusOK && string(body) == "c-42"
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	})

	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	sub, ok := form, verified
	mu.Unlock()
	if !ok || sub.Get("hub.topic") != feedURL || !strings.HasPrefix(sub.Get("hub.callback"), callback+"/") || sub.Get("hub.secret") == "" {
		t.Fatalf("subscription %v verified %v", sub, ok)
	}
	st := feedState(t, js, feedURL)
	if until := time.Until(st.WebSubExpires); until < 59*time.Minute || until > time.Hour {
		t.Errorf("lease ends in %s, want about an hour", until)
	}
	if st.WebSubSecret != "" {
		t.Error("ListFeedStates shows the websub secret")
	}

	push := func(body, secret string) int {
		t.Helper()
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(body))
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, sub.Get("hub.callback"), bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/rss+xml")
		req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := push(rss("forged", "Forged story"), "wrong secret"); code/100 != 2 {
		t.Errorf("forged push answered %d, want 2xx (and ignored)", code)
	}
	if code := push(rss("second", "Second story"), sub.Get("hub.secret")); code != http.StatusNoContent {
		t.Errorf("push answered %d, want 204", code)
	}
	got := titles(storedArticles(t, js))
	if strings.Join(got, "|") != "First story|Second story" {
		t.Errorf("articles %q, want the polled and the pushed story, not the forged one", got)
	}

	// A verification for a topic we never asked for is refused.
	resp, err := client.Get(sub.Get("hub.callback") + "?hub.mode=subscribe&hub.topic=https%3A%2F%2Fevil.example%2F&hub.challenge=x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown topic verification answered %d, want 404", resp.StatusCode)
	}
}
