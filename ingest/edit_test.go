package ingest

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// An item the feed marks as updated is fetched and published again under
// the same article id, so the record downstream is updated; polling an
// unchanged feed publishes nothing more.
func TestEditedItemIsPublishedAgain(t *testing.T) {
	s := newSite(t)
	var mu sync.Mutex
	updated, amount := "2026-11-20T10:00:00Z", "$5 million"
	s.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/atom+xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:t</id><updated>%[2]s</updated>
<entry><title>Orbital raises money</title><link href="%[1]s/orbital"/><id>urn:orbital</id>
<published>2026-11-20T10:00:00Z</published><updated>%[2]s</updated>
<summary>Orbital, a satellite startup, raised %[3]s in a seed round led by Accel.</summary></entry></feed>`, s.URL, updated, amount)
	})
	js := newBus(t)
	p := newTestPoller(t, testConfig(FeedConfig{Name: "a", URL: s.URL + "/feed", FullText: FullTextNever}), js)
	poll := func() {
		t.Helper()
		if err := p.PollOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	poll()
	poll() // unchanged: nothing new
	if got := storedArticles(t, js); len(got) != 1 {
		t.Fatalf("%d articles after two polls of an unchanged feed, want 1", len(got))
	}
	mu.Lock()
	updated, amount = "2026-11-20T14:30:00Z", "$6 million" // the publisher corrects the figure
	mu.Unlock()
	poll()
	poll()
	got := storedArticles(t, js)
	if len(got) != 2 {
		t.Fatalf("%d articles after an edit, want the original and the edit", len(got))
	}
	if got[0].ID != got[1].ID {
		t.Errorf("the edit has id %s, the original %s: want the same article", got[1].ID, got[0].ID)
	}
	if !strings.Contains(got[1].Text, "$6 million") || !strings.Contains(got[0].Text, "$5 million") {
		t.Errorf("texts: original %q, edit %q", got[0].Text, got[1].Text)
	}
}
