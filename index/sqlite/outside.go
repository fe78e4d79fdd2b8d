package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math/bits"
	"strconv"

	"github.com/dealwire/dealwire/index"
)

// facetsOutside answers the count and facets of a text match with no
// other condition, at a threshold that facet_totals keeps (bucket, see
// [totalsBucket]), as the file's totals less the records that do not
// match, when the matches are more than two thirds of the file: a text
// matching 86% of 100,000 records then reads the record_keys rows of
// 14,000 records instead of 86,000, and its facet pass takes 31 ms of
// CPU instead of 67. The matches' rids come from the doclist alone (a
// walk without bm25 and without record_keys), which also tells exactly
// which way is shorter, after a sample ([fewMatch]) has told that it
// may be this one. It returns ok false, having counted nothing, when the
// matches are fewer: the caller then counts them.
//
// minConf is the threshold, which the counts of the records outside must
// apply as the counts of the matches do (see [facetCounter.atLeast]).
func facetsOutside(ctx context.Context, tx *sql.Tx, match string, minConf float64, bucket, maxRID int64) (total int, f *index.Facets, ok bool, err error) {
	if few, err := fewMatch(ctx, tx, match, maxRID); few || err != nil {
		return 0, nil, false, err
	}
	matched, n, err := matchSet(ctx, tx, match, maxRID)
	if err != nil {
		return 0, nil, false, fmt.Errorf("counting facets: %w", err)
	}
	if 2*(maxRID-int64(n)) > int64(n) {
		return 0, nil, false, nil
	}
	out, err := newThresholdCounter(ctx, tx, minConf)
	if err != nil {
		return 0, nil, false, err
	}
	outside := 0
	for lo := int64(1); lo <= maxRID; lo += facetStretch {
		list := unmatched(matched, lo, min(lo+facetStretch, maxRID+1))
		if len(list) <= 2 { // "[]"
			continue
		}
		k, err := out.addStretch(ctx, tx, " FROM record_keys r WHERE r.rid IN (SELECT value FROM json_each(?))", []any{list})
		if err != nil {
			return 0, nil, false, fmt.Errorf("counting facets: %w", err)
		}
		outside += k
	}
	all, c, err := totalsCounter(ctx, tx, bucket)
	if err != nil {
		return 0, nil, false, err
	}
	if err := c.subtract(out); err != nil {
		return 0, nil, false, fmt.Errorf("counting facets: %w", err)
	}
	return all - outside, c.facets(), true, nil
}

// sampleRIDs is how many rids [fewMatch] looks at.
const sampleRIDs = 8192

// fewMatch reports whether the matches of match are likely to be too few
// for [facetsOutside] to gain: two thirds or less of the sampleRIDs rids
// in the middle of the file, which a count of the doclist tells in a
// fraction of a ms, where reading every match's rid costs a sixth of
// counting their facets (and a third more, at 64% of 100,000 records,
// when they prove too few). A record outside costs about twice what a
// match costs (each is a seek of its own, where the doclist drives the
// matches' seeks in rowid order), so at 100,000 records counting outside
// gains from about 70% of the records matching on (64%: as many ms either
// way; 55%: 25% more). The sample may be wrong either way, which costs
// time, never answers.
func fewMatch(ctx context.Context, tx *sql.Tx, match string, maxRID int64) (bool, error) {
	lo := max(1, maxRID/2-sampleRIDs/2)
	hi := min(maxRID+1, lo+sampleRIDs)
	var n int64
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM records_fts WHERE records_fts MATCH ? AND rowid >= ? AND rowid < ?",
		match, lo, hi).Scan(&n); err != nil {
		return false, fmt.Errorf("counting facets: %w", err)
	}
	return 3*n <= 2*(hi-lo), nil
}

// matchSet returns the rids of the matches of match as a set of bits,
// and how many there are. A rid above maxRID (none, as record_keys has a
// row for every record) is an error.
func matchSet(ctx context.Context, tx *sql.Tx, match string, maxRID int64) ([]uint64, int, error) {
	rows, err := tx.QueryContext(ctx, "SELECT CAST(group_concat(rowid) AS BLOB) FROM records_fts WHERE records_fts MATCH ?", match)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	set := make([]uint64, maxRID/64+1)
	n := 0
	for rows.Next() {
		var list sql.RawBytes
		if err := rows.Scan(&list); err != nil {
			return nil, 0, err
		}
		if len(list) == 0 {
			continue // no match: NULL
		}
		// Digits and commas, parsed by hand: 86,000 numbers a query.
		rid := int64(0)
		for i := 0; i <= len(list); i++ {
			if i < len(list) && list[i] >= '0' && list[i] <= '9' {
				rid = rid*10 + int64(list[i]-'0')
				continue
			}
			if i < len(list) && list[i] != ',' || rid <= 0 || rid > maxRID {
				return nil, 0, fmt.Errorf("reading the matches: malformed rid list %.20q, or rid %d above record_keys' last %d: derive record_keys again", list[max(0, i-10):], rid, maxRID)
			}
			if set[rid/64]&(1<<(rid%64)) == 0 {
				set[rid/64] |= 1 << (rid % 64)
				n++
			}
			rid = 0
		}
	}
	return set, n, rows.Err()
}

// unmatched returns the rids from lo up to hi that are not in matched, as
// a JSON array: those of records that do not match, and of rids no record
// has (deleted), which find no row.
func unmatched(matched []uint64, lo, hi int64) string {
	b := []byte{'['}
	for rid := lo; rid < hi; rid++ {
		w := matched[rid/64] >> (rid % 64)
		if w&1 != 0 {
			// Skip the run of matches that starts here.
			if run := int64(bits.TrailingZeros64(^w)); run > 1 {
				rid += run - 1
			}
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, rid, 10)
	}
	return string(append(b, ']'))
}

// newThresholdCounter returns a counter of the facets shown at threshold
// minConf.
func newThresholdCounter(ctx context.Context, tx *sql.Tx, minConf float64) (*facetCounter, error) {
	c := newFacetCounter()
	if minConf > 0 {
		// The threshold as SQLite writes a REAL, like the confidences of
		// the terms: see atLeast.
		if err := tx.QueryRowContext(ctx, "SELECT CAST(? AS TEXT)", index.StoredConfidence(minConf)).Scan(&c.minConf); err != nil {
			return nil, fmt.Errorf("counting facets: %w", err)
		}
		c.minFraction = fraction([]byte(c.minConf))
	}
	return c, nil
}

// subtract takes the counts of o from c, and drops the values left with
// none. o must count records that c counts: a count of o above c's means
// that facet_totals and record_keys disagree.
func (c *facetCounter) subtract(o *facetCounter) error {
	take := func(m, om map[string]*int) error {
		for v, n := range om {
			p := m[v]
			if p == nil || *p < *n {
				return fmt.Errorf("facet_totals counts fewer records of %q than record_keys: derive the two tables again", v)
			}
			if *p -= *n; *p == 0 {
				delete(m, v)
			}
		}
		return nil
	}
	for k := range c.values {
		if err := take(c.values[k], o.values[k]); err != nil {
			return err
		}
	}
	return take(c.months, o.months)
}
