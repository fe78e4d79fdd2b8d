package ingest

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/news"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// Idle keep-alive connections of httptest clients close on their own.
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
	)
}

// site is an httptest server whose handlers the test sets per path, and
// which counts requests per path.
type site struct {
	*httptest.Server
	mu       sync.Mutex
	handlers map[string]http.HandlerFunc
	hits     map[string]int
}

func newSite(t testing.TB) *site {
	t.Helper()
	s := &site{handlers: map[string]http.HandlerFunc{}, hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		h, ok := s.handlers[r.URL.Path]
		if !ok {
			h, ok = s.handlers["/"] // "/" catches every path without its own handler
		}
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *site) handle(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[path] = h
}

func (s *site) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// serve answers path with body and content type.
func (s *site) serve(path, contentType, body string) {
	s.handle(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write([]byte(body))
	})
}

// testdata reads a testdata file with {{BASE}} replaced by base.
func testdata(t testing.TB, name, base string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), "{{BASE}}", base)
}

func testConfig(feeds ...FeedConfig) Config {
	cfg := DefaultConfig()
	cfg.AllowPrivate = []string{"127.0.0.1"}
	cfg.Feeds = feeds
	cfg.HostDelay = 0
	cfg.HostConcurrency = 4
	cfg.Workers = 4
	cfg.FeedTimeout = 3 * time.Second
	cfg.PageTimeout = 3 * time.Second
	cfg.Jitter = 0
	return cfg
}

// testLogger writes to the test log.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// bus is a NATS server with the ARTICLES stream, made as the lead's code does.
func newBus(t testing.TB) jetstream.JetStream {
	t.Helper()
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	_, err := js.CreateOrUpdateStream(t.Context(), jetstream.StreamConfig{
		Name:       news.StreamArticles,
		Subjects:   []string{news.ArticleSubjects},
		Duplicates: 24 * time.Hour,
	})
	if err != nil {
		t.Fatalf("creating stream: %v", err)
	}
	return js
}

func newTestPoller(t testing.TB, cfg Config, js jetstream.JetStream) *Poller {
	t.Helper()
	p, err := NewPoller(cfg, js, testLogger(t), prometheus.NewRegistry())
	if err != nil {
		t.Fatalf("NewPoller: %v", err)
	}
	t.Cleanup(p.Close)
	return p
}

// storedArticles returns every article in the ARTICLES stream.
func storedArticles(t testing.TB, js jetstream.JetStream) []news.Article {
	t.Helper()
	ctx := t.Context()
	s, err := js.Stream(ctx, news.StreamArticles)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []news.Article
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatalf("getting message %d: %v", seq, err)
		}
		var a news.Article
		if err := json.Unmarshal(m.Data, &a); err != nil {
			t.Fatalf("decoding message %d: %v", seq, err)
		}
		if want := news.ArticleSubject(a.Source); m.Subject != want {
			t.Errorf("message %d on subject %q, want %q", seq, m.Subject, want)
		}
		if got := m.Header.Get(jetstream.MsgIDHeader); got != msgID(a, false) && got != msgID(a, true) || !strings.HasPrefix(got, a.ID) {
			t.Errorf("message %d: Nats-Msg-Id %q, want article id %q with a hash of its content", seq, got, a.ID)
		}
		out = append(out, a)
	}
	return out
}

// feedState reads a feed's state from the bucket.
func feedState(t testing.TB, js jetstream.JetStream, feedURL string) FeedState {
	t.Helper()
	states, err := ListFeedStates(t.Context(), js, DefaultConfig().StateBucket)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range states {
		if s.URL == feedURL {
			return s
		}
	}
	t.Fatalf("no state for %s among %d", feedURL, len(states))
	return FeedState{}
}

// testFetcher builds a fetcher for cfg.
func testFetcher(t testing.TB, cfg Config) *fetcher {
	t.Helper()
	f, err := newFetcher(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.close)
	return f
}
