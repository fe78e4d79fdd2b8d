package obs

import (
	"errors"
	"fmt"
	"net"
	"time"
)

// Off is the [Config.Addr] that opens no listener of its own (serve and
// run mount the handlers on their API server instead, see the package doc).
const Off = "off"

// Config configures the observability server of one process.
type Config struct {
	// Addr is the listen address of /metrics, /healthz and /readyz,
	// default 127.0.0.1:9464 (Prometheus's range for exporters). "off"
	// opens no listener. Bind to a public interface only behind a network
	// that trusts its scrapers: the endpoints carry no authentication.
	Addr string `yaml:"addr"`
	// CheckTimeout bounds a readiness check added with a zero timeout;
	// default 2s. Keep it below the prober's own timeout.
	CheckTimeout time.Duration `yaml:"check_timeout"`
	// ShutdownTimeout bounds how long [Server.Run] waits for requests in
	// flight once its context ends; default 5s.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
}

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:9464"
	}
	if c.CheckTimeout == 0 {
		c.CheckTimeout = 2 * time.Second
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = 5 * time.Second
	}
	return c
}

// Validate reports the first invalid field of c (after [Config.WithDefaults]).
func (c Config) Validate() error {
	if c.Addr != Off {
		if _, _, err := net.SplitHostPort(c.Addr); err != nil {
			return fmt.Errorf("obs.addr %q: %w (want host:port, or %q)", c.Addr, err, Off)
		}
	}
	if c.CheckTimeout <= 0 {
		return errors.New("obs.check_timeout must be positive")
	}
	if c.ShutdownTimeout <= 0 {
		return errors.New("obs.shutdown_timeout must be positive")
	}
	return nil
}
