package obs_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/model"

	"github.com/dealwire/dealwire/alerts"
	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/index/elastic"
	"github.com/dealwire/dealwire/index/sqlite"
	"github.com/dealwire/dealwire/ingest"
	"github.com/dealwire/dealwire/news"
	"github.com/dealwire/dealwire/obs"
)

// describing records the name of every descriptor a registered collector
// describes, so families without a series yet are checked too.
type describing struct {
	prometheus.Registerer
	names []string
}

func (d *describing) Register(c prometheus.Collector) error {
	ch := make(chan *prometheus.Desc)
	go func() { c.Describe(ch); close(ch) }()
	for desc := range ch {
		d.names = append(d.names, descName(desc))
	}
	return d.Registerer.Register(c)
}

func (d *describing) MustRegister(cs ...prometheus.Collector) {
	for _, c := range cs {
		if err := d.Register(c); err != nil {
			panic(err)
		}
	}
}

// descName is the fqName of desc, which Desc shows only in its String.
func descName(desc *prometheus.Desc) string {
	s := desc.String()
	_, rest, _ := strings.Cut(s, "fqName: ")
	q, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return s
	}
	name, _ := strconv.Unquote(q)
	return name
}

// TestEveryMetricNameIsValid builds the collectors of every part of a
// dealwire process (all consuming stages, the fetch stage, alerts, both
// index backends, the obs families, the Go and process collectors) on one
// registry and checks every family and label name with the classic
// Prometheus scheme, which rejects the hyphen client_golang's UTF-8
// default lets through. Elasticsearch takes part when DEALWIRE_ES_URL is
// set (it must be under CI).
func TestEveryMetricNameIsValid(t *testing.T) {
	reg := obs.NewRegistry()
	rec := &describing{Registerer: reg}
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	ncfg := bus.Config{}.WithDefaults()
	if err := bus.EnsureStreams(t.Context(), js, ncfg); err != nil {
		t.Fatal(err)
	}

	if _, err := ingest.NewPoller(ingest.DefaultConfig(), js, nil, rec); err != nil {
		t.Fatal(err)
	}
	if _, err := alerts.New(t.Context(), js, alerts.Config{}, alerts.Options{NATS: ncfg, Registerer: rec}); err != nil {
		t.Fatal(err)
	}
	for _, st := range []bus.Stage{
		{Name: "extract", Stream: news.StreamArticles, Durable: "extract"},
		{Name: "index", Stream: news.StreamRecords, Durable: "index"},
		{Name: "index-deals", Stream: news.StreamDeals, Durable: "index-deals"},
		{Name: alerts.StageEvaluate, Stream: news.StreamDeals, Durable: alerts.StageEvaluate},
		{Name: alerts.StageSend, Stream: alerts.StreamSend, Durable: alerts.StageSend},
	} {
		if _, err := bus.NewConsumer(t.Context(), js, ncfg, st, nil, rec); err != nil {
			t.Fatal(err)
		}
	}
	store, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "index.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.RegisterMetrics(rec); err != nil {
		t.Fatal(err)
	}
	if u := os.Getenv("DEALWIRE_ES_URL"); u != "" {
		es, err := elastic.New(t.Context(), elastic.Config{URLs: []string{u}, Index: "dealwire-names-" + strconv.FormatInt(time.Now().UnixNano(), 36)}, nil, rec)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := es.Delete(ctx); err != nil {
				t.Errorf("deleting the test index: %v", err)
			}
			es.Close()
		})
	} else if os.Getenv("CI") == "true" {
		t.Fatal("DEALWIRE_ES_URL is not set and CI=true: the Elasticsearch store's metrics must be checked")
	}
	sm, err := obs.NewStageMetrics(rec)
	if err != nil {
		t.Fatal(err)
	}
	sm.For("fetch")
	if _, err := obs.NewExtractMetrics(rec); err != nil {
		t.Fatal(err)
	}

	if len(rec.names) < 20 {
		t.Fatalf("only %d metric families described: the registry was not built", len(rec.names))
	}
	for _, name := range rec.names {
		if !model.LegacyValidation.IsValidMetricName(name) {
			t.Errorf("metric name %q is not a valid Prometheus name", name)
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
	t.Logf("%d described families, %d gathered", len(rec.names), len(mfs))
}
