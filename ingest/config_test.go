package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultFeedListLoads(t *testing.T) {
	feeds, err := LoadFeeds(filepath.Join("..", "configs", "feeds.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) < 9 {
		t.Errorf("%d feeds in the default list, want at least 9", len(feeds))
	}
	cfg := DefaultConfig()
	cfg.Feeds = feeds
	if err := cfg.Validate(); err != nil {
		t.Errorf("default config with the default feeds: %v", err)
	}
	if feeds[0].Name != "techcrunch-venture" || feeds[0].Interval != 10*time.Minute {
		t.Errorf("first feed %+v", feeds[0])
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"defaults", func(*Config) {}, ""},
		{"bad allow entry", func(c *Config) { c.AllowPrivate = []string{"10.0.0.0/99"} }, "allow_private"},
		{"no user agent", func(c *Config) { c.UserAgent = " " }, "user_agent"},
		{"zero page cap", func(c *Config) { c.PageMaxBytes = 0 }, "page_max_bytes"},
		{"interval bounds", func(c *Config) { c.MaxInterval = time.Minute }, "max_interval"},
		{"relative feed", func(c *Config) { c.Feeds = []FeedConfig{{URL: "/feed"}} }, "not an absolute"},
		{"feed twice", func(c *Config) { c.Feeds = []FeedConfig{{URL: "https://a.example/f"}, {URL: "https://a.example/f"}} }, "listed twice"},
		{"full text mode", func(c *Config) { c.Feeds = []FeedConfig{{URL: "https://a.example/f", FullText: "yes"}} }, "full_text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			tt.change(&c)
			err := c.Validate()
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Validate() = %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestImportOPML(t *testing.T) {
	opml := `<?xml version="1.0"?><opml version="2.0"><body>
<outline text="Funding"><outline type="rss" text="TechCrunch Venture" xmlUrl="https://techcrunch.com/category/venture/feed/"/>
<outline type="rss" title="Strictly VC" xmlUrl="https://strictlyvc.com/feed/" category="newsletters"/></outline>
<outline type="rss" text="not http" xmlUrl="ftp://example.com/feed"/></body></opml>`
	feeds, err := ParseOPML(strings.NewReader(opml))
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) != 2 || feeds[1].Name != "strictly-vc" || strings.Join(feeds[1].Tags, ",") != "Funding,newsletters" {
		t.Fatalf("parsed %+v", feeds)
	}
	path := filepath.Join(t.TempDir(), "feeds.yaml")
	existing := "# my feeds\nfeeds:\n  - name: techcrunch-venture # keep me\n    url: https://techcrunch.com/category/venture/feed/\n    interval: 5m\n"
	if err := os.WriteFile(path, []byte(existing), 0o644); err != nil {
		t.Fatal(err)
	}
	added, err := MergeFeeds(path, feeds)
	if err != nil || added != 1 {
		t.Fatalf("MergeFeeds: added %d, %v", added, err)
	}
	got, err := LoadFeeds(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Interval != 5*time.Minute || got[1].URL != "https://strictlyvc.com/feed/" {
		t.Errorf("merged feeds %+v", got)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "# my feeds") || !strings.Contains(string(b), "# keep me") {
		t.Errorf("comments lost:\n%s", b)
	}
}
