package ingest

// The bad-input catalogue: hostile addresses, redirects, resolvers and
// bodies, each served by an httptest server and taken through the real
// fetcher and parsers. Every case must end in the error it names or in a
// correct partial result, within a bound on what it allocates; none may
// panic. Text through the extractor is in hostile_text_test.go.

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/andybalholm/brotli"
	"github.com/dealwire/dealwire/news"
)

// okFeed is a one-item RSS feed.
const okFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>ok</title>
<item><title>Acme raises $5M</title><link>https://example.com/acme</link><guid>acme</guid><description>Acme raised $5M.</description></item></channel></rss>`

// allocated returns the bytes the process allocated while f ran. Tests that
// call it do not run in parallel, so the figure is f's plus that of the
// test's own httptest server.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// jsonLen is the length of s encoded as a JSON string, without the quotes.
func jsonLen(s string) int {
	b, _ := json.Marshal(s)
	return len(b) - 2
}

// sitePort is the port of an httptest server's address.
func sitePort(t *testing.T, s *site) string {
	t.Helper()
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Port()
}

// TestHostileAddresses is the SSRF matrix: every non-public address, in
// every spelling, given directly, through a name and as a redirect target,
// is refused before a connection is made. The site listens on 127.0.0.1, so
// a loopback target that got through would show up in its hit count.
func TestHostileAddresses(t *testing.T) {
	s := newSite(t)
	s.serve("/feed", "application/rss+xml", okFeed)
	s.handle("/to", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("u"), http.StatusFound)
	})
	p := sitePort(t, s)
	names := fixedResolver{
		"feeds.internal": "127.0.0.1", // allowed by name: the redirecting host
		"loop.example":   "127.0.0.1", "loop6.example": "::1", "ten.example": "10.1.2.3",
		"meta.example": "169.254.169.254", "cgnat.example": "100.100.100.100", "ula.example": "fd12:3456::1",
		"mapped.example": "::ffff:127.0.0.1", "zero.example": "0.0.0.0", "linklocal.example": "fe80::1",
		"private172.example": "172.20.0.5", "private192.example": "192.168.0.10",
	}
	redirect := func(target string) string {
		return "http://feeds.internal:" + p + "/to?u=" + url.QueryEscape(target)
	}
	tests := []struct {
		name  string
		url   string
		allow []string
		want  error
	}{
		// Given directly.
		{"127.0.0.1", "http://127.0.0.1:" + p + "/feed", nil, ErrForbiddenAddress},
		{"127.0.0.2", "http://127.0.0.2:" + p + "/feed", nil, ErrForbiddenAddress},
		{"::1", "http://[::1]:" + p + "/feed", nil, ErrForbiddenAddress},
		{"10/8 low", "http://10.0.0.1/", nil, ErrForbiddenAddress},
		{"10/8 high", "http://10.255.255.254/", nil, ErrForbiddenAddress},
		{"172.16/12 low", "http://172.16.0.1/", nil, ErrForbiddenAddress},
		{"172.16/12 high", "http://172.31.255.254/", nil, ErrForbiddenAddress},
		{"192.168/16", "http://192.168.1.1/", nil, ErrForbiddenAddress},
		{"169.254.169.254 metadata", "http://169.254.169.254/latest/meta-data/", nil, ErrForbiddenAddress},
		{"100.64/10 low", "http://100.64.0.1/", nil, ErrForbiddenAddress},
		{"100.64/10 high", "http://100.127.255.254/", nil, ErrForbiddenAddress},
		{"fc00::/7 fc", "http://[fc00::1]/", nil, ErrForbiddenAddress},
		{"fc00::/7 fd", "http://[fdff:ffff::1]/", nil, ErrForbiddenAddress},
		{"fe80::/10", "http://[fe80::1]/", nil, ErrForbiddenAddress},
		{"fe80::/10 with zone", "http://[fe80::1%25lo]/", nil, ErrForbiddenAddress},
		{"::ffff:127.0.0.1", "http://[::ffff:127.0.0.1]:" + p + "/feed", nil, ErrForbiddenAddress},
		{"::ffff:7f00:1 (mapped, hex)", "http://[::ffff:7f00:1]:" + p + "/feed", nil, ErrForbiddenAddress},
		{"::ffff:169.254.169.254", "http://[::ffff:169.254.169.254]/", nil, ErrForbiddenAddress},
		{"64:ff9b::7f00:1 (NAT64 of loopback)", "http://[64:ff9b::7f00:1]/", nil, ErrForbiddenAddress},
		{"0.0.0.0", "http://0.0.0.0:" + p + "/feed", nil, ErrForbiddenAddress},
		{":: (unspecified)", "http://[::]:" + p + "/feed", nil, ErrForbiddenAddress},
		{"decimal 2130706433", "http://2130706433:" + p + "/feed", nil, ErrForbiddenAddress},
		{"hex 0x7f000001", "http://0x7f000001:" + p + "/feed", nil, ErrForbiddenAddress},
		{"octal 0177.0.0.1", "http://0177.0.0.1:" + p + "/feed", nil, ErrForbiddenAddress},
		{"dotted hex 0x7f.0x0.0x0.0x1", "http://0x7f.0x0.0x0.0x1:" + p + "/feed", nil, ErrForbiddenAddress},
		{"short 127.1", "http://127.1:" + p + "/feed", nil, ErrForbiddenAddress},
		{"trailing dot 127.0.0.1.", "http://127.0.0.1.:" + p + "/feed", nil, ErrForbiddenAddress},
		{"decimal metadata 2852039166", "http://2852039166/latest/meta-data/", nil, ErrForbiddenAddress},
		{"hex 10/8 0xa000001", "http://0xa000001/", nil, ErrForbiddenAddress},
		{"octal 192.168 0300.0250.0.1", "http://0300.0250.0.1/", nil, ErrForbiddenAddress},
		// Through a name that resolves to the address.
		{"name to 127.0.0.1", "http://loop.example:" + p + "/feed", nil, ErrForbiddenAddress},
		{"name to ::1", "http://loop6.example:" + p + "/feed", nil, ErrForbiddenAddress},
		{"name to 10/8", "http://ten.example/", nil, ErrForbiddenAddress},
		{"name to 172.16/12", "http://private172.example/", nil, ErrForbiddenAddress},
		{"name to 192.168/16", "http://private192.example/", nil, ErrForbiddenAddress},
		{"name to metadata", "http://meta.example/", nil, ErrForbiddenAddress},
		{"name to 100.64/10", "http://cgnat.example/", nil, ErrForbiddenAddress},
		{"name to fc00::/7", "http://ula.example/", nil, ErrForbiddenAddress},
		{"name to fe80::/10", "http://linklocal.example/", nil, ErrForbiddenAddress},
		{"name to ::ffff:127.0.0.1", "http://mapped.example:" + p + "/feed", nil, ErrForbiddenAddress},
		{"name to 0.0.0.0", "http://zero.example:" + p + "/feed", nil, ErrForbiddenAddress},
		// As the target of a redirect from a host the config allows.
		{"redirect to 127.0.0.1", redirect("http://127.0.0.1:" + p + "/feed"), []string{"feeds.internal"}, ErrForbiddenAddress},
		{"redirect to ::1", redirect("http://[::1]:" + p + "/feed"), []string{"feeds.internal"}, ErrForbiddenAddress},
		{"redirect to 10/8", redirect("http://10.0.0.1/"), []string{"feeds.internal"}, ErrForbiddenAddress},
		{"redirect to metadata", redirect("http://169.254.169.254/latest/meta-data/"), []string{"feeds.internal"}, ErrForbiddenAddress},
		{"redirect to 100.64/10", redirect("http://100.64.0.1/"), []string{"feeds.internal"}, ErrForbiddenAddress},
		{"redirect to fd00::/8", redirect("http://[fd00::1]/"), []string{"feeds.internal"}, ErrForbiddenAddress},
		{"redirect to fe80::/10", redirect("http://[fe80::1]/"), []string{"feeds.internal"}, ErrForbiddenAddress},
		{"redirect to ::ffff:127.0.0.1", redirect("http://[::ffff:127.0.0.1]:" + p + "/feed"), []string{"feeds.internal"}, ErrForbiddenAddress},
		{"redirect to 0.0.0.0", redirect("http://0.0.0.0:" + p + "/feed"), []string{"feeds.internal"}, ErrForbiddenAddress},
		{"redirect to decimal 2130706433", redirect("http://2130706433:" + p + "/feed"), []string{"feeds.internal"}, ErrForbiddenAddress},
		{"redirect to hex 0x7f.1", redirect("http://0x7f.1:" + p + "/feed"), []string{"feeds.internal"}, ErrForbiddenAddress},
		{"redirect to a name of 10/8", redirect("http://ten.example/"), []string{"feeds.internal"}, ErrForbiddenAddress},
		// Controls: what the config allows is reached, in any spelling.
		{"allowed prefix", "http://127.0.0.1:" + p + "/feed", []string{"127.0.0.0/8"}, nil},
		{"allowed address, decimal spelling", "http://2130706433:" + p + "/feed", []string{"127.0.0.1"}, nil},
		{"allowed address, short spelling", "http://127.1:" + p + "/feed", []string{"127.0.0.1"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.AllowPrivate = tt.allow
			cfg.Resolver = names
			f := testFetcher(t, cfg)
			hits := s.count("/feed")
			resp, err := f.get(t.Context(), request{url: tt.url, kind: kindFeed})
			if !errors.Is(err, tt.want) {
				t.Fatalf("fetching %s: error %v, want %v", tt.url, err, tt.want)
			}
			if tt.want != nil {
				if got := s.count("/feed") - hits; got != 0 {
					t.Errorf("a refused address reached the server %d times", got)
				}
				if !strings.Contains(err.Error(), "address not allowed") {
					t.Errorf("error %q does not say the address is not allowed", err)
				}
				return
			}
			if !bytes.Contains(resp.body, []byte("Acme raises")) {
				t.Errorf("allowed fetch: body %q", resp.body)
			}
		})
	}
}

// rebinder answers each lookup of a name with the next of its answers and
// then keeps the last: a DNS server that rebinds a name between lookups.
type rebinder struct {
	mu sync.Mutex // guards answers and lookups
	// answers maps a name to its successive answers, each a list of addresses.
	answers map[string][][]string
	lookups map[string]int
}

func (r *rebinder) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	seq, ok := r.answers[host]
	if !ok {
		return nil, errors.New("no such host")
	}
	i := min(r.lookups[host], len(seq)-1)
	r.lookups[host]++
	var out []netip.Addr
	for _, a := range seq[i] {
		out = append(out, netip.MustParseAddr(a))
	}
	return out, nil
}

func (r *rebinder) count(host string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lookups[host]
}

// TestHostileRebinding checks that the address is judged when it is
// dialled, from the answer of that moment: a name that first resolved to an
// allowed address and then to a forbidden one is refused on the next
// connection, also as a redirect target. 127.0.0.1, allowed by prefix, plays
// the public address the name first gave.
func TestHostileRebinding(t *testing.T) {
	s := newSite(t)
	s.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close") // every fetch dials again
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(okFeed))
	})
	s.handle("/to", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		http.Redirect(w, r, r.URL.Query().Get("u"), http.StatusFound)
	})
	p := sitePort(t, s)
	res := &rebinder{lookups: map[string]int{}, answers: map[string][][]string{
		"rebind.example":   {{"127.0.0.1"}, {"169.254.169.254"}},
		"rebind6.example":  {{"127.0.0.1"}, {"::ffff:10.0.0.1"}},
		"redirect.example": {{"127.0.0.1"}},
		"target.example":   {{"127.0.0.1"}, {"10.9.8.7"}},
		"mixed.example":    {{"10.0.0.1", "127.0.0.1"}},
		"allbad.example":   {{"169.254.169.254", "fd00::1", "::ffff:192.168.0.1"}},
	}}
	cfg := testConfig()
	cfg.AllowPrivate = []string{"127.0.0.1/32"}
	cfg.Resolver = res
	f := testFetcher(t, cfg)
	get := func(u string) error {
		_, err := f.get(t.Context(), request{url: u, kind: kindFeed})
		return err
	}

	for _, host := range []string{"rebind.example", "rebind6.example"} {
		u := "http://" + host + ":" + p + "/feed"
		if err := get(u); err != nil {
			t.Fatalf("%s, first answer allowed: %v", host, err)
		}
		hits := s.count("/feed")
		if err := get(u); !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("%s rebound to a forbidden address: error %v, want ErrForbiddenAddress", host, err)
		}
		if n := res.count(host); n != 2 {
			t.Errorf("%s was looked up %d times for two connections; the guard must resolve at each dial", host, n)
		}
		if s.count("/feed") != hits {
			t.Errorf("%s: the rebound request reached the server", host)
		}
	}

	// The redirect target first resolves to an allowed address (the first
	// fetch), then to 10.9.8.7 when the redirect leads to it.
	if err := get("http://target.example:" + p + "/feed"); err != nil {
		t.Fatalf("target.example, first answer: %v", err)
	}
	err := get("http://redirect.example:" + p + "/to?u=" + url.QueryEscape("http://target.example:"+p+"/feed"))
	if !errors.Is(err, ErrForbiddenAddress) {
		t.Errorf("redirect to a rebound name: error %v, want ErrForbiddenAddress", err)
	}

	// One answer with both kinds: only the allowed address is dialled.
	if err := get("http://mixed.example:" + p + "/feed"); err != nil {
		t.Errorf("answer with a forbidden and an allowed address: %v", err)
	}
	if err := get("http://allbad.example:" + p + "/feed"); !errors.Is(err, ErrForbiddenAddress) {
		t.Errorf("answer with forbidden addresses only: error %v, want ErrForbiddenAddress", err)
	}

	// The socket-level backstop refuses whatever address reaches it.
	g, err := newDialGuard(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"10.0.0.1:80", "[::1]:80", "[::ffff:169.254.169.254]:80", "[fe80::1%lo]:80"} {
		if err := g.control("tcp", addr, nil); !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("control(%s) = %v, want ErrForbiddenAddress", addr, err)
		}
	}
	if err := g.control("tcp", "127.0.0.1:80", nil); err != nil {
		t.Errorf("control refused an address the config allows: %v", err)
	}
}

// TestHostileSchemes checks that only http(s) addresses are fetched, given
// or redirected to, and that other links in feeds and pages are dropped.
func TestHostileSchemes(t *testing.T) {
	s := newSite(t)
	s.handle("/to", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", r.URL.Query().Get("u"))
		w.WriteHeader(http.StatusFound)
	})
	f := testFetcher(t, testConfig())
	for _, u := range []string{
		"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:70/_x", "data:text/html,<p>x</p>",
		"javascript:alert(1)", "http:///etc/passwd", "dict://127.0.0.1:11211/stat",
	} {
		_, err := f.get(t.Context(), request{url: u, kind: kindPage})
		if !errors.Is(err, ErrScheme) {
			t.Errorf("fetching %s: error %v, want ErrScheme", u, err)
		}
		_, err = f.get(t.Context(), request{url: s.URL + "/to?u=" + url.QueryEscape(u), kind: kindPage})
		if !errors.Is(err, ErrScheme) {
			t.Errorf("redirect to %s: error %v, want ErrScheme", u, err)
		}
		if err != nil && transient(err) {
			t.Errorf("redirect to %s: error %v counts as transient; it must not be retried", u, err)
		}
	}

	feed := `<rss version="2.0"><channel><title>c</title><link>https://example.com/</link>
<item><title>js</title><link>javascript:alert(1)</link><guid>g-js</guid></item>
<item><title>file</title><link>file:///etc/passwd</link><guid>g-file</guid></item>
<item><title>data</title><link>data:text/html,&lt;script&gt;x&lt;/script&gt;</link></item>
<item><title>guid as js</title><guid>javascript:alert(2)</guid></item>
<item><title>ok</title><link>/story</link><guid>g-ok</guid></item></channel></rss>`
	pf, err := parseFeed([]byte(feed), "application/rss+xml", "https://example.com/feed")
	if err != nil {
		t.Fatal(err)
	}
	links := map[string]string{}
	for _, it := range pf.items {
		links[it.title] = it.link
	}
	want := map[string]string{"js": "", "file": "", "guid as js": "", "ok": "https://example.com/story"}
	for title, link := range want {
		if got, ok := links[title]; !ok || got != link {
			t.Errorf("item %q: link %q (present %v), want %q", title, got, ok, link)
		}
	}
	if _, ok := links["data"]; ok {
		t.Errorf("an item with neither an http(s) link nor a guid was kept: %q", links["data"])
	}
	pg, err := parsePage([]byte(`<html><head><meta property="og:image" content="javascript:alert(1)"><link rel="canonical" href="javascript:alert(2)"></head><body><p>x</p></body></html>`),
		"text/html", "https://example.com/a", dateCheck{now: time.Now(), skew: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if pg.Image != "" || pg.CanonicalURL != "https://example.com/a" {
		t.Errorf("page: image %q canonical %q; a javascript: link must give way", pg.Image, pg.CanonicalURL)
	}
}

// sent counts the bytes a handler wrote.
type sent struct{ n atomic.Int64 }

func (c *sent) write(w http.ResponseWriter, b []byte) error {
	n, err := w.Write(b)
	c.n.Add(int64(n))
	return err
}

// endless writes chunk until the client goes away.
func (c *sent) endless(w http.ResponseWriter, r *http.Request, chunk []byte) {
	for r.Context().Err() == nil {
		if err := c.write(w, chunk); err != nil {
			return
		}
	}
}

// bomb compresses n zero bytes with the encoding.
func bomb(t *testing.T, encoding string, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w interface {
		Write([]byte) (int, error)
		Close() error
	}
	switch encoding {
	case "gzip":
		w, _ = gzip.NewWriterLevel(&buf, gzip.BestCompression)
	case "deflate":
		w, _ = zlib.NewWriterLevel(&buf, zlib.BestCompression)
	case "br":
		w = brotli.NewWriterLevel(&buf, brotli.BestSpeed)
	}
	zero := make([]byte, 1<<20)
	for range n >> 20 {
		if _, err := w.Write(zero); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hostileResult is what one body case produced.
type hostileResult struct {
	feed *parsedFeed
	page Page
	err  error
}

// TestHostileBodies runs hostile feed and page bodies through the fetcher
// and the parsers with caps of 1 MiB. Each case names the error it must end
// in (a sentinel, or words of the message) or checks the partial result,
// and the bytes allocated meanwhile stay within its bound.
func TestHostileBodies(t *testing.T) {
	const capBytes = 1 << 20
	s := newSite(t)
	p := sitePort(t, s)
	var stream sent
	dtdHits := func() int { return s.count("/evil.dtd") }
	s.serve("/evil.dtd", "application/xml-dtd", `<!ENTITY % leak SYSTEM "file:///etc/passwd">`)

	bombs := map[string][]byte{}
	for _, enc := range []string{"gzip", "deflate", "br"} {
		bombs[enc] = bomb(t, enc, 16<<20)
	}
	laughs := `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">` +
		`<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">`
	for i := 2; i <= 9; i++ {
		laughs += fmt.Sprintf(`<!ENTITY lol%d "%s">`, i, strings.Repeat(fmt.Sprintf("&lol%d;", i-1), 10))
	}
	laughs += `]><rss version="2.0"><channel><title>lol</title><item><title>a &lol9; b</title><link>https://example.com/lol</link></item></channel></rss>`
	quadratic := `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "` + strings.Repeat("x", 400) + `">]><rss version="2.0"><channel><title>q</title><item><title>q</title><link>https://example.com/q</link><description>` +
		strings.Repeat("&a;", 250000) + `</description></item></channel></rss>`
	nested := func(open, close string, n int) string {
		return "<html><body>" + strings.Repeat(open, n) + "<p>Acme raised $5M from Kima Ventures in a seed round.</p>" + strings.Repeat(close, n) + "</body></html>"
	}
	longWord := strings.Repeat("x", 900<<10)
	longLine := strings.Repeat("Acme raised $5M ", 55000) // one 880 KB line
	manyCats := strings.Repeat("<category>c</category>", 1) +
		func() string {
			var b strings.Builder
			for i := range 30000 {
				fmt.Fprintf(&b, "<category>tag %d</category>", i)
			}
			return b.String()
		}()

	feedItem := func(inner string) string {
		return `<?xml version="1.0"?><rss version="2.0"><channel><title>c</title><item><link>https://example.com/a</link><guid>a</guid>` + inner + `</item></channel></rss>`
	}
	type bodyCase struct {
		name    string
		kind    kind
		handler http.HandlerFunc
		want    error  // a sentinel the result must carry
		wantMsg string // words the error must contain, when it has no sentinel
		check   func(t *testing.T, r hostileResult)
		// maxAlloc bounds the bytes allocated; zero means 16 MiB.
		maxAlloc uint64
		// maxSent bounds the bytes the server wrote; zero means no bound.
		maxSent int64
	}
	serve := func(ct, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			_, _ = w.Write([]byte(body))
		}
	}
	serveBomb := func(ct, enc string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			w.Header().Set("Content-Encoding", enc)
			_ = stream.write(w, bombs[enc])
		}
	}
	oneItem := func(t *testing.T, r hostileResult) *item {
		t.Helper()
		if r.err != nil || r.feed == nil || len(r.feed.items) != 1 {
			t.Fatalf("want one item, got error %v, feed %+v", r.err, r.feed)
		}
		return &r.feed.items[0]
	}
	tests := []bodyCase{
		{name: "xxe file entity", kind: kindFeed, handler: serve("application/rss+xml",
			`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`+feedItem(`<title>a &xxe; b</title>`)[len(`<?xml version="1.0"?>`):]),
			check: func(t *testing.T, r hostileResult) {
				it := oneItem(t, r)
				if strings.Contains(it.title, "root:") || !strings.Contains(it.title, "a ") {
					t.Errorf("title %q: the entity must stay unexpanded", it.title)
				}
			}},
		{name: "external dtd", kind: kindFeed, handler: serve("application/rss+xml",
			`<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:`+p+`/evil.dtd">`+feedItem(`<title>t</title>`)[len(`<?xml version="1.0"?>`):]),
			check: func(t *testing.T, r hostileResult) {
				oneItem(t, r)
				if dtdHits() != 0 {
					t.Errorf("the external DTD was fetched %d times", dtdHits())
				}
			}},
		{name: "external parameter entity", kind: kindFeed, handler: serve("application/rss+xml",
			`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % ext SYSTEM "http://127.0.0.1:`+p+`/evil.dtd"> %ext; %leak;]>`+feedItem(`<title>t</title>`)[len(`<?xml version="1.0"?>`):]),
			check: func(t *testing.T, r hostileResult) {
				if dtdHits() != 0 {
					t.Errorf("the external entity was fetched %d times", dtdHits())
				}
			}},
		{name: "billion laughs", kind: kindFeed, handler: serve("application/rss+xml", laughs),
			check: func(t *testing.T, r hostileResult) {
				it := oneItem(t, r)
				if len(it.title) > 100 {
					t.Errorf("entities were expanded: title of %d bytes", len(it.title))
				}
			}},
		{name: "quadratic entity blowup", kind: kindFeed, handler: serve("application/rss+xml", quadratic), maxAlloc: 64 << 20,
			check: func(t *testing.T, r hostileResult) {
				it := oneItem(t, r)
				if strings.Contains(it.text, "xxxxxxxxxx") {
					t.Errorf("the entity was expanded into the text")
				}
			}},
		{name: "invalid utf-8 in a feed", kind: kindFeed, handler: serve("application/rss+xml",
			feedItem("<title>Soci\xe9t\xe9 raises \xff\xfe\x80 \xc3</title><description>ok \xed\xa0\x80 text</description>")),
			check: func(t *testing.T, r hostileResult) {
				it := oneItem(t, r)
				if !utf8.ValidString(it.title) || !utf8.ValidString(it.text) || !strings.Contains(it.title, "Soci\uFFFDt\uFFFD raises") {
					t.Errorf("title %q text %q: want the item with U+FFFD for the bad bytes", it.title, it.text)
				}
			}},
		{name: "control characters in a feed", kind: kindFeed, handler: serve("application/rss+xml",
			feedItem("<title>Acme\x00 raises\x0c $5M\x1b</title>")),
			check: func(t *testing.T, r hostileResult) {
				if it := oneItem(t, r); it.title != "Acme raises $5M" {
					t.Errorf("title %q, want the control characters gone", it.title)
				}
			}},
		{name: "feed that is an html page", kind: kindFeed, handler: serve("text/html", "<!DOCTYPE html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>"), want: ErrNotFeed},
		{name: "html page labelled rss", kind: kindFeed, handler: serve("application/rss+xml", "\n\n<html><body><h1>Not found</h1></body></html>"), want: ErrNotFeed},
		{name: "empty feed body", kind: kindFeed, handler: serve("application/rss+xml", ""), want: ErrNotFeed},
		{name: "blank feed body", kind: kindFeed, handler: serve("application/rss+xml", " \r\n\t "), want: ErrNotFeed},
		{name: "json feed with wrong types", kind: kindFeed, handler: serve("application/feed+json",
			`{"version":"https://jsonfeed.org/version/1.1","title":7,"author":"x","hubs":{},"items":[
			{"id":5,"url":"https://example.com/a","title":{"x":1}},
			{"id":"2","url":["https://example.com/b"],"title":"Second","date_published":false},
			"not an item", null, 42,
			{"id":"3","url":"https://example.com/c","title":"Third","tags":[1,"t",{}],"authors":"me","attachments":[{"url":"x","size_in_bytes":"big"}]}]}`),
			check: func(t *testing.T, r hostileResult) {
				if r.err != nil {
					t.Fatalf("error %v, want the items that are usable", r.err)
				}
				var got []string
				for _, it := range r.feed.items {
					got = append(got, fmt.Sprintf("%s|%s|%s|%v", it.guid, it.link, it.title, it.tags))
				}
				want := []string{"5|https://example.com/a||[]", "2||Second|[]", "3|https://example.com/c|Third|[1 t]"}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("items %q, want %q", got, want)
				}
			}},
		{name: "json feed with items not a list", kind: kindFeed, handler: serve("application/feed+json",
			`{"version":"https://jsonfeed.org/version/1.1","title":"j","items":"none"}`),
			check: func(t *testing.T, r hostileResult) {
				if r.err != nil || len(r.feed.items) != 0 {
					t.Errorf("error %v, feed %+v: want a feed without items", r.err, r.feed)
				}
			}},
		{name: "json array, not a feed", kind: kindFeed, handler: serve("application/json", `[{"id":1,"url":"https://example.com/a"}]`), want: ErrNotFeed},
		{name: "json feed nested 100k deep", kind: kindFeed, handler: serve("application/feed+json",
			`{"version":"https://jsonfeed.org/version/1.1","items":[`+strings.Repeat("[", 100000)+strings.Repeat("]", 100000)+`]}`),
			want: ErrNotFeed},
		{name: "very long title", kind: kindFeed, handler: serve("application/rss+xml", feedItem("<title>"+longWord+"</title>")),
			check: func(t *testing.T, r hostileResult) {
				if it := oneItem(t, r); jsonLen(it.title) > maxTitleJSON || len(it.title) < maxTitleJSON/2 {
					t.Errorf("title of %d bytes, want it cut to at most %d", len(it.title), maxTitleJSON)
				}
			}},
		{name: "very long line", kind: kindFeed, handler: serve("application/rss+xml", feedItem("<title>t</title><description>"+longLine+"</description>")),
			maxAlloc: 64 << 20,
			check: func(t *testing.T, r hostileResult) {
				it := oneItem(t, r)
				if n := jsonLen(it.text); n > maxTextJSON || n < maxTextJSON*8/10 || !strings.HasSuffix(it.text, "$5M") {
					t.Errorf("text of %d JSON bytes ending %q, want at most %d cut after a word", n, it.text[max(0, len(it.text)-20):], maxTextJSON)
				}
			}},
		{name: "escapes count toward the cap", kind: kindFeed, handler: serve("application/rss+xml", feedItem("<title>t</title><description>"+strings.Repeat("&lt;&amp;&gt; ", 60000)+"</description>")),
			maxAlloc: 64 << 20,
			check: func(t *testing.T, r hostileResult) {
				if n := jsonLen(oneItem(t, r).text); n > maxTextJSON {
					t.Errorf("text of %d JSON bytes, over %d", n, maxTextJSON)
				}
			}},
		{name: "thirty thousand categories", kind: kindFeed, handler: serve("application/rss+xml", feedItem("<title>t</title>"+manyCats)),
			maxAlloc: 64 << 20,
			check: func(t *testing.T, r hostileResult) {
				if it := oneItem(t, r); len(it.tags) != maxList {
					t.Errorf("%d tags, want %d", len(it.tags), maxList)
				}
			}},
		{name: "long guid and link", kind: kindFeed, handler: serve("application/rss+xml",
			`<rss version="2.0"><channel><title>c</title><item><title>t</title><link>https://example.com/`+strings.Repeat("a", 10000)+`</link><guid>`+strings.Repeat("g", 5000)+`</guid></item></channel></rss>`),
			check: func(t *testing.T, r hostileResult) {
				if it := oneItem(t, r); it.link != "" || len(it.guid) > maxGUIDLen {
					t.Errorf("link of %d bytes, guid of %d: want no link and a hashed guid", len(it.link), len(it.guid))
				}
			}},
		{name: "2 GB content-length", kind: kindFeed, want: ErrTooLarge, maxSent: 64 << 20, handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Header().Set("Content-Length", "2147483648")
			stream.endless(w, r, make([]byte, 64<<10))
		}},
		{name: "gzip bomb feed", kind: kindFeed, handler: serveBomb("application/rss+xml", "gzip"), want: ErrTooLarge},
		{name: "deflate bomb feed", kind: kindFeed, handler: serveBomb("application/rss+xml", "deflate"), want: ErrTooLarge},
		{name: "brotli bomb page", kind: kindPage, handler: serveBomb("text/html", "br"), want: ErrTooLarge},
		{name: "gzip label on a plain body", kind: kindFeed, handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write([]byte(okFeed))
		}, wantMsg: "opening gzip body"},
		{name: "truncated gzip", kind: kindFeed, handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			var z bytes.Buffer
			zw := gzip.NewWriter(&z)
			_, _ = zw.Write([]byte(okFeed))
			_ = zw.Close()
			_, _ = w.Write(z.Bytes()[:z.Len()/2])
		}, wantMsg: "unexpected EOF"},
		{name: "never-ending response", kind: kindPage, want: ErrTooLarge, maxSent: 64 << 20, handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			stream.endless(w, r, bytes.Repeat([]byte("<p>again and again</p>\n"), 2048))
		}},
		{name: "never-ending trickle", kind: kindFeed, want: ErrTooSlow, handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			for r.Context().Err() == nil {
				if err := stream.write(w, []byte(" ")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
				case <-time.After(50 * time.Millisecond):
				}
			}
		}},
		{name: "headers never sent", kind: kindPage, want: ErrTooSlow, handler: func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		}},
		{name: "redirect to itself", kind: kindFeed, want: ErrRedirectLoop, handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path, http.StatusMovedPermanently)
		}},
		{name: "endless redirect chain", kind: kindPage, want: ErrTooManyRedirects, handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path+"?"+r.URL.RawQuery+"x", http.StatusFound)
		}},
		{name: "deeply nested divs", kind: kindPage, handler: serve("text/html", nested("<div>", "</div>", 80000)),
			check: func(t *testing.T, r hostileResult) {
				if r.err != nil || !strings.Contains(r.page.Text, "Kima Ventures") {
					t.Errorf("want the text under the nesting, got error %v, text %q", r.err, r.page.Text)
				}
			}},
		{name: "deeply nested unclosed inline tags", kind: kindPage, handler: serve("text/html", nested("<b><i>", "", 50000)),
			check: func(t *testing.T, r hostileResult) {
				if r.err != nil || !strings.Contains(r.page.Text, "Kima Ventures") {
					t.Errorf("want the text under the nesting, got error %v, text %q", r.err, r.page.Text)
				}
			}},
		{name: "very long word in a page", kind: kindPage, handler: serve("text/html", "<html><head><title>"+longWord[:5000]+"</title></head><body><article><p>"+longWord+"</p></article></body></html>"),
			maxAlloc: 256 << 20,
			check: func(t *testing.T, r hostileResult) {
				if r.err != nil || jsonLen(r.page.Text) > maxTextJSON || jsonLen(r.page.Title) > maxTitleJSON {
					t.Errorf("error %v, text of %d bytes, title of %d: want both within their caps", r.err, len(r.page.Text), len(r.page.Title))
				}
			}},
		{name: "invalid utf-8 in a page", kind: kindPage, handler: serve("text/html; charset=utf-8",
			"<html><head><title>Bad \xff bytes</title></head><body><article><p>Acme raised \xe2\x82 $5M from Kima Ventures \xc0\xaf in a seed round led by a local fund.</p></article></body></html>"),
			check: func(t *testing.T, r hostileResult) {
				if r.err != nil || !utf8.ValidString(r.page.Text) || !utf8.ValidString(r.page.Title) || !strings.Contains(r.page.Text, "Kima Ventures") {
					t.Errorf("error %v, title %q, text %q: want valid UTF-8 with the text kept", r.err, r.page.Title, r.page.Text)
				}
			}},
		{name: "empty page", kind: kindPage, handler: serve("text/html", ""),
			check: func(t *testing.T, r hostileResult) {
				if r.err != nil || r.page.Text != "" || r.page.Title != "" {
					t.Errorf("error %v, title %q, text %q: want an empty page", r.err, r.page.Title, r.page.Text)
				}
			}},
		{name: "page with 100k keywords and authors", kind: kindPage, maxAlloc: 128 << 20, handler: serve("text/html",
			`<html><head><meta name="news_keywords" content="`+strings.Repeat("k,", 100000)+`"><meta name="author" content="`+strings.Repeat("A;", 100000)+`"></head><body><p>x</p></body></html>`),
			check: func(t *testing.T, r hostileResult) {
				if r.err != nil || len(r.page.Tags) > maxList || len(r.page.Authors) > maxList {
					t.Errorf("error %v, %d tags, %d authors: want at most %d of each", r.err, len(r.page.Tags), len(r.page.Authors), maxList)
				}
			}},
		{name: "json-ld nested deep", kind: kindPage, handler: serve("text/html",
			`<html><head><script type="application/ld+json">`+strings.Repeat(`{"@graph":[`, 20000)+`</script></head><body><article><p>Acme raised $5M from Kima Ventures in a seed round.</p></article></body></html>`),
			check: func(t *testing.T, r hostileResult) {
				if r.err != nil || !strings.Contains(r.page.Text, "Kima Ventures") {
					t.Errorf("error %v, text %q", r.err, r.page.Text)
				}
			}},
		{name: "a megabyte of digits and currency signs", kind: kindPage, maxAlloc: 256 << 20, handler: serve("text/html",
			"<html><body><p>"+strings.Repeat("$1€2£3¥4 9999999999", (capBytes-100)/24)+"</p></body></html>"),
			check: func(t *testing.T, r hostileResult) {
				if r.err != nil || jsonLen(r.page.Text) > maxTextJSON || !strings.HasPrefix(r.page.Text, "$1€2£3¥4") {
					t.Errorf("error %v, text of %d bytes: want a prefix within the cap", r.err, len(r.page.Text))
				}
			}},
	}

	cfg := testConfig()
	cfg.FeedMaxBytes, cfg.PageMaxBytes = capBytes, capBytes
	cfg.FeedTimeout, cfg.PageTimeout = time.Second, time.Second
	f := testFetcher(t, cfg)
	dc := dateCheck{now: time.Now(), skew: time.Hour}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := fmt.Sprintf("/case%d", i)
			s.handle(path, tt.handler)
			stream.n.Store(0)
			var r hostileResult
			alloc := allocated(func() {
				resp, err := f.get(t.Context(), request{url: s.URL + path, kind: tt.kind})
				r.err = err
				if err != nil {
					return
				}
				if tt.kind == kindFeed {
					r.feed, r.err = parseFeed(resp.body, resp.contentType, resp.url)
				} else {
					r.page, r.err = parsePage(resp.body, resp.contentType, resp.url, dc)
				}
			})
			if tt.want != nil && !errors.Is(r.err, tt.want) {
				t.Errorf("error %v, want %v", r.err, tt.want)
			}
			if tt.wantMsg != "" && (r.err == nil || !strings.Contains(r.err.Error(), tt.wantMsg)) {
				t.Errorf("error %v, want one saying %q", r.err, tt.wantMsg)
			}
			if tt.want == nil && tt.wantMsg == "" && tt.check == nil {
				t.Fatal("case checks nothing")
			}
			if tt.check != nil {
				tt.check(t, r)
			}
			limit := tt.maxAlloc
			if limit == 0 {
				limit = 16 << 20
			}
			if alloc > limit {
				t.Errorf("allocated %d MiB, bound %d MiB", alloc>>20, limit>>20)
			}
			if tt.maxSent > 0 && stream.n.Load() > tt.maxSent {
				t.Errorf("the client read on: the server wrote %d MiB, bound %d MiB", stream.n.Load()>>20, tt.maxSent>>20)
			}
			t.Logf("allocated %d KiB, error: %v", alloc>>10, r.err)
		})
	}
}

// TestHostilePoll takes a hostile feed through the poller to the stream: an
// item whose text is far over what one NATS message holds is published with
// its text cut (before the cap it failed on every poll), a javascript: link
// is published as no link, and the feed's poll ends ok.
func TestHostilePoll(t *testing.T) {
	s := newSite(t)
	long := strings.Repeat("Acme raised $5M from Kima Ventures. ", 60000) // 2.1 MB
	s.serve("/feed.xml", "application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>`+strings.Repeat("T", 3<<20)+`</title>
<item><title>Long story</title><link>`+s.URL+`/long</link><guid>long</guid><description>`+long+`</description></item>
<item><title>Script link</title><link>javascript:alert(document.cookie)</link><guid>js</guid><description>A story with a script for a link.</description></item>
<item><title>Plain story</title><link>`+s.URL+`/plain</link><guid>plain</guid><description>Beta raised $2M.</description></item>
</channel></rss>`)
	js := newBus(t)
	feedURL := s.URL + "/feed.xml"
	p := newTestPoller(t, testConfig(FeedConfig{URL: feedURL, FullText: FullTextNever}), js)
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if st := feedState(t, js, feedURL); st.LastStatus != StatusOK {
		t.Errorf("feed status %q (%s), want ok", st.LastStatus, st.LastError)
	}
	got := map[string]news.Article{}
	for _, a := range storedArticles(t, js) {
		got[a.Title] = a
		if a.URL != "" && !strings.HasPrefix(a.URL, "http") {
			t.Errorf("article %q published with the address %q", a.Title, a.URL)
		}
		if b, _ := json.Marshal(a); len(b) > 1<<20 {
			t.Errorf("article %q is %d bytes of JSON, over a NATS message", a.Title, len(b))
		}
	}
	if len(got) != 3 {
		t.Fatalf("published %d articles, want 3: %v", len(got), got)
	}
	if a := got["Long story"]; len(a.Text) > maxTextJSON+100 || !strings.HasPrefix(long, strings.TrimPrefix(a.Text, "Long story\n")) {
		t.Errorf("long story: text of %d bytes, want a prefix of the item's text within %d", len(a.Text), maxTextJSON)
	}
	if a := got["Script link"]; a.URL != "" || !strings.HasPrefix(a.CanonicalURL, feedURL+"#") {
		t.Errorf("script link: url %q canonical %q, want no url and the feed's guid address", a.URL, a.CanonicalURL)
	}
}
