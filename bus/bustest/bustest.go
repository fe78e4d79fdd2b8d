// Package bustest starts real NATS servers with JetStream for tests: in
// process, on a random port, with the store in a temp dir, shut down at cleanup.
package bustest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// NewServer starts an in-process NATS server with JetStream on disk under
// t.TempDir() and shuts it down when the test ends; configure, if given,
// changes its options first (e.g. SyncAlways for the durability benchmarks).
func NewServer(t testing.TB, configure ...func(*server.Options)) *server.Server {
	t.Helper()
	opts := &server.Options{
		Host:      "127.0.0.1",
		Port:      -1,
		JetStream: true,
		StoreDir:  t.TempDir(),
		NoLog:     true,
		NoSigs:    true,
	}
	for _, c := range configure {
		c(opts)
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		t.Fatalf("starting nats server: %v", err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		t.Fatal("starting nats server: not ready for connections after 10s")
	}
	t.Cleanup(func() {
		srv.Shutdown()
		srv.WaitForShutdown()
	})
	return srv
}

// Connect connects to srv and returns the connection and its JetStream
// context; the connection is closed when the test ends.
func Connect(t testing.TB, srv *server.Server) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		t.Fatalf("connecting to nats %s: %v", srv.ClientURL(), err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatalf("creating jetstream context: %v", err)
	}
	return nc, js
}

// Busy reports what the durable consumer still holds on stream: "" when it
// has been handed and has acked every message up to the stream's last
// sequence, else a description. A consumer not created yet counts as busy.
//
// The consumer's own NumPending is not enough: the server counts a stored
// message in it asynchronously, so right after a PubAck a consumer can report
// nothing pending for a message it has not seen. The stream's last sequence
// is updated before the PubAck. Only for consumers without a subject filter.
func Busy(ctx context.Context, js jetstream.JetStream, stream, durable string) (string, error) {
	cons, err := js.Consumer(ctx, stream, durable)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		return durable + ": not created yet", nil
	}
	if err != nil {
		return "", fmt.Errorf("looking up consumer %s on %s: %w", durable, stream, err)
	}
	ci, err := cons.Info(ctx)
	if err != nil {
		return "", fmt.Errorf("consumer %s on %s: %w", durable, stream, err)
	}
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return "", fmt.Errorf("looking up stream %s: %w", stream, err)
	}
	si, err := s.Info(ctx)
	if err != nil {
		return "", fmt.Errorf("stream %s: %w", stream, err)
	}
	if ci.NumPending > 0 || ci.NumAckPending > 0 || ci.AckFloor.Stream < si.State.LastSeq {
		return fmt.Sprintf("%s: %d pending, %d unacked, acked to %d of %d", durable,
			ci.NumPending, ci.NumAckPending, ci.AckFloor.Stream, si.State.LastSeq), nil
	}
	return "", nil
}
