package ingest

import "testing"

func TestFeedStatuses(t *testing.T) {
	feeds := []FeedConfig{
		{URL: "https://b.example/feed", Name: "B"},
		{URL: "https://a.example/feed", Name: "A", Disabled: true},
		{URL: "https://new.example/feed"},
	}
	states := []FeedState{
		{URL: "https://z.example/old", Name: "Z", LastStatus: "200"},
		{URL: "https://b.example/feed", Name: "b (from the feed)", LastStatus: "304"},
		{URL: "https://y.example/old", LastStatus: "404"},
	}
	got := FeedStatuses(feeds, states)
	want := []struct {
		url, name, status string
		configured        bool
	}{
		{"https://b.example/feed", "B", "304", true},
		{"https://a.example/feed", "A", "disabled", true},
		{"https://new.example/feed", "", "", true},
		{"https://y.example/old", "", "404", false},
		{"https://z.example/old", "Z", "200", false},
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.URL != w.url || g.Name != w.name || g.LastStatus != w.status || g.Configured != w.configured {
			t.Errorf("row %d = %s %q %q configured=%v, want %s %q %q configured=%v",
				i, g.URL, g.Name, g.LastStatus, g.Configured, w.url, w.name, w.status, w.configured)
		}
	}
}
