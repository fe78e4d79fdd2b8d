package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/ingest"
	"github.com/nats-io/nats-server/v2/server"
)

func TestPageCommand(t *testing.T) {
	page := `<html lang="en"><head><title>Acme raises $5M | News</title><link rel="canonical" href="/a?utm_source=x">
<meta property="article:published_time" content="2026-11-20T10:00:00Z"><meta name="author" content="Jane Doe"></head>
<body><nav><a href="/">Home</a></nav><article><h1>Acme raises $5M</h1><p>Acme, a robotics startup, raised $5 million in a seed round led by Example Ventures, the company said on Thursday.</p>
<p>It will hire engineers in Berlin and open an office in Austin next year.</p></article><footer>Copyright News</footer></body></html>`
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(page), stdout: &out, stderr: &errOut}
	if err := runPage(t.Context(), e, []string{"--url", "https://news.example/a"}); err != nil {
		t.Fatalf("page: %v (%s)", err, errOut.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	for field, want := range map[string]any{
		"canonical_url": "https://news.example/a", "lang": "en", "published": "2026-11-20T10:00:00Z",
	} {
		if got[field] != want {
			t.Errorf("%s = %v, want %v", field, got[field], want)
		}
	}
	if text, _ := got["text"].(string); !strings.Contains(text, "raised $5 million") || strings.Contains(text, "Copyright") {
		t.Errorf("text = %q", text)
	}
	if a, _ := got["authors"].([]any); len(a) != 1 || a[0] != "Jane Doe" {
		t.Errorf("authors = %v", got["authors"])
	}
}

func TestFeedsImportAndList(t *testing.T) {
	dir := t.TempDir()
	opml := filepath.Join(dir, "subs.opml")
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>Acme raises $5M</title><link>https://news.example/a</link><guid>a</guid><description>` + strings.Repeat("Acme raised money. ", 40) + `</description></item></channel></rss>`))
	}))
	t.Cleanup(site.Close)
	if err := os.WriteFile(opml, []byte(`<opml version="2.0"><body><outline text="Local" type="rss" xmlUrl="`+site.URL+`/feed"/></body></opml>`), 0o644); err != nil {
		t.Fatal(err)
	}
	feedsFile := filepath.Join(dir, "feeds.yaml")
	var out bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out}
	if err := runFeeds(t.Context(), e, []string{"import", "--out", feedsFile, opml}); err != nil {
		t.Fatalf("import: %v (%s)", err, out.String())
	}
	feeds, err := ingest.LoadFeeds(feedsFile)
	if err != nil || len(feeds) != 1 || feeds[0].Name != "local" {
		t.Fatalf("imported feeds %+v, %v", feeds, err)
	}

	// Poll once so the bucket holds state, then list it.
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	cfg := ingest.DefaultConfig()
	cfg.Feeds = feeds
	cfg.AllowPrivate = []string{"127.0.0.1"}
	cfg.FullTextMinChars = 10
	p, err := ingest.NewPoller(cfg, js, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(dir, "dealwire.yaml")
	if err := os.WriteFile(cfgFile, []byte("feeds_file: "+feedsFile+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := runFeeds(t.Context(), e, []string{"list", "--config", cfgFile, "--nats", srv.ClientURL()}); err != nil {
		t.Fatalf("list: %v (%s)", err, out.String())
	}
	// The stream does not exist here, so the item waits: the feed is partial.
	if !strings.Contains(out.String(), "local") || !strings.Contains(out.String(), ingest.StatusPartial) || !strings.Contains(out.String(), site.URL+"/feed") {
		t.Errorf("feeds list output:\n%s", out.String())
	}
}

// TestFeedsListWithToken runs a command against a NATS server that wants a
// token, the token coming from the environment and the URL from --nats.
func TestFeedsListWithToken(t *testing.T) {
	srv, err := server.NewServer(&server.Options{
		Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true,
		Authorization: "feeds-token-0123456789",
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server not ready")
	}
	t.Setenv("DEALWIRE_CONFIG", "")
	t.Setenv("DEALWIRE_NATS_URL", "")
	for _, tc := range []struct{ name, token, wantErr string }{
		{"right token", "feeds-token-0123456789", ""},
		{"wrong token", "wrong-token", "the server refused nats.token (DEALWIRE_NATS_TOKEN)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("DEALWIRE_NATS_TOKEN", tc.token)
			var out bytes.Buffer
			e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out}
			err := runFeeds(t.Context(), e, []string{"list", "--nats", srv.ClientURL()})
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("feeds list: %v (%s)", err, out.String())
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("feeds list: %v, want an error holding %q", err, tc.wantErr)
			}
		})
	}
}
