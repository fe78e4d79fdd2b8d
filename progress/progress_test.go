package progress

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/news"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// syncBuffer is a log sink the test reads while Log writes.
type syncBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLog(t *testing.T) {
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	ctx := t.Context()
	if err := bus.EnsureStreams(ctx, js, bus.Config{}.WithDefaults()); err != nil {
		t.Fatal(err)
	}
	a := news.Article{ID: "p1", Source: "example", Text: "x"}
	if _, err := bus.Publish(ctx, js, news.ArticleSubject(a.Source), a.MsgID(), a); err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- Log(runCtx, js, slog.New(slog.NewTextHandler(&out, nil)), 10*time.Millisecond) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "articles=1") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // polling with a deadline
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "msg=progress") || !strings.Contains(got, "articles=1") || !strings.Contains(got, "records=0") {
		t.Errorf("log = %q, want a progress line with articles=1 records=0", got)
	}
	if n := strings.Count(got, "msg=progress"); n != 1 {
		t.Errorf("%d progress lines, want 1: nothing changed after the first:\n%s", n, got)
	}
}
