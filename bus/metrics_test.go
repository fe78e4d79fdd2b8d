package bus

import (
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/model"

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
	}
	checkNames(t, rec.names, reg)

	want := map[string]bool{MetricMessages: false, MetricPanics: false, MetricReplayed: false, MetricPaused: false,
		MetricStoreProbes: false}
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
