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
