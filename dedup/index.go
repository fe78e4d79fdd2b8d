package dedup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/news"
)

// Config configures an [Index]. The zero value of every field selects its
// default.
type Config struct {
	// Bucket is the JetStream key-value bucket of the index. Default "DEDUP".
	Bucket string `yaml:"bucket"`
	// Replicas is the bucket's replication factor. Default 1. The binary
	// sets it from nats.replicas.
	Replicas int `yaml:"-"`
	// Bands is how many bands the 64 bits are cut into. Any earlier article
	// within Bands-1 bits shares a whole band with the new one and is found
	// for certain; farther ones are found only if some band survived intact.
	// Fewer, wider bands make each band key hold fewer articles. Default 6.
	Bands int `yaml:"bands"`
	// MaxDistance is the largest [Distance] at which a found article counts
	// as the same text. Default 8: small edits of a 250-word article move
	// 0–10 bits, different articles 20–45.
	MaxDistance int `yaml:"max_distance"`
	// MaxEntries bounds the articles kept per band key; the oldest go first,
	// so only a republication of a very old article is missed. Default 1024.
	MaxEntries int `yaml:"max_entries"`
	// MaxAttempts bounds the compare-and-set retries of one key. Default 64.
	MaxAttempts int `yaml:"max_attempts"`
}

// Validate reports a field that is out of range.
func (c Config) Validate() error {
	switch {
	case c.Replicas < 0:
		return fmt.Errorf("dedup config: replicas %d is negative", c.Replicas)
	case c.Bands < 0 || c.Bands > 16:
		return fmt.Errorf("dedup config: bands %d is outside 1..16", c.Bands)
	case c.MaxDistance < 0 || c.MaxDistance > 32:
		return fmt.Errorf("dedup config: max distance %d is outside 0..32", c.MaxDistance)
	case c.MaxEntries < 0:
		return fmt.Errorf("dedup config: max entries %d is negative", c.MaxEntries)
	case c.MaxAttempts < 0:
		return fmt.Errorf("dedup config: max attempts %d is negative", c.MaxAttempts)
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Bucket == "" {
		c.Bucket = "DEDUP"
	}
	if c.Replicas == 0 {
		c.Replicas = 1
	}
	if c.Bands == 0 {
		c.Bands = 6
	}
	if c.MaxDistance == 0 {
		c.MaxDistance = 8
	}
	if c.MaxEntries == 0 {
		c.MaxEntries = 1024
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = 64
	}
	return c
}

// Index finds earlier articles with nearly the same text, in a JetStream
// key-value bucket shared by every replica of the stage that uses it.
type Index struct {
	js  jetstream.JetStream
	kv  jetstream.KeyValue
	cfg Config
	log *slog.Logger
}

// NewIndex opens (creating it when missing) the key-value bucket of cfg.
// A nil logger discards.
func NewIndex(ctx context.Context, js jetstream.JetStream, cfg Config, logger *slog.Logger) (*Index, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	kv, err := bus.OpenBucket(ctx, js, cfg.Bucket, "dealwire near-duplicate index: articles by SimHash band", cfg.Replicas)
	if err != nil {
		return nil, err
	}
	return &Index{js: js, kv: kv, cfg: cfg, log: logger}, nil
}

// member is one fingerprint of one article in a band key.
type member struct {
	ID        string `json:"id"`
	FP        uint64 `json:"fp"`
	Canonical string `json:"canonical"`
	// Seq is the bucket revision at which the article was registered: a
	// global order of registration.
	Seq uint64 `json:"seq"`
}

type band struct {
	Members []member `json:"members"`
}

// article is what the index knows about one article id.
type article struct {
	Canonical string   `json:"canonical"`
	FPs       []uint64 `json:"fps"`
}

// Canonical returns the id of the article whose text articleID's text (with
// fingerprint fp) repeats: an earlier registered article within MaxDistance
// bits, or articleID itself, which is then registered. An article keeps the
// answer it got first: asking again, or with the fingerprint of an edited
// text, returns the same id (the new fingerprint is registered too, so
// republications of the edited text are found as well).
//
// A lookup is one read of the article's key and its Bands band keys
// together ([bus.GetMany]); registering adds the article's key and one
// compare-and-set per band, the first of each against the value that read
// returned (a conflict reads the band again), and one more read of every
// band. Two near-identical articles registered at the same instant by two
// replicas both look again after registering, and the later one defers to
// the one appended before it (see [Index.earlier]), so they agree on one
// canonical id.
func (x *Index) Canonical(ctx context.Context, articleID string, fp uint64) (string, error) {
	if articleID == "" {
		return "", news.Permanent(errors.New("looking up near duplicates: empty article id"))
	}
	akey := articleKey(articleID)
	keys := append([]string{akey}, x.bandKeys(fp)...)
	snap, err := bus.GetMany(ctx, x.js, x.cfg.Bucket, keys)
	if err != nil {
		return "", fmt.Errorf("reading article %s and its bands: %w", articleID, err)
	}
	known, rev, err := decodeArticle(akey, snap[akey])
	if err != nil {
		return "", err
	}
	if known != nil && slices.Contains(known.FPs, fp) {
		return known.Canonical, nil
	}
	bands, err := x.decodeBands(fp, snap)
	if err != nil {
		return "", err
	}
	if known != nil {
		known.FPs = append(known.FPs, fp)
		if err := x.putArticle(ctx, akey, *known); err != nil {
			return "", err
		}
		return known.Canonical, x.register(ctx, member{ID: articleID, FP: fp, Canonical: known.Canonical, Seq: rev}, bands)
	}

	canonical := articleID
	if m, ok := x.nearest(articleID, fp, bands); ok {
		canonical = m.Canonical
	}
	b, err := json.Marshal(article{Canonical: canonical, FPs: []uint64{fp}})
	if err != nil {
		return "", fmt.Errorf("encoding article %s: %w", articleID, err)
	}
	seq, err := x.kv.Create(ctx, akey, b)
	if errors.Is(err, jetstream.ErrKeyExists) {
		// Another replica registered this very article meanwhile (a
		// redelivery): its answer stands.
		return x.Canonical(ctx, articleID, fp)
	}
	if err != nil {
		return "", fmt.Errorf("registering article %s: %w", articleID, err)
	}
	self := member{ID: articleID, FP: fp, Canonical: canonical, Seq: seq}
	if err := x.register(ctx, self, bands); err != nil {
		return "", err
	}
	if canonical != articleID {
		return canonical, nil
	}
	// Look again: a near duplicate registered while we looked is now
	// visible, and the earlier of the two is the canonical one.
	after, err := x.readBands(ctx, fp)
	if err != nil {
		return "", err
	}
	m, ok := x.earlier(articleID, fp, after)
	if !ok {
		return articleID, nil
	}
	x.log.Debug("deferring to a concurrently registered near duplicate", "article_id", articleID, "canonical", m.Canonical)
	self.Canonical = m.Canonical
	if err := x.putArticle(ctx, akey, article{Canonical: m.Canonical, FPs: []uint64{fp}}); err != nil {
		return "", err
	}
	return m.Canonical, x.register(ctx, self, after)
}

// bandState is one band key as read: its members and revision (0 when the
// key does not exist).
type bandState struct {
	key string
	b   band
	rev uint64
}

// bandKeys returns the key of every band of fp, in band order.
func (x *Index) bandKeys(fp uint64) []string {
	keys := make([]string, x.cfg.Bands)
	for i := range keys {
		keys[i] = x.bandKey(i, fp)
	}
	return keys
}

// readBands reads every band of fp in one request: a snapshot of all of
// them at one instant.
func (x *Index) readBands(ctx context.Context, fp uint64) ([]bandState, error) {
	snap, err := bus.GetMany(ctx, x.js, x.cfg.Bucket, x.bandKeys(fp))
	if err != nil {
		return nil, fmt.Errorf("reading bands of %016x: %w", fp, err)
	}
	return x.decodeBands(fp, snap)
}

// decodeBands picks the bands of fp out of snap, in band order.
func (x *Index) decodeBands(fp uint64, snap map[string]bus.KVEntry) ([]bandState, error) {
	out := make([]bandState, x.cfg.Bands)
	for i := range out {
		key := x.bandKey(i, fp)
		b, err := decodeBand(key, snap[key])
		if err != nil {
			return nil, err
		}
		out[i] = bandState{key: key, b: b, rev: snap[key].Revision}
	}
	return out, nil
}

// nearest returns the closest registered article other than id within
// MaxDistance of fp in bands, the earliest registered among equals.
func (x *Index) nearest(id string, fp uint64, bands []bandState) (member, bool) {
	var best member
	bestD := -1
	for _, b := range bands {
		for _, m := range b.b.Members {
			d := Distance(fp, m.FP)
			if m.ID == id || d > x.cfg.MaxDistance {
				continue
			}
			if bestD < 0 || d < bestD || d == bestD && m.Seq < best.Seq {
				best, bestD = m, d
			}
		}
	}
	return best, bestD >= 0
}

// earlier returns, from bands read after id registered fp, the closest near
// duplicate that was appended before it, judged on the lowest band the two
// share, or false.
//
// Why this cannot contradict: every article appends to its bands in
// ascending order, then reads them all back in one snapshot ([bus.GetMany]
// answers between two writes), so whoever sees the other on any band also
// sees it on every lower shared band, in particular on the lowest one. That
// band's list has one order for both; the later of the two on it read after
// its own append and so sees the earlier. So the later one defers, and the
// earlier one, if it sees the later at all, sees it behind itself and stays.
// (Reading the bands one by one keeps this only in descending order, which
// the index did before it read them in one request.)
func (x *Index) earlier(id string, fp uint64, bands []bandState) (member, bool) {
	decided := map[string]bool{}
	var best member
	bestD := -1
	for _, bs := range bands {
		list := bs.b.Members
		self := slices.IndexFunc(list, func(m member) bool { return m.ID == id && m.FP == fp })
		for pos, m := range list {
			d := Distance(fp, m.FP)
			if m.ID == id || d > x.cfg.MaxDistance || decided[m.ID] {
				continue
			}
			decided[m.ID] = true
			// Behind us on its lowest shared band: it registered later and
			// defers to us. A list that lost us to MaxEntries holds only
			// older articles.
			if self >= 0 && pos > self {
				continue
			}
			if bestD < 0 || d < bestD || d == bestD && m.Seq < best.Seq {
				best, bestD = m, d
			}
		}
	}
	return best, bestD >= 0
}

// register appends m to the key of each of its bands, in ascending band
// order, or updates the member with the same id and fingerprint in place.
// The first compare-and-set of band i goes against read[i], the band as
// read before; a conflict (someone wrote since) reads the band again.
func (x *Index) register(ctx context.Context, m member, read []bandState) error {
	for i := range x.cfg.Bands {
		key := x.bandKey(i, m.FP)
		for attempt := 1; ; attempt++ {
			var b band
			var rev uint64
			if attempt == 1 && i < len(read) && read[i].key == key {
				b, rev = band{Members: slices.Clone(read[i].b.Members)}, read[i].rev
			} else {
				var err error
				if b, rev, err = x.band(ctx, key); err != nil {
					return err
				}
			}
			// The list stays in append order: [Index.earlier] relies on it.
			if i := slices.IndexFunc(b.Members, func(o member) bool { return o.ID == m.ID && o.FP == m.FP }); i >= 0 {
				if b.Members[i] == m {
					break
				}
				b.Members[i] = m
			} else {
				b.Members = append(b.Members, m)
			}
			if len(b.Members) > x.cfg.MaxEntries {
				b.Members = b.Members[len(b.Members)-x.cfg.MaxEntries:]
			}
			val := appendBand(nil, b)
			var err error
			if rev == 0 {
				_, err = x.kv.Create(ctx, key, val)
			} else {
				_, err = x.kv.Update(ctx, key, val, rev)
			}
			if err == nil {
				break
			}
			if !bus.IsConflict(err) {
				return fmt.Errorf("storing band %s: %w", key, err)
			}
			if attempt >= x.cfg.MaxAttempts {
				return fmt.Errorf("storing band %s: %d compare-and-set conflicts in a row", key, attempt)
			}
			if err := bus.PauseBeforeRetry(ctx, attempt); err != nil {
				return err
			}
		}
	}
	return nil
}

// bandKey is the key of band i of fp: the band's index and its bits in hex.
// Bands are as equal as 64 bits allow; the first 64%Bands are one bit wider.
func (x *Index) bandKey(i int, fp uint64) string {
	n := x.cfg.Bands
	shift := 0
	for j := range i {
		shift += 64/n + b2i(j < 64%n)
	}
	width := 64/n + b2i(i < 64%n)
	v := (fp >> shift) & (1<<width - 1)
	return fmt.Sprintf("b%d.%x", i, v)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (x *Index) band(ctx context.Context, key string) (band, uint64, error) {
	e, err := x.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return band{}, 0, nil
	}
	if err != nil {
		return band{}, 0, fmt.Errorf("reading band %s: %w", key, err)
	}
	b, err := decodeBand(key, bus.KVEntry{Value: e.Value(), Revision: e.Revision()})
	return b, e.Revision(), err
}

// decodeBand decodes a band key's value; a missing key (revision 0) is an
// empty band.
func decodeBand(key string, e bus.KVEntry) (band, error) {
	if e.Revision == 0 {
		return band{}, nil
	}
	b, err := parseBand(e.Value)
	if err != nil {
		return band{}, news.Permanent(fmt.Errorf("decoding band %s: %w", key, err))
	}
	return b, nil
}

// decodeArticle decodes an article key's value and returns its revision;
// a missing key (revision 0) is nil.
func decodeArticle(key string, e bus.KVEntry) (*article, uint64, error) {
	if e.Revision == 0 {
		return nil, 0, nil
	}
	var a article
	if err := json.Unmarshal(e.Value, &a); err != nil {
		return nil, 0, news.Permanent(fmt.Errorf("decoding article %s: %w", key, err))
	}
	return &a, e.Revision, nil
}

// putArticle rewrites an article's state. It does not compare revisions:
// every writer of one article id writes the same canonical id, and a lost
// fingerprint only costs a missed match.
func (x *Index) putArticle(ctx context.Context, key string, a article) error {
	b, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("encoding article %s: %w", key, err)
	}
	if _, err := x.kv.Put(ctx, key, b); err != nil {
		return fmt.Errorf("storing article %s: %w", key, err)
	}
	return nil
}

// articleKey is the key of an article's state. Article ids are hex, which
// keys allow; anything else is replaced so a foreign id cannot break a key.
func articleKey(id string) string {
	return "a." + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, id)
}
