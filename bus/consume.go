package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/news"
	"github.com/dealwire/dealwire/obs"
)

// Headers set on dead letters (and, for HeaderReplayOf, on replayed messages).
const (
	HeaderError      = "Dealwire-Error"
	HeaderStage      = "Dealwire-Stage"
	HeaderSubject    = "Dealwire-Subject"
	HeaderDeliveries = "Dealwire-Deliveries"
	HeaderStreamSeq  = "Dealwire-Stream-Seq"
	HeaderStream     = "Dealwire-Stream"
	// HeaderMsgID is the Nats-Msg-Id the message had on its own stream.
	HeaderMsgID = "Dealwire-Msg-Id"
	// HeaderReplayOf is set on a message re-published from DEAD: the dead
	// letter's sequence there.
	HeaderReplayOf = "Dealwire-Replay-Of"

	maxBackoff          = time.Minute
	deadLetterPublishTO = 10 * time.Second
	maxErrorHeader      = 8000 // bytes of the error kept on a dead letter (a stack fits)
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
	// Batch is how many messages one fetch asks for (default 1). Keep it
	// to what one worker handles in a few seconds: a killed worker's batch
	// waits AckWait before another worker gets it.
	Batch int
	// MaxWait bounds how long a fetch waits to fill a batch (default 1s).
	MaxWait time.Duration
	// Probe asks the stage's store whether it answers (a ping). After
	// Config.PauseAfter retryable failures in a row the stage stops
	// fetching and calls Probe, with a growing pause, until it returns nil.
	// Nil: the stage only pauses.
	Probe func(ctx context.Context) error
	// Prefetch asks for a worker's next batch before it hands the current
	// one to the handler, so that the server delivers it while the handler
	// works: a stage whose handler waits on a store (the index stage's
	// bulk request) then never waits for the fetch between two batches.
	// Every message is still settled by its own result, after its batch
	// is handled; a worker holds up to two batches, and a prefetched batch
	// is handled even when the breaker opens or ctx ends meanwhile (a
	// retryable failure is nak'ed with its backoff as always).
	Prefetch bool
}

// Consumer pulls messages of one stage and settles each handler result.
// Construct it with [NewConsumer].
type Consumer struct {
	js      jetstream.JetStream
	cons    jetstream.Consumer
	stage   Stage
	cfg     Config
	logger  *slog.Logger
	breaker *breaker
	// delay is the wait before a failed message is redelivered: [backoff];
	// tests shorten it.
	delay func(attempt uint64) time.Duration

	// settled and replayed are curried with the stage label: they take
	// the result alone.
	settled  *prometheus.CounterVec
	panics   prometheus.Counter
	replayed *prometheus.CounterVec
	counts   obs.StageCounters
}

// Per-stage metric names of consuming stages; every family has a stage
// label, so a stage named "index-deals" is a label value, never part of a
// name (a hyphen is not valid in a Prometheus name).
const (
	MetricMessages    = "dealwire_stage_messages_total"
	MetricPanics      = "dealwire_stage_panics_total"
	MetricReplayed    = "dealwire_stage_replayed_total"
	MetricPaused      = "dealwire_stage_paused"
	MetricStoreProbes = "dealwire_stage_store_probes_total"
)

// AckPending is the MaxAckPending of a stage's consumer: cfg.MaxAckPending,
// or when that is 0, max(256, 4 × workers × batch): a worker killed with a
// batch in hand holds it until AckWait passes, and the others keep room.
func AckPending(cfg Config, st Stage) int {
	if cfg.MaxAckPending > 0 {
		return cfg.MaxAckPending
	}
	return max(256, 4*max(st.Workers, 1)*max(st.Batch, 1))
}

// NewConsumer creates or updates the durable pull consumer of st on its
// stream. JetStream's MaxDeliver is unlimited: retryable failures are
// retried for as long as they last, and [Settle] dead-letters permanent
// ones by cfg.MaxDeliver. reg may be nil.
func NewConsumer(ctx context.Context, js jetstream.JetStream, cfg Config, st Stage, logger *slog.Logger, reg prometheus.Registerer) (*Consumer, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	st.Workers, st.Batch = max(st.Workers, 1), max(st.Batch, 1)
	if st.MaxWait <= 0 {
		st.MaxWait = time.Second
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, st.Stream, jetstream.ConsumerConfig{
		Durable:       st.Durable,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       cfg.AckWait,
		MaxDeliver:    -1,
		MaxAckPending: AckPending(cfg, st),
		DeliverPolicy: jetstream.DeliverAllPolicy,
	})
	if err != nil {
		return nil, fmt.Errorf("creating consumer %s on stream %s: %w", st.Durable, st.Stream, err)
	}
	logger = logger.With("stage", st.Name)
	c := &Consumer{js: js, cons: cons, stage: st, cfg: cfg, logger: logger, delay: backoff}
	if err := c.registerMetrics(reg); err != nil {
		return nil, err
	}
	c.breaker, err = newBreaker(cfg, st, logger, reg)
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Consumer) registerMetrics(reg prometheus.Registerer) error {
	stage := prometheus.Labels{"stage": c.stage.Name}
	settled, err := obs.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: MetricMessages,
		Help: "Messages settled by a consuming stage, by result (ack, retry, dead).",
	}, []string{"stage", "result"}))
	if err != nil {
		return err
	}
	c.settled = settled.MustCurryWith(stage)
	panics, err := obs.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: MetricPanics,
		Help: "Handler panics recovered in a stage (a batch that panics is counted, then its messages are handled one by one); a message that panics is dead-lettered with the stack.",
	}, []string{"stage"}))
	if err != nil {
		return err
	}
	c.panics = panics.WithLabelValues(c.stage.Name)
	replayed, err := obs.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: MetricReplayed,
		Help: "Messages replayed from the dead letters ('dealwire dead replay') and settled by a stage, by result.",
	}, []string{"stage", "result"}))
	if err != nil {
		return err
	}
	c.replayed = replayed.MustCurryWith(stage)
	counts, err := obs.NewStageMetrics(reg)
	if err != nil {
		return err
	}
	c.counts = counts.For(c.stage.Name)
	if reg != nil {
		lag, err := obs.Register(reg, NewLagCollector(c.js, lagTimeout, c.logger))
		if err != nil {
			return err
		}
		lag.Watch(c.stage.Stream, c.stage.Durable)
	}
	return nil
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
// settled their last batch. While the stage's store is down (see
// [Stage.Probe]) no worker fetches.
func (c *Consumer) RunBatch(ctx context.Context, handle func(ctx context.Context, msgs []jetstream.Msg) []error) error {
	var wg sync.WaitGroup
	for range c.stage.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.loop(ctx, handle)
		}()
	}
	wg.Wait()
	return nil
}

func (c *Consumer) loop(ctx context.Context, handle func(ctx context.Context, msgs []jetstream.Msg) []error) {
	// next is the batch asked for while the last one was handled
	// (Stage.Prefetch): its messages are on their way or here, so they are
	// handled whatever ctx and the breaker say meanwhile.
	var next *prefetch
	for {
		var msgs []jetstream.Msg
		if next != nil {
			msgs, next = next.wait(ctx, c), nil
		} else {
			if ctx.Err() != nil || !c.breaker.wait(ctx) {
				return
			}
			msgs = c.fetch(ctx)
		}
		if len(msgs) == 0 {
			continue
		}
		if c.stage.Prefetch && ctx.Err() == nil && !c.breaker.open() {
			next = c.prefetch(ctx)
		}
		c.handleBatch(ctx, handle, msgs, next)
	}
}

// fetch returns the next batch, or nothing after a failed fetch (it waits
// a second then, so a server that is down is not hammered).
func (c *Consumer) fetch(ctx context.Context) []jetstream.Msg {
	batch := c.request(ctx)
	if batch == nil {
		return nil
	}
	msgs := make([]jetstream.Msg, 0, c.stage.Batch)
	for m := range batch.Messages() {
		msgs = append(msgs, m)
	}
	c.fetched(ctx, batch, len(msgs))
	return msgs
}

// request asks the server for the next batch, whose messages then arrive
// on the batch's channel. It returns nil after a failed request (having
// waited a second, so a server that is down is not hammered).
func (c *Consumer) request(ctx context.Context) jetstream.MessageBatch {
	batch, err := c.cons.Fetch(c.stage.Batch, jetstream.FetchMaxWait(c.stage.MaxWait))
	if err != nil {
		if ctx.Err() == nil {
			c.logger.Warn("fetching messages", "error", err)
			WaitOrDone(ctx, time.Second)
		}
		return nil
	}
	return batch
}

// fetched counts the n messages a batch brought and logs why it ended
// early, if it did for another reason than its wait.
func (c *Consumer) fetched(ctx context.Context, batch jetstream.MessageBatch, n int) {
	c.counts.Fetched.Add(float64(n))
	if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && ctx.Err() == nil {
		c.logger.Debug("fetch ended early", "error", err)
	}
}

// prefetch is a batch asked for before the worker handles the one it
// holds ([Stage.Prefetch]). Its messages wait in the fetch's channel,
// which holds a whole batch, until the worker takes them; every AckWait/3
// while the batch in hand is handled, those come so far are taken and
// kept in progress with it ([Consumer.keepInProgress]), so that a slow
// handler does not have them redelivered to another worker. Taking them
// only then, not as they come, spares a goroutine's wake-up per message.
type prefetch struct {
	batch jetstream.MessageBatch
	// mu guards msgs and ended: the worker and its keepInProgress
	// goroutine take messages.
	mu    sync.Mutex
	msgs  []jetstream.Msg // taken so far
	ended bool            // the fetch's channel is closed and drained
}

// prefetch asks for the next batch; nil when the request failed.
func (c *Consumer) prefetch(ctx context.Context) *prefetch {
	batch := c.request(ctx)
	if batch == nil {
		return nil
	}
	return &prefetch{batch: batch, msgs: make([]jetstream.Msg, 0, c.stage.Batch)}
}

// take moves the messages waiting in the fetch's channel to p.msgs;
// with block, until the fetch has ended (the batch is full or the stage's
// MaxWait has passed). The caller holds p.mu.
func (p *prefetch) take(block bool) {
	ch := p.batch.Messages()
	for !p.ended {
		if block {
			m, ok := <-ch
			if !ok {
				p.ended = true
				break
			}
			p.msgs = append(p.msgs, m)
			continue
		}
		select {
		case m, ok := <-ch:
			if !ok {
				p.ended = true
				break
			}
			p.msgs = append(p.msgs, m)
		default:
			return
		}
	}
}

// wait returns the batch's messages once the fetch has ended.
func (p *prefetch) wait(ctx context.Context, c *Consumer) []jetstream.Msg {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.take(true)
	c.fetched(ctx, p.batch, len(p.msgs))
	return p.msgs
}

// inProgress tells JetStream that the messages come so far are being
// handled; nil p has none.
func (p *prefetch) inProgress(c *Consumer) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.take(false)
	msgs := p.msgs
	p.mu.Unlock()
	c.inProgress(msgs)
}

// handleBatch runs handle on msgs and settles each message by its result.
// Handlers and settling run on a context that outlives a shutdown signal,
// so a batch in flight finishes and is acked instead of being redelivered
// after AckWait; while it runs, JetStream is told every AckWait/3 that the
// messages are in progress.
func (c *Consumer) handleBatch(ctx context.Context, handle func(ctx context.Context, msgs []jetstream.Msg) []error, msgs []jetstream.Msg, next *prefetch) {
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.HandlerTimeout)
	defer cancel()
	stop := c.keepInProgress(msgs, next)
	errs := c.call(hctx, handle, msgs)
	stop()
	var out outcome
	// Counted per batch: a labelled counter looked up per message is a
	// hash of its labels and a lock.
	settled := map[string]int{}
	failed := 0
	for i, m := range msgs {
		herr := errs[i]
		result := settle(hctx, c.js, m, herr, c.stage.Name, c.cfg.MaxDeliver, c.delay, c.logger)
		settled[result]++
		if herr != nil {
			failed++
		}
		if m.Headers().Get(HeaderReplayOf) != "" {
			c.replayed.WithLabelValues(result).Inc()
		}
		out.add(herr, result)
	}
	for result, n := range settled {
		c.settled.WithLabelValues(result).Add(float64(n))
	}
	if failed > 0 {
		c.counts.Failed.Add(float64(failed))
	}
	if n := settled["dead"]; n > 0 {
		c.counts.DeadLettered.Add(float64(n))
	}
	confirmSettled(hctx, c.js, len(msgs), c.logger)
	c.breaker.record(out)
}

// confirmSettled waits until the server has every ack, nak and term sent
// before it: the server answers a flush only after all that the connection
// sent earlier. One round trip a batch replaces a reply to every ack
// (DoubleAck), which cost the index stage a third of its CPU. What is not
// confirmed (the connection failed) is redelivered after AckWait, and every
// stage handles a redelivery like the first delivery.
func confirmSettled(ctx context.Context, js jetstream.JetStream, n int, logger *slog.Logger) {
	if err := js.Conn().FlushWithContext(ctx); err != nil {
		logger.Warn("confirming acks; the messages are redelivered after ack_wait", "messages", n, "error", err)
	}
}

// call runs handle on msgs and returns exactly one result per message. A
// panic becomes a permanent *PanicError; when the batch has more than one
// message, each is then handled alone, so only the message that panics is
// dead-lettered.
func (c *Consumer) call(ctx context.Context, handle func(ctx context.Context, msgs []jetstream.Msg) []error, msgs []jetstream.Msg) []error {
	errs, perr := c.protected(ctx, handle, msgs)
	if perr != nil && len(msgs) > 1 {
		c.logger.Warn("handler panicked on a batch; handling its messages one by one", "messages", len(msgs), "error", firstLine(perr.Error()))
		errs = make([]error, len(msgs))
		for i, m := range msgs {
			one, _ := c.protected(ctx, handle, []jetstream.Msg{m})
			errs[i] = errNoResult
			if len(one) > 0 {
				errs[i] = one[0]
			}
		}
		return errs
	}
	if perr != nil {
		return []error{perr}
	}
	for i := len(errs); i < len(msgs); i++ {
		errs = append(errs, errNoResult)
	}
	return errs[:len(msgs)]
}

// errNoResult is the result of a message its handler returned none for; it
// is retried.
var errNoResult = errors.New("handler returned no result for this message")

// protected calls handle and turns a panic into a permanent error.
func (c *Consumer) protected(ctx context.Context, handle func(ctx context.Context, msgs []jetstream.Msg) []error, msgs []jetstream.Msg) (errs []error, perr error) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		c.panics.Inc()
		pe := &PanicError{Value: fmt.Sprint(r), Stack: string(debug.Stack())}
		perr = news.Permanent(pe)
		errs = []error{perr}
		if len(msgs) == 1 {
			c.logger.Error("handler panicked", "subject", msgs[0].Subject(), "msg_id", msgs[0].Headers().Get(jetstream.MsgIDHeader),
				"stream_seq", streamSeq(msgs[0]), "panic", pe.Value)
		}
	}()
	return handle(ctx, msgs), nil
}

// PanicError is a handler panic recovered by the consumer.
type PanicError struct {
	Value string // the panic value, formatted
	Stack string // the goroutine's stack where it panicked
}

func (e *PanicError) Error() string { return "handler panicked: " + e.Value + "\n" + e.Stack }

// keepInProgress tells JetStream every AckWait/3 that msgs, and the
// messages of next that have come (nil: none), are still being handled,
// until the returned stop is called (which waits for it).
func (c *Consumer) keepInProgress(msgs []jetstream.Msg, next *prefetch) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(max(c.cfg.AckWait/3, 100*time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			c.inProgress(msgs)
			next.inProgress(c)
		}
	}()
	return func() { close(done); wg.Wait() }
}

// inProgress tells JetStream that msgs are being handled.
func (c *Consumer) inProgress(msgs []jetstream.Msg) {
	for _, m := range msgs {
		if err := m.InProgress(); err != nil {
			c.logger.Debug("signalling progress", "subject", m.Subject(), "error", err)
		}
	}
}

// Settle turns a handler's result into the message's acknowledgement and
// returns what it did: "ack", "retry" or "dead". A permanent error
// ([news.IsPermanent]) on delivery maxDeliver or later is published to the
// stage's dead-letter subject with the error in a header, and only then
// terminated; if that publish fails the message is nak'ed so it is not lost.
// Any other error (store unreachable, 429, 5xx, a timeout) is retryable and
// never dead-letters: the message is nak'ed with a backoff of 1s, 2s, 4s…
// up to a minute, however many deliveries it has had.
func Settle(ctx context.Context, js jetstream.JetStream, msg jetstream.Msg, herr error, stage string, maxDeliver int, logger *slog.Logger) string {
	result := settle(ctx, js, msg, herr, stage, maxDeliver, backoff, logger)
	confirmSettled(ctx, js, 1, logger)
	return result
}

func settle(ctx context.Context, js jetstream.JetStream, msg jetstream.Msg, herr error, stage string, maxDeliver int,
	delay func(uint64) time.Duration, logger *slog.Logger) string {
	if herr == nil {
		// The caller confirms the acks it sent with one flush
		// (confirmSettled).
		if err := msg.Ack(); err != nil {
			logger.Warn("acking message", "subject", msg.Subject(), "error", err)
		}
		return "ack"
	}
	var attempt uint64 = 1
	if md, err := msg.Metadata(); err == nil {
		attempt = md.NumDelivered
	}
	if news.IsPermanent(herr) && attempt >= uint64(max(maxDeliver, 1)) {
		return deadLetter(ctx, js, msg, herr, stage, delay(attempt), logger)
	}
	if news.IsPermanent(herr) {
		logger.Warn("handler failed permanently; retrying until delivery nats.max_deliver", "subject", msg.Subject(),
			"attempt", attempt, "max_deliver", maxDeliver, "error", firstLine(herr.Error()))
	} else {
		logger.Warn("handler failed; will retry", "subject", msg.Subject(), "attempt", attempt, "error", firstLine(herr.Error()))
	}
	if err := msg.NakWithDelay(delay(attempt)); err != nil {
		logger.Warn("nak'ing message", "subject", msg.Subject(), "error", err)
	}
	return "retry"
}

// deadLetter publishes msg to the stage's dead-letter subject, with its
// own headers and the reason, then terminates it.
// If the publish fails, the message is nak'ed with retryDelay instead.
func deadLetter(ctx context.Context, js jetstream.JetStream, msg jetstream.Msg, herr error, stage string, retryDelay time.Duration, logger *slog.Logger) string {
	var attempt uint64 = 1
	dl := &nats.Msg{Subject: news.DeadSubject(stage), Data: msg.Data(), Header: nats.Header{}}
	for k, v := range msg.Headers() {
		if k == jetstream.MsgIDHeader {
			dl.Header.Set(HeaderMsgID, v[0])
			continue
		}
		if !strings.HasPrefix(k, "Nats-") { // JetStream reads Nats-* headers on publish
			dl.Header[k] = v
		}
	}
	dl.Header.Set(HeaderError, truncate(herr.Error(), maxErrorHeader))
	dl.Header.Set(HeaderStage, stage)
	dl.Header.Set(HeaderSubject, msg.Subject())
	var opts []jetstream.PublishOpt
	if md, err := msg.Metadata(); err == nil {
		attempt = md.NumDelivered
		dl.Header.Set(HeaderStream, md.Stream)
		dl.Header.Set(HeaderStreamSeq, strconv.FormatUint(md.Sequence.Stream, 10))
		// A redelivery after a lost Term dead-letters the same message
		// again; its id lets DEAD's duplicate window drop the second copy.
		opts = append(opts, jetstream.WithMsgID(fmt.Sprintf("%s/%s/%d", stage, md.Stream, md.Sequence.Stream)))
	}
	dl.Header.Set(HeaderDeliveries, strconv.FormatUint(attempt, 10))
	pctx, cancel := context.WithTimeout(ctx, deadLetterPublishTO)
	_, err := js.PublishMsg(pctx, dl, opts...)
	cancel()
	if err != nil {
		logger.Error("dead-lettering message failed; will redeliver", "subject", msg.Subject(), "error", err, "cause", firstLine(herr.Error()))
		_ = msg.NakWithDelay(retryDelay) // redelivery also follows AckWait if this nak is lost
		return "retry"
	}
	logger.Error("message dead-lettered", "subject", msg.Subject(), "msg_id", dl.Header.Get(HeaderMsgID), "attempt", attempt,
		"dead_subject", dl.Subject, "error", firstLine(herr.Error()))
	if err := msg.TermWithReason(truncate(firstLine(herr.Error()), 200)); err != nil {
		logger.Warn("terminating message", "subject", msg.Subject(), "error", err)
	}
	return "dead"
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

func streamSeq(m jetstream.Msg) uint64 {
	if md, err := m.Metadata(); err == nil {
		return md.Sequence.Stream
	}
	return 0
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// WaitOrDone waits d, or less when ctx ends first; false when it did.
func WaitOrDone(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
