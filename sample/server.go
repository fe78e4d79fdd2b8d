package sample

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// trackingQuery is what the category feeds append to their links, as
// newsletters and social buttons do; the fetch stage drops it from the
// canonical URL, so both feeds' items are one article.
const trackingQuery = "utm_source=rss&utm_medium=feed&utm_campaign=funding"

// Server serves the sample's feeds and pages. Each outlet's corrections go
// live from the second request of its main feed on, as if the outlet had
// fixed them between two polls.
type Server struct {
	c *Corpus
	// mu guards requests.
	mu sync.Mutex
	// requests counts the requests of each outlet's main feed, by slug.
	requests map[string]int
}

// NewServer returns a handler serving c.
func NewServer(c *Corpus) *Server {
	return &Server{c: c, requests: make(map[string]int)}
}

// Handler serves the sample on a fresh [Server].
func (c *Corpus) Handler() http.Handler { return NewServer(c) }

func (s *Server) countRequest(slug string) {
	s.mu.Lock()
	s.requests[slug]++
	s.mu.Unlock()
}

// edited reports whether the outlet's corrections are live.
func (s *Server) edited(slug string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[slug] >= 2
}

// ServeHTTP serves /robots.txt, the index, each outlet's feeds and pages.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	base := "http://" + r.Host
	p := r.URL.Path
	switch p {
	case "/robots.txt":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		return
	case "/":
		s.serveIndex(w, base)
		return
	}
	for i := range s.c.outlets {
		o := &s.c.outlets[i]
		if !strings.HasPrefix(p, "/"+o.Slug+"/") {
			continue
		}
		switch p {
		case o.feedPath():
			s.countRequest(o.Slug)
			s.serveFeed(w, base, o, false)
			return
		case o.categoryPath():
			if o.CategoryFeed != "" {
				s.serveFeed(w, base, o, true)
				return
			}
		}
		for j := range o.Articles {
			if a := &o.Articles[j]; o.pagePath(a) == p {
				s.servePage(w, base, o, a)
				return
			}
		}
	}
	http.NotFound(w, r)
}

// items returns the entries of one feed of o, newest first.
func (s *Server) items(base string, o *outlet, category bool) []feedItem {
	edited := s.edited(o.Slug)
	var out []feedItem
	for j := range o.Articles {
		a := &o.Articles[j]
		if category && !a.Category {
			continue
		}
		title, body, updated := a.version(edited)
		it := feedItem{
			id:        "urn:sample:" + o.Slug + ":" + a.Slug,
			link:      base + o.pagePath(a),
			title:     title,
			author:    a.Author,
			tags:      a.Tags,
			published: a.Published.UTC(),
			updated:   updated.UTC(),
			summary:   a.Summary,
		}
		if category {
			it.link += "?" + trackingQuery
		}
		if a.Summary == "" {
			it.content = htmlParagraphs(body)
			it.summary = firstSentence(paragraphs(body)[0])
		}
		out = append(out, it)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].published.After(out[j].published) })
	return out
}

// feedItem is one entry, in whatever format it is written.
type feedItem struct {
	id, link, title, author string
	tags                    []string
	published, updated      time.Time
	// summary is a teaser; content, when set, the full text as HTML.
	summary, content string
}

func (s *Server) serveFeed(w http.ResponseWriter, base string, o *outlet, category bool) {
	items := s.items(base, o, category)
	title := o.Name
	self := base + o.feedPath()
	if category {
		title += " – " + o.CategoryFeed
		self = base + o.categoryPath()
	}
	var err error
	switch {
	case o.Format == formatAtom && !category:
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		err = writeAtom(w, base, self, title, o, items)
	case o.Format == formatJSON && !category:
		w.Header().Set("Content-Type", "application/feed+json; charset=utf-8")
		err = writeJSONFeed(w, base, self, title, o, items)
	default:
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		err = writeRSS(w, base, self, title, o, items)
	}
	if err != nil {
		// The response has started; all that is left is to cut it short.
		panic(http.ErrAbortHandler)
	}
}

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Content string     `xml:"xmlns:content,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Self        atomLink  `xml:"atom:link"`
	Description string    `xml:"description"`
	Language    string    `xml:"language"`
	Items       []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        rssGUID  `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Creator     string   `xml:"dc:creator,omitempty"`
	Categories  []string `xml:"category"`
	Description string   `xml:"description"`
	Content     string   `xml:"content:encoded,omitempty"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

func writeRSS(w http.ResponseWriter, base, self, title string, o *outlet, items []feedItem) error {
	doc := rssDoc{
		Version: "2.0",
		Content: "http://purl.org/rss/1.0/modules/content/",
		DC:      "http://purl.org/dc/elements/1.1/",
		Atom:    "http://www.w3.org/2005/Atom",
		Channel: rssChannel{
			Title: title, Link: base + "/" + o.Slug + "/", Description: o.Description, Language: o.Lang,
			Self: atomLink{Href: self, Rel: "self", Type: "application/rss+xml"},
		},
	}
	for _, it := range items {
		// RSS 2.0 has no update date: a corrected item just changes.
		doc.Channel.Items = append(doc.Channel.Items, rssItem{
			Title: it.title, Link: it.link, GUID: rssGUID{IsPermaLink: "false", Value: it.id},
			PubDate: it.published.Format(time.RFC1123Z), Creator: it.author, Categories: it.tags,
			Description: it.summary, Content: it.content,
		})
	}
	if _, err := fmt.Fprint(w, xml.Header); err != nil {
		return err
	}
	return xml.NewEncoder(w).Encode(doc)
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Link       atomLink       `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Author     *atomPerson    `xml:"author,omitempty"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    *atomText      `xml:"content,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

func writeAtom(w http.ResponseWriter, base, self, title string, o *outlet, items []feedItem) error {
	f := atomFeed{
		Lang: o.Lang, Title: title, ID: "urn:sample:" + o.Slug,
		Links: []atomLink{{Href: base + "/" + o.Slug + "/"}, {Href: self, Rel: "self", Type: "application/atom+xml"}},
	}
	var newest time.Time
	for _, it := range items {
		updated := it.published
		if !it.updated.IsZero() {
			updated = it.updated
		}
		if updated.After(newest) {
			newest = updated
		}
		e := atomEntry{
			Title: it.title, ID: it.id, Link: atomLink{Href: it.link, Rel: "alternate", Type: "text/html"},
			Published: it.published.Format(time.RFC3339), Updated: updated.Format(time.RFC3339),
		}
		if it.author != "" {
			e.Author = &atomPerson{Name: it.author}
		}
		for _, t := range it.tags {
			e.Categories = append(e.Categories, atomCategory{Term: t})
		}
		if it.summary != "" {
			e.Summary = &atomText{Type: "text", Value: it.summary}
		}
		if it.content != "" {
			e.Content = &atomText{Type: "html", Value: it.content}
		}
		f.Entries = append(f.Entries, e)
	}
	f.Updated = newest.Format(time.RFC3339)
	if _, err := fmt.Fprint(w, xml.Header); err != nil {
		return err
	}
	return xml.NewEncoder(w).Encode(f)
}

type jsonFeed struct {
	Version     string     `json:"version"`
	Title       string     `json:"title"`
	HomePageURL string     `json:"home_page_url"`
	FeedURL     string     `json:"feed_url"`
	Description string     `json:"description,omitempty"`
	Language    string     `json:"language"`
	Items       []jsonItem `json:"items"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	ContentHTML   string       `json:"content_html,omitempty"`
	Summary       string       `json:"summary,omitempty"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified,omitempty"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

func writeJSONFeed(w http.ResponseWriter, base, self, title string, o *outlet, items []feedItem) error {
	f := jsonFeed{
		Version: "https://jsonfeed.org/version/1.1", Title: title, HomePageURL: base + "/" + o.Slug + "/",
		FeedURL: self, Description: o.Description, Language: o.Lang, Items: []jsonItem{},
	}
	for _, it := range items {
		ji := jsonItem{
			ID: it.id, URL: it.link, Title: it.title, ContentHTML: it.content, Summary: it.summary,
			DatePublished: it.published.Format(time.RFC3339), Tags: it.tags,
		}
		if !it.updated.IsZero() {
			ji.DateModified = it.updated.Format(time.RFC3339)
		}
		if it.author != "" {
			ji.Authors = []jsonAuthor{{Name: it.author}}
		}
		f.Items = append(f.Items, ji)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}

// pageData is what the page template shows.
type pageData struct {
	Lang, Outlet, OutletURL, Title, Author, URL string
	Published                                   time.Time
	Updated                                     time.Time
	Paragraphs                                  []string
	LD                                          template.JS
	Related                                     []related
}

type related struct{ Title, URL string }

func (s *Server) servePage(w http.ResponseWriter, base string, o *outlet, a *article) {
	title, body, updated := a.version(s.edited(o.Slug))
	d := pageData{
		Lang: o.Lang, Outlet: o.Name, OutletURL: base + "/" + o.Slug + "/", Title: title, Author: a.Author,
		URL: base + o.pagePath(a), Published: a.Published.UTC(), Updated: updated.UTC(), Paragraphs: paragraphs(body),
	}
	ld := map[string]any{
		"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
		"datePublished": d.Published.Format(time.RFC3339), "inLanguage": o.Lang,
		"publisher": map[string]any{"@type": "Organization", "name": o.Name},
	}
	if !updated.IsZero() {
		ld["dateModified"] = d.Updated.Format(time.RFC3339)
	}
	if a.Author != "" {
		ld["author"] = map[string]any{"@type": "Person", "name": a.Author}
	}
	b, err := json.Marshal(ld)
	if err != nil {
		http.Error(w, "encoding page metadata", http.StatusInternalServerError)
		return
	}
	d.LD = template.JS(b)
	for j := range o.Articles {
		if r := &o.Articles[j]; r != a && len(d.Related) < 3 {
			d.Related = append(d.Related, related{Title: r.Title, URL: base + o.pagePath(r)})
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := pageTemplate.Execute(w, d); err != nil {
		panic(http.ErrAbortHandler)
	}
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<title>{{.Title}} | {{.Outlet}}</title>
<link rel="canonical" href="{{.URL}}">
<meta property="og:type" content="article">
<meta property="og:title" content="{{.Title}}">
<meta property="og:site_name" content="{{.Outlet}}">
<meta property="og:url" content="{{.URL}}">
<meta property="article:published_time" content="{{.Published.Format "2006-01-02T15:04:05Z07:00"}}">
{{if .Author}}<meta name="author" content="{{.Author}}">{{end}}
<script type="application/ld+json">{{.LD}}</script>
</head>
<body>
<header class="masthead"><a href="{{.OutletURL}}">{{.Outlet}}</a>
<nav><a href="{{.OutletURL}}">Home</a> <a href="{{.OutletURL}}funding/">Funding</a> <a href="{{.OutletURL}}energy/">Energy</a> <a href="{{.OutletURL}}newsletter/">Newsletter</a></nav>
</header>
<main>
<article>
<h1>{{.Title}}</h1>
<p class="byline">{{if .Author}}{{.Author}} · {{end}}<time datetime="{{.Published.Format "2006-01-02T15:04:05Z07:00"}}">{{.Published.Format "2 January 2006"}}</time>{{if not .Updated.IsZero}} · updated <time datetime="{{.Updated.Format "2006-01-02T15:04:05Z07:00"}}">{{.Updated.Format "2 January 2006 15:04"}}</time>{{end}}</p>
{{range .Paragraphs}}<p>{{.}}</p>
{{end}}</article>
<aside class="related"><h2>More from {{.Outlet}}</h2><ul>
{{range .Related}}<li><a href="{{.URL}}">{{.Title}}</a></li>
{{end}}</ul></aside>
</main>
<footer><p>{{.Outlet}} is a fictional publication of the dealwire sample. Every company, investor and person in it is invented.</p></footer>
</body>
</html>
`))

func (s *Server) serveIndex(w http.ResponseWriter, base string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var b strings.Builder
	b.WriteString("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>dealwire sample</title></head><body><h1>dealwire sample feeds</h1><p>Fictional outlets written for dealwire.</p><ul>")
	for _, f := range s.c.Feeds() {
		fmt.Fprintf(&b, "<li><a href=\"%s%s\">%s</a></li>", base, template.HTMLEscapeString(f.Path), template.HTMLEscapeString(f.Name+" "+f.Path))
	}
	b.WriteString("</ul></body></html>\n")
	fmt.Fprint(w, b.String())
}

// htmlParagraphs renders paragraphs as HTML for a feed's content.
func htmlParagraphs(body string) string {
	var b strings.Builder
	for _, p := range paragraphs(body) {
		b.WriteString("<p>")
		b.WriteString(template.HTMLEscapeString(p))
		b.WriteString("</p>\n")
	}
	return b.String()
}

// firstSentence is a feed's teaser: the first sentence of the first paragraph.
func firstSentence(p string) string {
	for i := 0; i+1 < len(p); i++ {
		if (p[i] == '.' || p[i] == '!' || p[i] == '?') && p[i+1] == ' ' && i > 40 {
			return p[:i+1]
		}
	}
	return p
}
