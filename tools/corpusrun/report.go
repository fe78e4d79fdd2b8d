package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/dealwire/dealwire/ingest"
	"github.com/dealwire/dealwire/news"
)

// report is everything a run found, written as text.
type report struct {
	docs         []doc
	cs           *corpusServer
	direct       map[string][]news.Deal
	got          collected
	final        progress
	waitErr      error
	clean        bool
	stopErr      error
	warns        map[string]int
	warnExamples map[string][]string
	settings     runSettings
	times        timings
	verbose      bool
	detailsPath  string // write per-document details here when set
}

// textLoss is what page extraction dropped of one document's text.
type textLoss struct {
	lines, chars int      // corpus lines not found in the article text
	examples     []string // the first lost lines, cut short
	amounts      int      // labelled deal amounts whose text is gone
}

// collapse lower-cases nothing and only folds runs of white space, the
// difference between a corpus line and the page parser's paragraph.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func lossOf(d doc, articleText string) textLoss {
	var l textLoss
	at := collapse(articleText)
	for _, p := range d.paragraphs() {
		if c := collapse(p); !strings.Contains(at, c) {
			l.lines++
			l.chars += len(c)
			if len(l.examples) < 2 {
				l.examples = append(l.examples, cut(c, 60))
			}
		}
	}
	for _, g := range d.Deals {
		if g.Amount != nil && g.Amount.Text != "" && strings.Contains(collapse(d.Text), collapse(g.Amount.Text)) &&
			!strings.Contains(at, collapse(g.Amount.Text)) {
			l.amounts++
		}
	}
	return l
}

// repeatsHeadline reports whether an article's text is its title line
// followed by a first paragraph equal to it: the poller prefixes every text
// with the feed title, and the page parser drops a leading paragraph only
// when it equals the title it found in the page.
func repeatsHeadline(text string) bool {
	title, rest, _ := strings.Cut(text, "\n")
	first, _, _ := strings.Cut(strings.TrimLeft(rest, "\n"), "\n")
	return collapse(title) != "" && strings.EqualFold(collapse(title), collapse(first))
}

func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// write writes the report: what the pipeline did, the scores of every
// set of deal records, with -v the documents behind every loss, the times.
func (r report) write(w io.Writer) error {
	var b strings.Builder
	pf := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	docs := r.docs
	goldDeals := 0
	for _, d := range docs {
		goldDeals += len(d.Deals)
	}
	m := r.mapRecords()
	lt := r.textLosses(m.recOf)
	sets := r.scoreSets()
	var differ []string
	for _, d := range docs {
		if sets[0].per[d.ID] != sets[1].per[d.ID] {
			differ = append(differ, d.ID)
		}
	}

	pf("corpus run: %d documents, %d labelled deals\n", len(docs), goldDeals)
	pf("dealwire run --feed (embedded NATS, SQLite), ingest.max_items_per_poll %d, ingest.host_delay %s, other settings default\n\n",
		r.settings.maxItems, r.settings.hostDelay)
	r.writePipeline(pf, m, lt, sets[len(sets)-1])
	writeScores(pf, sets, goldDeals)
	pf("\ndocuments whose scores differ between the direct extraction and the pipeline's: %d\n", len(differ))
	if r.verbose {
		r.writeLists(pf, m, lt, differ)
	}

	tm := r.times
	pf("\ntime: build %s, direct extraction %s, pipeline until indexed %s, reading the API %s, stop %s; total %s\n",
		tm.build.Round(time.Second), tm.direct.Round(100*time.Millisecond), tm.pipeline.Round(time.Second),
		tm.collect.Round(100*time.Millisecond), tm.stop.Round(100*time.Millisecond), tm.total.Round(time.Second))

	if r.detailsPath != "" {
		if err := r.writeDetails(m.recOf, lt.byDoc, sets[0].per, sets[1].per); err != nil {
			return err
		}
		pf("per-document details: %s\n", r.detailsPath)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// recordMap maps the records read back to the corpus's documents.
type recordMap struct {
	recOf    map[int]news.Record
	unmapped int // records of no document
	// The documents without a record: page never requested, merged into
	// a near-duplicate ("document→document whose text replaced it"),
	// requested but no record.
	notServed, absorbed, servedNoRecord []string
}

// mapRecords maps records back to documents by URL. A near-duplicate merge
// keeps the earlier article's id with the later article's URL and text, so
// the earlier document has no record of its own.
func (r report) mapRecords() recordMap {
	docs, cs := r.docs, r.cs
	expected := map[string]int{} // article id a document's page gets -> document
	for i, d := range docs {
		if c, err := ingest.NormalizeURL(cs.pageURL(d.ID)); err == nil {
			expected[news.ArticleID(c)] = i
		}
	}
	m := recordMap{recOf: map[int]news.Record{}}
	absorbedBy := map[int]int{} // document -> document whose text replaced its record
	for _, rec := range r.got.all {
		i := cs.docOf(rec.Article.URL)
		if i < 0 {
			m.unmapped++
			continue
		}
		m.recOf[i] = rec
		if j, ok := expected[rec.Article.ID]; ok && j != i {
			absorbedBy[j] = i
		}
	}
	for i, d := range docs {
		if _, ok := m.recOf[i]; ok {
			continue
		}
		switch j, ok := absorbedBy[i]; {
		case ok:
			m.absorbed = append(m.absorbed, d.ID+"→"+docs[j].ID)
		case cs.servedCount(d.ID) == 0:
			m.notServed = append(m.notServed, d.ID)
		default:
			m.servedNoRecord = append(m.servedNoRecord, d.ID)
		}
	}
	return m
}

// lossTotals is what page extraction dropped, per document and in all.
type lossTotals struct {
	byDoc                                   map[int]textLoss
	docs, lines, chars, amounts, totalLines int
	repeated                                []string // documents whose article text repeats its headline
}

// textLosses measures what page extraction dropped of each indexed
// document's text.
func (r report) textLosses(recOf map[int]news.Record) lossTotals {
	lt := lossTotals{byDoc: map[int]textLoss{}}
	for i, rec := range recOf {
		if repeatsHeadline(rec.Article.Text) {
			lt.repeated = append(lt.repeated, r.docs[i].ID)
		}
		l := lossOf(r.docs[i], rec.Article.Text)
		lt.byDoc[i] = l
		if l.lines > 0 {
			lt.docs++
			lt.lines += l.lines
			lt.chars += l.chars
		}
		lt.amounts += l.amounts
	}
	for _, d := range r.docs {
		lt.totalLines += len(d.paragraphs())
	}
	return lt
}

// scoreSet is one set of deal records scored against the labels.
type scoreSet struct {
	name      string
	strict    tally
	prefix    tally
	per       map[string]docScore
	multi, no int
}

// scoreSets scores the direct extraction first, the pipeline's stored
// deals second, and the resolved deals at min_confidence=0 last.
func (r report) scoreSets() []scoreSet {
	docs, cs, got := r.docs, r.cs, r.got
	byDoc := func(recs []news.Record) map[string][]news.Deal {
		out := map[string][]news.Deal{}
		for _, rec := range recs {
			if i := cs.docOf(rec.Article.URL); i >= 0 {
				out[docs[i].ID] = rec.Extraction.Deals
			}
		}
		return out
	}
	perDoc := func(name string, pred map[string][]news.Deal) scoreSet {
		st, per := scoreByDoc(docs, pred, matcher{})
		pt, _ := scoreByDoc(docs, pred, matcher{prefix: true})
		return scoreSet{name: name, strict: st, prefix: pt, per: per}
	}
	resolved := func(name string, drs []news.DealRecord) scoreSet {
		st, multi, no := scoreResolved(docs, drs, cs.docOf, matcher{})
		pt, _, _ := scoreResolved(docs, drs, cs.docOf, matcher{prefix: true})
		return scoreSet{name: name, strict: st, prefix: pt, multi: multi, no: no}
	}
	return []scoreSet{
		perDoc("direct: dealwire extract --jsonl", r.direct),
		perDoc("pipeline articles: the extractor's deals", byDoc(got.stored)),
		perDoc(fmt.Sprintf("pipeline articles: shown at min_confidence %g", got.shownThresh), byDoc(got.shown)),
		perDoc("pipeline articles: min_confidence=0", byDoc(got.all)),
		resolved(fmt.Sprintf("resolved deals: /api/deals at min_confidence %g", got.dealsThresh), got.dealsShown),
		resolved("resolved deals: /api/deals min_confidence=0", got.dealsAll),
	}
}

// writePipeline writes what the pipeline did: fetches, records, losses,
// the stop and the log's warnings. last is the resolved deals at
// min_confidence=0.
func (r report) writePipeline(pf func(string, ...any), m recordMap, lt lossTotals, last scoreSet) {
	docs, got, fin := r.docs, r.got, r.final
	doubtful := 0
	for _, rec := range got.stored {
		doubtful += len(rec.Extraction.Doubtful)
	}
	pf("pipeline\n")
	if r.waitErr != nil {
		pf("  WAIT ENDED EARLY: %v; scored what was indexed\n", r.waitErr)
	}
	pf("  feed polls %d; pages served %d of %d (%d requests); page fetches ok %.0f, failed %.0f, other %.0f\n",
		fin.served.feedHits, fin.served.pages, len(docs), fin.served.requests, fin.pagesOK, fin.pagesFailed, fin.pagesOther)
	pf("  articles published %.0f (stream duplicates %.0f), extracted %.0f, records indexed %.0f, deal updates indexed %.0f; retries %.0f, dead letters %.0f\n",
		fin.published, fin.duplicates, fin.extracted, fin.indexed, fin.dealUpdates, fin.retries, fin.extractDead+fin.indexDead+fin.dealDead)
	pf("  records read back %d (deals hidden at min_confidence=0: %d; doubtful deals stored beside the extractor's: %d), of documents: %d, not mapped to a document: %d\n",
		len(got.all), got.hiddenAll, doubtful, len(m.recOf), m.unmapped)
	pf("  documents indexed: %d of %d", len(m.recOf), len(docs))
	if n := len(docs) - len(m.recOf); n > 0 {
		pf(" (missing %d: page never requested %d, merged into a near-duplicate %d, requested but no record %d)", n, len(m.notServed), len(m.absorbed), len(m.servedNoRecord))
	}
	pf("\n")
	pf("  text of indexed documents: %d of %d lines (%d characters) not found in the article text, in %d documents; labelled amounts whose text is gone: %d\n",
		lt.lines, lt.totalLines, lt.chars, lt.docs, lt.amounts)
	pf("  article texts that repeat their headline as the first paragraph: %d\n", len(lt.repeated))
	pf("  resolved deals read back %d at min_confidence=0, %d at %g (at 0: reported by more than one document %d, by no corpus document %d)\n",
		len(got.dealsAll), len(got.dealsShown), got.dealsThresh, last.multi, last.no)
	switch {
	case r.clean:
		pf("  stopped with SIGINT: exit 0 after %s\n", r.times.stop.Round(100*time.Millisecond))
	default:
		pf("  stopped with SIGINT: NOT CLEAN after %s: %v\n", r.times.stop.Round(100*time.Millisecond), r.stopErr)
	}
	r.writeWarnings(pf)
}

// writeWarnings writes the log's WARN/ERROR lines counted by message.
func (r report) writeWarnings(pf func(string, ...any)) {
	if len(r.warns) == 0 {
		return
	}
	keys := make([]string, 0, len(r.warns))
	for k := range r.warns {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pf("  log (WARN/ERROR lines and near-duplicate notices, by message):\n")
	for _, k := range keys {
		pf("    %4d  %s\n", r.warns[k], k)
		if r.verbose {
			for _, e := range r.warnExamples[k] {
				pf("          %s\n", cut(e, 300))
			}
		}
	}
}

// writeScores writes the table of scores, one row per set.
func writeScores(pf func(string, ...any), sets []scoreSet, goldDeals int) {
	pf("\nscores: a deal record is right when its company (company.Key: lower case, no punctuation,\n")
	pf("legal suffixes or leading \"the\"), round (exact; none = unknown) and amount (same currency, within 1%%;\n")
	pf("none = none) all match a labelled deal of its document (of one of its documents, for a resolved deal).\n")
	pf("P = right / records (the issue's figure, target 0.85); R = labelled deals matched / %d.\n", goldDeals)
	pf("no fund: fund closes left out on both sides; prefix: names also match as leading-word prefixes (the devset rule).\n\n")
	pf("%-48s %5s %7s %5s %5s %5s %5s %6s %5s %6s %6s %6s %6s %6s\n",
		"", "docs", "records", "co", "co+rd", "co+am", "right", "P", "found", "R", "P-nof", "R-nof", "P-pfx", "R-pfx")
	for _, st := range sets {
		t, x := st.strict, st.prefix
		pf("%-48s %5d %7d %5d %5d %5d %5d %6.3f %5d %6.3f %6.3f %6.3f %6.3f %6.3f\n",
			st.name, t.docs, t.extracted, t.company, t.companyRound, t.companyAmount, t.right, t.precision(), t.found, t.recall(),
			ratio(t.rightNoFund, t.extractedNoFund), ratio(t.foundNoFund, t.goldNoFund), x.precision(), x.recall())
	}
}

// writeLists writes, with -v, the documents behind every loss.
func (r report) writeLists(pf func(string, ...any), m recordMap, lt lossTotals, differ []string) {
	list := func(name string, ids []string) {
		if len(ids) > 0 {
			pf("  %s (%d): %s\n", name, len(ids), strings.Join(ids, " "))
		}
	}
	pf("\ndetails\n")
	list("page never requested", m.notServed)
	list("merged into a near-duplicate (document→document whose text replaced it)", m.absorbed)
	list("page requested, no record", m.servedNoRecord)
	list("scores differ between direct and pipeline", differ)
	sort.Strings(lt.repeated)
	list("article text repeats its headline", lt.repeated)
	var lossList []string
	for i := range r.docs {
		if l := lt.byDoc[i]; l.lines > 0 {
			lossList = append(lossList, fmt.Sprintf("%s (%d lines: %s)", r.docs[i].ID, l.lines, strings.Join(l.examples, " | ")))
		}
	}
	if len(lossList) > 0 {
		pf("  lines lost in page extraction (%d documents):\n", len(lossList))
		for _, s := range lossList {
			pf("    %s\n", s)
		}
	}
}

// writeDetails writes one tab-separated line per document.
func (r report) writeDetails(recOf map[int]news.Record, losses map[int]textLoss, direct, pipe map[string]docScore) error {
	var b strings.Builder
	b.WriteString("id\tgold\tserved\tindexed\tlines_lost\tamounts_lost\tdirect_extracted\tdirect_right\tdirect_found\tpipeline_extracted\tpipeline_right\tpipeline_found\n")
	for i, d := range r.docs {
		_, indexed := recOf[i]
		l := losses[i]
		ds, ps := direct[d.ID], pipe[d.ID]
		fmt.Fprintf(&b, "%s\t%d\t%d\t%t\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", d.ID, len(d.Deals), r.cs.servedCount(d.ID), indexed,
			l.lines, l.amounts, ds.extracted, ds.right, ds.found, ps.extracted, ps.right, ps.found)
	}
	if err := os.WriteFile(r.detailsPath, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("writing details: %w", err)
	}
	return nil
}
