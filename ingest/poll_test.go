package ingest

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/news"
	"github.com/nats-io/nats.go/jetstream"
)

// newsSite serves the RSS and Atom testdata feeds and their pages.
func newsSite(t *testing.T) *site {
	s := newSite(t)
	s.serve("/rss.xml", "application/rss+xml; charset=utf-8", testdata(t, "feeds/rss.xml", s.URL))
	s.serve("/atom.xml", "application/atom+xml", testdata(t, "feeds/atom.xml", s.URL))
	s.serve("/2026/acme-raises-40m", "text/html; charset=utf-8", testdata(t, "pages/acme.html", s.URL))
	s.serve("/2026/northwind-solaris", "text/html; charset=utf-8", testdata(t, "pages/northwind.html", s.URL))
	s.serve("/robots.txt", "text/plain", "User-agent: *\nDisallow: /admin/\n")
	return s
}

func TestPollPublishesEachStoryOnce(t *testing.T) {
	s := newsSite(t)
	js := newBus(t)
	cfg := testConfig(
		FeedConfig{Name: "funding-daily", URL: s.URL + "/rss.xml", Tags: []string{"funding"}},
		FeedConfig{Name: "deals-weekly", URL: s.URL + "/atom.xml"},
	)
	p := newTestPoller(t, cfg, js)
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatalf("PollOnce: %v", err)
	}
	got := storedArticles(t, js)
	byTitle := map[string]news.Article{}
	for _, a := range got {
		byTitle[a.Title] = a
	}
	if len(got) != 3 {
		t.Fatalf("stored %d articles, want 3 (acme once, volta, northwind): %v", len(got), titles(got))
	}

	// Whichever feed came first published the story; the other was a repeat.
	wantCanon := s.URL + "/2026/acme-raises-40m"
	var acme news.Article
	for _, a := range got {
		if a.CanonicalURL == wantCanon {
			acme = a
		}
	}
	if acme.ID != news.ArticleID(wantCanon) || !strings.HasPrefix(acme.Title, "Acme raises $40M Series B") {
		t.Fatalf("no acme article with canonical %s among %v", wantCanon, titles(got))
	}
	if !strings.HasPrefix(acme.Text, acme.Title+"\n") {
		t.Errorf("acme text does not start with the headline line: %q", acme.Text[:min(80, len(acme.Text))])
	}
	for _, want := range []string{"raised $40 million in a Series B round", "values the company at $730 million", "operating system for factories"} {
		if !strings.Contains(acme.Text, want) {
			t.Errorf("acme text lacks %q:\n%s", want, acme.Text)
		}
	}
	for _, bad := range []string{"Subscribe to our newsletter", "Advertisement", "congrats to the team", "All rights reserved", "Another robot company goes public"} {
		if strings.Contains(acme.Text, bad) {
			t.Errorf("acme text keeps boilerplate %q:\n%s", bad, acme.Text)
		}
	}
	if acme.DateSource != "feed" || acme.PublishedAt.Before(time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("acme published %v from %q, want 2026-11-20 from feed", acme.PublishedAt, acme.DateSource)
	}
	if acme.Lang != "en" || acme.V != news.SchemaVersion || len(acme.Authors) == 0 {
		t.Errorf("acme lang %q v %d authors %v", acme.Lang, acme.V, acme.Authors)
	}
	if acme.Source == "funding-daily" && (acme.FeedURL != s.URL+"/rss.xml" || !contains(acme.Tags, "funding") || !contains(acme.Tags, "Venture") || acme.Authors[0] != "Jane Doe") {
		t.Errorf("acme from rss: feed %q tags %v authors %v", acme.FeedURL, acme.Tags, acme.Authors)
	}

	volta := byTitle["Volta Grid closes €12m seed round"]
	if !strings.Contains(volta.Text, "2 GW of storage") || s.count("/2026/volta-grid-seed") != 0 {
		t.Errorf("volta: long feed content should be used without fetching the page (hits %d): %q", s.count("/2026/volta-grid-seed"), volta.Text)
	}

	nw := byTitle["Northwind Bank lends $250 million to Solaris"]
	if !strings.Contains(nw.Text, "1.2 GW solar portfolio") {
		t.Errorf("northwind: JSON-LD articleBody not used: %q", nw.Text)
	}
	if nw.CanonicalURL != s.URL+"/2026/northwind-solaris" {
		t.Errorf("northwind canonical %q", nw.CanonicalURL)
	}

	// A second poll publishes nothing new.
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatalf("second PollOnce: %v", err)
	}
	if again := storedArticles(t, js); len(again) != 3 {
		t.Errorf("second poll: %d articles stored, want still 3: %v", len(again), titles(again))
	}
	st := feedState(t, js, s.URL+"/rss.xml")
	atom := feedState(t, js, s.URL+"/atom.xml")
	if st.LastStatus != StatusOK || st.Published+atom.Published != 3 || st.Hub != "https://pubsubhubbub.example/" {
		t.Errorf("rss state: status %q published %d+%d hub %q", st.LastStatus, st.Published, atom.Published, st.Hub)
	}
}

func titles(as []news.Article) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Title)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestConditionalGet(t *testing.T) {
	s := newSite(t)
	feed := testdata(t, "feeds/atom.xml", s.URL)
	var conditional int
	s.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` && r.Header.Get("If-Modified-Since") == "Fri, 20 Nov 2026 12:00:00 GMT" {
			conditional++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Fri, 20 Nov 2026 12:00:00 GMT")
		w.Header().Set("Content-Type", "application/atom+xml")
		_, _ = w.Write([]byte(feed))
	})
	js := newBus(t)
	cfg := testConfig(FeedConfig{Name: "w", URL: s.URL + "/feed", FullText: FullTextNever})
	p := newTestPoller(t, cfg, js)
	for range 2 {
		if err := p.PollOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if conditional != 1 {
		t.Errorf("conditional requests answered 304: %d, want 1", conditional)
	}
	st := feedState(t, js, s.URL+"/feed")
	if st.LastStatus != StatusNotModified || st.ETag != `"v1"` || st.ErrorCount != 0 {
		t.Errorf("state after 304: status %q etag %q errors %d", st.LastStatus, st.ETag, st.ErrorCount)
	}
	if n := len(storedArticles(t, js)); n != 2 {
		t.Errorf("%d articles, want 2", n)
	}
}

func TestThrottledFeedWaitsForRetryAfter(t *testing.T) {
	s := newSite(t)
	s.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	js := newBus(t)
	p := newTestPoller(t, testConfig(FeedConfig{URL: s.URL + "/feed"}), js)
	before := time.Now()
	for range 2 {
		if err := p.PollOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.count("/feed"); n != 1 {
		t.Errorf("feed fetched %d times, want 1: the second poll must wait for Retry-After", n)
	}
	st := feedState(t, js, s.URL+"/feed")
	if st.LastStatus != StatusThrottled || st.NotBefore.Before(before.Add(119*time.Second)) || st.NotBefore.After(time.Now().Add(121*time.Second)) {
		t.Errorf("state: status %q not_before in %v, want throttled and ~120s", st.LastStatus, time.Until(st.NotBefore))
	}
	if st.NextPoll.Before(st.NotBefore) {
		t.Errorf("next poll %v before the hold %v", st.NextPoll, st.NotBefore)
	}
}

func TestFeedMovedPermanently(t *testing.T) {
	s := newSite(t)
	s.handle("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new", http.StatusMovedPermanently)
	})
	s.serve("/new", "application/atom+xml", testdata(t, "feeds/atom.xml", s.URL))
	js := newBus(t)
	p := newTestPoller(t, testConfig(FeedConfig{URL: s.URL + "/old", FullText: FullTextNever}), js)
	for range 2 {
		if err := p.PollOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	st := feedState(t, js, s.URL+"/old")
	if st.CurrentURL != s.URL+"/new" {
		t.Errorf("current url %q, want %s/new", st.CurrentURL, s.URL)
	}
	if s.count("/old") != 1 || s.count("/new") != 2 {
		t.Errorf("hits old %d new %d, want 1 and 2: the moved feed is polled at its new address", s.count("/old"), s.count("/new"))
	}
}

func TestSameStoryWithNewGUIDIsOneArticle(t *testing.T) {
	s := newSite(t)
	item := func(guid, link string) string {
		return fmt.Sprintf(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>%[1]s/</link>
<item><title>Orbital raises $5M</title><link>%[1]s%[3]s</link><guid isPermaLink="false">%[2]s</guid>
<pubDate>Fri, 20 Nov 2026 10:00:00 +0000</pubDate><description>Orbital, a satellite startup, raised $5 million.</description></item></channel></rss>`, s.URL, guid, link)
	}
	body := item("guid-1", "/orbital")
	s.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(body))
	})
	s.handle("/other", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(item("other-feed-guid", "/orbital?utm_source=other&fbclid=x#top")))
	})
	js := newBus(t)
	p := newTestPoller(t, testConfig(
		FeedConfig{Name: "a", URL: s.URL + "/feed", FullText: FullTextNever},
		FeedConfig{Name: "b", URL: s.URL + "/other", FullText: FullTextNever},
	), js)
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	body = item("guid-2-reissued", "/orbital?utm_campaign=x")
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := storedArticles(t, js); len(got) != 1 {
		t.Errorf("%d articles stored, want 1 for one story in two feeds and re-issued: %+v", len(got), got)
	}
}

func TestFailuresDoNotStopOtherFeeds(t *testing.T) {
	s := newsSite(t)
	s.serve("/broken.xml", "application/rss+xml", `<rss><channel><item><title>unclosed`)
	s.serve("/slowpage.xml", "application/rss+xml", fmt.Sprintf(`<?xml version="1.0"?><rss version="2.0"><channel><title>s</title>
<item><title>Slow page story</title><link>%s/slow</link><guid>slow-1</guid></item></channel></rss>`, s.URL))
	s.handle("/slow", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers
	})
	// An address nothing listens on: bind a port, then close it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String() + "/feed.xml"
	l.Close()

	js := newBus(t)
	cfg := testConfig(
		FeedConfig{Name: "broken", URL: s.URL + "/broken.xml"},
		FeedConfig{Name: "dead", URL: dead},
		FeedConfig{Name: "slow", URL: s.URL + "/slowpage.xml"},
		FeedConfig{Name: "good", URL: s.URL + "/rss.xml"},
	)
	cfg.PageTimeout = 300 * time.Millisecond
	cfg.PageAttempts = 2
	p := newTestPoller(t, cfg, js)
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	got := storedArticles(t, js)
	if len(got) != 2 {
		t.Errorf("%d articles, want the good feed's 2: %v", len(got), titles(got))
	}
	for _, tc := range []struct{ url, status, errPart string }{
		{s.URL + "/broken.xml", StatusFailed, "not a feed"},
		{dead, StatusFailed, "connection refused"},
		{s.URL + "/slowpage.xml", StatusPartial, "too slow"},
		{s.URL + "/rss.xml", StatusOK, ""},
	} {
		st := feedState(t, js, tc.url)
		if st.LastStatus != tc.status || !strings.Contains(st.LastError, tc.errPart) {
			t.Errorf("%s: status %q error %q, want %q containing %q", tc.url, st.LastStatus, st.LastError, tc.status, tc.errPart)
		}
	}
	// The slow page is retried once more, then the story goes out with the
	// feed's own text (here just its headline).
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	got = storedArticles(t, js)
	if len(got) != 3 || got[2].Title != "Slow page story" || got[2].Text != "Slow page story\n" {
		t.Errorf("after the last page attempt: %v", titles(got))
	}
}

func TestStateSurvivesRestart(t *testing.T) {
	s := newSite(t)
	feed := testdata(t, "feeds/atom.xml", s.URL)
	s.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"abc"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"abc"`)
		w.Header().Set("Content-Type", "application/atom+xml")
		_, _ = w.Write([]byte(feed))
	})
	js := newBus(t)
	cfg := testConfig(FeedConfig{URL: s.URL + "/feed", FullText: FullTextNever})
	first := newTestPoller(t, cfg, js)
	if err := first.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	first.Close()
	second := newTestPoller(t, cfg, js)
	if err := second.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	st := feedState(t, js, s.URL+"/feed")
	if st.LastStatus != StatusNotModified {
		t.Errorf("restarted poller: status %q, want not_modified from the stored validator", st.LastStatus)
	}
	// Even without validators the seen items keep the new poller quiet.
	feed = strings.ReplaceAll(feed, "A short summary.", "A changed summary.")
	s.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		_, _ = w.Write([]byte(feed))
	})
	third := newTestPoller(t, cfg, js)
	if err := third.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := len(storedArticles(t, js)); n != 2 {
		t.Errorf("%d articles after restarts, want 2", n)
	}
}

func TestFeedAutodiscovery(t *testing.T) {
	s := newSite(t)
	s.serve("/blog", "text/html", `<!doctype html><html><head><title>Blog</title>
<link rel="alternate" type="application/atom+xml" title="Blog feed" href="/atom.xml"></head><body><p>Welcome</p></body></html>`)
	s.serve("/atom.xml", "application/atom+xml", testdata(t, "feeds/atom.xml", s.URL))
	js := newBus(t)
	p := newTestPoller(t, testConfig(FeedConfig{URL: s.URL + "/blog", FullText: FullTextNever}), js)
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	st := feedState(t, js, s.URL+"/blog")
	if st.CurrentURL != s.URL+"/atom.xml" || st.LastStatus != StatusOK {
		t.Errorf("state: current %q status %q %s", st.CurrentURL, st.LastStatus, st.LastError)
	}
	if n := len(storedArticles(t, js)); n != 2 {
		t.Errorf("%d articles, want the linked feed's 2", n)
	}
}

func TestUnpublishedItemsAreRetried(t *testing.T) {
	s := newSite(t)
	s.serve("/feed", "application/atom+xml", testdata(t, "feeds/atom.xml", s.URL))
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	p := newTestPoller(t, testConfig(FeedConfig{URL: s.URL + "/feed", FullText: FullTextNever}), js)
	// No ARTICLES stream yet: nothing can be stored.
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if st := feedState(t, js, s.URL+"/feed"); st.LastStatus != StatusPartial || st.ErrorCount != 0 || len(st.Seen) != 0 {
		t.Errorf("without a stream: status %q errors %d seen %d", st.LastStatus, st.ErrorCount, len(st.Seen))
	}
	if _, err := js.CreateOrUpdateStream(t.Context(), jetstream.StreamConfig{
		Name: news.StreamArticles, Subjects: []string{news.ArticleSubjects}, Duplicates: 24 * time.Hour,
	}); err != nil {
		t.Fatal(err)
	}
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := len(storedArticles(t, js)); n != 2 {
		t.Errorf("%d articles once the stream exists, want 2", n)
	}
}

// TestHeadlineOnce: the poller opens every text with the feed's title, so a
// page whose first paragraph repeats the headline must not carry it twice,
// whichever form of it the page's own title tags hold.
func TestHeadlineOnce(t *testing.T) {
	const headline = "Tessel Games raises $7M – its first round since 2024"
	body := `<p>` + headline + `</p>
<p>Tessel Games, a studio in Lyon that makes puzzle games for phones, has raised $7 million in a seed round led by Alder Ventures.</p>
<p>The studio will use the money to hire twenty people and to ship its second game next spring.</p>`
	s := newSite(t)
	// One page titles itself like the feed; the other only with the site's
	// name, so the page parser cannot tell its first paragraph is the headline.
	s.serve("/same", "text/html", `<!doctype html><html><head><title>`+headline+`</title></head><body><article>`+body+`</article></body></html>`)
	s.serve("/site", "text/html", `<!doctype html><html><head><title>Gamewire</title></head><body><article>`+body+`</article></body></html>`)
	s.serve("/rss.xml", "application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>Gamewire</title><link>`+s.URL+`</link>
<item><title>`+headline+`</title><link>`+s.URL+`/same</link><guid>same</guid></item>
<item><title>`+headline+`</title><link>`+s.URL+`/site</link><guid>site</guid></item>
</channel></rss>`)
	js := newBus(t)
	p := newTestPoller(t, testConfig(FeedConfig{URL: s.URL + "/rss.xml", FullText: FullTextAlways}), js)
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	arts := storedArticles(t, js)
	if len(arts) != 2 {
		t.Fatalf("%d articles, want 2: %v", len(arts), titles(arts))
	}
	for _, a := range arts {
		if n := strings.Count(a.Text, headline); n != 1 {
			t.Errorf("%s: the headline %d times in the text:\n%s", a.CanonicalURL, n, a.Text)
		}
		if !strings.Contains(a.Text, "Alder Ventures") {
			t.Errorf("%s: the body is missing:\n%s", a.CanonicalURL, a.Text)
		}
	}
}
