package config

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// applyEnv overrides fields from the environment, so that credentials never
// need to sit in a file. It fails only on a number it cannot read.
func applyEnv(c *Config) error {
	set := func(name string, dst *string) {
		if v, ok := os.LookupEnv(name); ok {
			*dst = v
		}
	}
	set("DEALWIRE_DATA_DIR", &c.DataDir)
	set("DEALWIRE_LOG_LEVEL", &c.LogLevel)
	set("DEALWIRE_LOG_FORMAT", &c.LogFormat)
	set("DEALWIRE_FEEDS_FILE", &c.FeedsFile)
	set("DEALWIRE_NATS_URL", &c.NATS.URL)
	set("DEALWIRE_NATS_CREDS", &c.NATS.CredsFile)
	set("DEALWIRE_NATS_TOKEN", &c.NATS.Token)
	set("DEALWIRE_NATS_USER", &c.NATS.User)
	set("DEALWIRE_NATS_PASSWORD", &c.NATS.Password)
	set("DEALWIRE_NATS_NKEY", &c.NATS.NKeyFile)
	set("DEALWIRE_NATS_TLS_CA", &c.NATS.TLS.CAFile)
	set("DEALWIRE_NATS_TLS_CERT", &c.NATS.TLS.CertFile)
	set("DEALWIRE_NATS_TLS_KEY", &c.NATS.TLS.KeyFile)
	if v := strings.TrimSpace(os.Getenv("DEALWIRE_NATS_REPLICAS")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("DEALWIRE_NATS_REPLICAS=%q: want a number from 1 to 5", v)
		}
		c.NATS.Replicas = n
	}
	if v, ok := os.LookupEnv("DEALWIRE_ES_URLS"); ok {
		c.Elasticsearch.URLs = splitList(v)
	}
	set("DEALWIRE_ES_USERNAME", &c.Elasticsearch.Username)
	set("DEALWIRE_ES_PASSWORD", &c.Elasticsearch.Password)
	set("DEALWIRE_ES_API_KEY", &c.Elasticsearch.APIKey)
	set("DEALWIRE_ES_CA_CERT", &c.Elasticsearch.CACert)
	set("DEALWIRE_ES_INDEX", &c.Elasticsearch.Index)
	set("DEALWIRE_SQLITE_PATH", &c.SQLite.Path)
	set("DEALWIRE_HTTP_ADDR", &c.HTTP.Addr)
	set("DEALWIRE_HTTP_TOKEN", &c.HTTP.Token)
	set("DEALWIRE_OBS_ADDR", &c.Obs.Addr)
	if v := strings.TrimSpace(os.Getenv("DEALWIRE_SEARCH_MIN_CONFIDENCE")); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("DEALWIRE_SEARCH_MIN_CONFIDENCE=%q: want a number from 0 to 1", v)
		}
		c.Search.MinConfidence = f
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// DataDir overrides data_dir when dir is not empty (a --data-dir flag).
func DataDir(dir string) Option {
	return func(c *Config) {
		if dir != "" {
			c.DataDir = dir
		}
	}
}

// HTTPAddr overrides http.addr when addr is not empty (a --http-addr flag).
func HTTPAddr(addr string) Option {
	return func(c *Config) {
		if addr != "" {
			c.HTTP.Addr = addr
		}
	}
}

// NATSURL overrides nats.url when url is not empty (a --nats flag). It
// applies before validation, which checks the credentials against the URL.
func NATSURL(url string) Option {
	return func(c *Config) {
		if url != "" {
			c.NATS.URL = url
		}
	}
}
