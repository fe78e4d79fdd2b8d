package bus

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Embedding says what [Open] does when [Config.URL] is empty.
type Embedding int

const (
	// External requires nats.url: a single stage must share the streams
	// of the other processes, so an embedded server of its own is wrong.
	External Embedding = iota
	// Embed starts the embedded server on [Config.Embedded]'s store
	// ("dealwire run", and replaying the stream it keeps).
	Embed
	// Attach connects to the embedded server of a running "dealwire run"
	// and starts it on the same store only when none answers, so that a
	// command can read the streams and buckets while the pipeline is
	// stopped.
	Attach
)

// Client is a process's NATS connection and, when the process started
// one, its embedded server. Close it once every consumer on it returned.
type Client struct {
	Conn   *nats.Conn
	JS     jetstream.JetStream
	srv    *server.Server // nil when nats.url is set or Attach found a server
	logger *slog.Logger
}

// Open connects to nats.url with name "dealwire-"+name, or without a URL as
// emb says, and declares the streams ([EnsureStreams]); attaching to a
// running server leaves its streams alone. logger may be nil.
func Open(ctx context.Context, cfg Config, name string, emb Embedding, logger *slog.Logger) (*Client, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := &Client{logger: logger}
	url := cfg.URL
	if url == "" {
		switch emb {
		case External:
			return nil, errors.New("nats.url is not set: single stages need an external NATS server (set nats.url or DEALWIRE_NATS_URL), or use 'dealwire run'")
		case Attach:
			running := "nats://" + net.JoinHostPort(cfg.Embedded.Host, strconv.Itoa(cfg.Embedded.Port))
			if nc, js, err := Connect(ctx, running, cfg, "dealwire-"+name, nil); err == nil {
				c.Conn, c.JS = nc, js
				return c, nil
			}
		}
		srv, err := StartEmbedded(cfg, logger)
		if err != nil {
			return nil, err
		}
		c.srv = srv
		url = srv.ClientURL()
	}
	nc, js, err := Connect(ctx, url, cfg, "dealwire-"+name, logger)
	if err != nil {
		c.shutdownServer()
		return nil, err
	}
	c.Conn, c.JS = nc, js
	if err := EnsureStreams(ctx, js, cfg); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Close drains the connection (flushing pending publishes and acks), then
// stops the embedded server if the client started it.
func (c *Client) Close() {
	if c.Conn != nil {
		if err := Drain(c.Conn, 30*time.Second); err != nil {
			c.logger.Warn("closing nats connection", "error", err)
		}
	}
	c.shutdownServer()
}

func (c *Client) shutdownServer() {
	if c.srv != nil {
		c.srv.Shutdown()
		c.srv.WaitForShutdown()
		c.srv = nil
	}
}
