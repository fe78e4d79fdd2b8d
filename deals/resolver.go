package deals

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/company"
	"github.com/dealwire/dealwire/news"
)

// Config configures a [Resolver]. The zero value of every field selects its
// default.
type Config struct {
	// Bucket is the JetStream key-value bucket holding the deal entries.
	// Default "DEALS".
	Bucket string `yaml:"bucket"`
	// Replicas is the bucket's replication factor. Default 1. The binary
	// sets it from nats.replicas.
	Replicas int `yaml:"-"`
	// Window is how far apart two reports of one company and round may be and
	// still be the same deal, measured from the deal's first report.
	// Default 45 days.
	Window time.Duration `yaml:"window"`
	// LateWindow is how late coverage may still join a deal when it names
	// the same round and an amount within 10% of the deal's: a company does
	// not raise the same Series F for the same sum twice in a few months.
	// Default 180 days.
	LateWindow time.Duration `yaml:"late_window"`
	// AmountRatio is the ratio between two amounts above which they are
	// evidence of different deals when the round does not tell (one side is
	// "unknown") or the company name is only a prefix match. Default 2.
	AmountRatio float64 `yaml:"amount_ratio"`
	// SplitRatio is the ratio between two amounts above which they are
	// different deals even when company and round agree: two companies of
	// one name, or a figure that is not the round. Default 4.
	SplitRatio float64 `yaml:"split_ratio"`
	// PrimarySources are substrings of source names or URL hosts that mark a
	// press release; such sources, and the company's own site, outrank trade
	// press in ties. Default: prnewswire, businesswire, globenewswire,
	// accesswire, einpresswire, newswire, pressrelease.
	PrimarySources []string `yaml:"primary_sources"`
	// MaxAttempts bounds the compare-and-set retries of one entry update.
	// Default 64.
	MaxAttempts int `yaml:"max_attempts"`
	// MaxEntryBytes bounds one company entry; NATS refuses values larger than
	// its max_payload (1 MiB by default). Past it, the oldest closed deals of
	// the entry are archived under their own keys. Default 900 KiB.
	MaxEntryBytes int `yaml:"max_entry_bytes"`
}

// defaultPrimarySources are the newswires whose releases come from the
// company itself.
var defaultPrimarySources = []string{
	"prnewswire", "businesswire", "globenewswire", "accesswire", "einpresswire", "newswire", "pressrelease",
}

// Validate reports a field that is out of range.
func (c Config) Validate() error {
	switch {
	case c.Replicas < 0:
		return fmt.Errorf("deals config: replicas %d is negative", c.Replicas)
	case c.Window < 0 || c.LateWindow < 0:
		return fmt.Errorf("deals config: window %v or late window %v is negative", c.Window, c.LateWindow)
	case c.AmountRatio != 0 && c.AmountRatio < 1 || c.SplitRatio != 0 && c.SplitRatio < 1:
		return fmt.Errorf("deals config: amount ratio %v or split ratio %v is below 1", c.AmountRatio, c.SplitRatio)
	case c.MaxAttempts < 0:
		return fmt.Errorf("deals config: max attempts %d is negative", c.MaxAttempts)
	case c.MaxEntryBytes < 0:
		return fmt.Errorf("deals config: max entry bytes %d is negative", c.MaxEntryBytes)
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Bucket == "" {
		c.Bucket = "DEALS"
	}
	if c.Replicas == 0 {
		c.Replicas = 1
	}
	if c.Window == 0 {
		c.Window = 45 * 24 * time.Hour
	}
	if c.LateWindow == 0 {
		c.LateWindow = 180 * 24 * time.Hour
	}
	if c.AmountRatio == 0 {
		c.AmountRatio = 2
	}
	if c.PrimarySources == nil {
		c.PrimarySources = slices.Clone(defaultPrimarySources)
	}
	if c.SplitRatio == 0 {
		c.SplitRatio = 4
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = 64
	}
	if c.MaxEntryBytes == 0 {
		c.MaxEntryBytes = 900 << 10
	}
	return c
}

// Resolver merges the deals of extracted records into deal records kept in a
// JetStream key-value bucket. It holds no state of its own: any number of
// resolvers, in any processes, may share a bucket.
type Resolver struct {
	js  jetstream.JetStream
	kv  jetstream.KeyValue
	cfg Config
	log *slog.Logger
}

// NewResolver opens (creating it when missing) the key-value bucket of cfg.
// A nil logger discards.
func NewResolver(ctx context.Context, js jetstream.JetStream, cfg Config, logger *slog.Logger) (*Resolver, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	kv, err := bus.OpenBucket(ctx, js, cfg.Bucket, "dealwire deal resolution: contributions per company, article states", cfg.Replicas)
	if err != nil {
		return nil, err
	}
	return &Resolver{js: js, kv: kv, cfg: cfg, log: logger}, nil
}

// entry is the value of a company key: every contribution whose company
// starts with that word, and the ids of deals that stopped existing.
type entry struct {
	V             int            `json:"v"`
	Contributions []contribution `json:"contributions"`
	// Retired are deal ids that existed and no longer do (a late earlier
	// source or an edit gave their sources another id), newest last, with the
	// article whose resolution retired them. A redelivery of that article
	// reports them again as tombstones, so a failed index delete is retried.
	Retired []retired `json:"retired,omitempty"`
	// Frozen are the ids of articles whose deals were archived to keep the
	// entry under MaxEntryBytes; see [Resolver.freeze].
	Frozen []string `json:"frozen,omitempty"`
}

// retired is a deal id that stopped existing and the article that ended it.
type retired struct {
	ID string `json:"id"`
	By string `json:"by"`
}

// maxRetired bounds [entry.Retired]; by the time 32 newer ids retired, the
// index has long deleted the old ones.
const maxRetired = 32

// articleState remembers which company entries an article contributed to and
// which version of it did, so an edit can withdraw contributions from
// entries it no longer names and a replayed older version is ignored.
type articleState struct {
	V           int       `json:"v"`
	FetchedAt   time.Time `json:"fetched_at"`
	ExtractedAt time.Time `json:"extracted_at"`
	Buckets     []string  `json:"buckets"`
}

// Resolve merges every deal of rec into its deal record and returns the deal
// records rec now contributes to, those whose content changed because of it,
// and tombstones ([news.DealRecord.Deleted]) for ids that stopped existing,
// sorted by id. Resolving the same record again changes nothing and returns
// the same records, so a redelivery can re-index them. A new version of an
// article (same id, later fetch) replaces its earlier contributions; an older
// version than the one already resolved is ignored and returns nothing.
func (r *Resolver) Resolve(ctx context.Context, rec news.Record) ([]news.DealRecord, error) {
	a := rec.Article
	if a.ID == "" {
		return nil, news.Permanent(errors.New("resolving deals: record has no article id"))
	}
	fresh, err := r.contributions(rec)
	if err != nil {
		return nil, err
	}
	artKey := articleKey(a.ID)
	buckets := make([]string, 0, len(fresh))
	for b := range fresh {
		buckets = append(buckets, b)
	}
	slices.Sort(buckets)
	// One request reads the article's state and the entries its deals go
	// to; the first compare-and-set of each entry goes against that read.
	// Entries only an earlier version of the article named are read in
	// [Resolver.update].
	snap, err := bus.GetMany(ctx, r.js, r.cfg.Bucket, append([]string{artKey}, buckets...))
	if err != nil {
		return nil, fmt.Errorf("reading article state and deal entries of %s: %w", a.ID, err)
	}
	st, err := decodeArticleState(artKey, snap[artKey])
	if err != nil {
		return nil, err
	}
	if st == nil && len(fresh) == 0 {
		return nil, nil
	}
	if st != nil && olderVersion(rec, st) {
		r.log.Debug("ignoring older article version", "article_id", a.ID, "fetched_at", a.FetchedAt)
		return nil, nil
	}
	touched := slices.Clone(buckets)
	if st != nil {
		touched = append(touched, st.Buckets...)
	}
	slices.Sort(touched)
	touched = slices.Compact(touched)

	var out []news.DealRecord
	for _, b := range touched {
		var read *bus.KVEntry
		if _, ok := fresh[b]; ok {
			e := snap[b] // absent: the entry did not exist when read
			read = &e
		}
		recs, err := r.update(ctx, b, a.ID, fresh[b], read)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
	}
	// Written last: after a crash in between, the redelivered record still
	// finds the old bucket list and withdraws from every entry it left.
	next := articleState{V: news.SchemaVersion, FetchedAt: a.FetchedAt.UTC(), ExtractedAt: rec.ExtractedAt.UTC(), Buckets: buckets}
	b, err := json.Marshal(next)
	if err != nil {
		return nil, fmt.Errorf("encoding article state %s: %w", a.ID, err)
	}
	if _, err := r.kv.Put(ctx, artKey, b); err != nil {
		return nil, fmt.Errorf("storing article state %s: %w", a.ID, err)
	}
	slices.SortFunc(out, func(x, y news.DealRecord) int { return strings.Compare(x.ID, y.ID) })
	return slices.CompactFunc(out, func(x, y news.DealRecord) bool { return x.ID == y.ID }), nil
}

// olderVersion reports whether rec is an earlier version of the article than
// the one st was written for.
func olderVersion(rec news.Record, st *articleState) bool {
	if c := rec.Article.FetchedAt.Compare(st.FetchedAt); c != 0 {
		return c < 0
	}
	return rec.ExtractedAt.Before(st.ExtractedAt)
}

// contributions turns the deals of rec into contributions grouped by the key
// of their company entry. Deals without a company name cannot be resolved
// and are skipped. The contributions go through JSON once so that they are
// exactly what a later read of the entry gives back.
func (r *Resolver) contributions(rec news.Record) (map[string][]contribution, error) {
	a := rec.Article
	at := a.PublishedAt
	if at.IsZero() {
		at = a.FetchedAt
	}
	if at.IsZero() {
		at = rec.ExtractedAt
	}
	out := map[string][]contribution{}
	for i, d := range rec.Extraction.Deals {
		tokens := company.Tokens(d.Company)
		if len(tokens) == 0 {
			r.log.Debug("skipping deal without company", "article_id", a.ID, "deal_index", i)
			continue
		}
		d.Round = NormalizeRound(d.Round)
		c := contribution{
			Src: news.DealSource{
				ArticleID:        a.ID,
				DealIndex:        i,
				URL:              a.URL,
				Source:           a.Source,
				Outlet:           a.Outlet,
				Title:            a.Title,
				PublishedAt:      a.PublishedAt.UTC(),
				Authority:        authority(r.cfg.PrimarySources, a.Source, a.URL, tokens),
				ExtractorVersion: rec.ExtractorVersion,
				ExtractedAt:      rec.ExtractedAt.UTC(),
				Deal:             d,
			},
			At:        at.UTC(),
			FetchedAt: a.FetchedAt.UTC(),
		}
		b, err := json.Marshal(c)
		if err != nil {
			return nil, news.Permanent(fmt.Errorf("encoding deal %d of %s: %w", i, a.ID, err))
		}
		var back contribution
		if err := json.Unmarshal(b, &back); err != nil {
			return nil, news.Permanent(fmt.Errorf("decoding deal %d of %s: %w", i, a.ID, err))
		}
		key := bucketKey(tokens[0])
		out[key] = append(out[key], back)
	}
	return out, nil
}

// update replaces the contributions of articleID in the entry at key with
// add, by compare-and-set, retrying when another resolver wrote in between.
// The first attempt starts from read, the entry as read before, when not
// nil; a retry reads the entry again.
func (r *Resolver) update(ctx context.Context, key, articleID string, add []contribution, read *bus.KVEntry) ([]news.DealRecord, error) {
	rl := r.rules()
	for attempt := 1; ; attempt++ {
		var cur entry
		var rev uint64
		var err error
		if attempt == 1 && read != nil {
			cur, rev, err = decodeEntry(key, *read)
		} else {
			cur, rev, err = r.entry(ctx, key)
		}
		if err != nil {
			return nil, err
		}
		if slices.Contains(cur.Frozen, articleID) {
			r.log.Debug("ignoring article of an archived deal", "article_id", articleID, "entry", key)
			return nil, nil
		}
		next := entry{V: news.SchemaVersion, Retired: slices.Clone(cur.Retired), Frozen: slices.Clone(cur.Frozen)}
		for _, c := range cur.Contributions {
			if c.Src.ArticleID != articleID {
				next.Contributions = append(next.Contributions, c)
			}
		}
		next.Contributions = append(next.Contributions, add...)
		slices.SortFunc(next.Contributions, func(a, b contribution) int { return less(&a, &b) })
		before, after := resolve(cur.Contributions, rl), resolve(next.Contributions, rl)
		frozen, after, err := r.archiveIfFull(ctx, key, &next, after, articleID, rl)
		if err != nil {
			return nil, err
		}
		next.Retired = retire(next.Retired, before, append(slices.Clone(after), frozen...), articleID)

		old, err := json.Marshal(cur)
		if err != nil {
			return nil, fmt.Errorf("encoding deal entry %s: %w", key, err)
		}
		val, err := json.Marshal(next)
		if err != nil {
			return nil, fmt.Errorf("encoding deal entry %s: %w", key, err)
		}
		if string(old) != string(val) {
			if rev == 0 {
				_, err = r.kv.Create(ctx, key, val)
			} else {
				_, err = r.kv.Update(ctx, key, val, rev)
			}
			if bus.IsConflict(err) {
				r.log.Debug("deal entry changed meanwhile, retrying", "entry", key, "article_id", articleID, "attempt", attempt)
				if attempt >= r.cfg.MaxAttempts {
					return nil, fmt.Errorf("storing deal entry %s: %d compare-and-set conflicts in a row", key, attempt)
				}
				if err := bus.PauseBeforeRetry(ctx, attempt); err != nil {
					return nil, err
				}
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("storing deal entry %s: %w", key, err)
			}
		}
		return changes(before, after, next.Retired, articleID), nil
	}
}

// archiveIfFull archives next's closed deals when next has grown past the
// entry size limit, and returns them with the deals of what is left of
// next (after as given when nothing was archived).
func (r *Resolver) archiveIfFull(ctx context.Context, key string, next *entry, after []news.DealRecord, articleID string, rl rules) ([]news.DealRecord, []news.DealRecord, error) {
	if size(*next) <= r.cfg.MaxEntryBytes {
		return nil, after, nil
	}
	frozen := r.freeze(next, after, articleID)
	after = resolve(next.Contributions, rl)
	if n := size(*next); n > r.cfg.MaxEntryBytes {
		return nil, nil, news.Permanent(fmt.Errorf("storing deal entry %s: %d bytes exceed the limit of %d with every closed deal archived", key, n, r.cfg.MaxEntryBytes))
	}
	for _, d := range frozen {
		b, err := json.Marshal(d)
		if err != nil {
			return nil, nil, fmt.Errorf("encoding archived deal %s: %w", d.ID, err)
		}
		// Written before the entry: if the entry update then loses its
		// race, the retry recomputes, and [Resolver.Deals] prefers a
		// live deal over an archived one with the same id.
		if _, err := r.kv.Put(ctx, archiveKey(d.ID), b); err != nil {
			return nil, nil, fmt.Errorf("archiving deal %s: %w", d.ID, err)
		}
	}
	return frozen, after, nil
}

func size(e entry) int {
	b, _ := json.Marshal(e) // an entry always encodes: no maps, channels or NaN
	return len(b)
}

// freeze moves closed deals out of an entry that grew past MaxEntryBytes,
// oldest first, until it is down to three quarters of the limit. A deal is
// closed when its first report is more than LateWindow older than the
// entry's newest report, so no report in time order can join it any more.
// Frozen deals are archived as they are and their articles remembered, so a
// redelivery does not start them anew. Only the busiest company words ever
// get here; the order-independence of resolution holds until they do.
func (r *Resolver) freeze(e *entry, deals []news.DealRecord, articleID string) []news.DealRecord {
	var newest time.Time
	for _, c := range e.Contributions {
		if c.At.After(newest) {
			newest = c.At
		}
	}
	closed := newest.Add(-max(r.cfg.Window, r.cfg.LateWindow))
	byAge := slices.Clone(deals)
	slices.SortFunc(byAge, func(a, b news.DealRecord) int {
		if c := a.AnnouncedAt.Compare(b.AnnouncedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	var frozen []news.DealRecord
	for _, d := range byAge {
		if size(*e) <= r.cfg.MaxEntryBytes*3/4 || !d.AnnouncedAt.Before(closed) {
			break
		}
		if slices.ContainsFunc(d.Sources, func(s news.DealSource) bool { return s.ArticleID == articleID }) {
			continue
		}
		e.Contributions = slices.DeleteFunc(e.Contributions, func(c contribution) bool {
			return slices.ContainsFunc(d.Sources, func(s news.DealSource) bool {
				return s.ArticleID == c.Src.ArticleID && s.DealIndex == c.Src.DealIndex
			})
		})
		for _, s := range d.Sources {
			e.Frozen = append(e.Frozen, s.ArticleID)
		}
		frozen = append(frozen, d)
	}
	slices.Sort(e.Frozen)
	e.Frozen = slices.Compact(e.Frozen)
	return frozen
}

// archiveKey is the key of a frozen deal record.
func archiveKey(id string) string { return "dl." + id }

func (r *Resolver) rules() rules {
	return rules{
		window:      r.cfg.Window,
		longWindow:  max(r.cfg.Window, r.cfg.LateWindow),
		amountRatio: r.cfg.AmountRatio,
		splitRatio:  max(r.cfg.AmountRatio, r.cfg.SplitRatio),
	}
}

// changes selects what the index must write after an update: the deals the
// article is part of, the deals that changed, and tombstones for the ids the
// article retired.
func changes(before, after []news.DealRecord, gone []retired, articleID string) []news.DealRecord {
	prev := map[string][]byte{}
	for _, d := range before {
		b, _ := json.Marshal(d) // a DealRecord always encodes: no maps, channels or NaN
		prev[d.ID] = b
	}
	var out []news.DealRecord
	for _, d := range after {
		b, _ := json.Marshal(d) // as above
		mine := slices.ContainsFunc(d.Sources, func(s news.DealSource) bool { return s.ArticleID == articleID })
		if mine || string(prev[d.ID]) != string(b) {
			out = append(out, d)
		}
	}
	for _, g := range gone {
		if g.By == articleID {
			out = append(out, news.DealRecord{V: news.SchemaVersion, ID: g.ID, Deleted: true})
		}
	}
	return out
}

// retire records the ids of before that after no longer has as retired by
// articleID, and forgets the ids that live again.
func retire(gone []retired, before, after []news.DealRecord, articleID string) []retired {
	live := map[string]bool{}
	for _, d := range after {
		live[d.ID] = true
	}
	out := slices.DeleteFunc(gone, func(g retired) bool { return live[g.ID] })
	for _, d := range before {
		if !live[d.ID] && !slices.ContainsFunc(out, func(g retired) bool { return g.ID == d.ID }) {
			out = append(out, retired{ID: d.ID, By: articleID})
		}
	}
	if len(out) > maxRetired {
		out = out[len(out)-maxRetired:]
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// entry reads the entry at key; a missing key is an empty entry at revision 0.
func (r *Resolver) entry(ctx context.Context, key string) (entry, uint64, error) {
	e, err := r.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return entry{V: news.SchemaVersion}, 0, nil
	}
	if err != nil {
		return entry{}, 0, fmt.Errorf("reading deal entry %s: %w", key, err)
	}
	return decodeEntry(key, bus.KVEntry{Value: e.Value(), Revision: e.Revision()})
}

// decodeEntry decodes the entry at key as read; revision 0 (a missing key)
// is an empty entry.
func decodeEntry(key string, e bus.KVEntry) (entry, uint64, error) {
	if e.Revision == 0 {
		return entry{V: news.SchemaVersion}, 0, nil
	}
	var cur entry
	if err := json.Unmarshal(e.Value, &cur); err != nil {
		return entry{}, 0, news.Permanent(fmt.Errorf("decoding deal entry %s: %w", key, err))
	}
	return cur, e.Revision, nil
}

// decodeArticleState decodes an article's state as read; revision 0 (a
// missing key) is nil.
func decodeArticleState(key string, e bus.KVEntry) (*articleState, error) {
	if e.Revision == 0 {
		return nil, nil
	}
	var st articleState
	if err := json.Unmarshal(e.Value, &st); err != nil {
		return nil, news.Permanent(fmt.Errorf("decoding article state %s: %w", key, err))
	}
	return &st, nil
}

// Deals returns every deal record in the bucket, live and archived, sorted
// by id: for rebuilding the deal index and for comparing two resolutions.
func (r *Resolver) Deals(ctx context.Context) ([]news.DealRecord, error) {
	keys, err := r.keys(ctx, "co.>")
	if err != nil {
		return nil, err
	}
	var out []news.DealRecord
	live := map[string]bool{}
	for _, k := range keys {
		e, _, err := r.entry(ctx, k)
		if err != nil {
			return nil, err
		}
		for _, d := range resolve(e.Contributions, r.rules()) {
			live[d.ID] = true
			out = append(out, d)
		}
	}
	archived, err := r.keys(ctx, "dl.>")
	if err != nil {
		return nil, err
	}
	for _, k := range archived {
		if live[strings.TrimPrefix(k, "dl.")] {
			continue
		}
		e, err := r.kv.Get(ctx, k)
		if err != nil {
			return nil, fmt.Errorf("reading archived deal %s: %w", k, err)
		}
		var d news.DealRecord
		if err := json.Unmarshal(e.Value(), &d); err != nil {
			return nil, fmt.Errorf("decoding archived deal %s: %w", k, err)
		}
		out = append(out, d)
	}
	slices.SortFunc(out, func(x, y news.DealRecord) int { return strings.Compare(x.ID, y.ID) })
	return out, nil
}

// keys lists the keys matching filter, sorted.
func (r *Resolver) keys(ctx context.Context, filter string) ([]string, error) {
	lister, err := r.kv.ListKeysFiltered(ctx, filter)
	if err != nil {
		return nil, fmt.Errorf("listing keys %s: %w", filter, err)
	}
	var keys []string
	for k := range lister.Keys() {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return slices.Compact(keys), nil
}

// articleKey is the key of an article's state. Article ids are hex, which
// keys allow; anything else is replaced so a foreign id cannot break a key.
func articleKey(id string) string {
	return "art." + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, id)
}
