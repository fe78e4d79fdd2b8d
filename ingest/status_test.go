package ingest

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

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

func TestWriteStatuses(t *testing.T) {
	now := time.Now()
	rows := []FeedStatus{
		{FeedState: FeedState{Name: "A", URL: "https://a.example/feed", LastStatus: "200", LastSuccess: now.Add(-90 * time.Second),
			NextPoll: now.Add(time.Hour), ErrorCount: 1, TotalErrors: 4, Published: 7, LastError: "timeout\nwhile reading"}, Configured: true},
		{FeedState: FeedState{Name: "Z", URL: "https://z.example/old"}},
	}
	var b bytes.Buffer
	if err := WriteStatuses(&b, rows, false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "NAME") {
		t.Fatalf("table:\n%s", b.String())
	}
	for _, want := range []string{"A ", " 200 ", " ago ", " 1/4 ", " in 1h", " 7 ", "timeout while reading"} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("row %q lacks %q", lines[1], want)
		}
	}
	if !strings.Contains(lines[2], "- (not configured)") || !strings.Contains(lines[2], "never") {
		t.Errorf("row %q: want no status, not configured, never succeeded", lines[2])
	}

	b.Reset()
	if err := WriteStatuses(&b, rows, true); err != nil {
		t.Fatal(err)
	}
	var got FeedStatus
	if err := json.Unmarshal([]byte(strings.SplitN(b.String(), "\n", 2)[0]), &got); err != nil {
		t.Fatal(err)
	}
	if got.URL != rows[0].URL || !got.Configured || got.TotalErrors != 4 {
		t.Errorf("json row %+v", got)
	}
}
