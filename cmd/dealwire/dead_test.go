package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/news"
)

// TestDeadListAndReplayCommands: an article the extract stage rejects is
// listed by "dealwire dead list" with its reason, and "dealwire dead
// replay" sends it back to ARTICLES, where the stage handles it again.
func TestDeadListAndReplayCommands(t *testing.T) {
	t.Setenv("DEALWIRE_CONFIG", "")
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	cfg := bus.Config{URL: srv.ClientURL()}.WithDefaults()
	if err := bus.EnsureStreams(t.Context(), js, cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := bus.Publish(t.Context(), js, news.ArticleSubject("wire"), "a1", news.Article{ID: "a1", Source: "wire"}); err != nil {
		t.Fatal(err)
	}
	cons, err := bus.NewConsumer(t.Context(), js, cfg, bus.Stage{Name: "extract", Stream: news.StreamArticles, Durable: "extract"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- cons.Run(ctx, func(context.Context, jetstream.Msg) error {
			return news.Permanent(errors.New("decoding article: no text"))
		})
	}()
	waitFor(t, func() bool { return len(listDead(t, srv.ClientURL())) == 1 })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	dl := listDead(t, srv.ClientURL())[0]
	if dl["stage"] != "extract" || dl["subject"] != news.ArticleSubject("wire") || dl["reason"] != "decoding article: no text" || dl["msg_id"] != "a1" {
		t.Errorf("dead list --json = %v", dl)
	}
	var out bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out}
	if err := dispatch(t.Context(), e, []string{"dead", "list", "--nats", srv.ClientURL(), "--stage", "extract"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "decoding article: no text") || !strings.Contains(out.String(), "1 dead letters") {
		t.Errorf("dead list printed:\n%s", out.String())
	}
	if err := dispatch(t.Context(), e, []string{"dead", "replay", "--nats", srv.ClientURL(), "--id", "999"}); err == nil || !strings.Contains(err.Error(), "no such dead letter") {
		t.Errorf("replay of an unknown id: err = %v, want 'no such dead letter'", err)
	}
	if err := dispatch(t.Context(), e, []string{"dead", "replay", "--nats", srv.ClientURL(), "--stage", "extract"}); err != nil {
		t.Fatal(err)
	}
	if left := listDead(t, srv.ClientURL()); len(left) != 0 {
		t.Errorf("dead letters after replay: %v", left)
	}
	m, err := js.Stream(t.Context(), news.StreamArticles)
	if err != nil {
		t.Fatal(err)
	}
	last, err := m.GetLastMsgForSubject(t.Context(), news.ArticleSubject("wire"))
	if err != nil {
		t.Fatal(err)
	}
	if last.Sequence != 2 || last.Header.Get(bus.HeaderReplayOf) == "" {
		t.Errorf("last ARTICLES message: seq %d, %s %q; want the replay at seq 2", last.Sequence, bus.HeaderReplayOf, last.Header.Get(bus.HeaderReplayOf))
	}
}

func listDead(t *testing.T, url string) []map[string]any {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}
	if err := dispatch(t.Context(), e, []string{"dead", "list", "--json", "--nats", url}); err != nil {
		t.Fatalf("dead list: %v\n%s", err, errOut.String())
	}
	var dls []map[string]any
	dec := json.NewDecoder(&out)
	for dec.More() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		dls = append(dls, m)
	}
	return dls
}

// waitFor polls cond for up to 20s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not reached within 20s")
}
