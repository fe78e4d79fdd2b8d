package bus

import (
	"errors"
	"fmt"
	"time"
)

// Config says where NATS is and how the streams and consumers behave.
type Config struct {
	// URL is a comma-separated list of NATS server URLs. Empty means: start an
	// embedded server (see Embedded).
	URL string `yaml:"url"`
	// CredsFile (a user JWT and seed, operator mode), NKeyFile (a user nkey
	// seed), Token, or User and Password authenticate to an external server;
	// set at most one of them. They are best set from the environment
	// (DEALWIRE_NATS_TOKEN...), never in code.
	CredsFile string `yaml:"creds_file"`
	NKeyFile  string `yaml:"nkey_file"`
	Token     string `yaml:"token"`
	User      string `yaml:"user"`
	Password  string `yaml:"password"`
	// TLS verifies the server against a private CA and, for mutual TLS,
	// presents a client certificate. See [TLSConfig].
	TLS TLSConfig `yaml:"tls"`
	// Replicas is the replication factor of the streams (1 for a single
	// server, 3 for a typical cluster).
	Replicas int `yaml:"replicas"`
	// DuplicateWindow is how long JetStream remembers message ids; a
	// re-publish of the same article inside it is dropped. Default 24h.
	DuplicateWindow time.Duration `yaml:"duplicate_window"`
	// MaxAge bounds how long messages stay in ARTICLES and RECORDS. Default 30 days.
	MaxAge time.Duration `yaml:"max_age"`
	// AckWait is how long a delivered message may go without an ack or a
	// progress signal before JetStream redelivers it: the time a crashed
	// worker's messages wait. Handlers may run longer: the consumer tells
	// JetStream the message is in progress every AckWait/3. Default 30s.
	AckWait time.Duration `yaml:"ack_wait"`
	// HandlerTimeout bounds one handler call (one batch); when it passes the
	// messages are retried. Default 2m.
	HandlerTimeout time.Duration `yaml:"handler_timeout"`
	// MaxDeliver is the delivery from which a message whose handler fails
	// with a permanent error goes to the dead-letter subject: 1 (the
	// default) dead-letters at the first permanent failure, 3 gives a
	// permanent failure two more tries. Retryable errors (store unreachable,
	// 429, 5xx, timeouts) never dead-letter, whatever the count; JetStream's
	// own MaxDeliver is unlimited so it never drops them either.
	MaxDeliver int `yaml:"max_deliver"`
	// MaxAckPending is the backpressure valve: how many messages the
	// consumers of one stage, all replicas together, may hold
	// unacknowledged. 0 (the default) sizes it per stage as
	// max(256, 4 × workers × batch), so a killed worker's messages, held
	// until AckWait passes, leave room for three more workers.
	MaxAckPending int `yaml:"max_ack_pending"`
	// PauseAfter is how many handler failures in a row, all retryable, make
	// a stage stop fetching and probe its store instead (with a backoff of
	// 1s doubling up to ProbeMaxInterval) until the store answers. Default 3.
	PauseAfter int `yaml:"pause_after"`
	// ProbeMaxInterval caps the wait between two probes of a store that is
	// down. Default 30s.
	ProbeMaxInterval time.Duration `yaml:"probe_max_interval"`
	// Embedded configures the in-process server used when URL is empty.
	Embedded EmbeddedConfig `yaml:"embedded"`
}

// EmbeddedConfig configures the NATS server that "dealwire run" embeds.
type EmbeddedConfig struct {
	// Host and Port to listen on; Port -1 picks a free port. Default 127.0.0.1:4222.
	Host string `yaml:"host"`
	Port int    `yaml:"port"`
	// StoreDir holds the JetStream files; default <data_dir>/nats.
	StoreDir string `yaml:"store_dir"`
}

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.Replicas == 0 {
		c.Replicas = 1
	}
	if c.DuplicateWindow == 0 {
		c.DuplicateWindow = 24 * time.Hour
	}
	if c.MaxAge == 0 {
		c.MaxAge = 30 * 24 * time.Hour
	}
	if c.AckWait == 0 {
		c.AckWait = 30 * time.Second
	}
	if c.HandlerTimeout == 0 {
		c.HandlerTimeout = 2 * time.Minute
	}
	if c.MaxDeliver == 0 {
		c.MaxDeliver = 1
	}
	if c.PauseAfter == 0 {
		c.PauseAfter = 3
	}
	if c.ProbeMaxInterval == 0 {
		c.ProbeMaxInterval = 30 * time.Second
	}
	if c.Embedded.Host == "" {
		c.Embedded.Host = "127.0.0.1"
	}
	if c.Embedded.Port == 0 {
		c.Embedded.Port = 4222
	}
	return c
}

// Validate reports the first field that is out of range.
func (c Config) Validate() error {
	var errs []error
	if c.Replicas < 1 || c.Replicas > 5 {
		errs = append(errs, fmt.Errorf("nats.replicas must be 1..5, got %d", c.Replicas))
	}
	if c.MaxDeliver < 1 {
		errs = append(errs, fmt.Errorf("nats.max_deliver must be at least 1, got %d", c.MaxDeliver))
	}
	if c.AckWait < time.Second {
		errs = append(errs, fmt.Errorf("nats.ack_wait must be at least 1s, got %s", c.AckWait))
	}
	if c.HandlerTimeout < time.Second {
		errs = append(errs, fmt.Errorf("nats.handler_timeout must be at least 1s, got %s", c.HandlerTimeout))
	}
	if c.MaxAckPending < 0 {
		errs = append(errs, fmt.Errorf("nats.max_ack_pending must be 0 (sized per stage) or more, got %d", c.MaxAckPending))
	}
	if c.PauseAfter < 1 {
		errs = append(errs, fmt.Errorf("nats.pause_after must be at least 1, got %d", c.PauseAfter))
	}
	if c.ProbeMaxInterval < time.Second {
		errs = append(errs, fmt.Errorf("nats.probe_max_interval must be at least 1s, got %s", c.ProbeMaxInterval))
	}
	if c.DuplicateWindow > c.MaxAge {
		errs = append(errs, fmt.Errorf("nats.duplicate_window (%s) must not exceed nats.max_age (%s)", c.DuplicateWindow, c.MaxAge))
	}
	if c.URL == "" && c.Embedded.StoreDir == "" {
		errs = append(errs, errors.New("nats.embedded.store_dir is required when nats.url is empty"))
	}
	errs = append(errs, c.validateAuth()...)
	return errors.Join(errs...)
}
