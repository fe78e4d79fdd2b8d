package alerts

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/news"
)

// Webhook headers.
const (
	// HeaderSignature is "sha256=" and the hex HMAC-SHA256 of the request
	// body under the sink's secret.
	HeaderSignature = "Dealwire-Signature"
	// HeaderTimestamp is the Unix time of the attempt, in seconds; the body's
	// sent_at says the same and is covered by the signature.
	HeaderTimestamp = "Dealwire-Timestamp"
	// HeaderAlertID is the alert's id: the same on every retry and every
	// sink, so a receiver can drop a repeat.
	HeaderAlertID = "Dealwire-Alert-Id"
	// HeaderAlertKind is "new" or "update".
	HeaderAlertKind = "Dealwire-Alert-Kind"
)

// Sign returns the signature header value of body under secret:
// "sha256=<hex HMAC-SHA256>". Receivers compute the same over the raw body
// and compare in constant time (hmac.Equal).
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// webhook POSTs alerts as JSON (the Alert) or as a Slack-compatible body.
type webhook struct {
	url, format, secret string
	tries               int
	timeout             time.Duration
	client              *http.Client
}

func newWebhook(sc SinkConfig, client *http.Client) *webhook {
	return &webhook{url: sc.URL, format: sc.Format, secret: sc.secret(), tries: sc.Tries, timeout: sc.Timeout, client: client}
}

// slackBody is the body of a Slack incoming webhook (also understood by
// Mattermost, Rocket.Chat and Discord's /slack endpoint).
type slackBody struct {
	Text string `json:"text"`
}

// Send tries up to w.tries times, waiting 0.5s, 1s, 2s… (or what a 429's
// Retry-After asks, up to 30s) in between. A 4xx other than 408, 425 and
// 429 is permanent: the receiver refuses this alert.
func (w *webhook) Send(ctx context.Context, a Alert) error {
	var err error
	for try := 1; try <= w.tries; try++ {
		var wait time.Duration
		wait, err = w.post(ctx, a)
		if err == nil || news.IsPermanent(err) || try == w.tries {
			return err
		}
		if wait == 0 {
			wait = 500 * time.Millisecond << (try - 1)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
	}
	return err
}

// post makes one request; on a retryable failure it returns how long the
// receiver asked to wait (0: not said).
func (w *webhook) post(ctx context.Context, a Alert) (time.Duration, error) {
	now := time.Now().UTC()
	a.SentAt = now.Truncate(time.Second)
	var body []byte
	var err error
	if w.format == "slack" {
		body, err = json.Marshal(slackBody{Text: slackText(a)})
	} else {
		body, err = json.Marshal(a)
	}
	if err != nil {
		return 0, news.Permanent(fmt.Errorf("encoding alert: %w", err))
	}
	ctx, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return 0, news.Permanent(fmt.Errorf("building request to %s: %w", redact(w.url), err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "dealwire-alerts/1")
	req.Header.Set(HeaderAlertID, a.ID)
	req.Header.Set(HeaderAlertKind, a.Kind)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(a.SentAt.Unix(), 10))
	if w.secret != "" {
		req.Header.Set(HeaderSignature, Sign(w.secret, body))
	}
	resp, err := w.client.Do(req)
	if err != nil {
		// The URL can hold a token (Slack's do): name only its host.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, fmt.Errorf("posting to webhook %s: %w", redact(w.url), err)
	}
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return 0, nil
	}
	err = fmt.Errorf("webhook %s answered %s: %s", redact(w.url), resp.Status, strings.TrimSpace(string(snippet)))
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout ||
		resp.StatusCode == http.StatusTooEarly || resp.StatusCode >= 500:
		wait := time.Duration(0)
		if s, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && s > 0 {
			wait = min(time.Duration(s)*time.Second, 30*time.Second)
		}
		return wait, err
	default:
		return 0, news.Permanent(fmt.Errorf("%w (the receiver refuses the alert; check the url and secret)", err))
	}
}

// redact keeps the scheme and host of a URL: paths and queries of webhook
// URLs often carry a token.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable url)"
	}
	return u.Scheme + "://" + u.Host + "/…"
}

func slackText(a Alert) string {
	var b strings.Builder
	if a.Kind == KindUpdate {
		b.WriteString("*Update:* ")
	} else {
		b.WriteString("*New deal:* ")
	}
	b.WriteString(slackEscape(a.Summary))
	for _, c := range a.Changes {
		b.WriteString("\n• " + slackEscape(c))
	}
	for _, s := range a.Deal.Sources {
		name := s.Source
		if name == "" {
			name = "source"
		}
		fmt.Fprintf(&b, "\n<%s|%s>", s.URL, slackEscape(name+": "+cmpOr(s.Title, s.URL)))
	}
	b.WriteString("\n_rule " + slackEscape(a.Rule) + "_")
	return b.String()
}

// slackEscape escapes the three characters Slack's mrkdwn reserves.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// natsSink publishes the alert's JSON on a subject: through JetStream (with
// the alert id as message id, waiting for the PubAck) when a stream
// captures the subject, else as a plain NATS message, flushed to the server.
type natsSink struct {
	js      jetstream.JetStream
	subject string
}

func (n *natsSink) Send(ctx context.Context, a Alert) error {
	body, err := json.Marshal(a)
	if err != nil {
		return news.Permanent(fmt.Errorf("encoding alert: %w", err))
	}
	msg := &nats.Msg{Subject: n.subject, Data: body, Header: nats.Header{}}
	msg.Header.Set(HeaderAlertID, a.ID)
	msg.Header.Set(HeaderAlertKind, a.Kind)
	_, err = n.js.StreamNameBySubject(ctx, n.subject)
	switch {
	case err == nil:
		if _, err := n.js.PublishMsg(ctx, msg, jetstream.WithMsgID(a.ID)); err != nil {
			return fmt.Errorf("publishing alert to %s: %w", n.subject, err)
		}
		return nil
	case !errors.Is(err, jetstream.ErrStreamNotFound):
		return fmt.Errorf("looking up the stream of %s: %w", n.subject, err)
	}
	nc := n.js.Conn()
	if err := nc.PublishMsg(msg); err != nil {
		return fmt.Errorf("publishing alert to %s: %w", n.subject, err)
	}
	if err := nc.FlushWithContext(ctx); err != nil {
		return fmt.Errorf("flushing alert to %s: %w", n.subject, err)
	}
	return nil
}

// logSink writes the alert to the process log.
type logSink struct{ logger *slog.Logger }

func (l logSink) Send(_ context.Context, a Alert) error {
	l.logger.Info("alert", "rule", a.Rule, "alert_id", a.ID, "kind", a.Kind, "deal_id", a.Deal.ID,
		"company", a.Deal.Company, "round", a.Deal.Round, "summary", a.Summary, "changes", strings.Join(a.Changes, "; "), "url", a.URL)
	return nil
}
