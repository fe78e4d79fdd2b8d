package elastic

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
)

// client speaks JSON to the cluster through go-elasticsearch's transport,
// which picks a live node for each request (round-robin), retries on a
// network error or a 502/503/504 on the next node, and resurrects dead nodes
// later. Requests go through the transport rather than the typed API: the
// bodies are our own, and the transport skips the client's product check,
// which the integ-test distribution cannot answer (it has no GET /).
type client struct {
	urls    []string
	es      *elasticsearch.Client
	tr      *http.Transport // the transport under es, for closing idle connections
	timeout time.Duration
	maxErr  int // longest error body kept in messages
}

func newClient(cfg Config) (*client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 16
	if cfg.CACert != "" {
		pem, err := os.ReadFile(cfg.CACert)
		if err != nil {
			return nil, fmt.Errorf("reading ca_cert: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("reading ca_cert %s: no PEM certificate in it", cfg.CACert)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	c := &client{tr: tr, timeout: cfg.Timeout, maxErr: 512}
	for _, u := range cfg.URLs {
		c.urls = append(c.urls, strings.TrimRight(u, "/"))
	}
	ec := elasticsearch.Config{
		Addresses:     c.urls,
		Transport:     tr,
		RetryOnStatus: []int{502, 503, 504},
		MaxRetries:    max(3, len(c.urls)),
	}
	// The CA goes into our transport's TLS config above: go-elasticsearch
	// refuses its own CACert option beside a custom transport.
	switch {
	case cfg.APIKey != "":
		ec.APIKey = cfg.APIKey
	case cfg.Username != "":
		ec.Username, ec.Password = cfg.Username, cfg.Password
	}
	es, err := elasticsearch.NewClient(ec)
	if err != nil {
		return nil, fmt.Errorf("configuring elasticsearch client: %w", err)
	}
	c.es = es
	return c, nil
}

// StatusError is an answer from Elasticsearch with a status outside 2xx.
type StatusError struct {
	Method, Path string
	Status       int
	Type         string // error.type of the body, when it has one
	Reason       string // error.reason, or the start of the body
}

func (e *StatusError) Error() string {
	switch e.Status {
	case http.StatusUnauthorized:
		return fmt.Sprintf("elasticsearch rejected the credentials (401) on %s %s: %s", e.Method, e.Path, e.Reason)
	case http.StatusForbidden:
		return fmt.Sprintf("elasticsearch denied %s %s to these credentials (403): %s", e.Method, e.Path, e.Reason)
	}
	if e.Type != "" {
		return fmt.Sprintf("%s %s: status %d: %s: %s", e.Method, e.Path, e.Status, e.Type, e.Reason)
	}
	return fmt.Sprintf("%s %s: status %d: %s", e.Method, e.Path, e.Status, e.Reason)
}

// UnreachableError means no node answered.
type UnreachableError struct {
	URLs []string
	Err  error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("elasticsearch unreachable at %s: %v", strings.Join(e.URLs, ", "), e.Err)
}

// Unwrap returns the last node's error.
func (e *UnreachableError) Unwrap() error { return e.Err }

// do sends body (nil, []byte or a value to marshal) and decodes a 2xx answer
// into out (when not nil). Other answers become a *StatusError.
func (c *client) do(ctx context.Context, method, path string, body any, out any) error {
	raw, status, err := c.roundTrip(ctx, method, path, body, "application/json")
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return c.statusError(method, path, status, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("decoding answer to %s %s: %w", method, path, err)
		}
	}
	return nil
}

// roundTrip sends the request through the transport, which tries the
// nodes in turn until one answers, and returns the answer whatever its status.
func (c *client) roundTrip(ctx context.Context, method, path string, body any, contentType string) ([]byte, int, error) {
	var payload []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		payload = b
	case bulkBody:
		payload = b.data
	default:
		var err error
		if payload, err = json.Marshal(b); err != nil {
			return nil, 0, fmt.Errorf("encoding %s %s: %w", method, path, err)
		}
	}
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	var rd io.Reader
	if _, ok := body.(bulkBody); !ok && payload != nil {
		rd = bytes.NewReader(payload)
	}
	// The transport fills in scheme and host of the node it picks.
	req, err := http.NewRequestWithContext(ctx, method, path, rd)
	if err != nil {
		return nil, 0, fmt.Errorf("building %s %s: %w", method, path, err)
	}
	if bb, ok := body.(bulkBody); ok {
		// Readers that hold the body's buffer until the transport closes
		// them ([lineBuf]), for the first attempt and for every retry.
		req.Body, req.ContentLength = bb.reader(), int64(len(bb.data))
		req.GetBody = func() (io.ReadCloser, error) { return bb.reader(), nil }
	}
	if payload != nil {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.es.Transport.Perform(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, fmt.Errorf("%s %s: %w", method, path, ctx.Err())
		}
		return nil, 0, &UnreachableError{URLs: c.urls, Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, 0, fmt.Errorf("reading answer to %s %s: %w", method, path, err)
	}
	return raw, resp.StatusCode, nil
}

func (c *client) statusError(method, path string, status int, raw []byte) *StatusError {
	e := &StatusError{Method: method, Path: path, Status: status}
	var body struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(raw, &body) == nil && len(body.Error) > 0 {
		var obj esError
		if json.Unmarshal(body.Error, &obj) == nil && obj.Type != "" {
			e.Type, e.Reason = obj.Type, obj.reason()
			return e
		}
		var s string
		if json.Unmarshal(body.Error, &s) == nil {
			e.Reason = s
			return e
		}
	}
	e.Reason = string(raw)
	if len(e.Reason) > c.maxErr {
		e.Reason = e.Reason[:c.maxErr] + "..."
	}
	return e
}

// esError is the "error" object of an Elasticsearch answer or bulk item.
type esError struct {
	Type     string   `json:"type"`
	Reason   string   `json:"reason"`
	CausedBy *esError `json:"caused_by,omitempty"`
}

// reason is the reason with its causes, the way Elasticsearch nests them.
func (e *esError) reason() string {
	s := e.Reason
	for c := e.CausedBy; c != nil; c = c.CausedBy {
		s += ": " + c.Type + ": " + c.Reason
	}
	return s
}

func isStatus(err error, status int) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Status == status
}
