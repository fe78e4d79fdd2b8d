package pipelinebench

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/dealindexstage"
	"github.com/dealwire/dealwire/extractstage"
	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/elastic"
	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/indexstage"
	"github.com/dealwire/dealwire/indexstage/indexstagetest"
	"github.com/dealwire/dealwire/news"
)

// Environment variables that size and feed the benchmark.
const (
	// envArticles is how many articles the throughput run pushes through
	// (default 5000).
	envArticles = "DEALWIRE_BENCH_PIPELINE_ARTICLES"
	// envRate is the steady rate of the latency run, articles per second
	// (default 20).
	envRate = "DEALWIRE_BENCH_PIPELINE_RATE"
	// envSeconds is how long the latency run publishes (default 60).
	envSeconds = "DEALWIRE_BENCH_PIPELINE_SECONDS"
	// envCorpus, when set, is a JSON-lines file of articles ("url",
	// "title", "text" on each line, as ../shared/realnews/realnews.jsonl)
	// whose texts the throughput run uses, each once, instead of
	// generated ones.
	envCorpus = "DEALWIRE_BENCH_PIPELINE_CORPUS"
	// envExtractWorkers, when set, overrides the extract stage's workers
	// (default: the stage's own default), to compare worker counts.
	envExtractWorkers = "DEALWIRE_BENCH_PIPELINE_EXTRACT_WORKERS"
)

// BenchmarkPipeline runs the extract and index stages against the
// Elasticsearch node of DEALWIRE_ES_URL, with the default settings of
// every stage (index flush interval 1s, the index's refresh interval 1s):
//
//   - throughput: the articles are published first, then the stages start;
//     articles/s is the count over the time until every stage has acked
//     everything.
//   - latency: the stages run idle, then articles are published at a
//     steady rate; each one's latency is from just before its publish to
//     the first search (polled every 25ms) that finds it.
//
// scripts/bench-pipeline runs it:
//
//	DEALWIRE_ES_URL=http://127.0.0.1:9200 go test -run '^$' -bench Pipeline -benchtime 1x -timeout 1h ./pipelinebench
func BenchmarkPipeline(b *testing.B) {
	u := indextest.ElasticURL(b)
	rates, err := fx.Default()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("throughput", func(b *testing.B) {
		arts := corpus(b, envInt(b, envArticles, 5000))
		for b.Loop() {
			p := newPipeline(b, u, rates)
			if err := publishAll(b.Context(), p.js, arts); err != nil {
				b.Fatal(err)
			}
			start, cpu0 := time.Now(), processCPU(b)
			stop := p.run(b)
			if err := p.waitIdle(b.Context()); err != nil {
				b.Fatal(err)
			}
			took, cpu := time.Since(start), processCPU(b)-cpu0
			stop()
			docs := p.count(b)
			perArticle := float64(cpu.Microseconds()) / 1000 / float64(len(arts))
			b.ReportMetric(float64(len(arts))/took.Seconds(), "articles/s")
			b.ReportMetric(perArticle, "cpu-ms/article")
			b.ReportMetric(0, "ns/op")
			b.Logf("%d articles (%.1f MB of text) extracted and indexed in %v: %.0f articles/s; the index holds %d records; load %s",
				len(arts), float64(textBytes(arts))/1e6, took.Round(time.Millisecond), float64(len(arts))/took.Seconds(), docs, indexstagetest.LoadAverage())
			b.Logf("CPU of this process (the stages and the NATS server, not Elasticsearch): %v, %.2f ms per article, %.0f%% of a core",
				cpu.Round(time.Millisecond), perArticle, 100*cpu.Seconds()/took.Seconds())
			if os.Getenv(envCorpus) == "" && docs != len(arts) {
				// Generated texts are all distinct: none may be merged as a near-duplicate.
				b.Fatalf("the index holds %d records, want %d", docs, len(arts))
			}
		}
	})
	b.Run("latency", func(b *testing.B) {
		rate := envInt(b, envRate, 20)
		secs := envInt(b, envSeconds, 60)
		arts := generated(rate*secs, 2, "latency")
		for b.Loop() {
			p := newPipeline(b, u, rates)
			stop := p.run(b)
			published, searchable := p.latencies(b, arts, rate)
			stop()
			extracted := p.extracted(b, published)
			lat := make([]time.Duration, 0, len(searchable))
			var toRecord, toSearch []time.Duration
			for id, t := range searchable {
				lat = append(lat, t.Sub(published[id]))
				if x, ok := extracted[id]; ok {
					toRecord = append(toRecord, x.Sub(published[id]))
					toSearch = append(toSearch, t.Sub(x))
				}
			}
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
			b.ReportMetric(ms(quantile(lat, 0.5)), "p50-ms")
			b.ReportMetric(ms(quantile(lat, 0.99)), "p99-ms")
			b.ReportMetric(ms(quantile(lat, 1)), "max-ms")
			b.ReportMetric(0, "ns/op")
			r := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
			b.Logf("%d articles at %d/s, publish to searchable: p50 %v, p90 %v, p99 %v, max %v; load %s",
				len(lat), rate, r(quantile(lat, 0.5)), r(quantile(lat, 0.9)), r(quantile(lat, 0.99)), r(quantile(lat, 1)),
				indexstagetest.LoadAverage())
			b.Logf("of which publish to record stored on RECORDS (extract): p50 %v, p99 %v; record stored to searchable (index): p50 %v, p99 %v",
				r(quantile(toRecord, 0.5)), r(quantile(toRecord, 0.99)), r(quantile(toSearch, 0.5)), r(quantile(toSearch, 0.99)))
		}
	})
}

// pipeline is one NATS server, one index, and the stages between them.
type pipeline struct {
	js      jetstream.JetStream
	store   *elastic.Store
	alias   string
	esURL   string
	extract *extractstage.Stage
	index   *indexstage.Stage
	deals   *dealindexstage.Stage
	http    *http.Client
}

func newPipeline(b *testing.B, u string, rates *fx.Table) *pipeline {
	b.Helper()
	ctx := b.Context()
	srv := bustest.NewServer(b)
	_, js := bustest.Connect(b, srv)
	nc := bus.Config{}.WithDefaults()
	if err := bus.EnsureStreams(ctx, js, nc); err != nil {
		b.Fatal(err)
	}
	alias := uniqueIndex()
	store, err := elastic.New(ctx, elastic.Config{URLs: []string{u}, Index: alias, Rates: rates}, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := store.Delete(ctx); err != nil {
			b.Error(err)
		}
		store.Close()
	})
	p := &pipeline{js: js, store: store, alias: alias, esURL: u, http: &http.Client{Timeout: 30 * time.Second}}
	b.Cleanup(p.http.CloseIdleConnections)
	var ecfg extractstage.Config
	if os.Getenv(envExtractWorkers) != "" {
		ecfg.Workers = envInt(b, envExtractWorkers, 0)
	}
	if p.extract, err = extractstage.New(ctx, js, ecfg, extractstage.Options{NATS: nc, Rates: rates}); err != nil {
		b.Fatal(err)
	}
	if p.index, err = indexstage.New(ctx, js, store, indexstage.Config{}, indexstage.Options{NATS: nc}); err != nil {
		b.Fatal(err)
	}
	if p.deals, err = dealindexstage.New(ctx, js, store, dealindexstage.Config{}, dealindexstage.Options{NATS: nc}); err != nil {
		b.Fatal(err)
	}
	return p
}

// run starts the stages; the returned stop ends them and waits for them.
func (p *pipeline) run(b *testing.B) (stop func()) {
	ctx, cancel := context.WithCancel(b.Context())
	var g errgroup.Group
	for _, run := range []func(context.Context) error{p.extract.Run, p.index.Run, p.deals.Run} {
		g.Go(func() error { return run(ctx) })
	}
	return func() {
		cancel()
		if err := g.Wait(); err != nil && !errors.Is(err, context.Canceled) {
			b.Errorf("stage: %v", err)
		}
	}
}

// waitIdle returns once every stage has acked everything on its stream.
// A stage acks only after its outputs are stored, so the extract stage
// idle means every record is on RECORDS before the index stage is asked.
func (p *pipeline) waitIdle(ctx context.Context) error {
	for {
		busy := ""
		for _, c := range []struct{ stream, durable string }{
			{news.StreamArticles, "extract"}, {news.StreamRecords, "index"}, {news.StreamDeals, "index-deals"},
		} {
			s, err := bustest.Busy(ctx, p.js, c.stream, c.durable)
			if err != nil {
				return err
			}
			if s != "" {
				busy = s
				break
			}
		}
		if busy == "" {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for the pipeline (%s): %w", busy, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (p *pipeline) count(b *testing.B) int {
	b.Helper()
	if err := p.store.Refresh(b.Context()); err != nil {
		b.Fatal(err)
	}
	res, err := p.store.Search(b.Context(), index.Query{Size: 1})
	if err != nil {
		b.Fatal(err)
	}
	return res.Total
}

// latencies publishes arts at rate per second and returns, by article id,
// the time just before its publish and the time of the first search that
// found it.
func (p *pipeline) latencies(b *testing.B, arts []news.Article, rate int) (published, searchable map[string]time.Time) {
	b.Helper()
	ctx := b.Context()
	published, searchable = map[string]time.Time{}, map[string]time.Time{}
	var mu sync.Mutex // guards published, searchable and pending
	pending := map[string]bool{}
	done := make(chan struct{})
	var g errgroup.Group
	g.Go(func() error {
		defer close(done)
		tick := time.NewTicker(time.Second / time.Duration(rate))
		defer tick.Stop()
		for _, a := range arts {
			<-tick.C
			mu.Lock()
			published[a.ID], pending[a.ID] = time.Now(), true
			mu.Unlock()
			if _, err := bus.Publish(ctx, p.js, news.ArticleSubject(a.Source), a.MsgID(), a); err != nil {
				return err
			}
		}
		return nil
	})
	g.Go(func() error {
		var deadline time.Time
		for {
			mu.Lock()
			ids := make([]string, 0, len(pending))
			for id := range pending {
				ids = append(ids, id)
			}
			mu.Unlock()
			select {
			case <-done:
				if len(ids) == 0 {
					return nil
				}
				if deadline.IsZero() {
					deadline = time.Now().Add(2 * time.Minute)
				}
				if time.Now().After(deadline) {
					return fmt.Errorf("%d articles not searchable 2 minutes after the last publish", len(ids))
				}
			default:
			}
			if len(ids) > 0 {
				found, err := p.searchIDs(ctx, ids)
				if err != nil {
					return err
				}
				now := time.Now()
				mu.Lock()
				for _, id := range found {
					if pending[id] {
						searchable[id] = now
						delete(pending, id)
					}
				}
				mu.Unlock()
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(25 * time.Millisecond):
			}
		}
	})
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	return published, searchable
}

// extracted returns, by article id, when JetStream stored the article's
// record on RECORDS: the end of the extract stage's part.
func (p *pipeline) extracted(b *testing.B, ids map[string]time.Time) map[string]time.Time {
	b.Helper()
	ctx := b.Context()
	stream, err := p.js.Stream(ctx, news.StreamRecords)
	if err != nil {
		b.Fatal(err)
	}
	cons, err := stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		b.Fatal(err)
	}
	out := map[string]time.Time{}
	for len(out) < len(ids) {
		batch, err := cons.Fetch(500, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for m := range batch.Messages() {
			n++
			var rec struct {
				Article struct {
					ID string `json:"id"`
				} `json:"article"`
			}
			md, err := m.Metadata()
			if err != nil || json.Unmarshal(m.Data(), &rec) != nil {
				b.Fatalf("reading RECORDS: %v", err)
			}
			if _, ok := ids[rec.Article.ID]; ok {
				out[rec.Article.ID] = md.Timestamp
			}
		}
		if n == 0 {
			break
		}
	}
	return out
}

// quantile returns the q quantile of ds (sorting ds); 0 for none.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[min(len(ds)-1, int(q*float64(len(ds))))]
}

// searchIDs returns which of ids a search of the records index finds now:
// what is searchable, not what a realtime GET would return.
func (p *pipeline) searchIDs(ctx context.Context, ids []string) ([]string, error) {
	body, err := json.Marshal(map[string]any{
		"query": map[string]any{"ids": map[string]any{"values": ids}}, "size": len(ids), "_source": false,
	})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.esURL+"/"+p.alias+"/_search", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("searching: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("searching: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("searching: status %d: %.300s", resp.StatusCode, raw)
	}
	var ans struct {
		Hits struct {
			Hits []struct {
				ID string `json:"_id"`
			} `json:"hits"`
		} `json:"hits"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		return nil, fmt.Errorf("decoding search answer: %w", err)
	}
	out := make([]string, len(ans.Hits.Hits))
	for i, h := range ans.Hits.Hits {
		out[i] = h.ID
	}
	return out, nil
}

// publishAll publishes arts to ARTICLES, a window of them in flight at a
// time, and returns once JetStream has stored them all.
func publishAll(ctx context.Context, js jetstream.JetStream, arts []news.Article) error {
	const window = 256
	for i := 0; i < len(arts); i += window {
		var futs []jetstream.PubAckFuture
		for _, a := range arts[i:min(i+window, len(arts))] {
			data, err := json.Marshal(a)
			if err != nil {
				return fmt.Errorf("encoding article %s: %w", a.ID, err)
			}
			f, err := js.PublishMsgAsync(&nats.Msg{Subject: news.ArticleSubject(a.Source), Data: data}, jetstream.WithMsgID(a.MsgID()))
			if err != nil {
				return fmt.Errorf("publishing article %s: %w", a.ID, err)
			}
			futs = append(futs, f)
		}
		for _, f := range futs {
			select {
			case <-f.Ok():
			case err := <-f.Err():
				return fmt.Errorf("publishing article: %w", err)
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	return nil
}

// corpus returns the throughput run's articles: the file of envCorpus
// (at most n of its lines), else n generated ones.
func corpus(b *testing.B, n int) []news.Article {
	b.Helper()
	path := os.Getenv(envCorpus)
	if path == "" {
		return generated(n, 1, "throughput")
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatalf("%s: %v", envCorpus, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	now := time.Now().UTC()
	var out []news.Article
	for sc.Scan() && len(out) < n {
		var line struct{ URL, Title, Text string }
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			b.Fatalf("%s line %d: %v", path, len(out)+1, err)
		}
		if line.Text == "" {
			continue
		}
		url := fmt.Sprintf("%s#bench-%d", line.URL, len(out))
		out = append(out, news.Article{V: news.SchemaVersion, ID: news.ArticleID(url), URL: url, CanonicalURL: url,
			Source: "corpus", Title: line.Title, Text: line.Text, FetchedAt: now})
	}
	if err := sc.Err(); err != nil {
		b.Fatalf("%s: %v", path, err)
	}
	if len(out) == 0 {
		b.Fatalf("%s: no articles with a text", path)
	}
	return out
}

// generated returns n articles with distinct generated funding news (the
// texts of [indextest.SyntheticRecords]), ids made from prefix.
func generated(n int, seed uint64, prefix string) []news.Article {
	now := time.Now().UTC()
	out := make([]news.Article, n)
	for i, r := range indextest.SyntheticRecords(n, seed) {
		a := r.Article
		a.URL = fmt.Sprintf("https://bench.example/%s/%d", prefix, i)
		a.CanonicalURL, a.ID, a.FetchedAt = a.URL, news.ArticleID(a.URL), now
		out[i] = a
	}
	return out
}

// processCPU is the user and system CPU time this process has used.
func processCPU(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("reading the process's CPU time: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func textBytes(arts []news.Article) int {
	n := 0
	for _, a := range arts {
		n += len(a.Title) + len(a.Text)
	}
	return n
}

func uniqueIndex() string {
	buf := make([]byte, 6)
	_, _ = rand.Read(buf)
	return "dealwire-bench-" + hex.EncodeToString(buf)
}

func envInt(b *testing.B, name string, def int) int {
	b.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a positive whole number", name, v)
	}
	return n
}
