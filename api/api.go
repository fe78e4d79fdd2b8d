package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// searcher is what the API needs from an index backend.
type searcher interface {
	Search(ctx context.Context, q index.Query) (index.Result, error)
	Get(ctx context.Context, id string) (news.Record, error)
}

// Config configures the HTTP server.
type Config struct {
	// Addr is the listen address, default 127.0.0.1:8080. Bind to a public
	// interface only with Token set or behind a reverse proxy that
	// authenticates, and with TLS in front (a proxy): the server speaks
	// plain HTTP.
	Addr string `yaml:"addr"`
	// Token, when set, is the bearer token every request but /healthz,
	// /metrics and the page's token form, style sheet and script must carry
	// ("Authorization: Bearer <token>"); the web page takes it once in a
	// form and keeps a session cookie (HttpOnly, SameSite=Strict) that
	// stands for it. Empty: no authentication. Best set from
	// DEALWIRE_HTTP_TOKEN.
	Token string `yaml:"token"`
	// QueryTimeout bounds one search; default 10s.
	QueryTimeout time.Duration `yaml:"query_timeout"`
	// Search holds the defaults of queries that leave a parameter out
	// (min_confidence). The configuration file sets it in its top-level
	// search section, which "dealwire search" shares; the zero value shows
	// every deal.
	Search index.Config `yaml:"-"`
	// Rates is the process's FX table, which the export's USD values and
	// FX columns use; nil uses the shipped one (configs/fx.tsv).
	Rates *fx.Table `yaml:"-"`
}

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	if c.QueryTimeout == 0 {
		c.QueryTimeout = 10 * time.Second
	}
	return c
}

// Validate reports a config that cannot serve.
func (c Config) Validate() error {
	if c.QueryTimeout < 0 {
		return fmt.Errorf("http.query_timeout must not be negative, got %s", c.QueryTimeout)
	}
	if err := validateToken(c.Token); err != nil {
		return err
	}
	return c.Search.Validate()
}

// NewHandler returns the HTTP handler of the API and web page. gatherer
// serves /metrics and may be nil; logger may be nil. With cfg.Token set,
// every path but /healthz, /metrics and the page's token form, style sheet
// and script needs the bearer token or the page's session cookie.
func NewHandler(cfg Config, s searcher, logger *slog.Logger, gatherer prometheus.Gatherer) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg = cfg.WithDefaults()
	h := &handler{s: s, logger: logger, timeout: cfg.QueryTimeout, defaults: cfg.Search, rates: cfg.Rates, token: cfg.Token}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/search", h.search)
	mux.HandleFunc("GET /api/articles/{id}", h.article)
	mux.HandleFunc("GET /api/deals", h.deals)
	mux.HandleFunc("GET /api/deals/{id}", h.deal)
	mux.HandleFunc("GET /api/export", h.export)
	mux.HandleFunc("GET /api/chart", h.chart)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	if gatherer != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{}))
	}
	h.pageRoutes(mux)
	g := newGate(cfg.Token, logger)
	g.loginPage = h.loginPage
	if cfg.Token != "" {
		mux.HandleFunc("GET /login", g.showLogin)
		mux.HandleFunc("POST /login", g.login)
		mux.HandleFunc("POST /logout", g.logout)
	}
	// Every route but the token form's is a GET that changes nothing; the
	// form's POSTs are refused when another site sends them.
	return http.NewCrossOriginProtection().Handler(g.guard(mux))
}

type handler struct {
	s        searcher
	logger   *slog.Logger
	timeout  time.Duration
	defaults index.Config
	rates    *fx.Table
	// token is the configured token; the page offers to forget it when set.
	token string
	// outlets names the sources of the page's facet.
	outlets outletNames
}

// apiError is the JSON body of every error answer.
type apiError struct {
	Error string `json:"error"`
}

func (h *handler) search(w http.ResponseWriter, r *http.Request) {
	answerSearch(h, w, r, "the index", h.searchArticles)
}

// parseQuery reads a search from URL parameters with the server's defaults:
// the API's and the page's one way to read them.
func (h *handler) parseQuery(v url.Values) (index.Query, error) {
	return index.ParseQuery(v, h.defaults)
}

// searchArticles answers q over the records: GET /api/search and the page.
func (h *handler) searchArticles(ctx context.Context, q index.Query) (index.Result, error) {
	res, err := h.s.Search(ctx, q)
	if res.Hits == nil {
		res.Hits = []index.Hit{}
	}
	return res, err
}

// searchDeals answers q over the resolved deals: GET /api/deals and the
// page.
func (h *handler) searchDeals(ctx context.Context, ds dealSearcher, q index.Query) (index.DealResult, error) {
	res, err := ds.SearchDeals(ctx, q)
	if res.Hits == nil {
		res.Hits = []index.DealHit{}
	}
	return res, err
}

func (h *handler) article(w http.ResponseWriter, r *http.Request) {
	answerGet(h, w, r, "article", h.s.Get)
}

// answerSearch parses the query parameters, runs search under the query
// timeout and writes its result or a JSON error naming what failed.
func answerSearch[T any](h *handler, w http.ResponseWriter, r *http.Request, what string, search func(context.Context, index.Query) (T, error)) {
	q, err := h.parseQuery(r.URL.Query())
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error()})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
	defer cancel()
	res, err := search(ctx, q)
	if err != nil {
		h.logger.Error("searching", "index", what, "query", r.URL.RawQuery, "error", err)
		writeJSON(w, http.StatusBadGateway, apiError{Error: "searching " + what + ": " + err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// answerGet reads the item whose id is in the path and writes it, 404 when
// there is none.
func answerGet[T any](h *handler, w http.ResponseWriter, r *http.Request, what string, get func(context.Context, string) (T, error)) {
	id := r.PathValue("id")
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
	defer cancel()
	v, err := get(ctx, id)
	switch {
	case errors.Is(err, index.ErrNotFound):
		writeJSON(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no %s with id %q", what, id)})
	case err != nil:
		h.logger.Error("reading the index", "what", what, "id", id, "error", err)
		writeJSON(w, http.StatusBadGateway, apiError{Error: "reading " + what + " " + id + ": " + err.Error()})
	default:
		writeJSON(w, http.StatusOK, v)
	}
}

// dealSearcher is what the deal endpoints need; a backend without it
// answers them with 501.
type dealSearcher interface {
	SearchDeals(ctx context.Context, q index.Query) (index.DealResult, error)
	GetDeal(ctx context.Context, id string) (news.DealRecord, error)
}

func (h *handler) dealBackend(w http.ResponseWriter) (dealSearcher, bool) {
	ds, ok := h.s.(dealSearcher)
	if !ok {
		writeJSON(w, http.StatusNotImplemented, apiError{Error: "this index backend does not store resolved deals"})
	}
	return ds, ok
}

// deals answers GET /api/deals: resolved deals, one per round however many
// articles report it, with the query parameters of /api/search.
func (h *handler) deals(w http.ResponseWriter, r *http.Request) {
	if ds, ok := h.dealBackend(w); ok {
		answerSearch(h, w, r, "the deal index", func(ctx context.Context, q index.Query) (index.DealResult, error) {
			return h.searchDeals(ctx, ds, q)
		})
	}
}

func (h *handler) deal(w http.ResponseWriter, r *http.Request) {
	if ds, ok := h.dealBackend(w); ok {
		answerGet(h, w, r, "deal", ds.GetDeal)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the client went away; nothing left to tell it
}
