package bus

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/goleak"

	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/news"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func testConfig() Config {
	c := Config{MaxDeliver: 2, AckWait: 5 * time.Second, Embedded: EmbeddedConfig{StoreDir: "unused"}}.WithDefaults()
	return c
}

// quick makes c redeliver failed messages after 10ms instead of [backoff].
func quick(c *Consumer) *Consumer {
	c.delay = func(uint64) time.Duration { return 10 * time.Millisecond }
	return c
}

func setup(t *testing.T) (jetstream.JetStream, Config) {
	t.Helper()
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	cfg := testConfig()
	if err := EnsureStreams(t.Context(), js, cfg); err != nil {
		t.Fatal(err)
	}
	return js, cfg
}

func TestPublishDropsDuplicateIDs(t *testing.T) {
	js, _ := setup(t)
	ctx := t.Context()
	a := news.Article{V: news.SchemaVersion, ID: "abc", Source: "s"}
	for i := range 3 {
		ack, err := Publish(ctx, js, news.ArticleSubject(a.Source), a.ID, a)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ack.Duplicate, i > 0; got != want {
			t.Errorf("publish %d: Duplicate = %v, want %v", i, got, want)
		}
	}
	s, err := js.Stream(ctx, news.StreamArticles)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 1 {
		t.Errorf("stream holds %d messages, want 1", info.State.Msgs)
	}
}

// runUntil runs the consumer until cond holds or 20s pass.
func runUntil(t *testing.T, c *Consumer, handle func(context.Context, jetstream.Msg) error, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := c.Run(ctx, handle); err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond) // polling a condition, not synchronising
	}
	cancel()
	wg.Wait()
	if !cond() {
		t.Fatal("condition not reached within 20s")
	}
}

func deadCount(t *testing.T, js jetstream.JetStream) uint64 {
	t.Helper()
	s, err := js.Stream(t.Context(), news.StreamDead)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

func TestSettleOutcomes(t *testing.T) {
	tests := []struct {
		name       string
		fail       func(attempt int) error
		wantResult string
		wantCalls  int
		wantDead   uint64
	}{
		{"success acks", func(int) error { return nil }, "ack", 1, 0},
		{"transient then success retries", func(a int) error {
			if a == 1 {
				return errors.New("es unavailable")
			}
			return nil
		}, "ack", 2, 0},
		{"permanent dead-letters at max deliver", func(int) error { return news.Permanent(errors.New("bad payload")) }, "dead", 2, 1},
		{"transient past max deliver is retried, never dead-lettered", func(a int) error {
			if a <= 6 {
				return errors.New("store unreachable")
			}
			return nil
		}, "ack", 7, 0},
		{"transient, then permanent dead-letters at once", func(a int) error {
			if a <= 3 {
				return errors.New("store unreachable")
			}
			return news.Permanent(errors.New("mapping rejected"))
		}, "dead", 4, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			js, cfg := setup(t)
			cfg.PauseAfter = 100 // the breaker has its own test
			reg := prometheus.NewRegistry()
			c, err := NewConsumer(t.Context(), js, cfg, Stage{Name: "test", Stream: news.StreamArticles, Durable: "test"}, nil, reg)
			if err != nil {
				t.Fatal(err)
			}
			quick(c)
			if _, err := Publish(t.Context(), js, news.ArticleSubject("x"), "m1", news.Article{ID: "m1"}); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			calls := 0
			handle := func(ctx context.Context, m jetstream.Msg) error {
				mu.Lock()
				calls++
				n := calls
				mu.Unlock()
				return tt.fail(n)
			}
			runUntil(t, c, handle, func() bool { return testutil.ToFloat64(c.settled.WithLabelValues(tt.wantResult)) >= 1 })
			mu.Lock()
			defer mu.Unlock()
			if calls != tt.wantCalls {
				t.Errorf("handler called %d times, want %d", calls, tt.wantCalls)
			}
			if got := deadCount(t, js); got != tt.wantDead {
				t.Errorf("dead letters = %d, want %d", got, tt.wantDead)
			}
		})
	}
}

func TestDeadLetterCarriesReason(t *testing.T) {
	js, cfg := setup(t)
	cfg.MaxDeliver = 1
	c, err := NewConsumer(t.Context(), js, cfg, Stage{Name: "extract", Stream: news.StreamArticles, Durable: "extract"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Publish(t.Context(), js, news.ArticleSubject("x"), "m1", news.Article{ID: "m1"}); err != nil {
		t.Fatal(err)
	}
	runUntil(t, c, func(context.Context, jetstream.Msg) error {
		return news.Permanent(errors.New("decoding article: unexpected EOF"))
	}, func() bool { return deadCount(t, js) == 1 })
	s, err := js.Stream(t.Context(), news.StreamDead)
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.GetLastMsgForSubject(t.Context(), news.DeadSubject("extract"))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Header.Get(HeaderError); got != "decoding article: unexpected EOF" {
		t.Errorf("%s = %q", HeaderError, got)
	}
	if got := m.Header.Get(HeaderSubject); got != news.ArticleSubject("x") {
		t.Errorf("%s = %q", HeaderSubject, got)
	}
	if got := m.Header.Get(HeaderMsgID); got != "m1" {
		t.Errorf("%s = %q, want the message's Nats-Msg-Id m1", HeaderMsgID, got)
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		attempt uint64
		want    time.Duration
	}{{0, time.Second}, {1, time.Second}, {2, 2 * time.Second}, {4, 8 * time.Second}, {7, time.Minute}, {100, time.Minute}}
	for _, tt := range tests {
		if got := backoff(tt.attempt); got != tt.want {
			t.Errorf("backoff(%d) = %s, want %s", tt.attempt, got, tt.want)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	bad := Config{Replicas: 9, MaxDeliver: 0, AckWait: time.Millisecond, MaxAckPending: -1}
	if err := bad.Validate(); err == nil {
		t.Fatal("Validate accepted a bad config")
	}
	if err := testConfig().Validate(); err != nil {
		t.Fatalf("Validate rejected the defaults: %v", err)
	}
}

func TestStartEmbeddedPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg := Config{Embedded: EmbeddedConfig{StoreDir: t.TempDir(), Port: ln.Addr().(*net.TCPAddr).Port}}.WithDefaults()
	srv, err := StartEmbedded(cfg, nil)
	if err == nil {
		srv.Shutdown()
		t.Fatal("StartEmbedded on a port in use succeeded")
	}
	if !strings.Contains(err.Error(), "address already in use") || !strings.Contains(err.Error(), "nats.embedded.port") {
		t.Errorf("error %q does not say the port is in use and what to set", err)
	}
}

func TestStartEmbeddedStoresOnDisk(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{Embedded: EmbeddedConfig{StoreDir: dir, Port: -1}}.WithDefaults()
	srv, err := StartEmbedded(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Shutdown(); srv.WaitForShutdown() }()
	nc, js, err := Connect(t.Context(), srv.ClientURL(), cfg, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := EnsureStreams(t.Context(), js, cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "jetstream")); err != nil {
		t.Errorf("no JetStream files under the store dir: %v", err)
	}
}

func TestBucketCompareAndSet(t *testing.T) {
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	kv, err := OpenBucket(t.Context(), js, "CAS_TEST", "test", 1)
	if err != nil {
		t.Fatal(err)
	}
	rev, err := kv.Create(t.Context(), "k", []byte("1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kv.Create(t.Context(), "k", []byte("2")); !IsConflict(err) {
		t.Errorf("second Create: IsConflict(%v) = false", err)
	}
	if _, err := kv.Update(t.Context(), "k", []byte("2"), rev+5); !IsConflict(err) {
		t.Errorf("Update at a stale revision: IsConflict(%v) = false", err)
	}
	if _, err := kv.Update(t.Context(), "k", []byte("2"), rev); err != nil || IsConflict(err) {
		t.Errorf("Update at the read revision: %v", err)
	}
	if IsConflict(nil) || IsConflict(errors.New("timeout")) {
		t.Error("IsConflict is true for nil or an unrelated error")
	}
	if err := PauseBeforeRetry(t.Context(), 3); err != nil {
		t.Errorf("PauseBeforeRetry: %v", err)
	}
}

func TestDrainWaitsForClose(t *testing.T) {
	srv := bustest.NewServer(t)
	nc, _ := bustest.Connect(t, srv)
	if err := Drain(nc, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if !nc.IsClosed() {
		t.Error("connection not closed after Drain returned")
	}
	if err := Drain(nc, time.Second); err != nil {
		t.Errorf("Drain of a closed connection: %v", err)
	}
}
