package ingest

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"

	"github.com/dealwire/dealwire/configs"
)

// DefaultFeeds is the feed list shipped in configs/feeds.yaml, embedded so
// that the binary finds it from any directory.
func DefaultFeeds() ([]FeedConfig, error) {
	b, err := configs.Files.ReadFile("feeds.yaml")
	if err != nil {
		return nil, fmt.Errorf("reading the default feed list: %w", err)
	}
	return ParseFeeds(b, "configs/feeds.yaml")
}

// ChooseFeeds sets the feed list of the fetch stage: the feeds given on the
// command line (urls) if any, else the configured ones, else the shipped
// list ([DefaultFeeds]).
func (c *Config) ChooseFeeds(urls []string, logger *slog.Logger) error {
	if len(urls) > 0 {
		c.Feeds = nil
		return c.AddFeedURLs(urls, logger)
	}
	if len(c.Feeds) > 0 {
		return nil
	}
	fl, err := DefaultFeeds()
	if err != nil {
		return err
	}
	c.Feeds = fl
	logger.Info("no feeds configured; using the default feed list (configs/feeds.yaml)", "feeds", len(fl))
	return nil
}

// AddFeedURLs appends feeds given on the command line, each named after its
// host. A feed on a loopback or private host is let through the dial guard
// ([Config.AllowPrivate]) for that host only, because naming it on the
// command line is an explicit choice.
func (c *Config) AddFeedURLs(urls []string, logger *slog.Logger) error {
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--feed %q: want an http or https URL", raw)
		}
		host := u.Hostname()
		c.Feeds = append(c.Feeds, FeedConfig{URL: raw, Name: host})
		if isLocalHost(host) {
			c.AllowPrivate = append(c.AllowPrivate, host)
			logger.Info("allowing private address for a feed given on the command line", "feed_url", raw, "host", host)
		}
	}
	return nil
}

// isLocalHost reports whether host names this machine or a private network.
func isLocalHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified())
}

// WebSubPath is the path prefix of the WebSub callback URL, ending in '/':
// where the caller mounts [Poller.WebSubHandler].
func WebSubPath(callback string) string {
	u, err := url.Parse(callback)
	if err != nil || u.Path == "" {
		return "/websub/"
	}
	if !strings.HasSuffix(u.Path, "/") {
		return u.Path + "/"
	}
	return u.Path
}
