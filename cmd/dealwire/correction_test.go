package main

import (
	"context"
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
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/elastic"
	"github.com/dealwire/dealwire/index/sqlite"
	"github.com/dealwire/dealwire/ingest"
	"github.com/dealwire/dealwire/news"
	"github.com/dealwire/dealwire/obs"
	"github.com/dealwire/dealwire/pipeline"
)

// correctionVersion is what the publisher serves at one moment: the entry's
// headline, the company and amount in its text, and its <updated> time.
type correctionVersion struct {
	title, company, amount string
	updated                time.Time
}

// correctingSite serves an Atom feed of one entry and the page it links;
// set replaces what both say, as a publisher correcting a story would.
func correctingSite(t *testing.T, v correctionVersion) (srv *httptest.Server, set func(correctionVersion)) {
	t.Helper()
	var mu sync.Mutex
	set = func(nv correctionVersion) { mu.Lock(); v = nv; mu.Unlock() }
	get := func() correctionVersion { mu.Lock(); defer mu.Unlock(); return v }
	mux := http.NewServeMux()
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	mux.HandleFunc("/news/heat-pumps", func(w http.ResponseWriter, r *http.Request) {
		v := get()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><title>%[1]s | Example News</title>
<link rel="canonical" href="%[2]s/news/heat-pumps"><meta property="og:title" content="%[1]s">
<meta property="article:published_time" content="2026-11-20T09:00:00Z"></head>
<body><nav><a href="/">Home</a></nav><article><h1>%[1]s</h1>%[3]s</article><footer>Copyright Example News</footer></body></html>`,
			v.title, srv.URL, fmt.Sprintf(articleBody, v.company, v.amount))
	})
	mux.HandleFunc("/atom.xml", func(w http.ResponseWriter, r *http.Request) {
		v := get()
		w.Header().Set("Content-Type", "application/atom+xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Example Atom</title><id>urn:example</id><updated>%[3]s</updated>
<entry><title>%[1]s</title><link href="%[2]s/news/heat-pumps"/><id>urn:example:heat-pumps</id><published>2026-11-20T09:00:00Z</published><updated>%[3]s</updated></entry></feed>`,
			v.title, srv.URL, v.updated.Format(time.RFC3339))
	})
	return srv, set
}

func TestCorrectionsLandSQLite(t *testing.T) {
	testCorrectionsLand(t, func(t *testing.T) pipeline.Store {
		s, err := sqlite.Open(t.Context(), sqlite.Config{Path: t.TempDir() + "/dealwire.db"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestCorrectionsLandElasticsearch(t *testing.T) {
	url := os.Getenv("DEALWIRE_ES_URL")
	if url == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("DEALWIRE_ES_URL is not set under CI: run the suite with scripts/test")
		}
		t.Skip("DEALWIRE_ES_URL not set; run scripts/test for the Elasticsearch correction test")
	}
	testCorrectionsLand(t, func(t *testing.T) pipeline.Store {
		name := fmt.Sprintf("corrections-%d", time.Now().UnixNano())
		dropIndexAtEnd(t, url, name)
		s, err := elastic.New(t.Context(), elastic.Config{URLs: []string{url}, Index: name}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// testCorrectionsLand runs the whole pipeline on an Atom entry its publisher
// corrects again and again, each time with a newer <updated>: a currency
// sign, a digit, the company's name and the headline. Each correction is
// one new RECORDS message and reaches the indexed record and the deal; a
// re-publication that changes nothing but <updated> adds no RECORDS message.
func testCorrectionsLand(t *testing.T, open storeOpener) {
	first := correctionVersion{
		title:   "Lisbon heat pump startup raises Series A",
		company: "Brightmoor", amount: "€12m",
		updated: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
	}
	site, publish := correctingSite(t, first)
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
	cfg.Ingest.Feeds = []ingest.FeedConfig{{Name: "example-atom", URL: site.URL + "/atom.xml"}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(t.Context())
	d := &pipeline.Process{Config: cfg, Logger: logger, Registry: obs.NewRegistry()}
	if err := d.Connect(ctx, "corrections", bus.External); err != nil {
		t.Fatal(err)
	}
	store := open(t)
	ds, ok := store.(index.DealStore)
	if !ok {
		t.Fatalf("%T does not store deals", store)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	// The fetch stage is driven by the test, one poll per publisher version.
	idle := func(ctx context.Context) error { <-ctx.Done(); return nil }
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx, store, ln, nil, idle) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("pipeline.Run: %v", err)
		}
		pipeline.CloseStore(store, logger)
		d.Close()
	})
	poller, err := ingest.NewPoller(cfg.Ingest, d.JS, logger, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := news.ArticleID(site.URL + "/news/heat-pumps")

	records := func() uint64 {
		t.Helper()
		s, err := d.JS.Stream(t.Context(), news.StreamRecords)
		if err != nil {
			t.Fatal(err)
		}
		info, err := s.Info(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return info.State.Msgs
	}
	// poll fetches the feed once and waits until every stage is idle.
	poll := func() {
		t.Helper()
		if err := poller.PollOnce(t.Context()); err != nil {
			t.Fatalf("PollOnce: %v", err)
		}
		waitIndexed(t, d, store, 1)
	}
	// check asserts that the indexed record and the one deal say what v says.
	check := func(step string, v correctionVersion, currency string, value float64) {
		t.Helper()
		rec, err := store.Get(t.Context(), id)
		if err != nil {
			t.Fatalf("%s: getting record %s: %v", step, id, err)
		}
		if rec.Article.Title != v.title || !strings.Contains(rec.Article.Text, v.company+", a startup") || !strings.Contains(rec.Article.Text, v.amount) {
			t.Errorf("%s: indexed record has title %q, text %q; want title %q and %s raising %s", step, rec.Article.Title, rec.Article.Text, v.title, v.company, v.amount)
		}
		if !hasAmount(rec, currency, value) {
			t.Errorf("%s: indexed record lacks %s %v: %+v", step, currency, value, rec.Extraction)
		}
		if len(rec.Extraction.Deals) != 1 || rec.Extraction.Deals[0].Company != v.company {
			t.Errorf("%s: indexed record's deals %+v, want one of %s", step, rec.Extraction.Deals, v.company)
		}
		if res, err := store.Search(t.Context(), index.Query{}); err != nil || res.Total != 1 {
			t.Errorf("%s: index holds %d records (err %v), want 1", step, res.Total, err)
		}
		dres, err := ds.SearchDeals(t.Context(), index.Query{Size: 10})
		if err != nil {
			t.Fatalf("%s: searching deals: %v", step, err)
		}
		if dres.Total != 1 || len(dres.Hits) != 1 {
			t.Fatalf("%s: deal index holds %d deals, want 1: %+v", step, dres.Total, dres.Hits)
		}
		deal := dres.Hits[0].Deal
		if deal.Company != v.company || deal.Amount == nil || deal.Amount.Currency != currency || deal.Amount.Value.Float64() != value {
			t.Errorf("%s: deal is %s with %+v, want %s with %s %v", step, deal.Company, deal.Amount, v.company, currency, value)
		}
		if len(deal.Sources) != 1 || deal.Sources[0].ArticleID != id || deal.Sources[0].Title != v.title {
			t.Errorf("%s: deal sources %+v, want the one article %s titled %q", step, deal.Sources, id, v.title)
		}
	}

	poll()
	check("first publication", first, "EUR", 12e6)
	if n := records(); n != 1 {
		t.Fatalf("first publication: RECORDS holds %d messages, want 1", n)
	}

	v := first
	for i, c := range []struct {
		name     string
		edit     func(*correctionVersion)
		currency string
		value    float64
	}{
		{"currency corrected", func(v *correctionVersion) { v.amount = "$12m" }, "USD", 12e6},
		{"digit corrected", func(v *correctionVersion) { v.amount = "$15m" }, "USD", 15e6},
		{"company name corrected", func(v *correctionVersion) { v.company = "Thermavolt" }, "USD", 15e6},
		{"headline corrected", func(v *correctionVersion) { v.title = "Lisbon heat pump maker closes Series A round" }, "USD", 15e6},
	} {
		c.edit(&v)
		v.updated = v.updated.Add(time.Hour)
		publish(v)
		poll()
		check(c.name, v, c.currency, c.value)
		if got, want := records(), uint64(i+2); got != want {
			t.Errorf("%s: RECORDS holds %d messages, want %d (one per version)", c.name, got, want)
		}
	}

	// The publisher touches <updated> but changes nothing: the entry is
	// fetched again, its record is a repeat and RECORDS drops it.
	before := records()
	v.updated = v.updated.Add(time.Hour)
	publish(v)
	poll()
	check("unchanged re-publication", v, "USD", 15e6)
	if got := records(); got != before {
		t.Errorf("unchanged re-publication: RECORDS holds %d messages, want still %d", got, before)
	}
	// Polling again without any change fetches nothing new either.
	poll()
	if got := records(); got != before {
		t.Errorf("repeated poll: RECORDS holds %d messages, want still %d", got, before)
	}
}
