package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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

// publish sends a with its id as Nats-Msg-Id and returns once the stream has
// stored it; duplicate reports that the stream's duplicate window dropped it
// as a repeat, which is success too.
func (p *publisher) publish(ctx context.Context, a news.Article) (duplicate bool, err error) {
	a.V = news.SchemaVersion
	b, err := json.Marshal(a)
	if err != nil {
		return false, fmt.Errorf("encoding article %s: %w", a.ID, err)
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	subj := news.ArticleSubject(a.Source)
	ack, err := p.js.Publish(ctx, subj, b, jetstream.WithMsgID(a.MsgID()))
	if err != nil {
		return false, fmt.Errorf("publishing article %s to %s: %w", a.ID, subj, err)
	}
	return ack.Duplicate, nil
}

// fingerprint is a hash of the text's words in lower case, for near-duplicate
// detection downstream: whitespace and case changes do not change it.
func fingerprint(text string) string {
	h := sha256.New()
	for _, w := range strings.Fields(strings.ToLower(text)) {
		h.Write([]byte(w))
		h.Write([]byte{' '})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
