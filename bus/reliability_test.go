package bus

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/news"
)

func publishN(t *testing.T, js jetstream.JetStream, n int, prefix string) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		ids[i] = fmt.Sprintf("%s%03d", prefix, i)
		if _, err := Publish(t.Context(), js, news.ArticleSubject("x"), ids[i], news.Article{ID: ids[i]}); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// msgID is the Nats-Msg-Id of m.
func msgID(m jetstream.Msg) string { return m.Headers().Get(jetstream.MsgIDHeader) }

// TestStoreOutageCostsTimeNotMessages: while the "store" is down every
// handler call fails with a retryable error. The stage must stop fetching
// after PauseAfter failed batches, probe until the store answers, and then
// handle every message exactly once, with nothing dead-lettered. With
// Stage.Prefetch, a worker handles the batch it asked for ahead before it
// stops.
func TestStoreOutageCostsTimeNotMessages(t *testing.T) {
	for _, prefetch := range []bool{false, true} {
		t.Run(fmt.Sprintf("prefetch=%v", prefetch), func(t *testing.T) { testStoreOutage(t, prefetch) })
	}
}

func testStoreOutage(t *testing.T, prefetch bool) {
	js, cfg := setup(t)
	cfg.PauseAfter, cfg.ProbeMaxInterval = 3, time.Second
	var down atomic.Bool
	down.Store(true)
	unavailable := errors.New("store unreachable")
	probe := func(context.Context) error {
		if down.Load() {
			return unavailable
		}
		return nil
	}
	const workers = 2
	reg := prometheus.NewRegistry()
	c, err := NewConsumer(t.Context(), js, cfg, Stage{Name: "index", Stream: news.StreamArticles, Durable: "index", Workers: workers, Probe: probe, Prefetch: prefetch}, nil, reg)
	if err != nil {
		t.Fatal(err)
	}
	quick(c)
	ids := publishN(t, js, 40, "a")

	var mu sync.Mutex
	callsWhileDown := 0
	acked := map[string]int{}
	handle := func(_ context.Context, m jetstream.Msg) error {
		mu.Lock()
		defer mu.Unlock()
		if down.Load() {
			callsWhileDown++
			return fmt.Errorf("indexing %s: %w", msgID(m), unavailable)
		}
		acked[msgID(m)]++
		return nil
	}
	probes := c.breaker.probes.WithLabelValues("fail")
	var seenDown int
	runUntil(t, c, handle, func() bool {
		if down.Load() && testutil.ToFloat64(probes) >= 3 {
			// Three failed probes: the stage has been paused a while.
			mu.Lock()
			seenDown = callsWhileDown
			mu.Unlock()
			if testutil.ToFloat64(c.breaker.paused) != 1 {
				t.Error("paused gauge is not 1 while the store is down")
			}
			down.Store(false)
		}
		mu.Lock()
		defer mu.Unlock()
		return len(acked) == len(ids)
	})
	held := 1 // batches a worker holds
	if prefetch {
		held = 2
	}
	if seenDown > cfg.PauseAfter+held*workers {
		t.Errorf("handler called %d times while the store was down, want at most %d (PauseAfter + %d batches per worker): the stage kept fetching",
			seenDown, cfg.PauseAfter+held*workers, held)
	}
	for id, n := range acked {
		if n != 1 {
			t.Errorf("message %s handled successfully %d times, want 1", id, n)
		}
	}
	if got := deadCount(t, js); got != 0 {
		t.Errorf("%d dead letters after an outage, want 0", got)
	}
	if got := testutil.ToFloat64(c.breaker.paused); got != 0 {
		t.Errorf("paused gauge = %v after recovery, want 0", got)
	}
}

// TestAbandonedMessagesComeBack: a worker that fetched messages and died
// without acking them (its connection closed) does not keep them: another
// worker on the same durable receives them once AckWait has passed.
func TestAbandonedMessagesComeBack(t *testing.T) {
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	cfg := testConfig()
	cfg.AckWait = time.Second
	if err := EnsureStreams(t.Context(), js, cfg); err != nil {
		t.Fatal(err)
	}
	st := Stage{Name: "extract", Stream: news.StreamArticles, Durable: "extract", Batch: 5}
	ids := publishN(t, js, 5, "k")

	deadNC, deadJS := bustest.Connect(t, srv)
	dead, err := NewConsumer(t.Context(), deadJS, cfg, st, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := dead.fetch(t.Context()); len(got) != len(ids) {
		t.Fatalf("the doomed worker fetched %d messages, want %d", len(got), len(ids))
	}
	deadNC.Close() // the worker is killed holding its batch

	live, err := NewConsumer(t.Context(), js, cfg, st, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	deliveries := map[string]uint64{}
	runUntil(t, live, func(_ context.Context, m jetstream.Msg) error {
		md, err := m.Metadata()
		if err != nil {
			return err
		}
		mu.Lock()
		deliveries[msgID(m)] = md.NumDelivered
		mu.Unlock()
		return nil
	}, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(deliveries) == len(ids)
	})
	for _, id := range ids {
		if deliveries[id] < 2 {
			t.Errorf("message %s reached the live worker on delivery %d, want a redelivery (>= 2)", id, deliveries[id])
		}
	}
}

// TestSlowHandlerKeepsItsMessage: a handler that runs for three AckWaits
// keeps its message (the consumer signals progress), so no second worker
// receives it meanwhile.
func TestSlowHandlerKeepsItsMessage(t *testing.T) {
	js, cfg := setup(t)
	cfg.AckWait = time.Second
	c, err := NewConsumer(t.Context(), js, cfg, Stage{Name: "extract", Stream: news.StreamArticles, Durable: "extract", Workers: 2}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	publishN(t, js, 1, "s")
	var calls atomic.Int32
	var lastDelivery atomic.Uint64
	runUntil(t, c, func(_ context.Context, m jetstream.Msg) error {
		calls.Add(1)
		if md, err := m.Metadata(); err == nil {
			lastDelivery.Store(md.NumDelivered)
		}
		time.Sleep(3 * cfg.AckWait) // a long handler, longer than AckWait
		return nil
	}, func() bool { return testutil.ToFloat64(c.settled.WithLabelValues("ack")) >= 1 })
	if n := calls.Load(); n != 1 {
		t.Errorf("slow handler called %d times, want 1: the message was redelivered while in progress", n)
	}
	if d := lastDelivery.Load(); d != 1 {
		t.Errorf("message handled on delivery %d, want 1", d)
	}
}

// TestSlowHandlerKeepsItsPrefetchedMessages: with Stage.Prefetch, the
// batch asked for while a handler runs for three AckWaits is kept in
// progress too, so it is not redelivered before the worker gets to it:
// each message is handled once, on its first delivery.
func TestSlowHandlerKeepsItsPrefetchedMessages(t *testing.T) {
	js, cfg := setup(t)
	cfg.AckWait = time.Second
	c, err := NewConsumer(t.Context(), js, cfg, Stage{Name: "index", Stream: news.StreamArticles, Durable: "index", Workers: 1, Prefetch: true}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := publishN(t, js, 3, "p")
	var mu sync.Mutex
	deliveries := map[string][]uint64{}
	runUntil(t, c, func(_ context.Context, m jetstream.Msg) error {
		md, err := m.Metadata()
		if err != nil {
			return err
		}
		mu.Lock()
		deliveries[msgID(m)] = append(deliveries[msgID(m)], md.NumDelivered)
		mu.Unlock()
		time.Sleep(3 * cfg.AckWait) // longer than AckWait: the next message waits prefetched
		return nil
	}, func() bool { return testutil.ToFloat64(c.settled.WithLabelValues("ack")) >= float64(len(ids)) })
	for _, id := range ids {
		if got := deliveries[id]; !slices.Equal(got, []uint64{1}) {
			t.Errorf("message %s handled on deliveries %v, want [1]: it was redelivered while prefetched", id, got)
		}
	}
}

// TestPanicIsDeadLetteredWithStack: a handler panic in a batch costs only
// the message that panics; it is dead-lettered with the stack and counted,
// and the others of its batch are handled.
func TestPanicIsDeadLetteredWithStack(t *testing.T) {
	js, cfg := setup(t)
	cfg.MaxDeliver = 1
	c, err := NewConsumer(t.Context(), js, cfg, Stage{Name: "index", Stream: news.StreamArticles, Durable: "index", Batch: 3, MaxWait: 200 * time.Millisecond}, nil, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	publishN(t, js, 3, "p")
	var mu sync.Mutex
	stored := map[string]bool{}
	batch := func(_ context.Context, msgs []jetstream.Msg) []error {
		for _, m := range msgs {
			if msgID(m) == "p001" {
				var nilMap map[string]int
				nilMap["boom"]++ // a bug: assignment to entry in nil map
			}
		}
		mu.Lock()
		defer mu.Unlock()
		for _, m := range msgs {
			stored[msgID(m)] = true
		}
		return make([]error, len(msgs))
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- c.RunBatch(ctx, batch) }()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if testutil.ToFloat64(c.settled.WithLabelValues("ack")) >= 2 && deadCount(t, js) >= 1 {
			break
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !stored["p000"] || !stored["p002"] || stored["p001"] {
		t.Errorf("stored %v, want p000 and p002 only", stored)
	}
	if got := testutil.ToFloat64(c.panics); got < 1 {
		t.Errorf("panics_total = %v, want >= 1", got)
	}
	dls, err := ListDead(t.Context(), js, "index")
	if err != nil {
		t.Fatal(err)
	}
	if len(dls) != 1 || dls[0].MsgID != "p001" {
		t.Fatalf("dead letters %+v, want one for p001", dls)
	}
	if r := dls[0].Reason; !strings.Contains(r, "handler panicked") || !strings.Contains(r, "assignment to entry in nil map") || !strings.Contains(r, "goroutine") {
		t.Errorf("dead letter reason does not carry the panic and its stack:\n%s", r)
	}
}

// TestDeadListAndReplay: dead letters are listed per stage and replayed to
// their subject once; a second replay of the same letter adds nothing.
func TestDeadListAndReplay(t *testing.T) {
	js, cfg := setup(t)
	cfg.MaxDeliver = 1
	fail := func(context.Context, jetstream.Msg) error { return news.Permanent(errors.New("mapping rejected")) }
	c, err := NewConsumer(t.Context(), js, cfg, Stage{Name: "extract", Stream: news.StreamArticles, Durable: "extract"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	publishN(t, js, 2, "d")
	runUntil(t, c, fail, func() bool { return deadCount(t, js) == 2 })
	// A dead letter of another stage.
	if _, err := js.Publish(t.Context(), news.DeadSubject("index"), []byte("{}")); err != nil {
		t.Fatal(err)
	}

	all, err := ListDead(t.Context(), js, "")
	if err != nil {
		t.Fatal(err)
	}
	ex, err := ListDead(t.Context(), js, "extract")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || len(ex) != 2 {
		t.Fatalf("listed %d dead letters in all and %d of extract, want 3 and 2", len(all), len(ex))
	}
	if d := ex[0]; d.Stage != "extract" || d.Subject != news.ArticleSubject("x") || d.Reason != "mapping rejected" || d.Deliveries != 1 || d.MsgID != "d000" || d.Time.IsZero() {
		t.Errorf("dead letter = %+v", d)
	}

	before := streamMsgs(t, js, news.StreamArticles)
	for range 2 { // the second replay finds the letter gone and must add nothing
		if err := ReplayDead(t.Context(), js, ex[0]); err != nil {
			t.Fatal(err)
		}
	}
	if got := streamMsgs(t, js, news.StreamArticles); got != before+1 {
		t.Errorf("ARTICLES holds %d messages after replaying one letter twice, want %d", got, before+1)
	}
	left, err := ListDead(t.Context(), js, "extract")
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0].MsgID != "d001" {
		t.Errorf("after replay, dead letters of extract = %+v, want only d001", left)
	}

	reg := prometheus.NewRegistry()
	again, err := NewConsumer(t.Context(), js, cfg, Stage{Name: "extract", Stream: news.StreamArticles, Durable: "extract"}, nil, reg)
	if err != nil {
		t.Fatal(err)
	}
	var replayOf atomic.Value
	runUntil(t, again, func(_ context.Context, m jetstream.Msg) error {
		replayOf.Store(m.Headers().Get(HeaderReplayOf))
		return nil
	}, func() bool { return testutil.ToFloat64(again.replayed.WithLabelValues("ack")) == 1 })
	if got := replayOf.Load(); got != fmt.Sprint(ex[0].ID) {
		t.Errorf("replayed message has %s %v, want %d", HeaderReplayOf, got, ex[0].ID)
	}
}

func streamMsgs(t *testing.T, js jetstream.JetStream, name string) uint64 {
	t.Helper()
	s, err := js.Stream(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

// TestConsumerDropsTheOldDeliveryLimit: a durable created with the old
// limits (MaxDeliver 5, AckWait 2m) is updated to unlimited deliveries and
// the configured AckWait and MaxAckPending.
func TestConsumerDropsTheOldDeliveryLimit(t *testing.T) {
	js, cfg := setup(t)
	if _, err := js.CreateOrUpdateConsumer(t.Context(), news.StreamArticles, jetstream.ConsumerConfig{
		Durable: "index", AckPolicy: jetstream.AckExplicitPolicy, AckWait: 2 * time.Minute, MaxDeliver: 5, MaxAckPending: 256,
	}); err != nil {
		t.Fatal(err)
	}
	st := Stage{Name: "index", Stream: news.StreamArticles, Durable: "index", Workers: 2, Batch: 200}
	c, err := NewConsumer(t.Context(), js, cfg, st, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.cons.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Config; got.MaxDeliver != -1 || got.AckWait != cfg.AckWait || got.MaxAckPending != 1600 {
		t.Errorf("consumer MaxDeliver %d, AckWait %s, MaxAckPending %d; want -1, %s, 1600", got.MaxDeliver, got.AckWait, got.MaxAckPending, cfg.AckWait)
	}
}

func TestAckPending(t *testing.T) {
	tests := []struct {
		name           string
		configured     int
		workers, batch int
		want           int
	}{
		{"configured wins", 50, 2, 200, 50},
		{"small stage gets the floor", 0, 2, 1, 256},
		{"index: four times what the workers hold", 0, 2, 200, 1600},
		{"zero workers count as one", 0, 0, 100, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AckPending(Config{MaxAckPending: tt.configured}, Stage{Workers: tt.workers, Batch: tt.batch})
			if got != tt.want {
				t.Errorf("AckPending = %d, want %d", got, tt.want)
			}
		})
	}
}
