package sample

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

func TestLoad(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if n := c.Stories(); n < 60 {
		t.Errorf("%d stories, want at least 60", n)
	}
	langs := map[string]bool{}
	for _, o := range c.outlets {
		langs[o.Lang] = true
	}
	for _, l := range []string{"en", "de", "fr", "es"} {
		if !langs[l] {
			t.Errorf("no outlet in %s", l)
		}
	}
}

func get(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", u, resp.Status)
	}
	return string(b)
}

// TestServer parses every feed with the parser the fetch stage uses, checks
// that each item's page is served, and that a correction appears, with a
// newer update date, from the feed's second request on.
func TestServer(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c.Handler())
	t.Cleanup(srv.Close)
	items := 0
	for _, f := range c.Feeds() {
		feed, err := gofeed.NewParser().ParseString(get(t, srv.URL+f.Path))
		if err != nil {
			t.Fatalf("parsing %s: %v", f.Path, err)
		}
		for _, it := range feed.Items {
			if !strings.HasPrefix(it.Link, srv.URL+"/") || it.PublishedParsed == nil {
				t.Errorf("%s: item %q has link %q, published %v", f.Path, it.Title, it.Link, it.PublishedParsed)
			}
			if page := get(t, it.Link); !strings.Contains(page, "<h1>") {
				t.Errorf("page %s has no headline", it.Link)
			}
			if !strings.Contains(it.Link, "utm_source") {
				items++
			}
		}
	}
	if items != c.Stories() {
		t.Errorf("%d items in the main feeds, want one per story (%d)", items, c.Stories())
	}
	if got := get(t, srv.URL+"/robots.txt"); !strings.Contains(got, "Allow: /") {
		t.Errorf("robots.txt: %q", got)
	}

	// Gridwatch Finance's feed has been read once above: the second read
	// carries the correction.
	feed, err := gofeed.NewParser().ParseString(get(t, srv.URL+"/gridwatch-finance/feed.json"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range feed.Items {
		if !strings.Contains(it.Title, "Helioport") {
			continue
		}
		found = true
		if !strings.Contains(it.Title, "$95 million") || !strings.Contains(it.Content, "$95 million") ||
			it.UpdatedParsed == nil || !it.UpdatedParsed.After(*it.PublishedParsed) {
			t.Errorf("corrected entry: title %q, updated %v, published %v", it.Title, it.UpdatedParsed, it.PublishedParsed)
		}
		if page := get(t, it.Link); !strings.Contains(page, "$95 million") || strings.Contains(page, "$90 million") {
			t.Errorf("page %s does not show the correction", it.Link)
		}
	}
	if !found {
		t.Error("no Helioport entry in the Gridwatch Finance feed")
	}
}
