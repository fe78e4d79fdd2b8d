package elastic

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	items    *prometheus.CounterVec
	duration prometheus.Histogram
}

// newMetrics registers the store's metrics with reg (none when nil). A
// second store on the same registry shares the first one's collectors.
func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		items: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dealwire_index_bulk_items_total",
			Help: "Documents sent to Elasticsearch by outcome: ok, retry (429, 5xx, network) or dead (other 4xx).",
		}, []string{"result"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "dealwire_index_bulk_duration_seconds",
			Help:    "Time of one Elasticsearch bulk request.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2, 12),
		}),
	}
	if reg == nil {
		return m, nil
	}
	if err := reg.Register(m.items); err != nil {
		var are prometheus.AlreadyRegisteredError
		if !errors.As(err, &are) {
			return nil, err
		}
		m.items = are.ExistingCollector.(*prometheus.CounterVec)
	}
	if err := reg.Register(m.duration); err != nil {
		var are prometheus.AlreadyRegisteredError
		if !errors.As(err, &are) {
			return nil, err
		}
		m.duration = are.ExistingCollector.(prometheus.Histogram)
	}
	return m, nil
}
