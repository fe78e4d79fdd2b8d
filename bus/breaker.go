package bus

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/news"
	"github.com/dealwire/dealwire/obs"
)

// probeTimeout bounds one call of a stage's probe.
const probeTimeout = 10 * time.Second

// outcome tallies how the messages of one batch were settled.
type outcome struct {
	done    int   // acked, or dead-lettered: the store (or the stage) answered
	retries int   // retryable failures
	last    error // the last retryable error, for the log
}

func (o *outcome) add(herr error, result string) {
	switch {
	case result != "retry":
		o.done++
	case herr != nil && !news.IsPermanent(herr):
		o.retries++
		o.last = herr
	}
}

// breaker gates a stage's fetching on the health of its store. Batches
// whose every message failed with a retryable error count up; after
// PauseAfter of them in a row it opens: no worker fetches, and one worker
// probes the store, pausing 1s, 2s, 4s… up to ProbeMaxInterval between
// probes, until it answers. Then fetching resumes. A batch with any
// message settled for good resets the count and the pause. So an outage
// of any length costs time, not messages, and memory holds at most one
// batch per worker (two with [Stage.Prefetch], whose second is handled
// before the worker waits here).
type breaker struct {
	threshold   int
	maxInterval time.Duration
	probe       func(ctx context.Context) error
	logger      *slog.Logger
	paused      prometheus.Gauge
	probes      *prometheus.CounterVec

	// mu guards the fields below.
	mu       sync.Mutex
	failures int           // failed batches in a row
	level    int           // doublings of the pause between probes; reset by a success
	resume   chan struct{} // non-nil while open; closed when the breaker closes
	probing  bool          // a worker is probing; the others wait on resume
}

func newBreaker(cfg Config, st Stage, logger *slog.Logger, reg prometheus.Registerer) (*breaker, error) {
	b := &breaker{threshold: max(cfg.PauseAfter, 1), maxInterval: max(cfg.ProbeMaxInterval, time.Second), probe: st.Probe, logger: logger}
	paused, err := obs.Register(reg, prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: MetricPaused,
		Help: "1 while a stage has stopped fetching because its store fails, 0 otherwise.",
	}, []string{"stage"}))
	if err != nil {
		return nil, err
	}
	b.paused = paused.WithLabelValues(st.Name)
	probes, err := obs.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: MetricStoreProbes,
		Help: "Probes of a stage's store while the stage is paused, by result (ok, fail).",
	}, []string{"stage", "result"}))
	if err != nil {
		return nil, err
	}
	b.probes = probes.MustCurryWith(prometheus.Labels{"stage": st.Name})
	return b, nil
}

// record counts a batch's outcome and opens the breaker after threshold
// failed batches in a row.
func (b *breaker) record(o outcome) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if o.done > 0 {
		b.failures, b.level = 0, 0
		return
	}
	if o.retries == 0 {
		return
	}
	b.failures++
	if b.failures < b.threshold || b.resume != nil {
		return
	}
	b.resume = make(chan struct{})
	b.paused.Set(1)
	b.logger.Warn("store failing; stopped fetching until it answers", "failed_batches", b.failures, "error", firstLine(o.last.Error()))
}

// open tells whether the breaker is open: the stage's store is failing.
func (b *breaker) open() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.resume != nil
}

// wait returns true at once while the breaker is closed. While it is open,
// one caller probes the store until it answers and the others wait; it
// returns false when ctx ends first.
func (b *breaker) wait(ctx context.Context) bool {
	for {
		b.mu.Lock()
		if b.resume == nil {
			b.mu.Unlock()
			return true
		}
		if b.probing {
			ch := b.resume
			b.mu.Unlock()
			select {
			case <-ch:
				continue
			case <-ctx.Done():
				return false
			}
		}
		b.probing = true
		pause := b.pause()
		b.mu.Unlock()
		ok := b.probeAfter(ctx, pause)
		b.mu.Lock()
		b.probing = false
		if ok {
			close(b.resume)
			b.resume, b.failures = nil, 0
			b.paused.Set(0)
			b.logger.Info("store answers again; fetching resumes")
		} else if ctx.Err() == nil {
			b.level++
		}
		b.mu.Unlock()
		if ctx.Err() != nil {
			return false
		}
	}
}

// pause is the wait before the next probe: 1s doubling per level up to maxInterval.
func (b *breaker) pause() time.Duration {
	if b.level >= 30 {
		return b.maxInterval
	}
	return min(time.Second<<b.level, b.maxInterval)
}

// probeAfter waits d, then probes; it reports whether the store answered.
// Without a probe function the wait alone ends the pause.
func (b *breaker) probeAfter(ctx context.Context, d time.Duration) bool {
	if !WaitOrDone(ctx, d) {
		return false
	}
	if b.probe == nil {
		return true
	}
	pctx, cancel := context.WithTimeout(ctx, probeTimeout)
	err := b.probe(pctx)
	cancel()
	if err != nil {
		b.probes.WithLabelValues("fail").Inc()
		b.logger.Info("store still failing", "error", firstLine(err.Error()), "paused_for", d)
		return false
	}
	b.probes.WithLabelValues("ok").Inc()
	return true
}
