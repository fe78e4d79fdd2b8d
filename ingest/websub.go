package ingest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// WebSub (W3C recommendation, formerly PubSubHubbub): a feed that names a
// hub gets a subscription whose callback is [Poller.WebSubHandler] under
// [Config.WebSubCallback]. The hub then pushes new entries, which are
// published at once; polling goes on as the fallback, so a hub that stops
// pushing loses nothing.

// subscription is a subscribe request to send to a hub.
type subscription struct {
	feedURL, hub, topic, callback, secret string
}

// webSubKey is the last path segment of a feed's callback URL.
func webSubKey(feedURL string) string { return strings.TrimPrefix(StateKey(feedURL), "feed.") }

// prepareWebSub decides whether the feed needs a (re)subscription and, if
// so, records topic, secret and request time in st, which must be saved
// before the request goes out: the hub's verification request checks them.
func (p *Poller) prepareWebSub(fc FeedConfig, st *FeedState, self string) *subscription {
	if p.cfg.WebSubCallback == "" || st.Hub == "" {
		return nil
	}
	now := time.Now()
	if st.WebSubExpires.Sub(now) > p.cfg.WebSubLease/4 || now.Sub(st.WebSubRequested) < 10*time.Minute {
		return nil
	}
	topic := self
	if topic == "" {
		topic = fc.URL
		if st.CurrentURL != "" {
			topic = st.CurrentURL
		}
	}
	secret := make([]byte, 24)
	_, _ = rand.Read(secret) // crypto/rand.Read never fails on supported platforms
	st.WebSubTopic = topic
	st.WebSubSecret = hex.EncodeToString(secret)
	st.WebSubRequested = now
	return &subscription{
		feedURL:  fc.URL,
		hub:      st.Hub,
		topic:    topic,
		callback: strings.TrimSuffix(p.cfg.WebSubCallback, "/") + "/" + webSubKey(fc.URL),
		secret:   st.WebSubSecret,
	}
}

// subscribe asks the hub for a subscription. The hub answers 202 and
// verifies the intent later with a GET on the callback.
func (p *Poller) subscribe(ctx context.Context, s *subscription) error {
	form := url.Values{
		"hub.mode":          {"subscribe"},
		"hub.topic":         {s.topic},
		"hub.callback":      {s.callback},
		"hub.secret":        {s.secret},
		"hub.lease_seconds": {strconv.Itoa(int(p.cfg.WebSubLease / time.Second))},
	}
	ctx, cancel := context.WithTimeout(ctx, p.cfg.FeedTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.hub, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("subscribing to %s at %s: %w", s.topic, s.hub, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", p.cfg.UserAgent)
	resp, err := p.f.client.Do(req)
	if err != nil {
		return fmt.Errorf("subscribing to %s at %s: %w", s.topic, s.hub, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("subscribing to %s at %s: %w", s.topic, s.hub, &StatusError{URL: s.hub, Code: resp.StatusCode})
	}
	return nil
}

// WebSubHandler serves the WebSub callbacks under [Config.WebSubCallback]:
// a GET verifies a subscription we asked for, a POST delivers feed content,
// which is checked against the subscription's secret, published, and
// answered 2xx only once every article is stored (so the hub retries on
// failure). Mount it at the callback URL's path, e.g.
// mux.Handle("/websub/", p.WebSubHandler()).
func (p *Poller) WebSubHandler() http.Handler {
	byKey := make(map[string]FeedConfig, len(p.cfg.Feeds))
	for _, f := range p.cfg.Feeds {
		byKey[webSubKey(f.URL)] = f
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		fc, ok := byKey[key]
		if !ok || fc.Disabled {
			http.NotFound(w, r)
			return
		}
		store, err := p.stateStore(r.Context())
		if err != nil {
			http.Error(w, "state unavailable", http.StatusServiceUnavailable)
			return
		}
		switch r.Method {
		case http.MethodGet:
			p.verifyWebSub(w, r, store, fc)
		case http.MethodPost:
			p.receiveWebSub(w, r, store, fc)
		default:
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
}

func (p *Poller) verifyWebSub(w http.ResponseWriter, r *http.Request, store *stateStore, fc FeedConfig) {
	q := r.URL.Query()
	mode, topic := q.Get("hub.mode"), q.Get("hub.topic")
	err := p.updateState(r.Context(), store, fc.URL, func(st *FeedState) (bool, error) {
		switch {
		case mode == "subscribe" && topic != "" && topic == st.WebSubTopic:
			lease, _ := strconv.Atoi(q.Get("hub.lease_seconds"))
			if lease <= 0 {
				lease = int(p.cfg.WebSubLease / time.Second)
			}
			st.WebSubExpires = time.Now().Add(time.Duration(lease) * time.Second)
			return true, nil
		case mode == "denied" && topic == st.WebSubTopic:
			p.log.Warn("websub subscription denied", "feed_url", fc.URL, "hub", st.Hub, "reason", q.Get("hub.reason"))
			st.WebSubExpires = time.Time{}
			return true, nil
		}
		return false, errors.New("no such subscription")
	})
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = io.WriteString(w, q.Get("hub.challenge"))
}

func (p *Poller) receiveWebSub(w http.ResponseWriter, r *http.Request, store *stateStore, fc FeedConfig) {
	body, err := io.ReadAll(io.LimitReader(r.Body, p.cfg.FeedMaxBytes+1))
	if err != nil || int64(len(body)) > p.cfg.FeedMaxBytes {
		http.Error(w, "body unreadable or too large", http.StatusRequestEntityTooLarge)
		return
	}
	sig := r.Header.Get("X-Hub-Signature-256")
	if sig == "" {
		sig = r.Header.Get("X-Hub-Signature")
	}
	err = p.updateState(r.Context(), store, fc.URL, func(st *FeedState) (bool, error) {
		if st.WebSubSecret == "" || !validSignature(sig, body, st.WebSubSecret) {
			// The spec asks for a 2xx anyway, so forgers learn nothing.
			p.log.Warn("websub content with a bad signature ignored", "feed_url", fc.URL)
			return false, nil
		}
		feed, err := parseFeed(body, r.Header.Get("Content-Type"), st.WebSubTopic)
		if err != nil {
			p.log.Warn("websub content unparsable", "feed_url", fc.URL, "error", err)
			return false, nil
		}
		st.Title = firstNonEmpty(feed.title, st.Title)
		changed, _, err := p.processItems(r.Context(), fc, st, feed.items)
		if changed {
			st.LastChange = time.Now()
		}
		return true, err
	})
	if err != nil {
		p.log.Warn("websub content not published", "feed_url", fc.URL, "error", err)
		http.Error(w, "not stored, retry later", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// updateState applies change to the feed's stored state with a
// compare-and-set, retrying when a poll wrote in between. change reports
// whether it changed anything worth saving.
func (p *Poller) updateState(ctx context.Context, store *stateStore, feedURL string, change func(*FeedState) (bool, error)) error {
	for attempt := 0; ; attempt++ {
		st, rev, err := store.load(ctx, feedURL)
		if err != nil {
			return err
		}
		save, cerr := change(&st)
		if !save {
			return cerr
		}
		err = store.save(ctx, st, rev)
		if err == nil || attempt == 4 {
			return errors.Join(cerr, err)
		}
	}
}

// validSignature checks an X-Hub-Signature header "method=hexdigest".
func validSignature(header string, body []byte, secret string) bool {
	method, digest, ok := strings.Cut(header, "=")
	if !ok {
		return false
	}
	var h func() hash.Hash
	switch strings.ToLower(method) {
	case "sha1":
		h = sha1.New
	case "sha256":
		h = sha256.New
	case "sha384":
		h = sha512.New384
	case "sha512":
		h = sha512.New
	default:
		return false
	}
	want, err := hex.DecodeString(digest)
	if err != nil {
		return false
	}
	m := hmac.New(h, []byte(secret))
	m.Write(body)
	return hmac.Equal(m.Sum(nil), want)
}

// findSelf returns the feed's rel="self" address, the topic hubs know it by.
func findSelf(body []byte) string {
	head := body[:min(len(body), 16<<10)]
	for _, m := range selfLink.FindAll(head, 4) {
		if h := hrefAttr.FindSubmatch(m); h != nil && bytes.HasPrefix(h[1], []byte("http")) {
			return string(h[1])
		}
	}
	return ""
}
