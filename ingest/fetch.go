package ingest

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
)

// Sentinel errors of the fetcher; test them with [errors.Is].
var (
	// ErrNotModified means the server answered 304 to a conditional GET.
	ErrNotModified = errors.New("not modified")
	// ErrForbiddenAddress means a host resolved to a loopback, private or
	// otherwise non-public address that the config does not allow.
	ErrForbiddenAddress = errors.New("address not allowed")
	// ErrTooLarge means a body passed its size cap and was cut off.
	ErrTooLarge = errors.New("response too large")
	// ErrTooSlow means a response did not complete within its time cap.
	ErrTooSlow = errors.New("response too slow")
	// ErrTooManyRedirects means a request passed [Config.MaxRedirects].
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrRedirectLoop means a redirect led back to an address already visited.
	ErrRedirectLoop = errors.New("redirect loop")
	// ErrContentType means the server sent a type that is neither a feed nor HTML.
	ErrContentType = errors.New("unsupported content type")
	// ErrBlocked means a bot wall (challenge or consent page) answered in
	// place of the feed or page.
	ErrBlocked = errors.New("blocked by bot wall")
	// ErrDisallowed means robots.txt disallows the address for our user agent.
	ErrDisallowed = errors.New("disallowed by robots.txt")
	// ErrNotFeed means a body parsed as neither RSS, Atom nor JSON Feed.
	ErrNotFeed = errors.New("not a feed")
	// ErrScheme means an address, given or redirected to, is not an
	// absolute http or https one.
	ErrScheme = errors.New("not an http(s) address")
)

// StatusError is a non-2xx answer other than 304.
type StatusError struct {
	URL  string
	Code int
	// RetryAfter is the server's Retry-After, zero when absent.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("http status %d from %s (retry after %s)", e.Code, e.URL, e.RetryAfter)
	}
	return fmt.Sprintf("http status %d from %s", e.Code, e.URL)
}

// transient reports whether retrying err later may succeed.
func transient(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code == http.StatusTooManyRequests || se.Code >= 500 || se.Code == http.StatusRequestTimeout
	}
	switch {
	case errors.Is(err, ErrTooLarge), errors.Is(err, ErrContentType), errors.Is(err, ErrBlocked),
		errors.Is(err, ErrDisallowed), errors.Is(err, ErrForbiddenAddress),
		errors.Is(err, ErrTooManyRedirects), errors.Is(err, ErrRedirectLoop), errors.Is(err, ErrNotFeed),
		errors.Is(err, ErrScheme):
		return false
	}
	return true
}

// kind is what a request fetches; it picks caps and acceptable types.
type kind int

const (
	kindFeed kind = iota
	kindPage
	kindRobots
)

func (k kind) String() string {
	return [...]string{"feed", "page", "robots"}[k]
}

// request is one GET with optional validators.
type request struct {
	url          string
	kind         kind
	etag         string
	lastModified string
}

// response is a fully read, decompressed body with the headers callers use.
type response struct {
	url          string // final address after redirects
	status       int
	body         []byte // decompressed; charset not yet decoded
	contentType  string
	etag         string
	lastModified string
	maxAge       time.Duration
	// moved is the new address when every redirect followed was permanent.
	moved string
	// hub and self come from Link headers (rel="hub", rel="self"), the
	// WebSub discovery that works for any content type.
	hub, self string
}

// redirectTrace records the redirects of one request.
type redirectTrace struct {
	permanent bool
	last      string
	kind      kind
}

type traceKey struct{}

// fetcher does HTTP GETs with the caps, headers and dial guard of a [Config].
type fetcher struct {
	cfg    Config
	client *http.Client
	hosts  *hostLimiter
	// robotsAllowed, when set, checks a redirect to another host against
	// that host's robots.txt: a feed or page may not be fetched through a
	// redirect when the target disallows it.
	robotsAllowed func(ctx context.Context, rawURL string) (bool, error)
}

func newFetcher(cfg Config) (*fetcher, error) {
	guard, err := newDialGuard(cfg)
	if err != nil {
		return nil, err
	}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would dial for us and bypass the guard
		DialContext:           guard.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   cfg.HostConcurrency,
		IdleConnTimeout:       60 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: max(cfg.FeedTimeout, cfg.PageTimeout),
		// We ask for gzip, deflate and brotli ourselves and decode with caps.
		DisableCompression: true,
	}
	f := &fetcher{cfg: cfg, hosts: newHostLimiter(cfg.HostConcurrency, cfg.HostDelay)}
	f.client = &http.Client{Transport: tr, CheckRedirect: f.checkRedirect}
	return f, nil
}

func (f *fetcher) close() { f.client.CloseIdleConnections() }

func (f *fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if err := checkScheme(req.URL); err != nil {
		return fmt.Errorf("following redirect to %s: %w", req.URL.Redacted(), err)
	}
	if len(via) > f.cfg.MaxRedirects {
		return fmt.Errorf("following %d redirects from %s: %w", len(via), via[0].URL, ErrTooManyRedirects)
	}
	for _, v := range via {
		if v.URL.String() == req.URL.String() {
			return fmt.Errorf("redirected back to %s: %w", req.URL, ErrRedirectLoop)
		}
	}
	tr, _ := req.Context().Value(traceKey{}).(*redirectTrace)
	if f.robotsAllowed != nil && (tr == nil || tr.kind != kindRobots) &&
		!strings.EqualFold(req.URL.Host, via[len(via)-1].URL.Host) {
		if ok, err := f.robotsAllowed(req.Context(), req.URL.String()); err == nil && !ok {
			return fmt.Errorf("following redirect to %s: %w", req.URL, ErrDisallowed)
		}
	}
	if tr != nil {
		code := 0
		if req.Response != nil {
			code = req.Response.StatusCode
		}
		tr.permanent = tr.permanent && (code == http.StatusMovedPermanently || code == http.StatusPermanentRedirect)
		tr.last = req.URL.String()
	}
	return nil
}

func (f *fetcher) limits(k kind) (maxBytes int64, timeout time.Duration, accept string) {
	switch k {
	case kindFeed:
		return f.cfg.FeedMaxBytes, f.cfg.FeedTimeout,
			"application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.1"
	case kindPage:
		return f.cfg.PageMaxBytes, f.cfg.PageTimeout, "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
	default:
		return 512 << 10, min(f.cfg.FeedTimeout, 20*time.Second), "text/plain, */*;q=0.1"
	}
}

// get fetches r.url, waiting for the host's turn first. A 304 returns the
// response and [ErrNotModified]; other non-2xx answers return a [*StatusError].
func (f *fetcher) get(ctx context.Context, r request) (*response, error) {
	u, err := url.Parse(r.url)
	if err != nil {
		return nil, fmt.Errorf("parsing url %q: %w", r.url, err)
	}
	if err := checkScheme(u); err != nil {
		return nil, fmt.Errorf("fetching %s: %w", r.url, err)
	}
	// robots.txt is one small request a day per host: it waits for a free
	// slot but does not push the host's next request back by the delay.
	release, err := f.hosts.acquire(ctx, u.Host, r.kind != kindRobots)
	if err != nil {
		return nil, fmt.Errorf("waiting for host %s: %w", u.Host, err)
	}
	defer release()
	return f.do(ctx, r)
}

func (f *fetcher) do(ctx context.Context, r request) (*response, error) {
	maxBytes, timeout, accept := f.limits(r.kind)
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, fmt.Errorf("fetching %s: cut off after %s: %w", r.url, timeout, ErrTooSlow))
	defer cancel()
	trace := &redirectTrace{permanent: true, kind: r.kind}
	ctx = context.WithValue(ctx, traceKey{}, trace)

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.url, nil)
	if err != nil {
		return nil, fmt.Errorf("building request for %s: %w", r.url, err)
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", accept)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	if r.etag != "" {
		req.Header.Set("If-None-Match", r.etag)
	}
	if r.lastModified != "" {
		req.Header.Set("If-Modified-Since", r.lastModified)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		// *url.Error repeats method and URL, which our prefix already says.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, f.cutErr(ctx, r.url, err)
	}
	defer resp.Body.Close()

	out := &response{
		url:          resp.Request.URL.String(),
		status:       resp.StatusCode,
		contentType:  resp.Header.Get("Content-Type"),
		etag:         resp.Header.Get("ETag"),
		lastModified: resp.Header.Get("Last-Modified"),
		maxAge:       maxAge(resp.Header.Get("Cache-Control")),
	}
	if trace.last != "" && trace.permanent {
		out.moved = trace.last
	}
	out.hub, out.self = linkHeaders(resp.Header.Values("Link"), out.url)
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return out, fmt.Errorf("fetching %s: %w", r.url, ErrNotModified)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return out, &StatusError{URL: r.url, Code: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now())}
	}
	if resp.ContentLength > maxBytes {
		return out, fmt.Errorf("fetching %s: content-length %d over cap %d: %w", r.url, resp.ContentLength, maxBytes, ErrTooLarge)
	}
	if err := checkContentType(r.kind, out.contentType); err != nil {
		return out, fmt.Errorf("fetching %s: %w", r.url, err)
	}
	body, err := readBody(resp.Body, resp.Header.Get("Content-Encoding"), maxBytes)
	if err != nil {
		return out, f.cutErr(ctx, r.url, err)
	}
	out.body = body
	return out, nil
}

// checkScheme refuses every address but http and https ones with a host:
// file:, ftp:, gopher:, data: and javascript: links never reach the client.
func checkScheme(u *url.URL) error {
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return fmt.Errorf("scheme %q: %w", u.Scheme, ErrScheme)
	}
	if u.Host == "" {
		return fmt.Errorf("no host: %w", ErrScheme)
	}
	return nil
}

// cutErr turns an error caused by the time cap into one that says so.
func (f *fetcher) cutErr(ctx context.Context, u string, err error) error {
	if cause := context.Cause(ctx); cause != nil && errors.Is(cause, ErrTooSlow) {
		return cause
	}
	if errors.Is(err, ErrTooLarge) {
		return fmt.Errorf("reading %s: %w", u, err)
	}
	// The transport's own header timeout ends a server that never answers.
	if ne := net.Error(nil); errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("fetching %s: %w: %w", u, ErrTooSlow, err)
	}
	return fmt.Errorf("fetching %s: %w", u, err)
}

// readBody decodes the content encoding and reads at most maxBytes of the
// result. The raw stream is capped too, so neither a huge compressed body nor
// a small one that inflates without end (a zip bomb) is read past the cap.
func readBody(body io.Reader, encoding string, maxBytes int64) ([]byte, error) {
	raw := io.LimitReader(body, maxBytes+1)
	var dec io.Reader
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		dec = raw
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(raw)
		if err != nil {
			return nil, fmt.Errorf("opening gzip body: %w", err)
		}
		defer zr.Close()
		dec = zr
	case "deflate":
		// "deflate" is zlib-wrapped by the spec but raw DEFLATE on some servers.
		br := &peekReader{r: raw}
		if zr, err := zlib.NewReader(br); err == nil {
			defer zr.Close()
			dec = zr
		} else {
			dec = flate.NewReader(io.MultiReader(bytes.NewReader(br.buf), raw))
		}
	case "br":
		dec = brotli.NewReader(raw)
	default:
		return nil, fmt.Errorf("decoding body: content-encoding %q: %w", encoding, ErrContentType)
	}
	b, err := io.ReadAll(io.LimitReader(dec, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	if int64(len(b)) > maxBytes {
		return nil, fmt.Errorf("reading body: over %d bytes: %w", maxBytes, ErrTooLarge)
	}
	return b, nil
}

// peekReader remembers what it has read so a failed format probe can replay it.
type peekReader struct {
	r   io.Reader
	buf []byte
}

func (p *peekReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.buf = append(p.buf, b[:n]...)
	return n, err
}

// checkContentType refuses bodies that are neither feeds nor HTML. An absent
// or generic type passes: the parsers decide.
func checkContentType(k kind, ct string) error {
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	}
	if k == kindRobots {
		return nil
	}
	switch {
	case mt == "text/html", mt == "application/xhtml+xml", mt == "text/plain",
		mt == "application/octet-stream", mt == "binary/octet-stream":
		return nil
	case k == kindFeed && (strings.HasSuffix(mt, "/xml") || strings.HasSuffix(mt, "+xml") ||
		mt == "application/json" || strings.HasSuffix(mt, "+json") || mt == "text/x-opml"):
		return nil
	}
	return fmt.Errorf("%s for a %s: %w", mt, k, ErrContentType)
}

// linkHeaders reads the hub and self targets of Link headers such as
// `<https://hub.example/>; rel="hub", <https://ex.com/feed>; rel="self"`.
func linkHeaders(values []string, base string) (hub, self string) {
	for _, v := range values {
		for _, link := range strings.Split(v, ",") {
			target, params, ok := strings.Cut(link, ";")
			target = strings.TrimSpace(target)
			if !ok || !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			u := resolveURL(base, target[1:len(target)-1])
			for _, p := range strings.Split(params, ";") {
				k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
				if !strings.EqualFold(k, "rel") {
					continue
				}
				for _, rel := range strings.Fields(strings.ToLower(strings.Trim(val, `"`))) {
					switch {
					case rel == "hub" && hub == "":
						hub = u
					case rel == "self" && self == "":
						self = u
					}
				}
			}
		}
	}
	return hub, self
}

// maxAge reads max-age from a Cache-Control header; no-cache and no-store
// give zero.
func maxAge(cc string) time.Duration {
	for _, d := range strings.Split(cc, ",") {
		d = strings.TrimSpace(strings.ToLower(d))
		if v, ok := strings.CutPrefix(d, "s-maxage="); ok {
			d = "max-age=" + v
		}
		if v, ok := strings.CutPrefix(d, "max-age="); ok {
			if n, err := strconv.ParseInt(strings.Trim(v, `"`), 10, 64); err == nil && n > 0 {
				return time.Duration(min(n, 7*24*3600)) * time.Second
			}
		}
	}
	return 0
}

// retryAfter parses Retry-After as seconds or an HTTP date, capped at a week.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		d = time.Duration(min(max(n, 0), 7*24*3600)) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), 7*24*time.Hour)
}

// hostLimiter lets at most n requests run against one host at a time and
// spaces their starts by at least the host's delay.
type hostLimiter struct {
	n     int
	delay time.Duration

	// mu guards hosts.
	mu    sync.Mutex
	hosts map[string]*hostSlot
}

type hostSlot struct {
	sem chan struct{}
	// mu guards next and delay.
	mu    sync.Mutex
	next  time.Time
	delay time.Duration
}

func newHostLimiter(n int, delay time.Duration) *hostLimiter {
	return &hostLimiter{n: n, delay: delay, hosts: make(map[string]*hostSlot)}
}

func (h *hostLimiter) slot(host string) *hostSlot {
	host = strings.ToLower(host)
	h.mu.Lock()
	defer h.mu.Unlock()
	s, ok := h.hosts[host]
	if !ok {
		if len(h.hosts) >= maxHostSlots {
			h.pruneLocked()
		}
		s = &hostSlot{sem: make(chan struct{}, h.n), delay: h.delay}
		h.hosts[host] = s
	}
	return s
}

// maxHostSlots bounds the host map: page links reach ever more hosts over
// months, and an idle host's slot can be rebuilt when it is needed again.
const maxHostSlots = 20000

// pruneLocked drops the slots of hosts with nothing in flight and no delay
// pending. A pruned host loses its raised Crawl-delay until robots.txt is
// read again. h.mu must be held.
func (h *hostLimiter) pruneLocked() {
	now := time.Now()
	for k, s := range h.hosts {
		s.mu.Lock()
		idle := len(s.sem) == 0 && now.After(s.next)
		s.mu.Unlock()
		if idle {
			delete(h.hosts, k)
		}
	}
}

// setDelay raises a host's delay, e.g. to its robots.txt Crawl-delay.
func (h *hostLimiter) setDelay(host string, d time.Duration) {
	s := h.slot(host)
	s.mu.Lock()
	s.delay = max(h.delay, min(d, 30*time.Second))
	s.mu.Unlock()
}

// acquire waits for a free slot and, when delay is set, for the host's
// delay since the last delayed request; release frees the slot.
func (h *hostLimiter) acquire(ctx context.Context, host string, delay bool) (release func(), err error) {
	s := h.slot(host)
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
	release = func() { <-s.sem }
	if !delay {
		return release, nil
	}
	s.mu.Lock()
	now := time.Now()
	start := later(now, s.next)
	s.next = start.Add(s.delay)
	s.mu.Unlock()
	if wait := start.Sub(now); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			release()
			return nil, context.Cause(ctx)
		}
	}
	return release, nil
}
