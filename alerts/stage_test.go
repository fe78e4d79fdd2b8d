package alerts

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/deals"
	"github.com/dealwire/dealwire/news"
)

const testSecretEnv = "DEALWIRE_TEST_ALERT_SECRET"

// testBus starts a NATS server with dealwire's streams.
func testBus(t *testing.T) (*server.Server, jetstream.JetStream, bus.Config) {
	t.Helper()
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	cfg := bus.Config{AckWait: 5 * time.Second, HandlerTimeout: 30 * time.Second}.WithDefaults()
	if err := bus.EnsureStreams(context.Background(), js, cfg); err != nil {
		t.Fatal(err)
	}
	return srv, js, cfg
}

// publishDeal publishes d on DEALS as the extract stage does; n makes the
// message id unique so that a re-publication of the same state gets through.
func publishDeal(t *testing.T, js jetstream.JetStream, d news.DealRecord, n int) {
	t.Helper()
	if _, err := bus.Publish(context.Background(), js, news.DealSubject(d.Round), d.ID+"/"+strconv.Itoa(n), d); err != nil {
		t.Fatal(err)
	}
}

// runStage runs an alerts stage on its own connection to srv until the
// returned stop is called.
func runStage(t *testing.T, srv *server.Server, cfg Config, bcfg bus.Config, opts ...func(*Options)) (st *Stage, stop func()) {
	t.Helper()
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	o := Options{NATS: bcfg, Logger: testLogger(t)}
	for _, f := range opts {
		f(&o)
	}
	st, err = New(ctx, js, cfg, o)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- st.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("stage Run: %v", err)
			}
			nc.Close()
		})
	}
	t.Cleanup(stop)
	return st, stop
}

func testLogger(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(&tlog{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return nil
}

type tlog struct{ t *testing.T }

func (w *tlog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// waitFor polls cond until it holds; the timeout only bounds a broken test.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: gave up", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitIdle waits until both alert consumers have settled every message.
func waitIdle(t *testing.T, js jetstream.JetStream) {
	t.Helper()
	for _, c := range []struct{ stream, durable string }{{news.StreamDeals, StageEvaluate}, {StreamSend, StageSend}} {
		waitFor(t, c.durable+" idle", func() bool {
			busy, err := bustest.Busy(context.Background(), js, c.stream, c.durable)
			return err == nil && busy == ""
		})
	}
}

// receiver is a webhook endpoint that checks every request's signature and
// timestamp and records the alerts.
type receiver struct {
	srv    *httptest.Server
	secret string
	status func(n int) int // answer to the n-th request (1-based); nil: 204

	mu     sync.Mutex // guards the fields below
	alerts []Alert
	bad    []string // what was wrong with refused requests
	calls  int
}

func newReceiver(t *testing.T, secret string) *receiver {
	r := &receiver{secret: secret}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.calls++
		if r.status != nil {
			if code := r.status(r.calls); code >= 300 {
				w.WriteHeader(code)
				return
			}
		}
		m := hmac.New(sha256.New, []byte(r.secret))
		m.Write(body)
		want := "sha256=" + hex.EncodeToString(m.Sum(nil))
		if !hmac.Equal([]byte(req.Header.Get(HeaderSignature)), []byte(want)) {
			r.bad = append(r.bad, "signature "+req.Header.Get(HeaderSignature))
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var a Alert
		if err := json.Unmarshal(body, &a); err != nil {
			r.bad = append(r.bad, "body: "+err.Error())
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if ts := req.Header.Get(HeaderTimestamp); ts != strconv.FormatInt(a.SentAt.Unix(), 10) {
			r.bad = append(r.bad, fmt.Sprintf("timestamp header %s, body sent_at %s", ts, a.SentAt))
		}
		if req.Header.Get(HeaderAlertID) != a.ID {
			r.bad = append(r.bad, "alert id header "+req.Header.Get(HeaderAlertID))
		}
		r.alerts = append(r.alerts, a)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) got() []Alert {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.alerts)
}

func (r *receiver) refused() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.bad)
}

// deal returns a deal record with id id, company company, amount in USD
// and the given sources (article ids, source name = "outlet-<id>").
func deal(id, company string, amount int64, articles ...string) news.DealRecord {
	d := news.DealRecord{V: 1, ID: id, Company: company, CompanyKey: strings.ToLower(company), Round: "series a",
		Amount: money(amount, "USD"), Confidence: 0.9, AnnouncedAt: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}
	for _, a := range articles {
		d.Sources = append(d.Sources, news.DealSource{ArticleID: a, Source: "outlet-" + a, URL: "https://news.example/" + a,
			Title: company + " raises money", Deal: news.Deal{Evidence: company + " raised a Series A."}})
	}
	return d
}

// resolving reports articles to a real deal resolver and publishes the
// deal records it returns on DEALS, as the extract stage does.
type resolving struct {
	t  *testing.T
	js jetstream.JetStream
	rs *deals.Resolver
}

func newResolving(t *testing.T, js jetstream.JetStream) *resolving {
	rs, err := deals.NewResolver(context.Background(), js, deals.Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &resolving{t: t, js: js, rs: rs}
}

// report resolves an article reporting a Series A of company for amount
// USD and publishes the changed deals; times publishes each one that many
// times (as redeliveries and replicas do).
func (p *resolving) report(articleID, source, company string, amount int64, fetched time.Time, times int) {
	p.t.Helper()
	rec := news.Record{
		V: 1,
		Article: news.Article{V: 1, ID: articleID, URL: "https://news.example/" + articleID, Source: source,
			Title: company + " raises a Series A", PublishedAt: fetched, FetchedAt: fetched, Text: company + " raised a Series A."},
		ExtractorVersion: "test", ExtractedAt: time.Now().UTC(), // extracted now, published then
		Extraction: news.Extraction{Deals: []news.Deal{{Company: company, Round: "series a", Amount: money(amount, "USD"),
			Evidence: company + " raised a Series A.", Confidence: 0.9}}},
	}
	changed, err := p.rs.Resolve(context.Background(), rec)
	if err != nil {
		p.t.Fatal(err)
	}
	for _, d := range changed {
		for i := range times {
			publishDeal(p.t, p.js, d, int(fetched.Unix())*100+i)
		}
	}
}

// TestWebhookOncePerDeal: each deal's alert arrives once, signed, whatever
// the replicas, restarts, replays and re-publications; a new source and a
// corrected figure arrive as updates, and nothing else does.
func TestWebhookOncePerDeal(t *testing.T) {
	srv, js, bcfg := testBus(t)
	t.Setenv(testSecretEnv, "test-secret-for-signing")
	rcv := newReceiver(t, "test-secret-for-signing")
	cfg := Config{Rules: []RuleConfig{{
		Name: "series-a", Rounds: []string{"series a"}, AmountMin: "5m",
		Sinks: []SinkConfig{{Type: SinkWebhook, URL: rcv.srv.URL + "/hook", SecretEnv: testSecretEnv}},
	}}}
	p := newResolving(t, js)
	current := func(o *Options) { o.Current = p.rs.Current }
	day := func(n int) time.Time { return time.Date(2026, 5, n, 9, 0, 0, 0, time.UTC) }

	// Two replicas on the same durables.
	_, stop1 := runStage(t, srv, cfg, bcfg, current)
	_, stop2 := runStage(t, srv, cfg, bcfg, current)
	p.report("a1", "technews", "Acme", 10_000_000, day(1), 5)
	p.report("b1", "technews", "Bolt", 20_000_000, day(1), 5)
	p.report("s1", "technews", "Small", 1_000_000, day(1), 5) // below amount_min: never alerts
	waitFor(t, "two alerts", func() bool { return len(rcv.got()) >= 2 })
	waitIdle(t, js)
	stop1()
	stop2()

	// Restart, with the DEALS consumer deleted so that every deal record is
	// evaluated again from the start of the stream (a replay).
	if err := js.DeleteConsumer(context.Background(), news.StreamDeals, StageEvaluate); err != nil {
		t.Fatal(err)
	}
	_, stop3 := runStage(t, srv, cfg, bcfg, current)
	_, stop4 := runStage(t, srv, cfg, bcfg, current)
	p.report("a2", "wire", "Acme", 10_000_000, day(2), 3)     // a second outlet reports Acme's round
	p.report("b1", "technews", "Bolt", 25_000_000, day(3), 3) // Bolt's figure is corrected
	p.report("a1", "technews", "Acme", 10_000_000, day(4), 3) // re-fetched, unchanged
	waitFor(t, "four alerts", func() bool { return len(rcv.got()) >= 4 })
	waitIdle(t, js)
	stop3()
	stop4()

	if bad := rcv.refused(); len(bad) > 0 {
		t.Errorf("receiver refused requests: %q", bad)
	}
	got := map[string][]string{} // company -> alerts
	ids := map[string]int{}
	for _, a := range rcv.got() {
		ids[a.ID]++
		got[a.Deal.Company] = append(got[a.Deal.Company], fmt.Sprintf("v%d %s %s", a.Version, a.Kind, strings.Join(a.Changes, "; ")))
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("alert %s arrived %d times, want once", id, n)
		}
	}
	for _, v := range got {
		slices.Sort(v)
	}
	want := map[string][]string{
		"Acme": {"v1 new ", "v2 update new source: wire"},
		"Bolt": {"v1 new ", "v2 update amount: 20000000 USD → 25000000 USD"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("alerts per deal:\n got %q\nwant %q", got, want)
	}

	// alerts list reads what each sink sent last from the state bucket.
	last, err := ListLast(context.Background(), js, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(last) != 1 || last[0].Sent != 4 || last[0].Kind != KindUpdate || last[0].Error != "" {
		t.Errorf("ListLast = %+v, want one sink with 4 sent, the last an update, no error", last)
	}
}

// TestDeadSinkDoesNotBlockOthers: a sink that keeps failing ends on the
// dead-letter subject with its reason, a refusing one at once, while the
// webhook and the NATS sink of the same rule deliver once.
func TestDeadSinkDoesNotBlockOthers(t *testing.T) {
	srv, js, bcfg := testBus(t)
	t.Setenv(testSecretEnv, "another-test-secret")
	good := newReceiver(t, "another-test-secret")
	failing := newReceiver(t, "another-test-secret")
	failing.status = func(int) int { return http.StatusServiceUnavailable }
	refusing := newReceiver(t, "another-test-secret")
	refusing.status = func(int) int { return http.StatusGone }
	nc, _ := bustest.Connect(t, srv)
	sub, err := nc.SubscribeSync("test.alerts")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Rules: []RuleConfig{{
		Name: "all",
		Sinks: []SinkConfig{
			{Type: SinkWebhook, Name: "failing", URL: failing.srv.URL, SecretEnv: testSecretEnv, Tries: 2, MaxDeliveries: 2},
			{Type: SinkWebhook, Name: "refusing", URL: refusing.srv.URL, SecretEnv: testSecretEnv},
			{Type: SinkWebhook, Name: "good", URL: good.srv.URL, SecretEnv: testSecretEnv},
			{Type: SinkNATS, Subject: "test.alerts"},
			{Type: SinkLog},
		},
	}}}
	runStage(t, srv, cfg, bcfg)
	publishDeal(t, js, deal("d1", "Acme", 10_000_000, "a1"), 1)

	waitFor(t, "two dead letters", func() bool {
		dead, err := bus.ListDead(context.Background(), js, StageSend)
		return err == nil && len(dead) >= 2
	})
	waitIdle(t, js)
	dead, err := bus.ListDead(context.Background(), js, StageSend)
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, dl := range dead {
		var d delivery
		if err := json.Unmarshal(dl.Data, &d); err != nil {
			t.Fatal(err)
		}
		reasons[d.Sink] = dl.Reason
	}
	if r := reasons["failing"]; !strings.Contains(r, "503") || !strings.Contains(r, "max_deliveries 2") {
		t.Errorf("dead letter of the failing sink: reason %q, want the 503 and max_deliveries", r)
	}
	if r := reasons["refusing"]; !strings.Contains(r, "410") {
		t.Errorf("dead letter of the refusing sink: reason %q, want the 410", r)
	}
	if len(dead) != 2 {
		t.Errorf("%d dead letters, want 2: %v", len(dead), reasons)
	}
	if n := len(good.got()); n != 1 {
		t.Errorf("good webhook got %d alerts, want 1", n)
	}
	if failing.calls != 4 { // 2 deliveries × 2 tries
		t.Errorf("failing webhook was called %d times, want 4", failing.calls)
	}
	msg, err := sub.NextMsg(10 * time.Second)
	if err != nil {
		t.Fatalf("nats sink: %v", err)
	}
	var a Alert
	if err := json.Unmarshal(msg.Data, &a); err != nil || a.Kind != KindNew || a.Deal.ID != "d1" {
		t.Errorf("nats sink message: %s (%v), want the new alert of d1", msg.Data, err)
	}
	last, err := ListLast(context.Background(), js, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, ls := range last {
		wantErr := ls.Sink == "failing" || ls.Sink == "refusing"
		if (ls.Error != "") != wantErr || (ls.Sent == 1) == wantErr {
			t.Errorf("ListLast %s: sent %d, error %q", ls.Sink, ls.Sent, ls.Error)
		}
	}
}

// TestAtomFeed: the atom sink's entries make a feed that gofeed reads.
func TestAtomFeed(t *testing.T) {
	srv, js, bcfg := testBus(t)
	cfg := Config{Rules: []RuleConfig{
		{Name: "feed", Sinks: []SinkConfig{{Type: SinkAtom}}},
		{Name: "nofeed", Sinks: []SinkConfig{{Type: SinkLog}}},
	}}
	st, _ := runStage(t, srv, cfg, bcfg)
	publishDeal(t, js, deal("d1", "Acme", 10_000_000, "a1"), 1)
	publishDeal(t, js, deal("d2", "Bolt & <Sons>", 20_000_000, "b1"), 1)
	publishDeal(t, js, deal("d1", "Acme", 10_000_000, "a1", "a2"), 2)
	waitIdle(t, js)
	ctx := context.Background()
	body, err := st.Feeds().Atom(ctx, "feed", "http://127.0.0.1:8080/alerts/feed.atom")
	if err != nil {
		t.Fatal(err)
	}
	feed, err := gofeed.NewParser().ParseString(string(body))
	if err != nil {
		t.Fatalf("parsing the feed: %v\n%s", err, body)
	}
	if feed.FeedType != "atom" || len(feed.Items) != 3 {
		t.Fatalf("feed type %s with %d items, want atom with 3:\n%s", feed.FeedType, len(feed.Items), body)
	}
	var titles []string
	for _, it := range feed.Items {
		titles = append(titles, it.Title)
		if !strings.HasPrefix(it.Link, "https://news.example/") || it.GUID == "" {
			t.Errorf("item %q: link %q, id %q", it.Title, it.Link, it.GUID)
		}
	}
	slices.Sort(titles)
	want := []string{
		"New deal: Acme raised 10M USD (series a)",
		"New deal: Bolt & <Sons> raised 20M USD (series a)",
		"Update: Acme raised 10M USD (series a)",
	}
	if !slices.Equal(titles, want) {
		t.Errorf("titles %q, want %q", titles, want)
	}
	if _, err := st.Feeds().Atom(ctx, "nofeed", ""); err == nil {
		t.Error("a rule without an atom sink has a feed")
	}
}

// TestThreadSurvivesNewDealID: a report published before the first one
// gives the deal a new id; its alert is an update of the same thread, not
// a second "new deal".
func TestThreadSurvivesNewDealID(t *testing.T) {
	srv, js, bcfg := testBus(t)
	t.Setenv(testSecretEnv, "third-test-secret")
	rcv := newReceiver(t, "third-test-secret")
	cfg := Config{Rules: []RuleConfig{{Name: "all",
		Sinks: []SinkConfig{{Type: SinkWebhook, URL: rcv.srv.URL, SecretEnv: testSecretEnv}}}}}
	p := newResolving(t, js)
	runStage(t, srv, cfg, bcfg, func(o *Options) { o.Current = p.rs.Current })
	p.report("c2", "technews", "Cog", 10_000_000, time.Date(2026, 5, 5, 0, 0, 0, 0, time.UTC), 1)
	waitFor(t, "the first alert", func() bool { return len(rcv.got()) >= 1 })
	p.report("c1", "wire", "Cog", 10_000_000, time.Date(2026, 5, 3, 0, 0, 0, 0, time.UTC), 1)
	waitFor(t, "the second alert", func() bool { return len(rcv.got()) >= 2 })
	waitIdle(t, js)
	got := rcv.got()
	if len(got) != 2 {
		t.Fatalf("%d alerts, want 2", len(got))
	}
	first, second := got[0], got[1]
	if first.Deal.ID == second.Deal.ID {
		t.Fatalf("the deal kept its id %s; the test needs the resolver to give it a new one", first.Deal.ID)
	}
	if second.Kind != KindUpdate || second.Thread != first.Thread || second.Version != 2 ||
		!slices.Contains(second.Changes, "new source: wire") {
		t.Errorf("second alert: kind %s, thread %s (first %s), version %d, changes %q; want update v2 of the same thread with the new source",
			second.Kind, second.Thread, first.Thread, second.Version, second.Changes)
	}
}

// TestHistoryIsNotSent: a deal whose newest report predates the rule is
// remembered without an alert; when it changes later, that is its first
// alert, as new.
func TestHistoryIsNotSent(t *testing.T) {
	srv, js, bcfg := testBus(t)
	cfg := Config{Rules: []RuleConfig{{Name: "feed", Sinks: []SinkConfig{{Type: SinkAtom}}}}}
	st, _ := runStage(t, srv, cfg, bcfg)
	old := deal("d-old", "Oldco", 10_000_000, "o1")
	old.UpdatedAt = time.Now().Add(-48 * time.Hour)
	fresh := deal("d-new", "Newco", 10_000_000, "n1")
	fresh.UpdatedAt = time.Now()
	publishDeal(t, js, old, 1)
	publishDeal(t, js, fresh, 1)
	waitIdle(t, js)
	entries := func() []string {
		es, err := st.Feeds().Entries(context.Background(), "feed")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range es {
			out = append(out, fmt.Sprintf("%s v%d %s", a.Deal.Company, a.Version, a.Kind))
		}
		slices.Sort(out)
		return out
	}
	if got, want := entries(), []string{"Newco v1 new"}; !slices.Equal(got, want) {
		t.Fatalf("after the first deals: %q, want %q", got, want)
	}
	old.Sources = append(old.Sources, news.DealSource{ArticleID: "o2", Source: "wire"})
	old.UpdatedAt = time.Now()
	publishDeal(t, js, old, 2)
	waitIdle(t, js)
	if got, want := entries(), []string{"Newco v1 new", "Oldco v1 new"}; !slices.Equal(got, want) {
		t.Errorf("after the old deal changed: %q, want %q", got, want)
	}
}

// TestTwoDealsOfOneArticle: an article reporting two companies' rounds
// gives two new alerts, not one and an update.
func TestTwoDealsOfOneArticle(t *testing.T) {
	srv, js, bcfg := testBus(t)
	cfg := Config{Rules: []RuleConfig{{Name: "feed", Sinks: []SinkConfig{{Type: SinkAtom}}}}}
	p := newResolving(t, js)
	st, _ := runStage(t, srv, cfg, bcfg, func(o *Options) { o.Current = p.rs.Current })
	now := time.Now().UTC()
	rec := news.Record{
		V:                1,
		Article:          news.Article{V: 1, ID: "roundup", URL: "https://news.example/roundup", Source: "technews", Title: "Funding roundup", PublishedAt: now, FetchedAt: now},
		ExtractorVersion: "test", ExtractedAt: now,
		Extraction: news.Extraction{Deals: []news.Deal{
			{Company: "Acme", Round: "seed", Amount: money(2_000_000, "USD"), Confidence: 0.9},
			{Company: "Bolt", Round: "series b", Amount: money(30_000_000, "USD"), Confidence: 0.9},
		}},
	}
	changed, err := p.rs.Resolve(context.Background(), rec)
	if err != nil {
		t.Fatal(err)
	}
	if len(changed) != 2 {
		t.Fatalf("resolver made %d deals of the roundup, want 2", len(changed))
	}
	for i, d := range changed {
		publishDeal(t, js, d, i)
	}
	waitIdle(t, js)
	es, err := st.Feeds().Entries(context.Background(), "feed")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range es {
		got = append(got, fmt.Sprintf("%s v%d %s", a.Deal.Company, a.Version, a.Kind))
	}
	slices.Sort(got)
	if want := []string{"Acme v1 new", "Bolt v1 new"}; !slices.Equal(got, want) {
		t.Errorf("alerts %q, want %q", got, want)
	}
}
