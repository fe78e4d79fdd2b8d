package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/config"
	"github.com/dealwire/dealwire/dealindexstage"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/elastic"
	"github.com/dealwire/dealwire/index/sqlite"
	"github.com/dealwire/dealwire/indexstage"
	"github.com/dealwire/dealwire/ingest"
	"github.com/dealwire/dealwire/news"
	"github.com/dealwire/dealwire/obs"
	"github.com/dealwire/dealwire/pipeline"
)

// syncBuffer is a log sink the pipeline's goroutines write to concurrently.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

const articleBody = `<p>%s, a startup based in Lisbon, said on Tuesday it has raised %s in a Series A round led by Accel.</p>
<p>The company will use the money to hire engineers and expand into Germany and France over the next two years.</p>
<p>Its founders previously built logistics software for large retailers across southern Europe and North Africa.</p>`

// newsSite serves an RSS feed, an Atom feed, a malformed feed and the pages
// they link. Article a1 appears in both good feeds. edit makes the publisher
// correct a3's amount and mark its Atom entry updated.
func newsSite(t *testing.T) (srv *httptest.Server, edit func()) {
	t.Helper()
	var mu sync.Mutex
	edited := false
	edit = func() { mu.Lock(); edited = true; mu.Unlock() }
	mux := http.NewServeMux()
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	base := srv.URL
	pages := map[string][2]string{
		"a1": {"Quillstone raises $40 million Series A", fmt.Sprintf(articleBody, "Quillstone", "$40 million")},
		"a2": {"Brightmoor lands €12m to build heat pumps", fmt.Sprintf(articleBody, "Brightmoor", "€12m")},
		"a3": {"Tavera picks up £3.5 million for payroll tools", fmt.Sprintf(articleBody, "Tavera", "£3.5 million")},
	}
	for id, p := range pages {
		mux.HandleFunc("/news/"+id, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			body := p[1]
			mu.Lock()
			if id == "a3" && edited {
				body = fmt.Sprintf(articleBody, "Tavera", "£4.5 million")
			}
			mu.Unlock()
			fmt.Fprintf(w, `<!doctype html><html lang="en"><head><title>%s | Example News</title>
<link rel="canonical" href="%s/news/%s"><meta property="og:title" content="%s">
<meta property="article:published_time" content="2026-11-20T09:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>%s</h1>%s</article><footer>Copyright Example News</footer></body></html>`, p[0], base, id, p[0], p[0], body)
		})
	}
	item := func(id string) string {
		return fmt.Sprintf(`<item><title>%s</title><link>%s/news/%s?utm_source=rss</link><guid>%s-rss</guid><pubDate>Fri, 20 Nov 2026 09:00:00 GMT</pubDate></item>`,
			pages[id][0], base, id, id)
	}
	entry := func(id string) string {
		updated := "2026-11-20T09:00:00Z"
		mu.Lock()
		if id == "a3" && edited {
			updated = "2026-11-20T15:00:00Z"
		}
		mu.Unlock()
		return fmt.Sprintf(`<entry><title>%s</title><link href="%s/news/%s"/><id>urn:example:%s</id><published>2026-11-20T09:00:00Z</published><updated>%s</updated></entry>`,
			pages[id][0], base, id, id, updated)
	}
	mux.HandleFunc("/rss.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Example RSS</title><link>%s</link>%s%s</channel></rss>`, base, item("a1"), item("a2"))
	})
	mux.HandleFunc("/atom.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Example Atom</title><id>urn:example</id><updated>2026-11-20T09:00:00Z</updated>%s%s</feed>`, entry("a1"), entry("a3"))
	})
	mux.HandleFunc("/broken.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<rss version="2.0"><channel><title>Broken</title><item><title>half`)
	})
	return srv, edit
}

// unreachableURL returns a URL on a loopback port that nothing listens on.
func unreachableURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/feed.xml"
}

type storeOpener func(t *testing.T) pipeline.Store

func TestEndToEndSQLite(t *testing.T) {
	testEndToEnd(t, func(t *testing.T) pipeline.Store {
		s, err := sqlite.Open(t.Context(), sqlite.Config{Path: t.TempDir() + "/dealwire.db"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestEndToEndElasticsearch(t *testing.T) {
	url := os.Getenv("DEALWIRE_ES_URL")
	if url == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("DEALWIRE_ES_URL is not set under CI: run the suite with scripts/test")
		}
		t.Skip("DEALWIRE_ES_URL not set; run scripts/test for the Elasticsearch end-to-end test")
	}
	testEndToEnd(t, func(t *testing.T) pipeline.Store {
		name := fmt.Sprintf("e2e-%d", time.Now().UnixNano())
		dropIndexAtEnd(t, url, name)
		s, err := elastic.New(t.Context(), elastic.Config{URLs: []string{url}, Index: name}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func testEndToEnd(t *testing.T, open storeOpener) {
	site, edit := newsSite(t)
	natsSrv := bustest.NewServer(t)
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))

	cfg := &config.Config{DataDir: t.TempDir(), Ingest: ingest.DefaultConfig()}
	cfg.NATS.URL = natsSrv.ClientURL()
	cfg.SetDefaults()
	cfg.NATS.AckWait = 30 * time.Second
	cfg.Index.FlushInterval = 200 * time.Millisecond
	cfg.Ingest.AllowPrivate = []string{"127.0.0.1"}
	cfg.Ingest.HostDelay = 0
	cfg.Ingest.FeedTimeout = 5 * time.Second
	cfg.Ingest.PageTimeout = 5 * time.Second
	cfg.Ingest.Feeds = []ingest.FeedConfig{
		{Name: "example-rss", URL: site.URL + "/rss.xml"},
		{Name: "example-atom", URL: site.URL + "/atom.xml"},
		{Name: "broken", URL: site.URL + "/broken.xml"},
		{Name: "gone", URL: unreachableURL(t)},
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(t.Context())
	d := &pipeline.Process{Config: cfg, Logger: logger, Registry: obs.NewRegistry()}
	if err := d.Connect(ctx, "e2e", bus.External); err != nil {
		t.Fatal(err)
	}
	store := open(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	poller, err := ingest.NewPoller(cfg.Ingest, d.JS, logger, d.Registry)
	if err != nil {
		t.Fatal(err)
	}
	polled := make(chan error, 1)
	fetchOnce := func(ctx context.Context) error {
		polled <- poller.PollOnce(ctx)
		<-ctx.Done()
		return nil
	}
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx, store, ln, nil, fetchOnce) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("pipeline.Run: %v", err)
		}
		pipeline.CloseStore(store, logger)
		d.Close()
	})
	if err := <-polled; err != nil {
		t.Fatalf("PollOnce: %v", err)
	}

	waitIndexed(t, d, store, 3)
	res, err := store.Search(t.Context(), index.Query{Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 3 || len(res.Hits) != 3 {
		t.Fatalf("index holds %d records (%d hits), want 3 (one per unique article)", res.Total, len(res.Hits))
	}
	want := map[string]struct {
		title    string
		currency string
		value    float64
	}{
		"a1": {"Quillstone raises $40 million Series A", "USD", 40e6},
		"a2": {"Brightmoor lands €12m to build heat pumps", "EUR", 12e6},
		"a3": {"Tavera picks up £3.5 million for payroll tools", "GBP", 3.5e6},
	}
	for _, h := range res.Hits {
		a := h.Record.Article
		key := a.CanonicalURL[strings.LastIndex(a.CanonicalURL, "/")+1:]
		w, ok := want[key]
		if !ok {
			t.Errorf("unexpected record %s (canonical %s)", h.ID, a.CanonicalURL)
			continue
		}
		if a.Title != w.title {
			t.Errorf("%s: title %q, want %q", key, a.Title, w.title)
		}
		if !strings.Contains(a.Text, "hire engineers") || strings.Contains(a.Text, "Copyright Example News") {
			t.Errorf("%s: text is not the article's main text: %q", key, a.Text)
		}
		if h.ID != news.ArticleID(a.CanonicalURL) {
			t.Errorf("%s: id %s is not the hash of the canonical url %s", key, h.ID, a.CanonicalURL)
		}
		if !hasAmount(h.Record, w.currency, w.value) {
			t.Errorf("%s: extracted amounts lack %s %v: %+v", key, w.currency, w.value, h.Record.Extraction)
		}
	}

	// Each article reports one round, so the deal index holds three deals,
	// each with its one source.
	ds, ok := store.(index.DealStore)
	if !ok {
		t.Fatalf("%T does not store deals", store)
	}
	dres, err := ds.SearchDeals(t.Context(), index.Query{Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	if dres.Total != 3 {
		t.Errorf("deal index holds %d deals, want 3: %+v", dres.Total, dres.Hits)
	}
	for _, h := range dres.Hits {
		if len(h.Deal.Sources) != 1 {
			t.Errorf("deal %s (%s) has %d sources, want 1", h.ID, h.Deal.Company, len(h.Deal.Sources))
		}
	}

	// Fetching again, as a restarted fetcher would, adds no duplicate.
	again, err := ingest.NewPoller(cfg.Ingest, d.JS, logger, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := again.PollOnce(t.Context()); err != nil {
		t.Fatalf("second PollOnce: %v", err)
	}
	waitIndexed(t, d, store, 3)
	if res, err = store.Search(t.Context(), index.Query{}); err != nil || res.Total != 3 {
		t.Fatalf("after a second fetch the index holds %d records (err %v), want 3", res.Total, err)
	}
	if dres, err = ds.SearchDeals(t.Context(), index.Query{}); err != nil || dres.Total != 3 {
		t.Fatalf("after a second fetch the deal index holds %d deals (err %v), want 3", dres.Total, err)
	}

	// The publisher corrects a3's amount and marks the entry updated: the
	// next fetch updates the same record and the same deal.
	edit()
	if err := again.PollOnce(t.Context()); err != nil {
		t.Fatalf("PollOnce after the edit: %v", err)
	}
	waitIndexed(t, d, store, 3)
	a3 := news.ArticleID(site.URL + "/news/a3")
	deadline := time.Now().Add(30 * time.Second)
	for {
		rec, err := store.Get(t.Context(), a3)
		if err == nil && hasAmount(rec, "GBP", 4.5e6) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("record %s was not updated by the edit: %+v (err %v)", a3, rec.Extraction, err)
		}
		time.Sleep(50 * time.Millisecond) // polling with a deadline
	}
	if res, err = store.Search(t.Context(), index.Query{}); err != nil || res.Total != 3 {
		t.Fatalf("after the edit the index holds %d records (err %v), want 3", res.Total, err)
	}
	if err := store.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	dres, err = ds.SearchDeals(t.Context(), index.Query{Company: "Tavera"})
	if err != nil || dres.Total != 1 {
		t.Fatalf("after the edit the deal index holds %d Tavera deals (err %v), want 1", dres.Total, err)
	}
	if a := dres.Hits[0].Deal.Amount; a == nil || a.Value.Float64() != 4.5e6 || len(dres.Hits[0].Deal.Sources) != 1 {
		t.Errorf("Tavera deal after the edit: amount %+v, %d sources; want £4.5M from its one source", a, len(dres.Hits[0].Deal.Sources))
	}

	// "dealwire index reindex" rebuilds an empty index from the streams.
	fresh := open(t)
	defer pipeline.CloseStore(fresh, logger)
	n, err := indexstage.Replay(t.Context(), d.JS, fresh, 2, logger)
	if err != nil || n < 3 {
		t.Fatalf("indexstage.Replay = %d, %v; want at least 3 records", n, err)
	}
	nd, err := dealindexstage.Replay(t.Context(), d.JS, fresh, d.Config.Deals, logger)
	if err != nil || nd != 3 {
		t.Fatalf("dealindexstage.Replay = %d, %v; want 3 deals", nd, err)
	}
	if err := fresh.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	if res, err := fresh.Search(t.Context(), index.Query{}); err != nil || res.Total != 3 {
		t.Errorf("rebuilt index holds %d records (err %v), want 3", res.Total, err)
	}

	// The HTTP API answers on the same index.
	resp, err := http.Get("http://" + ln.Addr().String() + "/api/search?q=heat+pumps")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body index.Result
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("decoding /api/search: %v", err)
	}
	if resp.StatusCode != 200 || body.Total != 1 || body.Hits[0].Record.Article.Title != want["a2"].title {
		t.Errorf("/api/search?q=heat+pumps: status %d, %+v", resp.StatusCode, body)
	}

	// The bad feeds were logged with a clear error and stopped nothing.
	out := logs.String()
	for _, feed := range []string{"/broken.xml", cfg.Ingest.Feeds[3].URL} {
		if !strings.Contains(out, feed) {
			t.Errorf("no log line names the failing feed %s; logs:\n%s", feed, out)
		}
	}
}

func hasAmount(r news.Record, currency string, value float64) bool {
	for _, d := range r.Extraction.Deals {
		if d.Amount != nil && d.Amount.Currency == currency && d.Amount.Value.Float64() == value {
			return true
		}
	}
	for _, f := range append(r.Extraction.PriorAmounts, r.Extraction.OtherAmounts...) {
		if f.Value != nil && f.Currency == currency && f.Value.Float64() == value {
			return true
		}
	}
	return false
}

// waitIndexed waits until both consumers have nothing pending and the
// store holds want records.
func waitIndexed(t *testing.T, d *pipeline.Process, store index.Store, want int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		idle := true
		for _, c := range []struct{ stream, durable string }{{news.StreamArticles, "extract"}, {news.StreamRecords, "index"}, {news.StreamDeals, "index-deals"}} {
			if busy := consumerBusy(t, d.JS, c.stream, c.durable); busy != "" {
				idle, last = false, busy
			}
		}
		if idle {
			if err := store.Refresh(t.Context()); err != nil {
				t.Fatal(err)
			}
			res, err := store.Search(t.Context(), index.Query{})
			if err == nil && res.Total >= want {
				return
			}
			last = fmt.Sprintf("store holds %d records (err %v)", res.Total, err)
		}
		time.Sleep(50 * time.Millisecond) // polling with a deadline
	}
	t.Fatalf("pipeline did not settle within 60s: %s", last)
}
