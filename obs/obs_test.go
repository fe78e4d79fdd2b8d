package obs_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/goleak"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/obs"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func newServer(t *testing.T, reg prometheus.Gatherer) *obs.Server {
	t.Helper()
	s, err := obs.New(obs.Config{Addr: obs.Off}, reg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestHealthzAndMetrics(t *testing.T) {
	reg := obs.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "dealwire_test_things_total", Help: "Things."})
	reg.MustRegister(c)
	c.Add(3)
	srv := httptest.NewServer(newServer(t, reg).Handler())
	defer srv.Close()

	if code, body := get(t, srv.URL+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz = %d %q, want 200 \"ok\\n\"", code, body)
	}
	code, body := get(t, srv.URL+"/metrics")
	if code != 200 {
		t.Fatalf("/metrics = %d", code)
	}
	for _, want := range []string{"dealwire_test_things_total 3", "go_goroutines ", "process_start_time_seconds "} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if code, _ := get(t, srv.URL+"/nothing"); code != 404 {
		t.Errorf("/nothing = %d, want 404", code)
	}
}

// TestReadyz: /readyz is 200 with no checks or passing ones, and 503 with
// every failing check named in the body, including one that never answers
// within its timeout.
func TestReadyz(t *testing.T) {
	s := newServer(t, prometheus.NewRegistry())
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	if code, body := get(t, srv.URL+"/readyz"); code != 200 || body != "ok\n" {
		t.Errorf("/readyz without checks = %d %q, want 200 ok", code, body)
	}

	s.AddCheck("nats", 0, func(context.Context) error { return nil })
	if code, body := get(t, srv.URL+"/readyz"); code != 200 || body != "[+]nats ok\nok\n" {
		t.Errorf("/readyz with a passing check = %d %q", code, body)
	}

	s.AddCheck("store", 0, func(context.Context) error { return errors.New("pinging index: connection refused\nsecond line") })
	s.AddCheck("slow", time.Millisecond, func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
	code, body := get(t, srv.URL+"/readyz")
	if code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with failing checks = %d, want 503", code)
	}
	for _, want := range []string{
		"[+]nats ok\n",
		"[-]store failed: pinging index: connection refused\n",
		"[-]slow failed: no answer within the check timeout (1ms)",
		"not ready\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/readyz body lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "second line") {
		t.Errorf("/readyz body holds more than an error's first line:\n%s", body)
	}

	// A check added again under its name replaces the first.
	s.AddCheck("store", 0, func(context.Context) error { return nil })
	s.AddCheck("slow", 0, func(context.Context) error { return nil })
	if code, body := get(t, srv.URL+"/readyz"); code != 200 || body != "[+]nats ok\n[+]store ok\n[+]slow ok\nok\n" {
		t.Errorf("/readyz after the checks recovered = %d %q", code, body)
	}
}

// TestReadyzCheckThatIgnoresItsContext answers by the timeout even though
// the check returns only later.
func TestReadyzCheckThatIgnoresItsContext(t *testing.T) {
	s := newServer(t, prometheus.NewRegistry())
	release := make(chan struct{})
	returned := make(chan struct{})
	s.AddCheck("stuck", time.Millisecond, func(context.Context) error {
		defer close(returned)
		<-release
		return nil
	})
	res := s.Ready(t.Context())
	close(release)
	<-returned
	if len(res) != 1 || !errors.Is(res[0].Err, obs.ErrCheckTimeout) {
		t.Fatalf("Ready = %+v, want the stuck check timed out", res)
	}
}

// TestReadyzFollowsNATS: the bus readiness check on a real server passes
// while it runs and fails, by name, once it stops.
func TestReadyzFollowsNATS(t *testing.T) {
	ns := bustest.NewServer(t)
	nc, _ := bustest.Connect(t, ns)
	s := newServer(t, prometheus.NewRegistry())
	s.AddCheck("nats", time.Second, bus.Ready(nc))
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	if code, body := get(t, srv.URL+"/readyz"); code != 200 {
		t.Fatalf("/readyz with NATS up = %d %q", code, body)
	}
	ns.Shutdown()
	ns.WaitForShutdown()
	code, body := get(t, srv.URL+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "[-]nats failed: ") {
		t.Errorf("/readyz with NATS down = %d %q, want 503 naming nats", code, body)
	}
}

// TestMountBesideAnotherHandler: serve and run mount the endpoints on the
// API's mux; the endpoints win over the API's catch-all, the rest goes to it.
func TestMountBesideAnotherHandler(t *testing.T) {
	s := newServer(t, obs.NewRegistry())
	s.AddCheck("store", 0, func(context.Context) error { return errors.New("down") })
	api := http.NewServeMux()
	api.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "api healthz") })
	api.HandleFunc("GET /api/search", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "search") })
	root := http.NewServeMux()
	s.Mount(root)
	root.Handle("/", api)
	srv := httptest.NewServer(root)
	defer srv.Close()

	for _, tt := range []struct {
		path     string
		wantCode int
		wantBody string
	}{
		{"/healthz", 200, "ok\n"},
		{"/readyz", 503, "[-]store failed: down\nnot ready\n"},
		{"/api/search", 200, "search"},
	} {
		if code, body := get(t, srv.URL+tt.path); code != tt.wantCode || body != tt.wantBody {
			t.Errorf("GET %s = %d %q, want %d %q", tt.path, code, body, tt.wantCode, tt.wantBody)
		}
	}
	if code, body := get(t, srv.URL+"/metrics"); code != 200 || !strings.Contains(body, "go_goroutines") {
		t.Errorf("GET /metrics = %d, want 200 with the registry", code)
	}
}

// TestServeShutsDownGracefully: a request in flight when the context ends
// is answered, then Serve returns nil and the port is closed.
func TestServeShutsDownGracefully(t *testing.T) {
	s := newServer(t, obs.NewRegistry())
	entered, release := make(chan struct{}), make(chan struct{})
	s.AddCheck("held", time.Minute, func(ctx context.Context) error {
		close(entered)
		<-release
		return nil
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	type answer struct {
		code int
		body string
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := http.Get(url + "/readyz")
		if err != nil {
			answered <- answer{body: err.Error()}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		answered <- answer{resp.StatusCode, string(b)}
	}()
	<-entered
	cancel()
	close(release)
	if a := <-answered; a.code != 200 || a.body != "[+]held ok\nok\n" {
		t.Errorf("request in flight at shutdown = %d %q, want 200", a.code, a.body)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve = %v, want nil after the context ended", err)
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("the server still answers after Serve returned")
	}
}

func TestRunReportsATakenPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	s, err := obs.New(obs.Config{Addr: ln.Addr().String()}, prometheus.NewRegistry(), nil)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Run(t.Context())
	if err == nil || !strings.Contains(err.Error(), "listening on "+ln.Addr().String()) {
		t.Errorf("Run on a taken port = %v, want a listening error", err)
	}
}

func TestConfig(t *testing.T) {
	d := obs.Config{}.WithDefaults()
	if d.Addr != "127.0.0.1:9464" || d.CheckTimeout != 2*time.Second || d.ShutdownTimeout != 5*time.Second {
		t.Errorf("defaults = %+v", d)
	}
	tests := []struct {
		name    string
		cfg     obs.Config
		wantErr string
	}{
		{"defaults", obs.Config{}, ""},
		{"off", obs.Config{Addr: "off"}, ""},
		{"any interface", obs.Config{Addr: ":9464"}, ""},
		{"no port", obs.Config{Addr: "localhost"}, `obs.addr "localhost"`},
		{"negative timeout", obs.Config{CheckTimeout: -time.Second}, "obs.check_timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.WithDefaults().Validate()
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("Validate() = %v, want error containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestMetricHelpers: the helpers register once per registry, share their
// families with a second caller, and observe under the documented labels.
func TestMetricHelpers(t *testing.T) {
	reg := prometheus.NewRegistry()
	sm, err := obs.NewStageMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	again, err := obs.NewStageMetrics(reg)
	if err != nil {
		t.Fatalf("second NewStageMetrics on one registry: %v", err)
	}
	sm.For("extract").Extracted.Inc()
	again.For("extract").Extracted.Inc()
	sm.For("index-deals").Indexed.Add(2)
	em, err := obs.NewExtractMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	em.Duration.Observe(0.002)
	bm, err := obs.NewBulkMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	bm.Observe(obs.BackendSQLite, obs.KindRecords, 40, 30*time.Millisecond)
	var nilBulk *obs.BulkMetrics
	nilBulk.Observe(obs.BackendSQLite, obs.KindRecords, 1, time.Millisecond) // no panic

	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			key := mf.GetName()
			for _, lp := range m.GetLabel() {
				key += "," + lp.GetName() + "=" + lp.GetValue()
			}
			switch {
			case m.GetCounter() != nil:
				got[key] = m.GetCounter().GetValue()
			case m.GetHistogram() != nil:
				got[key] = float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	for key, want := range map[string]float64{
		obs.MetricExtracted + ",stage=extract":                   2,
		obs.MetricIndexed + ",stage=index-deals":                 2,
		obs.MetricFailed + ",stage=extract":                      0,
		obs.MetricExtractDuration:                                1,
		obs.MetricBulkDuration + ",backend=sqlite,kind=records":  1,
		obs.MetricBulkDocuments + ",backend=sqlite,kind=records": 1,
	} {
		if got[key] != want {
			t.Errorf("%s = %v, want %v (gathered %v)", key, got[key], want, got)
		}
	}
}
