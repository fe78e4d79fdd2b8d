package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportOPMLFile imports an OPML file into a feeds file twice: the
// second import adds nothing.
func TestImportOPMLFile(t *testing.T) {
	dir := t.TempDir()
	opml := filepath.Join(dir, "subs.opml")
	if err := os.WriteFile(opml, []byte(`<?xml version="1.0"?><opml version="2.0"><body>
<outline text="Tech"><outline type="rss" text="Example News" xmlUrl="https://news.example/feed.xml"/>
<outline type="rss" text="Other" xmlUrl="https://other.example/rss"/></outline></body></opml>`), 0o644); err != nil {
		t.Fatal(err)
	}
	feeds := filepath.Join(dir, "feeds.yaml")
	found, added, err := ImportOPML(opml, feeds)
	if err != nil || found != 2 || added != 2 {
		t.Fatalf("first import: %d found, %d added, %v; want 2, 2", found, added, err)
	}
	if found, added, err = ImportOPML(opml, feeds); err != nil || found != 2 || added != 0 {
		t.Errorf("second import: %d found, %d added, %v; want 2, 0", found, added, err)
	}
	list, err := LoadFeeds(feeds)
	if err != nil || len(list) != 2 {
		t.Errorf("feeds file holds %d feeds (%v), want 2", len(list), err)
	}
	if _, _, err := ImportOPML(filepath.Join(dir, "missing.opml"), feeds); err == nil || !strings.Contains(err.Error(), "opening opml") {
		t.Errorf("missing file: %v", err)
	}
}
