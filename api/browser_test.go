package api

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/deals"
	"github.com/dealwire/dealwire/index/elastic"
	"github.com/dealwire/dealwire/index/sqlite"
	"github.com/dealwire/dealwire/news"
)

// pageStore is a real index backend the browser test fills and serves.
type pageStore interface {
	searcher
	dealSearcher
	Index(ctx context.Context, recs []news.Record) []error
	IndexDeals(ctx context.Context, ds []news.DealRecord) []error
	Refresh(ctx context.Context) error
}

// chromium finds Debian's chromium (or another Chrome); under CI=true a
// missing browser fails the test, since .ci/run installs it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed: .ci/run installs it with apt-get install chromium")
	}
	t.Skip("chromium is not installed (apt-get install chromium): the page is not tested in a browser")
	return ""
}

// artefactDir is where screenshots (PNG) go: $DEALWIRE_TEST_ARTIFACTS, else the
// system's temporary directory.
func artefactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("DEALWIRE_TEST_ARTIFACTS")
	if dir == "" {
		dir = os.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// story is one article of the browser test: a text and the facts in it,
// located by their text (each occurs once after the headline).
type story struct {
	id, outlet, source string
	at                 time.Time
	title, body        string
	company, round     string
	amount             string
	value              int64
	currency           string
	usd                float64
	valuation          string
	valuationValue     int64
	investors          []string // a lead when the sentence says "led by" it
	sentence           string   // the evidence sentence, part of body
	confidence         float64
}

func (s story) record(t *testing.T) news.Record {
	t.Helper()
	text := s.title + "\n" + s.body
	at := func(sub string) news.Span {
		i := strings.Index(text[len(s.title):], sub)
		if i < 0 {
			t.Fatalf("%q not in the text of %s", sub, s.id)
		}
		i += len(s.title)
		return news.Span{Start: i, End: i + len(sub)}
	}
	d := news.Deal{
		Company: s.company, Round: s.round, Confidence: s.confidence,
		Amount:       &news.Money{Value: news.Decimal{Coef: s.value}, Currency: s.currency, Text: s.amount, Span: at(s.amount), USD: s.usd},
		Evidence:     s.sentence,
		EvidenceSpan: at(s.sentence),
	}
	if s.valuation != "" {
		d.Valuation = &news.Valuation{Money: news.Money{Value: news.Decimal{Coef: s.valuationValue}, Currency: s.currency, Text: s.valuation, Span: at(s.valuation), USD: float64(s.valuationValue)}, Basis: "post-money"}
	}
	for _, name := range s.investors {
		d.Investors = append(d.Investors, news.Investor{Name: name, Canonical: name, Lead: strings.Contains(s.sentence, "led by "+name), Span: at(name)})
	}
	return news.Record{
		V: news.SchemaVersion,
		Article: news.Article{
			V: news.SchemaVersion, ID: s.id, URL: "https://" + s.source + ".example/" + s.id, CanonicalURL: "https://" + s.source + ".example/" + s.id,
			Source: s.source, Outlet: s.outlet, Title: s.title, Text: text,
			PublishedAt: s.at, FetchedAt: s.at.Add(time.Hour),
		},
		ExtractorVersion: "test",
		ExtractedAt:      s.at.Add(2 * time.Hour),
		Extraction:       news.Extraction{Deals: []news.Deal{d}},
	}
}

// pageStories are four articles: two outlets report Helio Grid's Series B
// with different amounts (a conflict), two more report other rounds. The
// em dashes and the euro sign make byte offsets differ from the browser's
// string offsets, so a highlight cut at the wrong unit shows.
func pageStories() []story {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 0, 0, 0, time.UTC) }
	return []story{
		{id: "wire01", outlet: "Grid Wire", source: "127.0.0.1", at: day(3, 2), title: "Helio Grid — storage maker — raises Series B",
			body:     "Helio Grid — the Lisbon battery storage maker — said on Monday it raised $40 million in a Series B round led by Accel, at a valuation of $400 million. The money builds 2 GW of storage.",
			sentence: "Helio Grid — the Lisbon battery storage maker — said on Monday it raised $40 million in a Series B round led by Accel, at a valuation of $400 million.",
			company:  "Helio Grid", round: "series b", amount: "$40 million", value: 40_000_000, currency: "USD", usd: 40e6,
			valuation: "$400 million", valuationValue: 400_000_000, investors: []string{"Accel"}, confidence: 0.91},
		{id: "blog01", outlet: "Battery Blog", source: "battery-blog", at: day(3, 3), title: "Helio Grid lands its Series B",
			body:     "The battery maker Helio Grid has raised $45 million in Series B funding from Index Ventures, people familiar with the matter said.",
			sentence: "The battery maker Helio Grid has raised $45 million in Series B funding from Index Ventures, people familiar with the matter said.",
			company:  "Helio Grid", round: "series b", amount: "$45 million", value: 45_000_000, currency: "USD", usd: 45e6,
			investors: []string{"Index Ventures"}, confidence: 0.74},
		{id: "trib01", outlet: "Ledger Tribune", source: "ledger-tribune", at: day(4, 10), title: "Quillstone raises a seed round",
			body:     "Quillstone, which makes warehouse robots, raised $9 million in a seed round led by Accel.",
			sentence: "Quillstone, which makes warehouse robots, raised $9 million in a seed round led by Accel.",
			company:  "Quillstone", round: "seed", amount: "$9 million", value: 9_000_000, currency: "USD", usd: 9e6,
			investors: []string{"Accel"}, confidence: 0.8},
		{id: "morn01", outlet: "Morning Ledger", source: "morning-ledger", at: day(5, 5), title: "Brightmoor raises €12m",
			body:     "Brightmoor — heat pumps for terraced houses — raised €12m in a Series A round from Index Ventures.",
			sentence: "Brightmoor — heat pumps for terraced houses — raised €12m in a Series A round from Index Ventures.",
			company:  "Brightmoor", round: "series a", amount: "€12m", value: 12_000_000, currency: "EUR", usd: 13e6,
			investors: []string{"Index Ventures"}, confidence: 0.88},
	}
}

// fillPageStore indexes the stories and the deals the resolver makes of
// them (over a real NATS server), as the pipeline would.
func fillPageStore(t *testing.T, store pageStore) {
	t.Helper()
	var recs []news.Record
	for _, s := range pageStories() {
		recs = append(recs, s.record(t))
	}
	if errs := store.Index(t.Context(), recs); slices.ContainsFunc(errs, func(err error) bool { return err != nil }) {
		t.Fatalf("indexing records: %v", errs)
	}
	_, js := bustest.Connect(t, bustest.NewServer(t))
	r, err := deals.NewResolver(t.Context(), js, deals.Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		if _, err := r.Resolve(t.Context(), rec); err != nil {
			t.Fatalf("resolving %s: %v", rec.Article.ID, err)
		}
	}
	ds, err := r.Deals(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 3 {
		t.Fatalf("resolved %d deals, want 3 (Helio Grid from two outlets, Quillstone, Brightmoor)", len(ds))
	}
	if errs := store.IndexDeals(t.Context(), ds); slices.ContainsFunc(errs, func(err error) bool { return err != nil }) {
		t.Fatalf("indexing deals: %v", errs)
	}
	if err := store.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestPageInBrowserSQLite(t *testing.T) {
	exe := chromium(t)
	testPageInBrowser(t, exe, openSQLitePageStore(t), "sqlite")
}

func openSQLitePageStore(t *testing.T) pageStore {
	t.Helper()
	store, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "page.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

func TestPageInBrowserElasticsearch(t *testing.T) {
	exe := chromium(t)
	esURL := os.Getenv("DEALWIRE_ES_URL")
	if esURL == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("DEALWIRE_ES_URL is not set under CI: run the suite with scripts/test")
		}
		t.Skip("DEALWIRE_ES_URL not set; run scripts/test for the Elasticsearch browser test")
	}
	store, err := elastic.New(t.Context(), elastic.Config{URLs: []string{esURL}, Index: fmt.Sprintf("page-%d", time.Now().UnixNano())}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := store.Delete(context.Background()); err != nil {
			t.Logf("deleting the test index: %v", err)
		}
		store.Close()
	})
	testPageInBrowser(t, exe, store, "elasticsearch")
}

// tab is one headless chromium tab on a test server.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
	name string // the backend, in screenshot names
}

// newTab starts chromium on srv; with scripts false the page's script never
// runs, as in a browser with JavaScript off.
func newTab(t *testing.T, exe string, srv *httptest.Server, name string, scripts bool) *tab {
	t.Helper()
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 1400))
	actx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(actx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(cancelTab)
	// A bound on the whole walk so that a page that never loads fails the
	// test instead of hanging it; nothing is measured against it.
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancel)
	// Every document the tab loads records its uncaught errors and
	// rejected promises, so a script that throws fails the test even when
	// what it left on screen looks right.
	if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: `window.pageErrors = [];
		addEventListener('error', e => pageErrors.push(String(e.message)));
		addEventListener('unhandledrejection', e => pageErrors.push(String(e.reason)));`}); err != nil {
		t.Fatalf("watching the page for errors: %v", err)
	}
	if !scripts {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("turning JavaScript off: %v", err)
		}
	}
	return &tab{t: t, ctx: ctx, base: srv.URL, name: name}
}

// load runs actions that load a page (a navigation, a click on a link, a
// form's submission) and waits for it; the page must answer 200.
func (b *tab) load(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, actions...)
	if err != nil {
		b.t.Fatalf("%s: %v (the page says %q)", step, err, b.says())
	}
	if resp.Status != 200 {
		b.t.Fatalf("%s: %s answered %d (the page says %q)", step, resp.URL, resp.Status, b.says())
	}
}

// do runs actions that load nothing.
func (b *tab) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v (the page says %q)", step, err, b.says())
	}
}

// statusIs checks the results' status line.
func (b *tab) statusIs(step, want string) {
	b.t.Helper()
	if got := evaluate[string](b.t, b.ctx, step, `document.getElementById('status').textContent.trim()`); !strings.HasPrefix(got, want) {
		b.t.Fatalf("%s: the page says %q, want %q", step, got, want)
	}
}

// noErrors fails the test when a script on the page threw.
func (b *tab) noErrors(view string) {
	b.t.Helper()
	if errs := evaluate[[]string](b.t, b.ctx, "read the page's errors", `window.pageErrors || []`); len(errs) > 0 {
		b.t.Errorf("the %s threw: %v", view, errs)
	}
}

// screenshot keeps a PNG of the page as a test artefact.
func (b *tab) screenshot(label string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot of the %s: %v", label, err)
	}
	path := filepath.Join(artefactDir(b.t), fmt.Sprintf("dealwire-page-%s-%s.png", b.name, label))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot of the %s: %s", label, path)
}

// says is the page's status line, or the start of its text, for failure
// messages.
func (b *tab) says() string {
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.getElementById('status') || document.body).innerText.slice(0, 400)`))
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return s
}

// press types key with nothing focused, as one keystroke: a keyDown that
// carries its text, so that a handler that prevents its default also
// keeps the character from being typed (chromedp's KeyEvent sends the
// character as an event of its own).
func (b *tab) press(key string) {
	b.t.Helper()
	b.do("blur", chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`))
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp} {
		p := input.DispatchKeyEventParams{Type: typ, Key: key}
		if typ == input.DispatchKeyEventTypeKeyDown {
			p.Text = key
		}
		if _, err := chromedp.Call(b.ctx, input.DispatchKeyEvent, p); err != nil {
			b.t.Fatalf("pressing %s: %v", key, err)
		}
	}
}

func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// choose sets a select or checkbox of the search form and fires its change
// event, as a reader's choice does; the page's script then searches.
func choose(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		if (el.type === 'checkbox') el.checked = %q === 'on'; else el.value = %q;
		el.dispatchEvent(new Event('change', {bubbles: true}));
	})()`, sel, value, value))
}

// testPageInBrowser drives the page in headless chromium the way a reader
// does: search, apply a facet and a filter, switch to deals, open a deal,
// open its source article, and checks what each step shows. The script's
// enhancements run: the round and view choices search at once, and the
// keyboard moves between results.
func testPageInBrowser(t *testing.T, exe string, store pageStore, name string) {
	fillPageStore(t, store)
	srv := httptest.NewServer(NewHandler(Config{}, store, nil, prometheus.NewRegistry()))
	t.Cleanup(srv.Close)
	b := newTab(t, exe, srv, name, true)

	// Search.
	b.load("load the page", chromedp.Navigate(srv.URL+"/"))
	b.statusIs("load the page", "4 matching articles")
	b.load("search", chromedp.SetValue(css(`#f input[name=q]`), "raised"), chromedp.Click(css(`#f button`)))
	b.statusIs("search", "4 matching articles")
	if loc := evaluate[string](t, b.ctx, "read the address", `location.search`); strings.Contains(loc, "investor=&") || !strings.Contains(loc, "q=raised") {
		t.Errorf("the search's address %q: want q=raised and no empty fields", loc)
	}

	// A facet: the investor Accel.
	b.load("apply the investor facet", chromedp.Click(css(`#facets a[data-p="investor"][data-v="Accel"]`)))
	b.statusIs("apply the investor facet", "2 matching articles")
	chart := evaluate[chartBars](t, b.ctx, "read the chart", `({months: [...document.querySelectorAll('#chart rect.bar')].map(b => b.dataset.month),
			deals: [...document.querySelectorAll('#chart rect.bar')].map(b => b.dataset.deals),
			dots: document.querySelectorAll('#chart circle.amount-dot').length})`)
	// Accel is in Helio Grid's round (March) and Quillstone's (April).
	if !slices.Equal(chart.Months, []string{"2026-03", "2026-04"}) || !slices.Equal(chart.Deals, []string{"1", "1"}) || chart.Dots != 2 {
		t.Errorf("chart with investor Accel: bars %v with deals %v, %d amount dots; want 2026-03 and 2026-04 with 1 deal each", chart.Months, chart.Deals, chart.Dots)
	}

	// A filter: the round; choosing it searches at once.
	b.load("filter by round", choose(`#f select[name=round]`, "series b"))
	b.statusIs("filter by round", "1 matching article")
	hit := evaluate[struct{ Outlet, Amount, Investor, Conf string }](t, b.ctx, "read the article hit", `({outlet: document.querySelector('#hits .hit .meta .outlet').textContent,
		amount: document.querySelector('#hits blockquote.evidence mark.amount').textContent,
		investor: document.querySelector('#hits blockquote.evidence mark.inv').textContent,
		conf: document.querySelector('#hits .conf').textContent})`)
	if hit.Outlet != "Grid Wire" || hit.Amount != "$40 million" || hit.Investor != "Accel" || hit.Conf != "confidence 0.91" {
		t.Errorf("article hit shows outlet %q, highlighted amount %q and investor %q, %q; want Grid Wire, $40 million, Accel, confidence 0.91", hit.Outlet, hit.Amount, hit.Investor, hit.Conf)
	}

	// The deals of the same query.
	b.load("switch to deals", choose(`#f select[name=view]`, "deals"))
	b.statusIs("switch to deals", "1 matching deal")
	card := evaluate[struct {
		Amount, Valuation, Conf, Said, Conflict string
		Outlets                                 []string
		Exports                                 []string
		Bars                                    int
	}](t, b.ctx, "read the deal card", `({amount: document.querySelector('#hits .deal-hit blockquote.evidence mark.amount').textContent,
		valuation: document.querySelector('#hits .deal-hit blockquote.evidence mark.valuation').textContent,
		conf: document.querySelector('#hits .deal-hit .meta .conf').textContent,
		said: document.querySelector('#hits .deal-hit .said .outlet').textContent,
		conflict: document.querySelector('#hits .deal-hit .conflicts li[data-field="amount"]').textContent,
		outlets: [...document.querySelectorAll('#hits .deal-hit .meta a.outlet')].map(a => a.textContent),
		exports: [...document.querySelectorAll('#exports a.export')].map(a => a.href),
		bars: document.querySelectorAll('#chart rect.bar').length})`)
	if card.Amount != "$40 million" || card.Valuation != "$400 million" || card.Said != "Grid Wire" {
		t.Errorf("deal card evidence highlights %q and %q from %q; want $40 million and $400 million from Grid Wire", card.Amount, card.Valuation, card.Said)
	}
	if card.Conf != "confidence 0.91" {
		t.Errorf("deal card confidence %q, want confidence 0.91 (the best of its sources)", card.Conf)
	}
	if !slices.Equal(card.Outlets, []string{"Grid Wire", "Battery Blog"}) {
		t.Errorf("deal card sources %v, want [Grid Wire Battery Blog]: outlet names, not hosts", card.Outlets)
	}
	if !strings.Contains(card.Conflict, "USD 40M (Grid Wire)") || !strings.Contains(card.Conflict, "USD 45M (Battery Blog)") {
		t.Errorf("deal card conflict %q, want USD 40M (Grid Wire) vs USD 45M (Battery Blog)", card.Conflict)
	}
	if card.Bars != 1 {
		t.Errorf("chart of the deal query: %d bars, want 1 (March)", card.Bars)
	}
	checkExports(t, card.Exports)
	// The sources facet names the outlets; the key it filters by stays the
	// feed's source name.
	if facet := evaluate[[]string](t, b.ctx, "read the sources facet", `[...document.querySelectorAll('#facets a[data-p="source"]')].map(a => a.dataset.v + '=' + a.firstChild.textContent)`); !slices.Equal(facet, []string{"127.0.0.1=Grid Wire", "battery-blog=Battery Blog"}) {
		t.Errorf("sources facet %v, want 127.0.0.1 shown as Grid Wire and battery-blog as Battery Blog", facet)
	}
	// The keyboard: "/" goes to the search box, j to the first result.
	b.press("/")
	if got := evaluate[string](t, b.ctx, "read the focus", `document.activeElement.name + '=' + document.activeElement.value`); got != "q=raised" {
		t.Errorf(`after "/" the focus is on %q, want the search box holding raised (the key itself not typed)`, got)
	}
	b.press("j")
	if got := evaluate[string](t, b.ctx, "read the focus", `document.activeElement.className`); got != "open-deal" {
		t.Errorf(`after "j" the focus is on %q, want the first deal's link`, got)
	}
	if on := evaluate[bool](t, b.ctx, "read the key hint", `document.documentElement.classList.contains('js') && getComputedStyle(document.querySelector('.keys')).display !== 'none'`); !on {
		t.Error("with JavaScript on, the page's script did not mark the page or the keyboard hint is hidden")
	}
	b.noErrors("results")
	b.screenshot("deals")

	// Open the deal.
	b.load("open the deal", chromedp.Click(css(`#hits a.open-deal`)))
	view := evaluate[struct {
		Sources []string
		Marks   []string
		Conf    string
	}](t, b.ctx, "read the deal view", `({sources: [...document.querySelectorAll('.deal-view .source > a.outlet')].map(a => a.textContent),
		marks: [...document.querySelectorAll('.deal-view .source blockquote.evidence mark.amount')].map(m => m.textContent),
		conf: document.querySelector('.deal-view .meta .conf').textContent})`)
	if !slices.Equal(view.Sources, []string{"Grid Wire", "Battery Blog"}) || !slices.Equal(view.Marks, []string{"$40 million", "$45 million"}) || view.Conf != "confidence 0.91" {
		t.Errorf("deal view: sources %v with amounts %v, %q; want Grid Wire $40 million, Battery Blog $45 million, confidence 0.91", view.Sources, view.Marks, view.Conf)
	}
	b.noErrors("deal view")

	// Open its source article with the deal's facts highlighted.
	b.load("open the source article", chromedp.Click(css(`.deal-view .source[data-article="wire01"] > a.outlet`)))
	art := evaluate[struct {
		Outlet   string
		Anchored []string
		Sentence string
	}](t, b.ctx, "read the article view", `({outlet: document.querySelector('.article-view .outlet').textContent,
		anchored: [...document.querySelectorAll('.article-text mark.anchored')].map(m => m.textContent),
		sentence: [...document.querySelectorAll('.article-text .ev-sel')].map(m => m.textContent).join('')})`)
	if art.Outlet != "Grid Wire" {
		t.Errorf("article view outlet %q, want Grid Wire", art.Outlet)
	}
	if want := []string{"$40 million", "Accel", "$400 million"}; !slices.Equal(art.Anchored, want) {
		t.Errorf("article view outlines %q, want the deal's facts %q", art.Anchored, want)
	}
	if want := pageStories()[0].sentence; art.Sentence != want {
		t.Errorf("article view shades %q, want the evidence sentence %q", art.Sentence, want)
	}
	b.noErrors("article view")
	b.screenshot("article")

	// The way back leads to the deal results of the search.
	b.load("back to the results", chromedp.Click(css(`a.back`)))
	b.statusIs("back to the results", "1 matching deal")
}

// TestPageInBrowserWithoutJavaScript walks the page in a browser whose
// JavaScript is off: every step is a link or a form.
func TestPageInBrowserWithoutJavaScript(t *testing.T) {
	exe := chromium(t)
	store := openSQLitePageStore(t)
	fillPageStore(t, store)
	srv := httptest.NewServer(NewHandler(Config{}, store, nil, prometheus.NewRegistry()))
	t.Cleanup(srv.Close)
	b := newTab(t, exe, srv, "sqlite-noscript", false)

	b.load("load the page", chromedp.Navigate(srv.URL+"/"))
	if ran := evaluate[bool](t, b.ctx, "check that scripts are off", `document.documentElement.classList.contains('js')`); ran {
		t.Fatal("the page's script ran with JavaScript off")
	}
	if shown := evaluate[bool](t, b.ctx, "read the key hint", `getComputedStyle(document.querySelector('.keys')).display !== 'none'`); shown {
		t.Error("the keyboard hint shows with JavaScript off, where the keys do nothing")
	}
	b.statusIs("load the page", "4 matching articles")
	b.load("search", chromedp.SetValue(css(`#f input[name=q]`), "raised"), chromedp.SetValue(css(`#f select[name=view]`), "deals"), chromedp.Click(css(`#f button`)))
	b.statusIs("search", "3 matching deals")
	b.load("apply the investor facet", chromedp.Click(css(`#facets a[data-p="investor"][data-v="Index Ventures"]`)))
	b.statusIs("apply the investor facet", "2 matching deals")
	// A choice in a select changes nothing until the form is sent.
	b.do("choose a round", chromedp.SetValue(css(`#f select[name=round]`), "series a"))
	b.statusIs("choose a round", "2 matching deals")
	b.load("filter by round", chromedp.Click(css(`#f button`)))
	b.statusIs("filter by round", "1 matching deal")
	b.load("open the deal", chromedp.Click(css(`#hits a.open-deal`)))
	if got := evaluate[string](t, b.ctx, "read the deal", `document.querySelector('.deal-view .source blockquote.evidence mark.amount').textContent`); got != "€12m" {
		t.Errorf("deal view marks %q, want €12m", got)
	}
	b.load("open the article", chromedp.Click(css(`.deal-view .source > a.outlet`)))
	if got := evaluate[[]string](t, b.ctx, "read the article", `[...document.querySelectorAll('.article-text mark.anchored')].map(m => m.textContent)`); !slices.Equal(got, []string{"€12m", "Index Ventures"}) {
		t.Errorf("article view outlines %q, want €12m and Index Ventures", got)
	}
	b.screenshot("article")
}

// TestPageInBrowserWithToken signs in through the token form, browses with
// the session cookie, and forgets the token.
func TestPageInBrowserWithToken(t *testing.T) {
	exe := chromium(t)
	store := openSQLitePageStore(t)
	fillPageStore(t, store)
	srv := httptest.NewServer(NewHandler(Config{Token: testToken}, store, nil, prometheus.NewRegistry()))
	t.Cleanup(srv.Close)
	b := newTab(t, exe, srv, "sqlite-token", true)

	resp, err := chromedp.RunResponse(b.ctx, chromedp.Navigate(srv.URL+"/?q=raised&view=deals"))
	if err != nil || resp.Status != 401 {
		t.Fatalf("the page without the token: %v, status %v; want 401 with the token form", err, resp)
	}
	b.load("enter the token", chromedp.SetValue(css(`form.login input[name=token]`), testToken), chromedp.Click(css(`form.login button`)))
	b.statusIs("enter the token", "3 matching deals")
	if cookie := evaluate[string](t, b.ctx, "read the cookies", `document.cookie`); cookie != "" {
		t.Errorf("a script can read the cookies %q: the session cookie must be HttpOnly", cookie)
	}
	b.load("open a deal", chromedp.Click(css(`#hits a.open-deal`)))
	b.noErrors("deal view")
	// The record and export links work as plain links: the cookie goes
	// with them. (The page's CSP lets it fetch nothing; the record's JSON
	// has none, so the export is fetched from there.)
	b.load("open the article", chromedp.Click(css(`.deal-view .source > a.outlet`)))
	id := evaluate[string](t, b.ctx, "read the article", `document.querySelector('.article-view').dataset.article`)
	b.load("open the record", chromedp.Click(css(`a.record`)))
	if got := evaluate[string](t, b.ctx, "read the record", `JSON.parse(document.body.innerText).article.id`); got != id || id == "" {
		t.Errorf("the record link shows %q, want the record of the article %q", got, id)
	}
	export := evaluate[string](t, b.ctx, "fetch the export", `fetch('/api/export?format=csv&rows=deals').then(r => r.status + ' ' + r.headers.get('Content-Type'))`)
	if !strings.HasPrefix(export, "200 text/csv") {
		t.Errorf("the export with the session: %q, want 200 text/csv", export)
	}
	b.load("back to the page", chromedp.Navigate(srv.URL+"/?view=deals"))
	b.statusIs("back to the page", "3 matching deals")
	b.load("forget the token", chromedp.Click(css(`#forget`)))
	if n := evaluate[int](t, b.ctx, "read the page", `document.querySelectorAll('form.login input[name=token]').length`); n != 1 {
		t.Errorf("after Forget token the page shows %d token forms, want 1", n)
	}
	resp, err = chromedp.RunResponse(b.ctx, chromedp.Navigate(srv.URL+"/"))
	if err != nil || resp.Status != 401 {
		t.Errorf("the page after Forget token: %v, status %v; want 401", err, resp)
	}
}

// chartBars is what the chart draws: a bar per month with its deal count,
// and a dot per month on the amount line.
type chartBars struct {
	Months []string `json:"months"`
	Deals  []string `json:"deals"`
	Dots   int      `json:"dots"`
}

// evaluate runs a script in the page and decodes its value; a failure
// fails the test.
func evaluate[T any](t *testing.T, ctx context.Context, step, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	return v
}

// checkExports checks the export links: one per format, for deals, with
// the current query in the search API's parameter names.
func checkExports(t *testing.T, links []string) {
	t.Helper()
	var formats []string
	for _, l := range links {
		u, err := url.Parse(l)
		if err != nil {
			t.Errorf("export link %q: %v", l, err)
			continue
		}
		p := u.Query()
		formats = append(formats, p.Get("format"))
		if u.Path != "/api/export" || p.Get("rows") != "deals" || p.Get("q") != "raised" || p.Get("investor") != "Accel" || p.Get("round") != "series b" {
			t.Errorf("export link %s lacks the current query (want /api/export, rows=deals, q=raised, investor=Accel, round=series b)", l)
		}
		if p.Has("facets") || p.Has("after") || p.Has("view") {
			t.Errorf("export link %s carries a parameter of the page, not of the query", l)
		}
	}
	if !slices.Equal(formats, []string{"csv", "ndjson", "parquet"}) {
		t.Errorf("export formats %v, want csv, ndjson, parquet", formats)
	}
}
