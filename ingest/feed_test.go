package ingest

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseFeedFormats(t *testing.T) {
	tests := []struct {
		name, body, contentType string
		wantTitle, wantLink     string
	}{
		{"rss 0.91", `<?xml version="1.0"?><rss version="0.91"><channel><title>c</title><link>https://ex.com/</link>
<item><title>Old style item</title><link>https://ex.com/a</link><description>Text</description></item></channel></rss>`,
			"text/xml", "Old style item", "https://ex.com/a"},
		{"rss 1.0 (rdf)", `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://ex.com/"><title>c</title><link>https://ex.com/</link></channel>
<item rdf:about="https://ex.com/b"><title>RDF item</title><link>https://ex.com/b</link></item></rdf:RDF>`,
			"application/rdf+xml", "RDF item", "https://ex.com/b"},
		{"atom with relative link", `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>c</title><link href="https://ex.com/blog/"/>
<entry><title type="html">Atom &lt;b&gt;item&lt;/b&gt;</title><link href="posts/c"/><id>c</id><updated>2026-01-02T00:00:00Z</updated></entry></feed>`,
			"application/atom+xml", "Atom item", "https://ex.com/blog/posts/c"},
		{"json feed", `{"version":"https://jsonfeed.org/version/1.1","title":"j","home_page_url":"https://ex.com/","items":[{"id":"d","url":"https://ex.com/d","title":"JSON item","content_html":"<p>Hello</p>","date_published":"2026-01-02T00:00:00Z"}]}`,
			"application/feed+json", "JSON item", "https://ex.com/d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parseFeed([]byte(tt.body), tt.contentType, "https://ex.com/feed")
			if err != nil {
				t.Fatal(err)
			}
			if len(f.items) != 1 || f.items[0].title != tt.wantTitle || f.items[0].link != tt.wantLink {
				t.Errorf("items %+v, want title %q link %q", f.items, tt.wantTitle, tt.wantLink)
			}
		})
	}
	if _, err := parseFeed([]byte("<html><body>hello</body></html>"), "text/html", ""); !errors.Is(err, ErrNotFeed) {
		t.Errorf("html page: %v, want ErrNotFeed", err)
	}
	if _, err := parseFeed([]byte("garbage"), "", ""); !errors.Is(err, ErrNotFeed) {
		t.Errorf("garbage: %v, want ErrNotFeed", err)
	}
}

func TestHeaderParsing(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want time.Duration
	}{
		{"120", 2 * time.Minute}, {"Wed, 25 Nov 2026 12:10:00 GMT", 10 * time.Minute},
		{"Wed, 25 Nov 2026 11:00:00 GMT", 0}, {"soon", 0}, {"-5", 0}, {"99999999", 7 * 24 * time.Hour},
	} {
		if got := retryAfter(tt.in, now); got != tt.want {
			t.Errorf("retryAfter(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct {
		in   string
		want time.Duration
	}{
		{"max-age=300", 5 * time.Minute}, {"public, s-maxage=60, max-age=30", time.Minute},
		{"no-cache", 0}, {"max-age=abc", 0}, {"", 0},
	} {
		if got := maxAge(tt.in); got != tt.want {
			t.Errorf("maxAge(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestDeflateBodies(t *testing.T) {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	_, _ = zw.Write([]byte("<rss>zlib</rss>"))
	_ = zw.Close()
	got, err := readBody(bytes.NewReader(z.Bytes()), "deflate", 1<<20)
	if err != nil || string(got) != "<rss>zlib</rss>" {
		t.Errorf("zlib deflate: %q %v", got, err)
	}
	// Raw DEFLATE, as some servers send it: the zlib header is missing.
	raw := z.Bytes()[2 : z.Len()-4]
	got, err = readBody(bytes.NewReader(raw), "deflate", 1<<20)
	if err != nil || string(got) != "<rss>zlib</rss>" {
		t.Errorf("raw deflate: %q %v", got, err)
	}
	if _, err := readBody(strings.NewReader("x"), "compress", 10); !errors.Is(err, ErrContentType) {
		t.Errorf("unknown encoding: %v", err)
	}
}

func TestHostLimiter(t *testing.T) {
	h := newHostLimiter(2, 50*time.Millisecond)
	ctx := t.Context()
	start := time.Now()
	var releases []func()
	for range 2 {
		rel, err := h.acquire(ctx, "a.example", true)
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, rel)
	}
	if took := time.Since(start); took < 50*time.Millisecond {
		t.Errorf("second request to a host started after %s, want the 50ms delay", took)
	}
	// Both slots are taken: a third request waits until one is released.
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := h.acquire(short, "a.example", true); err == nil {
		t.Error("a third concurrent request to one host was let through")
	}
	// Another host is not held up.
	other, err := h.acquire(ctx, "b.example", true)
	if err != nil {
		t.Fatal(err)
	}
	other()
	releases[0]()
	rel, err := h.acquire(ctx, "a.example", false)
	if err != nil {
		t.Fatalf("after a release: %v", err)
	}
	rel()
	releases[1]()
}

func TestLinkHeaders(t *testing.T) {
	hub, self := linkHeaders([]string{`<https://hub.example/>; rel="hub", </feed.xml>; rel="self alternate"`}, "https://ex.com/blog/feed")
	if hub != "https://hub.example/" || self != "https://ex.com/feed.xml" {
		t.Errorf("hub %q self %q", hub, self)
	}
	if hub, self := linkHeaders([]string{`<https://ex.com/>; rel=preload`}, ""); hub != "" || self != "" {
		t.Errorf("unrelated link gave hub %q self %q", hub, self)
	}
}
