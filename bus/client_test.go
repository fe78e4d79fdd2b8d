package bus

import (
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/news"
)

// TestOpen checks each [Embedding]: External refuses to run without a URL,
// Embed starts a server with the streams, Attach joins it instead of
// starting a second one, and starts one itself when none answers.
func TestOpen(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cfg := Config{Embedded: EmbeddedConfig{Host: "127.0.0.1", Port: port, StoreDir: t.TempDir()}}.WithDefaults()

	if _, err := Open(t.Context(), cfg, "t", External, nil); err == nil || !strings.Contains(err.Error(), "nats.url is not set") {
		t.Fatalf("External without a URL: %v, want an error naming nats.url", err)
	}

	emb, err := Open(t.Context(), cfg, "t", Embed, nil)
	if err != nil {
		t.Fatal(err)
	}
	if emb.srv == nil {
		t.Fatal("Embed started no server")
	}
	if _, err := emb.JS.Stream(t.Context(), news.StreamDead); err != nil {
		t.Errorf("stream %s after Open: %v", news.StreamDead, err)
	}
	att, err := Open(t.Context(), cfg, "t", Attach, nil)
	if err != nil {
		t.Fatal(err)
	}
	if att.srv != nil {
		t.Error("Attach started a server while one was running")
	}
	att.Close()
	emb.Close()
	if !emb.Conn.IsClosed() {
		t.Error("Close left the connection open")
	}

	// Nothing runs now: Attach starts the server on the same store, where
	// the streams are still kept.
	att, err = Open(t.Context(), cfg, "t", Attach, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer att.Close()
	if att.srv == nil {
		t.Fatal("Attach with no server running started none")
	}
	if _, err := att.JS.Stream(t.Context(), news.StreamArticles); errors.Is(err, jetstream.ErrStreamNotFound) {
		t.Errorf("stream %s is gone after a restart on the same store", news.StreamArticles)
	}
}
