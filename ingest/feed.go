package ingest

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"
)

// item is one entry of a parsed feed, reduced to what an article needs.
type item struct {
	guid      string
	link      string
	title     string
	text      string // plain text of the content, or else the summary
	published time.Time
	updated   time.Time // the feed's own "updated" of the item, when given
	authors   []string
	tags      []string
	lang      string
}

// revised reports whether the feed says the item was updated after it was
// published: an edit, which is fetched and published again.
func (it item) revised() bool {
	return !it.updated.IsZero() && !it.published.IsZero() && it.updated.After(it.published.Add(time.Minute))
}

// key identifies the item within its feed: the guid, else the link.
func (it item) key() string {
	if it.guid != "" {
		return "g:" + it.guid
	}
	return "l:" + it.link
}

// parsedFeed is a feed's items plus what the poller uses from its header.
type parsedFeed struct {
	title string
	lang  string
	hub   string // WebSub hub, when advertised
	self  string
	items []item
}

// parseFeed parses an RSS, Atom or JSON feed body. contentType is the HTTP
// header (its charset wins over the XML declaration, as RFC 7303 says) and
// base resolves relative links. A bot-wall page yields [ErrBlocked], any
// other HTML or garbage [ErrNotFeed].
func parseFeed(body []byte, contentType, base string) (*parsedFeed, error) {
	f, body, err := decodeFeed(body, contentType)
	if err != nil {
		return nil, err
	}
	pf := &parsedFeed{title: capJSON(clean(f.Title), maxNameJSON), lang: normLang(f.Language)}
	pf.self = findSelf(body)
	if pf.self == "" && strings.HasPrefix(f.FeedLink, "http") {
		pf.self = f.FeedLink
	}
	pf.hub = findHub(body)
	feedLink := resolveURL(base, f.Link)
	if feedLink == "" {
		feedLink = base
	}
	for _, fi := range f.Items {
		if fi == nil {
			continue
		}
		if it := feedItem(fi, feedLink, pf.lang); it.link != "" || it.guid != "" {
			pf.items = append(pf.items, it)
		}
	}
	return pf, nil
}

// decodeFeed parses body as RSS, Atom or JSON Feed, and returns the feed
// with the body as it was parsed (UTF-8, without a byte-order mark).
func decodeFeed(body []byte, contentType string) (*gofeed.Feed, []byte, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if looksHTML(trimmed) {
		if isBotWall(body) {
			return nil, nil, ErrBlocked
		}
		return nil, nil, fmt.Errorf("html page: %w", ErrNotFeed)
	}
	body = validUTF8(xmlToUTF8(body, contentType), contentType)
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil && bytes.HasPrefix(trimmed, []byte("{")) {
		// A JSON Feed with a value of the wrong type: keep what is usable.
		if fixed, ok := lenientJSONFeed(body); ok {
			if f2, err2 := gofeed.NewParser().Parse(bytes.NewReader(fixed)); err2 == nil {
				f, err = f2, nil
			}
		}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrNotFeed, err) // %v: gofeed's errors carry no useful type
	}
	return f, body, nil
}

// feedItem is fi as an item, its links resolved against feedLink; an item
// with neither link nor guid is of no use to the caller.
func feedItem(fi *gofeed.Item, feedLink, lang string) item {
	it := item{
		guid:  capGUID(strings.TrimSpace(fi.GUID)),
		link:  httpLink(resolveURL(feedLink, fi.Link)),
		title: capJSON(clean(htmlText(fi.Title)), maxTitleJSON),
		lang:  lang,
	}
	if it.link == "" {
		for _, l := range fi.Links {
			if it.link = httpLink(resolveURL(feedLink, l)); it.link != "" {
				break
			}
		}
	}
	if it.link == "" {
		it.link = httpLink(it.guid)
	}
	content := htmlText(fi.Content)
	summary := htmlText(fi.Description)
	it.text = content
	if utf8.RuneCountInString(summary) > utf8.RuneCountInString(content) {
		it.text = summary
	}
	it.text = capJSON(it.text, maxTextJSON)
	switch {
	case fi.PublishedParsed != nil:
		it.published = fi.PublishedParsed.UTC()
	case fi.UpdatedParsed != nil:
		it.published = fi.UpdatedParsed.UTC()
	}
	if fi.UpdatedParsed != nil {
		it.updated = fi.UpdatedParsed.UTC()
	}
	for _, a := range fi.Authors {
		if a != nil && strings.TrimSpace(a.Name) != "" {
			it.authors = appendCapped(it.authors, clean(a.Name))
		}
	}
	for _, c := range fi.Categories {
		if c = clean(c); c != "" {
			it.tags = appendCapped(it.tags, c)
		}
	}
	return it
}

var xmlDecl = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding=["']([^"']*)["'][^>]*\?>`)

// xmlToUTF8 decodes an XML body whose charset the HTTP header names and
// rewrites its declaration to UTF-8. Without a header charset the body is
// left for the XML parser, which honours the declaration.
func xmlToUTF8(body []byte, contentType string) []byte {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return body
	}
	label := strings.ToLower(strings.TrimSpace(params["charset"]))
	if label == "" || label == "utf-8" || label == "utf8" || label == "us-ascii" {
		return body
	}
	r, err := charset.NewReaderLabel(label, bytes.NewReader(body))
	if err != nil {
		return body
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return body
	}
	if m := xmlDecl.FindSubmatchIndex(out); m != nil {
		out = append(append(append([]byte{}, out[:m[2]]...), "utf-8"...), out[m[3]:]...)
	}
	return out
}

// validUTF8 repairs a body that is UTF-8 (the header names no other
// charset, the XML declaration none or UTF-8, no UTF-16 byte-order mark):
// invalid bytes become U+FFFD and the control characters XML forbids become
// spaces. The XML parser refuses a whole feed for one stray byte; the repaired
// feed keeps every item.
func validUTF8(body []byte, contentType string) []byte {
	if bytes.HasPrefix(body, []byte("\xfe\xff")) || bytes.HasPrefix(body, []byte("\xff\xfe")) {
		return body
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil && !isUTF8Label(params["charset"]) {
		return body
	}
	if m := xmlDecl.FindSubmatch(body[:min(len(body), 256)]); m != nil && !isUTF8Label(string(m[1])) {
		return body
	}
	if utf8.Valid(body) && bytes.IndexFunc(body, xmlForbidden) < 0 {
		return body
	}
	body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	return bytes.Map(func(r rune) rune {
		if xmlForbidden(r) {
			return ' '
		}
		return r
	}, body)
}

// isUTF8Label reports whether a charset label, possibly empty, means UTF-8.
func isUTF8Label(label string) bool {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "", "utf-8", "utf8", "us-ascii":
		return true
	}
	return false
}

// xmlForbidden reports the control characters XML 1.0 does not allow.
func xmlForbidden(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r'
}

var hubLink = regexp.MustCompile(`<(?:atom:)?link[^>]+rel=["']hub["'][^>]*>`)
var selfLink = regexp.MustCompile(`<(?:atom:)?link[^>]+rel=["']self["'][^>]*>`)
var hrefAttr = regexp.MustCompile(`href=["']([^"']+)["']`)

// findHub returns the WebSub hub a feed advertises, if any.
func findHub(body []byte) string {
	head := body[:min(len(body), 16<<10)]
	if m := hubLink.Find(head); m != nil {
		if h := hrefAttr.FindSubmatch(m); h != nil {
			return string(h[1])
		}
	}
	return ""
}

// discoverFeed returns the first feed an HTML page links with
// <link rel="alternate" type="application/rss+xml|atom+xml|feed+json">.
func discoverFeed(body []byte, base string) string {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body[:min(len(body), 256<<10)]))
	if err != nil {
		return ""
	}
	sel := `link[rel~="alternate"][type="application/rss+xml"], link[rel~="alternate"][type="application/atom+xml"], link[rel~="alternate"][type="application/feed+json"]`
	href, _ := doc.Find(sel).First().Attr("href")
	u := resolveURL(base, href)
	if !strings.HasPrefix(u, "http") {
		return ""
	}
	return u
}

// looksHTML reports whether a body that should be a feed is an HTML page.
func looksHTML(b []byte) bool {
	head := bytes.ToLower(b[:min(len(b), 512)])
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) ||
		(bytes.Contains(head, []byte("<html")) && !bytes.Contains(head, []byte("<rss")) && !bytes.Contains(head, []byte("<feed")))
}

// htmlText turns an HTML fragment (feed content) into plain text with one
// paragraph per line pair; plain text passes through with spaces cleaned.
func htmlText(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if !strings.ContainsAny(s, "<&") {
		return clean(s)
	}
	root, err := parseHTML(s)
	if err != nil {
		return clean(s)
	}
	doc := goquery.NewDocumentFromNode(root)
	doc.Find("script, style, noscript, iframe, form, figure figcaption").Remove()
	return blockText(doc.Selection.Nodes...)
}

// clean collapses whitespace and makes s valid UTF-8.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Join(strings.Fields(s), " ")
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return list
		}
	}
	return append(list, s)
}

// normLang reduces a language tag to its primary subtag in lower case: "en-US" → "en".
func normLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	if len(s) < 2 || len(s) > 3 {
		return ""
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return s
}
