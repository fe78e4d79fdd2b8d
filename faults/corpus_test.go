package faults

import (
	"fmt"
	"html"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealwire/dealwire/dedup"
	"github.com/dealwire/dealwire/ingest"
	"github.com/dealwire/dealwire/news"
)

// story is one generated article: a report of one funding round (deal >= 0)
// or company news without one (deal == -1).
type story struct {
	outlet    string // the feed that publishes it
	slug      string
	title     string
	paras     []string
	published time.Time
	deal      int
	// syndicated articles appear a second time, in the aggregator feed,
	// under a link with other tracking parameters.
	syndicated bool
}

// round is one generated funding round.
type round struct {
	company string
	round   string // as deals.NormalizeRound writes it: "seed", "series a"...
}

// outlets publish the stories; the aggregator republishes some of the RSS
// outlets' stories. "wire" puts tracking parameters on its own links.
var (
	rssOutlets = []string{"wire", "techdaily", "fundingnews"}
	atomOutlet = "eurotech"
	aggregator = "aggregator"
)

var (
	syllables1 = []string{"Vel", "Quor", "Brin", "Tal", "Mor", "Zen", "Ost", "Kal", "Drav", "Pel", "Sor", "Lum", "Fen",
		"Cor", "Ner", "Hal", "Tir", "Wen", "Gar", "Rho", "Bel", "Cad", "Lor", "Vax", "Jun", "Elm", "Iro", "Sab", "Tov", "Yar"}
	syllablesMid = []string{"", "a", "o", "er", "in"}
	syllables2   = []string{"mora", "vant", "ith", "ara", "esse", "quin", "ova", "ent", "ora", "ix", "ano", "ellis", "wick",
		"ton", "ley", "bury", "ida", "aro", "eon", "ux"}
	sectors = []struct{ word, desc, product, customers string }{
		{"Robotics", "warehouse robotics", "warehouse robots", "retailers"},
		{"Health", "digital health", "patient monitoring software", "hospitals"},
		{"Energy", "battery storage", "grid batteries", "utilities"},
		{"Analytics", "data analytics", "forecasting software", "manufacturers"},
		{"Bio", "biotech", "enzyme therapies", "clinics"},
		{"Pay", "payments", "payment terminals for small shops", "merchants"},
		{"Logistics", "freight logistics", "route planning software", "hauliers"},
		{"Foods", "food technology", "plant-based cheese", "supermarkets"},
		{"Security", "cybersecurity", "identity protection software", "banks"},
		{"Materials", "advanced materials", "recycled building panels", "builders"},
		{"Learning", "education technology", "language learning apps", "schools"},
		{"Heat", "climate technology", "heat pumps", "housing associations"},
	}
	cities = []string{"Lisbon", "Tallinn", "Lyon", "Porto", "Leeds", "Austin", "Denver", "Oslo", "Ghent", "Utrecht",
		"Bristol", "Turin", "Valencia", "Aarhus", "Bilbao", "Gdansk", "Tampere", "Cork", "Graz", "Nantes"}
	countries = []string{"Germany", "France", "Spain", "Italy", "Poland", "Canada", "Mexico", "Japan", "Brazil",
		"Sweden", "Austria", "Ireland", "Portugal", "Norway", "Finland", "Denmark"}
	funds = []string{"Harrowgate Ventures", "Blue Fen Capital", "Northmere Partners", "Stonecrop Ventures",
		"Lanternfield Capital", "Greyhaven Partners", "Copperline Ventures", "Eastwold Capital", "Silverbirch Ventures",
		"Marlowe Peak Partners", "Redwater Growth", "Kestrel Bay Ventures", "Oakhurst Capital", "Tidewell Partners"}
	firstNames = []string{"Ana", "Tomas", "Ines", "Karl", "Maja", "Pieter", "Lucia", "Oskar", "Nadia", "Ruben",
		"Elin", "Marco", "Sofie", "Jonas", "Clara", "Emil", "Lena", "Hugo", "Irene", "Felix"}
	lastNames = []string{"Ribeiro", "Kask", "Moreau", "Lindqvist", "Novak", "de Vries", "Ferraro", "Berg", "Haddad",
		"Ortega", "Virtanen", "Costa", "Jensen", "Meyer", "Duarte", "Holm", "Brandt", "Keane", "Rossi", "Aalto"}
	days = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}
)

// amountStyles write an amount in millions in a currency.
var amountStyles = []func(sym string, m float64) string{
	func(sym string, m float64) string { return sym + fmtMillions(m) + " million" },
	func(sym string, m float64) string { return sym + fmtMillions(m) + "m" },
	func(sym string, m float64) string { return sym + fmtMillions(m) + "M" },
}

func fmtMillions(m float64) string { return strconv.FormatFloat(m, 'f', -1, 64) }

// facts fill a story's templates.
type facts struct {
	co, city, city2, lead, p1, p2, round, amt, day string
	sector                                         int
	name1, name2, name3, country, country2         string
	r                                              *rand.Rand
}

func (f facts) sec() (word, desc, product, customers string) {
	s := sectors[f.sector]
	return s.word, s.desc, s.product, s.customers
}

var titleTemplates = []func(f facts) string{
	func(f facts) string {
		return fmt.Sprintf("%s raises %s %s led by %s", f.co, f.amt, roundTitle(f.round), f.lead)
	},
	func(f facts) string {
		_, _, product, _ := f.sec()
		return fmt.Sprintf("%s's %s lands %s to scale %s", f.city, f.co, f.amt, product)
	},
	func(f facts) string {
		return fmt.Sprintf("%s secures %s in %s funding", f.co, f.amt, roundTitle(f.round))
	},
	func(f facts) string { return fmt.Sprintf("%s backs %s in %s round", f.lead, f.co, f.amt) },
	func(f facts) string {
		_, desc, _, _ := f.sec()
		return fmt.Sprintf("%s closes %s %s to grow its %s business", f.co, f.amt, roundTitle(f.round), desc)
	},
}

var leadTemplates = []func(f facts) string{
	func(f facts) string {
		_, desc, _, _ := f.sec()
		return fmt.Sprintf("%s, a %s %s startup, said on %s it has raised %s in a %s round led by %s.",
			f.co, f.city, desc, f.day, f.amt, roundText(f.round), f.lead)
	},
	func(f facts) string {
		_, desc, _, _ := f.sec()
		return fmt.Sprintf("%s company %s has closed a %s %s round. %s led the round, with participation from %s and %s.",
			capitalize(desc), f.co, f.amt, roundText(f.round), f.lead, f.p1, f.p2)
	},
	func(f facts) string {
		return fmt.Sprintf("%s announced a %s %s financing round led by %s and joined by existing investor %s.",
			f.co, f.amt, roundText(f.round), f.lead, f.p1)
	},
	func(f facts) string {
		_, _, product, _ := f.sec()
		return fmt.Sprintf("%s has led a %s %s investment in %s, the %s maker of %s.",
			f.lead, f.amt, roundText(f.round), f.co, f.city, product)
	},
	func(f facts) string {
		_, _, product, _ := f.sec()
		return fmt.Sprintf("%s-based %s, which makes %s, has raised %s in %s funding. The round was led by %s.",
			f.city, f.co, product, f.amt, roundText(f.round), f.lead)
	},
}

var newsTemplates = []func(f facts) (title, lead string){
	func(f facts) (string, string) {
		_, _, product, _ := f.sec()
		return fmt.Sprintf("%s opens an office in %s", f.co, f.city2),
			fmt.Sprintf("%s, the %s maker of %s, said on %s it will open an office in %s to be closer to its customers.",
				f.co, f.city, product, f.day, f.city2)
	},
	func(f facts) (string, string) {
		return fmt.Sprintf("%s names %s chief executive", f.co, f.name3),
			fmt.Sprintf("%s has appointed %s as chief executive, the %s company said on %s, replacing co-founder %s.",
				f.co, f.name3, f.city, f.day, f.name1)
	},
}

var fillers = []func(f facts) string{
	func(f facts) string {
		return fmt.Sprintf("The company was founded in %d by %s and %s, and now employs %d people across %d offices.",
			2012+f.r.IntN(12), f.name1, f.name2, 12+f.r.IntN(400), 1+f.r.IntN(6))
	},
	func(f facts) string {
		return fmt.Sprintf("It plans to hire %d engineers and to expand into %s and %s over the next %d years.",
			5+f.r.IntN(90), f.country, f.country2, 2+f.r.IntN(4))
	},
	func(f facts) string {
		_, _, product, customers := f.sec()
		return fmt.Sprintf("%s says its %s now serve more than %d %s, up from %d a year ago.",
			f.co, product, 100+f.r.IntN(5000), customers, 10+f.r.IntN(90))
	},
	func(f facts) string {
		return fmt.Sprintf("Revenue grew %d percent last year, according to chief executive %s.", 20+f.r.IntN(300), f.name1)
	},
	func(f facts) string {
		return fmt.Sprintf("%s, a partner at %s, will join the board of %s as part of the agreement.", f.name3, f.lead, f.co)
	},
	func(f facts) string {
		return fmt.Sprintf("Competitors include larger incumbents in %s, but %s argues that its approach cuts costs for customers by %d percent.",
			f.country, f.co, 10+f.r.IntN(60))
	},
	func(f facts) string {
		_, _, _, customers := f.sec()
		return fmt.Sprintf("The startup counts %d of the twenty largest %s in %s among its clients.", 2+f.r.IntN(15), customers, f.country2)
	},
	func(f facts) string {
		return fmt.Sprintf("%s previously spent %d years at a consultancy in %s before starting the business with %s.",
			f.name1, 3+f.r.IntN(15), f.city2, f.name2)
	},
	func(f facts) string {
		return fmt.Sprintf("The team expects to open a second site in %s next spring and to double its headcount by %d.",
			f.city2, 2027+f.r.IntN(3))
	},
	func(f facts) string {
		_, desc, _, _ := f.sec()
		return fmt.Sprintf("Analysts in %s say demand for %s has grown quickly since %d, when several rivals in %s shut down.",
			f.city, desc, 2015+f.r.IntN(10), f.country)
	},
	func(f facts) string {
		return fmt.Sprintf("%s first drew attention in %d when it won a regional innovation prize in %s.",
			f.co, 2016+f.r.IntN(9), f.city2)
	},
	func(f facts) string {
		return fmt.Sprintf("Its largest customer, a group based in %s, signed a %d-year contract with %s in the autumn.",
			f.country2, 2+f.r.IntN(6), f.co)
	},
}

func roundText(r string) string {
	if strings.HasPrefix(r, "series ") {
		return "Series " + strings.ToUpper(r[len("series "):])
	}
	return r
}

func roundTitle(r string) string { return capitalize(roundText(r)) }

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// generate makes n unique articles from templates: reports of funding
// rounds (about a third of the rounds reported by two outlets in other
// words) and some company news without a round. The same seed gives the
// same corpus.
func generate(n int, seed uint64) (stories []story, rounds []round) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	person := func() string { return pick(firstNames) + " " + pick(lastNames) }
	usedNames := map[string]bool{}
	company := func() (string, int) {
		for {
			first := pick(syllables1) + pick(syllablesMid) + pick(syllables2)
			if usedNames[first] {
				continue
			}
			usedNames[first] = true
			s := r.IntN(len(sectors))
			return first + " " + sectors[s].word, s
		}
	}
	base := time.Now().UTC().Add(-40 * 24 * time.Hour).Truncate(time.Hour)
	outletOf := func() string {
		if r.IntN(4) == 0 {
			return atomOutlet
		}
		return pick(rssOutlets)
	}
	var fps []uint64
	for len(stories) < n {
		co, sector := company()
		f := facts{co: co, sector: sector, city: pick(cities), city2: pick(cities), lead: pick(funds), p1: pick(funds), p2: pick(funds),
			day: pick(days), name1: person(), name2: person(), name3: person(), country: pick(countries), country2: pick(countries), r: r}
		at := base.Add(time.Duration(len(stories)) * 37 * time.Minute)
		body := func(first string) []string {
			ps := []string{first}
			for _, i := range r.Perm(len(fillers))[:3+r.IntN(2)] {
				ps = append(ps, fillers[i](f))
			}
			return ps
		}
		slug := func() string {
			return strings.ToLower(strings.ReplaceAll(co, " ", "-")) + "-" + strconv.Itoa(len(stories))
		}
		// add appends a story, with other filler sentences while it is too
		// close to an earlier one by the extract stage's near-duplicate
		// measure (SimHash of short texts sharing templates can come close).
		add := func(mk func() story) {
			for range 50 {
				s := mk()
				fp := dedup.Fingerprint(s.text())
				if !slices.ContainsFunc(fps, func(o uint64) bool { return dedup.Distance(fp, o) <= minDistance }) {
					stories, fps = append(stories, s), append(fps, fp)
					return
				}
			}
			panic("generating a corpus: no distinct story after 50 tries")
		}
		if r.IntN(10) == 0 {
			title, lead := newsTemplates[r.IntN(len(newsTemplates))](f)
			add(func() story {
				return story{outlet: outletOf(), slug: slug(), title: title, paras: body(lead), published: at, deal: -1}
			})
			continue
		}
		rd := []string{"seed", "series a", "series b", "series c"}[r.IntN(4)]
		millions := map[string]float64{"seed": 1, "series a": 6, "series b": 20, "series c": 50}[rd] * float64(2+r.IntN(8)) / 2
		sym := []string{"$", "€", "£"}[r.IntN(3)]
		f.round = rd
		rounds = append(rounds, round{company: co, round: rd})
		reports := 1
		if r.IntN(3) == 0 && len(stories)+1 < n {
			reports = 2
		}
		titles, leads := r.Perm(len(titleTemplates)), r.Perm(len(leadTemplates))
		outlets := []string{outletOf()}
		for len(outlets) < reports {
			if o := outletOf(); o != outlets[0] {
				outlets = append(outlets, o)
			}
		}
		for k := range reports {
			f.amt = amountStyles[r.IntN(len(amountStyles))](sym, millions)
			title, lead := titleTemplates[titles[k]](f), leadTemplates[leads[k]](f)
			add(func() story {
				return story{outlet: outlets[k], slug: slug(), title: title, paras: body(lead),
					published: at.Add(time.Duration(k) * 3 * time.Hour), deal: len(rounds) - 1}
			})
		}
	}
	for i := range stories {
		stories[i].syndicated = stories[i].outlet != atomOutlet && r.IntN(3) == 0
	}
	return stories, rounds
}

// minDistance is the least SimHash distance between two generated stories:
// the extract stage merges articles up to 8 bits apart; a margin keeps the
// expected count independent of that threshold's exact value.
const minDistance = 12

// text is the article text the fetch stage builds from a feed item: the
// title, a newline, then the paragraphs.
func (s story) text() string { return s.title + "\n" + strings.Join(s.paras, "\n\n") }

// newsFeeds serves the outlets' feeds over HTTP. Only the first revealed
// stories are in them, so the test decides when articles arrive; a feed
// answers 304 to a poll that carries the ETag of what it last served.
type newsFeeds struct {
	srv     *httptest.Server
	stories []story

	mu       sync.Mutex // guards revealed
	revealed int
}

func newNewsFeeds(t testing.TB, stories []story) *newsFeeds {
	t.Helper()
	nf := &newsFeeds{stories: stories}
	nf.srv = httptest.NewServer(http.HandlerFunc(nf.serve))
	t.Cleanup(nf.srv.Close)
	return nf
}

// feeds names the feeds of the configuration.
func (nf *newsFeeds) feeds() []string {
	return append(append(slices.Clone(rssOutlets), atomOutlet), aggregator)
}

func (nf *newsFeeds) feedURL(outlet string) string { return nf.srv.URL + "/feeds/" + outlet + ".xml" }

// canonical is a story's address without tracking parameters.
func (nf *newsFeeds) canonical(s story) string {
	return nf.srv.URL + "/" + s.outlet + "/news/" + s.slug
}

// link is the story's address as feed shows it.
func (nf *newsFeeds) link(s story, feed string) string {
	switch {
	case feed == aggregator:
		return nf.canonical(s) + "?utm_source=aggregator&utm_medium=rss&utm_campaign=funding-" + s.outlet
	case s.outlet == "wire":
		return nf.canonical(s) + "?utm_source=wire&utm_medium=feed"
	}
	return nf.canonical(s)
}

// articleID is the id the pipeline gives the story.
func (nf *newsFeeds) articleID(t testing.TB, s story) string {
	t.Helper()
	c, err := ingest.NormalizeURL(nf.link(s, s.outlet))
	if err != nil {
		t.Fatal(err)
	}
	if s.syndicated {
		c2, err := ingest.NormalizeURL(nf.link(s, aggregator))
		if err != nil || c2 != c {
			t.Fatalf("the aggregator's link to %s normalises to %s, want %s (%v)", s.slug, c2, c, err)
		}
	}
	return news.ArticleID(c)
}

// reveal puts the first n stories into the feeds.
func (nf *newsFeeds) reveal(n int) {
	nf.mu.Lock()
	defer nf.mu.Unlock()
	nf.revealed = max(nf.revealed, min(n, len(nf.stories)))
}

func (nf *newsFeeds) shown() int {
	nf.mu.Lock()
	defer nf.mu.Unlock()
	return nf.revealed
}

// items counts the feed items of the revealed stories, syndicated copies included.
func (nf *newsFeeds) items() int {
	n := 0
	for _, s := range nf.stories[:nf.shown()] {
		n++
		if s.syndicated {
			n++
		}
	}
	return n
}

func (nf *newsFeeds) serve(w http.ResponseWriter, r *http.Request) {
	feed, ok := strings.CutPrefix(r.URL.Path, "/feeds/")
	feed, ok2 := strings.CutSuffix(feed, ".xml")
	if !ok || !ok2 {
		http.NotFound(w, r)
		return
	}
	shown := nf.shown()
	etag := fmt.Sprintf(`"%s-%d"`, feed, shown)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	var sel []story
	for _, s := range nf.stories[:shown] {
		if s.outlet == feed || feed == aggregator && s.syndicated {
			sel = append(sel, s)
		}
	}
	slices.Reverse(sel) // newest first, as feeds are
	w.Header().Set("ETag", etag)
	var b strings.Builder
	esc := html.EscapeString
	if feed == atomOutlet {
		w.Header().Set("Content-Type", "application/atom+xml")
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Euro Tech Funding</title><id>urn:faults:%s</id><updated>%s</updated>`,
			feed, time.Now().UTC().Format(time.RFC3339))
		for _, s := range sel {
			fmt.Fprintf(&b, `<entry><title>%s</title><link href="%s"/><id>urn:faults:%s</id><published>%s</published><updated>%s</updated><content type="html">%s</content></entry>`,
				esc(s.title), esc(nf.link(s, feed)), s.slug, s.published.Format(time.RFC3339), s.published.Format(time.RFC3339), esc(s.html()))
		}
		b.WriteString(`</feed>`)
	} else {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>%s</title><link>%s</link>`,
			esc(strings.ToUpper(feed[:1])+feed[1:]+" News"), nf.srv.URL+"/"+feed)
		for _, s := range sel {
			fmt.Fprintf(&b, `<item><title>%s</title><link>%s</link><guid isPermaLink="false">%s-%s</guid><pubDate>%s</pubDate><description>%s</description><content:encoded>%s</content:encoded></item>`,
				esc(s.title), esc(nf.link(s, feed)), feed, s.slug, s.published.Format(time.RFC1123Z), esc(s.paras[0]), esc(s.html()))
		}
		b.WriteString(`</channel></rss>`)
	}
	_, _ = w.Write([]byte(b.String()))
}

func (s story) html() string {
	var b strings.Builder
	for _, p := range s.paras {
		b.WriteString("<p>" + html.EscapeString(p) + "</p>\n")
	}
	return b.String()
}

// checkDistinct fails the test when two stories are near-duplicates by the
// pipeline's own measure: the extract stage would merge them and the
// expected count would be wrong. It returns the smallest distance.
func checkDistinct(t testing.TB, stories []story) int {
	t.Helper()
	fps := make([]uint64, len(stories))
	for i, s := range stories {
		fps[i] = dedup.Fingerprint(s.text())
	}
	least := 64
	for i := range fps {
		for j := i + 1; j < len(fps); j++ {
			d := dedup.Distance(fps[i], fps[j])
			least = min(least, d)
			if d <= minDistance {
				t.Fatalf("generated stories %d and %d are %d bits apart, too close to tell apart:\n%s\n%s", i, j, d, stories[i].text(), stories[j].text())
			}
		}
	}
	return least
}
