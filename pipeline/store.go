package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/config"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/elastic"
	"github.com/dealwire/dealwire/index/sqlite"
)

// Store is the index of records and of resolved deals; both backends are
// both.
type Store interface {
	index.Store
	index.DealStore
}

// OpenStore opens the configured index: Elasticsearch when
// elasticsearch.urls is set, the embedded SQLite index under data_dir
// otherwise. Both convert with the process's FX table ([config.Config.FXTable]);
// their metrics go to reg when it is not nil.
func OpenStore(ctx context.Context, c *config.Config, logger *slog.Logger, reg prometheus.Registerer) (Store, error) {
	rates, err := c.FXTable()
	if err != nil {
		return nil, err
	}
	c.Elasticsearch.Rates, c.SQLite.Rates = rates, rates
	if c.UseElasticsearch() {
		return elastic.New(ctx, c.Elasticsearch, logger, reg)
	}
	if err := os.MkdirAll(c.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating data directory: %w", err)
	}
	st, err := sqlite.Open(ctx, c.SQLite, logger)
	if err != nil || reg == nil {
		return st, err
	}
	if err := st.RegisterMetrics(reg); err != nil {
		st.Close()
		return nil, fmt.Errorf("registering metrics of the sqlite index: %w", err)
	}
	return st, nil
}

// CloseStore closes store, logging a failure: at shutdown there is nobody
// left to return it to.
func CloseStore(store index.Store, logger *slog.Logger) {
	if err := store.Close(); err != nil {
		logger.Warn("closing index", "error", err)
	}
}
