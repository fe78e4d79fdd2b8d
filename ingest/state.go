package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dealwire/dealwire/bus"
	"github.com/nats-io/nats.go/jetstream"
)

// Feed statuses in [FeedState.LastStatus].
const (
	StatusOK          = "ok"
	StatusNotModified = "not_modified"
	StatusFailed      = "error"
	// StatusPartial means the feed was read but some items wait for the
	// next poll (their page or their publish failed); the feed is not
	// backed off for it.
	StatusPartial    = "partial"
	StatusBlocked    = "blocked"
	StatusThrottled  = "throttled"
	StatusDisallowed = "disallowed"
)

// FeedState is what the poller remembers about a feed between polls and
// across restarts; it is stored as JSON in the state bucket under
// [StateKey] of the feed's configured URL.
type FeedState struct {
	Name string `json:"name"`
	URL  string `json:"url"`
	// Title is the feed's own title from its last parse: the outlet name
	// ([news.Article.Outlet]) of its articles whose pages name none.
	Title string `json:"title,omitempty"`
	// CurrentURL is where the feed now lives after a permanent redirect.
	CurrentURL   string `json:"current_url,omitempty"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`

	LastStatus  string    `json:"last_status,omitempty"`
	LastError   string    `json:"last_error,omitempty"`
	LastPoll    time.Time `json:"last_poll,omitzero"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	LastChange  time.Time `json:"last_change,omitzero"`
	NextPoll    time.Time `json:"next_poll,omitzero"`
	// NotBefore is a hold the server asked for (Retry-After on 429 or 503);
	// no poll, not even PollOnce, happens before it.
	NotBefore time.Time `json:"not_before,omitzero"`
	// MaxAge is the feed's last Cache-Control max-age.
	MaxAge time.Duration `json:"max_age,omitempty"`
	// Interval is the current adaptive poll interval.
	Interval time.Duration `json:"interval,omitempty"`
	// ErrorCount counts consecutive failures; TotalErrors all of them.
	ErrorCount  int   `json:"error_count"`
	TotalErrors int   `json:"total_errors"`
	Published   int64 `json:"published"`
	// Seen holds hashed keys of items already published, newest last.
	Seen []string `json:"seen,omitempty"`
	// PageFailures counts failed page fetches by hashed item key, for items waiting
	// for a retry.
	PageFailures map[string]int `json:"page_failures,omitempty"`
	// Hub is the WebSub hub the feed advertises; Self its rel="self" address.
	Hub  string `json:"hub,omitempty"`
	Self string `json:"self,omitempty"`
	// WebSubTopic, WebSubSecret and WebSubRequested describe the last
	// subscription asked of the hub; WebSubExpires is when the lease the hub
	// confirmed runs out (zero: no active subscription).
	WebSubTopic     string    `json:"websub_topic,omitempty"`
	WebSubSecret    string    `json:"websub_secret,omitempty"`
	WebSubRequested time.Time `json:"websub_requested,omitzero"`
	WebSubExpires   time.Time `json:"websub_expires,omitzero"`
}

// StateKey is the key-value key of the feed with configured URL feedURL.
func StateKey(feedURL string) string {
	sum := sha256.Sum256([]byte(feedURL))
	return "feed." + hex.EncodeToString(sum[:16])
}

// seenKey is the short hash that stands for s in [FeedState.Seen]: 16 hex
// digits keep a feed's state small, and collisions among a feed's few
// hundred keys are vanishingly unlikely.
func seenKey(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

func (s *FeedState) seen(key string) bool { return slices.Contains(s.Seen, key) }

func (s *FeedState) markSeen(limit int, keys ...string) {
	for _, k := range keys {
		if k != "" && !s.seen(k) {
			s.Seen = append(s.Seen, k)
		}
	}
	if over := len(s.Seen) - limit; over > 0 {
		s.Seen = slices.Delete(s.Seen, 0, over)
	}
}

// stateStore keeps feed states in a JetStream key-value bucket.
type stateStore struct {
	kv jetstream.KeyValue
}

func openStateStore(ctx context.Context, js jetstream.JetStream, bucket string, replicas int) (*stateStore, error) {
	kv, err := bus.OpenBucket(ctx, js, bucket, "dealwire fetch stage: feed validators, seen items, backoff", replicas)
	if err != nil {
		return nil, err
	}
	return &stateStore{kv: kv}, nil
}

// load returns the feed's state and its revision; a feed never seen has
// revision 0.
func (s *stateStore) load(ctx context.Context, feedURL string) (FeedState, uint64, error) {
	e, err := s.kv.Get(ctx, StateKey(feedURL))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return FeedState{URL: feedURL}, 0, nil
	}
	if err != nil {
		return FeedState{}, 0, fmt.Errorf("loading state of %s: %w", feedURL, err)
	}
	var st FeedState
	if err := json.Unmarshal(e.Value(), &st); err != nil {
		// A state we cannot read is replaced, not fatal: the feed is polled
		// afresh and the stream's duplicate window catches repeats.
		return FeedState{URL: feedURL}, e.Revision(), nil
	}
	return st, e.Revision(), nil
}

// save writes the state if nobody else did since rev was read, so two
// replicas polling the same feed cannot undo each other's work.
func (s *stateStore) save(ctx context.Context, st FeedState, rev uint64) error {
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encoding state of %s: %w", st.URL, err)
	}
	key := StateKey(st.URL)
	if rev == 0 {
		_, err = s.kv.Create(ctx, key, b)
	} else {
		_, err = s.kv.Update(ctx, key, b, rev)
	}
	if err != nil {
		return fmt.Errorf("saving state of %s: %w", st.URL, err)
	}
	return nil
}

// ListFeedStates returns every feed state in bucket, for "dealwire feeds list".
func ListFeedStates(ctx context.Context, js jetstream.JetStream, bucket string) ([]FeedState, error) {
	kv, err := js.KeyValue(ctx, bucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("opening state bucket %s: %w", bucket, err)
	}
	keys, err := kv.ListKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing state bucket %s: %w", bucket, err)
	}
	var out []FeedState
	for k := range keys.Keys() {
		e, err := kv.Get(ctx, k)
		if err != nil {
			continue // deleted between list and get
		}
		var st FeedState
		if err := json.Unmarshal(e.Value(), &st); err == nil {
			st.WebSubSecret = "" // listings are for people; the secret stays in the bucket
			out = append(out, st)
		}
	}
	return out, nil
}
