// Package sqlite is the embedded [index.Store]: one SQLite file (pure-Go
// modernc.org/sqlite) with an FTS5 full-text index over title and text and
// plain tables of deals, investors, capacities and amounts that analysts can
// query directly. It is the default of "dealwire run" on one machine.
//
// The file is in WAL mode: readers never block the indexer and the indexer
// never blocks readers. Writes go through one connection, one transaction
// per [Store.Index] call, committed with synchronous=FULL before Index
// returns, so a nil result means the record survives a crash. Resolved deals
// live in a second file with the same schema (Config.DealsPath).
package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
	"github.com/dealwire/dealwire/obs"
)

// Config says where the database lives.
type Config struct {
	// Path is the database file; its directory is created when missing.
	Path string `yaml:"path"`
	// FX is a file with the FX table (see configs/fx.tsv); empty uses the
	// shipped one.
	FX string `yaml:"fx"`
	// Rates is the FX table already loaded from FX: the binary loads one
	// table per process and passes it to every part that converts money, so
	// records, deals and index filters agree. Nil reads FX.
	Rates *fx.Table `yaml:"-"`
	// Readers is the number of connections that serve searches; default 4.
	// A search with facets that ranks every match (a text, for one) takes
	// a second one while it is free, to count the facets meanwhile, and
	// the first page of a text by relevance one more, to score half of the
	// matches. Such extra connections are never more than Readers - 1.
	Readers int `yaml:"readers"`
	// DealsPath is the database file of resolved deals (see [Store.IndexDeals]);
	// default: Path with "-deals" before its extension.
	DealsPath string `yaml:"deals_path"`
	// Unmapped opens the reader connections without mapping the files
	// (see readerMmap), for a process that reads every record once, as an
	// export does: mapped, the pages it reads count in its resident set,
	// which then grows to the files' size (2.2 GB for a million deals).
	Unmapped bool `yaml:"-"`
}

// dealsPath returns DealsPath or its default.
func (c Config) dealsPath() string {
	if c.DealsPath != "" {
		return c.DealsPath
	}
	ext := filepath.Ext(c.Path)
	return strings.TrimSuffix(c.Path, ext) + "-deals" + ext
}

// Validate reports a config that cannot work.
func (c Config) Validate() error {
	if c.Path == "" {
		return errors.New("sqlite: path is empty")
	}
	if c.Readers < 0 {
		return fmt.Errorf("sqlite: readers %d is negative", c.Readers)
	}
	return nil
}

// Store is an [index.Store] in one SQLite file, and an [index.DealStore]
// in a second file of the same schema.
type Store struct {
	rec    *db // records
	deal   *db // resolved deals
	rates  *fx.Table
	logger *slog.Logger
	// bulk times and sizes each write transaction once
	// [Store.RegisterMetrics] set it; nil observes nothing.
	bulk atomic.Pointer[obs.BulkMetrics]

	// closeOnce guards closing the pools.
	closeOnce sync.Once
}

// db is one database file.
type db struct {
	path string
	w    *sql.DB // one connection: the only writer
	r    *sql.DB // read-only connections for Search and Get
	// spare holds a token for each reader connection a search may take
	// besides its own (see [db.goAside]): one fewer than the readers, so
	// that searches waiting for a second connection never hold them all.
	spare chan struct{}
	// asides counts the searches whose facets were counted on a second
	// connection, for the tests of [db.facetsAside].
	asides atomic.Int64
	// splits counts the searches whose best scores were read on two
	// connections, for the tests of [db.topScores].
	splits atomic.Int64
}

var (
	_ index.Store     = (*Store)(nil)
	_ index.DealStore = (*Store)(nil)
)

// Open opens or creates the database of cfg.
func Open(ctx context.Context, cfg Config, logger *slog.Logger) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	var err error
	rates := cfg.Rates
	if rates == nil {
		if rates, err = loadFX(cfg.FX); err != nil {
			return nil, err
		}
	}
	s := &Store{rates: rates, logger: logger}
	n := cfg.Readers
	if n == 0 {
		n = 4
	}
	mmap := readerMmap
	if cfg.Unmapped {
		mmap = 0
	}
	if s.rec, err = openDB(ctx, cfg.Path, n, mmap); err != nil {
		return nil, err
	}
	if s.deal, err = openDB(ctx, cfg.dealsPath(), n, mmap); err != nil {
		s.rec.close()
		return nil, err
	}
	return s, nil
}

// readerMmap is how much of the file each reader connection maps into
// memory (PRAGMA mmap_size): SQLite then reads its pages from the mapping
// instead of with a pread and a copy each (8,600 preads a query for all
// records by amount under a threshold, at 100,000 records), which took 20
// to 25% of the CPU off the queries with a set condition. SQLite extends
// the mapping as the file grows, up to this size, and reads the pages
// beyond it, and those still in the WAL, as before; 0x7fff0000 (just
// under 2 GiB) is the cap of SQLite's build (SQLITE_MAX_MMAP_SIZE). Every
// reader maps on its own, so a 64-bit process reserves up to Readers × 2
// GiB of address space, not memory: the pages are the kernel's page
// cache, shared. A 32-bit process has not that much address space, and
// maps nothing. The writer does not map: it would gain little, and what
// it writes the readers map anyway. A mapped page that cannot be read
// (the disk fails, or another process truncates the file) stops the
// process instead of failing one query.
const readerMmap = 0x7fff0000 * (strconv.IntSize / 64)

// writerCache is the writer's page cache (PRAGMA cache_size, negative:
// KiB), 16 MiB where SQLite's default is 2. A batch of 200 records writes
// a few megabytes of pages (records, full-text segments, indexes); with 2
// MiB the cache spilled pages to the WAL in the middle of the transaction
// and read others back, and loading 20,000 records took 7% more CPU. The
// cache grows to this size only as a batch needs it.
const writerCache = -16 << 10

func openDB(ctx context.Context, path string, readers int, mmap int) (*db, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("creating database directory: %w", err)
		}
	}
	pragmas := url.Values{"_pragma": {"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(FULL)", "temp_store(MEMORY)"}}
	wp := url.Values{"_pragma": append([]string{fmt.Sprintf("cache_size(%d)", writerCache)}, pragmas["_pragma"]...)}
	w, err := sql.Open("sqlite", path+"?"+wp.Encode()+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	d := &db{path: path, w: w}
	if err := d.migrate(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	pragmas.Add("_pragma", "query_only(1)")
	pragmas.Add("_pragma", fmt.Sprintf("mmap_size(%d)", mmap))
	r, err := sql.Open("sqlite", path+"?"+pragmas.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	d.r = r
	d.spare = make(chan struct{}, readers-1)
	for range readers - 1 {
		d.spare <- struct{}{}
	}
	return d, nil
}

func (d *db) close() error { return errors.Join(d.r.Close(), d.w.Close()) }

func loadFX(path string) (*fx.Table, error) {
	if path == "" {
		return fx.Default()
	}
	return fx.Load(os.DirFS(filepath.Dir(path)), filepath.Base(path))
}

func (d *db) migrate(ctx context.Context) error {
	var v int
	if err := d.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("reading schema version: %w", err)
	}
	switch {
	case v == schemaVersion:
		return nil
	case v > schemaVersion:
		return fmt.Errorf("schema version %d is newer than this program's %d", v, schemaVersion)
	case v == 0:
		return d.inTx(ctx, "creating schema", schemaVersion, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, schema)
			return err
		})
	}
	// One transaction per step: a crash leaves the file at the last
	// version it fully reached.
	for ; v < schemaVersion; v++ {
		m, ok := migrations[v]
		if !ok {
			return fmt.Errorf("schema version %d: no migration to %d, rebuild the file with 'dealwire index reindex'", v, schemaVersion)
		}
		if err := d.inTx(ctx, fmt.Sprintf("migrating schema %d to %d", v, v+1), v+1, func(tx *sql.Tx) error { return m(ctx, tx) }); err != nil {
			return err
		}
	}
	return nil
}

// inTx runs f in a write transaction that also sets the schema version to
// version; what names the step in errors.
func (d *db) inTx(ctx context.Context, what string, version int, f func(tx *sql.Tx) error) error {
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if version >= generationVersion {
		if _, err := tx.ExecContext(ctx, bumpGeneration); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version)); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// RegisterMetrics registers the bulk write histograms (obs.MetricBulkDuration
// and obs.MetricBulkDocuments, backend "sqlite") on reg; from then on each
// write transaction is observed. It is separate from [Open] because most
// callers (search, export) open the store without metrics.
func (s *Store) RegisterMetrics(reg prometheus.Registerer) error {
	m, err := obs.NewBulkMetrics(reg)
	if err != nil {
		return err
	}
	s.bulk.Store(m)
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		err = errors.Join(s.rec.close(), s.deal.close())
	})
	return err
}

// Refresh does nothing: a committed transaction is visible at once.
func (s *Store) Refresh(ctx context.Context) error { return nil }

// Get returns the record with article id id.
func (s *Store) Get(ctx context.Context, id string) (news.Record, error) {
	var rec news.Record
	if err := s.rec.get(ctx, id, &rec); err != nil {
		return news.Record{}, err
	}
	return rec, nil
}

// get decodes the stored payload of id into v.
func (d *db) get(ctx context.Context, id string, v any) error {
	var raw []byte
	err := d.r.QueryRowContext(ctx, "SELECT record FROM records WHERE id = ?", id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("getting %s: %w", id, index.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("getting %s: %w", id, err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decoding %s: %w", id, err)
	}
	return nil
}

// item is one document to write: its flattened fields and its payload (a
// record or a deal record as JSON), or a deletion.
type item struct {
	id      string
	doc     index.Doc
	raw     []byte
	version string // extractor version, for records
	del     bool
	err     error // set when the item could not even be built
}

// Index writes recs in one transaction. A record SQLite rejects fails
// alone (see [db.write]); if the commit fails, every record gets that
// (transient) error.
func (s *Store) Index(ctx context.Context, recs []news.Record) []error {
	return s.IndexJSON(ctx, recs, nil)
}

// IndexJSON is [Store.Index] for records that come with their JSON, as the
// index stage reads them from the stream: raw[i], when raw is not nil and
// raw[i] not empty, is recs[i] as valid UTF-8 JSON, and is stored as the
// record instead of recs[i] encoded once more.
func (s *Store) IndexJSON(ctx context.Context, recs []news.Record, raw [][]byte) []error {
	items := make([]item, len(recs))
	for i, rec := range recs {
		it := item{id: rec.Article.ID, version: rec.ExtractorVersion}
		var r []byte
		if i < len(raw) {
			r = raw[i]
		}
		var err error
		if it.id != "" && len(r) == 0 {
			r, err = json.Marshal(rec)
		}
		switch {
		case it.id == "":
			it.err = news.Permanent(errors.New("record has no article id"))
		case err != nil:
			it.err = news.Permanent(fmt.Errorf("encoding record %s: %w", it.id, err))
		default:
			it.raw, it.doc = r, index.NewDoc(rec, s.rates)
		}
		items[i] = it
	}
	start := time.Now()
	errs := s.rec.write(ctx, items)
	s.bulk.Load().Observe(obs.BackendSQLite, obs.KindRecords, len(items), time.Since(start))
	return errs
}

// write stores items in one transaction and returns one result per item.
//
// It first writes the whole batch with one statement per chunk of records
// for the records table ([db.writeBatch]). Only when that fails does it
// roll back and write the items again each in its own savepoint
// ([db.writeEach]), so that a record SQLite rejects fails alone and leaves
// no partial rows.
//
// Why by chunks: FTS5 moves the terms it has collected into a new segment
// of the full-text index whenever a statement that writes it begins or a
// savepoint is released. The insert trigger writes it, so a statement (and
// a savepoint) per record wrote a segment per record and had FTS5 merge
// them over and over: most of the time of a batch.
func (d *db) write(ctx context.Context, items []item) []error {
	if errs, ok := d.writeBatch(ctx, items); ok {
		return errs
	}
	return d.writeEach(ctx, items)
}

// chunkRecords is the most records one statement deletes or inserts: 16
// parameters a record stay well below SQLite's limit of 32766.
const chunkRecords = 256

// writeBatch writes items in one transaction: per chunk of records one
// DELETE of their earlier versions and one INSERT of their rows, then the
// rows of the other tables. It returns false, having written nothing, when
// a statement fails or the batch holds an id twice (which must be written
// in order): the caller then writes item by item.
func (d *db) writeBatch(ctx context.Context, items []item) ([]error, bool) {
	errs := make([]error, len(items))
	live := make([]int, 0, len(items)) // positions of the items to write
	seen := make(map[string]bool, len(items))
	for i, it := range items {
		if it.err != nil {
			errs[i] = it.err
			continue
		}
		if seen[it.id] {
			return nil, false
		}
		seen[it.id] = true
		live = append(live, i)
	}
	if len(live) == 0 {
		return errs, true
	}
	tx, st, err := d.begin(ctx)
	if err != nil {
		return index.Errs(len(items), err), true
	}
	defer tx.Rollback()
	defer st.close()
	rid, err := lastRID(ctx, tx)
	if err != nil {
		return index.Errs(len(items), err), true
	}
	first := rid // the batch's records are those above
	rids := make([]int64, len(items))
	for c := 0; c < len(live); c += chunkRecords {
		part := live[c:min(c+chunkRecords, len(live))]
		ids := make([]any, len(part))
		for k, i := range part {
			ids[k] = items[i].id
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM records WHERE id IN ("+placeholders(len(part), 1)+")", ids...); err != nil {
			return nil, false
		}
		args := make([]any, 0, len(part)*recordColumns)
		n := 0
		for _, i := range part {
			if items[i].del {
				continue
			}
			rid++
			rids[i] = rid
			args = append(append(args, rid), recordRow(items[i])...)
			n++
		}
		if n == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO records (rid, "+recordCols+") VALUES "+placeholders(n, recordColumns), args...); err != nil {
			return nil, false
		}
	}
	counts := facetCounts{}
	for _, i := range live {
		if items[i].del {
			continue
		}
		if err := insertRows(ctx, st, items[i], rids[i], counts); err != nil {
			return nil, false
		}
	}
	if err := st.derive(ctx, tx, first, rid, counts); err != nil {
		return nil, false
	}
	if err := tx.Commit(); err != nil {
		return index.Errs(len(items), fmt.Errorf("committing: %w", classify(err))), true
	}
	return errs, true
}

// writeEach writes items in one transaction, each in its own savepoint, so
// that an item SQLite rejects gets its error and leaves no rows behind.
// Each item's derived rows are written with it: a later item of the batch
// may delete it again (an id twice), and the delete triggers take away
// only what was derived.
func (d *db) writeEach(ctx context.Context, items []item) []error {
	tx, st, err := d.begin(ctx)
	if err != nil {
		return index.Errs(len(items), err)
	}
	defer tx.Rollback()
	defer st.close()
	rid, err := lastRID(ctx, tx)
	if err != nil {
		return index.Errs(len(items), err)
	}
	errs := make([]error, len(items))
	for i, it := range items {
		if it.err != nil {
			errs[i] = it.err
			continue
		}
		rid++ // a rejected item leaves its rid unused
		errs[i] = put(ctx, tx, st, it, rid)
	}
	if err := tx.Commit(); err != nil {
		return index.Errs(len(items), fmt.Errorf("committing: %w", classify(err)))
	}
	return errs
}

// lastRID returns the highest rid of records. New rows take ids above it:
// this connection is the only writer, and its transaction holds the write
// lock. Given, not left to SQLite, they stay above it even when the
// record with the highest rid is deleted and written again, so that the
// records of a batch are the rids above it ([stmts.derive]).
func lastRID(ctx context.Context, tx *sql.Tx) (int64, error) {
	var rid int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(rid), 0) FROM records").Scan(&rid); err != nil {
		return 0, fmt.Errorf("reading the last row id: %w", classify(err))
	}
	return rid, nil
}

// begin starts a write transaction, counts it in the file's generation
// (see [generationSchema]) and prepares its statements.
func (d *db) begin(ctx context.Context) (*sql.Tx, *stmts, error) {
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("beginning transaction: %w", classify(err))
	}
	if _, err := tx.ExecContext(ctx, bumpGeneration); err != nil {
		tx.Rollback()
		return nil, nil, fmt.Errorf("beginning transaction: %w", classify(err))
	}
	st, err := prepare(ctx, tx)
	if err != nil {
		tx.Rollback()
		return nil, nil, fmt.Errorf("preparing statements: %w", classify(err))
	}
	return tx, st, nil
}

// placeholders is rows groups of n "?" each: "(?, ?), (?, ?)"; for one row
// of one column, just "?".
func placeholders(rows, n int) string {
	if n == 1 {
		return strings.TrimSuffix(strings.Repeat("?, ", rows), ", ")
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ")
}

// put writes one item, as row rid of records, inside a savepoint,
// replacing any earlier version.
func put(ctx context.Context, tx *sql.Tx, st *stmts, it item, rid int64) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT rec"); err != nil {
		return fmt.Errorf("indexing %s: %w", it.id, classify(err))
	}
	if err := insert(ctx, tx, st, it, rid); err != nil {
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO rec"); rerr != nil {
			return fmt.Errorf("indexing %s: %w", it.id, errors.Join(classify(err), rerr))
		}
		if _, rerr := tx.ExecContext(ctx, "RELEASE rec"); rerr != nil {
			return fmt.Errorf("indexing %s: %w", it.id, errors.Join(classify(err), rerr))
		}
		return fmt.Errorf("indexing %s: %w", it.id, classify(err))
	}
	if _, err := tx.ExecContext(ctx, "RELEASE rec"); err != nil {
		return fmt.Errorf("indexing %s: %w", it.id, classify(err))
	}
	return nil
}

// stmts are the statements of one write transaction, prepared once per batch.
type stmts struct {
	del, rec, deal, inv, capacity, amount, term *sql.Stmt
	keys                                        *sql.Stmt // deriveKeys
}

// derive writes the record_keys rows and facet_totals counts of the new
// records with rids in (lo, hi], whose counts are c.
func (st *stmts) derive(ctx context.Context, tx *sql.Tx, lo, hi int64, c facetCounts) error {
	if hi <= lo {
		return nil
	}
	if _, err := st.keys.ExecContext(ctx, lo, hi); err != nil {
		return err
	}
	return addTotals(ctx, tx, c)
}

// recordCols are the columns of records that [recordRow] fills, in its order.
const recordCols = `id, source, url, title, text, lang, published_at, fetched_at, date_ms, month,
	extractor_version, amount_usd_max, record, amount_usd_max_conf, deal_conf`

// recordColumns is the number of values of one row of records with its rid.
const recordColumns = 16

func prepare(ctx context.Context, tx *sql.Tx) (*stmts, error) {
	st := &stmts{}
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&st.del, "DELETE FROM records WHERE id = ?"},
		{&st.rec, "INSERT INTO records (rid, " + recordCols + ") VALUES (" + placeholders(recordColumns, 1) + ")"},
		{&st.deal, `INSERT INTO deals
			(rid, article_id, position, company, company_key, round, amount, currency, amount_usd,
			 valuation, valuation_currency, valuation_usd, valuation_basis, confidence)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&st.inv, `INSERT INTO investors
			(deal_id, rid, article_id, name, canonical, key, name_key, lead, amount, currency, amount_usd)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&st.capacity, `INSERT INTO capacities (deal_id, rid, article_id, watts) VALUES (?, ?, ?, ?)`},
		{&st.amount, `INSERT INTO amounts
			(rid, article_id, position, kind, value, currency, usd, text, span_start, span_end)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&st.term, `INSERT INTO record_terms (rid, kind, value, confidence) VALUES (?, ?, ?, ?)`},
		{&st.keys, deriveKeys},
	} {
		var err error
		if *p.dst, err = tx.PrepareContext(ctx, p.query); err != nil {
			st.close()
			return nil, err
		}
	}
	return st, nil
}

func (st *stmts) close() {
	for _, s := range []*sql.Stmt{st.del, st.rec, st.deal, st.inv, st.capacity, st.amount, st.term, st.keys} {
		if s != nil {
			s.Close()
		}
	}
}

// insert writes the rows of one item, as row rid of records, and its
// derived rows, after deleting its earlier version.
func insert(ctx context.Context, tx *sql.Tx, st *stmts, it item, rid int64) error {
	if _, err := st.del.ExecContext(ctx, it.id); err != nil {
		return err
	}
	if it.del {
		return nil
	}
	if _, err := st.rec.ExecContext(ctx, append([]any{rid}, recordRow(it)...)...); err != nil {
		return err
	}
	c := facetCounts{}
	if err := insertRows(ctx, st, it, rid, c); err != nil {
		return err
	}
	return st.derive(ctx, tx, rid-1, rid, c)
}

// recordRow is the values of the item's row of records, in the order of
// [recordCols].
func recordRow(it item) []any {
	d := it.doc
	// The amount sort may use amount_usd_max as it is at every threshold up
	// to amountConf; above it, it looks for the largest amount shown.
	amountConf := 1.0
	if d.AmountUSDMax > 0 {
		amountConf = 0
		for _, deal := range d.Deals {
			if deal.AmountUSD == d.AmountUSDMax {
				amountConf = max(amountConf, upTo(deal.Confidence))
			}
		}
	}
	dealConf := 0.0 // the highest threshold at which one of the deals shows
	for _, deal := range d.Deals {
		dealConf = max(dealConf, upTo(deal.Confidence))
	}
	return []any{d.ID, d.Source, d.URL, d.Title, d.Text, d.Lang, timeText(d.Published), timeText(d.Fetched),
		d.Date.UnixMilli(), month(d), it.version, d.AmountUSDMax, string(it.raw), amountConf, dealConf}
}

// recordTerm is one row of record_terms.
type recordTerm struct {
	kind, value string
	conf        float64
}

// terms returns the record_terms rows of d: each value once, at the
// highest confidence of the deals that have it, in the order first seen.
func terms(d index.Doc) []recordTerm {
	out := make([]recordTerm, 0, len(d.Sources)+4*len(d.Deals))
	add := func(kind, value string, conf float64) {
		if value == "" {
			return
		}
		for i := range out {
			if out[i].kind == kind && out[i].value == value {
				out[i].conf = max(out[i].conf, conf)
				return
			}
		}
		out = append(out, recordTerm{kind, value, conf})
	}
	for _, src := range d.Sources {
		add("source", src, 1)
	}
	for _, deal := range d.Deals {
		c := upTo(deal.Confidence)
		add("round", deal.Round, c)
		add("currency", deal.Currency, c)
		for _, inv := range deal.Investors {
			add("investor", inv.Canonical, c)
		}
	}
	return out
}

// month is the month of d's date, "" when it has none.
func month(d index.Doc) string {
	if d.Date.IsZero() {
		return ""
	}
	return d.Date.Format("2006-01")
}

// insertRows writes the rows of the other tables of the item whose record
// row has id rid, and adds the record to counts (see [stmts.derive]).
func insertRows(ctx context.Context, st *stmts, it item, rid int64, counts facetCounts) error {
	d := it.doc
	ts := terms(d)
	counts.add(month(d), ts)
	for _, t := range ts {
		if _, err := st.term.ExecContext(ctx, rid, t.kind, t.value, t.conf); err != nil {
			return err
		}
	}
	for pos, deal := range d.Deals {
		res, err := st.deal.ExecContext(ctx,
			rid, d.ID, pos, deal.Company, deal.CompanyKey, deal.Round,
			null(deal.Amount), nullText(deal.Currency), null(deal.AmountUSD),
			null(deal.Valuation), nullText(deal.ValuationCurrency), null(deal.ValuationUSD), nullText(deal.ValuationBasis),
			null(deal.Confidence))
		if err != nil {
			return err
		}
		dealID, err := res.LastInsertId()
		if err != nil {
			return err
		}
		for _, inv := range deal.Investors {
			if _, err := st.inv.ExecContext(ctx,
				dealID, rid, d.ID, inv.Name, inv.Canonical, index.Key(inv.Canonical), index.Key(inv.Name), inv.Lead,
				null(inv.Amount), nullText(inv.Currency), null(inv.AmountUSD)); err != nil {
				return err
			}
		}
		for _, w := range deal.CapacityWatts {
			if _, err := st.capacity.ExecContext(ctx, dealID, rid, d.ID, w); err != nil {
				return err
			}
		}
	}
	for _, a := range d.Amounts {
		var pos any
		if a.Deal >= 0 {
			pos = a.Deal
		}
		if _, err := st.amount.ExecContext(ctx,
			rid, d.ID, pos, a.Kind, a.Value, a.Currency, null(a.USD), a.Text, a.Span.Start, a.Span.End); err != nil {
			return err
		}
	}
	return nil
}

// classify marks SQLite errors that a retry cannot fix as permanent: the
// record itself is unacceptable. Busy, locked, I/O and full-disk errors stay
// transient.
func classify(err error) error {
	var se *sqlite3.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqlite3lib.SQLITE_CONSTRAINT, sqlite3lib.SQLITE_MISMATCH, sqlite3lib.SQLITE_TOOBIG, sqlite3lib.SQLITE_RANGE:
		return news.Permanent(err)
	}
	return err
}

// upTo is the highest threshold at which a deal of confidence c shows: c,
// or 1 when the model did not score it (see [index.Query.Shows]).
func upTo(c float64) float64 {
	if c == 0 {
		return 1
	}
	return c
}

func null(f float64) any {
	if f == 0 {
		return nil
	}
	return f
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func timeText(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.RFC3339Nano)
}
