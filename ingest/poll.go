package ingest

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/dealwire/dealwire/news"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// Poller polls the feeds of a [Config] and publishes their new articles.
// One Poller serves many feeds with a fixed pool of [Config.Workers].
type Poller struct {
	cfg    Config
	js     jetstream.JetStream
	log    *slog.Logger
	f      *fetcher
	robots *robotsCache
	pub    *publisher
	m      *metrics

	// mu guards store, which is opened on first use because opening needs a
	// context and the constructor has none.
	mu    sync.Mutex
	store *stateStore
}

// NewPoller checks cfg and builds a Poller that publishes through js. A nil
// logger logs nothing; a nil registerer registers no metrics.
func NewPoller(cfg Config, js jetstream.JetStream, logger *slog.Logger, reg prometheus.Registerer) (*Poller, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("checking ingest config: %w", err)
	}
	if js == nil {
		return nil, errors.New("creating poller: jetstream is nil")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	f, err := newFetcher(cfg)
	if err != nil {
		return nil, fmt.Errorf("creating fetcher: %w", err)
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	robots := newRobotsCache(f, cfg.UserAgent)
	if !cfg.IgnoreRobots {
		f.robotsAllowed = func(ctx context.Context, u string) (bool, error) { return robots.checkWith(ctx, u, false) }
	}
	return &Poller{
		cfg:    cfg,
		js:     js,
		log:    logger,
		f:      f,
		robots: robots,
		pub:    &publisher{js: js, timeout: cfg.PublishTimeout},
		m:      m,
	}, nil
}

// Close releases idle connections. The Poller must not be used after.
func (p *Poller) Close() { p.f.close() }

func (p *Poller) stateStore(ctx context.Context) (*stateStore, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.store != nil {
		return p.store, nil
	}
	s, err := openStateStore(ctx, p.js, p.cfg.StateBucket, p.cfg.StateReplicas)
	if err != nil {
		return nil, err
	}
	p.store = s
	return s, nil
}

func (p *Poller) enabledFeeds() []FeedConfig {
	var out []FeedConfig
	for _, f := range p.cfg.Feeds {
		if !f.Disabled {
			out = append(out, f)
		}
	}
	return out
}

// PollOnce polls every enabled feed once, ignoring the schedule but not a
// hold the server asked for with Retry-After. It returns when every new
// article has been published (its PubAck received). A feed's failure is
// logged and counted and never stops the other feeds; PollOnce itself fails
// only when the state bucket cannot be opened or ctx ends.
func (p *Poller) PollOnce(ctx context.Context) error {
	store, err := p.stateStore(ctx)
	if err != nil {
		return err
	}
	jobs := make(chan FeedConfig)
	var wg sync.WaitGroup
	for range min(p.cfg.Workers, max(len(p.cfg.Feeds), 1)) {
		wg.Go(func() {
			for fc := range jobs {
				p.pollFeed(ctx, store, fc, true)
			}
		})
	}
feeds:
	for _, fc := range p.enabledFeeds() {
		select {
		case jobs <- fc:
		case <-ctx.Done():
			break feeds
		}
	}
	close(jobs)
	wg.Wait()
	return context.Cause(ctx)
}

// Run polls every feed on its own schedule until ctx ends, then waits for
// the polls in flight and returns nil. First polls are spread over the
// first interval by a hash of the feed URL, so feeds never fire together.
func (p *Poller) Run(ctx context.Context) error {
	defer p.f.close()
	store, err := p.stateStore(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	feeds := p.enabledFeeds()
	due := p.firstDue(ctx, store, feeds)

	type result struct {
		url  string
		next time.Time
	}
	jobs := make(chan FeedConfig)
	done := make(chan result, p.cfg.Workers)
	var wg sync.WaitGroup
	for range p.cfg.Workers {
		wg.Go(func() {
			for fc := range jobs {
				done <- result{fc.URL, p.pollFeed(ctx, store, fc, false)}
			}
		})
	}
	inflight := make(map[string]bool)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
loop:
	for {
		now := time.Now()
		var next time.Time
		for _, fc := range feeds {
			if inflight[fc.URL] {
				continue
			}
			if t := due[fc.URL]; t.After(now) {
				if next.IsZero() || t.Before(next) {
					next = t
				}
				continue
			}
			select {
			case jobs <- fc:
				inflight[fc.URL] = true
			case r := <-done:
				inflight[r.url] = false
				due[r.url] = r.next
			case <-ctx.Done():
				break loop
			}
		}
		wait := time.Minute
		if !next.IsZero() {
			wait = max(time.Until(next), 0)
		}
		timer.Reset(wait)
		select {
		case r := <-done:
			inflight[r.url] = false
			due[r.url] = r.next
		case <-timer.C:
		case <-ctx.Done():
			break loop
		}
	}
	// Let the workers finish the polls in flight, then drain their results.
	close(jobs)
	go func() { wg.Wait(); close(done) }()
	for range done {
	}
	return nil
}

// firstDue is when each feed is first due: when its saved state says, else
// spread over the first minute (or its interval, if shorter) so that
// feeds never polled do not all go at once.
func (p *Poller) firstDue(ctx context.Context, store *stateStore, feeds []FeedConfig) map[string]time.Time {
	now := time.Now()
	due := make(map[string]time.Time, len(feeds))
	for _, fc := range feeds {
		st, _, err := store.load(ctx, fc.URL)
		switch {
		case err == nil && !st.NextPoll.IsZero():
			due[fc.URL] = later(st.NextPoll, st.NotBefore)
		default:
			due[fc.URL] = now.Add(spread(fc.URL, min(p.baseInterval(fc), time.Minute)))
		}
	}
	return due
}

// pollFeed polls one feed, saves its state and returns when it is next due.
func (p *Poller) pollFeed(ctx context.Context, store *stateStore, fc FeedConfig, once bool) time.Time {
	start := time.Now()
	st, rev, err := store.load(ctx, fc.URL)
	if err != nil {
		p.m.polls.WithLabelValues(StatusFailed).Inc()
		p.log.Warn("loading feed state", "feed_url", fc.URL, "error", err)
		return start.Add(p.cfg.MinInterval)
	}
	if start.Before(st.NotBefore) {
		return st.NotBefore
	}
	if !once && start.Before(st.NextPoll) {
		return st.NextPoll // polled meanwhile by another replica
	}
	st.Name, st.URL = fc.source(), fc.URL
	st.LastPoll = start

	changed, err := p.poll(ctx, fc, &st)
	p.m.pollDuration.Observe(time.Since(start).Seconds())
	status := StatusOK
	switch {
	case errors.Is(err, ErrNotModified):
		status, err = StatusNotModified, nil
	case errors.Is(err, ErrBlocked):
		status = StatusBlocked
	case errors.Is(err, ErrDisallowed):
		status = StatusDisallowed
	case isThrottled(err):
		status = StatusThrottled
	case errors.Is(err, errItemsPending):
		status = StatusPartial
	case err != nil:
		status = StatusFailed
	}
	st.LastStatus = status
	p.m.polls.WithLabelValues(status).Inc()
	if status == StatusPartial {
		st.LastError = err.Error()
		st.ErrorCount = 0
		st.LastSuccess = time.Now()
		if ctx.Err() == nil {
			p.log.Warn("polling feed", "feed_url", fc.URL, "status", status, "error", err)
		}
		err = nil // the feed itself is fine: no backoff
	} else if err != nil {
		st.LastError = err.Error()
		st.ErrorCount++
		st.TotalErrors++
		if ctx.Err() == nil {
			p.log.Warn("polling feed", "feed_url", fc.URL, "status", status, "error", err)
		}
	} else {
		st.LastError = ""
		st.ErrorCount = 0
		st.LastSuccess = time.Now()
	}
	if changed {
		st.LastChange = time.Now()
	}
	st.NextPoll = p.nextPoll(fc, &st, changed, err)
	if ctx.Err() != nil {
		return st.NextPoll
	}
	var sub *subscription
	if err == nil {
		sub = p.prepareWebSub(fc, &st, st.Self)
	}
	if err := store.save(ctx, st, rev); err != nil {
		p.log.Warn("saving feed state", "feed_url", fc.URL, "error", err)
		return st.NextPoll
	}
	// The hub verifies against the saved state, so subscribe after saving.
	if sub != nil {
		if err := p.subscribe(ctx, sub); err != nil {
			p.log.Warn("subscribing to websub hub", "feed_url", fc.URL, "hub", sub.hub, "error", err)
		}
	}
	return st.NextPoll
}

func isThrottled(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && (se.Code == http.StatusTooManyRequests || se.Code == http.StatusServiceUnavailable)
}

func (p *Poller) baseInterval(fc FeedConfig) time.Duration {
	if fc.Interval > 0 {
		return fc.Interval
	}
	return p.cfg.Interval
}

// nextPoll adapts the feed's interval (shorter after a change, longer after
// none), backs off exponentially after failures, waits at least the feed's
// Cache-Control max-age, respects the server's Retry-After hold, and adds
// jitter.
func (p *Poller) nextPoll(fc FeedConfig, st *FeedState, changed bool, err error) time.Time {
	base := p.baseInterval(fc)
	lo, hi := min(p.cfg.MinInterval, base), max(p.cfg.MaxInterval, base)
	iv := st.Interval
	if iv == 0 {
		iv = base
	}
	if changed {
		iv = iv * 3 / 4
	} else if err == nil {
		iv = iv * 5 / 4
	}
	iv = min(max(iv, lo), hi)
	st.Interval = iv
	delay := max(iv, min(st.MaxAge, p.cfg.MaxInterval))
	if err != nil && st.ErrorCount > 0 {
		delay = base << min(st.ErrorCount-1, 16)
		delay = min(max(delay, base), p.cfg.MaxBackoff)
	}
	if j := p.cfg.Jitter; j > 0 {
		delay = time.Duration(float64(delay) * (1 + j*(2*rand.Float64()-1)))
	}
	return later(time.Now().Add(delay), st.NotBefore)
}

// poll fetches and processes one feed, recording validators and the move of
// a feed in st. changed reports new items. Validators are kept only once
// every new item is done, so an item that failed is seen again next time.
func (p *Poller) poll(ctx context.Context, fc FeedConfig, st *FeedState) (changed bool, err error) {
	return p.pollTarget(ctx, fc, st, true)
}

// pollTarget is poll; discover allows one step of feed autodiscovery when
// the address serves an HTML page that links its feed.
func (p *Poller) pollTarget(ctx context.Context, fc FeedConfig, st *FeedState, discover bool) (changed bool, err error) {
	target := fc.URL
	if st.CurrentURL != "" {
		target = st.CurrentURL
	}
	if !p.cfg.IgnoreRobots {
		ok, err := p.robots.check(ctx, target)
		if err != nil {
			return false, fmt.Errorf("checking robots.txt for %s: %w", target, err)
		}
		if !ok {
			return false, fmt.Errorf("polling %s: %w", target, ErrDisallowed)
		}
	}
	t0 := time.Now()
	resp, err := p.f.get(ctx, request{url: target, kind: kindFeed, etag: st.ETag, lastModified: st.LastModified})
	p.m.fetchDuration.WithLabelValues(kindFeed.String()).Observe(time.Since(t0).Seconds())
	if resp != nil && resp.moved != "" && resp.moved != target {
		p.log.Info("feed moved permanently", "feed_url", fc.URL, "new_url", resp.moved)
		st.CurrentURL = resp.moved
	}
	var se *StatusError
	if errors.As(err, &se) && isThrottled(err) {
		hold := se.RetryAfter
		if hold <= 0 {
			hold = p.baseInterval(fc) << min(st.ErrorCount, 16)
		}
		st.NotBefore = time.Now().Add(min(hold, p.cfg.MaxBackoff))
	}
	if err != nil {
		return false, err
	}
	st.MaxAge = resp.maxAge
	feed, err := parseFeed(resp.body, resp.contentType, resp.url)
	if errors.Is(err, ErrNotFeed) && discover {
		if alt := discoverFeed(resp.body, resp.url); alt != "" && alt != target {
			p.log.Info("feed address serves a page; using the feed it links", "feed_url", fc.URL, "new_url", alt)
			st.CurrentURL, st.ETag, st.LastModified = alt, "", ""
			return p.pollTarget(ctx, fc, st, false)
		}
	}
	if err != nil {
		return false, fmt.Errorf("parsing feed %s: %w", target, err)
	}
	st.Hub, st.Self = firstNonEmpty(resp.hub, feed.hub), firstNonEmpty(resp.self, feed.self)
	st.Title = firstNonEmpty(feed.title, st.Title)

	changed, pending, err := p.processItems(ctx, fc, st, feed.items)
	if ctx.Err() != nil {
		return changed, context.Cause(ctx)
	}
	if pending == 0 {
		st.ETag, st.LastModified = resp.etag, resp.lastModified
	} else {
		st.ETag, st.LastModified = "", ""
	}
	if err != nil {
		return changed, fmt.Errorf("%w: %d: %w", errItemsPending, pending, err)
	}
	return changed, nil
}

// processItems publishes the items not yet seen, newest first, and records
// them in st. pending counts the items left for later (failed, or over
// MaxItemsPerPoll); err is the first failure.
func (p *Poller) processItems(ctx context.Context, fc FeedConfig, st *FeedState, items []item) (changed bool, pending int, err error) {
	sort.SliceStable(items, func(i, j int) bool { return items[i].published.After(items[j].published) })
	current := make(map[string]bool, len(items))
	taken := 0
	var firstErr error
	for _, it := range items {
		if ctx.Err() != nil {
			return changed, pending, context.Cause(ctx)
		}
		// Seen keys are short hashes: of the item's guid (or link), of its
		// normalised link and of its article id. The last two share one
		// space, so an item whose link is canonical costs two keys.
		// A revised item (updated after published) is keyed by its update
		// time too, so each edit the feed announces is taken once.
		revised := it.revised()
		itemKey := seenKey(it.key())
		if revised {
			itemKey = seenKey(it.key() + "@" + it.updated.Format(time.RFC3339))
		}
		current[itemKey] = true
		linkKey := ""
		if c, err := NormalizeURL(it.link); err == nil {
			linkKey = seenKey(c)
		}
		if st.seen(itemKey) || (!revised && linkKey != "" && st.seen(linkKey)) {
			st.markSeen(p.cfg.SeenItems, itemKey, linkKey)
			continue
		}
		if taken >= p.cfg.MaxItemsPerPoll {
			pending++
			continue
		}
		taken++
		art, err := p.article(ctx, fc, it, st)
		if news.IsPermanent(err) {
			p.log.Warn("skipping feed item", "feed_url", fc.URL, "item", it.key(), "error", err)
			st.markSeen(p.cfg.SeenItems, itemKey)
			continue
		}
		if err != nil {
			if st.PageFailures == nil {
				st.PageFailures = make(map[string]int)
			}
			st.PageFailures[itemKey]++
			pending++
			firstErr = cmpErr(firstErr, err)
			continue
		}
		delete(st.PageFailures, itemKey)
		idKey := seenKey(art.CanonicalURL)
		// An edit is published again under the same article id; its message
		// id carries a hash of its text (and, when revised, its title), so an
		// unchanged article is still dropped by the stream's duplicate window.
		if !st.seen(idKey) || revised {
			dup, err := p.pub.publish(ctx, art, revised)
			if err != nil {
				pending++
				firstErr = cmpErr(firstErr, err)
				continue
			}
			if dup {
				p.m.duplicates.Inc()
			} else {
				p.m.published.Inc()
				st.Published++
				changed = true
			}
		}
		st.markSeen(p.cfg.SeenItems, itemKey, linkKey, idKey)
	}
	// Items that left the feed take their failure counts with them.
	for k := range st.PageFailures {
		if !current[k] {
			delete(st.PageFailures, k)
		}
	}
	return changed, pending, firstErr
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// errItemsPending means some of a feed's items failed and wait for the next poll.
var errItemsPending = errors.New("items left for the next poll")

// errRetryPage means an item's page failed transiently and the item waits
// for the next poll.
var errRetryPage = errors.New("page retried next poll")

// article builds the article of one feed item, fetching its page when the
// feed's text is short (or always, per feed). A page that fails for good
// (blocked, disallowed, too large, wrong type) leaves the feed's own text; one
// that fails transiently is retried on later polls up to PageAttempts times.
func (p *Poller) article(ctx context.Context, fc FeedConfig, it item, st *FeedState) (news.Article, error) {
	now := time.Now().UTC()
	dc := dateCheck{min: p.cfg.MinDate, skew: p.cfg.MaxFutureSkew, now: now}
	a := news.Article{
		V:         news.SchemaVersion,
		URL:       it.link,
		Source:    fc.source(),
		FeedURL:   fc.URL,
		Title:     it.title,
		Authors:   it.authors,
		Lang:      it.lang,
		FetchedAt: now,
		// The outlet as readers know it: the page's own site name (below),
		// else the feed's title, else the configured name (never the host
		// that source() falls back to).
		Outlet: firstNonEmpty(st.Title, fc.Name),
	}
	for _, t := range append(append([]string{}, fc.Tags...), it.tags...) {
		a.Tags = appendUnique(a.Tags, t)
	}
	text := it.text
	canon, _ := NormalizeURL(it.link)
	mode := fc.FullText
	if mode == "" {
		mode = FullTextAuto
	}
	need := mode == FullTextAlways || mode == FullTextAuto && utf8.RuneCountInString(text) < p.cfg.FullTextMinChars
	var page *Page
	if need && (strings.HasPrefix(it.link, "http://") || strings.HasPrefix(it.link, "https://")) {
		pg, err := p.fetchPage(ctx, it.link, dc)
		switch {
		case err == nil:
			page = &pg
		case transient(err) && st.PageFailures[seenKey(it.key())]+1 < p.cfg.PageAttempts && ctx.Err() == nil:
			return a, fmt.Errorf("%w: %w", errRetryPage, err)
		default:
			p.log.Warn("fetching page, using the feed's text", "feed_url", fc.URL, "page_url", it.link, "error", err)
		}
	}
	if page != nil {
		text, canon = withPage(&a, page, text, canon)
	}
	switch {
	case dc.ok(it.published):
		a.PublishedAt, a.DateSource = it.published, "feed"
	case page != nil && page.Published != nil:
		a.PublishedAt, a.DateSource = *page.Published, page.DateSource
	default:
		a.PublishedAt, a.DateSource = now, "fetched"
	}
	if canon == "" {
		// No usable link: the guid, scoped to the feed, is the identity.
		canon = fc.URL + "#" + it.guid
	}
	a.CanonicalURL = canon
	a.ID = news.ArticleID(canon)
	if a.Title == "" && text == "" {
		return a, news.Permanent(fmt.Errorf("building article for %s: no title and no text", it.link))
	}
	// The text starts with the title below; a page or feed text that opens
	// with the same headline would carry it twice.
	a.Text = a.Title + "\n" + dropLeadingTitle(text, a.Title)
	return a, nil
}

// withPage fills what a lacks from the article's page and returns the text
// and canonical URL to use: the page's text unless it is much shorter than
// text, its full JSON-LD body where the page shows a teaser.
func withPage(a *news.Article, page *Page, text, canon string) (string, string) {
	if utf8.RuneCountInString(page.Text) >= utf8.RuneCountInString(text)*4/5 {
		text = page.Text
	}
	if utf8.RuneCountInString(page.ldBody) > utf8.RuneCountInString(text)*3/2 {
		text = page.ldBody // the full body of a page that shows a teaser
	}
	if a.Title == "" {
		a.Title = page.Title
	}
	if page.CanonicalURL != "" {
		canon = page.CanonicalURL
	}
	if len(a.Authors) == 0 {
		a.Authors = page.Authors
	}
	if page.Lang != "" {
		a.Lang = page.Lang
	}
	a.Outlet = firstNonEmpty(page.SiteName, a.Outlet)
	for _, t := range page.Tags {
		if len(a.Tags) < 32 {
			a.Tags = appendUnique(a.Tags, t)
		}
	}
	return text, canon
}

// fetchPage fetches and parses an article page; a bot wall is [ErrBlocked].
func (p *Poller) fetchPage(ctx context.Context, pageURL string, dc dateCheck) (Page, error) {
	if !p.cfg.IgnoreRobots {
		ok, err := p.robots.check(ctx, pageURL)
		if err != nil {
			return Page{}, fmt.Errorf("checking robots.txt for %s: %w", pageURL, err)
		}
		if !ok {
			p.m.pages.WithLabelValues(StatusDisallowed).Inc()
			return Page{}, fmt.Errorf("fetching %s: %w", pageURL, ErrDisallowed)
		}
	}
	t0 := time.Now()
	resp, err := p.f.get(ctx, request{url: pageURL, kind: kindPage})
	p.m.fetchDuration.WithLabelValues(kindPage.String()).Observe(time.Since(t0).Seconds())
	if err != nil {
		p.m.pages.WithLabelValues(StatusFailed).Inc()
		return Page{}, err
	}
	pg, err := parsePage(resp.body, resp.contentType, resp.url, dc)
	if err != nil {
		p.m.pages.WithLabelValues(StatusFailed).Inc()
		return Page{}, fmt.Errorf("parsing page %s: %w", pageURL, news.Permanent(err))
	}
	if pg.Blocked {
		p.m.pages.WithLabelValues(StatusBlocked).Inc()
		return Page{}, fmt.Errorf("parsing page %s: %w", pageURL, ErrBlocked)
	}
	p.m.pages.WithLabelValues(StatusOK).Inc()
	return pg, nil
}

// spread is a feed's fixed offset within d, from a hash of its URL, so that
// feeds never all fire at once (as Prometheus spreads its scrapes).
func spread(u string, d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(u))
	return time.Duration(h.Sum64() % uint64(d))
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// metrics are the fetch stage's Prometheus metrics.
type metrics struct {
	polls         *prometheus.CounterVec
	pages         *prometheus.CounterVec
	pollDuration  prometheus.Histogram
	fetchDuration *prometheus.HistogramVec
	published     prometheus.Counter
	duplicates    prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dealwire_ingest_feed_polls_total", Help: "Feed polls by result.",
		}, []string{"result"}),
		pages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dealwire_ingest_page_fetches_total", Help: "Article page fetches by result.",
		}, []string{"result"}),
		pollDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "dealwire_ingest_feed_poll_duration_seconds", Help: "Time to poll one feed, items included.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 10),
		}),
		fetchDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "dealwire_ingest_fetch_duration_seconds", Help: "Time of one HTTP fetch by kind.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 10),
		}, []string{"kind"}),
		published: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dealwire_ingest_articles_published_total", Help: "Articles stored by the ARTICLES stream.",
		}),
		duplicates: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dealwire_ingest_articles_duplicate_total", Help: "Articles the stream dropped as repeats.",
		}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.polls, m.pages, m.pollDuration, m.fetchDuration, m.published, m.duplicates} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("registering ingest metrics: %w", err)
			}
		}
	}
	return m, nil
}
