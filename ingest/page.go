package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
)

// Page is what [ParsePage] finds in one article page. Its JSON is the output
// of "dealwire page".
type Page struct {
	Title string `json:"title"`
	// Text is the article's main text only: paragraphs in order, separated
	// by blank lines, without the headline, navigation, ads or comments.
	Text string `json:"text"`
	// Published is the publication time, nil when none passed the sanity
	// check; DateSource says where it came from: "jsonld", "meta" or "page".
	Published    *time.Time `json:"published"`
	DateSource   string     `json:"date_source,omitempty"`
	Modified     *time.Time `json:"modified,omitempty"`
	Authors      []string   `json:"authors"`
	CanonicalURL string     `json:"canonical_url"`
	Lang         string     `json:"lang"`
	Description  string     `json:"description,omitempty"`
	SiteName     string     `json:"site_name,omitempty"`
	Image        string     `json:"image,omitempty"`
	Tags         []string   `json:"tags,omitempty"`
	// Type is the schema.org type of the JSON-LD article, e.g. "NewsArticle".
	Type string `json:"type,omitempty"`
	// TextSource is "trafilatura" or "jsonld" (the JSON-LD articleBody was
	// fuller than what the extractor found).
	TextSource string `json:"text_source,omitempty"`
	// Blocked is set when the page is a bot wall (challenge or consent page).
	Blocked bool `json:"blocked,omitempty"`

	// ldBody is the JSON-LD articleBody as text. Paywalled pages often carry
	// the whole article there while showing a teaser; the poller prefers it
	// when it is fuller than Text, which stays what a reader sees.
	ldBody string
}

// dateCheck holds the sanity rules for publication dates.
type dateCheck struct {
	min  time.Time
	skew time.Duration
	now  time.Time
}

// ok reports whether t can be a publication date: not zero, not before the
// earliest believable date, not in the future beyond the allowed skew.
func (d dateCheck) ok(t time.Time) bool {
	return !t.IsZero() && !t.Before(d.min) && !t.After(d.now.Add(d.skew))
}

// ParsePage reads one HTML document and extracts its main text and metadata.
// pageURL is the document's address (it resolves relative links and is the
// canonical URL when the page names none); it may be empty. The charset comes
// from a BOM or a meta tag, else UTF-8 or windows-1252 by content.
func ParsePage(r io.Reader, pageURL string) (Page, error) {
	cfg := DefaultConfig()
	body, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return Page{}, fmt.Errorf("reading page: %w", err)
	}
	return parsePage(body, "", pageURL, dateCheck{min: cfg.MinDate, skew: cfg.MaxFutureSkew, now: time.Now()})
}

func parsePage(body []byte, contentType, pageURL string, dc dateCheck) (Page, error) {
	doc, err := parseHTML(decodeHTML(body, contentType))
	if err != nil {
		return Page{}, err
	}
	gq := goquery.NewDocumentFromNode(doc)
	capDocument(doc)
	meta := readMeta(gq)
	ld := readJSONLD(gq)

	p := Page{Authors: []string{}}
	tm := p.readText(doc, gq, meta, ld, pageURL)
	p.readDates(meta, ld, tm, dc)
	p.readAuthors(meta, ld, tm)

	canon := ""
	if href, ok := gq.Find(`link[rel~="canonical"]`).First().Attr("href"); ok {
		canon = resolveURL(pageURL, href)
	}
	if canon == "" {
		canon = resolveURL(pageURL, firstNonEmpty(meta["og:url"], ld.url))
	}
	p.CanonicalURL = pickCanonical(canon, pageURL)

	lang, _ := gq.Find("html").First().Attr("lang")
	p.Lang = normLang(firstNonEmpty(lang, meta["content-language"], meta["og:locale"], ld.lang, meta["dc.language"], tm.Language))
	p.Description = capJSON(firstNonEmpty(ld.description, meta["og:description"], meta["description"], tm.Description), maxNameJSON)
	p.SiteName = capJSON(firstNonEmpty(meta["og:site_name"], ld.publisher, tm.Sitename), maxNameJSON)
	p.Image = httpLink(resolveURL(pageURL, firstNonEmpty(meta["og:image"], meta["twitter:image"], tm.Image)))
	p.Type = ld.typ
	for _, t := range append(ld.keywords, strings.Split(meta["news_keywords"], ",")...) {
		if t = clean(t); t != "" {
			p.Tags = appendCapped(p.Tags, t)
		}
	}
	p.Blocked = isBotWall(body) && utf8.RuneCountInString(p.Text) < 1500
	return p, nil
}

// readText sets p's title and text: the main content as go-trafilatura
// finds it, or the JSON-LD article body where that is the better text. It
// returns what go-trafilatura read of the page's metadata.
func (p *Page) readText(doc *html.Node, gq *goquery.Document, meta map[string]string, ld ldArticle, pageURL string) trafilatura.Metadata {
	var base *url.URL
	if pageURL != "" {
		var err error
		if base, err = url.Parse(pageURL); err != nil || !base.IsAbs() {
			base = nil
		}
	}
	opts := trafilatura.Options{
		OriginalURL:     base,
		EnableFallback:  true,
		ExcludeComments: true,
		HtmlDateMode:    trafilatura.Fast,
	}
	var tm trafilatura.Metadata
	if res, err := extractMain(doc, opts); err == nil && res != nil {
		tm = res.Metadata
		if res.ContentNode != nil {
			p.Text = blockText(res.ContentNode)
			p.TextSource = "trafilatura"
		}
	}

	// Title: the article's own headline before the document title, which
	// often carries the site name.
	titles := []string{ld.headline, meta["og:title"], meta["twitter:title"], tm.Title, clean(gq.Find("h1").First().Text()), clean(gq.Find("title").First().Text())}
	p.Title = firstNonEmpty(titles...)
	// Every form of the headline counts: go-trafilatura shortens the
	// document title at " – " and " | ", which the body's first paragraph
	// does not.
	p.Text = dropLeadingTitle(p.Text, titles...)
	p.ldBody = strings.ToValidUTF8(htmlText(ld.body), "\uFFFD")
	if body := p.ldBody; useLDBody(body, p.Text) {
		p.Text = body
		p.TextSource = "jsonld"
	}
	p.Text = capJSON(strings.ToValidUTF8(p.Text, "\uFFFD"), maxTextJSON)
	p.ldBody = capJSON(p.ldBody, maxTextJSON)
	p.Title = capJSON(p.Title, maxTitleJSON)
	return tm
}

// readDates sets p's publication and modification dates. Publication:
// JSON-LD, then meta tags, then what the date finder read from the page;
// each must pass the sanity check.
func (p *Page) readDates(meta map[string]string, ld ldArticle, tm trafilatura.Metadata, dc dateCheck) {
	for _, c := range []struct{ src, v string }{
		{"jsonld", ld.published},
		{"meta", meta["article:published_time"]}, {"meta", meta["og:published_time"]},
		{"meta", meta["datepublished"]}, {"meta", meta["pubdate"]}, {"meta", meta["publishdate"]},
		{"meta", meta["publish-date"]}, {"meta", meta["parsely-pub-date"]}, {"meta", meta["sailthru.date"]},
		{"meta", meta["dc.date.issued"]}, {"meta", meta["dcterms.created"]}, {"meta", meta["date"]},
		{"meta", meta["article.published"]}, {"meta", meta["cxenseparse:recs:publishtime"]},
	} {
		if t, ok := parseDate(c.v); ok && dc.ok(t) {
			p.Published, p.DateSource = &t, c.src
			break
		}
	}
	if p.Published == nil && dc.ok(tm.Date) {
		t := tm.Date.UTC()
		p.Published, p.DateSource = &t, "page"
	}
	for _, v := range []string{ld.modified, meta["article:modified_time"], meta["og:updated_time"], meta["datemodified"]} {
		if t, ok := parseDate(v); ok && dc.ok(t) {
			p.Modified = &t
			break
		}
	}
}

// readAuthors sets p's authors: JSON-LD's, else the first meta tag (or
// go-trafilatura's reading) that names any.
func (p *Page) readAuthors(meta map[string]string, ld ldArticle, tm trafilatura.Metadata) {
	for _, a := range ld.authors {
		p.Authors = appendCapped(p.Authors, a)
	}
	if len(p.Authors) > 0 {
		return
	}
	for _, v := range []string{meta["author"], meta["article:author"], meta["parsely-author"], meta["sailthru.author"], tm.Author} {
		for _, a := range strings.Split(v, ";") {
			if a = clean(a); a != "" && !strings.Contains(a, "://") {
				p.Authors = appendCapped(p.Authors, a)
			}
		}
		if len(p.Authors) > 0 {
			return
		}
	}
}

// maxNesting is the element depth past which parseHTML drops tags. The
// HTML parser refuses documents nested deeper than 512 elements.
const maxNesting = 256

// parseHTML parses an HTML document. One nested past what the parser takes
// (100,000 unclosed <div> or <b> tags) is parsed again with the tags past
// maxNesting dropped, so that its text is still read.
func parseHTML(s string) (*html.Node, error) {
	doc, err := html.Parse(strings.NewReader(s))
	if err == nil {
		return doc, nil
	}
	doc, err = html.Parse(strings.NewReader(flattenHTML(s, maxNesting)))
	if err != nil {
		return nil, fmt.Errorf("parsing html: %w", err)
	}
	return doc, nil
}

// flattenHTML returns s without the start tags that open past depth levels
// of elements and without the end tags that close them. Depth is counted on
// the tokens, so elements that close themselves (<p><p>, <li><li>) count as
// open: this only serves documents the parser refused.
func flattenHTML(s string, depth int) string {
	var out strings.Builder
	out.Grow(len(s))
	z := html.NewTokenizer(strings.NewReader(s))
	open := 0
	dropped := map[string]int{}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out.String()
		case html.StartTagToken:
			name, _ := z.TagName()
			if voidElements[string(name)] {
				break
			}
			if open >= depth {
				dropped[string(name)]++
				continue
			}
			open++
		case html.EndTagToken:
			name, _ := z.TagName()
			if dropped[string(name)] > 0 {
				dropped[string(name)]--
				continue
			}
			if !voidElements[string(name)] && open > 0 {
				open--
			}
		}
		out.Write(z.Raw())
	}
}

// voidElements never have content or an end tag.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "param": true, "source": true, "track": true, "wbr": true,
}

// extractMain runs the main-text extractor. A panic inside it (a defect on
// some odd document) costs that page its extracted text, not the process.
func extractMain(doc *html.Node, opts trafilatura.Options) (res *trafilatura.ExtractResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("extracting main text: panic: %v", r)
		}
	}()
	return trafilatura.ExtractDocument(doc, opts)
}

// pickCanonical normalises the page's declared canonical URL, ignoring one
// that points at a site's front page from a deeper page (a common template
// bug) or is not http(s); it falls back to the page's own address.
func pickCanonical(canon, pageURL string) string {
	if c, err := NormalizeURL(canon); err == nil && len(c) <= maxURLLen {
		cu, _ := url.Parse(c)
		pu, perr := url.Parse(pageURL)
		if !(cu.Path == "/" && perr == nil && pu.Path != "" && pu.Path != "/") {
			return c
		}
	}
	if c, err := NormalizeURL(pageURL); err == nil {
		return c
	}
	return ""
}

var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)`)

// decodeHTML returns body as UTF-8, with the charset from the header, a BOM
// or a meta tag (looked for in the first 64 KiB, further than the HTML
// standard's 1024 bytes, because real pages put it late); undeclared bodies
// that are valid UTF-8 are taken as such, others as windows-1252.
func decodeHTML(body []byte, contentType string) string {
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	if !certain && name == "windows-1252" {
		if m := metaCharset.FindSubmatch(body[:min(len(body), 64<<10)]); m != nil {
			if e, n := charset.Lookup(string(m[1])); e != nil {
				enc, name = e, n
			}
		} else if utf8.Valid(body) {
			enc, name = encoding.Nop, "utf-8"
		}
	}
	if name == "utf-8" {
		return strings.ToValidUTF8(string(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))), "\uFFFD")
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return strings.ToValidUTF8(string(body), "\uFFFD")
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

// The main-text extractor runs regular expressions over meta content and
// text: a 200 KB meta list of 100,000 authors cost it a gigabyte of
// allocations, and a 10 MB paragraph of figures two gigabytes. Nothing past
// these sizes can reach an article (see maxTextJSON), so they are cut first.
const (
	// maxMetaContent bounds a meta tag's content.
	maxMetaContent = 4 << 10
	// maxTextNode bounds one text node, twice the text an article keeps.
	maxTextNode = 2 * maxTextJSON
)

// capDocument cuts every meta content attribute to maxMetaContent bytes and
// every text node to maxTextNode bytes, at rune boundaries.
func capDocument(n *html.Node) {
	switch {
	case n.Type == html.TextNode && len(n.Data) > maxTextNode:
		n.Data = cutRunes(n.Data, maxTextNode)
	case n.Type == html.ElementNode && n.Data == "meta":
		for i, a := range n.Attr {
			if a.Key == "content" && len(a.Val) > maxMetaContent {
				n.Attr[i].Val = cutRunes(a.Val, maxMetaContent)
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		capDocument(c)
	}
}

// cutRunes returns the longest prefix of s of at most n bytes that ends on
// a rune boundary.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// readMeta collects meta tags by lower-cased name, property, itemprop or
// http-equiv; the first of each wins. <time itemprop=datePublished> counts too.
func readMeta(doc *goquery.Document) map[string]string {
	m := make(map[string]string)
	doc.Find("meta").Each(func(_ int, s *goquery.Selection) {
		content, ok := s.Attr("content")
		if !ok {
			return
		}
		content = strings.TrimSpace(content)
		for _, attr := range []string{"property", "name", "itemprop", "http-equiv"} {
			if k, ok := s.Attr(attr); ok {
				k = strings.ToLower(strings.TrimSpace(k))
				if _, dup := m[k]; !dup && content != "" {
					m[k] = content
				}
			}
		}
	})
	if _, ok := m["datepublished"]; !ok {
		if v, ok := doc.Find(`[itemprop="datePublished"]`).First().Attr("datetime"); ok {
			m["datepublished"] = v
		}
	}
	return m
}

// ldArticle is what we use from a JSON-LD article object.
type ldArticle struct {
	typ, headline, published, modified, body, url, lang, description, publisher string
	authors, keywords                                                           []string
}

// readJSONLD finds the first Article-like object (NewsArticle, BlogPosting,
// ReportageNewsArticle...) in the page's JSON-LD blocks, looking into arrays
// and @graph.
func readJSONLD(doc *goquery.Document) ldArticle {
	var found ldArticle
	done := false
	doc.Find(`script[type="application/ld+json"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		raw := strings.TrimSpace(s.Text())
		var v any
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			// Raw newlines inside strings are the usual defect; retry without them.
			if err := json.Unmarshal([]byte(strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(raw)), &v); err != nil {
				return true
			}
		}
		if obj := findArticle(v, 0); obj != nil {
			found = toLDArticle(obj)
			done = true
		}
		return !done
	})
	return found
}

func findArticle(v any, depth int) map[string]any {
	if depth > 6 {
		return nil
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if o := findArticle(e, depth+1); o != nil {
				return o
			}
		}
	case map[string]any:
		if isArticleType(x["@type"]) {
			return x
		}
		for _, k := range []string{"@graph", "mainEntity", "mainEntityOfPage"} {
			if o := findArticle(x[k], depth+1); o != nil {
				return o
			}
		}
	}
	return nil
}

func isArticleType(t any) bool {
	switch x := t.(type) {
	case string:
		return strings.HasSuffix(x, "Article") || strings.HasSuffix(x, "BlogPosting") || x == "Report"
	case []any:
		for _, e := range x {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

func toLDArticle(o map[string]any) ldArticle {
	a := ldArticle{
		headline:    clean(htmlText(ldString(o["headline"]))),
		published:   ldString(o["datePublished"]),
		modified:    ldString(o["dateModified"]),
		body:        ldString(o["articleBody"]),
		url:         ldString(o["url"]),
		lang:        ldString(o["inLanguage"]),
		description: clean(htmlText(ldString(o["description"]))),
	}
	if a.headline == "" {
		a.headline = clean(htmlText(ldString(o["name"])))
	}
	if a.published == "" {
		a.published = ldString(o["dateCreated"])
	}
	switch t := o["@type"].(type) {
	case string:
		a.typ = t
	case []any:
		if len(t) > 0 {
			a.typ = ldString(t[0])
		}
	}
	a.authors = ldNames(o["author"])
	if len(a.authors) == 0 {
		a.authors = ldNames(o["creator"])
	}
	if p := ldNames(o["publisher"]); len(p) > 0 {
		a.publisher = p[0]
	}
	switch k := o["keywords"].(type) {
	case string:
		a.keywords = strings.Split(k, ",")
	case []any:
		for _, e := range k {
			a.keywords = append(a.keywords, ldString(e))
		}
	}
	return a
}

// ldString reads a JSON-LD value that should be text: a string, or an
// object with @value, @id or name.
func ldString(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case map[string]any:
		return firstNonEmpty(ldString(x["@value"]), ldString(x["name"]), ldString(x["@id"]))
	case []any:
		if len(x) > 0 {
			return ldString(x[0])
		}
	}
	return ""
}

// ldNames reads person or organisation names from a string, an object or a list.
func ldNames(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		for _, n := range strings.Split(x, ",") {
			if n = clean(n); n != "" && !strings.Contains(n, "://") {
				out = appendCapped(out, n)
			}
		}
	case map[string]any:
		if n := clean(ldString(x["name"])); n != "" {
			out = append(out, n)
		}
	case []any:
		for _, e := range x[:min(len(x), maxList)] {
			for _, n := range ldNames(e) {
				out = appendCapped(out, n)
			}
		}
	}
	return out
}

var dateLayouts = []string{
	time.RFC3339Nano, time.RFC3339,
	"2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 Z0700", "2006-01-02 15:04:05",
	"2006-01-02 15:04", "2006-01-02",
	time.RFC1123Z, time.RFC1123, time.RFC850, time.RFC822Z, time.RFC822, time.ANSIC,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
	"January 2, 2006 15:04", "January 2, 2006", "Jan 2, 2006", "2 January 2006", "2 Jan 2006",
	"2006/01/02 15:04:05", "2006/01/02", "20060102",
}

// parseDate reads the date formats that feeds and pages use; times without
// a zone are taken as UTC.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}, false
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// blockText renders HTML nodes as plain text: one paragraph per block
// element, paragraphs separated by a blank line, whitespace collapsed. It
// knows the element names of both HTML and trafilatura's output tree.
func blockText(nodes ...*html.Node) string {
	var paras []string
	var b strings.Builder
	// boundary is set at the edges of inline elements. Extractors trim the
	// text around elements ("your <code>Dockerfile</code>to ensure"), so a
	// space goes back in where two words would otherwise run together.
	boundary := false
	var last rune
	flush := func() {
		if t := clean(b.String()); t != "" {
			paras = append(paras, t)
		}
		b.Reset()
		boundary, last = false, 0
	}
	write := func(s string) {
		if s == "" {
			return
		}
		first, _ := utf8.DecodeRuneInString(s)
		if boundary && isWordRune(last) && isWordRune(first) {
			b.WriteByte(' ')
		}
		b.WriteString(s)
		last, _ = utf8.DecodeLastRuneInString(s)
		boundary = false
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			write(n.Data)
			return
		case html.ElementNode:
			name := strings.ToLower(n.Data)
			switch name {
			case "script", "style", "noscript", "template", "svg", "button", "select", "textarea":
				return
			case "br", "lb", "hr":
				flush()
				return
			case "td", "th", "cell":
				b.WriteByte(' ')
				last = ' '
			}
			if blockElements[name] || name == "code" && !inlineParent(n) {
				flush()
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
				flush()
				return
			}
			boundary = true
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
			boundary = true
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	flush()
	return strings.Join(paras, "\n\n")
}

// isWordRune reports whether r is a letter or digit.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

var blockElements = map[string]bool{
	"p": true, "div": true, "section": true, "article": true, "main": true, "header": true, "footer": true,
	"aside": true, "nav": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"head": true, "ul": true, "ol": true, "li": true, "list": true, "item": true, "dl": true, "dt": true,
	"dd": true, "blockquote": true, "quote": true, "pre": true, "table": true, "tr": true,
	"row": true, "figure": true, "figcaption": true, "address": true, "doc": true, "body": true,
	"details": true, "summary": true, "tbody": true, "thead": true, "tfoot": true, "caption": true,
}

// inlineParent reports whether n sits inside running text, so that a <code>
// there is a word in a sentence rather than a code block.
func inlineParent(n *html.Node) bool {
	if n.Parent == nil || n.Parent.Type != html.ElementNode {
		return false
	}
	switch strings.ToLower(n.Parent.Data) {
	case "p", "li", "item", "td", "th", "cell", "h1", "h2", "h3", "h4", "h5", "h6", "head",
		"a", "ref", "span", "em", "strong", "b", "i", "hi", "dd", "dt", "figcaption", "caption":
		return true
	}
	return false
}

// dropLeadingTitle removes a first paragraph that only repeats the headline
// in any of the forms given.
func dropLeadingTitle(text string, titles ...string) string {
	first, rest, _ := strings.Cut(text, "\n\n")
	first = clean(first)
	if first == "" {
		return text
	}
	for _, t := range titles {
		if strings.EqualFold(first, clean(t)) {
			return rest
		}
	}
	return text
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// botWallMarkers are strings that challenge, block and consent pages carry
// and ordinary article pages do not. Scripts that bot-management services
// inject into every page (Cloudflare's /cdn-cgi/challenge-platform/scripts/jsd,
// Imperva's /_Incapsula_Resource, DataDome's tags.js) are deliberately absent.
var botWallMarkers = [][]byte{
	[]byte("<title>just a moment...</title>"), []byte("window._cf_chl_opt"), []byte("cf-browser-verification"),
	[]byte("/orchestrate/chl_page"), []byte("/orchestrate/managed/"), []byte("/orchestrate/jsch/"),
	[]byte("attention required! | cloudflare"), []byte("checking your browser before accessing"),
	[]byte(`id="challenge-form"`), []byte(`id="px-captcha"`), []byte("captcha-delivery.com"),
	[]byte("incapsula incident id"), []byte("<title>access denied</title>"),
	[]byte("verify you are human"), []byte("are you a robot?"),
	[]byte("consent.yahoo.com"), []byte("guce.yahoo.com"), []byte("before you continue to google"),
}

// isBotWall reports whether an HTML body carries a bot-wall marker. Callers
// pair it with a text-length test: real articles may mention these words.
func isBotWall(body []byte) bool {
	head := bytes.ToLower(body[:min(len(body), 256<<10)])
	for _, m := range botWallMarkers {
		if bytes.Contains(head, m) {
			return true
		}
	}
	return false
}

// useLDBody reports whether the JSON-LD articleBody should replace the
// extracted text: only when the extractor found next to nothing next to it
// (a page that renders its text with script). A paywalled page's visible
// teaser stays the text, as a reader sees it, rather than the full body.
func useLDBody(body, extracted string) bool {
	nb, ne := utf8.RuneCountInString(body), utf8.RuneCountInString(extracted)
	return nb > 0 && ne < 500 && nb > 3*ne
}
