package sample

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

//go:embed data/*.yaml
var files embed.FS

// Feed formats of an outlet.
const (
	formatRSS  = "rss"
	formatAtom = "atom"
	formatJSON = "json"
)

// outlet is one fictional publication: one data file.
type outlet struct {
	// Name is the outlet's name as readers know it; it is also the source
	// name of its feeds.
	Name string `yaml:"name"`
	// Slug is the first path segment of everything the outlet serves.
	Slug        string `yaml:"slug"`
	Description string `yaml:"description"`
	// Format is the feed format: rss, atom or json.
	Format string `yaml:"format"`
	// Lang is the outlet's language, declared by its feeds and pages.
	Lang string `yaml:"lang"`
	// CategoryFeed, when set, names a second feed (served at
	// /<slug>/<category>/feed) that repeats the articles marked Category,
	// with tracking parameters on their links.
	CategoryFeed string    `yaml:"category_feed"`
	Articles     []article `yaml:"articles"`
}

// article is one story of an outlet.
type article struct {
	Slug      string    `yaml:"slug"`
	Published time.Time `yaml:"published"`
	Author    string    `yaml:"author"`
	Title     string    `yaml:"title"`
	Tags      []string  `yaml:"tags"`
	// Summary, when set, is all the feed carries; the full text is on the
	// article's page only.
	Summary string `yaml:"summary"`
	// Body is the article text: paragraphs separated by blank lines.
	Body string `yaml:"body"`
	// CopyOf names another outlet's article ("slug/article-slug") whose
	// body this one republishes word for word (a syndicated wire story).
	CopyOf string `yaml:"copy_of"`
	// Category puts the article in the outlet's category feed too.
	Category bool `yaml:"category"`
	// Edit is a correction the outlet publishes after the first time its
	// feed was read.
	Edit *edit `yaml:"edit"`
}

// edit is a correction: text replacements and the time of the update.
type edit struct {
	Updated time.Time `yaml:"updated"`
	// Replace maps each wrong string to its correction, in title and body.
	Replace map[string]string `yaml:"replace"`
}

// Feed is one feed of the sample as the fetch stage should poll it.
type Feed struct {
	// Name is the outlet's name: the source name of the feed's articles.
	Name string
	// Path is the feed's path on the sample server.
	Path string
}

// Corpus is the whole sample, loaded and checked.
type Corpus struct {
	outlets []outlet
	// bySlug finds an outlet by its slug.
	bySlug map[string]*outlet
}

// Load reads and checks the embedded sample.
func Load() (*Corpus, error) {
	names, err := fs.Glob(files, "data/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("listing sample files: %w", err)
	}
	sort.Strings(names)
	c := &Corpus{bySlug: make(map[string]*outlet)}
	for _, n := range names {
		b, err := files.ReadFile(n)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", n, err)
		}
		var o outlet
		if err := yaml.Unmarshal(b, &o); err != nil {
			return nil, fmt.Errorf("parsing %s: %w", n, err)
		}
		c.outlets = append(c.outlets, o)
	}
	for i := range c.outlets {
		o := &c.outlets[i]
		if _, dup := c.bySlug[o.Slug]; dup || o.Slug == "" {
			return nil, fmt.Errorf("checking sample: outlet slug %q is empty or repeated", o.Slug)
		}
		c.bySlug[o.Slug] = o
	}
	if err := c.resolveCopies(); err != nil {
		return nil, err
	}
	return c, c.check()
}

// resolveCopies fills the body of every republished article from its original.
func (c *Corpus) resolveCopies() error {
	for i := range c.outlets {
		o := &c.outlets[i]
		for j := range o.Articles {
			a := &o.Articles[j]
			if a.CopyOf == "" {
				continue
			}
			src, ok := c.find(a.CopyOf)
			if !ok || src.CopyOf != "" {
				return fmt.Errorf("checking sample: %s/%s copies %q, which is not an original article", o.Slug, a.Slug, a.CopyOf)
			}
			a.Body = src.Body
		}
	}
	return nil
}

func (c *Corpus) find(ref string) (*article, bool) {
	slug, art, ok := strings.Cut(ref, "/")
	if !ok {
		return nil, false
	}
	o := c.bySlug[slug]
	if o == nil {
		return nil, false
	}
	for j := range o.Articles {
		if o.Articles[j].Slug == art {
			return &o.Articles[j], true
		}
	}
	return nil, false
}

func (c *Corpus) check() error {
	for _, o := range c.outlets {
		switch o.Format {
		case formatRSS, formatAtom, formatJSON:
		default:
			return fmt.Errorf("checking sample: outlet %s: format %q is not rss, atom or json", o.Slug, o.Format)
		}
		if o.Name == "" || o.Lang == "" {
			return fmt.Errorf("checking sample: outlet %s has no name or language", o.Slug)
		}
		seen := make(map[string]bool)
		for _, a := range o.Articles {
			where := o.Slug + "/" + a.Slug
			switch {
			case a.Slug == "" || seen[a.Slug]:
				return fmt.Errorf("checking sample: %s: slug empty or repeated", where)
			case a.Title == "" || strings.TrimSpace(a.Body) == "":
				return fmt.Errorf("checking sample: %s has no title or body", where)
			case a.Published.IsZero():
				return fmt.Errorf("checking sample: %s has no publication date", where)
			case a.Edit != nil && (len(a.Edit.Replace) == 0 || !a.Edit.Updated.After(a.Published)):
				return fmt.Errorf("checking sample: %s: an edit needs replacements and an update after publication", where)
			case a.Category && o.CategoryFeed == "":
				return fmt.Errorf("checking sample: %s is in a category feed its outlet does not have", where)
			}
			if a.Edit != nil {
				for from := range a.Edit.Replace {
					if !strings.Contains(a.Title+a.Body, from) {
						return fmt.Errorf("checking sample: %s: the edit replaces %q, which the text does not hold", where, from)
					}
				}
			}
			seen[a.Slug] = true
		}
	}
	return nil
}

// Feeds returns every feed of the sample, outlets in name order.
func (c *Corpus) Feeds() []Feed {
	var out []Feed
	for _, o := range c.outlets {
		out = append(out, Feed{Name: o.Name, Path: o.feedPath()})
		if o.CategoryFeed != "" {
			out = append(out, Feed{Name: o.Name, Path: o.categoryPath()})
		}
	}
	return out
}

// Stories counts the articles written for the sample, republished copies
// included; each has its own page.
func (c *Corpus) Stories() int {
	n := 0
	for _, o := range c.outlets {
		n += len(o.Articles)
	}
	return n
}

func (o *outlet) feedPath() string {
	switch o.Format {
	case formatAtom:
		return "/" + o.Slug + "/atom.xml"
	case formatJSON:
		return "/" + o.Slug + "/feed.json"
	default:
		return "/" + o.Slug + "/rss.xml"
	}
}

func (o *outlet) categoryPath() string {
	return "/" + o.Slug + "/" + o.CategoryFeed + "/rss.xml"
}

// pagePath is the path of an article's page.
func (o *outlet) pagePath(a *article) string {
	return path.Join("/", o.Slug, a.Published.UTC().Format("2006/01"), a.Slug)
}

// version returns the article as served: corrected when edited is true.
func (a article) version(edited bool) (title, body string, updated time.Time) {
	title, body = a.Title, a.Body
	if !edited || a.Edit == nil {
		return title, body, time.Time{}
	}
	// Longest first, so that a replacement never splits a longer one.
	froms := make([]string, 0, len(a.Edit.Replace))
	for from := range a.Edit.Replace {
		froms = append(froms, from)
	}
	sort.Slice(froms, func(i, j int) bool {
		return len(froms[i]) > len(froms[j]) || len(froms[i]) == len(froms[j]) && froms[i] < froms[j]
	})
	for _, from := range froms {
		title = strings.ReplaceAll(title, from, a.Edit.Replace[from])
		body = strings.ReplaceAll(body, from, a.Edit.Replace[from])
	}
	return title, body, a.Edit.Updated
}

// paragraphs splits a body at blank lines and joins each paragraph's lines.
func paragraphs(body string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n\n") {
		p = strings.Join(strings.Fields(p), " ")
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}
