package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/news"
)

// StartEmbedded starts an in-process NATS server with JetStream on disk in
// cfg.Embedded.StoreDir and returns it once it accepts connections. The caller
// shuts it down after every connection to it has drained.
func StartEmbedded(cfg Config, logger *slog.Logger) (*server.Server, error) {
	opts := &server.Options{
		ServerName: "dealwire-embedded",
		Host:       cfg.Embedded.Host,
		Port:       cfg.Embedded.Port,
		JetStream:  true,
		StoreDir:   cfg.Embedded.StoreDir,
		NoSigs:     true,
		NoLog:      true,
	}
	if opts.Port > 0 {
		// The server only logs a port in use and then never becomes ready;
		// find out at once, with an error that says what to do.
		ln, err := net.Listen("tcp", net.JoinHostPort(opts.Host, strconv.Itoa(opts.Port)))
		if err != nil {
			return nil, fmt.Errorf("starting embedded nats server: %w (is another dealwire running? set nats.embedded.port, or nats.url to use a running server)", err)
		}
		ln.Close()
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("configuring embedded nats server: %w", err)
	}
	srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		return nil, fmt.Errorf("starting embedded nats server on %s:%d: not ready after 30s (is the port in use? set nats.embedded.port)", opts.Host, opts.Port)
	}
	if logger != nil {
		logger.Info("embedded nats server started", "url", srv.ClientURL(), "store_dir", cfg.Embedded.StoreDir)
	}
	return srv, nil
}

// Connect connects to the servers in url with the credentials and TLS
// settings in cfg and returns the connection and its JetStream context. A
// refused connection's error names the setting to fix.
func Connect(ctx context.Context, url string, cfg Config, name string, logger *slog.Logger) (*nats.Conn, jetstream.JetStream, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	opts := []nats.Option{
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				logger.Warn("nats disconnected", "error", err)
			}
		}),
		nats.ReconnectHandler(func(c *nats.Conn) { logger.Info("nats reconnected", "url", c.ConnectedUrlRedacted()) }),
	}
	auth, err := cfg.connectOptions()
	if err != nil {
		return nil, nil, fmt.Errorf("connecting to nats at %s: %w", redactURLs(url), err)
	}
	nc, err := nats.Connect(url, append(opts, auth...)...)
	if err != nil {
		return nil, nil, fmt.Errorf("connecting to nats at %s: %w (%s)", redactURLs(url), err, cfg.connectHint(err))
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("creating jetstream context: %w", err)
	}
	if _, err := js.AccountInfo(ctx); err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("checking jetstream on %s: %w (is JetStream enabled on the server?)", redactURLs(url), err)
	}
	return nc, js, nil
}

// EnsureStreams creates or updates the ARTICLES, RECORDS, DEALS and DEAD streams.
func EnsureStreams(ctx context.Context, js jetstream.JetStream, cfg Config) error {
	streams := []jetstream.StreamConfig{
		{Name: news.StreamArticles, Subjects: []string{news.ArticleSubjects}, Description: "fetched articles, id = hash of canonical url"},
		{Name: news.StreamRecords, Subjects: []string{news.RecordSubjects}, Description: "extracted records"},
		{Name: news.StreamDeals, Subjects: []string{news.DealSubjects}, Description: "resolved deal records, one message per change"},
		{Name: news.StreamDead, Subjects: []string{news.DeadSubjects}, Description: "messages a stage gave up on, with the reason in a header"},
	}
	for _, sc := range streams {
		sc.Storage = jetstream.FileStorage
		sc.Replicas = cfg.Replicas
		sc.Duplicates = cfg.DuplicateWindow
		sc.MaxAge = cfg.MaxAge
		if sc.Name == news.StreamDead {
			sc.MaxAge = 0 // dead letters stay until someone looks at them
		}
		if err := EnsureStream(ctx, js, sc); err != nil {
			return err
		}
	}
	return nil
}

// EnsureStream creates stream sc, or updates it when the settings this
// program owns (subjects, storage, replicas, duplicate window, age,
// description) differ. A stream that is already as configured is left
// alone: every process start would otherwise send a stream update, which
// also races, inside nats-server, with consumers being created at the same
// moment by other replicas.
func EnsureStream(ctx context.Context, js jetstream.JetStream, sc jetstream.StreamConfig) error {
	st, err := js.Stream(ctx, sc.Name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		if _, err := js.CreateStream(ctx, sc); err != nil && !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			return fmt.Errorf("creating stream %s: %w", sc.Name, err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading stream %s: %w", sc.Name, err)
	}
	have := st.CachedInfo().Config
	if slices.Equal(have.Subjects, sc.Subjects) && have.Storage == sc.Storage && have.Replicas == max(sc.Replicas, 1) &&
		have.Duplicates == sc.Duplicates && have.MaxAge == sc.MaxAge && have.Description == sc.Description {
		return nil
	}
	if _, err := js.UpdateStream(ctx, sc); err != nil {
		return fmt.Errorf("updating stream %s: %w", sc.Name, err)
	}
	return nil
}

// Drain drains nc (pending publishes and acks are flushed, subscriptions
// finish) and waits until it is closed or timeout passes.
func Drain(nc *nats.Conn, timeout time.Duration) error {
	closed := make(chan struct{})
	nc.SetClosedHandler(func(*nats.Conn) { close(closed) })
	if err := nc.Drain(); err != nil {
		if nc.IsClosed() {
			return nil
		}
		return fmt.Errorf("draining nats connection: %w", err)
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-closed:
		return nil
	case <-t.C:
		nc.Close()
		return fmt.Errorf("draining nats connection: not closed after %s; closed it", timeout)
	}
}
