package elastic

import (
	"errors"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/obs"
)

type metrics struct {
	items *prometheus.CounterVec
	// bulk times and sizes each _bulk request (obs.MetricBulkDuration,
	// obs.MetricBulkDocuments), shared with the SQLite store's families.
	bulk *obs.BulkMetrics
}

// newMetrics registers the store's metrics with reg (none when nil). A
// second store on the same registry shares the first one's collectors.
func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		items: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dealwire_index_bulk_items_total",
			Help: "Documents sent to Elasticsearch by outcome: ok, retry (429, 5xx, network) or dead (other 4xx).",
		}, []string{"result"}),
	}
	var err error
	if m.bulk, err = obs.NewBulkMetrics(reg); err != nil {
		return nil, err
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
	return m, nil
}

// kind is the bulk metrics' kind label of a write to target: the deals
// index (or a version of it during a reindex), or records.
func (s *Store) kind(target string) string {
	if strings.HasPrefix(target, s.DealsIndex()) {
		return obs.KindDeals
	}
	return obs.KindRecords
}
