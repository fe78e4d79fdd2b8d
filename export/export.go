package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// Format is a file format of an export.
type Format string

// The formats.
const (
	FormatCSV     Format = "csv"     // RFC 4180, header line first
	FormatNDJSON  Format = "ndjson"  // one JSON object per line
	FormatParquet Format = "parquet" // Apache Parquet, Snappy-compressed
)

const formatList = "csv, ndjson or parquet"

// ContentType is the media type of f.
func (f Format) ContentType() string {
	switch f {
	case FormatCSV:
		return "text/csv; charset=utf-8"
	case FormatNDJSON:
		return "application/x-ndjson"
	case FormatParquet:
		return "application/vnd.apache.parquet"
	}
	return "application/octet-stream"
}

// Rows says what one row of an export stands for.
type Rows string

// The kinds of rows.
const (
	RowsDeals     Rows = "deals"     // one per resolved deal: DealRow
	RowsInvestors Rows = "investors" // one per investor participation: InvestorRow
	RowsAmounts   Rows = "amounts"   // one per money figure a source reported: AmountRow
)

const rowsList = "deals, investors or amounts"

// ParseFormat reads a format name ("" is CSV).
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case "":
		return FormatCSV, nil
	case FormatCSV, FormatNDJSON, FormatParquet:
		return f, nil
	}
	return "", fmt.Errorf("format %q: want %s", s, formatList)
}

// ParseRows reads a kind of rows ("" is deals).
func ParseRows(s string) (Rows, error) {
	switch r := Rows(s); r {
	case "":
		return RowsDeals, nil
	case RowsDeals, RowsInvestors, RowsAmounts:
		return r, nil
	}
	return "", fmt.Errorf("rows %q: want %s", s, rowsList)
}

// Searcher is what an export reads: the resolved deals of an index.
type Searcher interface {
	SearchDeals(ctx context.Context, q index.Query) (index.DealResult, error)
}

// lean is a [Searcher] (index/sqlite's Store) that can leave out the
// count of matches, which an export reads from its first page only (SQLite
// counts by walking the matches, so counting every page would make an
// export grow with the square of the deals), and the members of each
// stored deal that the rows do not read ([unread]), which it then need not
// decode.
type lean interface {
	SearchDealsOmitting(ctx context.Context, q index.Query, count bool, omit []string) (index.DealResult, error)
}

// Options configures one export.
type Options struct {
	Format Format
	Rows   Rows
	// Query selects the deals, as GET /api/deals does; its Size, After and
	// Facets are ignored. Sort defaults to date (newest first).
	//
	// The confidence threshold (MinConfidence) is applied here rather than
	// by the index: a deal record is one deal, so the answer is the same,
	// and the index then reads every page with the same plain query (an
	// index older than SQLite schema 3 collected every deal that passed
	// the threshold for each page, seconds a page at a million deals).
	//
	// With Rows RowsInvestors, Investor and LeadInvestor also select the
	// rows: only that investor's participations (lead ones for
	// LeadInvestor) are written, not every investor of its deals.
	Query index.Query
	// Rates fills the USD values and FX columns; nil uses the shipped
	// table (configs/fx.tsv). The binary passes the process's one table,
	// the one the extract stage and the index convert with.
	Rates *fx.Table
	// PageSize is how many deals are read at a time; default
	// [index.MaxSize].
	PageSize int
	// PageTimeout bounds the reading of one page; default 30s. The export
	// as a whole is bounded by ctx only.
	PageTimeout time.Duration
	// Progress, when set, is called after every page.
	Progress func(Progress)
}

// Progress is how far an export has got.
type Progress struct {
	Format Format
	Rows   Rows
	// Total is the number of deals the query matched when the export
	// started, before the confidence threshold (see [Options.Query]).
	Total int
	// Read is the number of deals read so far, Deals the number exported
	// (shown at the threshold), Written the number of rows written.
	Read, Deals, Written int
	// Bytes written to the output so far.
	Bytes   int64
	Elapsed time.Duration
}

// String is the summary line of an export:
// "exported 1000 rows (investors) from 400 deals, 1.2 MB of csv in 0.4s (2500 rows/s)".
func (p Progress) String() string {
	secs := p.Elapsed.Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(p.Written) / secs
	}
	return fmt.Sprintf("exported %d rows (%s) from %d deals, %s of %s in %s (%.0f rows/s)",
		p.Written, p.Rows, p.Deals, formatBytes(p.Bytes), p.Format, p.Elapsed.Round(time.Millisecond), rate)
}

// ErrIncomplete wraps the error that stopped an export after it had
// written part of its output: what was written is not a complete file.
var ErrIncomplete = errors.New("export incomplete")

// Export writes the deals that opt.Query matches to w, a page of deals at
// a time, and returns how much it wrote. An error after the first bytes
// were written wraps [ErrIncomplete].
func Export(ctx context.Context, w io.Writer, s Searcher, opt Options) (Progress, error) {
	var err error
	if opt.Format, err = ParseFormat(string(opt.Format)); err != nil {
		return Progress{}, err
	}
	if opt.Rows, err = ParseRows(string(opt.Rows)); err != nil {
		return Progress{}, err
	}
	if opt.Rates == nil {
		if opt.Rates, err = fx.Default(); err != nil {
			return Progress{}, err
		}
	}
	if opt.PageSize <= 0 || opt.PageSize > index.MaxSize {
		opt.PageSize = index.MaxSize
	}
	if opt.PageTimeout <= 0 {
		opt.PageTimeout = 30 * time.Second
	}
	c := newConverter(opt.Rates)
	switch opt.Rows {
	case RowsInvestors:
		keep := investorFilter(opt.Query)
		return run(ctx, w, s, opt, func(rows []InvestorRow, dr *news.DealRecord) []InvestorRow {
			return c.appendInvestors(rows, dr, keep)
		})
	case RowsAmounts:
		return run(ctx, w, s, opt, c.appendAmounts)
	default:
		return run(ctx, w, s, opt, c.appendDeal)
	}
}

// investorFilter keeps the participations of q's investor (lead ones for
// its lead investor); nil keeps all.
func investorFilter(q index.Query) func(news.Investor) bool {
	inv, lead := index.Key(q.Investor), index.Key(q.LeadInvestor)
	if inv == "" && lead == "" {
		return nil
	}
	is := func(i news.Investor, key string) bool {
		return index.Key(i.Name) == key || index.Key(i.Canonical) == key
	}
	return func(i news.Investor) bool {
		return (inv == "" || is(i, inv)) && (lead == "" || i.Lead && is(i, lead))
	}
}

// run pages through the deals and writes the rows build makes of each.
// One goroutine reads (and the store decodes) the next page while this one
// encodes the current one; the channel between them is unbuffered, so at
// most two pages are in memory.
func run[T any](ctx context.Context, w io.Writer, s Searcher, opt Options, build func([]T, *news.DealRecord) []T) (Progress, error) {
	start := time.Now()
	p := Progress{Format: opt.Format, Rows: opt.Rows}
	cw := &countingWriter{w: w}
	enc, err := newEncoder[T](opt.Format, cw)
	if err != nil {
		return p, err
	}
	pages := make(chan index.DealResult)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return readPages(gctx, s, opt, pages) })
	g.Go(func() error {
		var rows []T
		first := true
		for res := range pages {
			if first {
				p.Total, first = res.Total, false
			}
			rows = rows[:0]
			for i := range res.Hits {
				if dr := &res.Hits[i].Deal; opt.Query.Shows(dr.Confidence) {
					rows = build(rows, dr)
					p.Deals++
				}
			}
			if err := enc.Write(rows); err != nil {
				return fmt.Errorf("writing %s: %w", opt.Format, err)
			}
			p.Read += len(res.Hits)
			p.Written += len(rows)
			p.Bytes, p.Elapsed = cw.n, time.Since(start)
			if opt.Progress != nil {
				opt.Progress(p)
			}
		}
		return nil
	})
	err = g.Wait()
	if err == nil {
		if err = enc.Close(); err != nil {
			err = fmt.Errorf("writing %s: %w", opt.Format, err)
		}
	}
	p.Bytes, p.Elapsed = cw.n, time.Since(start)
	if err != nil {
		if cw.n > 0 {
			err = fmt.Errorf("%w after %d rows: %w", ErrIncomplete, p.Written, err)
		}
		return p, err
	}
	if opt.Progress != nil {
		opt.Progress(p)
	}
	return p, nil
}

// readPages reads the deals opt asks for page by page into pages, and
// closes pages when done.
func readPages(ctx context.Context, s Searcher, opt Options, pages chan<- index.DealResult) error {
	defer close(pages)
	q := opt.Query
	q.Size, q.After, q.Facets, q.MinConfidence = opt.PageSize, "", false, 0
	if q.Sort == "" {
		q.Sort = index.SortDate
	}
	l, isLean := s.(lean)
	for read := 0; ; {
		pctx, cancel := context.WithTimeout(ctx, opt.PageTimeout)
		var res index.DealResult
		var err error
		if isLean {
			res, err = l.SearchDealsOmitting(pctx, q, read == 0, unread[opt.Rows])
		} else {
			res, err = s.SearchDeals(pctx, q)
		}
		cancel()
		if err != nil {
			return fmt.Errorf("reading deals from the index after %d of them: %w", read, err)
		}
		read += len(res.Hits)
		select {
		case pages <- res:
		case <-ctx.Done():
			return ctx.Err()
		}
		if res.Next == "" || len(res.Hits) == 0 {
			return nil
		}
		q.After = res.Next
		narrow(&q, opt.Query.PublishedTo, res.Hits[len(res.Hits)-1].Deal.AnnouncedAt)
	}
}

// narrow bounds the date of the next page of a date-sorted export by the
// date of the last deal read (the bound is exclusive, hence the added
// millisecond: deals of that same millisecond are left to the cursor).
// The answer is the same, since the cursor starts the next page after
// that deal anyway; but an index that cannot seek to the cursor's
// compound key scans its date index from the top to reach it, so without
// the bound a page deep in a million deals costs seconds, and the whole
// export grows with the square of the deals. (index/sqlite now adds such
// a bound to its own cursor condition; this one serves any [Searcher].)
// A deal's date is its AnnouncedAt, stored at millisecond precision.
func narrow(q *index.Query, to, last time.Time) {
	if q.Sort != index.SortDate || last.IsZero() {
		return
	}
	bound := last.UTC().Truncate(time.Millisecond).Add(time.Millisecond)
	if to.IsZero() || bound.Before(to) {
		q.PublishedTo = bound
	}
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
