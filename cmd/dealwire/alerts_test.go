package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/dealwire/dealwire/alerts"
	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/config"
	"github.com/dealwire/dealwire/index/sqlite"
	"github.com/dealwire/dealwire/ingest"
	"github.com/dealwire/dealwire/news"
	"github.com/dealwire/dealwire/obs"
	"github.com/dealwire/dealwire/pipeline"
)

// alertReceiver is a webhook endpoint that checks signatures and keeps the alerts.
type alertReceiver struct {
	secret string

	mu     sync.Mutex // guards the fields below
	alerts []alerts.Alert
	bad    int
}

func (r *alertReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	var a alerts.Alert
	if !hmac.Equal([]byte(req.Header.Get(alerts.HeaderSignature)), []byte(alerts.Sign(r.secret, body))) || json.Unmarshal(body, &a) != nil {
		r.bad++
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	r.alerts = append(r.alerts, a)
}

func (r *alertReceiver) got() []alerts.Alert {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.alerts)
}

// TestAlertsEndToEnd runs the whole pipeline from a news site to a webhook
// and an Atom feed, stops it, and runs it again with a second alerts
// replica after the publisher corrected a figure: every deal's alert
// arrives once, the correction as an update; "alerts list" and "alerts
// test" read the state and the index.
func TestAlertsEndToEnd(t *testing.T) {
	site, edit := newsSite(t)
	natsSrv := bustest.NewServer(t)
	const secret = "end-to-end-webhook-secret"
	t.Setenv("DEALWIRE_TEST_WEBHOOK_SECRET", secret)
	rcv := &alertReceiver{secret: secret}
	hook := httptest.NewServer(rcv)
	t.Cleanup(hook.Close)

	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "dealwire.yaml")
	yaml := fmt.Sprintf(`data_dir: %s
nats: {url: %q}
index: {flush_interval: 200ms}
ingest:
  allow_private: [127.0.0.1]
  host_delay: 0s
  feeds: [{name: example-rss, url: %q}, {name: example-atom, url: %q}]
alerts:
  rules:
    - name: all
      sinks: [{type: webhook, url: %q, secret_env: DEALWIRE_TEST_WEBHOOK_SECRET}, {type: atom}]
    - name: big
      amount_min: 30m
      sinks: [{type: log}]
`, dir, natsSrv.ClientURL(), site.URL+"/rss.xml", site.URL+"/atom.xml", hook.URL)
	if err := os.WriteFile(cfgFile, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))

	// run runs the pipeline, polling the feeds once, plus replicas-1 more
	// alerts stages on connections of their own, until the pipeline has
	// settled; then it checks the Atom feed over HTTP and stops everything.
	run := func(replicas, wantAlerts int) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		d := &pipeline.Process{Config: cfg, Logger: logger, Registry: obs.NewRegistry()}
		if err := d.Connect(ctx, "alerts-e2e", bus.External); err != nil {
			t.Fatal(err)
		}
		store, err := sqlite.Open(ctx, cfg.SQLite, nil)
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		poller, err := ingest.NewPoller(cfg.Ingest, d.JS, logger, d.Registry)
		if err != nil {
			t.Fatal(err)
		}
		fetchOnce := func(ctx context.Context) error {
			if err := poller.PollOnce(ctx); err != nil {
				return err
			}
			<-ctx.Done()
			return nil
		}
		var wg sync.WaitGroup
		var extra []*pipeline.Process
		for range replicas - 1 {
			dx := &pipeline.Process{Config: cfg, Logger: logger, Registry: obs.NewRegistry()}
			if err := dx.Connect(ctx, "alerts-replica", bus.External); err != nil {
				t.Fatal(err)
			}
			st, err := dx.NewAlertStage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			extra = append(extra, dx)
			wg.Go(func() {
				if err := st.Run(ctx); err != nil {
					t.Errorf("alerts replica: %v", err)
				}
			})
		}
		done := make(chan error, 1)
		go func() { done <- d.Run(ctx, store, ln, nil, fetchOnce) }()

		waitIndexed(t, d, store, 3)
		waitFor(t, func() bool { return len(rcv.got()) >= wantAlerts })
		waitConsumed(t, d.JS, news.StreamDeals, alerts.StageEvaluate)
		waitConsumed(t, d.JS, alerts.StreamSend, alerts.StageSend)

		resp, err := http.Get("http://" + ln.Addr().String() + "/alerts/all.atom")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil || resp.StatusCode != http.StatusOK || len(feed.Items) != wantAlerts {
			t.Errorf("GET /alerts/all.atom: %s, %d items (%v), want %d:\n%s", resp.Status, len(feedItems(feed)), err, wantAlerts, body)
		}

		cancel()
		if err := <-done; err != nil {
			t.Errorf("pipeline.Run: %v", err)
		}
		wg.Wait()
		pipeline.CloseStore(store, logger)
		d.Close()
		for _, dx := range extra {
			dx.Close()
		}
	}

	run(1, 3)
	edit() // the publisher corrects Tavera's amount from £3.5m to £4.5m
	run(2, 4)

	got := rcv.got()
	if rcv.bad > 0 {
		t.Errorf("%d webhook requests had a bad signature or body", rcv.bad)
	}
	seen := map[string]int{}
	var kinds []string
	for _, a := range got {
		seen[a.ID]++
		kinds = append(kinds, a.Deal.Company+" "+a.Kind+" "+strings.Join(a.Changes, "; "))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("alert %s arrived %d times", id, n)
		}
	}
	slices.Sort(kinds)
	want := []string{"Brightmoor new ", "Quillstone new ", "Tavera new ", "Tavera update amount: 3500000 GBP → 4500000 GBP"}
	if !slices.Equal(kinds, want) {
		t.Errorf("alerts:\n got %q\nwant %q", kinds, want)
	}

	var out bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out}
	if err := dispatch(t.Context(), e, []string{"alerts", "list", "--config", cfgFile}); err != nil {
		t.Fatalf("alerts list: %v\n%s", err, out.String())
	}
	for _, line := range []string{"all   webhook  4", "all   atom     4", "big   log      1"} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("alerts list lacks %q:\n%s", line, out.String())
		}
	}
	out.Reset()
	if err := dispatch(t.Context(), e, []string{"alerts", "test", "big", "--config", cfgFile}); err != nil {
		t.Fatalf("alerts test: %v\n%s", err, out.String())
	}
	if s := out.String(); !strings.Contains(s, "New deal: Quillstone raised 40M USD") || !strings.Contains(s, "matches 1 of 3 indexed deals") {
		t.Errorf("alerts test big printed:\n%s", s)
	}
}

func feedItems(f *gofeed.Feed) []*gofeed.Item {
	if f == nil {
		return nil
	}
	return f.Items
}
