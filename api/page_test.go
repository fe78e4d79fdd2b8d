package api

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/index/sqlite"
	"github.com/dealwire/dealwire/news"
)

// newPageServer serves the browser test's stories (pageStories) from a
// SQLite index with cfg.
func newPageServer(t *testing.T, cfg Config) *httptest.Server {
	t.Helper()
	store, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "page.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	fillPageStore(t, store)
	srv := httptest.NewServer(NewHandler(cfg, store, nil, prometheus.NewRegistry()))
	t.Cleanup(srv.Close)
	return srv
}

// getPage fetches path and parses the HTML; it fails the test when the
// status is not want or the answer is not HTML.
func getPage(t *testing.T, srv *httptest.Server, path string, want int) *goquery.Document {
	t.Helper()
	code, ctype, body := get(t, srv.URL+path)
	if code != want {
		t.Fatalf("GET %s: status %d, want %d; body %.600s", path, code, want, body)
	}
	if !strings.HasPrefix(ctype, "text/html") {
		t.Fatalf("GET %s: content type %q, want text/html", path, ctype)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("GET %s: parsing the HTML: %v", path, err)
	}
	return doc
}

// texts is the text of every element sel matches.
func texts(doc *goquery.Document, sel string) []string {
	return doc.Find(sel).Map(func(_ int, s *goquery.Selection) string { return s.Text() })
}

// attrs is attribute a of every element sel matches.
func attrs(doc *goquery.Document, sel, a string) []string {
	return doc.Find(sel).Map(func(_ int, s *goquery.Selection) string { v, _ := s.Attr(a); return v })
}

// status is the page's status line.
func status(doc *goquery.Document) string { return strings.TrimSpace(doc.Find("#status").Text()) }

// TestPageResults checks that the results are in the HTML answer itself,
// with no script run: hits, evidence with the figures marked, outlets,
// confidence, facets, the chart and the export links.
func TestPageResults(t *testing.T) {
	srv := newPageServer(t, Config{})
	doc := getPage(t, srv, "/?q=raised", http.StatusOK)
	if got := status(doc); got != "4 matching articles · all deals shown" {
		t.Errorf("status %q, want 4 matching articles · all deals shown", got)
	}
	if got, want := texts(doc, "#hits .hit h2 a"), []string{
		"Helio Grid — storage maker — raises Series B", "Helio Grid lands its Series B", "Quillstone raises a seed round", "Brightmoor raises €12m",
	}; !sameSet(got, want) {
		t.Errorf("hit titles %q, want %q", got, want)
	}
	if got := attrs(doc, `#hits .hit h2 a[href^="/articles/wire01"]`, "href"); !slices.Equal(got, []string{"/articles/wire01?q=raised"}) {
		t.Errorf("link of the article wire01 %q, want /articles/wire01?q=raised (the search rides along for the way back)", got)
	}
	// The euro sign and the em dashes put byte offsets apart from character
	// offsets: a cut at the wrong unit would mark the wrong text.
	if got, want := texts(doc, "#hits blockquote.evidence mark.amount"), []string{"$40 million", "$45 million", "$9 million", "€12m"}; !sameSet(got, want) {
		t.Errorf("highlighted amounts %q, want %q", got, want)
	}
	if got := texts(doc, "#hits blockquote.evidence mark.valuation"); !slices.Equal(got, []string{"$400 million"}) {
		t.Errorf("highlighted valuations %q, want [$400 million]", got)
	}
	if got := texts(doc, "#hits blockquote.evidence mark.inv.lead"); !sameSet(got, []string{"Accel", "Accel"}) {
		t.Errorf("highlighted lead investors %q, want Accel twice", got)
	}
	if got, want := texts(doc, "#hits .meta .outlet"), []string{"Grid Wire", "Battery Blog", "Ledger Tribune", "Morning Ledger"}; !sameSet(got, want) {
		t.Errorf("outlets %q, want %q: outlet names, not hosts", got, want)
	}
	if got := texts(doc, "#hits .deal .conf"); !sameSet(got, []string{"confidence 0.91", "confidence 0.74", "confidence 0.80", "confidence 0.88"}) {
		t.Errorf("confidences %q", got)
	}
	// The chart is inline SVG in the answer: a bar per month with a deal
	// (Helio Grid counted once however many outlets report it).
	if got := attrs(doc, "#chart rect.bar", "data-month"); !slices.Equal(got, []string{"2026-03", "2026-04", "2026-05"}) {
		t.Errorf("chart bars %q, want 2026-03..05", got)
	}
	if got := doc.Find("#chart circle.amount-dot").Length(); got != 3 {
		t.Errorf("chart has %d amount dots, want 3", got)
	}
	var formats []string
	for _, l := range attrs(doc, "#exports a.export", "href") {
		u, err := url.Parse(l)
		if err != nil {
			t.Fatal(err)
		}
		formats = append(formats, u.Query().Get("format"))
		if u.Path != "/api/export" || u.Query().Get("q") != "raised" || u.Query().Get("rows") != "deals" || u.Query().Has("view") {
			t.Errorf("export link %s: want /api/export with rows=deals and q=raised, no view", l)
		}
	}
	if !slices.Equal(formats, []string{"csv", "ndjson", "parquet"}) {
		t.Errorf("export formats %q", formats)
	}
	// The form shows the search it answered.
	if v, _ := doc.Find(`#f input[name=q]`).Attr("value"); v != "raised" {
		t.Errorf("search box holds %q, want raised", v)
	}
	// The record link is the JSON of the API.
	if got := attrs(doc, "#hits a.record", "href"); !slices.Contains(got, "/api/articles/wire01") {
		t.Errorf("record links %q lack /api/articles/wire01", got)
	}
}

// TestPageFacetLinks follows the facets: each link adds its filter (and
// keeps the others), and the active one removes it again.
func TestPageFacetLinks(t *testing.T) {
	srv := newPageServer(t, Config{})
	doc := getPage(t, srv, "/?q=raised", http.StatusOK)
	accel, ok := doc.Find(`#facets a[data-p="investor"][data-v="Accel"]`).Attr("href")
	if !ok {
		t.Fatalf("no investor facet Accel; facets %q", texts(doc, "#facets a"))
	}
	if u, err := url.Parse(accel); err != nil || u.Path != "/" || u.Query().Get("investor") != "Accel" || u.Query().Get("q") != "raised" {
		t.Fatalf("Accel facet links %q, want / with investor=Accel and q=raised", accel)
	}
	doc = getPage(t, srv, accel, http.StatusOK)
	if got := status(doc); !strings.HasPrefix(got, "2 matching articles") {
		t.Errorf("with investor Accel: status %q, want 2 matching articles", got)
	}
	if got := attrs(doc, "#chart rect.bar", "data-month"); !slices.Equal(got, []string{"2026-03", "2026-04"}) {
		t.Errorf("chart with investor Accel: bars %q, want 2026-03 and 2026-04", got)
	}
	active := doc.Find(`#facets a.active[data-p="investor"]`)
	if v, _ := active.Attr("data-v"); v != "Accel" {
		t.Fatalf("active investor facet %q, want Accel", v)
	}
	// The active filter's chip and its facet both lead back without it.
	chip, _ := doc.Find(`#active a.chip[data-k="investor"]`).Attr("href")
	back, _ := active.Attr("href")
	if chip != back || chip == "" {
		t.Errorf("the chip removes investor with %q, the facet with %q; want the same address", chip, back)
	}
	if got := status(getPage(t, srv, back, http.StatusOK)); !strings.HasPrefix(got, "4 matching articles") {
		t.Errorf("after removing the investor: status %q, want 4 matching articles", got)
	}

	// The sources facet shows outlets, and filters by the source name.
	doc = getPage(t, srv, "/?view=deals", http.StatusOK)
	var sources []string
	doc.Find(`#facets a[data-p="source"]`).Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("data-v")
		sources = append(sources, v+"="+s.Find("span").First().Text())
	})
	if want := []string{"127.0.0.1=Grid Wire", "battery-blog=Battery Blog", "ledger-tribune=Ledger Tribune", "morning-ledger=Morning Ledger"}; !sameSet(sources, want) {
		t.Errorf("sources facet %q, want %q", sources, want)
	}
	// A month facet bounds the dates to that month.
	month, _ := doc.Find(`#facets a[data-p="month"][data-v="2026-04"]`).Attr("href")
	doc = getPage(t, srv, month, http.StatusOK)
	if got := texts(doc, "#hits .deal-hit h2 a"); len(got) != 1 || !strings.HasPrefix(got[0], "Quillstone") {
		t.Errorf("deals of 2026-04 %q, want Quillstone's only", got)
	}
	// The form's date field holds the month's first day, so that a search
	// from the form keeps the month.
	from, _ := doc.Find(`#f input[name=from]`).Attr("value")
	to, _ := doc.Find(`#f input[type=hidden][name=to]`).Attr("value")
	if from != "2026-04-01" || to != "2026-04-30" {
		t.Errorf("the month in the form: from %q, to %q; want 2026-04-01 and 2026-04-30", from, to)
	}
	if got := texts(getPage(t, srv, "/?round=Bridge+Loan", http.StatusOK), `#f select[name=round] option[selected]`); !slices.Equal(got, []string{"bridge loan"}) {
		t.Errorf("a round the form does not list is selected as %q, want [bridge loan]", got)
	}
	if v, _ := getPage(t, srv, "/?from=2026-04", http.StatusOK).Find(`#f input[name=from]`).Attr("value"); v != "2026-04-01" {
		t.Errorf("from=2026-04 in the form's date field: %q, want 2026-04-01", v)
	}
	if !doc.Find(`#facets a.active[data-p="month"][data-v="2026-04"]`).Is("a") {
		t.Error("the month facet set is not shown active")
	}
}

// TestPageFacetNamesEveryOutlet: the sources facet names the outlet of
// every source, also of those no hit on the page comes from.
func TestPageFacetNamesEveryOutlet(t *testing.T) {
	srv := newPageServer(t, Config{})
	want := []string{"127.0.0.1=Grid Wire", "battery-blog=Battery Blog", "ledger-tribune=Ledger Tribune", "morning-ledger=Morning Ledger"}
	for _, path := range []string{"/?view=deals&size=1", "/?size=1", "/?view=deals&size=1&sort=amount"} {
		doc := getPage(t, srv, path, http.StatusOK)
		if n := doc.Find("#hits .deal-hit, #hits .hit").Length(); n > 1 {
			t.Fatalf("%s: %d hits, want one a page", path, n)
		}
		var sources []string
		doc.Find(`#facets a[data-p="source"]`).Each(func(_ int, s *goquery.Selection) {
			v, _ := s.Attr("data-v")
			sources = append(sources, v+"="+s.Find("span").First().Text())
		})
		if !sameSet(sources, want) {
			t.Errorf("%s: sources facet %q, want %q", path, sources, want)
		}
	}
}

// TestPageDeals checks the deal cards, a deal's page and its source
// article's page, all in the HTML.
func TestPageDeals(t *testing.T) {
	srv := newPageServer(t, Config{})
	doc := getPage(t, srv, "/?view=deals&round=series+b&q=raised", http.StatusOK)
	if got := status(doc); !strings.HasPrefix(got, "1 matching deal ") {
		t.Fatalf("status %q, want 1 matching deal", got)
	}
	card := doc.Find("#hits .deal-hit")
	if got := card.Find("blockquote.evidence mark.amount").Text(); got != "$40 million" {
		t.Errorf("the card's evidence marks %q, want $40 million (Grid Wire's, which the amount was taken from)", got)
	}
	if got := card.Find(".said .outlet").Text(); got != "Grid Wire" {
		t.Errorf("the card's evidence is from %q, want Grid Wire", got)
	}
	if got := card.Find(".meta .conf").Text(); got != "confidence 0.91" {
		t.Errorf("the card's confidence %q, want 0.91 (the best of its sources)", got)
	}
	if got := card.Find(".meta a.outlet").Map(func(_ int, s *goquery.Selection) string { return s.Text() }); !slices.Equal(got, []string{"Grid Wire", "Battery Blog"}) {
		t.Errorf("the card's sources %q, want Grid Wire, Battery Blog", got)
	}
	conflict := card.Find(`.conflicts li[data-field="amount"]`).Text()
	if !strings.Contains(conflict, "USD 40M (Grid Wire)") || !strings.Contains(conflict, "USD 45M (Battery Blog)") {
		t.Errorf("the card's conflict %q, want USD 40M (Grid Wire) vs USD 45M (Battery Blog)", conflict)
	}
	if got := card.Find(".conflicts .chosen").Text(); got != "USD 40M" {
		t.Errorf("the chosen value %q, want USD 40M", got)
	}
	if got := attrs(doc, "#chart rect.bar", "data-month"); !slices.Equal(got, []string{"2026-03"}) {
		t.Errorf("chart bars %q, want 2026-03", got)
	}

	// The deal's page.
	link, _ := card.Find("a.open-deal").Attr("href")
	if !strings.HasPrefix(link, "/deals/") || !strings.Contains(link, "round=series+b") {
		t.Fatalf("deal link %q, want /deals/{id} with the search", link)
	}
	doc = getPage(t, srv, link, http.StatusOK)
	if got := texts(doc, ".deal-view .source > a.outlet"); !slices.Equal(got, []string{"Grid Wire", "Battery Blog"}) {
		t.Errorf("deal page sources %q", got)
	}
	if got := texts(doc, ".deal-view .source blockquote.evidence mark.amount"); !slices.Equal(got, []string{"$40 million", "$45 million"}) {
		t.Errorf("deal page amounts %q, want each source's own", got)
	}
	if back, _ := doc.Find("a.back").Attr("href"); !strings.Contains(back, "round=series+b") || !strings.Contains(back, "view=deals") {
		t.Errorf("way back %q, want the results of the search", back)
	}

	// Its source article with the deal's facts outlined.
	src, _ := doc.Find(`.deal-view .source[data-article="wire01"] > a.outlet`).Attr("href")
	doc = getPage(t, srv, src, http.StatusOK)
	if got := doc.Find(".article-view .outlet").Text(); got != "Grid Wire" {
		t.Errorf("article outlet %q", got)
	}
	if got, want := texts(doc, ".article-text mark.anchored"), []string{"$40 million", "Accel", "$400 million"}; !slices.Equal(got, want) {
		t.Errorf("outlined %q, want the deal's facts %q", got, want)
	}
	if got, want := strings.Join(texts(doc, ".article-text .ev-sel"), ""), pageStories()[0].sentence; got != want {
		t.Errorf("shaded %q, want the evidence sentence %q", got, want)
	}
	if got, want := doc.Find(".article-text").Text(), pageStories()[0].record(t).Article.Text; got != want {
		t.Errorf("the article's text on its page %q, want the record's %q", got, want)
	}
	if got, _ := doc.Find("a.deal-link").Attr("href"); !strings.HasPrefix(got, "/deals/") {
		t.Errorf("no link back to the deal: %q", got)
	}
}

func TestPageErrors(t *testing.T) {
	srv := newPageServer(t, Config{})
	doc := getPage(t, srv, "/?min_confidence=2&q=robots", http.StatusBadRequest)
	if got := status(doc); !strings.Contains(got, "min_confidence") || !strings.Contains(got, "want a number from 0 to 1") {
		t.Errorf("bad parameter: status %q, want the parameter named with its range", got)
	}
	if v, _ := doc.Find(`#f input[name=q]`).Attr("value"); v != "robots" {
		t.Errorf("the form after a bad parameter holds %q, want robots", v)
	}
	for _, path := range []string{"/deals/nope", "/articles/nope"} {
		if got := status(getPage(t, srv, path, http.StatusNotFound)); !strings.Contains(got, `id "nope"`) {
			t.Errorf("%s: %q, want a message naming the id", path, got)
		}
	}
	// An article opened with a deal that is gone still shows.
	doc = getPage(t, srv, "/articles/trib01?deal=gone", http.StatusOK)
	if got := doc.Find(".warning").Text(); !strings.Contains(got, `"gone"`) {
		t.Errorf("article with a missing deal: note %q", got)
	}
	if got := texts(doc, ".article-text mark.amount"); !slices.Equal(got, []string{"$9 million"}) {
		t.Errorf("article with a missing deal marks %q, want its own amount", got)
	}
}

// TestPagePaging walks the results a page at a time through the Next link.
func TestPagePaging(t *testing.T) {
	srv := newPageServer(t, Config{})
	var seen []string
	path := "/?sort=date&size=3"
	for range 3 {
		doc := getPage(t, srv, path, http.StatusOK)
		seen = append(seen, texts(doc, "#hits .hit h2 a")...)
		next, ok := doc.Find("a#more").Attr("href")
		if !ok {
			break
		}
		if first, _ := getPage(t, srv, next, http.StatusOK).Find("nav.pages a").First().Attr("href"); first != "/?size=3&sort=date" {
			t.Errorf("first page link %q, want /?size=3&sort=date", first)
		}
		path = next
	}
	if len(seen) != 4 || len(slices.Compact(slices.Sorted(slices.Values(seen)))) != 4 {
		t.Errorf("paging showed %q, want the 4 articles once each", seen)
	}
}

// TestPageEscapes serves records whose every field is hostile and checks
// that none of it reaches the page as markup.
func TestPageEscapes(t *testing.T) {
	store, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "hostile.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	const (
		title    = `Acme <script>alert("title")</script> raises`
		sentence = `Acme"><img src=x onerror=alert(1)> raised $5 million <b>now</b>.`
		company  = `Acme"><svg onload=alert(2)>`
		outlet   = `<i>Outlet</i>`
	)
	text := title + "\n" + sentence
	start := strings.Index(text, sentence)
	amount := strings.Index(text, "$5 million")
	rec := news.Record{V: news.SchemaVersion,
		Article: news.Article{V: news.SchemaVersion, ID: "h1", URL: "javascript:alert(3)", CanonicalURL: "https://example.com/h1",
			Source: `src"'<>`, Outlet: outlet, Title: title, Text: text},
		Extraction: news.Extraction{Deals: []news.Deal{{Company: company, Round: "seed",
			Amount:   &news.Money{Value: news.Decimal{Coef: 5_000_000}, Currency: "USD", Text: "$5 million", Span: news.Span{Start: amount, End: amount + len("$5 million")}},
			Evidence: sentence, EvidenceSpan: news.Span{Start: start, End: start + len(sentence)}}}},
	}
	for _, err := range store.Index(t.Context(), []news.Record{rec}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := store.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewHandler(Config{}, store, nil, nil))
	t.Cleanup(srv.Close)

	// A hostile search goes back into the form and the filter chips.
	const hostile = `</script><script>alert(4)</script>`
	code, _, body := get(t, srv.URL+"/?investor="+url.QueryEscape(hostile))
	if code != 200 || strings.Contains(body, "<script>alert") {
		t.Errorf("a hostile investor filter: status %d, or the page holds it unescaped", code)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := doc.Find(`#f input[name=investor]`).Attr("value"); v != hostile {
		t.Errorf("the investor field holds %q, want %q", v, hostile)
	}
	if got := doc.Find(`#active a.chip[data-k="investor"]`).Text(); !strings.Contains(got, hostile) {
		t.Errorf("the investor chip reads %q, want %q in it", got, hostile)
	}

	for _, path := range []string{"/?q=acme", "/articles/h1"} {
		t.Run(path, func(t *testing.T) {
			code, _, body := get(t, srv.URL+path)
			if code != 200 {
				t.Fatalf("status %d: %.400s", code, body)
			}
			for _, raw := range []string{"<script>alert", "<img src=x", "<svg onload", "<b>now", "<i>Outlet", `href="javascript:`, "</script><script>"} {
				if strings.Contains(body, raw) {
					t.Errorf("the page holds %q unescaped", raw)
				}
			}
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			// What was escaped reads back as the original text.
			if got := doc.Find(".hit h2").First().Text(); !strings.Contains(got, title) {
				t.Errorf("title reads %q, want %q", got, title)
			}
			if got := doc.Find(".outlet").First().Text(); got != outlet {
				t.Errorf("outlet reads %q, want %q", got, outlet)
			}
			if got := doc.Find("mark.amount").First().Text(); got != "$5 million" {
				t.Errorf("marked amount %q", got)
			}
			if n := doc.Find("script").Length(); n != 1 {
				t.Errorf("%d script elements, want only the page's own", n)
			}
			made := doc.Find("img, svg[onload], i, b").FilterFunction(func(_ int, s *goquery.Selection) bool {
				return s.Text() == "now" || s.Text() == "Outlet" || s.Is("img, svg")
			})
			if n := made.Length(); n != 0 {
				t.Errorf("%d elements made of the record's text", n)
			}
		})
	}
}

// TestPageWorksWithoutDeals checks the page over a backend that keeps no
// resolved deals: articles show, the deals view says why it cannot.
func TestPageWorksWithoutDeals(t *testing.T) {
	srv := newServer(t) // two records, no deals indexed
	doc := getPage(t, srv, "/", http.StatusOK)
	if got := status(doc); !strings.HasPrefix(got, "2 matching articles") {
		t.Errorf("status %q", got)
	}
	if got := doc.Find("#chart .legend").Text(); got != "No deals to chart for this query." {
		t.Errorf("chart %q, want the note that there is nothing to chart", got)
	}
}

func TestSegments(t *testing.T) {
	text := "Acme — raised €12m led by Accel."
	at := func(s string) news.Span { i := strings.Index(text, s); return news.Span{Start: i, End: i + len(s)} }
	tests := []struct {
		name string
		hs   []highlight
		want []segment
	}{
		{"none", nil, []segment{{Text: text}}},
		{"a mark", []highlight{{Span: at("€12m"), Class: "fig amount", Title: "amount raised", Mark: true}},
			[]segment{{Text: "Acme — raised "}, {Text: "€12m", Tag: "mark", Class: "fig amount", Title: "amount raised"}, {Text: " led by Accel."}}},
		{"a mark inside a sentence",
			[]highlight{{Span: at("raised €12m led"), Class: "ev"}, {Span: at("€12m"), Class: "fig", Mark: true}},
			[]segment{{Text: "Acme — "}, {Text: "raised ", Tag: "span", Class: "ev"}, {Text: "€12m", Tag: "mark", Class: "ev fig"},
				{Text: " led", Tag: "span", Class: "ev"}, {Text: " by Accel."}}},
		{"out of range, empty and mid-character spans are dropped",
			[]highlight{{Span: news.Span{Start: 5, End: 999}}, {Span: news.Span{Start: 3, End: 3}}, {Span: news.Span{Start: 6, End: 7}, Mark: true}, {Span: news.Span{Start: -1, End: 2}}},
			[]segment{{Text: text}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := segments(text, tt.hs)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("segments (-want +got):\n%s", diff)
			}
			var joined strings.Builder
			for _, s := range got {
				joined.WriteString(s.Text)
			}
			if joined.String() != text {
				t.Errorf("the segments spell %q, want the text %q", joined.String(), text)
			}
		})
	}
}

func TestEvidenceFindsFactsByText(t *testing.T) {
	// A deal record's chosen figure may point into another source's text:
	// it is then found in the sentence by its text.
	d := news.Deal{Evidence: "It raised $40 million.", EvidenceSpan: news.Span{Start: 100, End: 122},
		Amount: &news.Money{Text: "$40 million", Span: news.Span{Start: 7, End: 18}}}
	got := evidence(d)
	if len(got) != 3 || got[1].Text != "$40 million" || got[1].Tag != "mark" {
		t.Errorf("evidence %+v, want $40 million marked", got)
	}
}

func TestMoney(t *testing.T) {
	dec := func(c int64, e int32) news.Decimal { return news.Decimal{Coef: c, Exp: e} }
	max := dec(20, 6)
	tests := []struct {
		in   *news.Money
		want string
	}{
		{nil, "undisclosed"},
		{&news.Money{Value: dec(40, 6), Currency: "USD"}, "USD 40M"},
		{&news.Money{Value: dec(125, 7), Currency: "EUR"}, "EUR 1.25B"},
		{&news.Money{Value: dec(12_345, 2), Currency: "GBP", Approx: true, Qualifier: "about"}, "about GBP 1.23M"},
		{&news.Money{Value: dec(950_000, 0), Currency: "USD", Approx: true}, "~ USD 950,000"},
		{&news.Money{Value: dec(10, 6), Max: &max, Currency: "USD"}, "USD 10M–20M"},
	}
	for _, tt := range tests {
		if got := money(tt.in); got != tt.want {
			t.Errorf("money(%+v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := conflictValue("amount", "40000000 USD"); got != "USD 40M" {
		t.Errorf("conflictValue = %q", got)
	}
	if got := conflictValue("round", "series b"); got != "series b" {
		t.Errorf("conflictValue(round) = %q", got)
	}
}

// TestPageParamsCoverTheAPI checks that the page keeps every search
// parameter of the API in its address, so that a filter set by a link is
// never lost on the next search.
func TestPageParamsCoverTheAPI(t *testing.T) {
	for _, p := range []string{"q", "investor", "lead_investor", "company", "round", "currency", "source", "amount_min", "amount_usd_max",
		"valuation_usd_min", "capacity_max", "min_confidence", "from", "to", "sort", "size", "view"} {
		if !slices.Contains(pageParams, p) {
			t.Errorf("the page drops the parameter %s", p)
		}
	}
	for _, p := range []string{"after", "facets"} {
		if slices.Contains(pageParams, p) {
			t.Errorf("the page keeps %s, which it sets itself", p)
		}
	}
}

func sameSet(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}
