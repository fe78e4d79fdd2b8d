package obs

import (
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// NewRegistry returns a registry with the Go runtime and process
// collectors: one per process, passed to every stage's constructor.
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// Register registers col with reg (when not nil) and returns it, or the
// collector of the same type already registered under its name, so two
// constructors in one process share one family.
func Register[C prometheus.Collector](reg prometheus.Registerer, col C) (C, error) {
	if reg == nil {
		return col, nil
	}
	if err := reg.Register(col); err != nil {
		var are prometheus.AlreadyRegisteredError
		if !errors.As(err, &are) {
			return col, fmt.Errorf("registering metrics: %w", err)
		}
		existing, ok := are.ExistingCollector.(C)
		if !ok {
			return col, fmt.Errorf("registering metrics: a collector of another type holds the name: %w", err)
		}
		return existing, nil
	}
	return col, nil
}
