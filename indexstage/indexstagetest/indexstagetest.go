// Package indexstagetest times the index stage beside a ceiling, for the
// benchmarks of the index backends: records are published to a real
// in-process JetStream server, the stage ([indexstage.Stage]) consumes them
// into a store until it has acked every one, and a backend's minimal loader
// writes the same documents straight into the engine. The two are measured
// in turns, in the same run, so that a machine shared with other work
// slows both alike and their ratio stays meaningful.
package indexstagetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/indexstage"
	"github.com/dealwire/dealwire/news"
)

// Environment variables that size a run.
const (
	// EnvRecords is the number of records per round (default [DefaultRecords]).
	EnvRecords = "DEALWIRE_BENCH_INDEX_RECORDS"
	// EnvRounds is the number of rounds, each timing the stage and the
	// ceiling once (default [DefaultRounds]).
	EnvRounds = "DEALWIRE_BENCH_INDEX_ROUNDS"
	// EnvOnly, set to "stage" or "ceiling", runs only that side: for
	// profiling one of them with -cpuprofile.
	EnvOnly = "DEALWIRE_BENCH_INDEX_ONLY"
)

// Defaults of a run.
const (
	DefaultRecords = 30_000
	DefaultRounds  = 3
)

// Size returns the records per round and the number of rounds of a run,
// from the environment or the defaults.
func Size(tb testing.TB) (records, rounds int) {
	tb.Helper()
	return envInt(tb, EnvRecords, DefaultRecords), envInt(tb, EnvRounds, DefaultRounds)
}

func envInt(tb testing.TB, name string, def int) int {
	tb.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		tb.Fatalf("%s=%q: want a positive whole number", name, v)
	}
	return n
}

// Stream starts an in-process JetStream server with the pipeline's streams
// and publishes recs to RECORDS, as the extract stage would.
func Stream(tb testing.TB, recs []news.Record) jetstream.JetStream {
	tb.Helper()
	srv := bustest.NewServer(tb)
	_, js := bustest.Connect(tb, srv)
	ctx := tb.Context()
	if err := bus.EnsureStreams(ctx, js, bus.Config{}.WithDefaults()); err != nil {
		tb.Fatal(err)
	}
	if err := Publish(ctx, js, recs); err != nil {
		tb.Fatal(err)
	}
	return js
}

// Publish publishes recs to RECORDS with their message ids, a window of
// them in flight at a time, and returns once JetStream has stored them all.
func Publish(ctx context.Context, js jetstream.JetStream, recs []news.Record) error {
	const window = 256
	for i := 0; i < len(recs); i += window {
		var futs []jetstream.PubAckFuture
		for _, r := range recs[i:min(i+window, len(recs))] {
			data, err := json.Marshal(r)
			if err != nil {
				return fmt.Errorf("encoding record %s: %w", r.Article.ID, err)
			}
			f, err := js.PublishMsgAsync(&nats.Msg{Subject: news.RecordSubject(r.Article.Source), Data: data},
				jetstream.WithMsgID(r.MsgID()))
			if err != nil {
				return fmt.Errorf("publishing record %s: %w", r.Article.ID, err)
			}
			futs = append(futs, f)
		}
		for _, f := range futs {
			select {
			case <-f.Ok():
			case err := <-f.Err():
				return fmt.Errorf("publishing record: %w", err)
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	return nil
}

// Run runs the index stage with cfg over every message of RECORDS into
// store, with clock running from the stage's start until it has acked the
// last one. It fails the benchmark when a message was dead-lettered, and
// deletes the stage's consumer afterwards so that the next Run starts from
// the first record again.
func Run(tb testing.TB, js jetstream.JetStream, store indexstage.Store, cfg indexstage.Config, clock *Clock) {
	tb.Helper()
	ctx := tb.Context()
	deadBefore := streamMsgs(tb, js, news.StreamDead)
	want := streamMsgs(tb, js, news.StreamRecords)
	cs := &countingStore{Store: store, want: want, reached: make(chan struct{})}
	var staged indexstage.Store = cs
	if ri, ok := store.(rawIndexer); ok {
		staged = countingRawStore{countingStore: cs, raw: ri}
	}
	st, err := indexstage.New(ctx, js, staged, cfg, indexstage.Options{NATS: bus.Config{}.WithDefaults()})
	if err != nil {
		tb.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	clock.Start()
	go func() { done <- st.Run(runCtx) }()
	werr := waitAcked(ctx, js, cs)
	clock.Stop()
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		tb.Fatalf("index stage: %v", err)
	}
	if werr != nil {
		tb.Fatal(werr)
	}
	if dead := streamMsgs(tb, js, news.StreamDead) - deadBefore; dead > 0 {
		tb.Fatalf("the index stage dead-lettered %d records", dead)
	}
	if err := js.DeleteConsumer(ctx, news.StreamRecords, "index"); err != nil {
		tb.Fatalf("deleting the index consumer: %v", err)
	}
}

// countingStore counts the records its store accepted, so that the wait
// for the stage's last ack asks the server only at the end: reached is
// closed once the store has accepted want records.
type countingStore struct {
	indexstage.Store
	stored  atomic.Uint64
	want    uint64
	reached chan struct{}
	once    sync.Once
}

func (c *countingStore) Index(ctx context.Context, recs []news.Record) []error {
	return c.count(c.Store.Index(ctx, recs))
}

// IndexJSON passes the records' JSON on when the store takes it, as the
// stage does.
func (c *countingStore) IndexJSON(ctx context.Context, recs []news.Record, raw [][]byte) []error {
	if ji, ok := c.Store.(interface {
		IndexJSON(ctx context.Context, recs []news.Record, raw [][]byte) []error
	}); ok {
		return c.count(ji.IndexJSON(ctx, recs, raw))
	}
	return c.Index(ctx, recs)
}

// countingRawStore is a countingStore whose store takes records as their
// JSON (the Elasticsearch store's IndexRaw): the stage hands them over
// undecoded, so the benchmark must not hide that the store can.
type countingRawStore struct {
	*countingStore
	raw rawIndexer
}

// rawIndexer is a store that takes records as their JSON, as the index
// stage finds it.
type rawIndexer interface {
	IndexRaw(ctx context.Context, raw [][]byte) []error
}

func (c countingRawStore) IndexRaw(ctx context.Context, raw [][]byte) []error {
	return c.count(c.raw.IndexRaw(ctx, raw))
}

func (c *countingStore) count(errs []error) []error {
	var n uint64
	for _, err := range errs {
		if err == nil {
			n++
		}
	}
	if c.stored.Add(n) >= c.want {
		c.once.Do(func() { close(c.reached) })
	}
	return errs
}

// waitAcked returns once the stage's consumer has acked the whole stream
// of cs.want messages. It asks the server (which costs it work the stage
// would otherwise get) every 2ms once the store has taken them all, and
// before that only every 250ms, in case some were dead-lettered. Until
// then it sleeps: it used to wake every 2ms while the stage ran, which
// cost this process's CPU, counted as the stage's (0.2 s of 90,000
// records at load 8, and the scheduler's wake-ups besides).
func waitAcked(ctx context.Context, js jetstream.JetStream, cs *countingStore) error {
	poll := time.NewTimer(250 * time.Millisecond)
	defer poll.Stop()
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for the index stage: %w", ctx.Err())
		case <-cs.reached:
			if !bus.WaitOrDone(ctx, 2*time.Millisecond) {
				return fmt.Errorf("waiting for the index stage: %w", ctx.Err())
			}
		case <-poll.C:
			poll.Reset(250 * time.Millisecond)
		}
		busy, err := bustest.Busy(ctx, js, news.StreamRecords, "index")
		if err != nil {
			return err
		}
		if busy == "" {
			return nil
		}
	}
}

func streamMsgs(tb testing.TB, js jetstream.JetStream, name string) uint64 {
	tb.Helper()
	s, err := js.Stream(tb.Context(), name)
	if err != nil {
		tb.Fatal(err)
	}
	info, err := s.Info(tb.Context())
	if err != nil {
		tb.Fatal(err)
	}
	return info.State.Msgs
}

// Clock times one side of a round: wall time, the CPU time this process
// spent meanwhile (all of it for SQLite, whose engine runs in process; the
// client's share for Elasticsearch), and the engine's CPU time when the
// benchmark can read it.
type Clock struct {
	engine         func() (time.Duration, error) // nil: no separate engine
	wall, cpu, eng time.Duration
	t0             time.Time
	c0, e0         time.Duration
	engineErr      error
	// settled is how long Start waited for the engine to settle, and
	// settledCPU the engine's CPU time meanwhile.
	settled, settledCPU time.Duration
}

// Settling: before a clock with a separate engine starts, the engine is
// given time to finish what the side before left it (an index being
// deleted, the segments of its last writes, the engine's collector), work
// that otherwise ran on the next side's clock, stage or ceiling: Start
// waits until the engine has used less than settleShare of a core over a
// settleStep, or settleMax has passed.
const (
	settleStep  = 250 * time.Millisecond
	settleShare = 0.05
	settleMax   = 10 * time.Second
)

// Start waits for the engine to settle, then starts the clock.
func (c *Clock) Start() {
	if c.engine != nil {
		c.settle()
	}
	c.t0, c.c0 = time.Now(), processCPU()
	if c.engine != nil {
		c.e0, c.engineErr = c.engine()
	}
}

// settle waits until the engine is nearly idle ([settleShare]).
func (c *Clock) settle() {
	t0 := time.Now()
	first, err := c.engine()
	if err != nil {
		return // Start reports the engine's errors
	}
	prev := first
	for time.Since(t0) < settleMax {
		time.Sleep(settleStep) // sampling the engine's CPU time, not synchronising
		cur, err := c.engine()
		if err != nil {
			return
		}
		busy := cur - prev
		prev = cur
		if busy < time.Duration(settleShare*float64(settleStep)) {
			break
		}
	}
	c.settled += time.Since(t0)
	c.settledCPU += prev - first
}

// Stop stops it; the time since Start is added to what it has measured.
func (c *Clock) Stop() {
	c.wall += time.Since(c.t0)
	c.cpu += processCPU() - c.c0
	if c.engine != nil && c.engineErr == nil {
		var e time.Duration
		e, c.engineErr = c.engine()
		c.eng += e - c.e0
	}
}

// processCPU is the user and system time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Side is one of the two things a round times: it writes the round's
// records into a fresh target, with clock running while it writes.
// Setting up and removing the target are not part of the time.
type Side func(b *testing.B, round int, clock *Clock)

// Compare runs rounds rounds of n records each, each round timing stage and
// ceiling once, in alternating order (stage first in even rounds), after
// an untimed pass of the ceiling that warms the engine up. It
// reports the median over the rounds of: records/s of both; the ratio of
// their rates, "stage/ceiling", the figure to read (the machine's load
// slows both sides of a round alike); and per record the CPU time of this
// process and, when engineCPU is not nil (it returns the engine's CPU time
// so far, e.g. an Elasticsearch node's), of the engine; with an engine,
// each side's clock starts once the engine has settled ([Clock.Start]). It
// logs every round and the load average.
func Compare(b *testing.B, n, rounds int, stage, ceiling Side, engineCPU func() (time.Duration, error)) {
	b.Helper()
	only := os.Getenv(EnvOnly)
	if only != "" && only != "stage" && only != "ceiling" {
		b.Fatalf("%s=%q: want stage, ceiling or nothing", EnvOnly, only)
	}
	if only != "stage" {
		// One untimed pass of the ceiling first (round -1): the rounds'
		// first side met an engine cold after its idle time (an
		// Elasticsearch node's JIT and caches), and the first round's
		// ratio was the lowest of nearly every run, always with the stage
		// first.
		ceiling(b, -1, &Clock{})
	}
	metrics := map[string][]float64{}
	add := func(name string, v float64) { metrics[name] = append(metrics[name], v) }
	perRecord := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(n) }
	for r := range rounds {
		cs, cc := Clock{engine: engineCPU}, Clock{engine: engineCPU}
		sides := []func(){
			func() {
				if only != "ceiling" {
					stage(b, r, &cs)
				}
			},
			func() {
				if only != "stage" {
					ceiling(b, r, &cc)
				}
			},
		}
		if r%2 == 1 {
			slices.Reverse(sides)
		}
		for _, f := range sides {
			f()
		}
		line := fmt.Sprintf("round %d: %d records", r+1, n)
		for _, side := range []struct {
			name string
			c    *Clock
		}{{"stage", &cs}, {"ceiling", &cc}} {
			c := side.c
			if c.wall == 0 {
				continue
			}
			add(side.name+"-records/s", float64(n)/c.wall.Seconds())
			add(side.name+"-cpu-us/rec", perRecord(c.cpu))
			line += fmt.Sprintf(", %s %v (%.0f/s, cpu %.0fµs/rec", side.name, c.wall.Round(time.Millisecond), float64(n)/c.wall.Seconds(), perRecord(c.cpu))
			if engineCPU != nil && c.engineErr == nil {
				add(side.name+"-engine-cpu-us/rec", perRecord(c.eng))
				line += fmt.Sprintf(", engine cpu %.0fµs/rec, settled in %v using %v", perRecord(c.eng),
					c.settled.Round(10*time.Millisecond), c.settledCPU.Round(time.Millisecond))
			}
			line += ")"
		}
		if cs.wall > 0 && cc.wall > 0 {
			add("stage/ceiling", cc.wall.Seconds()/cs.wall.Seconds())
			line += fmt.Sprintf(", ratio %.2f", cc.wall.Seconds()/cs.wall.Seconds())
		}
		for _, c := range []*Clock{&cs, &cc} {
			if c.engineErr != nil {
				b.Logf("reading the engine's CPU time: %v", c.engineErr)
			}
		}
		b.Log(line + ", load " + LoadAverage())
	}
	for name, vs := range metrics {
		b.ReportMetric(median(vs), name)
	}
	b.ReportMetric(0, "ns/op") // one op is the whole run; its time says nothing
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// LoadAverage is the first three fields of /proc/loadavg, or "unknown".
func LoadAverage() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	var a, b, c string
	if _, err := fmt.Sscan(string(raw), &a, &b, &c); err != nil {
		return "unknown"
	}
	return a + " " + b + " " + c
}
