package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestNormalizeURL(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"already canonical", "https://example.com/a/b", "https://example.com/a/b"},
		{"host case and scheme case", "HTTPS://Example.COM/Path", "https://example.com/Path"},
		{"default https port", "https://example.com:443/a", "https://example.com/a"},
		{"default http port", "http://example.com:80/a", "http://example.com/a"},
		{"other port kept", "https://example.com:8443/a", "https://example.com:8443/a"},
		{"fragment dropped", "https://example.com/a#comments", "https://example.com/a"},
		{"utm dropped", "https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"},
		{"click ids dropped", "https://example.com/a?id=7&fbclid=abc&gclid=def&msclkid=x", "https://example.com/a?id=7"},
		{"params sorted", "https://example.com/a?z=1&a=2", "https://example.com/a?a=2&z=1"},
		{"repeated params keep order", "https://example.com/a?t=2&t=1", "https://example.com/a?t=2&t=1"},
		{"empty path", "https://example.com", "https://example.com/"},
		{"empty query", "https://example.com/a?", "https://example.com/a"},
		{"dot segments", "https://example.com/a/./b/../c", "https://example.com/a/c"},
		{"user info dropped", "https://user:pw@example.com/a", "https://example.com/a"},
		{"trailing host dot", "https://example.com./a", "https://example.com/a"},
		{"escaped path kept", "https://example.com/caf%C3%A9/a%2Fb", "https://example.com/caf%C3%A9/a%2Fb"},
		{"ipv6 host", "http://[2001:DB8::1]:80/x", "http://[2001:db8::1]/x"},
		{"mixed tracking and real", "https://techcrunch.com/2026/11/20/acme/?utm_campaign=x&guccounter=1&p=2", "https://techcrunch.com/2026/11/20/acme/?p=2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeURL(tt.in)
			if err != nil {
				t.Fatalf("NormalizeURL(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("NormalizeURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "ftp://example.com/a", "mailto:a@b.c", "/relative", "https://"} {
		if got, err := NormalizeURL(bad); err == nil {
			t.Errorf("NormalizeURL(%q) = %q, want an error", bad, got)
		}
	}
}

func TestDateSanity(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	dc := dateCheck{min: DefaultConfig().MinDate, skew: 15 * time.Minute, now: now}
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"recent", "2026-11-20T10:00:00Z", true},
		{"a minute ahead (clock skew)", "2026-11-25T12:01:00Z", true},
		{"next year", "2027-11-25T12:00:00Z", false},
		{"unix epoch", "1970-01-01T00:00:00Z", false},
		{"before the web had news sites", "1990-06-01", false},
		{"date only", "2025-03-01", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := parseDate(tt.in)
			if !ok {
				t.Fatalf("parseDate(%q) failed", tt.in)
			}
			if got := dc.ok(d); got != tt.want {
				t.Errorf("ok(%s) = %v, want %v", d, got, tt.want)
			}
		})
	}

	// A page whose JSON-LD date is in the future falls back to the next source.
	page := testdata(t, "pages/northwind.html", "https://deals.example")
	p, err := parsePage([]byte(page), "text/html", "https://deals.example/2026/northwind-solaris", dc)
	if err != nil {
		t.Fatal(err)
	}
	if p.Published == nil || !p.Published.Equal(time.Date(2026, 11, 18, 8, 0, 0, 0, time.UTC)) && p.DateSource == "jsonld" {
		t.Errorf("published %v from %q; the 2099 date must be refused", p.Published, p.DateSource)
	}
	if p.Published != nil && p.Published.Year() == 2099 {
		t.Errorf("future date accepted: %v", p.Published)
	}
}

func TestParsePage(t *testing.T) {
	base := "https://technews.example"
	tests := []struct {
		file      string
		url       string
		title     string
		published string
		source    string
		authors   []string
		canonical string
		lang      string
		has       []string
		hasNot    []string
		textFrom  string
	}{
		{
			file: "acme.html", url: base + "/2026/acme-raises-40m?utm_source=tw",
			title: "Acme raises $40M Series B led by Sequoia", published: "2026-11-20T09:30:00Z", source: "jsonld",
			authors: []string{"Jane Doe", "John Roe"}, canonical: base + "/2026/acme-raises-40m", lang: "en",
			has:      []string{"Berlin-based maker of industrial robots", "Index Ventures and Point Nine", "$12 million Series A in 2024"},
			hasNot:   []string{"Subscribe to our newsletter", "Advertisement", "Great news", "All rights reserved", "Privacy", "Related"},
			textFrom: "trafilatura",
		},
		{
			file: "northwind.html", url: base + "/2026/northwind-solaris",
			title: "Northwind Bank lends $250 million to Solaris", authors: []string{"Sam Lee"},
			canonical: base + "/2026/northwind-solaris", lang: "en",
			// The body is only in JSON-LD (trafilatura reads articleBody too).
			has:    []string{"1.2 GW solar portfolio", "since 2022"},
			hasNot: []string{"Subscribe to read"},
		},
		{
			file: "wordpress.html", url: "https://www.eu-startups.com/2026/11/lisbons-volta-grid-raises-e12m/?utm_source=feed",
			title: "Lisbon’s Volta Grid raises €12m to build battery parks", published: "2026-11-19T07:15:00Z", source: "jsonld",
			authors: []string{"Thomas Ohr"}, canonical: "https://www.eu-startups.com/2026/11/lisbons-volta-grid-raises-e12m/", lang: "en",
			has: []string{"has raised €12 million in a seed round", "Storage is the missing piece", "From pipeline to construction", "a 120 MW park near Évora", "double its team by the end of 2027"},
			hasNot: []string{"Startup Directory", "Volta Grid founders Ana Silva and Rui Costa", "Related Posts", "Leave a Reply", "Sign up now",
				"Top 10 fintech", "leading online magazine", "Thomas Ohr is the founder", "TAGS", "LinkedIn"},
		},
	}
	dc := dateCheck{min: DefaultConfig().MinDate, skew: time.Hour, now: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p, err := parsePage([]byte(testdata(t, "pages/"+tt.file, base)), "text/html; charset=utf-8", tt.url, dc)
			if err != nil {
				t.Fatal(err)
			}
			if p.Title != tt.title {
				t.Errorf("title %q, want %q", p.Title, tt.title)
			}
			if tt.published != "" && (p.Published == nil || p.Published.Format(time.RFC3339) != tt.published || p.DateSource != tt.source) {
				t.Errorf("published %v from %q, want %s from %s", p.Published, p.DateSource, tt.published, tt.source)
			}
			if strings.Join(p.Authors, "|") != strings.Join(tt.authors, "|") {
				t.Errorf("authors %q, want %q", p.Authors, tt.authors)
			}
			if p.CanonicalURL != tt.canonical {
				t.Errorf("canonical %q, want %q", p.CanonicalURL, tt.canonical)
			}
			if p.Lang != tt.lang {
				t.Errorf("lang %q, want %q", p.Lang, tt.lang)
			}
			if tt.textFrom != "" && p.TextSource != tt.textFrom {
				t.Errorf("text from %q, want %q", p.TextSource, tt.textFrom)
			}
			for _, s := range tt.has {
				if !strings.Contains(p.Text, s) {
					t.Errorf("text lacks %q:\n%s", s, p.Text)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(p.Text, s) {
					t.Errorf("text keeps %q:\n%s", s, p.Text)
				}
			}
			if strings.HasPrefix(p.Text, p.Title) {
				t.Errorf("text repeats the headline: %q", p.Text[:min(len(p.Text), 80)])
			}
			if p.Blocked {
				t.Error("an article page marked blocked")
			}
		})
	}
}

func TestParsePageBlocked(t *testing.T) {
	p, err := ParsePage(strings.NewReader(testdata(t, "pages/challenge.html", "")), "https://example.com/a")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Blocked {
		t.Errorf("challenge page not marked blocked: %+v", p)
	}
	// A short brief on a site behind bot management carries the services'
	// scripts but is an article.
	brief := `<html><head><title>Acme raises $3M</title><script src="/_Incapsula_Resource?SWJIYLWA=719d34d31c8e3a6e6fffd425f7e032f3"></script>
<script src="https://js.datadome.co/tags.js"></script></head><body><article><h1>Acme raises $3M</h1>
<p>Acme, a Paris-based startup, raised $3M in seed funding led by Kima Ventures. The company will use the money to grow its team.</p></article>
<script>(function(){var a=document.createElement('script');a.src='/cdn-cgi/challenge-platform/scripts/jsd/main.js';document.body.appendChild(a)})();</script></body></html>`
	p, err = ParsePage(strings.NewReader(brief), "https://example.com/brief")
	if err != nil {
		t.Fatal(err)
	}
	if p.Blocked || !strings.Contains(p.Text, "Kima Ventures") {
		t.Errorf("brief: blocked %v text %q", p.Blocked, p.Text)
	}
}

// FuzzParseFeed checks that no body makes the feed parser panic, and that
// what it returns is valid UTF-8 with absolute links.
func FuzzParseFeed(f *testing.F) {
	for _, name := range []string{"rss.xml", "atom.xml"} {
		b, err := os.ReadFile(filepath.Join("testdata", "feeds", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "application/rss+xml")
	}
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"j","items":[{"id":"1","url":"/a","content_html":"<p>x</p>"}]}`), "application/feed+json")
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss><channel><item><title>\x80\x93</title><link>a</link></item></channel></rss>"), "text/xml; charset=windows-1252")
	f.Add([]byte("<html><title>Just a moment...</title></html>"), "text/html")
	// Seeds from the bad-input catalogue (hostile_test.go).
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;">]><rss version="2.0"><channel><item><title>&lol1;</title><link>javascript:x</link><guid>g</guid><category>a</category></item></channel></rss>`), "application/rss+xml")
	f.Add([]byte("<rss version=\"2.0\"><channel><item><title>Soci\xe9t\xe9\x00\x0c</title><link>https://example.com/a</link><description>&lt;div&gt;&lt;div&gt;&lt;b&gt;x</description></item></channel></rss>"), "application/rss+xml; charset=utf-8")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":5,"url":["a"]}]}`), "application/json")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		pf, err := parseFeed(body, contentType, "https://example.com/feed")
		if err != nil {
			return
		}
		for _, it := range pf.items {
			for _, s := range []string{it.title, it.text, it.guid} {
				if !utf8.ValidString(s) && s != it.guid {
					t.Errorf("invalid UTF-8 in item: %q", s)
				}
			}
			if it.link != "" && !strings.HasPrefix(it.link, "http://") && !strings.HasPrefix(it.link, "https://") {
				t.Errorf("link %q is not an absolute http(s) address", it.link)
			}
			if jsonLen(it.title) > maxTitleJSON || jsonLen(it.text) > maxTextJSON || len(it.guid) > maxGUIDLen {
				t.Errorf("item over its caps: title %d, text %d, guid %d bytes", len(it.title), len(it.text), len(it.guid))
			}
			if len(it.tags) > maxList || len(it.authors) > maxList {
				t.Errorf("%d tags and %d authors, over %d", len(it.tags), len(it.authors), maxList)
			}
		}
	})
}

// FuzzParsePage checks that no document makes page parsing panic and that
// its text is valid UTF-8.
func FuzzParsePage(f *testing.F) {
	for _, name := range []string{"acme.html", "northwind.html", "wordpress.html", "challenge.html"} {
		b, err := os.ReadFile(filepath.Join("testdata", "pages", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("<html><body><p>\xff\xfe broken <b>utf8</p></table></body>"))
	// Seeds from the bad-input catalogue (hostile_test.go).
	f.Add([]byte("<html><head><meta name=\"news_keywords\" content=\"a,b,c\"><meta property=\"og:image\" content=\"javascript:x\"></head><body>" + strings.Repeat("<div><b>", 300) + "<p>$1€2£3¥4 9999</p></body></html>"))
	f.Add([]byte(`<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"h","author":[{"name":"a"},"b,c"],"keywords":["k"],"articleBody":"<p>x</p>"}</script></head></html>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := parsePage(body, "", "https://example.com/a", dateCheck{now: time.Now(), skew: time.Hour})
		if err != nil {
			return
		}
		if !utf8.ValidString(p.Text) || !utf8.ValidString(p.Title) {
			t.Errorf("invalid UTF-8: title %q text %q", p.Title, p.Text)
		}
		if jsonLen(p.Title) > maxTitleJSON || jsonLen(p.Text) > maxTextJSON || jsonLen(p.ldBody) > maxTextJSON {
			t.Errorf("page over its caps: title %d, text %d, JSON-LD body %d bytes", len(p.Title), len(p.Text), len(p.ldBody))
		}
		if len(p.Tags) > maxList || len(p.Authors) > maxList {
			t.Errorf("%d tags and %d authors, over %d", len(p.Tags), len(p.Authors), maxList)
		}
		if p.Image != "" && !strings.HasPrefix(p.Image, "http") {
			t.Errorf("image %q is not an http(s) address", p.Image)
		}
	})
}
