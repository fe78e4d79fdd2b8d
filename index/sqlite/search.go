package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// cursor is the position after the last hit of a page: its sort key.
type cursor struct {
	Sort  string  `json:"s"`
	Score float64 `json:"r,omitempty"`
	USD   float64 `json:"u,omitempty"`
	Date  int64   `json:"d"`
	ID    string  `json:"i"`
}

// where is a WHERE clause under construction.
type where struct {
	conds []string
	args  []any
	// sets says that a condition tests membership in a set that a
	// subquery computes (rid IN ...): SQLite then reads the records of
	// the set by rowid, in no useful order, instead of walking an index.
	sets bool
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// Search answers q with keyset pagination: the cursor holds the sort key of
// the last hit, so page 1000 costs what page 1 does and no hit is skipped or
// repeated while the ordering keys stay put.
func (s *Store) Search(ctx context.Context, q index.Query) (index.Result, error) {
	raw, err := s.rec.search(ctx, q, false, true, nil)
	if err != nil {
		return index.Result{}, err
	}
	res := index.Result{Total: raw.Total, Next: raw.Next, Facets: raw.Facets, MinConfidence: q.MinConfidence}
	for _, h := range raw.Hits {
		var rec news.Record
		if err := json.Unmarshal([]byte(h.raw), &rec); err != nil {
			return index.Result{}, fmt.Errorf("decoding %s: %w", h.id, err)
		}
		hit := index.Hit{ID: h.id, Score: h.score, Record: rec}
		q.Hide(&hit)
		res.Hits = append(res.Hits, hit)
	}
	return res, nil
}

// SearchDeals answers q over the resolved deals.
func (s *Store) SearchDeals(ctx context.Context, q index.Query) (index.DealResult, error) {
	return s.searchDeals(ctx, q, true, omitSet{})
}

func (s *Store) searchDeals(ctx context.Context, q index.Query, count bool, omit omitSet) (index.DealResult, error) {
	dec := dealPage{size: q.Normalized().Size, omit: omit}
	defer dec.wait() // on every return: the decoding goroutines are ours
	raw, err := s.deal.search(ctx, q, true, count, dec.decode)
	if err != nil {
		return index.DealResult{}, err
	}
	res := index.DealResult{Total: raw.Total, Next: raw.Next, Facets: raw.Facets, MinConfidence: q.MinConfidence}
	if res.Hits, err = dec.wait(); err != nil {
		return index.DealResult{}, err
	}
	return res, nil
}

// dealPage decodes the hits of a page of deal records while the rest of
// the page is still being read: decoding costs more CPU than reading the
// page from SQLite, so a large page (an export reads [index.MaxSize] at a
// time) goes to a goroutine a stretch at a time, which decodes on another
// processor while SQLite steps on. At most one goroutine per
// [decodeStretch] hits, all waited for in wait. Each goroutine decodes
// into its own stretch of one slice of the page's size, so the page is
// never copied.
type dealPage struct {
	size int     // hits in a full page
	omit omitSet // members of each record not to decode
	wg   sync.WaitGroup
	hits []index.DealHit
	errs []*error // one per stretch, in the order of the hits
}

// decodeStretch is how many hits one goroutine decodes: enough that
// starting it costs little beside the decoding (about 10 µs a deal).
const decodeStretch = 100

// decode starts decoding hits, the next stretch of the page.
func (p *dealPage) decode(hits []rawHit) {
	if p.hits == nil {
		p.hits = make([]index.DealHit, 0, max(p.size, len(hits)))
	}
	start := len(p.hits)
	if start+len(hits) > cap(p.hits) { // impossible: search hands at most size hits
		p.wg.Wait()
		p.hits = append(p.hits, make([]index.DealHit, len(hits))...)[:start]
	}
	p.hits = p.hits[:start+len(hits)]
	out := p.hits[start:]
	err := new(error)
	p.errs = append(p.errs, err)
	p.wg.Go(func() {
		for i := range hits {
			h := &hits[i]
			out[i] = index.DealHit{ID: h.id, Score: h.score}
			if e := decodeDealOmitting(h.raw, &out[i].Deal, p.omit); e != nil {
				*err = fmt.Errorf("decoding %s: %w", h.id, e)
				return
			}
		}
	})
}

// wait returns the decoded hits in order, or the first error.
func (p *dealPage) wait() ([]index.DealHit, error) {
	p.wg.Wait()
	for _, err := range p.errs {
		if *err != nil {
			return nil, *err
		}
	}
	return p.hits, nil
}

// rawResult is a page whose hits are still JSON.
type rawResult struct {
	Total  int
	Hits   []rawHit
	Next   string
	Facets *index.Facets
}

type rawHit struct {
	id    string
	score float64
	raw   string // a string, which the deal decoder cuts its strings from
}

// search answers q over d. deals says that d holds deal records, each one
// deal, which q's MinConfidence hides as a whole; count that the result
// has its Total (and, with q.Facets, its facets).
//
// stretch, when set, is handed the hits as they are read, in stretches of
// [decodeStretch] and a last shorter one, in order; they are then also in
// the result.
func (d *db) search(ctx context.Context, q index.Query, deals, count bool, stretch func([]rawHit)) (rawResult, error) {
	q, after, err := normalizedQuery(q)
	if err != nil {
		return rawResult{}, err
	}
	// Counting and facets read the matches without scores (see
	// matchingFrom); the page, below, ranks them.
	match, w := filters(q, deals)

	conn, err := d.r.Conn(ctx)
	if err != nil {
		return rawResult{}, fmt.Errorf("searching: %w", err)
	}
	defer conn.Close()
	// One read transaction, so the count, the page and the facets see the
	// same snapshot even while the indexer commits.
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return rawResult{}, fmt.Errorf("searching: %w", err)
	}
	defer tx.Rollback()

	p := pagePlan{q: q, match: match, w: w, after: after}
	// The page ranks every match of some queries. When counting would
	// read the doclist or the sets once more, the first page counts the
	// matches too, as a window over the rows it reads anyway (a window
	// over the whole file would cost more than the indexes of records).
	p.ranked = match != "" || w.sets || q.Sort == index.SortAmount && q.MinConfidence > 0
	p.countInPage = count && !q.Facets && (match != "" || w.sets) && after == nil
	res := rawResult{Hits: make([]rawHit, 0, q.Size)}
	gen, side, err := d.countMatches(ctx, tx, p, count, &res)
	if err != nil {
		return rawResult{}, err
	}
	if side != nil {
		defer side.stop()
	}
	query, args, none, err := d.pageQuery(ctx, tx, gen, p)
	if err != nil {
		return rawResult{}, err
	}
	if none {
		return res.withFacets(side)
	}
	if err := readHits(ctx, tx, query, args, p, stretch, &res); err != nil {
		return rawResult{}, err
	}
	return res.withFacets(side)
}

// normalizedQuery validates and normalizes q and decodes its cursor, if
// it has one.
func normalizedQuery(q index.Query) (index.Query, *cursor, error) {
	if err := q.Validate(); err != nil {
		return q, nil, fmt.Errorf("searching: %w", err)
	}
	q = q.Normalized()
	if q.After == "" {
		return q, nil, nil
	}
	after := new(cursor)
	if err := index.DecodeCursor(q.After, after); err != nil {
		return q, nil, fmt.Errorf("searching: %w", err)
	}
	if after.Sort != q.Sort {
		return q, nil, fmt.Errorf("searching: %w: cursor of sort %q used with sort %q", index.ErrBadCursor, after.Sort, q.Sort)
	}
	return q, after, nil
}

// pagePlan is what decides how a search reads its page.
type pagePlan struct {
	q     index.Query
	match string // the full-text expression, "" without text
	w     where
	after *cursor
	// ranked says that the page ranks every match; countInPage that the
	// page counts the matches too.
	ranked, countInPage bool
}

// countMatches counts p's matches (and their facets) into res when count
// asks for it and the page does not count them itself. It returns the
// generation of tx's snapshot when it had to read it (-1 otherwise), and
// the facets being counted on a second connection, if they are: the
// caller stops side when done.
func (d *db) countMatches(ctx context.Context, tx *sql.Tx, p pagePlan, count bool, res *rawResult) (gen int64, side *facetsSide, err error) {
	// gen is the generation of tx's snapshot, -1 until it is read: the
	// work of a page that ranks every match is shared with other reader
	// connections on that snapshot (see [db.goAside]).
	gen = -1
	switch {
	case !count, p.countInPage:
	case p.q.Facets:
		// The facets are counted on a second connection while this one
		// reads the page, when the page ranks every match: a page read
		// from an index of records stops after its hits and leaves little
		// to overlap.
		if p.ranked {
			if gen, err = readGeneration(ctx, tx); err != nil { // the first read of tx: it fixes tx's snapshot
				return gen, nil, fmt.Errorf("searching: %w", err)
			}
			if side, err = d.facetsAside(ctx, gen, p.match, p.w, p.q.MinConfidence); err != nil {
				return gen, nil, err
			}
			if side != nil {
				return gen, side, nil
			}
		}
		if res.Total, res.Facets, err = facets(ctx, tx, p.match, p.w, p.q.MinConfidence); err != nil {
			return gen, nil, err
		}
	default:
		if res.Total, err = countMatching(ctx, tx, p.match, p.w); err != nil {
			return gen, nil, err
		}
	}
	return gen, nil, nil
}

// pageQuery returns the statement that reads p's page and its arguments,
// or none when it is known without one that the page has no hit.
//
// Where an index of records gives the order (no text, no set to test
// membership in, and no threshold on the amount sort), SQLite walks it and
// stops after the page. Otherwise every match is ranked, and that is done
// over record_keys: records are read only for the page's hits, where the
// sort would otherwise carry every match's stored record.
func (d *db) pageQuery(ctx context.Context, tx *sql.Tx, gen int64, p pagePlan) (query string, args []any, none bool, err error) {
	q, match := p.q, p.match
	page := p.w
	page.conds = append([]string(nil), p.w.conds...)
	page.args = append([]any(nil), p.w.args...)
	from, score := "records r", "0.0"
	if p.ranked {
		from = "record_keys r"
	}
	if match != "" {
		from = "(SELECT rowid AS rid, " + scoreExpr + " AS score FROM records_fts WHERE records_fts MATCH ?) f" +
			" CROSS JOIN " + from + " ON r.rid = f.rid"
		page.args = append([]any{match}, page.args...)
		score = "f.score"
	}
	if match != "" && q.Sort == index.SortRelevance && len(page.conds) == 0 && p.after == nil && !p.countInPage {
		// The first page of a text alone, by relevance, counted apart
		// (with its facets, or not at all): the best scores come from
		// the full-text index alone, and only they are joined to
		// record_keys for the tie-breaking keys (see topScores). A page
		// that counts its matches reads them all anyway, and a count of
		// its own would walk the doclist once more: 40% more
		// instructions for a text alone.
		top, ok, err := d.topScores(ctx, tx, gen, match, q.Size+1)
		if err != nil {
			return "", nil, false, err
		}
		if ok {
			if len(top) == 0 {
				return "", nil, true, nil
			}
			from = "(VALUES " + placeholders(len(top)/2, 2) + ") f CROSS JOIN record_keys r ON r.rid = f.column1"
			page.args, score = top, "f.column2"
		}
	}
	amt, amtArgs := amountExpr(q)
	order, kOrder, orderArgs := pageOrder(q, &page, p.after, match, score, amt, amtArgs)
	args = append(append(append(append([]any(nil), amtArgs...), page.args...), orderArgs...), q.Size+1)
	if !p.ranked {
		return "SELECT r.id, " + score + ", " + amt + ", r.date_ms, 0, r.record FROM " + from + page.sql() + " ORDER BY " + order + " LIMIT ?", args, false, nil
	}
	total := "0"
	if p.countInPage {
		total = "count(*) OVER ()"
	}
	query = "SELECT k.id, k.score, k.usd, k.date_ms, k.total, r.record FROM (" +
		"SELECT r.rid, r.id, " + score + " AS score, " + amt + " AS usd, r.date_ms, " + total + " AS total FROM " + from + page.sql() +
		" ORDER BY " + order + " LIMIT ?) k CROSS JOIN records r ON r.rid = k.rid ORDER BY " + kOrder
	return query, args, false, nil
}

// amountExpr returns the record's amount for the amount sort: the largest
// amount of the deals q shows. amount_usd_max is that unless the deal it
// comes from is hidden; only then is the largest shown amount looked up.
func amountExpr(q index.Query) (amt string, args []any) {
	if q.Sort != index.SortAmount || q.MinConfidence <= 0 {
		return "r.amount_usd_max", nil
	}
	t := index.StoredConfidence(q.MinConfidence)
	return "(CASE WHEN r.amount_usd_max_conf >= ? THEN r.amount_usd_max ELSE coalesce((SELECT max(d.amount_usd) FROM deals d" +
		" WHERE d.rid = r.rid AND (d.confidence IS NULL OR d.confidence >= ?)), 0) END)", []any{t, t}
}

// pageOrder returns the page's order over the matches and over the ranked
// k (see pageQuery), with the order's arguments, and adds to page the
// conditions that start it after the cursor.
func pageOrder(q index.Query, page *where, after *cursor, match, score, amt string, amtArgs []any) (order, kOrder string, orderArgs []any) {
	switch {
	case q.Sort == index.SortDate || q.Sort == index.SortRelevance && match == "":
		// Without text every score is equal: relevance is date order.
		if after != nil {
			// The plain bound lets SQLite seek in records_date to the
			// cursor; the compound condition alone makes it scan the
			// index from the top, so a page deep into many records
			// would cost more the deeper it is.
			page.add("r.date_ms <= ?", after.Date)
			page.add("(r.date_ms < ? OR (r.date_ms = ? AND r.id > ?))", after.Date, after.Date, after.ID)
		}
		return "r.date_ms DESC, r.id ASC", "k.date_ms DESC, k.id ASC", nil
	case q.Sort == index.SortAmount:
		if after != nil && amtArgs == nil {
			page.add("r.amount_usd_max <= ?", after.USD) // to seek, as for the date
		}
		if after != nil {
			args := append(append(append(append([]any(nil), amtArgs...), after.USD), amtArgs...), after.USD, after.Date, after.Date, after.ID)
			page.add("("+amt+" < ? OR ("+amt+" = ? AND (r.date_ms < ? OR (r.date_ms = ? AND r.id > ?))))", args...)
		}
		return amt + " DESC, r.date_ms DESC, r.id ASC", "k.usd DESC, k.date_ms DESC, k.id ASC", amtArgs
	default:
		if after != nil {
			page.add("("+score+" < ? OR ("+score+" = ? AND (r.date_ms < ? OR (r.date_ms = ? AND r.id > ?))))",
				after.Score, after.Score, after.Date, after.Date, after.ID)
		}
		return score + " DESC, r.date_ms DESC, r.id ASC", "k.score DESC, k.date_ms DESC, k.id ASC", nil
	}
}

// readHits runs the page's query and reads its hits into res, with the
// cursor of the next page when there is one, handing them to stretch as
// [db.search] says.
func readHits(ctx context.Context, tx *sql.Tx, query string, args []any, p pagePlan, stretch func([]rawHit), res *rawResult) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("searching: %w", err)
	}
	defer rows.Close()
	var last cursor
	handed := 0 // hits handed to stretch
	for rows.Next() {
		var raw string
		var c cursor
		var total int
		if err := rows.Scan(&c.ID, &c.Score, &c.USD, &c.Date, &total, &raw); err != nil {
			return fmt.Errorf("reading hits: %w", err)
		}
		if p.countInPage {
			res.Total = total // the same on every row; none: no match
		}
		if len(res.Hits) == p.q.Size {
			c := last
			c.Sort = p.q.Sort
			res.Next = index.EncodeCursor(c)
			break
		}
		res.Hits = append(res.Hits, rawHit{id: c.ID, score: c.Score, raw: raw})
		last = c
		if stretch != nil && len(res.Hits)-handed == decodeStretch {
			stretch(res.Hits[handed:len(res.Hits):len(res.Hits)])
			handed = len(res.Hits)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading hits: %w", err)
	}
	rows.Close()
	if stretch != nil && len(res.Hits) > handed {
		stretch(res.Hits[handed:])
	}
	return nil
}

// withFacets returns r with the count and facets of side, when they were
// counted aside.
func (r rawResult) withFacets(side *facetsSide) (rawResult, error) {
	if side == nil {
		return r, nil
	}
	var err error
	if r.Total, r.Facets, err = side.wait(); err != nil {
		return rawResult{}, err
	}
	return r, nil
}

// scoreExpr is a match's relevance score: bm25 with the title weighing
// twice the text, negated so that higher is better.
const scoreExpr = "-bm25(records_fts, 2.0, 1.0)"

// topSlack is how many matches beyond a page topScores reads, so that
// scores tied at the end of the page are all read.
const topSlack = 32

// topScores returns, as (rid, score) argument pairs, the matches of match
// with the need best scores and every match tied with the last of them,
// and whether it could tell. The first page by relevance is those
// matches in the order of score, date and id: found this way, only they
// are joined to record_keys for date and id, instead of every match, and
// FTS5 keeps the best of the scores it computes instead of sorting them
// all. It cannot tell when the scores it reads are all tied with the
// need-th: more may be tied beyond them.
//
// bm25 for every match is most of a broad text's CPU (at 100,000
// records, a text matching 86% of them spends about 120 ms here, two
// thirds of it reading each match's document sizes), so when a reader
// connection is free on tx's snapshot, of generation gen (-1: not read
// yet), the upper half of the rids is scored there (see [db.goAside])
// while tx scores the lower half. Each half keeps its best scores and the two are merged:
// the best of the union of two best lists are the best of all, and the
// ties at their end are told as for one list. A match's score is the
// same in either half, as FTS5's bm25 reads the frequency of each phrase
// and the average document size from the whole table.
func (d *db) topScores(ctx context.Context, tx *sql.Tx, gen int64, match string, need int) ([]any, bool, error) {
	limit := need + topSlack
	if gen < 0 {
		var err error
		if gen, err = readGeneration(ctx, tx); err != nil {
			return nil, false, fmt.Errorf("searching: %w", err)
		}
	}
	var maxRID int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(rid), 0) FROM record_keys").Scan(&maxRID); err != nil {
		return nil, false, fmt.Errorf("searching: %w", err)
	}
	mid := maxRID/2 + 1
	var upper []scored
	side, err := d.goAside(ctx, gen, func(ctx context.Context, tx *sql.Tx) (err error) {
		upper, err = bestScores(ctx, tx, match, limit, mid, 0)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	hi := int64(0)
	if side != nil {
		defer side.stop()
		d.splits.Add(1)
		hi = mid
	}
	top, err := bestScores(ctx, tx, match, limit, 0, hi)
	if err != nil {
		return nil, false, err
	}
	if side != nil {
		if err := side.wait(); err != nil {
			return nil, false, err
		}
		top = append(top, upper...)
		slices.SortFunc(top, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
		top = top[:min(len(top), limit)]
	}
	if len(top) > need {
		last := top[need-1].score
		if len(top) == limit && top[limit-1].score == last {
			return nil, false, nil
		}
		for len(top) > need && top[len(top)-1].score < last {
			top = top[:len(top)-1]
		}
	}
	args := make([]any, 0, 2*len(top))
	for _, s := range top {
		args = append(args, s.rid, s.score)
	}
	return args, true, nil
}

// scored is a match's rid and score.
type scored struct {
	rid   int64
	score float64
}

// bestScores returns the limit best scores of the matches of match with
// rids from lo up to hi (hi 0: no bound), best first; of scores tied at
// the end, any.
func bestScores(ctx context.Context, tx *sql.Tx, match string, limit int, lo, hi int64) ([]scored, error) {
	query, args := "SELECT rowid, "+scoreExpr+" AS score FROM records_fts WHERE records_fts MATCH ?", []any{match}
	if lo > 0 {
		query += " AND rowid >= ?"
		args = append(args, lo)
	}
	if hi > 0 {
		query += " AND rowid < ?"
		args = append(args, hi)
	}
	rows, err := tx.QueryContext(ctx, query+" ORDER BY score DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("searching: %w", err)
	}
	defer rows.Close()
	top := make([]scored, 0, limit)
	for rows.Next() {
		var s scored
		if err := rows.Scan(&s.rid, &s.score); err != nil {
			return nil, fmt.Errorf("reading scores: %w", err)
		}
		top = append(top, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading scores: %w", err)
	}
	return top, nil
}

// filters returns the FTS5 expression of q's text ("" when nothing must
// occur) and q's other conditions on records r. Exclusions without any
// required word become a condition. The deal filters match only deals q
// shows; with deals set, a record (a deal record) must have one.
func filters(q index.Query, deals bool) (match string, w where) {
	if t := index.ParseText(q.Text); !t.IsZero() {
		if len(t.Must) > 0 {
			match = matchExpr(t)
		} else {
			w.add("r.rid NOT IN (SELECT rowid FROM records_fts WHERE records_fts MATCH ?)", orExpr(t.Not))
			w.sets = true
		}
	}
	if q.Source != "" {
		w.add("r.rid IN (SELECT t.rid FROM record_terms t WHERE t.kind = 'source' AND t.value = ?)", q.Source)
		w.sets = true
	}
	if !q.PublishedFrom.IsZero() {
		w.add("r.date_ms >= ?", q.PublishedFrom.UnixMilli())
	}
	if !q.PublishedTo.IsZero() {
		w.add("r.date_ms < ?", q.PublishedTo.UnixMilli())
	}
	if deals && q.MinConfidence > 0 && !q.HasDealFilter() {
		// A deal record is one deal: its deal_conf says whether it shows.
		w.add("r.deal_conf >= ?", index.StoredConfidence(q.MinConfidence))
	} else if q.HasDealFilter() || deals && q.MinConfidence > 0 {
		// Uncorrelated IN subqueries: SQLite computes each set once, instead
		// of probing the deals of every candidate record.
		var d where
		if q.MinConfidence > 0 {
			d.add("(d.confidence IS NULL OR d.confidence >= ?)", index.StoredConfidence(q.MinConfidence))
		}
		if q.Company != "" {
			d.add("d.company_key = ?", q.Company)
		}
		if q.Round != "" {
			d.add("d.round = ?", q.Round)
		}
		if q.Currency != "" {
			d.add("d.currency = ?", q.Currency)
		}
		rangeCond(&d, "d.amount", q.Amount)
		rangeCond(&d, "d.amount_usd", q.AmountUSD)
		rangeCond(&d, "d.valuation", q.Valuation)
		rangeCond(&d, "d.valuation_usd", q.ValuationUSD)
		if q.Investor != "" {
			d.add("d.deal_id IN (SELECT i.deal_id FROM investors i WHERE i.key = ? UNION SELECT i.deal_id FROM investors i WHERE i.name_key = ?)", q.Investor, q.Investor)
		}
		if q.LeadInvestor != "" {
			d.add("d.deal_id IN (SELECT i.deal_id FROM investors i WHERE i.lead AND i.key = ? UNION SELECT i.deal_id FROM investors i WHERE i.lead AND i.name_key = ?)", q.LeadInvestor, q.LeadInvestor)
		}
		if !q.Capacity.IsZero() {
			var c where
			rangeCond(&c, "c.watts", q.Capacity)
			d.add("d.deal_id IN (SELECT c.deal_id FROM capacities c"+c.sql()+")", c.args...)
		}
		w.add("r.rid IN (SELECT d.rid FROM deals d"+d.sql()+")", d.args...)
		w.sets = true
	}
	return match, w
}

func rangeCond(w *where, col string, r index.Range) {
	if r.Min != 0 {
		w.add(col+" >= ?", r.Min)
	}
	if r.Max != 0 {
		w.add(col+" <= ?", r.Max)
	}
}

// matchExpr writes t as an FTS5 query: every element a quoted phrase, so no
// user input is read as FTS5 syntax.
func matchExpr(t index.TextQuery) string {
	parts := make([]string, len(t.Must))
	for i, m := range t.Must {
		parts[i] = phrase(m)
	}
	e := strings.Join(parts, " AND ")
	if len(t.Not) > 0 {
		e = "(" + e + ") NOT (" + orExpr(t.Not) + ")"
	}
	return e
}

func orExpr(elems []string) string {
	parts := make([]string, len(elems))
	for i, m := range elems {
		parts[i] = phrase(m)
	}
	return strings.Join(parts, " OR ")
}

func phrase(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
