package obs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Check is one readiness check: nil when the dependency answers. It must
// return soon after ctx ends.
type Check func(ctx context.Context) error

// check is a named [Check] with its timeout.
type check struct {
	name    string
	timeout time.Duration
	fn      Check
}

// Server serves /metrics, /healthz and /readyz. Construct it with [New],
// add checks with [Server.AddCheck], then [Server.Run] it or
// [Server.Mount] its handlers on another server's mux.
type Server struct {
	cfg      Config
	gatherer prometheus.Gatherer
	logger   *slog.Logger

	// mu guards checks: a stage may add its check after the server started.
	mu     sync.Mutex
	checks []check
}

// New returns a server of gatherer's metrics (usually the registry of
// [NewRegistry]). cfg gets its defaults; logger may be nil.
func New(cfg Config, gatherer prometheus.Gatherer, logger *slog.Logger) (*Server, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if gatherer == nil {
		return nil, errors.New("obs: a gatherer is required")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Server{cfg: cfg, gatherer: gatherer, logger: logger}, nil
}

// AddCheck adds a readiness check under name; /readyz runs it with
// timeout, or [Config.CheckTimeout] when timeout is 0. Adding a name twice
// replaces the first check.
func (s *Server) AddCheck(name string, timeout time.Duration, fn Check) {
	if timeout <= 0 {
		timeout = s.cfg.CheckTimeout
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks = slices.DeleteFunc(s.checks, func(c check) bool { return c.name == name })
	s.checks = append(s.checks, check{name: name, timeout: timeout, fn: fn})
}

// Mount registers GET /metrics, /healthz and /readyz on mux.
func (s *Server) Mount(mux *http.ServeMux) {
	mux.Handle("GET /metrics", s.MetricsHandler())
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
}

// Handler returns a handler of the three endpoints alone.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.Mount(mux)
	return mux
}

// MetricsHandler serves the gatherer's metrics. A collector that fails is
// logged and left out, and the others are still served: one consumer whose
// info times out must not hide every other metric from the scrape.
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.gatherer, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
	})
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	results := s.Ready(r.Context())
	var b strings.Builder
	code := http.StatusOK
	for _, res := range results {
		if res.Err != nil {
			code = http.StatusServiceUnavailable
			fmt.Fprintf(&b, "[-]%s failed: %s\n", res.Name, firstLine(res.Err.Error()))
			continue
		}
		fmt.Fprintf(&b, "[+]%s ok\n", res.Name)
	}
	if code == http.StatusOK {
		b.WriteString("ok\n")
	} else {
		b.WriteString("not ready\n")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(b.String()))
}

// Result is the outcome of one readiness check.
type Result struct {
	Name string
	Err  error // nil: ready
}

// ErrCheckTimeout is the result of a check that did not return within its
// timeout.
var ErrCheckTimeout = errors.New("no answer within the check timeout")

// Ready runs every check concurrently, each under its timeout, and returns
// their results in the order they were added. A check that overruns its
// timeout counts as failed at once; its goroutine ends when the check
// returns (a check that ignores ctx leaks it until then, which is why
// checks must honour ctx).
func (s *Server) Ready(ctx context.Context) []Result {
	s.mu.Lock()
	checks := slices.Clone(s.checks)
	s.mu.Unlock()
	results := make([]Result, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = Result{Name: c.name, Err: run(ctx, c)}
		}()
	}
	wg.Wait()
	return results
}

// run calls c under its timeout; it returns by the timeout even when the
// check does not.
func run(ctx context.Context, c check) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	done := make(chan error, 1) // buffered: a late check never blocks
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("check panicked: %v", r)
			}
		}()
		done <- c.fn(ctx)
	}()
	select {
	case err := <-done:
		if err != nil && ctx.Err() != nil {
			return fmt.Errorf("%w (%s): %w", ErrCheckTimeout, c.timeout, err)
		}
		return err
	case <-ctx.Done():
		return fmt.Errorf("%w (%s)", ErrCheckTimeout, c.timeout)
	}
}

// Run listens on [Config.Addr] and serves until ctx ends, then shuts down,
// letting requests in flight finish for up to [Config.ShutdownTimeout].
// With Addr "off" it only waits for ctx. It returns nil after a shutdown
// caused by ctx.
func (s *Server) Run(ctx context.Context) error {
	if s.cfg.Addr == Off {
		<-ctx.Done()
		return nil
	}
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w (set obs.addr)", s.cfg.Addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve is [Server.Run] on a listener the caller opened (to fail early on a
// taken port, or to listen on port 0 in tests). It closes ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		// A scrape of a large registry, or /readyz with slow checks, fits
		// easily; a client that stalls does not hold a connection forever.
		WriteTimeout: time.Minute,
		IdleTimeout:  2 * time.Minute,
		ErrorLog:     slog.NewLogLogger(s.logger.Handler(), slog.LevelDebug),
		BaseContext:  func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.logger.Info("serving metrics and health", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("serving metrics on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && serr != nil {
		err = errors.Join(err, serr)
	}
	if err != nil {
		return fmt.Errorf("shutting down metrics server: %w", err)
	}
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
