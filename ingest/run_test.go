package ingest

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		case <-tick.C:
		}
	}
}

func TestRunPollsOnScheduleUntilCancelled(t *testing.T) {
	s := newSite(t)
	feed := testdata(t, "feeds/atom.xml", s.URL)
	s.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"1"`)
		w.Header().Set("Content-Type", "application/atom+xml")
		_, _ = w.Write([]byte(feed))
	})
	s.handle("/failing", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	js := newBus(t)
	cfg := testConfig(
		FeedConfig{URL: s.URL + "/feed", Interval: 100 * time.Millisecond, FullText: FullTextNever},
		FeedConfig{URL: s.URL + "/failing", Interval: 100 * time.Millisecond},
	)
	p := newTestPoller(t, cfg, js)
	runCtx, stop := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- p.Run(runCtx) }()
	waitFor(t, "three polls of the feed", func() bool { return s.count("/feed") >= 3 })
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run returned %v after cancel, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if n := len(storedArticles(t, js)); n != 2 {
		t.Errorf("%d articles after repeated polls, want 2", n)
	}
	st := feedState(t, js, s.URL+"/failing")
	if st.ErrorCount < 1 || st.LastStatus != StatusFailed {
		t.Errorf("failing feed: status %q errors %d", st.LastStatus, st.ErrorCount)
	}
	// The failing feed backs off: its next poll is at least the base interval away.
	if gap := st.NextPoll.Sub(st.LastPoll); gap < 100*time.Millisecond {
		t.Errorf("failing feed polled again after %s", gap)
	}
	if hits := s.count("/failing"); hits > s.count("/feed") {
		t.Errorf("failing feed polled %d times, more than the healthy one (%d)", hits, s.count("/feed"))
	}
}

func TestNextPoll(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Jitter = 0
	p := &Poller{cfg: cfg}
	fc := FeedConfig{URL: "https://a.example/feed", Interval: 20 * time.Minute}
	boom := errors.New("boom")
	tests := []struct {
		name    string
		st      FeedState
		changed bool
		err     error
		want    time.Duration
	}{
		{"first poll, changed", FeedState{}, true, nil, 15 * time.Minute},
		{"unchanged grows", FeedState{Interval: 20 * time.Minute}, false, nil, 25 * time.Minute},
		{"changed shrinks to the floor", FeedState{Interval: 6 * time.Minute}, true, nil, 5 * time.Minute},
		{"unchanged stops at the ceiling", FeedState{Interval: 4 * time.Hour}, false, nil, 4 * time.Hour},
		{"max-age is a floor", FeedState{Interval: 20 * time.Minute, MaxAge: time.Hour}, true, nil, time.Hour},
		{"first failure waits the base interval", FeedState{ErrorCount: 1}, false, boom, 20 * time.Minute},
		{"third failure waits four times", FeedState{ErrorCount: 3}, false, boom, 80 * time.Minute},
		{"backoff is capped", FeedState{ErrorCount: 30}, false, boom, 12 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := tt.st
			before := time.Now()
			next := p.nextPoll(fc, &st, tt.changed, tt.err)
			if got := next.Sub(before); got < tt.want || got > tt.want+time.Second {
				t.Errorf("next poll in %s, want %s", got, tt.want)
			}
		})
	}
	// A Retry-After hold wins over everything.
	st := FeedState{NotBefore: time.Now().Add(48 * time.Hour)}
	if next := p.nextPoll(fc, &st, true, nil); !next.Equal(st.NotBefore) {
		t.Errorf("next poll %v, want the hold %v", next, st.NotBefore)
	}
	// Polls are spread over the interval by a stable hash.
	a, b := spread("https://a.example/feed", time.Minute), spread("https://b.example/feed", time.Minute)
	if a == b || a != spread("https://a.example/feed", time.Minute) || a >= time.Minute || b >= time.Minute {
		t.Errorf("spread not stable or not spread: %s %s", a, b)
	}
}
