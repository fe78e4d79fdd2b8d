package obs

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Stage counter families, all labelled by stage. A stage counts what it
// does; the bus consumer counts fetched, failed and dead-lettered messages
// for every consuming stage itself.
const (
	MetricFetched      = "dealwire_stage_fetched_total"
	MetricPublished    = "dealwire_stage_published_total"
	MetricExtracted    = "dealwire_stage_extracted_total"
	MetricIndexed      = "dealwire_stage_indexed_total"
	MetricFailed       = "dealwire_stage_failed_total"
	MetricDeadLettered = "dealwire_stage_dead_lettered_total"
)

// StageMetrics are the per-stage item counters. Construct them with
// [NewStageMetrics] and take one stage's with [StageMetrics.For].
type StageMetrics struct {
	fetched, published, extracted, indexed, failed, deadLettered *prometheus.CounterVec
}

// StageCounters are one stage's counters. Fields a stage has no use for
// stay at zero (the extract stage indexes nothing).
type StageCounters struct {
	// Fetched counts items the stage took in: messages fetched from its
	// stream, or, for the fetch stage, article pages fetched.
	Fetched prometheus.Counter
	// Published counts messages the stage published and JetStream acked.
	Published prometheus.Counter
	// Extracted counts articles the extractor ran on.
	Extracted prometheus.Counter
	// Indexed counts documents (records, deals) the store accepted.
	Indexed prometheus.Counter
	// Failed counts items whose handling returned an error (retried or
	// dead-lettered).
	Failed prometheus.Counter
	// DeadLettered counts items published to dealwire.dead.<stage>.
	DeadLettered prometheus.Counter
}

// NewStageMetrics registers the stage counters on reg (none when nil);
// a second call on the same registry shares the first one's families.
func NewStageMetrics(reg prometheus.Registerer) (*StageMetrics, error) {
	vec := func(name, help string) (*prometheus.CounterVec, error) {
		return Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, []string{"stage"}))
	}
	m := &StageMetrics{}
	for _, f := range []struct {
		dst        **prometheus.CounterVec
		name, help string
	}{
		{&m.fetched, MetricFetched, "Items a stage took in: messages fetched from its stream, or article pages the fetch stage fetched."},
		{&m.published, MetricPublished, "Messages a stage published and JetStream acknowledged."},
		{&m.extracted, MetricExtracted, "Articles the extractor ran on."},
		{&m.indexed, MetricIndexed, "Documents (records, deals) a stage's store accepted."},
		{&m.failed, MetricFailed, "Items whose handling failed, retried or dead-lettered."},
		{&m.deadLettered, MetricDeadLettered, "Items a stage published to dealwire.dead.<stage>."},
	} {
		v, err := vec(f.name, f.help)
		if err != nil {
			return nil, err
		}
		*f.dst = v
	}
	return m, nil
}

// For returns the counters of stage. The series exist (at zero) from this
// call on, so a rate() over a stage that has done nothing yet is 0, not
// absent.
func (m *StageMetrics) For(stage string) StageCounters {
	return StageCounters{
		Fetched:      m.fetched.WithLabelValues(stage),
		Published:    m.published.WithLabelValues(stage),
		Extracted:    m.extracted.WithLabelValues(stage),
		Indexed:      m.indexed.WithLabelValues(stage),
		Failed:       m.failed.WithLabelValues(stage),
		DeadLettered: m.deadLettered.WithLabelValues(stage),
	}
}

// MetricExtractDuration is the extraction time histogram's name.
const MetricExtractDuration = "dealwire_extract_duration_seconds"

// ExtractMetrics are the extract stage's timing.
type ExtractMetrics struct {
	// Duration observes the seconds one article's extraction took (the
	// extractor alone, not decoding or publishing).
	Duration prometheus.Histogram
}

// extractBuckets span a short news item (well under a millisecond) to
// the hostile-input bound of a text of thousands of figures (seconds).
var extractBuckets = prometheus.ExponentialBuckets(0.0005, 2.5, 12) // 0.5ms .. 12s

// NewExtractMetrics registers the extraction histogram on reg (none when nil).
func NewExtractMetrics(reg prometheus.Registerer) (*ExtractMetrics, error) {
	h, err := Register(reg, prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    MetricExtractDuration,
		Help:    "Time to extract the facts of one article.",
		Buckets: extractBuckets,
	}))
	if err != nil {
		return nil, err
	}
	return &ExtractMetrics{Duration: h}, nil
}

// Bulk write histogram names, labelled by backend (elasticsearch, sqlite)
// and kind (records, deals).
const (
	MetricBulkDuration  = "dealwire_index_bulk_duration_seconds"
	MetricBulkDocuments = "dealwire_index_bulk_documents"
)

// Backend and kind label values of [BulkMetrics].
const (
	BackendElasticsearch = "elasticsearch"
	BackendSQLite        = "sqlite"
	KindRecords          = "records"
	KindDeals            = "deals"
)

// BulkMetrics time and size the index writers' bulk writes: one
// Elasticsearch _bulk request, or one SQLite transaction.
type BulkMetrics struct {
	duration *prometheus.HistogramVec
	docs     *prometheus.HistogramVec
}

var (
	// bulkDurationBuckets: a small SQLite transaction takes milliseconds,
	// a large Elasticsearch bulk under load seconds.
	bulkDurationBuckets = prometheus.ExponentialBuckets(0.005, 2, 12) // 5ms .. 10s
	// bulkDocBuckets cover one document up to index.batch and past it.
	bulkDocBuckets = []float64{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000}
)

// NewBulkMetrics registers the bulk histograms on reg (none when nil).
func NewBulkMetrics(reg prometheus.Registerer) (*BulkMetrics, error) {
	d, err := Register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    MetricBulkDuration,
		Help:    "Time of one bulk write: an Elasticsearch _bulk request or a SQLite transaction.",
		Buckets: bulkDurationBuckets,
	}, []string{"backend", "kind"}))
	if err != nil {
		return nil, err
	}
	n, err := Register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    MetricBulkDocuments,
		Help:    "Documents in one bulk write.",
		Buckets: bulkDocBuckets,
	}, []string{"backend", "kind"}))
	if err != nil {
		return nil, err
	}
	return &BulkMetrics{duration: d, docs: n}, nil
}

// Observe records one bulk write of docs documents that took d. A nil m
// records nothing, so a store built without metrics needs no branch.
func (m *BulkMetrics) Observe(backend, kind string, docs int, d time.Duration) {
	if m == nil {
		return
	}
	m.duration.WithLabelValues(backend, kind).Observe(d.Seconds())
	m.docs.WithLabelValues(backend, kind).Observe(float64(docs))
}
