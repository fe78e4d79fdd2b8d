package bus

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/model"

	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/news"
)

// describedNames records the name of every descriptor a collector
// registered on it describes, so families that have no series yet (a
// CounterVec nobody incremented) are checked too.
type describedNames struct {
	prometheus.Registerer
	names []string
}

func (d *describedNames) Register(c prometheus.Collector) error {
	ch := make(chan *prometheus.Desc)
	go func() { c.Describe(ch); close(ch) }()
	for desc := range ch {
		d.names = append(d.names, descName(desc))
	}
	return d.Registerer.Register(c)
}

func (d *describedNames) MustRegister(cs ...prometheus.Collector) {
	for _, c := range cs {
		if err := d.Register(c); err != nil {
			panic(err)
		}
	}
}

// descName is the fqName of desc, which Desc shows only in its String.
func descName(desc *prometheus.Desc) string {
	s := desc.String()
	_, rest, ok := strings.Cut(s, "fqName: ")
	if !ok {
		return s
	}
	q, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return s
	}
	name, _ := strconv.Unquote(q)
	return name
}

// checkNames fails t for every family name or label name in reg (and
// every described name) that the classic Prometheus scheme rejects: a
// hyphen passes client_golang's UTF-8 default but breaks PromQL selectors
// and older scrapers.
func checkNames(t *testing.T, described []string, reg prometheus.Gatherer) {
	t.Helper()
	for _, name := range described {
		if !model.LegacyValidation.IsValidMetricName(name) {
			t.Errorf("described metric name %q is not a valid Prometheus name", name)
		}
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if !model.LegacyValidation.IsValidMetricName(mf.GetName()) {
			t.Errorf("metric name %q is not a valid Prometheus name", mf.GetName())
		}
		for _, m := range mf.GetMetric() {
			for _, lp := range m.GetLabel() {
				if !model.LegacyValidation.IsValidLabelName(lp.GetName()) {
					t.Errorf("metric %s: label name %q is not valid", mf.GetName(), lp.GetName())
				}
			}
		}
	}
}

func TestDescNameParsesHyphens(t *testing.T) {
	desc := prometheus.NewDesc("dealwire_index-deals_messages_total", "h", nil, nil)
	if got := descName(desc); got != "dealwire_index-deals_messages_total" {
		t.Fatalf("descName = %q", got)
	}
	if model.LegacyValidation.IsValidMetricName(descName(desc)) {
		t.Fatal("a hyphenated name passes the check: the test below would prove nothing")
	}
}

// TestStageMetricNamesAreValid builds the consumers of every consuming
// stage dealwire runs (names with hyphens and underscores included),
// drives each series once, and checks every name it exports.
func TestStageMetricNamesAreValid(t *testing.T) {
	js, cfg := setup(t)
	reg := prometheus.NewRegistry()
	rec := &describedNames{Registerer: reg}
	stages := []Stage{
		{Name: "extract", Stream: news.StreamArticles, Durable: "extract"},
		{Name: "index", Stream: news.StreamRecords, Durable: "index"},
		{Name: "index-deals", Stream: news.StreamDeals, Durable: "index-deals"},
		{Name: "alerts", Stream: news.StreamDeals, Durable: "alerts"},
		{Name: "alerts_send", Stream: news.StreamDeals, Durable: "alerts_send"},
	}
	for _, st := range stages {
		c, err := NewConsumer(t.Context(), js, cfg, st, nil, rec)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range []string{"ack", "retry", "dead"} {
			c.settled.WithLabelValues(r).Inc()
			c.replayed.WithLabelValues(r).Inc()
		}
		c.panics.Inc()
		c.breaker.paused.Set(1)
		c.breaker.probes.WithLabelValues("ok").Inc()
		c.counts.Failed.Inc()
	}
	checkNames(t, rec.names, reg)

	want := map[string]bool{MetricMessages: false, MetricPanics: false, MetricReplayed: false, MetricPaused: false,
		MetricStoreProbes: false, MetricConsumerPending: false, MetricConsumerAckPending: false,
		MetricConsumerRedelivered: false, MetricConsumerInfoSuccess: false, "dealwire_stage_failed_total": false}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if _, ok := want[mf.GetName()]; ok {
			want[mf.GetName()] = true
		}
	}
	for name, seen := range want {
		if !seen {
			t.Errorf("%s not gathered", name)
		}
	}
	const settled = `
# HELP dealwire_stage_messages_total Messages settled by a consuming stage, by result (ack, retry, dead).
# TYPE dealwire_stage_messages_total counter
`
	var series strings.Builder
	series.WriteString(settled)
	for _, st := range []string{"alerts", "alerts_send", "extract", "index", "index-deals"} {
		for _, r := range []string{"ack", "dead", "retry"} {
			series.WriteString(`dealwire_stage_messages_total{result="` + r + `",stage="` + st + `"} 1` + "\n")
		}
	}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(series.String()), MetricMessages); err != nil {
		t.Error(err)
	}
}

// TestLagCollector publishes to a stream, lets a consumer hold some
// messages unacked and redeliver one, and reads the lag from a scrape.
func TestLagCollector(t *testing.T) {
	srv := bustest.NewServer(t)
	nc, js := bustest.Connect(t, srv)
	if err := EnsureStreams(t.Context(), js, testConfig()); err != nil {
		t.Fatal(err)
	}
	cons, err := js.CreateOrUpdateConsumer(t.Context(), news.StreamArticles, jetstream.ConsumerConfig{
		Durable: "lagging", AckPolicy: jetstream.AckExplicitPolicy, AckWait: time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	// Take 3: ack one, nak one (it is redelivered), hold one. The other 7
	// are published after the redelivery: the server takes a nak
	// asynchronously, so with more messages in the stream the next fetch
	// could get a new one before the nak'ed one.
	publishN(t, js, 3, "l")
	batch, err := cons.Fetch(3, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var got []jetstream.Msg
	for m := range batch.Messages() {
		got = append(got, m)
	}
	if len(got) != 3 {
		t.Fatalf("fetched %d messages, want 3", len(got))
	}
	if err := got[0].DoubleAck(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := got[1].Nak(); err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	again, err := cons.Fetch(1, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	redelivered := 0
	for m := range again.Messages() {
		if md, _ := m.Metadata(); md == nil || md.NumDelivered != 2 {
			t.Fatalf("expected the nak'ed message redelivered, got %+v", md)
		}
		redelivered++
	}
	if redelivered != 1 {
		t.Fatalf("fetched %d messages after the nak, want the nak'ed one", redelivered)
	}

	publishN(t, js, 7, "m")

	lag := NewLagCollector(js, 0, nil)
	lag.Watch(news.StreamArticles, "lagging")
	lag.Watch(news.StreamArticles, "lagging") // once only
	lag.Watch(news.StreamArticles, "missing")
	reg := prometheus.NewRegistry()
	reg.MustRegister(lag)
	want := `
# HELP dealwire_consumer_ack_pending_messages Messages delivered to the consumer and not yet acknowledged (in flight, bounded by MaxAckPending).
# TYPE dealwire_consumer_ack_pending_messages gauge
dealwire_consumer_ack_pending_messages{consumer="lagging",stream="ARTICLES"} 2
# HELP dealwire_consumer_info_success 1 when the consumer's info was read in this scrape, 0 when it failed (the lag series are then absent).
# TYPE dealwire_consumer_info_success gauge
dealwire_consumer_info_success{consumer="lagging",stream="ARTICLES"} 1
dealwire_consumer_info_success{consumer="missing",stream="ARTICLES"} 0
# HELP dealwire_consumer_pending_messages Messages of the stream the durable consumer has not delivered yet (its backlog).
# TYPE dealwire_consumer_pending_messages gauge
dealwire_consumer_pending_messages{consumer="lagging",stream="ARTICLES"} 7
# HELP dealwire_consumer_redelivered_messages Messages delivered more than once and not yet acknowledged.
# TYPE dealwire_consumer_redelivered_messages gauge
dealwire_consumer_redelivered_messages{consumer="lagging",stream="ARTICLES"} 1
`
	// The server updates a consumer's counts asynchronously after an ack,
	// a nak or a delivery: scrape until they settle, up to a deadline.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if err = testutil.GatherAndCompare(reg, strings.NewReader(want)); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Error(err)
	}
}

// TestLagCollectorAnswersWhenNATSIsGone: a scrape while the server is down
// returns within the timeout, with the consumer marked unread.
func TestLagCollectorAnswersWhenNATSIsGone(t *testing.T) {
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	if err := EnsureStreams(t.Context(), js, testConfig()); err != nil {
		t.Fatal(err)
	}
	if _, err := js.CreateOrUpdateConsumer(t.Context(), news.StreamArticles, jetstream.ConsumerConfig{Durable: "c", AckPolicy: jetstream.AckExplicitPolicy}); err != nil {
		t.Fatal(err)
	}
	lag := NewLagCollector(js, 200*time.Millisecond, nil)
	lag.Watch(news.StreamArticles, "c")
	reg := prometheus.NewRegistry()
	reg.MustRegister(lag)
	srv.Shutdown()
	srv.WaitForShutdown()
	want := `
# HELP dealwire_consumer_info_success 1 when the consumer's info was read in this scrape, 0 when it failed (the lag series are then absent).
# TYPE dealwire_consumer_info_success gauge
dealwire_consumer_info_success{consumer="c",stream="ARTICLES"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want)); err != nil {
		t.Error(err)
	}
}

// TestReadyCheck: Ready passes against a live server and fails once it
// stops.
func TestReadyCheck(t *testing.T) {
	srv := bustest.NewServer(t)
	nc, _ := bustest.Connect(t, srv)
	check := Ready(nc)
	if err := check(t.Context()); err != nil {
		t.Fatalf("ready against a live server: %v", err)
	}
	srv.Shutdown()
	srv.WaitForShutdown()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	if err := check(ctx); err == nil {
		t.Fatal("ready after the server stopped, want an error")
	}
}

// TestConsumerCountsItsStage: the consumer counts the messages it fetched,
// the failures and the dead letters of its stage in the obs families.
func TestConsumerCountsItsStage(t *testing.T) {
	js, cfg := setup(t)
	cfg.MaxDeliver = 1
	c, err := NewConsumer(t.Context(), js, cfg, Stage{Name: "index-deals", Stream: news.StreamArticles, Durable: "counted"}, nil, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	quick(c)
	publishN(t, js, 2, "c")
	runUntil(t, c, func(_ context.Context, m jetstream.Msg) error {
		if msgID(m) == "c001" {
			return news.Permanent(errors.New("mapping rejected"))
		}
		return nil
	}, func() bool {
		return testutil.ToFloat64(c.counts.DeadLettered) >= 1 && testutil.ToFloat64(c.settled.WithLabelValues("ack")) >= 1
	})
	for name, tt := range map[string]struct {
		c    prometheus.Counter
		want float64
	}{"fetched": {c.counts.Fetched, 2}, "failed": {c.counts.Failed, 1}, "dead_lettered": {c.counts.DeadLettered, 1}} {
		if got := testutil.ToFloat64(tt.c); got != tt.want {
			t.Errorf("%s = %v, want %v", name, got, tt.want)
		}
	}
}
