package bustest

import (
	"testing"

	"github.com/nats-io/nats.go/jetstream"
)

func TestServerStoresMessages(t *testing.T) {
	srv := NewServer(t)
	_, js := Connect(t, srv)
	ctx := t.Context()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "T", Subjects: []string{"t.>"}}); err != nil {
		t.Fatal(err)
	}
	ack, err := js.Publish(ctx, "t.x", []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if ack.Sequence != 1 || ack.Stream != "T" {
		t.Errorf("ack = %+v, want sequence 1 on stream T", ack)
	}
}
