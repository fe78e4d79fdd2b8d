package ingest

import (
	"testing"
)

// TestOutletName checks that articles carry the outlet's name as readers
// know it, never the host: the page's og:site_name when the page was
// fetched, else the feed's own title, else the configured feed name.
func TestOutletName(t *testing.T) {
	s := newsSite(t)
	s.serve("/untitled.xml", "application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel>
<item><title>Quillstone raises $9 million seed</title><link>`+s.URL+`/2026/quillstone</link><guid>q-1</guid>
<pubDate>Fri, 20 Nov 2026 11:00:00 +0000</pubDate>
<description>Quillstone, a maker of warehouse robots, raised $9 million in a seed round led by Accel, it said on Friday. The company will hire engineers in Lisbon and Berlin and open a plant next year, its chief executive said in an interview with this newsletter.</description></item>
</channel></rss>`)
	s.serve("/hosted.xml", "application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel>
<item><title>Brightmoor raises $12 million</title><link>`+s.URL+`/2026/brightmoor</link><guid>b-1</guid>
<pubDate>Fri, 20 Nov 2026 12:00:00 +0000</pubDate>
<description>Brightmoor, which builds heat pumps, raised $12 million in a Series A round from Index Ventures, it said on Friday, and plans to double its staff in Manchester and open an office in Leeds before the end of next year.</description></item>
</channel></rss>`)
	js := newBus(t)
	cfg := testConfig(
		FeedConfig{Name: "funding-daily", URL: s.URL + "/rss.xml"},
		FeedConfig{Name: "Quill Letter", URL: s.URL + "/untitled.xml"},
		FeedConfig{URL: s.URL + "/hosted.xml"},
	)
	p := newTestPoller(t, cfg, js)
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatalf("PollOnce: %v", err)
	}
	want := map[string]string{
		"Acme raises $40M Series B led by Sequoia": "TechNews",      // the fetched page's og:site_name
		"Volta Grid closes €12m seed round":        "Funding Daily", // the feed's <title>; its text is whole, no page
		"Quillstone raises $9 million seed":        "Quill Letter",  // an untitled feed: its configured name
		"Brightmoor raises $12 million":            "",              // no name anywhere: pages fall back to the source
	}
	got := map[string]string{}
	for _, a := range storedArticles(t, js) {
		got[a.Title] = a.Outlet
		if a.Title == "Brightmoor raises $12 million" && a.Source != "127.0.0.1" {
			t.Errorf("brightmoor source = %q, want the host as before", a.Source)
		}
	}
	for title, outlet := range want {
		o, ok := got[title]
		if !ok {
			t.Errorf("no article %q among %v", title, got)
			continue
		}
		if o != outlet {
			t.Errorf("article %q: outlet %q, want %q", title, o, outlet)
		}
	}
	if st := feedState(t, js, s.URL+"/rss.xml"); st.Title != "Funding Daily" {
		t.Errorf("feed state title = %q, want Funding Daily", st.Title)
	}
}
