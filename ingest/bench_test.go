package ingest

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/news"
)

// benchResolver resolves every *.bench.test name to 127.0.0.1, so each feed
// can live on its own host name (and get its own robots.txt, host slot and
// delay) while one local server answers them all.
type benchResolver struct{}

func (benchResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if strings.HasSuffix(host, ".bench.test") {
		return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
	}
	return nil, fmt.Errorf("no such host %s", host)
}

// benchFeed writes feed n: three items, with full text in the feed except for
// one feed in fifty, whose short items make the poller fetch and extract
// their pages.
func benchFeed(w http.ResponseWriter, host string, n int) {
	short := n%50 == 0
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed %d</title><link>http://%s/</link>`, n, host)
	for i := range 3 {
		text := "Short teaser."
		if !short {
			text = strings.Repeat(fmt.Sprintf("Company %d-%d raised $%d million in a Series A round led by Example Ventures. ", n, i, 5+i), 12)
		}
		fmt.Fprintf(&b, `<item><title>Company %d-%d raises $%d million</title><link>http://%s/story/%d/%d?utm_source=rss</link><guid>%d-%d</guid><pubDate>Fri, 20 Nov 2026 10:%02d:00 +0000</pubDate><description>%s</description></item>`,
			n, i, 5+i, host, n, i, n, i, i, text)
	}
	b.WriteString(`</channel></rss>`)
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Header().Set("ETag", `"v1"`)
	_, _ = w.Write([]byte(b.String()))
}

func benchPage(w http.ResponseWriter, path string) {
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Story</title></head><body><nav><a href="/">Home</a> <a href="/a">Startups</a></nav><article><h1>Story ` + path + `</h1>`)
	for i := range 8 {
		fmt.Fprintf(&b, "<p>Paragraph %d of the story: the company raised money from investors and plans to hire engineers across Europe and the United States next year.</p>", i)
	}
	b.WriteString(`</article><footer>© Bench News</footer></body></html>`)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(b.String()))
}

// BenchmarkPoll10k polls 10,000 feeds, each on its own host name, served by
// one local httptest server, with one Poller in its default configuration
// (32 workers, 2 requests and 1s delay per host, robots.txt on) publishing
// to an in-process NATS server. It reports feeds per minute for a cold pass
// (every feed new: robots.txt, fetch, parse, 30,000 articles published, 600
// pages fetched and extracted) and a warm pass (every feed answers 304), and
// the peak Go heap and peak RSS of the whole test process (NATS server and
// HTTP server included). Run it with:
//
//	go test ./ingest -run '^$' -bench Poll10k -benchtime 1x -timeout 30m
//
// Measured on the 2-core development machine, shared with other work (load
// average 4-5), 2026-11-25:
//
//	default config:  21,300-27,200 cold feeds/min, 110,000-171,000 warm feeds/min,
//	                 peak heap 131-144 MiB, peak RSS 181-188 MiB (NATS and HTTP server included)
//	host_delay 0s:   50,300 cold feeds/min, 115,000 warm feeds/min, peak heap 136 MiB
//
// DEALWIRE_BENCH_FEEDS sets another feed count; DEALWIRE_BENCH_HOST_DELAY
// another per-host delay (e.g. 0s, to measure the machinery rather than the
// politeness: with the default 1s, the 200 feeds whose pages are fetched
// spend three seconds each waiting for their host).
// DEALWIRE_BENCH_SYNC_ALWAYS=1 runs the NATS server with SyncAlways (an
// fsync per JetStream write; scripts/bench-jetstream compares the two).
func BenchmarkPoll10k(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("DEALWIRE_BENCH_FEEDS")); err == nil && v > 0 {
		n = v
	}
	s := newSite(b)
	s.handle("/", func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		switch {
		case r.URL.Path == "/robots.txt":
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte("User-agent: *\nDisallow: /private/\n"))
		case strings.HasPrefix(r.URL.Path, "/feed"):
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			id, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/feed"))
			benchFeed(w, host, id)
		case strings.HasPrefix(r.URL.Path, "/story/"):
			benchPage(w, r.URL.Path)
		default:
			http.NotFound(w, r)
		}
	})
	_, port, _ := strings.Cut(strings.TrimPrefix(s.URL, "http://"), ":")

	feeds := make([]FeedConfig, n)
	for i := range feeds {
		feeds[i] = FeedConfig{Name: "bench", URL: fmt.Sprintf("http://f%d.bench.test:%s/feed%d", i, port, i)}
	}
	js := newBus(b)
	if os.Getenv("DEALWIRE_BENCH_SYNC_ALWAYS") == "1" {
		js = syncAlwaysBus(b)
	}

	var peakHeap atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peakHeap.Load() {
				peakHeap.Store(ms.HeapAlloc)
			}
			select {
			case <-t.C:
			case <-stop:
				return
			}
		}
	}()

	var cold, warm time.Duration
	for i := 0; b.Loop(); i++ {
		cfg := DefaultConfig()
		cfg.Feeds = feeds
		cfg.AllowPrivate = []string{"127.0.0.1"}
		cfg.Resolver = benchResolver{}
		cfg.StateBucket = fmt.Sprintf("bench_%d", i)
		if d, err := time.ParseDuration(os.Getenv("DEALWIRE_BENCH_HOST_DELAY")); err == nil {
			cfg.HostDelay = d
		}
		p, err := NewPoller(cfg, js, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := p.PollOnce(b.Context()); err != nil {
			b.Fatal(err)
		}
		cold += time.Since(start)
		start = time.Now()
		if err := p.PollOnce(b.Context()); err != nil {
			b.Fatal(err)
		}
		warm += time.Since(start)
		p.Close()
	}
	close(stop)
	<-sampled
	iters := float64(b.N)
	b.ReportMetric(float64(n)/(cold.Minutes()/iters), "cold_feeds/min")
	b.ReportMetric(float64(n)/(warm.Minutes()/iters), "warm_feeds/min")
	b.ReportMetric(float64(peakHeap.Load())/(1<<20), "peak_heap_MiB")
	b.ReportMetric(peakRSS()/(1<<20), "peak_rss_MiB")
	stream, err := js.Stream(b.Context(), "ARTICLES")
	if err == nil {
		if info, err := stream.Info(b.Context()); err == nil {
			b.ReportMetric(float64(info.State.Msgs), "articles")
		}
	}
}

// syncAlwaysBus is [newBus] on a server that syncs every write to disk.
func syncAlwaysBus(b *testing.B) jetstream.JetStream {
	srv := bustest.NewServer(b, func(o *server.Options) { o.SyncAlways = true })
	_, js := bustest.Connect(b, srv)
	if _, err := js.CreateOrUpdateStream(b.Context(), jetstream.StreamConfig{Name: news.StreamArticles,
		Subjects: []string{news.ArticleSubjects}, Duplicates: 24 * time.Hour}); err != nil {
		b.Fatal(err)
	}
	return js
}

// peakRSS reads the process's peak resident set size (VmHWM) in bytes.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb * 1024
		}
	}
	return 0
}
