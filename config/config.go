package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/dealwire/dealwire/alerts"
	"github.com/dealwire/dealwire/api"
	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/deals"
	"github.com/dealwire/dealwire/dedup"
	"github.com/dealwire/dealwire/extractstage"
	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/elastic"
	"github.com/dealwire/dealwire/index/sqlite"
	"github.com/dealwire/dealwire/indexstage"
	"github.com/dealwire/dealwire/ingest"
	"github.com/dealwire/dealwire/obs"
)

// Config is the whole configuration file (configs/dealwire.yaml documents
// every field). Each part is the Config of the package that uses it.
type Config struct {
	// DataDir holds the embedded NATS store and the SQLite index.
	DataDir   string `yaml:"data_dir"`
	LogLevel  string `yaml:"log_level"`  // debug, info, warn, error
	LogFormat string `yaml:"log_format"` // text or json
	// FeedsFile is a feed list (format of configs/feeds.yaml) merged into ingest.feeds.
	FeedsFile     string              `yaml:"feeds_file"`
	NATS          bus.Config          `yaml:"nats"`
	Elasticsearch elastic.Config      `yaml:"elasticsearch"`
	SQLite        sqlite.Config       `yaml:"sqlite"`
	HTTP          api.Config          `yaml:"http"`
	Ingest        ingest.Config       `yaml:"ingest"`
	Extract       extractstage.Config `yaml:"extract"`
	Index         indexstage.Config   `yaml:"index"`
	// Search holds the defaults of searches from the API, the web page
	// and "dealwire search" (min_confidence).
	Search index.Config `yaml:"search"`
	// Alerts are the alert rules and their sinks (dealwire alerts).
	Alerts alerts.Config `yaml:"alerts"`
	// Deals tunes deal resolution: which reports are one deal.
	Deals deals.Config `yaml:"deals"`
	// Dedup tunes the near-duplicate index of the extract stage.
	Dedup dedup.Config `yaml:"dedup"`
	// Obs is where a stage process serves /metrics, /healthz and /readyz
	// (serve and run answer them on the API's address as well).
	Obs obs.Config `yaml:"obs"`

	// rates is the process's FX table, loaded on first use ([Config.FXTable]).
	rates *fx.Table
}

// Option changes the configuration after the file and the environment and
// before defaults and validation: a command's flags are options.
type Option func(*Config)

// Load reads the YAML file at path (none when path and $DEALWIRE_CONFIG are
// empty), applies DEALWIRE_* environment overrides, then opts, then merges
// feeds_file and sets defaults, and validates the result.
func Load(path string, opts ...Option) (*Config, error) {
	c := &Config{Ingest: ingest.DefaultConfig(), Search: index.DefaultConfig()}
	if path == "" {
		path = os.Getenv("DEALWIRE_CONFIG")
	}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("reading config: %w", err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		dec.KnownFields(true)
		if err := dec.Decode(c); err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("parsing config %s: %w", path, err)
		}
	}
	if err := applyEnv(c); err != nil {
		return nil, err
	}
	for _, o := range opts {
		o(c)
	}
	if c.FeedsFile != "" {
		feeds, err := ingest.LoadFeeds(c.FeedsFile)
		if err != nil {
			return nil, fmt.Errorf("loading feeds_file: %w", err)
		}
		c.Ingest.Feeds = append(c.Ingest.Feeds, feeds...)
	}
	c.SetDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.HTTP.Search = c.Search // the API applies the same defaults
	return c, nil
}

// SetDefaults fills what is unset: the log settings, the parts' own
// defaults, and the paths under data_dir. Every bucket is replicated like
// the streams (nats.replicas).
func (c *Config) SetDefaults() {
	if c.DataDir == "" {
		c.DataDir = "data"
	}
	if c.LogLevel == "" {
		c.LogLevel = "info"
	}
	if c.LogFormat == "" {
		c.LogFormat = "text"
	}
	c.NATS = c.NATS.WithDefaults()
	c.Ingest.StateReplicas = c.NATS.Replicas
	c.Deals.Replicas = c.NATS.Replicas
	c.Dedup.Replicas = c.NATS.Replicas
	if c.NATS.Embedded.StoreDir == "" {
		c.NATS.Embedded.StoreDir = filepath.Join(c.DataDir, "nats")
	}
	if c.SQLite.Path == "" {
		c.SQLite.Path = filepath.Join(c.DataDir, "dealwire.db")
	}
	c.HTTP = c.HTTP.WithDefaults()
	c.Extract = c.Extract.WithDefaults()
	c.Index = c.Index.WithDefaults()
	c.Alerts = c.Alerts.WithDefaults()
	c.Obs = c.Obs.WithDefaults()
}

// Validate checks every part and returns all that is wrong at once.
func (c *Config) Validate() error {
	var errs []error
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log_level %q: want debug, info, warn or error", c.LogLevel))
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("log_format %q: want text or json", c.LogFormat))
	}
	if err := c.NATS.Validate(); err != nil {
		errs = append(errs, err)
	}
	if c.UseElasticsearch() {
		if err := c.Elasticsearch.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("elasticsearch: %w", err))
		}
	}
	if err := c.HTTP.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.Search.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.Alerts.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.Ingest.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("ingest: %w", err))
	}
	if err := c.Deals.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.Obs.Validate(); err != nil {
		return err
	}
	if err := c.Dedup.Validate(); err != nil {
		errs = append(errs, err)
	}
	if c.Extract.Workers < 1 || c.Index.Workers < 1 || c.Index.Batch < 1 {
		errs = append(errs, errors.New("extract.workers, index.workers and index.batch must be at least 1"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("invalid configuration: %w", err)
	}
	return nil
}

// UseElasticsearch reports whether the index is Elasticsearch rather than
// the embedded SQLite index.
func (c *Config) UseElasticsearch() bool { return len(c.Elasticsearch.URLs) > 0 }

// FXTable returns the process's one FX table, loading it on the first
// call: the file of the configured index backend (sqlite.fx or
// elasticsearch.fx), else the shipped configs/fx.tsv. Records, alert
// thresholds, exports and the index's USD fields and filters all convert
// with it.
func (c *Config) FXTable() (*fx.Table, error) {
	if c.rates != nil {
		return c.rates, nil
	}
	path := c.SQLite.FX
	if c.UseElasticsearch() {
		path = c.Elasticsearch.FX
	}
	var err error
	if path == "" {
		c.rates, err = fx.Default()
	} else {
		c.rates, err = fx.Load(os.DirFS(filepath.Dir(path)), filepath.Base(path))
	}
	if err != nil {
		return nil, fmt.Errorf("loading the FX table: %w", err)
	}
	return c.rates, nil
}

// NewLogger builds the process logger (log_level, log_format) writing to w.
func (c *Config) NewLogger(w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.LogLevel)) // validated by Load; an unknown level stays info
	opts := &slog.HandlerOptions{Level: lvl}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
