package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/news"
)

// Headers set on dead letters.
const (
	HeaderError         = "Dealwire-Error"
	HeaderStage         = "Dealwire-Stage"
	HeaderSubject       = "Dealwire-Subject"
	HeaderDeliveries    = "Dealwire-Deliveries"
	HeaderStreamSeq     = "Dealwire-Stream-Seq"
	maxBackoff          = time.Minute
	deadLetterPublishTO = 10 * time.Second
)

// Stage describes one consuming stage: which stream it reads, under which
// durable name, and how it is settled.
type Stage struct {
	// Name is the stage name used in the dead-letter subject and metrics ("extract", "index").
	Name string
	// Stream and Durable name the stream and the durable pull consumer.
	Stream  string
	Durable string
	// Workers is the number of goroutines handling messages (default 1).
	Workers int
	// Batch is how many messages one fetch asks for (default 1, or 100 for
	// batch handlers).
	Batch int
	// MaxWait bounds how long a fetch waits to fill a batch (default 1s).
	MaxWait time.Duration
}

// Consumer pulls messages of one stage and settles each handler result.
// Construct it with [NewConsumer].
type Consumer struct {
	js     jetstream.JetStream
	cons   jetstream.Consumer
	stage  Stage
	cfg    Config
	logger *slog.Logger

	settled *prometheus.CounterVec
}

// NewConsumer creates or updates the durable pull consumer of st on its stream.
// reg may be nil.
func NewConsumer(ctx context.Context, js jetstream.JetStream, cfg Config, st Stage, logger *slog.Logger, reg prometheus.Registerer) (*Consumer, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if st.Workers < 1 {
		st.Workers = 1
	}
	if st.Batch < 1 {
		st.Batch = 1
	}
	if st.MaxWait <= 0 {
		st.MaxWait = time.Second
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, st.Stream, jetstream.ConsumerConfig{
		Durable:       st.Durable,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       cfg.AckWait,
		MaxDeliver:    cfg.MaxDeliver,
		MaxAckPending: cfg.MaxAckPending,
		DeliverPolicy: jetstream.DeliverAllPolicy,
	})
	if err != nil {
		return nil, fmt.Errorf("creating consumer %s on stream %s: %w", st.Durable, st.Stream, err)
	}
	c := &Consumer{js: js, cons: cons, stage: st, cfg: cfg, logger: logger.With("stage", st.Name)}
	c.settled = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "dealwire_" + news.Token(st.Name) + "_messages_total",
		Help: "Messages settled by the " + st.Name + " stage, by result (ack, retry, dead).",
	}, []string{"result"})
	if reg != nil {
		if err := reg.Register(c.settled); err != nil {
			var are prometheus.AlreadyRegisteredError
			if !errors.As(err, &are) {
				return nil, fmt.Errorf("registering metrics of stage %s: %w", st.Name, err)
			}
			c.settled = are.ExistingCollector.(*prometheus.CounterVec)
		}
	}
	return c, nil
}

// Run handles messages one at a time on Workers goroutines until ctx ends,
// then lets in-flight handlers finish and returns nil. handle must not ack.
func (c *Consumer) Run(ctx context.Context, handle func(ctx context.Context, msg jetstream.Msg) error) error {
	return c.RunBatch(ctx, func(ctx context.Context, msgs []jetstream.Msg) []error {
		errs := make([]error, len(msgs))
		for i, m := range msgs {
			errs[i] = handle(ctx, m)
		}
		return errs
	})
}

// RunBatch fetches up to Batch messages at a time and hands them to handle,
// which returns one result per message; each is settled with [Settle]. It
// runs Workers fetch loops until ctx ends and returns after they have all
// settled their last batch.
func (c *Consumer) RunBatch(ctx context.Context, handle func(ctx context.Context, msgs []jetstream.Msg) []error) error {
	var wg sync.WaitGroup
	errc := make(chan error, c.stage.Workers)
	for range c.stage.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.loop(ctx, handle); err != nil {
				errc <- err
			}
		}()
	}
	wg.Wait()
	close(errc)
	return <-errc
}

func (c *Consumer) loop(ctx context.Context, handle func(ctx context.Context, msgs []jetstream.Msg) []error) error {
	for ctx.Err() == nil {
		batch, err := c.cons.Fetch(c.stage.Batch, jetstream.FetchMaxWait(c.stage.MaxWait))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			c.logger.Warn("fetching messages", "error", err)
			if !waitOrDone(ctx, time.Second) {
				return nil
			}
			continue
		}
		var msgs []jetstream.Msg
		for m := range batch.Messages() {
			msgs = append(msgs, m)
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && ctx.Err() == nil {
			c.logger.Debug("fetch ended early", "error", err)
		}
		if len(msgs) == 0 {
			continue
		}
		// Handlers and settling run on a context that outlives a shutdown
		// signal, so a batch in flight finishes and is acked instead of being
		// redelivered after AckWait.
		hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.AckWait)
		errs := handle(hctx, msgs)
		for i, m := range msgs {
			var herr error
			if i < len(errs) {
				herr = errs[i]
			} else {
				herr = errors.New("handler returned no result for this message")
			}
			c.settled.WithLabelValues(Settle(hctx, c.js, m, herr, c.stage.Name, c.cfg.MaxDeliver, c.logger)).Inc()
		}
		cancel()
	}
	return nil
}

// Settle turns a handler's result into the message's acknowledgement and
// returns what it did: "ack", "retry" or "dead". Permanent errors, and
// failures on the last allowed delivery, are published to the stage's
// dead-letter subject with the error in a header, and only then terminated;
// if that publish fails the message is nak'ed so it is not lost.
func Settle(ctx context.Context, js jetstream.JetStream, msg jetstream.Msg, herr error, stage string, maxDeliver int, logger *slog.Logger) string {
	var attempt uint64 = 1
	var seq uint64
	if md, err := msg.Metadata(); err == nil {
		attempt = md.NumDelivered
		seq = md.Sequence.Stream
	}
	if herr == nil {
		if err := msg.DoubleAck(ctx); err != nil {
			logger.Warn("acking message", "subject", msg.Subject(), "error", err)
		}
		return "ack"
	}
	if news.IsPermanent(herr) || (maxDeliver > 0 && attempt >= uint64(maxDeliver)) {
		dl := &nats.Msg{Subject: news.DeadSubject(stage), Data: msg.Data(), Header: nats.Header{}}
		dl.Header.Set(HeaderError, truncate(herr.Error(), 2000))
		dl.Header.Set(HeaderStage, stage)
		dl.Header.Set(HeaderSubject, msg.Subject())
		dl.Header.Set(HeaderDeliveries, strconv.FormatUint(attempt, 10))
		dl.Header.Set(HeaderStreamSeq, strconv.FormatUint(seq, 10))
		pctx, cancel := context.WithTimeout(ctx, deadLetterPublishTO)
		_, err := js.PublishMsg(pctx, dl)
		cancel()
		if err != nil {
			logger.Error("dead-lettering message failed; will redeliver", "subject", msg.Subject(), "error", err, "cause", herr)
			_ = msg.NakWithDelay(backoff(attempt)) // redelivery also follows AckWait if this nak is lost
			return "retry"
		}
		logger.Error("message dead-lettered", "subject", msg.Subject(), "attempt", attempt, "error", herr)
		if err := msg.TermWithReason(truncate(herr.Error(), 200)); err != nil {
			logger.Warn("terminating message", "subject", msg.Subject(), "error", err)
		}
		return "dead"
	}
	logger.Warn("handler failed; will retry", "subject", msg.Subject(), "attempt", attempt, "error", herr)
	if err := msg.NakWithDelay(backoff(attempt)); err != nil {
		logger.Warn("nak'ing message", "subject", msg.Subject(), "error", err)
	}
	return "retry"
}

// backoff is the redelivery delay after the given delivery: 1s, 2s, 4s… up to a minute.
func backoff(attempt uint64) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	if attempt > 7 {
		return maxBackoff
	}
	d := time.Second << (attempt - 1)
	return min(d, maxBackoff)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func waitOrDone(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
