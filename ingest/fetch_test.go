package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"golang.org/x/text/encoding/charmap"
)

func TestRedirectLoop(t *testing.T) {
	s := newSite(t)
	s.handle("/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusFound) })
	s.handle("/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusFound) })
	s.handle("/c0", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/c1", http.StatusFound) })
	for i := 1; i < 10; i++ {
		next := "/c" + string(rune('0'+i+1))
		s.handle("/c"+string(rune('0'+i)), func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, next, http.StatusFound) })
	}
	f := testFetcher(t, testConfig())
	_, err := f.get(t.Context(), request{url: s.URL + "/a", kind: kindFeed})
	if !errors.Is(err, ErrRedirectLoop) {
		t.Errorf("loop: error %v, want ErrRedirectLoop", err)
	}
	_, err = f.get(t.Context(), request{url: s.URL + "/c0", kind: kindFeed})
	if !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("chain: error %v, want ErrTooManyRedirects", err)
	}
}

func TestSizeAndTimeCaps(t *testing.T) {
	s := newSite(t)
	// A gzip bomb: 64 MiB of zeros that compress to about 64 KiB.
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	zero := make([]byte, 1<<20)
	for range 64 {
		_, _ = zw.Write(zero)
	}
	_ = zw.Close()
	s.handle("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(bomb.Bytes())
	})
	// 50 MB of HTML, streamed without a Content-Length.
	s.handle("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		chunk := bytes.Repeat([]byte("<p>lorem ipsum dolor sit amet</p>\n"), 1<<15)
		for sent := 0; sent < 50<<20 && r.Context().Err() == nil; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	s.handle("/huge-declared", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", "52428800")
		_, _ = w.Write([]byte("<html>"))
	})
	// One byte a second, forever.
	s.handle("/trickle", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-tick.C:
			case <-r.Context().Done():
				return
			}
		}
	})
	s.serve("/image", "image/png", "\x89PNG")
	s.handle("/br", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "br")
		bw := brotli.NewWriter(w)
		_, _ = bw.Write([]byte("<p>brotli works</p>"))
		_ = bw.Close()
	})

	cfg := testConfig()
	cfg.PageMaxBytes = 2 << 20
	cfg.PageTimeout = time.Second
	f := testFetcher(t, cfg)
	tests := []struct {
		path string
		want error
	}{
		{"/bomb", ErrTooLarge},
		{"/huge", ErrTooLarge},
		{"/huge-declared", ErrTooLarge},
		{"/trickle", ErrTooSlow},
		{"/image", ErrContentType},
		{"/br", nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			start := time.Now()
			resp, err := f.get(t.Context(), request{url: s.URL + tt.path, kind: kindPage})
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("took %s; caps must cut off fast", took)
			}
			if tt.want == nil && !strings.Contains(string(resp.body), "brotli works") {
				t.Errorf("body %q", resp.body)
			}
			if tt.want == ErrTooSlow && !strings.Contains(err.Error(), "cut off after 1s") {
				t.Errorf("error %q does not say it was cut off", err)
			}
		})
	}
}

// fixedResolver resolves every name in it to its address.
type fixedResolver map[string]string

func (r fixedResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := r[host]; ok {
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}
	return nil, errors.New("no such host")
}

func TestPrivateAddressesRefused(t *testing.T) {
	s := newSite(t)
	s.serve("/feed", "application/rss+xml", "<rss/>")
	s.handle("/redir", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, s.URL+"/feed", http.StatusFound) })
	_, p, _ := strings.Cut(strings.TrimPrefix(s.URL, "http://"), ":")
	tests := []struct {
		name  string
		url   string
		allow []string
		want  error
	}{
		{"host resolving to 10.0.0.1", "http://intranet.example:" + p + "/feed", []string{"127.0.0.1"}, ErrForbiddenAddress},
		{"loopback literal without allow-list", s.URL + "/feed", nil, ErrForbiddenAddress},
		{"ipv4-mapped loopback", "http://[::ffff:127.0.0.1]:" + p + "/feed", nil, ErrForbiddenAddress},
		{"metadata address", "http://169.254.169.254/latest", []string{"127.0.0.1"}, ErrForbiddenAddress},
		{"public name resolving to loopback", "http://public.example:" + p + "/feed", nil, ErrForbiddenAddress},
		{"redirect from an allowed host to loopback", "http://feeds.internal:" + p + "/redir", []string{"feeds.internal"}, ErrForbiddenAddress},
		{"allowed by prefix", s.URL + "/feed", []string{"127.0.0.0/8"}, nil},
		{"allowed by host name", "http://feeds.internal:" + p + "/feed", []string{"feeds.internal"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.AllowPrivate = tt.allow
			cfg.Resolver = fixedResolver{"intranet.example": "10.0.0.1", "public.example": "127.0.0.1", "feeds.internal": "127.0.0.1"}
			f := testFetcher(t, cfg)
			_, err := f.get(t.Context(), request{url: tt.url, kind: kindFeed})
			if !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestForbiddenAddresses(t *testing.T) {
	tests := []struct {
		ip   string
		want bool
	}{
		{"10.0.0.1", true}, {"127.0.0.1", true}, {"172.16.5.4", true}, {"192.168.1.1", true},
		{"169.254.169.254", true}, {"0.0.0.0", true}, {"224.0.0.1", true}, {"100.64.0.1", true},
		{"255.255.255.255", true}, {"::1", true}, {"::", true}, {"fe80::1", true}, {"fc00::1", true},
		{"ff02::1", true}, {"::ffff:10.0.0.1", true}, {"::ffff:127.0.0.1", true}, {"64:ff9b::a00:1", true},
		{"8.8.8.8", false}, {"151.101.1.69", false}, {"2a04:4e42::645", false}, {"::ffff:8.8.8.8", false},
	}
	for _, tt := range tests {
		if got := forbidden(netip.MustParseAddr(tt.ip)); got != tt.want {
			t.Errorf("forbidden(%s) = %v, want %v", tt.ip, got, tt.want)
		}
	}
}

func TestRobots(t *testing.T) {
	robots := `# test
User-agent: Googlebot
Disallow: /

User-agent: *
Disallow: /private/
Allow: /private/feed.xml
Disallow: /*.pdf$
Crawl-delay: 2
`
	r := parseRobots([]byte(robots), "dealwire/1 (+https://example)")
	tests := []struct {
		path string
		want bool
	}{
		{"/", true}, {"/news/feed", true}, {"/private/x", false}, {"/private/feed.xml", true},
		{"/doc.pdf", false}, {"/doc.pdf?x=1", true},
	}
	for _, tt := range tests {
		if got := r.allowed(tt.path); got != tt.want {
			t.Errorf("allowed(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
	if r.crawlDelay != 2*time.Second {
		t.Errorf("crawl delay %s, want 2s", r.crawlDelay)
	}
	if own := parseRobots([]byte("User-agent: dealwire\nDisallow: /\n\nUser-agent: *\nAllow: /\n"), "dealwire/1"); own.allowed("/feed") {
		t.Error("a group naming dealwire must win over *")
	}

	s := newSite(t)
	s.serve("/robots.txt", "text/plain", robots)
	s.serve("/private/secret.xml", "application/rss+xml", testdata(t, "feeds/atom.xml", s.URL))
	js := newBus(t)
	p := newTestPoller(t, testConfig(FeedConfig{URL: s.URL + "/private/secret.xml"}), js)
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if st := feedState(t, js, s.URL+"/private/secret.xml"); st.LastStatus != StatusDisallowed {
		t.Errorf("status %q, want disallowed", st.LastStatus)
	}
	if s.count("/private/secret.xml") != 0 {
		t.Error("a disallowed feed was fetched")
	}
}

func TestBotWallIsBlockedNotContent(t *testing.T) {
	s := newSite(t)
	challenge := testdata(t, "pages/challenge.html", s.URL)
	s.serve("/feed", "text/html; charset=UTF-8", challenge)
	s.serve("/walled.xml", "application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>w</title>
<item><title>Walled story</title><link>`+s.URL+`/walled</link><guid>w1</guid><description>Short teaser.</description></item></channel></rss>`)
	s.serve("/walled", "text/html", challenge)
	js := newBus(t)
	p := newTestPoller(t, testConfig(FeedConfig{URL: s.URL + "/feed"}, FeedConfig{URL: s.URL + "/walled.xml"}), js)
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if st := feedState(t, js, s.URL+"/feed"); st.LastStatus != StatusBlocked {
		t.Errorf("feed behind a challenge: status %q, want blocked", st.LastStatus)
	}
	got := storedArticles(t, js)
	if len(got) != 1 || got[0].Text != "Walled story\nShort teaser." {
		t.Errorf("walled page must give the feed's own text, never the challenge: %+v", got)
	}
}

func TestWindows1252Feed(t *testing.T) {
	doc := `<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><title>Café Finance</title>
<item><title>Société Générale backs €20m “green” fund</title><link>https://example.com/a</link><guid>1</guid>
<description>Crédit Agricole and BNP Paribas join – says CEO.</description></item></channel></rss>`
	enc, err := charmap.Windows1252.NewEncoder().String(doc)
	if err != nil {
		t.Fatal(err)
	}
	undeclared := strings.Replace(enc, ` encoding="windows-1252"`, "", 1)
	tests := []struct{ name, body, contentType string }{
		{"declared in xml", enc, "application/rss+xml"},
		{"declared in header only", undeclared, "application/rss+xml; charset=windows-1252"},
		{"declared in both", enc, "text/xml; charset=windows-1252"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parseFeed([]byte(tt.body), tt.contentType, "https://example.com/feed")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := f.items[0].title, "Société Générale backs €20m “green” fund"; got != want {
				t.Errorf("title %q, want %q", got, want)
			}
			if got, want := f.items[0].text, "Crédit Agricole and BNP Paribas join – says CEO."; got != want {
				t.Errorf("text %q, want %q", got, want)
			}
		})
	}
}

func TestCharsetOnlyInMeta(t *testing.T) {
	page := `<html><head><title>x</title><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body><article><h1>Société Générale investit 5 M€</h1>
<p>La banque française a annoncé jeudi un investissement de 5 millions d’euros dans une jeune pousse spécialisée dans l’énergie solaire, basée à Montpellier, qui prévoit de doubler ses effectifs.</p>
<p>Le fondateur a déclaré que les fonds serviront à accélérer le déploiement à l’étranger.</p></article></body></html>`
	// Pad the head so the meta tag sits past the first 1024 bytes, as on many real pages.
	page = strings.Replace(page, "<title>", "<!-- "+strings.Repeat("padding ", 200)+"--><title>", 1)
	enc, err := charmap.Windows1252.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	p, err := parsePage([]byte(enc), "text/html", "https://example.fr/a", dateCheck{now: time.Now(), skew: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Text, "5 millions d’euros") || !strings.Contains(p.Text, "énergie solaire") {
		t.Errorf("text not decoded from the meta charset: %q", p.Text)
	}
}
