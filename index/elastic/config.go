package elastic

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/dealwire/dealwire/fx"
)

// Config is how to reach Elasticsearch and how to write to it.
type Config struct {
	// URLs are the nodes to talk to, e.g. ["https://es1:9200", "https://es2:9200"].
	// Requests go round-robin and move to the next node on a network error.
	URLs []string `yaml:"urls"`
	// Username and Password are for basic authentication.
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	// APIKey is an API key in the encoded form Elasticsearch returns
	// (base64 of "id:key"); it is sent as "Authorization: ApiKey ...".
	APIKey string `yaml:"api_key"`
	// CACert is a PEM file with the CA that signed the cluster's certificate.
	CACert string `yaml:"ca_cert"`
	// Index is the alias that searches read and writes go to (default
	// "dealwire-records"). The concrete index behind it is <Index>-v<version>,
	// the version of configs/mapping.json.
	Index string `yaml:"index"`
	// FlushBytes is the largest bulk request body; a larger batch is split
	// (default 5 MiB).
	FlushBytes int `yaml:"flush_bytes"`
	// Workers is how many bulk requests of one batch are in flight at once
	// (default 2).
	Workers int `yaml:"workers"`
	// Timeout bounds each HTTP request (default 30s).
	Timeout time.Duration `yaml:"timeout"`
	// PITKeepAlive is how long a point in time for paging through results
	// stays open between pages (default 5m).
	PITKeepAlive time.Duration `yaml:"pit_keep_alive"`
	// FX is a file with the FX table (see configs/fx.tsv); empty uses the shipped one.
	FX string `yaml:"fx"`
	// Rates is the FX table already loaded from FX: the binary loads one
	// table per process and passes it to every part that converts money, so
	// records, deals and index filters agree. Nil reads FX.
	Rates *fx.Table `yaml:"-"`
}

// DefaultIndex is the alias used when Config.Index is empty.
const DefaultIndex = "dealwire-records"

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.Index == "" {
		c.Index = DefaultIndex
	}
	if c.FlushBytes == 0 {
		c.FlushBytes = 5 << 20
	}
	if c.Workers == 0 {
		c.Workers = 2
	}
	if c.Timeout == 0 {
		c.Timeout = 30 * time.Second
	}
	if c.PITKeepAlive == 0 {
		c.PITKeepAlive = 5 * time.Minute
	}
	return c
}

// Validate reports a config that cannot work. Zero values that have
// defaults are fine.
func (c Config) Validate() error {
	var errs []error
	if len(c.URLs) == 0 {
		errs = append(errs, errors.New("urls: none given"))
	}
	for _, raw := range c.URLs {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("urls: %q is not an http or https URL", raw))
		}
	}
	if c.APIKey != "" && (c.Username != "" || c.Password != "") {
		errs = append(errs, errors.New("api_key and username/password are both set: use one"))
	}
	if (c.Username == "") != (c.Password == "") {
		errs = append(errs, errors.New("username and password: set both or neither"))
	}
	if c.Index != "" && (c.Index != strings.ToLower(c.Index) || strings.ContainsAny(c.Index, ` "*\<|,>/?#:`) ||
		strings.HasPrefix(c.Index, "_") || strings.HasPrefix(c.Index, "-")) {
		errs = append(errs, fmt.Errorf("index %q: want a lower-case name without spaces or any of the characters \\/*?\"<>|,#: in it", c.Index))
	}
	if c.FlushBytes < 0 || c.Workers < 0 || c.Timeout < 0 || c.PITKeepAlive < 0 {
		errs = append(errs, errors.New("flush_bytes, workers, timeout and pit_keep_alive must not be negative"))
	}
	return errors.Join(errs...)
}
