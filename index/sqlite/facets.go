package sqlite

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/dealwire/dealwire/index"
)

// facetSchema keeps what counting and facets read in two tables of their
// own, derived from records and record_terms (analysts may ignore them).
// The store's writer adds the rows of each batch's new records at the end
// of the batch ([deriveKeys], [addTotals]); triggers take away what a
// deleted or updated record or term contributed, whatever deletes or
// updates it. A program that inserts records into the file without the
// store must add their rows the same way. Insert triggers (schema 4) did
// it all, but they appended to record_keys once per term and upserted
// facet_totals once per term and record: a third more CPU on every
// record written.
//
// record_keys has one short row per record: the filter and sort columns
// and every facet value of the record in one string (the records rows
// hold the text and the stored record, kilobytes each). Counting facets from
// record_terms grouped per value cost a temporary b-tree of the matching
// rids for every facet and a sort of all their values: 1.7 s for a text
// matching most of 100,000 records. From record_keys the matches stream in
// rowid order, joined to the full-text doclist, and are counted in Go.
// terms holds one entry per row written to record_terms, in the form of
// termEntry; an upsert that raises a term's confidence appends a second
// entry, and readers take the highest.
//
// facet_totals counts the records of every facet value over the whole
// file, by confidence in hundredths, and the records of every month and of
// the file: facets of a query without conditions (the first page a reader
// sees) then read a few hundred rows, whatever the number of records. A
// confidence's bucket is the number of facet_steps at or below it; step k
// is the 32-bit confidence closest to k/100, written m / 2^e so that it is
// exact, which puts every threshold of hundredths exactly on a boundary.
const facetSchema = `
CREATE TABLE record_keys (
	rid       INTEGER PRIMARY KEY,         -- records.rid
	id        TEXT NOT NULL,               -- copies of the records columns of the same names
	date_ms   INTEGER NOT NULL,
	deal_conf REAL NOT NULL,
	amount_usd_max      REAL NOT NULL,
	amount_usd_max_conf REAL NOT NULL,
	month     TEXT NOT NULL,
	terms     TEXT NOT NULL                -- the record's record_terms rows, see facets.go
);
CREATE TABLE facet_totals (
	kind   TEXT NOT NULL,                  -- a record_terms kind; 'month'; '' for all records
	value  TEXT NOT NULL,                  -- the value, the month, ''
	bucket INTEGER NOT NULL,               -- the facet_steps at or below the confidence; 100 for months and all records
	n      INTEGER NOT NULL,               -- records
	PRIMARY KEY (kind, value, bucket)
) WITHOUT ROWID;
CREATE TABLE facet_steps (k INTEGER PRIMARY KEY, step REAL NOT NULL);
INSERT INTO facet_steps VALUES
	(1, 5368709 / 536870912.0), (2, 5368709 / 268435456.0), (3, 16106127 / 536870912.0), (4, 5368709 / 134217728.0), (5, 13421773 / 268435456.0),
	(6, 16106127 / 268435456.0), (7, 9395241 / 134217728.0), (8, 5368709 / 67108864.0), (9, 3019899 / 33554432.0), (10, 13421773 / 134217728.0),
	(11, 7381975 / 67108864.0), (12, 16106127 / 134217728.0), (13, 1090519 / 8388608.0), (14, 9395241 / 67108864.0), (15, 5033165 / 33554432.0),
	(16, 5368709 / 33554432.0), (17, 11408507 / 67108864.0), (18, 3019899 / 16777216.0), (19, 3187671 / 16777216.0), (20, 13421773 / 67108864.0),
	(21, 14092861 / 67108864.0), (22, 7381975 / 33554432.0), (23, 15435039 / 67108864.0), (24, 16106127 / 67108864.0), (25, 1 / 4.0),
	(26, 1090519 / 4194304.0), (27, 9059697 / 33554432.0), (28, 9395241 / 33554432.0), (29, 9730785 / 33554432.0), (30, 5033165 / 16777216.0),
	(31, 5200937 / 16777216.0), (32, 5368709 / 16777216.0), (33, 11072963 / 33554432.0), (34, 11408507 / 33554432.0), (35, 11744051 / 33554432.0),
	(36, 3019899 / 8388608.0), (37, 3103785 / 8388608.0), (38, 3187671 / 8388608.0), (39, 3271557 / 8388608.0), (40, 13421773 / 33554432.0),
	(41, 13757317 / 33554432.0), (42, 14092861 / 33554432.0), (43, 7214203 / 16777216.0), (44, 7381975 / 16777216.0), (45, 7549747 / 16777216.0),
	(46, 15435039 / 33554432.0), (47, 15770583 / 33554432.0), (48, 16106127 / 33554432.0), (49, 2055209 / 4194304.0), (50, 1 / 2.0),
	(51, 2139095 / 4194304.0), (52, 1090519 / 2097152.0), (53, 2222981 / 4194304.0), (54, 9059697 / 16777216.0), (55, 9227469 / 16777216.0),
	(56, 9395241 / 16777216.0), (57, 9563013 / 16777216.0), (58, 9730785 / 16777216.0), (59, 9898557 / 16777216.0), (60, 5033165 / 8388608.0),
	(61, 5117051 / 8388608.0), (62, 5200937 / 8388608.0), (63, 5284823 / 8388608.0), (64, 5368709 / 8388608.0), (65, 5452595 / 8388608.0),
	(66, 11072963 / 16777216.0), (67, 11240735 / 16777216.0), (68, 11408507 / 16777216.0), (69, 11576279 / 16777216.0), (70, 11744051 / 16777216.0),
	(71, 11911823 / 16777216.0), (72, 3019899 / 4194304.0), (73, 1530921 / 2097152.0), (74, 3103785 / 4194304.0), (75, 3 / 4.0),
	(76, 3187671 / 4194304.0), (77, 1614807 / 2097152.0), (78, 3271557 / 4194304.0), (79, 13254001 / 16777216.0), (80, 13421773 / 16777216.0),
	(81, 13589545 / 16777216.0), (82, 13757317 / 16777216.0), (83, 13925089 / 16777216.0), (84, 14092861 / 16777216.0), (85, 7130317 / 8388608.0),
	(86, 7214203 / 8388608.0), (87, 7298089 / 8388608.0), (88, 7381975 / 8388608.0), (89, 7465861 / 8388608.0), (90, 7549747 / 8388608.0),
	(91, 15267267 / 16777216.0), (92, 15435039 / 16777216.0), (93, 15602811 / 16777216.0), (94, 15770583 / 16777216.0), (95, 15938355 / 16777216.0),
	(96, 16106127 / 16777216.0), (97, 4068475 / 4194304.0), (98, 2055209 / 2097152.0), (99, 4152361 / 4194304.0), (100, 1.0);
CREATE TRIGGER record_keys_au AFTER UPDATE OF id, date_ms, deal_conf, amount_usd_max, amount_usd_max_conf, month ON records BEGIN
	UPDATE record_keys SET id = new.id, date_ms = new.date_ms, deal_conf = new.deal_conf, amount_usd_max = new.amount_usd_max,
		amount_usd_max_conf = new.amount_usd_max_conf, month = new.month WHERE rid = new.rid;
	UPDATE facet_totals SET n = n - 1 WHERE kind = 'month' AND value = old.month AND bucket = 100;
	INSERT INTO facet_totals SELECT 'month', new.month, 100, 1 WHERE new.month <> '' ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER record_keys_ad AFTER DELETE ON records BEGIN
	DELETE FROM record_keys WHERE rid = old.rid;
	UPDATE facet_totals SET n = n - 1 WHERE kind = '' AND value = '' AND bucket = 100;
	UPDATE facet_totals SET n = n - 1 WHERE kind = 'month' AND value = old.month AND bucket = 100;
END;
CREATE TRIGGER record_terms_keys_au AFTER UPDATE OF confidence ON record_terms BEGIN
	UPDATE record_keys SET terms = terms || ` + termEntryNew + ` WHERE rid = new.rid;
	UPDATE facet_totals SET n = n - 1 WHERE kind = old.kind AND value = old.value AND bucket = ` + bucketOld + `;
	INSERT INTO facet_totals VALUES (new.kind, new.value, ` + bucketNew + `, 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER record_terms_keys_ad AFTER DELETE ON record_terms BEGIN
	UPDATE facet_totals SET n = n - 1 WHERE kind = old.kind AND value = old.value AND bucket = ` + bucketOld + `;
END;
`

// termEntry is the SQL of one entry of record_keys.terms for the
// record_terms row t: the kind's first letter, the confidence as SQLite
// writes a REAL (15 significant digits, enough to give back the 32-bit
// confidence exactly), a comma, the value's length in bytes, a colon and
// the value. The length makes any value safe, separators included.
const (
	termEntryNew = `(substr(new.kind, 1, 1) || new.confidence || ',' || length(CAST(new.value AS BLOB)) || ':' || new.value)`
	termEntryT   = `(substr(t.kind, 1, 1) || t.confidence || ',' || length(CAST(t.value AS BLOB)) || ':' || t.value)`
)

// bucket* are the SQL of the facet_totals bucket of a confidence c: the
// steps at or below it. They are c's hundredths, or one more when c lies
// below (k+1)/100 but not below step k+1.
const (
	bucketNew = `(CAST(new.confidence * 100 AS INTEGER) + coalesce((SELECT new.confidence >= s.step FROM facet_steps s
		WHERE s.k = CAST(new.confidence * 100 AS INTEGER) + 1), 0))`
	bucketOld = `(CAST(old.confidence * 100 AS INTEGER) + coalesce((SELECT old.confidence >= s.step FROM facet_steps s
		WHERE s.k = CAST(old.confidence * 100 AS INTEGER) + 1), 0))`
	bucketT = `(CAST(t.confidence * 100 AS INTEGER) + coalesce((SELECT t.confidence >= s.step FROM facet_steps s
		WHERE s.k = CAST(t.confidence * 100 AS INTEGER) + 1), 0))`
)

// deriveKeys adds the record_keys rows of the records with rids in
// (?1, ?2], which must all be new: written in this transaction with their
// record_terms rows, and not yet derived. One statement per batch, where
// an insert trigger appended to a record's row once per term. The terms
// are written by SQLite, so that their confidences are the text SQLite
// writes for a REAL, as the threshold a reader compares them with is.
const deriveKeys = `INSERT INTO record_keys (rid, id, date_ms, deal_conf, amount_usd_max, amount_usd_max_conf, month, terms)
	SELECT r.rid, r.id, r.date_ms, r.deal_conf, r.amount_usd_max, r.amount_usd_max_conf, r.month,
		coalesce((SELECT group_concat(` + termEntryT + `, '') FROM record_terms t WHERE t.rid = r.rid), '')
	FROM records r WHERE r.rid > ?1 AND r.rid <= ?2`

// facetCounts are the facet_totals counts that records add: the records
// per facet value and bucket, per month (kind "month", bucket 100) and in
// all (kind "", bucket 100).
type facetCounts map[facetKey]int

type facetKey struct {
	kind, value string
	bucket      int64
}

// add counts one record, of month month ("" when unknown) and with the
// record_terms rows ts.
func (c facetCounts) add(month string, ts []recordTerm) {
	c[facetKey{"", "", 100}]++
	if month != "" {
		c[facetKey{"month", month, 100}]++
	}
	for _, t := range ts {
		c[facetKey{t.kind, t.value, bucketOf(t.conf)}]++
	}
}

// bucketOf is the facet_totals bucket of a confidence c, as [bucketT]
// computes it in SQL: c's hundredths, or one more when c reaches step
// k+1 (the 32-bit confidence closest to (k+1)/100) without reaching
// (k+1)/100.
func bucketOf(c float64) int64 {
	k := int64(c * 100)
	if k < 100 && c >= float64(float32(float64(k+1)/100)) {
		k++
	}
	return k
}

// totalsRows is the most rows one statement of [addTotals] upserts: 4
// parameters a row.
const totalsRows = 250

// addTotals adds c to facet_totals, with one statement per [totalsRows]
// values: an upsert per term and record, as insert triggers did, cost
// more than the rest of counting.
func addTotals(ctx context.Context, tx *sql.Tx, c facetCounts) error {
	args := make([]any, 0, 4*min(len(c), totalsRows))
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO facet_totals (kind, value, bucket, n) VALUES "+placeholders(len(args)/4, 4)+
			" ON CONFLICT DO UPDATE SET n = n + excluded.n", args...)
		args = args[:0]
		return err
	}
	for k, n := range c {
		args = append(args, k.kind, k.value, k.bucket, n)
		if len(args) == 4*totalsRows {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// migrateDerive (4 → 5) drops the insert triggers of schema 4, which
// wrote record_keys and facet_totals row by row: the writer now derives a
// batch's rows at once (see [facetSchema]). A file that came through
// migrateFacets has them not.
func migrateDerive(ctx context.Context, tx *sql.Tx) error {
	for _, stmt := range []string{
		`DROP TRIGGER IF EXISTS record_keys_ai`,
		`DROP TRIGGER IF EXISTS record_terms_keys_ai`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

// migrateFacets (3 → 4) adds record_keys and facet_totals and fills them
// from records and record_terms, and puts deal_id into the investor
// indexes (an investor filter at 100,000 records: 78 → 35 ms of CPU).
func migrateFacets(ctx context.Context, tx *sql.Tx) error {
	for _, stmt := range []string{
		`DROP INDEX investors_key`,
		`CREATE INDEX investors_key ON investors (key, deal_id)`,
		`DROP INDEX investors_name_key`,
		`CREATE INDEX investors_name_key ON investors (name_key, deal_id)`,
		facetSchema,
		`INSERT INTO record_keys (rid, id, date_ms, deal_conf, amount_usd_max, amount_usd_max_conf, month, terms)
			SELECT rid, id, date_ms, deal_conf, amount_usd_max, amount_usd_max_conf, month, '' FROM records`,
		`UPDATE record_keys SET terms = coalesce((SELECT group_concat(` + termEntryT + `, '') FROM record_terms t
			WHERE t.rid = record_keys.rid), '')`,
		`INSERT INTO facet_totals SELECT t.kind, t.value, ` + bucketT + `, count(*) FROM record_terms t GROUP BY 1, 2, 3`,
		`INSERT INTO facet_totals SELECT 'month', month, 100, count(*) FROM records WHERE month <> '' GROUP BY month`,
		`INSERT INTO facet_totals SELECT '', '', 100, count(*) FROM records`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

// totalsBucket returns the facet_totals bucket from which on every
// confidence reaches the threshold minConf and no lower one does, and
// whether there is one: for 0 and for every hundredth. Other thresholds
// are counted from the matches.
func totalsBucket(minConf float64) (int64, bool) {
	t := index.StoredConfidence(minConf)
	k := math.Round(minConf * 100)
	if t != index.StoredConfidence(k/100) {
		return 0, false
	}
	return int64(k), true
}

// facetTotals answers facets for a query without conditions from
// facet_totals: the records of the file and their facets.
func facetTotals(ctx context.Context, tx *sql.Tx, bucket int64) (int, *index.Facets, error) {
	total, c, err := totalsCounter(ctx, tx, bucket)
	if err != nil {
		return 0, nil, err
	}
	return total, c.facets(), nil
}

// totalsCounter reads from facet_totals the records of the file and
// their counts per facet value at the bucket's threshold.
func totalsCounter(ctx context.Context, tx *sql.Tx, bucket int64) (int, *facetCounter, error) {
	rows, err := tx.QueryContext(ctx, `SELECT kind, value, sum(n) FROM facet_totals WHERE bucket >= ?
		GROUP BY kind, value HAVING sum(n) > 0`, bucket)
	if err != nil {
		return 0, nil, fmt.Errorf("counting facets: %w", err)
	}
	defer rows.Close()
	c := newFacetCounter()
	total := 0
	for rows.Next() {
		var kind, value string
		var n int
		if err := rows.Scan(&kind, &value, &n); err != nil {
			return 0, nil, fmt.Errorf("counting facets: %w", err)
		}
		switch k, ok := kindOf(kind); {
		case kind == "":
			total = n
		case kind == "month":
			c.months[value] = &n
		case ok:
			c.values[k][value] = &n
		}
	}
	if err := rows.Err(); err != nil {
		return 0, nil, fmt.Errorf("counting facets: %w", err)
	}
	return total, c, nil
}

// matchingFrom returns the FROM and WHERE clauses, and their arguments,
// that select the record_keys rows (as r) of the records matching match
// (an FTS5 expression, "" for none) and w, with rids from lo up to hi
// (hi 0: all). A text match drives the join: the doclist comes in rowid
// order and each match is one seek, where an IN over the doclist would
// first build a temporary b-tree of every match. w's conditions must name
// only columns record_keys has.
func matchingFrom(match string, w where, lo, hi int64) (string, []any) {
	var from string
	var args []any
	rid := "r.rid"
	if match != "" {
		from, args, rid = " FROM records_fts x CROSS JOIN record_keys r ON r.rid = x.rowid WHERE records_fts MATCH ?", []any{match}, "x.rowid"
	} else {
		from = " FROM record_keys r WHERE 1"
	}
	for _, c := range w.conds {
		from += " AND " + c
	}
	args = append(args, w.args...)
	if hi > 0 {
		from += " AND " + rid + " >= ? AND " + rid + " < ?"
		args = append(args, lo, hi)
	}
	return from, args
}

// countMatching counts the records matching match and w.
func countMatching(ctx context.Context, tx *sql.Tx, match string, w where) (int, error) {
	from, args := matchingFrom(match, w, 0, 0)
	if match == "" && !w.sets {
		// The indexes of records serve conditions on dates and the like.
		// Membership in a set instead reads each member's row, short in
		// record_keys and kilobytes long in records.
		from = " FROM records r" + w.sql()
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*)"+from, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting: %w", err)
	}
	return n, nil
}

// facetStretch is how many rids one facet query covers. Each returns its
// matches as one string (about 150 bytes a match): handing SQLite's rows
// to Go one at a time cost as much as reading them.
const facetStretch = 1 << 16

// facets counts the records matching match and w, and their facets: the
// records per investor, round, currency, source and month, each record once
// per value; the values of deals only from the deals shown at threshold
// minConf. Without conditions they are facet_totals; a text alone that
// matches most of the file counts the records outside it instead (see
// [facetsOutside]). Otherwise the matches are read in rowid order, a
// stretch of rids at a time, and counted here.
func facets(ctx context.Context, tx *sql.Tx, match string, w where, minConf float64) (int, *index.Facets, error) {
	var maxRID int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(rid), 0) FROM record_keys").Scan(&maxRID); err != nil {
		return 0, nil, fmt.Errorf("counting facets: %w", err)
	}
	if k, ok := totalsBucket(minConf); ok && len(w.conds) == 0 {
		if match == "" {
			return facetTotals(ctx, tx, k)
		}
		total, f, ok, err := facetsOutside(ctx, tx, match, minConf, k, maxRID)
		if ok || err != nil {
			return total, f, err
		}
	}
	c, err := newThresholdCounter(ctx, tx, minConf)
	if err != nil {
		return 0, nil, err
	}
	total := 0
	for lo := int64(0); lo <= maxRID; lo += facetStretch {
		from, args := matchingFrom(match, w, lo, lo+facetStretch)
		n, err := c.addStretch(ctx, tx, from, args)
		if err != nil {
			return 0, nil, fmt.Errorf("counting facets: %w", err)
		}
		total += n
	}
	return total, c.facets(), nil
}

// addStretch counts the matches that from and args select, and returns
// how many there are. Their months and their terms come as two strings,
// one entry per match and '|' between them, each cast to a blob and read
// as [sql.RawBytes]: read as text, each would be copied three more times
// (SQLite terminates a text when it is read, the driver copies it into a
// Go string, database/sql into a byte slice), and the month and terms of
// each match joined into one string first (r.month || '|' || r.terms)
// were one more copy a match. Together a fifth of the facets' CPU.
func (c *facetCounter) addStretch(ctx context.Context, tx *sql.Tx, from string, args []any) (int, error) {
	rows, err := tx.QueryContext(ctx, "SELECT COUNT(*), CAST(group_concat(r.month, '|') AS BLOB), CAST(group_concat(r.terms, '|') AS BLOB)"+from, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int
	var months, terms sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&n, &months, &terms); err != nil {
			return 0, err
		}
		c.addMonths(months)
		if err := c.addTerms(terms); err != nil {
			return 0, err
		}
	}
	return n, rows.Err()
}

// Facet kinds by the first letter of record_terms.kind.
const (
	kindInvestor = iota
	kindRound
	kindCurrency
	kindSource
	numKinds
)

// kindOf returns the facet kind of a record_terms kind, by its first
// letter (all record_keys.terms has of it).
func kindOf[S string | []byte](kind S) (int, bool) {
	if len(kind) == 0 {
		return 0, false
	}
	switch kind[0] {
	case 'i':
		return kindInvestor, true
	case 'r':
		return kindRound, true
	case 'c':
		return kindCurrency, true
	case 's':
		return kindSource, true
	}
	return 0, false
}

// facetCounter counts records per facet value. Counts are pointers so
// that counting a value seen before allocates nothing.
type facetCounter struct {
	// minConf is the threshold as SQLite writes it; "" counts every deal.
	minConf string
	// minFraction is fraction(minConf), known once for every entry.
	minFraction bool
	values      [numKinds]map[string]*int
	months      map[string]*int
	seen        []term // the current record's terms, to count each value once
}

func newFacetCounter() *facetCounter {
	c := &facetCounter{months: map[string]*int{}}
	for k := range c.values {
		c.values[k] = map[string]*int{}
	}
	return c
}

type term struct {
	kind  int
	value []byte
}

func bump(m map[string]*int, key []byte) {
	if p := m[string(key)]; p != nil {
		*p++
		return
	}
	n := 1
	m[string(key)] = &n
}

// addMonths counts the months of records, '|' between them; a record
// whose month is unknown has an empty one.
func (c *facetCounter) addMonths(b []byte) {
	for len(b) > 0 {
		m := b
		if bar := bytes.IndexByte(b, '|'); bar >= 0 {
			m, b = b[:bar], b[bar+1:]
		} else {
			b = nil
		}
		if len(m) > 0 {
			bump(c.months, m)
		}
	}
}

// addTerms counts the record_keys.terms of records, '|' between them.
// Entries start with a lower-case letter, so a record's terms end where
// anything else follows.
func (c *facetCounter) addTerms(b []byte) error {
	for first := true; len(b) > 0 || first; first = false {
		if !first {
			if b[0] != '|' {
				return fmt.Errorf("malformed record_keys terms %.40q", b)
			}
			b = b[1:]
		}
		c.seen = c.seen[:0]
		for len(b) > 0 && b[0] >= 'a' && b[0] <= 'z' {
			kind, ok := kindOf(b[:1])
			conf, value, rest, err := termEntry(b[1:])
			if err != nil {
				return err
			}
			b = rest
			if !ok || kind != kindSource && c.minConf != "" && !c.atLeast(conf) {
				continue
			}
			if c.counted(kind, value) {
				continue // an upsert's second entry
			}
			c.seen = append(c.seen, term{kind, value})
			bump(c.values[kind], value)
		}
	}
	return nil
}

// counted reports whether the current record's value of kind was counted.
func (c *facetCounter) counted(kind int, value []byte) bool {
	for _, t := range c.seen {
		if t.kind == kind && string(t.value) == string(value) {
			return true
		}
	}
	return false
}

// termEntry decodes the entry at the start of b, after its kind letter:
// confidence (as text), value and what follows.
func termEntry(b []byte) (conf, value, rest []byte, err error) {
	// Parsed by hand: it runs once per facet value of every match, and
	// strconv.Atoi with a second IndexByte was a sixth of counting.
	comma := bytes.IndexByte(b, ',')
	if comma < 0 {
		return nil, nil, nil, fmt.Errorf("malformed record_keys entry %.40q", b)
	}
	n, i := 0, comma+1
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9' && n <= len(b); i++ {
		n = n*10 + int(b[i]-'0')
	}
	if i == comma+1 || i == len(b) || b[i] != ':' || n > len(b)-i-1 {
		return nil, nil, nil, fmt.Errorf("malformed record_keys entry %.40q", b)
	}
	return b[:comma], b[i+1 : i+1+n], b[i+1+n:], nil
}

// atLeast reports whether the confidence c is at least the threshold t,
// both written as SQLite writes a REAL: 15 significant digits, which tell
// the 32-bit confidences apart exactly, so comparing the texts as numbers
// compares the confidences as the SQL conditions do. Written "0." and
// digits without trailing zeros (most confidences), they compare as
// strings; anything else ("1.0", "1.5e-05") is parsed.
func atLeast(c []byte, t string) bool {
	if fraction(c) && fraction([]byte(t)) {
		return string(c) >= t
	}
	cf, err1 := strconv.ParseFloat(string(c), 64)
	tf, err2 := strconv.ParseFloat(t, 64)
	return err1 == nil && err2 == nil && cf >= tf
}

// atLeast is [atLeast] of the confidence conf and the threshold c.minConf.
func (c *facetCounter) atLeast(conf []byte) bool {
	if c.minFraction && fraction(conf) {
		return string(conf) >= c.minConf
	}
	return atLeast(conf, c.minConf)
}

func fraction(b []byte) bool {
	return len(b) > 2 && b[0] == '0' && b[1] == '.' && bytes.IndexByte(b, 'e') < 0
}

// facets returns the counts as buckets: the [index.FacetSize] largest of
// each kind (ties by value), every month in order.
func (c *facetCounter) facets() *index.Facets {
	top := func(m map[string]*int) []index.Bucket {
		out := make([]index.Bucket, 0, len(m))
		for k, n := range m {
			out = append(out, index.Bucket{Key: k, Count: *n})
		}
		slices.SortFunc(out, func(a, b index.Bucket) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key))
		})
		return out[:min(len(out), index.FacetSize)]
	}
	months := make([]index.Bucket, 0, len(c.months))
	for k, n := range c.months {
		months = append(months, index.Bucket{Key: k, Count: *n})
	}
	slices.SortFunc(months, func(a, b index.Bucket) int { return cmp.Compare(a.Key, b.Key) })
	return &index.Facets{
		Investors:  top(c.values[kindInvestor]),
		Rounds:     top(c.values[kindRound]),
		Currencies: top(c.values[kindCurrency]),
		Sources:    top(c.values[kindSource]),
		Months:     months,
	}
}
