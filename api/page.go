package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// The page's templates, style sheet and script. The templates are parsed
// once; a template that does not parse is a bug that the package's tests
// catch, so parsing panics.
//
//go:embed web
var web embed.FS

var pages = parsePages("results", "deal", "article", "login")

// parsePages parses web/layout.html with each named page's template.
func parsePages(names ...string) map[string]*template.Template {
	base := template.Must(template.New("layout.html").ParseFS(web, "web/layout.html"))
	out := map[string]*template.Template{}
	for _, n := range names {
		out[n] = template.Must(template.Must(base.Clone()).ParseFS(web, "web/"+n+".html"))
	}
	return out
}

// staticFile is a file under /static/ with its ETag.
type staticFile struct {
	body        []byte
	contentType string
	etag        string
}

var static = sync.OnceValue(func() map[string]staticFile {
	out := map[string]staticFile{}
	for name, ctype := range map[string]string{"page.css": "text/css; charset=utf-8", "page.js": "text/javascript; charset=utf-8"} {
		b, err := web.ReadFile("web/" + name)
		if err != nil {
			panic(err) // impossible: the files are embedded
		}
		sum := sha256.Sum256(b)
		out[name] = staticFile{body: b, contentType: ctype, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	return out
})

// serveStatic answers GET /static/{file}: the page's style sheet and
// script, revalidated by ETag so that a new binary's files are used at once.
func serveStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := static()[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", f.etag)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}

// pageCSP allows the page its own style sheet and script and nothing else:
// no inline script or style, no other origin, no framing.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// layout is what every page's frame shows around its main part.
type layout struct {
	Title string
	// Logout shows the "Forget token" button: the server has a token and
	// this is not the token form.
	Logout bool
	// Form is the search form, nil on the token form.
	Form *searchForm
	Body any
}

// render writes page name with status, or a plain 500 when the template
// fails (it is executed into a buffer first, so no half page goes out).
func (h *handler) render(w http.ResponseWriter, status int, name string, l layout) {
	if name != "login" {
		l.Logout = h.token != ""
	}
	var buf bytes.Buffer
	if err := pages[name].ExecuteTemplate(&buf, "layout.html", l); err != nil {
		h.logger.Error("rendering the page", "page", name, "error", err)
		http.Error(w, "rendering the page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", pageCSP)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	// Pages hold index data: no shared cache keeps them, and the address
	// (the query) is not sent to the article sites the page links.
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// loginPage renders the token form; it is the gate's answer to a page
// request without the token.
func (h *handler) loginPage(w http.ResponseWriter, r *http.Request, status int, next, msg string) {
	h.render(w, status, "login", layout{Title: "token", Body: struct {
		Next, Message string
		Clear         bool // the token would cross the network in clear
		Days          int  // how long the session lasts
	}{next, msg, !overHTTPS(r) && !onLoopback(r), int(sessionTTL / (24 * time.Hour))}})
}

// The search parameters the page keeps in its address: those of the API
// ([index.Params]) less the paging cursor and the facets switch, which the
// page sets itself, plus view (articles or deals).
var pageParams = func() []string {
	var out []string
	for _, p := range index.Params {
		for name := range strings.SplitSeq(p[0], " / ") {
			if name != "after" && name != "facets" {
				out = append(out, name)
			}
		}
	}
	return append(out, "view")
}()

// formFields are the parameters the search form has a field for; the
// others set in the address travel as hidden fields.
var formFields = []string{"q", "investor", "company", "round", "amount_usd_min", "from", "sort", "view", "min_confidence"}

// rounds are the round values the form offers ([news.Deal.Round]).
var rounds = []string{"pre-seed", "seed", "series a", "series b", "series c", "series d", "series e", "series f", "growth",
	"debt", "grant", "fund", "ipo", "acquisition", "strategic", "unknown"}

// searchState is the page's search: its parameters as given (only the
// page's own, empty ones dropped) and the address of any change to them.
type searchState struct {
	v url.Values
}

func newSearchState(in url.Values) searchState {
	v := url.Values{}
	for _, p := range pageParams {
		if s := strings.TrimSpace(in.Get(p)); s != "" {
			v.Set(p, s)
		}
	}
	// The form's date field holds only a whole date: a month given as from
	// becomes its first day, which filters the same, so that the next
	// search from the form keeps it.
	if m, err := time.Parse("2006-01", v.Get("from")); err == nil {
		v.Set("from", m.Format(time.DateOnly))
	}
	return searchState{v}
}

// encode is the search as a query string, "" when empty.
func (s searchState) encode() string { return s.v.Encode() }

// with returns the results address with the parameters set (an empty
// value removes one), back on the first page.
func (s searchState) with(kv ...string) string {
	v := url.Values{}
	for k, vs := range s.v {
		v[k] = slices.Clone(vs)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	if e := v.Encode(); e != "" {
		return "/?" + e
	}
	return "/"
}

// link is path with the search appended, so that the page it opens leads
// back to these results.
func (s searchState) link(path string, extra ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	q := v.Encode()
	if e := s.encode(); e != "" {
		q = strings.TrimPrefix(q+"&"+e, "&")
	}
	if q == "" {
		return path
	}
	return path + "?" + q
}

func (s searchState) deals() bool { return s.v.Get("view") == "deals" }

// searchForm is what the search form shows.
type searchForm struct {
	Q, Investor, Company, Round, AmountUSDMin, From, Sort, View string
	// AllDeals ticks "include low-confidence deals" (min_confidence=0).
	AllDeals bool
	Rounds   []string
	Hidden   []param
}

type param struct{ Name, Value string }

func (s searchState) form() *searchForm {
	g := s.v.Get
	f := &searchForm{Q: g("q"), Investor: g("investor"), Company: g("company"), Round: g("round"),
		AmountUSDMin: g("amount_usd_min"), From: g("from"), Sort: g("sort"), View: g("view"),
		AllDeals: g("min_confidence") == "0", Rounds: rounds}
	// A round the form does not offer (from a link) is offered too, so
	// that the next search keeps it.
	f.Round = index.Key(f.Round)
	if f.Round != "" && !slices.Contains(rounds, f.Round) {
		f.Rounds = append(slices.Clone(rounds), f.Round)
	}
	for _, p := range pageParams {
		if s.v.Has(p) && (!slices.Contains(formFields, p) || p == "min_confidence" && !f.AllDeals) {
			f.Hidden = append(f.Hidden, param{p, g(p)})
		}
	}
	return f
}

// resultsView is the body of the results page.
type resultsView struct {
	Error    string
	Status   string
	Deals    bool // the hits are resolved deals
	Articles []articleHit
	Cards    []dealCard
	Facets   []facetGroup
	Active   []activeFilter
	Chart    chartView
	Exports  []exportLink
	NextURL  string
	FirstURL string
}

type facetGroup struct {
	Title   string
	Buckets []facetBucket
}

type facetBucket struct {
	Param, Value, Label, Title string
	Count                      int
	Active                     bool
	URL                        string // the results with this filter added, or removed when Active
}

type activeFilter struct {
	Param, Label, Value string
	URL                 string // the results without it
}

type exportLink struct{ Format, Label, URL string }

// results answers GET / with the page of a search: the parameters of
// /api/search (and view=deals for resolved deals) in the address, answered
// by the same code path as the API (index.ParseQuery, then the backend's
// Search or SearchDeals), with the facets, the chart and the export links
// of the query.
func (h *handler) results(w http.ResponseWriter, r *http.Request) {
	s := newSearchState(r.URL.Query())
	l := layout{Title: "deal search", Form: s.form()}
	body := resultsView{Deals: s.deals(), Active: activeFilters(s)}
	l.Body = &body
	if s.v.Get("q") != "" {
		l.Title = s.v.Get("q") + " — deal search"
	}
	q, err := h.parseQuery(r.URL.Query())
	if err != nil {
		body.Error = err.Error()
		h.render(w, http.StatusBadRequest, "results", l)
		return
	}
	q.Facets = true
	if r.URL.Query().Get("after") != "" {
		body.FirstURL = s.with()
	}
	var ds dealSearcher
	if body.Deals {
		var ok bool
		if ds, ok = h.s.(dealSearcher); !ok {
			body.Error = "this index backend does not store resolved deals: show articles instead"
			h.render(w, http.StatusNotImplemented, "results", l)
			return
		}
	}

	// The chart reads every matching deal; it runs beside the search.
	var wg sync.WaitGroup
	var chart Chart
	var chartErr error
	wg.Go(func() {
		ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
		defer cancel()
		chart, chartErr = h.chartOf(ctx, q)
	})
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
	defer cancel()
	outlets := map[string]string{} // source name -> outlet name, from the hits and then h.outlets
	pg, err := h.searchPage(ctx, ds, q, s, &body, outlets)
	wg.Wait()
	if err != nil {
		h.logger.Error("searching", "page", "results", "query", r.URL.RawQuery, "error", err)
		body.Error = "searching the index: " + err.Error()
		h.render(w, http.StatusBadGateway, "results", l)
		return
	}
	body.Chart = newChartView(chart)
	if chartErr != nil {
		h.logger.Error("searching", "page", "chart", "query", r.URL.RawQuery, "error", chartErr)
		body.Chart.Err = chartErr.Error()
	}
	body.Status = pageStatus(body.Deals, pg.total, pg.minConf)
	if pg.next != "" {
		body.NextURL = s.with("after", pg.next)
	}
	if pg.facets != nil {
		h.outlets.fill(ctx, h.s, h.logger, pg.facets.Sources, outlets)
	}
	body.Facets = facetGroups(pg.facets, s, outlets)
	body.Exports = exportLinks(s)
	h.render(w, http.StatusOK, "results", l)
}

// resultsPage is what a search for the results page answered besides its
// hits.
type resultsPage struct {
	facets  *index.Facets
	total   int
	next    string
	minConf float64
}

// searchPage runs q for the results page: resolved deals through ds when
// body shows deals, else articles, their cards or hits added to body and
// their outlets to outlets.
func (h *handler) searchPage(ctx context.Context, ds dealSearcher, q index.Query, s searchState, body *resultsView, outlets map[string]string) (resultsPage, error) {
	if body.Deals {
		res, err := h.searchDeals(ctx, ds, q)
		for _, hit := range res.Hits {
			body.Cards = append(body.Cards, newDealCard(hit.Deal, s, outlets))
		}
		return resultsPage{res.Facets, res.Total, res.Next, res.MinConfidence}, err
	}
	res, err := h.searchArticles(ctx, q)
	for _, hit := range res.Hits {
		body.Articles = append(body.Articles, newArticleHit(hit, s, outlets))
	}
	return resultsPage{res.Facets, res.Total, res.Next, res.MinConfidence}, err
}

// pageStatus is the line above the results: how many matched, and
// whether deals below a confidence are hidden.
func pageStatus(deals bool, total int, minConf float64) string {
	what := "article"
	if deals {
		what = "deal"
	}
	status := fmt.Sprintf("%d matching %s%s", total, what, plural(total))
	if minConf > 0 {
		return status + " · deals with confidence below " + strconv.FormatFloat(minConf, 'g', -1, 64) + " hidden"
	}
	return status + " · all deals shown"
}

// facetGroups turns the facets into links that add a filter, or remove it
// when it is the one set.
func facetGroups(f *index.Facets, s searchState, outlets map[string]string) []facetGroup {
	if f == nil {
		return nil
	}
	var out []facetGroup
	add := func(title, p string, buckets []index.Bucket) {
		if len(buckets) == 0 {
			return
		}
		g := facetGroup{Title: title}
		for _, b := range buckets {
			fb := facetBucket{Param: p, Value: b.Key, Label: b.Key, Count: b.Count}
			if p == "source" && outlets[b.Key] != "" {
				fb.Label, fb.Title = outlets[b.Key], "source "+b.Key
			}
			fb.Active = index.Key(s.v.Get(p)) == index.Key(b.Key)
			if fb.Active {
				fb.URL = s.with(p, "")
			} else {
				fb.URL = s.with(p, b.Key)
			}
			g.Buckets = append(g.Buckets, fb)
		}
		out = append(out, g)
	}
	add("Investors", "investor", f.Investors)
	add("Rounds", "round", f.Rounds)
	add("Currencies", "currency", f.Currencies)
	add("Sources", "source", f.Sources)
	if len(f.Months) > 0 {
		// A month filters from its first to its last day, written as dates
		// so that the form's date field can hold the first.
		g := facetGroup{Title: "Months"}
		for _, b := range f.Months {
			m, err := time.Parse("2006-01", b.Key)
			if err != nil {
				continue // impossible: both backends write months so
			}
			first, last := m.Format(time.DateOnly), m.AddDate(0, 1, -1).Format(time.DateOnly)
			fb := facetBucket{Param: "month", Value: b.Key, Label: b.Key, Count: b.Count}
			fb.Active = s.v.Get("from") == first && s.v.Get("to") == last
			if fb.Active {
				fb.URL = s.with("from", "", "to", "")
			} else {
				fb.URL = s.with("from", first, "to", last)
			}
			g.Buckets = append(g.Buckets, fb)
		}
		out = append(out, g)
	}
	return out
}

// activeFilters lists the filters set, each with the address without it.
func activeFilters(s searchState) []activeFilter {
	var out []activeFilter
	for _, p := range pageParams {
		switch p {
		case "q", "sort", "view", "size":
			continue
		}
		if v := s.v.Get(p); v != "" {
			out = append(out, activeFilter{Param: p, Label: strings.ReplaceAll(p, "_", " "), Value: v, URL: s.with(p, "")})
		}
	}
	return out
}

// exportLinks are GET /api/export of the search, one per format: the
// search's parameters, less those of the page (view, size).
func exportLinks(s searchState) []exportLink {
	var out []exportLink
	for _, f := range []string{"csv", "ndjson", "parquet"} {
		v := url.Values{"format": {f}, "rows": {"deals"}}
		for k, vs := range s.v {
			if k != "view" && k != "size" {
				v[k] = vs
			}
		}
		out = append(out, exportLink{Format: f, Label: strings.ToUpper(f), URL: "/api/export?" + v.Encode()})
	}
	return out
}

// sourceRef names one source of a deal and links its article.
type sourceRef struct {
	ArticleID, Outlet, Source, Title string
	Link                             string // the article page, with the deal's facts outlined
}

// outletOf names a source by its publication, or by its feed's name for
// records fetched before outlets were kept.
func outletOf(outlet, source string) string {
	if outlet != "" {
		return outlet
	}
	return source
}

// articleHit is one article of the results.
type articleHit struct {
	ID, Title, URL, Outlet, Source, Date string
	Link, Record                         string
	Hidden                               int
	Deals                                []dealLine
}

// dealLine is one extracted deal of an article.
type dealLine struct {
	Company, Round, Amount, Valuation, Confidence string
	Evidence                                      []segment
	Investors                                     []investorView
	Capacity                                      string
}

type investorView struct {
	Name   string
	Lead   bool
	Amount string
}

func newDealLine(d news.Deal) dealLine {
	l := dealLine{Company: d.Company, Round: d.Round, Amount: money(d.Amount), Valuation: valuation(d.Valuation),
		Confidence: confidence(d.Confidence), Evidence: evidence(d), Investors: investors(d.Investors), Capacity: capacity(d.Capacity)}
	if l.Company == "" {
		l.Company = "?"
	}
	return l
}

func investors(list []news.Investor) []investorView {
	var out []investorView
	for _, i := range list {
		v := investorView{Name: i.Name, Lead: i.Lead}
		if i.Amount != nil {
			v.Amount = money(i.Amount)
		}
		out = append(out, v)
	}
	return out
}

func capacity(cs []news.Capacity) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Text)
	}
	return strings.Join(out, ", ")
}

func newArticleHit(hit index.Hit, s searchState, outlets map[string]string) articleHit {
	a := hit.Record.Article
	if a.Outlet != "" && a.Source != "" {
		outlets[a.Source] = a.Outlet
	}
	h := articleHit{ID: hit.ID, Title: a.Title, URL: a.URL, Outlet: outletOf(a.Outlet, a.Source), Source: a.Source,
		Date: day(a.PublishedAt), Link: s.link("/articles/" + url.PathEscape(hit.ID)),
		Record: "/api/articles/" + url.PathEscape(hit.ID), Hidden: hit.HiddenDeals}
	if h.Title == "" {
		h.Title = a.URL
	}
	for _, d := range hit.Record.Extraction.Deals {
		h.Deals = append(h.Deals, newDealLine(d))
	}
	return h
}

// dealCard is one resolved deal of the results, and the head of the deal
// page.
type dealCard struct {
	ID, Link, Company, Round, Amount, Valuation, Announced, Confidence string
	Sources                                                            []sourceRef
	// Said is the evidence of the source that speaks for the amount.
	Said       []segment
	SaidBy     *sourceRef
	Investors  []investorView
	Capacity   string
	Conflicts  []conflictView
	Statements []statement // what each source said, on the deal page
}

type conflictView struct {
	Field  string
	Values []conflictValueView
}

type conflictValueView struct {
	Value, Outlets string
	Chosen         bool
}

// statement is what one source said of a deal.
type statement struct {
	sourceRef
	Date, URL, Amount, Round, Confidence string
	Evidence                             []segment
}

func newDealCard(d news.DealRecord, s searchState, outlets map[string]string) dealCard {
	c := dealCard{ID: d.ID, Link: s.link("/deals/" + url.PathEscape(d.ID)), Company: d.Company, Round: d.Round,
		Amount: money(d.Amount), Valuation: valuation(d.Valuation), Announced: day(d.AnnouncedAt),
		Confidence: confidence(d.Confidence), Investors: investors(d.Investors), Capacity: capacity(d.Capacity)}
	refs := make([]sourceRef, len(d.Sources))
	for i, src := range d.Sources {
		if src.Outlet != "" && src.Source != "" {
			outlets[src.Source] = src.Outlet
		}
		title := src.Title
		if title == "" {
			title = src.URL
		}
		refs[i] = sourceRef{ArticleID: src.ArticleID, Outlet: outletOf(src.Outlet, src.Source), Source: src.Source, Title: title,
			Link: s.link("/articles/"+url.PathEscape(src.ArticleID), "deal", d.ID)}
		c.Statements = append(c.Statements, statement{sourceRef: refs[i], Date: day(src.PublishedAt), URL: src.URL,
			Amount: money(src.Deal.Amount), Round: src.Deal.Round, Confidence: confidence(src.Deal.Confidence), Evidence: evidence(src.Deal)})
	}
	c.Sources = refs
	if i := speaker(d); i >= 0 && d.Sources[i].Deal.Evidence != "" {
		c.Said, c.SaidBy = evidence(d.Sources[i].Deal), &refs[i]
	}
	outletsOf := func(ids []string) string {
		var names []string
		for _, id := range ids {
			name := id
			if i := slices.IndexFunc(d.Sources, func(s news.DealSource) bool { return s.ArticleID == id }); i >= 0 {
				name = refs[i].Outlet
			}
			names = append(names, name)
		}
		return strings.Join(names, ", ")
	}
	for _, cf := range d.Conflicts {
		cv := conflictView{Field: cf.Field}
		for _, v := range cf.Values {
			cv.Values = append(cv.Values, conflictValueView{Value: conflictValue(cf.Field, v.Value), Outlets: outletsOf(v.ArticleIDs), Chosen: v.Chosen})
		}
		c.Conflicts = append(c.Conflicts, cv)
	}
	return c
}

// speaker is the index of the source whose text the deal's chosen amount
// was taken from (its anchor), else of the first source with an evidence
// sentence, else -1.
func speaker(d news.DealRecord) int {
	for _, a := range d.Anchors {
		if a.Field != "amount" {
			continue
		}
		if i := slices.IndexFunc(d.Sources, func(s news.DealSource) bool {
			return s.ArticleID == a.ArticleID && s.DealIndex == a.DealIndex
		}); i >= 0 {
			return i
		}
	}
	if i := slices.IndexFunc(d.Sources, func(s news.DealSource) bool { return s.Deal.Evidence != "" }); i >= 0 {
		return i
	}
	if len(d.Sources) > 0 {
		return 0
	}
	return -1
}

// detailView is the body of the deal and article pages.
type detailView struct {
	Back    string // the results this page was opened from
	Error   string
	Deal    *dealCard
	Article *articleView
}

// dealPage answers GET /deals/{id}: one resolved deal with what each of
// its sources said; the search it was opened from rides along in the
// address for the way back.
func (h *handler) dealPage(w http.ResponseWriter, r *http.Request) {
	s := newSearchState(r.URL.Query())
	body := &detailView{Back: s.with()}
	l := layout{Title: "deal", Form: s.form(), Body: body}
	ds, ok := h.s.(dealSearcher)
	if !ok {
		body.Error = "this index backend does not store resolved deals"
		h.render(w, http.StatusNotImplemented, "deal", l)
		return
	}
	id := r.PathValue("id")
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
	defer cancel()
	d, err := ds.GetDeal(ctx, id)
	if status := h.readFailed(body, "deal", id, err); status != 0 {
		h.render(w, status, "deal", l)
		return
	}
	card := newDealCard(d, s, map[string]string{})
	body.Deal = &card
	l.Title = strings.TrimSpace(d.Company + " " + d.Round)
	h.render(w, http.StatusOK, "deal", l)
}

// readFailed puts a failed read of the index into body and returns the
// status to answer with, 0 when err is nil.
func (h *handler) readFailed(body *detailView, what, id string, err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, index.ErrNotFound):
		body.Error = fmt.Sprintf("There is no %s with id %q: it may have been merged into another one since the link was made.", what, id)
		return http.StatusNotFound
	}
	h.logger.Error("reading the index", "what", what, "id", id, "error", err)
	body.Error = "reading " + what + " " + id + ": " + err.Error()
	return http.StatusBadGateway
}

// articleView is a source article's record on its page.
type articleView struct {
	ID, Title, URL, Outlet, Source, Date, Record string
	// DealLink and DealName lead to the deal the article was opened from.
	DealLink, DealName string
	DealNote           string // why that deal is not shown
	Deals              []dealLine
	Doubtful           int
	Text               []segment
}

// articlePage answers GET /articles/{id}: the record's text with every
// extracted fact highlighted and each deal's evidence sentence shaded;
// with ?deal=, the facts that deal took from this article are outlined and
// its sentence is shaded darker.
func (h *handler) articlePage(w http.ResponseWriter, r *http.Request) {
	s := newSearchState(r.URL.Query())
	body := &detailView{Back: s.with()}
	l := layout{Title: "article", Form: s.form(), Body: body}
	id := r.PathValue("id")
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
	defer cancel()
	rec, err := h.s.Get(ctx, id)
	if status := h.readFailed(body, "article", id, err); status != 0 {
		h.render(w, status, "article", l)
		return
	}
	a := rec.Article
	v := &articleView{ID: a.ID, Title: a.Title, URL: a.URL, Outlet: outletOf(a.Outlet, a.Source), Source: a.Source,
		Date: day(a.PublishedAt), Record: "/api/articles/" + url.PathEscape(a.ID), Doubtful: len(rec.Extraction.Doubtful)}
	if v.Title == "" {
		v.Title = a.URL
	}
	var deal *news.DealRecord
	if dealID := r.URL.Query().Get("deal"); dealID != "" {
		if ds, ok := h.s.(dealSearcher); ok {
			d, err := ds.GetDeal(ctx, dealID)
			switch {
			case err == nil:
				deal = &d
				v.DealLink, v.DealName = s.link("/deals/"+url.PathEscape(d.ID)), strings.TrimSpace(d.Company+" "+d.Round)
			case errors.Is(err, index.ErrNotFound):
				v.DealNote = fmt.Sprintf("The deal %q is no longer in the index; this article's facts are shown without it.", dealID)
			default:
				h.logger.Error("reading the index", "what", "deal", "id", dealID, "error", err)
				v.DealNote = "reading deal " + dealID + ": " + err.Error()
			}
		}
	}
	for _, d := range rec.Extraction.Deals {
		v.Deals = append(v.Deals, newDealLine(d))
	}
	v.Text = segments(a.Text, articleHighlights(rec, deal))
	body.Article = v
	l.Title = v.Title
	h.render(w, http.StatusOK, "article", l)
}

// articleHighlights are the ranges of an article's page: each deal's
// evidence sentence (ev, or ev-sel for the sentences of the deal it was
// opened from), every fact (doubtful deals' greyed), and that deal's
// anchored facts outlined.
func articleHighlights(rec news.Record, deal *news.DealRecord) []highlight {
	id := rec.Article.ID
	var mine []int
	if deal != nil {
		for _, src := range deal.Sources {
			if src.ArticleID == id {
				mine = append(mine, src.DealIndex)
			}
		}
	}
	var hs []highlight
	add := func(d news.Deal, selected, doubtful bool) {
		ev := "ev"
		if selected {
			ev = "ev-sel"
		}
		hs = append(hs, highlight{Span: d.EvidenceSpan, Class: ev})
		who := d.Company
		if who == "" {
			who = "?"
		}
		for _, f := range facts(d) {
			h := highlight{Span: f.Span, Class: f.Class, Title: f.Title + " of " + who + " " + d.Round, Mark: true}
			if doubtful {
				h.Class += " doubtful"
			}
			hs = append(hs, h)
		}
	}
	for i, d := range rec.Extraction.Deals {
		add(d, slices.Contains(mine, i), false)
	}
	for _, d := range rec.Extraction.Doubtful {
		add(d, false, true)
	}
	if deal != nil {
		for _, an := range deal.Anchors {
			if an.ArticleID == id {
				hs = append(hs, highlight{Span: an.Span, Class: "anchored", Title: "the deal's " + strings.ReplaceAll(an.Field, "_", " "), Mark: true})
			}
		}
	}
	return hs
}

// pageRoutes registers the page on mux.
func (h *handler) pageRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", h.results)
	mux.HandleFunc("GET /deals/{id}", h.dealPage)
	mux.HandleFunc("GET /articles/{id}", h.articlePage)
	mux.HandleFunc("GET /static/{file}", serveStatic)
}
