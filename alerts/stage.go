package alerts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/company"
	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/news"
)

// The ALERTS stream holds one message per alert and sink, waiting for
// delivery: the alerts stage publishes them, the alerts_send stage
// delivers them. Subjects are dealwire.alertsend.<rule>.<sink>.
const (
	StreamSend   = "ALERTS"
	sendSubjects = "dealwire.alertsend.>"
)

func sendSubject(rule, sink string) string { return "dealwire.alertsend." + rule + "." + sink }

// Stage names, as in dealwire.dead.<stage> and the bus metrics.
const (
	StageEvaluate = "alerts"
	StageSend     = "alerts_send"
)

// delivery is one message on the ALERTS stream: an alert for one sink.
type delivery struct {
	V     int    `json:"v"`
	Sink  string `json:"sink"`
	Alert Alert  `json:"alert"`
}

// Options are the dependencies of a [Stage].
type Options struct {
	// NATS configures the consumers and the ALERTS stream (ack wait,
	// replicas, duplicate window...).
	NATS bus.Config
	// Current returns the deal's current state (deals.Resolver.Current);
	// a DEALS message can carry a stale one. Nil: the message is trusted.
	Current func(ctx context.Context, d news.DealRecord) (news.DealRecord, error)
	// Rates converts amounts for the rules; nil: the shipped FX table.
	Rates *fx.Table
	// HTTPClient sends webhooks; nil: a client of its own.
	HTTPClient *http.Client
	Logger     *slog.Logger
	Registerer prometheus.Registerer
	// Now is the clock of alert times; nil: time.Now.
	Now func() time.Time
}

// Stage evaluates the rules on every deal record of the DEALS stream and
// delivers the alerts to their sinks. Construct it with [New].
type Stage struct {
	cfg     Config
	opts    Options
	js      jetstream.JetStream
	rules   []*Rule
	sinks   map[string]map[string]sinkSender // rule -> sink name -> sender
	state   jetstream.KeyValue
	feeds   *Feeds
	logger  *slog.Logger
	metrics *metrics
	// since is, per rule, when the rule was first seen (stored in the state
	// bucket, so every replica agrees): deals whose newest report is older
	// are remembered without an alert, so adding a rule to an installation
	// with a history does not send that history.
	since map[string]time.Time
}

// sinkSender delivers one alert. An error marked [news.Permanent] cannot
// be fixed by retrying; any other is retried.
type sinkSender interface {
	Send(ctx context.Context, a Alert) error
}

// New compiles the rules, opens the state and feed buckets, declares the
// ALERTS stream and builds every sink.
func New(ctx context.Context, js jetstream.JetStream, cfg Config, opts Options) (*Stage, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("invalid configuration: %w", err)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{}
	}
	opts.NATS = opts.NATS.WithDefaults()
	s := &Stage{cfg: cfg, opts: opts, js: js, logger: opts.Logger, sinks: map[string]map[string]sinkSender{}, since: map[string]time.Time{}}
	var err error
	if s.metrics, err = newMetrics(opts.Registerer); err != nil {
		return nil, err
	}
	if err := EnsureStream(ctx, js, opts.NATS); err != nil {
		return nil, err
	}
	if s.state, err = bus.OpenBucket(ctx, js, cfg.StateBucket, "alert state per rule and deal", opts.NATS.Replicas); err != nil {
		return nil, err
	}
	if s.feeds, err = OpenFeeds(ctx, js, cfg, opts.NATS.Replicas); err != nil {
		return nil, err
	}
	for _, rc := range cfg.Rules {
		r, err := Compile(rc, opts.Rates)
		if err != nil {
			return nil, fmt.Errorf("alerts rule %s: %w", rc.Name, err)
		}
		s.rules = append(s.rules, r)
		if s.since[rc.Name], err = s.ruleSince(ctx, rc.Name); err != nil {
			return nil, err
		}
		s.sinks[rc.Name] = map[string]sinkSender{}
		for _, sc := range rc.Sinks {
			s.sinks[rc.Name][sc.Name] = s.newSink(sc)
		}
	}
	return s, nil
}

// ruleSince returns when rule was first seen, recording now if never.
func (s *Stage) ruleSince(ctx context.Context, rule string) (time.Time, error) {
	var since time.Time
	err := update(ctx, s.state, ruleKey(rule), func(v *time.Time) bool {
		if !v.IsZero() {
			since = *v
			return false
		}
		*v = s.opts.Now().UTC()
		since = *v
		return true
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("recording when alert rule %s started: %w", rule, err)
	}
	return since, nil
}

// historic reports whether d's newest report predates rule (with a minute's
// grace for clocks of other machines); a deal without a time is not.
func (s *Stage) historic(rule string, d news.DealRecord) bool {
	return !d.UpdatedAt.IsZero() && d.UpdatedAt.Before(s.since[rule].Add(-time.Minute))
}

func (s *Stage) newSink(sc SinkConfig) sinkSender {
	switch sc.Type {
	case SinkWebhook:
		return newWebhook(sc, s.opts.HTTPClient)
	case SinkEmail:
		return newEmail(sc, s.opts.Now)
	case SinkNATS:
		return &natsSink{js: s.js, subject: sc.Subject}
	case SinkAtom:
		return s.feeds
	default:
		return logSink{logger: s.logger}
	}
}

// EnsureStream creates or updates the ALERTS stream.
func EnsureStream(ctx context.Context, js jetstream.JetStream, cfg bus.Config) error {
	cfg = cfg.WithDefaults()
	err := bus.EnsureStream(ctx, js, jetstream.StreamConfig{
		Name:        StreamSend,
		Subjects:    []string{sendSubjects},
		Description: "alerts waiting for delivery, one message per alert and sink",
		Storage:     jetstream.FileStorage,
		Replicas:    cfg.Replicas,
		Duplicates:  cfg.DuplicateWindow,
		MaxAge:      cfg.MaxAge,
	})
	if err != nil {
		return fmt.Errorf("alerts: %w", err)
	}
	return nil
}

// Rules returns the compiled rules.
func (s *Stage) Rules() []*Rule { return s.rules }

// Feeds returns the Atom feeds the stage writes.
func (s *Stage) Feeds() *Feeds { return s.feeds }

// Run consumes DEALS (durable "alerts") and ALERTS (durable "alerts_send")
// until ctx ends; each consumer settles what it holds before Run returns.
// Any number of replicas may run on the same durables.
func (s *Stage) Run(ctx context.Context) error {
	probe := func(ctx context.Context) error { _, err := s.js.AccountInfo(ctx); return err }
	eval, err := bus.NewConsumer(ctx, s.js, s.opts.NATS, bus.Stage{
		Name: StageEvaluate, Stream: news.StreamDeals, Durable: StageEvaluate, Workers: s.cfg.Workers, Probe: probe,
	}, s.logger, s.opts.Registerer)
	if err != nil {
		return err
	}
	send, err := bus.NewConsumer(ctx, s.js, s.opts.NATS, bus.Stage{
		Name: StageSend, Stream: StreamSend, Durable: StageSend, Workers: s.cfg.SendWorkers, Probe: probe,
	}, s.logger, s.opts.Registerer)
	if err != nil {
		return err
	}
	s.logger.Info("alerts stage running", "rules", len(s.rules), "workers", s.cfg.Workers, "send_workers", s.cfg.SendWorkers)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return eval.Run(gctx, s.HandleDeal) })
	g.Go(func() error { return send.Run(gctx, s.HandleSend) })
	return g.Wait()
}

// HandleDeal evaluates every rule on the deal record in msg and, for each
// rule that matches, decides whether an alert is due (a new deal, or an
// update worth telling) and enqueues its deliveries. It returns after every
// PubAck, so the message is acked only once its alerts are durable.
func (s *Stage) HandleDeal(ctx context.Context, msg jetstream.Msg) error {
	var d news.DealRecord
	if err := json.Unmarshal(msg.Data(), &d); err != nil {
		return news.Permanent(fmt.Errorf("decoding deal record: %w", err))
	}
	if d.ID == "" {
		return news.Permanent(errors.New("decoding deal record: no id"))
	}
	return s.Evaluate(ctx, d)
}

// Evaluate runs every rule on d (after reading its current state, see
// [Options.Current]).
func (s *Stage) Evaluate(ctx context.Context, d news.DealRecord) error {
	if s.opts.Current != nil {
		cur, err := s.opts.Current(ctx, d)
		if err != nil {
			return fmt.Errorf("reading current state of deal %s: %w", d.ID, err)
		}
		d = cur
	}
	if d.Deleted {
		return nil
	}
	for _, r := range s.rules {
		if !r.Match(d) {
			continue
		}
		if err := s.decide(ctx, r, d); err != nil {
			return fmt.Errorf("alerts rule %s, deal %s: %w", r.Name(), d.ID, err)
		}
	}
	return nil
}

// decide updates the state of rule r and deal d with compare-and-set and
// enqueues the alert it calls for, if any. Replicas racing on one deal
// converge: the loser of a compare-and-set re-reads and finds nothing new.
func (s *Stage) decide(ctx context.Context, r *Rule, d news.DealRecord) error {
	key := stateKey(r.Name(), d.ID)
	f := factsOf(d)
	for attempt := 1; ; attempt++ {
		var st state
		rev, err := getJSON(ctx, s.state, key, &st)
		if err != nil {
			return err
		}
		changed := false
		if rev == 0 {
			prev, err := s.previous(ctx, r.Name(), d)
			if err != nil {
				return err
			}
			if prev != nil {
				// The resolver gave the deal a new id: continue its thread.
				st = *prev
				st.DealID = d.ID
				if ch := changes(prev.Facts, f); len(ch) > 0 {
					st.Version++
					st.Alert = newAlert(r.Name(), st.Thread, st.Version, kindOf(st.Version), ch, d, s.opts.Now())
					st.Enqueued = false
				}
			} else if s.historic(r.Name(), d) {
				// Remembered, not told: version 0 has no alert.
				st = state{V: news.SchemaVersion, Rule: r.Name(), DealID: d.ID, Thread: d.ID, Enqueued: true}
			} else {
				st = state{V: news.SchemaVersion, Rule: r.Name(), DealID: d.ID, Thread: d.ID, Version: 1}
				st.Alert = newAlert(r.Name(), d.ID, 1, KindNew, nil, d, s.opts.Now())
			}
			st.Facts = f
			changed = true
		} else if ch := changes(st.Facts, f); len(ch) > 0 {
			st.Version++
			st.Alert = newAlert(r.Name(), st.Thread, st.Version, kindOf(st.Version), ch, d, s.opts.Now())
			st.Facts, st.Enqueued, changed = f, false, true
		} else if !factsEqual(st.Facts, f) {
			st.Facts, changed = f, true // e.g. a source withdrawn: remembered, not told
		}
		if changed {
			err := casJSON(ctx, s.state, key, rev, st)
			if bus.IsConflict(err) && attempt < maxCASAttempts {
				if err := bus.PauseBeforeRetry(ctx, attempt); err != nil {
					return err
				}
				continue
			}
			if err != nil {
				return err
			}
			if st.Alert.Version == st.Version && !st.Enqueued {
				s.metrics.decided.WithLabelValues(r.Name(), st.Alert.Kind).Inc()
				s.logger.Info("alert decided", "rule", r.Name(), "alert_id", st.Alert.ID, "kind", st.Alert.Kind, "deal_id", d.ID)
			}
		}
		if err := s.rememberSources(ctx, r.Name(), d); err != nil {
			return err
		}
		if st.Enqueued {
			return nil
		}
		if err := s.enqueue(ctx, r, st.Alert); err != nil {
			return err
		}
		err = update(ctx, s.state, key, func(cur *state) bool {
			if cur.Version != st.Version || cur.Enqueued {
				return false // a newer alert took over; its own handler enqueues it
			}
			cur.Enqueued = true
			return true
		})
		return err
	}
}

// kindOf is the kind of the alert of a version: the first one told is new
// (version 1: a deal remembered silently as version 0 is told when it
// changes after the rule started).
func kindOf(version int) string {
	if version == 1 {
		return KindNew
	}
	return KindUpdate
}

func factsEqual(a, b facts) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// previous returns the state of the thread one of d's sources (an article's
// deal) belonged to under another deal id of the same company, or nil.
func (s *Stage) previous(ctx context.Context, rule string, d news.DealRecord) (*state, error) {
	for _, src := range d.Sources {
		k := sourceKey(rule, src)
		e, err := s.state.Get(ctx, k)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", k, err)
		}
		other := string(e.Value())
		if other == d.ID {
			continue
		}
		var st state
		rev, err := getJSON(ctx, s.state, stateKey(rule, other), &st)
		if err != nil {
			return nil, err
		}
		if rev != 0 && company.Key(st.Facts.Company) != "" && firstWord(company.Key(st.Facts.Company)) == firstWord(company.Key(d.Company)) {
			return &st, nil
		}
	}
	return nil, nil
}

func firstWord(s string) string {
	w, _, _ := strings.Cut(s, " ")
	return w
}

// rememberSources maps each source article of d to d's id, so that the deal
// under a later id finds its thread.
func (s *Stage) rememberSources(ctx context.Context, rule string, d news.DealRecord) error {
	for _, src := range d.Sources {
		k := sourceKey(rule, src)
		if e, err := s.state.Get(ctx, k); err == nil && string(e.Value()) == d.ID {
			continue
		}
		if _, err := s.state.PutString(ctx, k, d.ID); err != nil {
			return fmt.Errorf("writing %s: %w", k, err)
		}
	}
	return nil
}

// enqueue publishes one delivery of a per sink of r. The message id is the
// alert id and the sink, so a repeat inside the duplicate window is dropped.
func (s *Stage) enqueue(ctx context.Context, r *Rule, a Alert) error {
	for _, sc := range r.Config.Sinks {
		msgID := a.ID + "/" + sc.Name
		if _, err := bus.Publish(ctx, s.js, sendSubject(r.Name(), sc.Name), msgID, delivery{V: news.SchemaVersion, Sink: sc.Name, Alert: a}); err != nil {
			return err
		}
	}
	return nil
}

// HandleSend delivers the alert in msg to its sink, once: a sink that
// already delivered this version of the thread is skipped. Versions may
// reach a sink out of order when deliveries are retried; they carry their
// number.
// A failure is retried with backoff; after the sink's max_deliveries, or at
// once when retrying cannot help, it is returned as permanent and the
// message goes to dealwire.dead.alerts_send with its reason. Each sink has
// its own message, so one failing sink never holds up or repeats another.
func (s *Stage) HandleSend(ctx context.Context, msg jetstream.Msg) error {
	var dl delivery
	if err := json.Unmarshal(msg.Data(), &dl); err != nil {
		return news.Permanent(fmt.Errorf("decoding alert delivery: %w", err))
	}
	a := dl.Alert
	rc, ok := s.cfg.Rule(a.Rule)
	i := slices.IndexFunc(rc.Sinks, func(sc SinkConfig) bool { return sc.Name == dl.Sink })
	if !ok || i < 0 {
		s.logger.Warn("alert for a rule or sink no longer configured; dropped", "rule", a.Rule, "sink", dl.Sink, "alert_id", a.ID)
		s.metrics.failures.WithLabelValues(a.Rule, dl.Sink, "unconfigured").Inc()
		return nil
	}
	sc := rc.Sinks[i]
	sk := sentKey(a.Rule, a.Thread, dl.Sink, a.Version)
	var done sent
	rev, err := getJSON(ctx, s.state, sk, &done)
	if err != nil {
		return err
	}
	if rev != 0 {
		s.logger.Debug("alert already delivered", "rule", a.Rule, "sink", dl.Sink, "alert_id", a.ID)
		return nil
	}
	var attempt uint64 = 1
	if md, err := msg.Metadata(); err == nil {
		attempt = md.NumDelivered
	}
	err = s.sinks[a.Rule][dl.Sink].Send(ctx, a)
	if err != nil {
		err = fmt.Errorf("sending alert %s to sink %s (%s) of rule %s: %w", a.ID, dl.Sink, sc.Type, a.Rule, err)
		if !news.IsPermanent(err) && attempt < uint64(sc.MaxDeliveries) {
			s.metrics.failures.WithLabelValues(a.Rule, dl.Sink, "retry").Inc()
			return err
		}
		if !news.IsPermanent(err) {
			err = news.Permanent(fmt.Errorf("%w (delivery %d of max_deliveries %d)", err, attempt, sc.MaxDeliveries))
		}
		s.metrics.failures.WithLabelValues(a.Rule, dl.Sink, "dead").Inc()
		now := s.opts.Now().UTC()
		if uerr := update(ctx, s.state, lastKey(a.Rule, dl.Sink), func(ls *LastSent) bool {
			ls.Rule, ls.Sink, ls.Error, ls.ErrorAt = a.Rule, dl.Sink, err.Error(), now
			return true
		}); uerr != nil {
			s.logger.Warn("recording a sink failure", "rule", a.Rule, "sink", dl.Sink, "error", uerr)
		}
		return err
	}
	s.metrics.sent.WithLabelValues(a.Rule, dl.Sink).Inc()
	now := s.opts.Now().UTC()
	// A crash between the send and these writes sends the alert again on
	// redelivery: receivers can drop the repeat by its alert id.
	if err := casJSON(ctx, s.state, sk, 0, sent{AlertID: a.ID, At: now}); err != nil && !bus.IsConflict(err) {
		return fmt.Errorf("recording delivery of alert %s to sink %s: %w", a.ID, dl.Sink, err)
	}
	if err := update(ctx, s.state, lastKey(a.Rule, dl.Sink), func(ls *LastSent) bool {
		ls.Rule, ls.Sink, ls.AlertID, ls.Kind, ls.Summary, ls.At = a.Rule, dl.Sink, a.ID, a.Kind, a.Summary, now
		ls.Sent++
		return true
	}); err != nil {
		s.logger.Warn("recording what a sink sent last", "rule", a.Rule, "sink", dl.Sink, "error", err)
	}
	s.logger.Debug("alert delivered", "rule", a.Rule, "sink", dl.Sink, "alert_id", a.ID)
	return nil
}

// metrics of the alerts stages.
type metrics struct {
	decided  *prometheus.CounterVec
	sent     *prometheus.CounterVec
	failures *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		decided: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dealwire_alerts_decided_total",
			Help: "Alerts decided by rule and kind (new, update): each is then delivered to every sink of the rule.",
		}, []string{"rule", "kind"}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dealwire_alerts_sent_total",
			Help: "Alerts delivered, by rule and sink.",
		}, []string{"rule", "sink"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dealwire_alerts_failures_total",
			Help: "Failed alert deliveries, by rule, sink and result (retry; dead: sent to dealwire.dead.alerts_send; unconfigured: the rule or sink was removed).",
		}, []string{"rule", "sink", "result"}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []**prometheus.CounterVec{&m.decided, &m.sent, &m.failures} {
		if err := reg.Register(*c); err != nil {
			var are prometheus.AlreadyRegisteredError
			if !errors.As(err, &are) {
				return nil, fmt.Errorf("registering alert metrics: %w", err)
			}
			existing, ok := are.ExistingCollector.(*prometheus.CounterVec)
			if !ok {
				return nil, fmt.Errorf("registering alert metrics: %w", err)
			}
			*c = existing
		}
	}
	return m, nil
}
