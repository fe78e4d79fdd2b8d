package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

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
	if err := q.Validate(); err != nil {
		return index.Result{}, fmt.Errorf("searching: %w", err)
	}
	q = q.Normalized()
	var after *cursor
	if q.After != "" {
		after = new(cursor)
		if err := index.DecodeCursor(q.After, after); err != nil {
			return index.Result{}, fmt.Errorf("searching: %w", err)
		}
		if after.Sort != q.Sort {
			return index.Result{}, fmt.Errorf("searching: %w: cursor of sort %q used with sort %q", index.ErrBadCursor, after.Sort, q.Sort)
		}
	}

	from, w := s.filters(q)
	score := "0.0"
	if strings.Contains(from, " f ON ") {
		score = "f.score"
	}

	conn, err := s.r.Conn(ctx)
	if err != nil {
		return index.Result{}, fmt.Errorf("searching: %w", err)
	}
	defer conn.Close()
	// One read transaction, so the count, the page and the facets see the
	// same snapshot even while the indexer commits.
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return index.Result{}, fmt.Errorf("searching: %w", err)
	}
	defer tx.Rollback()

	var res index.Result
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+from+w.sql(), w.args...).Scan(&res.Total); err != nil {
		return index.Result{}, fmt.Errorf("counting: %w", err)
	}

	page := w
	page.conds = append([]string(nil), w.conds...)
	page.args = append([]any(nil), w.args...)
	var order string
	switch q.Sort {
	case index.SortDate:
		order = "r.date_ms DESC, r.id ASC"
		if after != nil {
			page.add("(r.date_ms < ? OR (r.date_ms = ? AND r.id > ?))", after.Date, after.Date, after.ID)
		}
	case index.SortAmount:
		order = "r.amount_usd_max DESC, r.date_ms DESC, r.id ASC"
		if after != nil {
			page.add("(r.amount_usd_max < ? OR (r.amount_usd_max = ? AND (r.date_ms < ? OR (r.date_ms = ? AND r.id > ?))))",
				after.USD, after.USD, after.Date, after.Date, after.ID)
		}
	default:
		order = score + " DESC, r.date_ms DESC, r.id ASC"
		if after != nil {
			page.add("("+score+" < ? OR ("+score+" = ? AND (r.date_ms < ? OR (r.date_ms = ? AND r.id > ?))))",
				after.Score, after.Score, after.Date, after.Date, after.ID)
		}
	}
	rows, err := tx.QueryContext(ctx,
		"SELECT r.id, "+score+", r.amount_usd_max, r.date_ms, r.record FROM "+from+page.sql()+
			" ORDER BY "+order+" LIMIT ?", append(page.args, q.Size+1)...)
	if err != nil {
		return index.Result{}, fmt.Errorf("searching: %w", err)
	}
	defer rows.Close()
	var last cursor
	for rows.Next() {
		var raw []byte
		var c cursor
		if err := rows.Scan(&c.ID, &c.Score, &c.USD, &c.Date, &raw); err != nil {
			return index.Result{}, fmt.Errorf("reading hits: %w", err)
		}
		if len(res.Hits) == q.Size {
			c := last
			c.Sort = q.Sort
			res.Next = index.EncodeCursor(c)
			break
		}
		var rec news.Record
		if err := json.Unmarshal(raw, &rec); err != nil {
			return index.Result{}, fmt.Errorf("decoding %s: %w", c.ID, err)
		}
		res.Hits = append(res.Hits, index.Hit{ID: c.ID, Score: c.Score, Record: rec})
		last = c
	}
	if err := rows.Err(); err != nil {
		return index.Result{}, fmt.Errorf("reading hits: %w", err)
	}
	rows.Close()

	if q.Facets {
		f, err := facets(ctx, tx, from, w)
		if err != nil {
			return index.Result{}, err
		}
		res.Facets = f
	}
	return res, nil
}

// filters returns the FROM clause (records r, joined to the full-text
// matches f when there is text) and the conditions of q.
func (s *Store) filters(q index.Query) (string, where) {
	from := "records r"
	var w where
	if t := index.ParseText(q.Text); !t.IsZero() {
		switch {
		case len(t.Must) > 0:
			from += " JOIN (SELECT rowid AS rid, -bm25(records_fts, 2.0, 1.0) AS score FROM records_fts WHERE records_fts MATCH ?) f ON f.rid = r.rid"
			w.args = append(w.args, matchExpr(t))
		default:
			w.add("r.rid NOT IN (SELECT rowid FROM records_fts WHERE records_fts MATCH ?)", orExpr(t.Not))
		}
	}
	if q.Source != "" {
		w.add("r.source = ?", q.Source)
	}
	if !q.PublishedFrom.IsZero() {
		w.add("r.date_ms >= ?", q.PublishedFrom.UnixMilli())
	}
	if !q.PublishedTo.IsZero() {
		w.add("r.date_ms < ?", q.PublishedTo.UnixMilli())
	}
	if q.HasDealFilter() {
		var d where
		d.add("d.rid = r.rid")
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
			d.add("EXISTS (SELECT 1 FROM investors i WHERE i.deal_id = d.deal_id AND (i.key = ? OR i.name_key = ?))", q.Investor, q.Investor)
		}
		if q.LeadInvestor != "" {
			d.add("EXISTS (SELECT 1 FROM investors i WHERE i.deal_id = d.deal_id AND i.lead AND (i.key = ? OR i.name_key = ?))", q.LeadInvestor, q.LeadInvestor)
		}
		if !q.Capacity.IsZero() {
			var c where
			c.add("c.deal_id = d.deal_id")
			rangeCond(&c, "c.watts", q.Capacity)
			d.add("EXISTS (SELECT 1 FROM capacities c"+c.sql()+")", c.args...)
		}
		w.add("EXISTS (SELECT 1 FROM deals d"+d.sql()+")", d.args...)
	}
	return from, w
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

// facets counts the matching records per investor, round, currency, source
// and month, each record once per value.
func facets(ctx context.Context, tx *sql.Tx, from string, w where) (*index.Facets, error) {
	m := "(SELECT r.rid FROM " + from + w.sql() + ")"
	f := &index.Facets{}
	dated := w
	dated.conds = append(append([]string(nil), w.conds...), "r.date_ms > 0")
	queries := []struct {
		dst   *[]index.Bucket
		query string
	}{
		{&f.Investors, "SELECT i.canonical, COUNT(DISTINCT i.rid) AS n FROM investors i WHERE i.rid IN " + m +
			" AND i.canonical <> '' GROUP BY i.canonical ORDER BY n DESC, i.canonical LIMIT ?"},
		{&f.Rounds, "SELECT d.round, COUNT(DISTINCT d.rid) AS n FROM deals d WHERE d.rid IN " + m +
			" AND d.round <> '' GROUP BY d.round ORDER BY n DESC, d.round LIMIT ?"},
		{&f.Currencies, "SELECT d.currency, COUNT(DISTINCT d.rid) AS n FROM deals d WHERE d.rid IN " + m +
			" AND d.currency IS NOT NULL GROUP BY d.currency ORDER BY n DESC, d.currency LIMIT ?"},
		{&f.Sources, "SELECT r.source, COUNT(*) AS n FROM " + from + w.sql() +
			" GROUP BY r.source HAVING r.source <> '' ORDER BY n DESC, r.source LIMIT ?"},
		{&f.Months, "SELECT strftime('%Y-%m', r.date_ms / 1000, 'unixepoch') AS k, COUNT(*) AS n FROM " + from + dated.sql() +
			" GROUP BY k ORDER BY k LIMIT ?"},
	}
	for _, fq := range queries {
		limit := index.FacetSize
		if fq.dst == &f.Months {
			limit = -1
		}
		rows, err := tx.QueryContext(ctx, fq.query, append(append([]any(nil), w.args...), limit)...)
		if err != nil {
			return nil, fmt.Errorf("counting facets: %w", err)
		}
		*fq.dst = []index.Bucket{}
		for rows.Next() {
			var b index.Bucket
			if err := rows.Scan(&b.Key, &b.Count); err != nil {
				rows.Close()
				return nil, fmt.Errorf("counting facets: %w", err)
			}
			*fq.dst = append(*fq.dst, b)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("counting facets: %w", err)
		}
	}
	return f, nil
}
