package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Full-text modes of [FeedConfig.FullText].
const (
	// FullTextAuto fetches an item's page when the feed carries less than
	// [Config.FullTextMinChars] characters of text for it.
	FullTextAuto = "auto"
	// FullTextAlways fetches every item's page.
	FullTextAlways = "always"
	// FullTextNever uses the feed's own content only.
	FullTextNever = "never"
)

// FeedConfig is one feed of the feed list.
type FeedConfig struct {
	// Name is the source name: it goes into [news.Article.Source] and the
	// subject. Defaults to the feed URL's host.
	Name string `yaml:"name"`
	// URL is the feed's address; it is also the feed's key in the state bucket,
	// so a feed that moves (301) keeps its state under its configured URL.
	URL string `yaml:"url"`
	// Interval is the feed's base poll interval; zero means [Config.Interval].
	// The poller adapts it to how often the feed changes, within
	// [Config.MinInterval] and [Config.MaxInterval].
	Interval time.Duration `yaml:"interval,omitempty"`
	// FullText is "auto" (default), "always" or "never".
	FullText string `yaml:"full_text,omitempty"`
	// Tags are copied into every article of the feed.
	Tags []string `yaml:"tags,omitempty"`
	// Disabled feeds stay in the list but are not polled.
	Disabled bool `yaml:"disabled,omitempty"`
}

// Resolver looks up the addresses of a host name; *net.Resolver is one.
// Tests use it to make a name resolve to an address of their choosing.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Config configures the fetch stage.
type Config struct {
	// Feeds is the feed list.
	Feeds []FeedConfig `yaml:"feeds"`
	// UserAgent names the project and says where to read about it.
	UserAgent string `yaml:"user_agent"`
	// AllowPrivate lists host names, addresses and CIDR prefixes that may be
	// fetched although they are loopback, private, link-local or otherwise not
	// public. Everything else of that kind is refused at dial time.
	AllowPrivate []string `yaml:"allow_private"`
	// IgnoreRobots turns off robots.txt checks; only for feeds you own.
	IgnoreRobots bool `yaml:"ignore_robots"`

	// FeedMaxBytes caps a feed body after decompression.
	FeedMaxBytes int64 `yaml:"feed_max_bytes"`
	// PageMaxBytes caps an article page body after decompression.
	PageMaxBytes int64 `yaml:"page_max_bytes"`
	// FeedTimeout caps the total time of one feed request, body included.
	FeedTimeout time.Duration `yaml:"feed_timeout"`
	// PageTimeout caps the total time of one page request, body included.
	PageTimeout time.Duration `yaml:"page_timeout"`
	// MaxRedirects caps the redirects followed for one request.
	MaxRedirects int `yaml:"max_redirects"`

	// Interval is the default base poll interval of a feed.
	Interval time.Duration `yaml:"interval"`
	// MinInterval and MaxInterval bound the adaptive interval.
	MinInterval time.Duration `yaml:"min_interval"`
	MaxInterval time.Duration `yaml:"max_interval"`
	// MaxBackoff caps the wait after consecutive failures of a feed.
	MaxBackoff time.Duration `yaml:"max_backoff"`
	// Jitter is the fraction (0..1) by which each next-poll delay is varied.
	Jitter float64 `yaml:"jitter"`

	// Workers is the number of feeds polled at the same time.
	Workers int `yaml:"workers"`
	// HostConcurrency caps the requests in flight to one host.
	HostConcurrency int `yaml:"host_concurrency"`
	// HostDelay is the least time between the starts of two requests to one
	// host; a robots.txt Crawl-delay raises it for that host (up to 30s).
	HostDelay time.Duration `yaml:"host_delay"`

	// FullTextMinChars is the feed text length below which "auto" feeds
	// fetch the item's page.
	FullTextMinChars int `yaml:"full_text_min_chars"`
	// MaxItemsPerPoll caps the new items taken from one feed in one poll
	// (the newest first); the rest wait for the next poll.
	MaxItemsPerPoll int `yaml:"max_items_per_poll"`
	// PageAttempts is how many polls a page that failed transiently (timeout,
	// 5xx, network) is retried before the article is published from the feed's
	// own text.
	PageAttempts int `yaml:"page_attempts"`
	// SeenItems is how many item keys per feed are remembered (two or three
	// per item, 19 bytes each in the stored state).
	SeenItems int `yaml:"seen_items"`

	// MinDate is the earliest publication date believed; earlier dates are
	// treated as wrong. MaxFutureSkew is how far in the future a date may be.
	MinDate       time.Time     `yaml:"min_date"`
	MaxFutureSkew time.Duration `yaml:"max_future_skew"`

	// StateBucket is the JetStream key-value bucket holding feed state.
	StateBucket string `yaml:"state_bucket"`
	// StateReplicas is the state bucket's replication factor; 0 means 1.
	// The binary sets it from nats.replicas, like every stream and bucket.
	StateReplicas int `yaml:"-"`
	// PublishTimeout caps the wait for one PubAck.
	PublishTimeout time.Duration `yaml:"publish_timeout"`

	// WebSubCallback is the public base URL at which [Poller.WebSubHandler]
	// is reachable, e.g. "https://dealwire.example.com/websub". When set,
	// feeds that advertise a WebSub hub are subscribed and their pushes
	// published at once; polling stays the fallback. Empty turns WebSub off.
	WebSubCallback string `yaml:"websub_callback"`
	// WebSubLease is the subscription lease asked of hubs; subscriptions are
	// renewed when a quarter of it is left.
	WebSubLease time.Duration `yaml:"websub_lease"`

	// Resolver resolves host names before the dial guard checks them; nil
	// means the system resolver.
	Resolver Resolver `yaml:"-"`
}

// DefaultConfig returns the defaults: polite to servers, safe for the
// network it runs in.
func DefaultConfig() Config {
	return Config{
		UserAgent:        "dealwire/1 (+https://github.com/dealwire/dealwire; funding-news indexer)",
		FeedMaxBytes:     8 << 20,
		PageMaxBytes:     5 << 20,
		FeedTimeout:      30 * time.Second,
		PageTimeout:      30 * time.Second,
		MaxRedirects:     5,
		Interval:         15 * time.Minute,
		MinInterval:      5 * time.Minute,
		MaxInterval:      4 * time.Hour,
		MaxBackoff:       12 * time.Hour,
		Jitter:           0.1,
		Workers:          32,
		HostConcurrency:  2,
		HostDelay:        time.Second,
		FullTextMinChars: 600,
		MaxItemsPerPoll:  100,
		PageAttempts:     3,
		SeenItems:        1000,
		MinDate:          time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC),
		MaxFutureSkew:    15 * time.Minute,
		StateBucket:      "dealwire_feeds",
		PublishTimeout:   10 * time.Second,
		WebSubLease:      7 * 24 * time.Hour,
	}
}

// Validate reports the first setting that cannot work.
func (c Config) Validate() error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	check(strings.TrimSpace(c.UserAgent) != "", "user_agent is empty")
	check(c.FeedMaxBytes > 0, "feed_max_bytes %d is not positive", c.FeedMaxBytes)
	check(c.PageMaxBytes > 0, "page_max_bytes %d is not positive", c.PageMaxBytes)
	check(c.FeedTimeout > 0, "feed_timeout %s is not positive", c.FeedTimeout)
	check(c.PageTimeout > 0, "page_timeout %s is not positive", c.PageTimeout)
	check(c.MaxRedirects >= 0, "max_redirects %d is negative", c.MaxRedirects)
	check(c.MinInterval > 0, "min_interval %s is not positive", c.MinInterval)
	check(c.MaxInterval >= c.MinInterval, "max_interval %s is below min_interval %s", c.MaxInterval, c.MinInterval)
	check(c.Interval > 0, "interval %s is not positive", c.Interval)
	check(c.MaxBackoff > 0, "max_backoff %s is not positive", c.MaxBackoff)
	check(c.Jitter >= 0 && c.Jitter < 1, "jitter %v is outside [0, 1)", c.Jitter)
	check(c.Workers > 0, "workers %d is not positive", c.Workers)
	check(c.HostConcurrency > 0, "host_concurrency %d is not positive", c.HostConcurrency)
	check(c.HostDelay >= 0, "host_delay %s is negative", c.HostDelay)
	check(c.MaxItemsPerPoll > 0, "max_items_per_poll %d is not positive", c.MaxItemsPerPoll)
	check(c.PageAttempts > 0, "page_attempts %d is not positive", c.PageAttempts)
	check(c.SeenItems >= 10, "seen_items %d is below 10", c.SeenItems)
	check(c.MaxFutureSkew >= 0, "max_future_skew %s is negative", c.MaxFutureSkew)
	check(c.StateBucket != "", "state_bucket is empty")
	check(c.StateReplicas >= 0 && c.StateReplicas <= 5, "state bucket replicas %d is outside 0..5", c.StateReplicas)
	check(c.PublishTimeout > 0, "publish_timeout %s is not positive", c.PublishTimeout)
	check(c.WebSubLease >= time.Hour, "websub_lease %s is under an hour", c.WebSubLease)
	if c.WebSubCallback != "" {
		u, err := url.Parse(c.WebSubCallback)
		check(err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "", "websub_callback %q is not an absolute http(s) url", c.WebSubCallback)
	}
	if _, _, err := parseAllowList(c.AllowPrivate); err != nil {
		errs = append(errs, err)
	}
	seen := make(map[string]bool, len(c.Feeds))
	for i, f := range c.Feeds {
		if err := f.validate(); err != nil {
			errs = append(errs, fmt.Errorf("feed %d: %w", i, err))
			continue
		}
		check(!seen[f.URL], "feed %d: url %s listed twice", i, f.URL)
		seen[f.URL] = true
	}
	return errors.Join(errs...)
}

func (f FeedConfig) validate() error {
	u, err := url.Parse(f.URL)
	if err != nil {
		return fmt.Errorf("parsing url: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("url %q is not an absolute http(s) url", f.URL)
	}
	switch f.FullText {
	case "", FullTextAuto, FullTextAlways, FullTextNever:
	default:
		return fmt.Errorf("full_text %q is not auto, always or never", f.FullText)
	}
	if f.Interval < 0 {
		return fmt.Errorf("interval %s is negative", f.Interval)
	}
	return nil
}

// source is the feed's name, or its host when it has none.
func (f FeedConfig) source() string {
	if f.Name != "" {
		return f.Name
	}
	if u, err := url.Parse(f.URL); err == nil && u.Hostname() != "" {
		return strings.TrimPrefix(u.Hostname(), "www.")
	}
	return "unknown"
}

// FeedList is the shape of a feeds file such as configs/feeds.yaml.
type FeedList struct {
	Feeds []FeedConfig `yaml:"feeds"`
}

// LoadFeeds reads a feeds YAML file: a top-level "feeds" list of
// [FeedConfig]. Unknown keys are errors, so that typos do not pass silently.
func LoadFeeds(path string) ([]FeedConfig, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading feeds: %w", err)
	}
	return ParseFeeds(b, path)
}

// ParseFeeds reads a feed list in the format of configs/feeds.yaml; name
// says where it came from, for error messages.
func ParseFeeds(b []byte, name string) ([]FeedConfig, error) {
	var fl FeedList
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&fl); err != nil {
		return nil, fmt.Errorf("parsing feeds %s: %w", name, err)
	}
	for i, f := range fl.Feeds {
		if err := f.validate(); err != nil {
			return nil, fmt.Errorf("parsing feeds %s: feed %d: %w", name, i, err)
		}
	}
	return fl.Feeds, nil
}
