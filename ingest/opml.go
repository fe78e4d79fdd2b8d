package ingest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
	"golang.org/x/net/html/charset"
)

type opmlOutline struct {
	Text     string        `xml:"text,attr"`
	Title    string        `xml:"title,attr"`
	Type     string        `xml:"type,attr"`
	XMLURL   string        `xml:"xmlUrl,attr"`
	Category string        `xml:"category,attr"`
	Outlines []opmlOutline `xml:"outline"`
}

// ParseOPML reads the feeds of an OPML subscription list. A feed's name is
// its title made into a subject-safe slug; the titles of the folders it sits
// in and its category attribute become its tags.
func ParseOPML(r io.Reader) ([]FeedConfig, error) {
	var doc struct {
		Body struct {
			Outlines []opmlOutline `xml:"outline"`
		} `xml:"body"`
	}
	dec := xml.NewDecoder(r)
	dec.CharsetReader = charset.NewReaderLabel
	dec.Strict = false
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("parsing opml: %w", err)
	}
	var out []FeedConfig
	var walk func(os []opmlOutline, tags []string)
	walk = func(os []opmlOutline, tags []string) {
		for _, o := range os {
			title := clean(firstNonEmpty(o.Title, o.Text))
			if u := strings.TrimSpace(o.XMLURL); u != "" {
				fc := FeedConfig{Name: slug(title), URL: u}
				for _, t := range tags {
					fc.Tags = appendUnique(fc.Tags, t)
				}
				for _, c := range strings.FieldsFunc(o.Category, func(r rune) bool { return r == ',' || r == '/' }) {
					if c = clean(c); c != "" {
						fc.Tags = appendUnique(fc.Tags, c)
					}
				}
				if fc.validate() == nil {
					out = append(out, fc)
				}
			}
			sub := tags
			if o.XMLURL == "" && title != "" {
				sub = append(append([]string{}, tags...), title)
			}
			walk(o.Outlines, sub)
		}
	}
	walk(doc.Body.Outlines, nil)
	return out, nil
}

// slug turns a title into a lower-case name of letters, digits and dashes.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// MergeFeeds adds the feeds whose URL path does not yet list to the feeds
// file at path, creating it if needed, and keeps the file's comments and
// existing entries as they are. It returns how many feeds it added.
func MergeFeeds(path string, feeds []FeedConfig) (int, error) {
	var root yaml.Node
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		b = []byte("feeds: []\n")
	case err != nil:
		return 0, fmt.Errorf("reading feeds: %w", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		b = []byte("feeds: []\n")
	}
	if err := yaml.Unmarshal(b, &root); err != nil {
		return 0, fmt.Errorf("parsing feeds %s: %w", path, err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return 0, fmt.Errorf("parsing feeds %s: top level is not a mapping", path)
	}
	top := root.Content[0]
	var list *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "feeds" {
			list = top.Content[i+1]
		}
	}
	if list == nil {
		top.Content = append(top.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "feeds"}, &yaml.Node{Kind: yaml.SequenceNode})
		list = top.Content[len(top.Content)-1]
	}
	if list.Kind != yaml.SequenceNode {
		return 0, fmt.Errorf("parsing feeds %s: feeds is not a list", path)
	}
	list.Style = 0 // block style, also when the file said "feeds: []"
	var existing []FeedConfig
	if err := list.Decode(&existing); err != nil {
		return 0, fmt.Errorf("parsing feeds %s: %w", path, err)
	}
	have := make(map[string]bool)
	for _, f := range existing {
		have[f.URL] = true
	}
	added := 0
	for _, f := range feeds {
		if have[f.URL] {
			continue
		}
		have[f.URL] = true
		var n yaml.Node
		if err := n.Encode(f); err != nil {
			return added, fmt.Errorf("encoding feed %s: %w", f.URL, err)
		}
		list.Content = append(list.Content, &n)
		added++
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		return added, fmt.Errorf("encoding feeds: %w", err)
	}
	if err := enc.Close(); err != nil {
		return added, fmt.Errorf("encoding feeds: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".feeds-*.yaml")
	if err != nil {
		return added, fmt.Errorf("writing feeds: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(out.Bytes()); err != nil {
		tmp.Close()
		return added, fmt.Errorf("writing feeds: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return added, fmt.Errorf("writing feeds: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return added, fmt.Errorf("writing feeds: %w", err)
	}
	return added, nil
}

// ImportOPML adds the feeds of the OPML file at opmlPath to the feeds file
// at feedsPath ([MergeFeeds]); it returns how many feeds the OPML file
// lists and how many of them were new.
func ImportOPML(opmlPath, feedsPath string) (found, added int, err error) {
	f, err := os.Open(opmlPath)
	if err != nil {
		return 0, 0, fmt.Errorf("opening opml: %w", err)
	}
	defer f.Close()
	feeds, err := ParseOPML(f)
	if err != nil {
		return 0, 0, err
	}
	added, err = MergeFeeds(feedsPath, feeds)
	return len(feeds), added, err
}
