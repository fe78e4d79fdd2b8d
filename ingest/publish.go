package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/dealwire/dealwire/news"
	"github.com/nats-io/nats.go/jetstream"
)

// publisher puts articles on the ARTICLES stream and waits for the PubAck.
type publisher struct {
	js      jetstream.JetStream
	timeout time.Duration
}

// publish sends a with [msgID] as Nats-Msg-Id and returns once the stream
// has stored it; duplicate reports that the stream's duplicate window
// dropped it as a repeat, which is success too. revised says that the feed
// marks the entry updated since its publication.
func (p *publisher) publish(ctx context.Context, a news.Article, revised bool) (duplicate bool, err error) {
	a.V = news.SchemaVersion
	b, err := json.Marshal(a)
	if err != nil {
		return false, fmt.Errorf("encoding article %s: %w", a.ID, err)
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	subj := news.ArticleSubject(a.Source)
	ack, err := p.js.Publish(ctx, subj, b, jetstream.WithMsgID(msgID(a, revised)))
	if err != nil {
		return false, fmt.Errorf("publishing article %s to %s: %w", a.ID, subj, err)
	}
	return ack.Duplicate, nil
}

// msgID is the ARTICLES message id of a: its id and a hash of its text byte
// for byte, so that a changed figure, currency sign or name is a new message
// and an unchanged text a repeat. The hash leaves out the headline line the
// poller puts before the text, because feeds that carry one story often
// title it differently and a second feed's copy is a repeat; but an entry
// its feed marks revised is published under [news.Article.MsgID], which
// covers the title too, so that a corrected headline gets through.
func msgID(a news.Article, revised bool) string {
	if revised {
		return a.MsgID()
	}
	body := news.Article{ID: a.ID, Text: strings.TrimPrefix(a.Text, a.Title+"\n")}
	return body.MsgID()
}
