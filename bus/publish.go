package bus

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Publish sends v as JSON on subject with msgID as its Nats-Msg-Id and
// returns once JetStream has stored it (the PubAck). A duplicate inside the
// stream's window is acknowledged without being stored again, which is
// success: the message is durable either way.
func Publish(ctx context.Context, js jetstream.JetStream, subject, msgID string, v any) (*jetstream.PubAck, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding message %s: %w", msgID, err)
	}
	msg := &nats.Msg{Subject: subject, Data: data, Header: nats.Header{}}
	ack, err := js.PublishMsg(ctx, msg, jetstream.WithMsgID(msgID))
	if err != nil {
		return nil, fmt.Errorf("publishing %s to %s: %w", msgID, subject, err)
	}
	return ack, nil
}

// PublishAsync sends v as JSON on subject with msgID as its Nats-Msg-Id and
// returns without waiting for the PubAck: [AwaitPubAcks] waits for it. js
// should be made with [jetstream.WithPublishAsyncTimeout], so that a PubAck
// that never comes ends as an error instead of a future that never resolves.
func PublishAsync(js jetstream.JetStream, subject, msgID string, v any) (jetstream.PubAckFuture, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding message %s: %w", msgID, err)
	}
	msg := &nats.Msg{Subject: subject, Data: data, Header: nats.Header{}}
	f, err := js.PublishMsgAsync(msg, jetstream.WithMsgID(msgID))
	if err != nil {
		return nil, fmt.Errorf("publishing %s to %s: %w", msgID, subject, err)
	}
	return f, nil
}

// AwaitPubAcks returns once JetStream has stored the message of every
// future (a duplicate inside the stream's window counts as stored, as in
// [Publish]), or with the first error, or when ctx ends.
func AwaitPubAcks(ctx context.Context, futs []jetstream.PubAckFuture) error {
	for _, f := range futs {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			m := f.Msg()
			return fmt.Errorf("publishing %s to %s: %w", m.Header.Get(jetstream.MsgIDHeader), m.Subject, err)
		case <-ctx.Done():
			m := f.Msg()
			return fmt.Errorf("waiting for the PubAck of %s on %s: %w", m.Header.Get(jetstream.MsgIDHeader), m.Subject, ctx.Err())
		}
	}
	return nil
}
