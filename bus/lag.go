package bus

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// Consumer lag metric names, labelled by stream and consumer (the durable).
const (
	MetricConsumerPending     = "dealwire_consumer_pending_messages"
	MetricConsumerAckPending  = "dealwire_consumer_ack_pending_messages"
	MetricConsumerRedelivered = "dealwire_consumer_redelivered_messages"
	MetricConsumerInfoSuccess = "dealwire_consumer_info_success"
)

// lagTimeout bounds one consumer info request of a scrape: a scrape must
// answer even while NATS does not.
const lagTimeout = 2 * time.Second

// LagCollector exports the lag of durable consumers, read from JetStream
// on every scrape: messages not yet delivered (NumPending), delivered but
// not acked (NumAckPending) and redelivered and not yet acked
// (NumRedelivered). Those are the server's numbers, so they count the work
// waiting for every replica of a stage, not just this process. A consumer
// whose info cannot be read within the timeout is left out of the scrape
// and its dealwire_consumer_info_success is 0. Construct it with
// [NewLagCollector]; [NewConsumer] registers one per registry and watches
// its own durable.
type LagCollector struct {
	js      jetstream.JetStream
	timeout time.Duration
	logger  *slog.Logger

	pending, ackPending, redelivered, success *prometheus.Desc

	// mu guards watched.
	mu      sync.Mutex
	watched []consumerRef
}

type consumerRef struct{ stream, durable string }

// NewLagCollector returns a collector that reads consumer info through js,
// each request bounded by timeout (0: 2s). logger may be nil.
func NewLagCollector(js jetstream.JetStream, timeout time.Duration, logger *slog.Logger) *LagCollector {
	if timeout <= 0 {
		timeout = lagTimeout
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	labels := []string{"stream", "consumer"}
	return &LagCollector{
		js: js, timeout: timeout, logger: logger,
		pending: prometheus.NewDesc(MetricConsumerPending,
			"Messages of the stream the durable consumer has not delivered yet (its backlog).", labels, nil),
		ackPending: prometheus.NewDesc(MetricConsumerAckPending,
			"Messages delivered to the consumer and not yet acknowledged (in flight, bounded by MaxAckPending).", labels, nil),
		redelivered: prometheus.NewDesc(MetricConsumerRedelivered,
			"Messages delivered more than once and not yet acknowledged.", labels, nil),
		success: prometheus.NewDesc(MetricConsumerInfoSuccess,
			"1 when the consumer's info was read in this scrape, 0 when it failed (the lag series are then absent).", labels, nil),
	}
}

// Watch adds the durable consumer of stream to the collector; watching it
// twice adds it once.
func (l *LagCollector) Watch(stream, durable string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ref := consumerRef{stream, durable}
	if !slices.Contains(l.watched, ref) {
		l.watched = append(l.watched, ref)
	}
}

// Describe implements [prometheus.Collector].
func (l *LagCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- l.pending
	ch <- l.ackPending
	ch <- l.redelivered
	ch <- l.success
}

// Collect implements [prometheus.Collector]: it asks JetStream for each
// watched consumer's info, concurrently.
func (l *LagCollector) Collect(ch chan<- prometheus.Metric) {
	l.mu.Lock()
	watched := slices.Clone(l.watched)
	l.mu.Unlock()
	var wg sync.WaitGroup
	for _, ref := range watched {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.collectOne(ch, ref)
		}()
	}
	wg.Wait()
}

func (l *LagCollector) collectOne(ch chan<- prometheus.Metric, ref consumerRef) {
	ctx, cancel := context.WithTimeout(context.Background(), l.timeout)
	defer cancel()
	gauge := func(d *prometheus.Desc, v int) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, float64(v), ref.stream, ref.durable)
	}
	info, err := l.info(ctx, ref)
	if err != nil {
		l.logger.Debug("reading consumer info for metrics", "stream", ref.stream, "consumer", ref.durable, "error", err)
		gauge(l.success, 0)
		return
	}
	gauge(l.success, 1)
	gauge(l.pending, int(info.NumPending))
	gauge(l.ackPending, info.NumAckPending)
	gauge(l.redelivered, info.NumRedelivered)
}

func (l *LagCollector) info(ctx context.Context, ref consumerRef) (*jetstream.ConsumerInfo, error) {
	// js.Consumer fetches the info once; CachedInfo is that answer.
	c, err := l.js.Consumer(ctx, ref.stream, ref.durable)
	if err != nil {
		return nil, err
	}
	return c.CachedInfo(), nil
}
