// Package sqlite is the embedded [index.Store]: one SQLite file (pure-Go
// modernc.org/sqlite) with an FTS5 full-text index over title and text and
// plain tables of deals, investors, capacities and amounts that analysts can
// query directly. It is the default of "dealwire run" on one machine.
//
// The file is in WAL mode: readers never block the indexer and the indexer
// never blocks readers. Writes go through one connection, one transaction
// per [Store.Index] call, committed with synchronous=FULL before Index
// returns, so a nil result means the record survives a crash.
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
	"sync"
	"time"

	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// Config says where the database lives.
type Config struct {
	// Path is the database file; its directory is created when missing.
	Path string `yaml:"path"`
	// FX is a file with the FX table (see configs/fx.tsv); empty uses the
	// shipped one.
	FX string `yaml:"fx"`
	// Readers is the number of connections that serve searches; default 4.
	Readers int `yaml:"readers"`
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

// Store is an [index.Store] in one SQLite file.
type Store struct {
	w      *sql.DB // one connection: the only writer
	r      *sql.DB // read-only connections for Search and Get
	rates  *fx.Table
	logger *slog.Logger

	// closeOnce guards closing both pools.
	closeOnce sync.Once
}

var _ index.Store = (*Store)(nil)

// Open opens or creates the database of cfg.
func Open(ctx context.Context, cfg Config, logger *slog.Logger) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	rates, err := loadFX(cfg.FX)
	if err != nil {
		return nil, err
	}
	if dir := filepath.Dir(cfg.Path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("creating database directory: %w", err)
		}
	}
	pragmas := url.Values{"_pragma": {"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(FULL)", "temp_store(MEMORY)"}}
	w, err := sql.Open("sqlite", cfg.Path+"?"+pragmas.Encode()+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", cfg.Path, err)
	}
	w.SetMaxOpenConns(1)
	s := &Store{w: w, rates: rates, logger: logger}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("opening %s: %w", cfg.Path, err)
	}
	pragmas.Add("_pragma", "query_only(1)")
	r, err := sql.Open("sqlite", cfg.Path+"?"+pragmas.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("opening %s: %w", cfg.Path, err)
	}
	n := cfg.Readers
	if n == 0 {
		n = 4
	}
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s.r = r
	return s, nil
}

func loadFX(path string) (*fx.Table, error) {
	if path == "" {
		return fx.Default()
	}
	return fx.Load(os.DirFS(filepath.Dir(path)), filepath.Base(path))
}

func (s *Store) migrate(ctx context.Context) error {
	var v int
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("reading schema version: %w", err)
	}
	switch {
	case v == schemaVersion:
		return nil
	case v > schemaVersion:
		return fmt.Errorf("schema version %d is newer than this program's %d", v, schemaVersion)
	case v != 0:
		return fmt.Errorf("schema version %d: no migration to %d, rebuild the file with 'dealwire index reindex'", v, schemaVersion)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("creating schema: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("creating schema: %w", err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)); err != nil {
		return fmt.Errorf("creating schema: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("creating schema: %w", err)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		err = errors.Join(s.r.Close(), s.w.Close())
	})
	return err
}

// Refresh does nothing: a committed transaction is visible at once.
func (s *Store) Refresh(ctx context.Context) error { return nil }

// Get returns the record with article id id.
func (s *Store) Get(ctx context.Context, id string) (news.Record, error) {
	var raw []byte
	err := s.r.QueryRowContext(ctx, "SELECT record FROM records WHERE id = ?", id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return news.Record{}, fmt.Errorf("getting %s: %w", id, index.ErrNotFound)
	}
	if err != nil {
		return news.Record{}, fmt.Errorf("getting %s: %w", id, err)
	}
	var rec news.Record
	if err := json.Unmarshal(raw, &rec); err != nil {
		return news.Record{}, fmt.Errorf("decoding %s: %w", id, err)
	}
	return rec, nil
}

// Index writes recs in one transaction. Each record has its own savepoint,
// so a record SQLite rejects fails alone; if the commit fails, every record
// gets that (transient) error.
func (s *Store) Index(ctx context.Context, recs []news.Record) []error {
	errs := make([]error, len(recs))
	if len(recs) == 0 {
		return errs
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return index.Errs(len(recs), fmt.Errorf("beginning transaction: %w", classify(err)))
	}
	defer tx.Rollback()
	st, err := prepare(ctx, tx)
	if err != nil {
		return index.Errs(len(recs), fmt.Errorf("preparing statements: %w", classify(err)))
	}
	defer st.close()
	for i, rec := range recs {
		errs[i] = s.put(ctx, tx, st, rec)
	}
	if err := tx.Commit(); err != nil {
		return index.Errs(len(recs), fmt.Errorf("committing: %w", classify(err)))
	}
	return errs
}

// put writes one record inside a savepoint, replacing any earlier version.
func (s *Store) put(ctx context.Context, tx *sql.Tx, st *stmts, rec news.Record) error {
	if rec.Article.ID == "" {
		return news.Permanent(errors.New("record has no article id"))
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		return news.Permanent(fmt.Errorf("encoding record %s: %w", rec.Article.ID, err))
	}
	if _, err := tx.ExecContext(ctx, "SAVEPOINT rec"); err != nil {
		return fmt.Errorf("indexing %s: %w", rec.Article.ID, classify(err))
	}
	if err := s.insert(ctx, st, rec, raw); err != nil {
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO rec"); rerr != nil {
			return fmt.Errorf("indexing %s: %w", rec.Article.ID, errors.Join(classify(err), rerr))
		}
		if _, rerr := tx.ExecContext(ctx, "RELEASE rec"); rerr != nil {
			return fmt.Errorf("indexing %s: %w", rec.Article.ID, errors.Join(classify(err), rerr))
		}
		return fmt.Errorf("indexing %s: %w", rec.Article.ID, classify(err))
	}
	if _, err := tx.ExecContext(ctx, "RELEASE rec"); err != nil {
		return fmt.Errorf("indexing %s: %w", rec.Article.ID, classify(err))
	}
	return nil
}

// stmts are the statements of one write transaction, prepared once per batch.
type stmts struct {
	del, rec, deal, inv, capacity, amount, term *sql.Stmt
}

func prepare(ctx context.Context, tx *sql.Tx) (*stmts, error) {
	st := &stmts{}
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&st.del, "DELETE FROM records WHERE id = ?"},
		{&st.rec, `INSERT INTO records
			(id, source, url, title, text, lang, published_at, fetched_at, date_ms, month, extractor_version, amount_usd_max, record)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&st.deal, `INSERT INTO deals
			(rid, article_id, position, company, company_key, round, amount, currency, amount_usd,
			 valuation, valuation_currency, valuation_usd, valuation_basis)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&st.inv, `INSERT INTO investors
			(deal_id, rid, article_id, name, canonical, key, name_key, lead, amount, currency, amount_usd)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&st.capacity, `INSERT INTO capacities (deal_id, rid, article_id, watts) VALUES (?, ?, ?, ?)`},
		{&st.amount, `INSERT INTO amounts
			(rid, article_id, position, kind, value, currency, usd, text, span_start, span_end)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&st.term, `INSERT OR IGNORE INTO record_terms (rid, kind, value) VALUES (?, ?, ?)`},
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
	for _, s := range []*sql.Stmt{st.del, st.rec, st.deal, st.inv, st.capacity, st.amount, st.term} {
		if s != nil {
			s.Close()
		}
	}
}

func (s *Store) insert(ctx context.Context, st *stmts, rec news.Record, raw []byte) error {
	d := index.NewDoc(rec, s.rates)
	if _, err := st.del.ExecContext(ctx, d.ID); err != nil {
		return err
	}
	month := ""
	if !d.Date.IsZero() {
		month = d.Date.Format("2006-01")
	}
	res, err := st.rec.ExecContext(ctx,
		d.ID, d.Source, d.URL, d.Title, d.Text, d.Lang, timeText(d.Published), timeText(d.Fetched),
		d.Date.UnixMilli(), month, rec.ExtractorVersion, d.AmountUSDMax, string(raw))
	if err != nil {
		return err
	}
	rid, err := res.LastInsertId()
	if err != nil {
		return err
	}
	for pos, deal := range d.Deals {
		terms := [][2]string{{"round", deal.Round}, {"currency", deal.Currency}}
		for _, inv := range deal.Investors {
			terms = append(terms, [2]string{"investor", inv.Canonical})
		}
		for _, t := range terms {
			if t[1] == "" {
				continue
			}
			if _, err := st.term.ExecContext(ctx, rid, t[0], t[1]); err != nil {
				return err
			}
		}
		res, err := st.deal.ExecContext(ctx,
			rid, d.ID, pos, deal.Company, deal.CompanyKey, deal.Round,
			null(deal.Amount), nullText(deal.Currency), null(deal.AmountUSD),
			null(deal.Valuation), nullText(deal.ValuationCurrency), null(deal.ValuationUSD), nullText(deal.ValuationBasis))
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
