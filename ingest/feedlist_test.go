package ingest

import (
	"log/slog"
	"strings"
	"testing"
)

func TestAddFeedsAllowsOnlyLocalHostsGiven(t *testing.T) {
	c := &Config{}
	if err := c.AddFeedURLs([]string{"http://127.0.0.1:8000/feed.xml", "https://news.example.com/rss"}, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if len(c.Feeds) != 2 {
		t.Fatalf("feeds = %+v", c.Feeds)
	}
	if len(c.AllowPrivate) != 1 || c.AllowPrivate[0] != "127.0.0.1" {
		t.Errorf("AllowPrivate = %v, want only 127.0.0.1", c.AllowPrivate)
	}
	if err := c.AddFeedURLs([]string{"ftp://x/y"}, slog.New(slog.DiscardHandler)); err == nil {
		t.Error("AddFeedURLs accepted an ftp URL")
	}
}

func TestWebSubPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://dealwire.example.com/websub", "/websub/"},
		{"https://dealwire.example.com/hooks/websub/", "/hooks/websub/"},
		{"https://dealwire.example.com", "/websub/"},
	}
	for _, tt := range tests {
		if got := WebSubPath(tt.in); got != tt.want {
			t.Errorf("WebSubPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDefaultFeedsAreEmbedded(t *testing.T) {
	t.Chdir(t.TempDir()) // the binary must find them from any directory
	fl, err := DefaultFeeds()
	if err != nil {
		t.Fatal(err)
	}
	if len(fl) < 10 {
		t.Errorf("default feed list has %d feeds, want the shipped list", len(fl))
	}
	for _, f := range fl {
		if !strings.HasPrefix(f.URL, "https://") && !strings.HasPrefix(f.URL, "http://") {
			t.Errorf("feed %q has no http(s) url", f.URL)
		}
	}
}
