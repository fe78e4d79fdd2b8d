package alerts

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/news"
)

// ErrNoFeed is returned by [Feeds.Atom] for a rule that has no atom sink.
var ErrNoFeed = errors.New("no alert feed of that name")

// Feeds are the Atom feeds of the rules with an atom sink. Entries live in
// a key-value bucket, one key per rule whose history holds the newest
// entries, so every replica and every "dealwire serve" shows the same feed.
type Feeds struct {
	kv    jetstream.KeyValue
	rules map[string]bool // rules with an atom sink
}

// OpenFeeds opens (creating it when missing) the feed bucket of cfg.
func OpenFeeds(ctx context.Context, js jetstream.JetStream, cfg Config, replicas int) (*Feeds, error) {
	cfg = cfg.WithDefaults()
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      cfg.FeedBucket,
		Description: "Atom feed entries of alert rules: one key per rule, its history the entries",
		History:     uint8(min(max(cfg.FeedEntries, 1), 64)),
		Replicas:    max(replicas, 1),
		Storage:     jetstream.FileStorage,
	})
	if err != nil {
		return nil, fmt.Errorf("opening key-value bucket %s: %w", cfg.FeedBucket, err)
	}
	f := &Feeds{kv: kv, rules: map[string]bool{}}
	for _, r := range cfg.Rules {
		for _, s := range r.Sinks {
			if s.Type == SinkAtom {
				f.rules[r.Name] = true
			}
		}
	}
	return f, nil
}

// Send adds a to its rule's feed (the atom sink).
func (f *Feeds) Send(ctx context.Context, a Alert) error {
	b, err := json.Marshal(a)
	if err != nil {
		return news.Permanent(fmt.Errorf("encoding alert: %w", err))
	}
	if _, err := f.kv.Put(ctx, a.Rule, b); err != nil {
		return fmt.Errorf("adding alert %s to feed %s: %w", a.ID, a.Rule, err)
	}
	return nil
}

// Entries returns the alerts of rule's feed, newest first, each alert id once.
func (f *Feeds) Entries(ctx context.Context, rule string) ([]Alert, error) {
	if !f.rules[rule] {
		return nil, fmt.Errorf("alert feed %q: %w (configured feeds are rules with a sink of type atom)", rule, ErrNoFeed)
	}
	hist, err := f.kv.History(ctx, rule)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading alert feed %s: %w", rule, err)
	}
	var out []Alert
	seen := map[string]bool{}
	for _, e := range slices.Backward(hist) {
		if e.Operation() != jetstream.KeyValuePut {
			continue
		}
		var a Alert
		if err := json.Unmarshal(e.Value(), &a); err != nil || seen[a.ID] {
			continue // an entry this version cannot read is left out, not fatal to the feed
		}
		seen[a.ID] = true
		out = append(out, a)
	}
	return out, nil
}

// Atom renders rule's feed as an Atom 1.0 document; self is the feed's own
// URL (for the self link), may be empty.
func (f *Feeds) Atom(ctx context.Context, rule, self string) ([]byte, error) {
	entries, err := f.Entries(ctx, rule)
	if err != nil {
		return nil, err
	}
	return RenderAtom(rule, self, entries)
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	Title     string         `xml:"title"`
	ID        string         `xml:"id"`
	Updated   string         `xml:"updated"`
	Published string         `xml:"published"`
	Links     []atomLink     `xml:"link"`
	Category  []atomCategory `xml:"category"`
	Summary   atomText       `xml:"summary"`
	Content   atomText       `xml:"content"`
}

// RenderAtom writes entries (newest first) as the Atom feed of rule.
func RenderAtom(rule, self string, entries []Alert) ([]byte, error) {
	updated := time.Unix(0, 0).UTC()
	if len(entries) > 0 {
		updated = entries[0].CreatedAt
	}
	feed := atomFeed{
		Title:   "dealwire alerts: " + rule,
		ID:      "urn:dealwire:alerts:" + rule,
		Updated: updated.UTC().Format(time.RFC3339),
		Author:  atomPerson{Name: "dealwire"},
	}
	if self != "" {
		feed.Links = append(feed.Links, atomLink{Href: self, Rel: "self"})
	}
	for _, a := range entries {
		e := atomEntry{
			Title:     a.Title(),
			ID:        "urn:dealwire:alert:" + a.ID,
			Updated:   a.CreatedAt.UTC().Format(time.RFC3339),
			Published: a.CreatedAt.UTC().Format(time.RFC3339),
			Category:  []atomCategory{{Term: a.Kind}},
			Summary:   atomText{Type: "text", Body: a.Summary},
			Content:   atomText{Type: "text", Body: a.Text()},
		}
		if a.URL != "" {
			e.Links = append(e.Links, atomLink{Href: a.URL, Rel: "alternate"})
		}
		feed.Entries = append(feed.Entries, e)
	}
	b, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding alert feed %s: %w", rule, err)
	}
	return append([]byte(xml.Header), b...), nil
}
