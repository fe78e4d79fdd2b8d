package bus

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/news"
)

// DeadLetter is one message a stage gave up on, as the DEAD stream keeps it.
type DeadLetter struct {
	// ID is the dead letter's sequence in the DEAD stream; replay takes it.
	ID         uint64
	Stage      string
	Subject    string // where the message came from, and where replay sends it
	Reason     string // the handler's error (with the stack for a panic)
	Deliveries int
	MsgID      string // the message's Nats-Msg-Id on its own stream, if any
	Time       time.Time
	Data       []byte
	Header     nats.Header
}

// ListDead returns the dead letters of stage, or of every stage when stage
// is empty, oldest first.
func ListDead(ctx context.Context, js jetstream.JetStream, stage string) ([]DeadLetter, error) {
	s, err := js.Stream(ctx, news.StreamDead)
	if err != nil {
		return nil, fmt.Errorf("opening stream %s: %w", news.StreamDead, err)
	}
	filter := news.DeadSubjects
	if stage != "" {
		filter = news.DeadSubject(stage)
	}
	var out []DeadLetter
	for seq := uint64(1); ; {
		m, err := s.GetMsg(ctx, seq, jetstream.WithGetMsgSubject(filter))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("reading dead letters from stream %s at sequence %d: %w", news.StreamDead, seq, err)
		}
		out = append(out, deadLetterOf(m))
		seq = m.Sequence + 1
	}
}

func deadLetterOf(m *jetstream.RawStreamMsg) DeadLetter {
	n, _ := strconv.Atoi(m.Header.Get(HeaderDeliveries)) // 0 when missing: shown as unknown
	stage := m.Header.Get(HeaderStage)
	if stage == "" {
		stage = strings.TrimPrefix(m.Subject, strings.TrimSuffix(news.DeadSubjects, ">"))
	}
	return DeadLetter{
		ID: m.Sequence, Stage: stage, Subject: m.Header.Get(HeaderSubject), Reason: m.Header.Get(HeaderError),
		Deliveries: n, MsgID: m.Header.Get(HeaderMsgID), Time: m.Time, Data: m.Data, Header: m.Header,
	}
}

// ReplayDead re-publishes dl to the subject it came from, so its stage
// handles it again, and then deletes it from DEAD, so a second replay
// cannot send it twice. The re-published message carries the original
// headers, HeaderReplayOf, and a message id of its own (the original id
// would fall in the duplicate window and be dropped); a crash between the
// publish and the delete is covered by that id: replaying again inside the
// window is dropped as a duplicate.
func ReplayDead(ctx context.Context, js jetstream.JetStream, dl DeadLetter) error {
	if dl.Subject == "" {
		return fmt.Errorf("replaying dead letter %d: it has no %s header, so its origin is unknown (delete it with 'nats stream rmm %s %d')",
			dl.ID, HeaderSubject, news.StreamDead, dl.ID)
	}
	msg := &nats.Msg{Subject: dl.Subject, Data: dl.Data, Header: nats.Header{}}
	for k, v := range dl.Header {
		if strings.HasPrefix(k, "Dealwire-") || strings.HasPrefix(k, "Nats-") {
			continue
		}
		msg.Header[k] = v
	}
	msg.Header.Set(HeaderReplayOf, strconv.FormatUint(dl.ID, 10))
	id := fmt.Sprintf("dead-replay/%d/%d", dl.ID, dl.Time.UnixNano())
	if _, err := js.PublishMsg(ctx, msg, jetstream.WithMsgID(id)); err != nil {
		return fmt.Errorf("replaying dead letter %d to %s: %w", dl.ID, dl.Subject, err)
	}
	s, err := js.Stream(ctx, news.StreamDead)
	if err != nil {
		return fmt.Errorf("opening stream %s: %w", news.StreamDead, err)
	}
	if err := s.DeleteMsg(ctx, dl.ID); err != nil && !gone(ctx, s, dl.ID) {
		return fmt.Errorf("deleting replayed dead letter %d: %w (it was replayed; a second replay within the duplicate window is dropped)", dl.ID, err)
	}
	return nil
}

// gone reports whether the message seq is no longer in s (the delete error
// says so only in its text).
func gone(ctx context.Context, s jetstream.Stream, seq uint64) bool {
	_, err := s.GetMsg(ctx, seq)
	return errors.Is(err, jetstream.ErrMsgNotFound)
}
