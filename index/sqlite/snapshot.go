package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/dealwire/dealwire/index"
)

// generationSchema counts the file's write transactions: the store's
// writer adds one to generation.n in each ([db.begin]), so two read
// transactions that read the same n read the same snapshot. In WAL mode a
// read transaction's snapshot is fixed by its first read, so a search can
// begin a second read transaction on another connection, read n in both,
// and split its work between them when they agree (see [db.goAside]).
// SQLite's own ways to tell are no use here: PRAGMA data_version counts
// the commits a connection has seen, not comparable between connections,
// and sqlite3_snapshot_get/open are not reachable through modernc's
// driver. A program that writes the file without the store must add one
// to n in each of its transactions too, as it must derive record_keys.
const generationSchema = `
CREATE TABLE generation (n INTEGER NOT NULL);
INSERT INTO generation VALUES (0);
`

// generationVersion is the first schema version with generationSchema.
const generationVersion = 6

// bumpGeneration counts a write transaction; see [generationSchema].
const bumpGeneration = `UPDATE generation SET n = n + 1`

// migrateGeneration (5 → 6) adds the generation counter.
func migrateGeneration(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, generationSchema)
	return err
}

// readGeneration reads the generation of tx's snapshot; as the first read
// of tx, it fixes that snapshot.
func readGeneration(ctx context.Context, tx *sql.Tx) (int64, error) {
	var n int64
	if err := tx.QueryRowContext(ctx, "SELECT n FROM generation").Scan(&n); err != nil {
		return 0, fmt.Errorf("reading the generation: %w", err)
	}
	return n, nil
}

// aside is work of a search running on a second reader connection, in a
// read transaction on the snapshot of the search's own (see [db.goAside]).
type aside struct {
	cancel context.CancelFunc
	done   chan struct{}
	err    error // set before done is closed
}

// wait waits for the work and returns its error.
func (a *aside) wait() error {
	<-a.done
	return a.err
}

// stop cancels the work and waits for it: deferred, so that a search
// that fails leaves nothing running.
func (a *aside) stop() {
	a.cancel()
	<-a.done
}

// goAside starts fn on a second reader connection, in a read transaction
// on the snapshot of generation gen: the generation of the search's own
// transaction (see [generationSchema]), which must have been read in it.
// It returns nil, having started nothing, when no connection is free at
// the moment, or when the new transaction reads another generation (a
// write committed after the search's own transaction began reading): the
// caller then does the work on its own transaction.
func (d *db) goAside(ctx context.Context, gen int64, fn func(context.Context, *sql.Tx) error) (*aside, error) {
	select {
	case <-d.spare:
	default:
		return nil, nil
	}
	if st := d.r.Stats(); st.Idle == 0 && st.OpenConnections >= st.MaxOpenConnections {
		// Taking one would wait for another search to end: work here.
		d.spare <- struct{}{}
		return nil, nil
	}
	actx, cancel := context.WithCancel(ctx)
	conn, err := d.r.Conn(actx)
	if err != nil {
		cancel()
		d.spare <- struct{}{}
		return nil, fmt.Errorf("searching: %w", err)
	}
	release := func() {
		conn.Close()
		cancel()
		d.spare <- struct{}{}
	}
	tx2, err := conn.BeginTx(actx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		release()
		return nil, fmt.Errorf("searching: %w", err)
	}
	gen2, err := readGeneration(actx, tx2)
	if err != nil || gen2 != gen {
		tx2.Rollback()
		release()
		if err != nil {
			return nil, fmt.Errorf("searching: %w", err)
		}
		return nil, nil
	}
	a := &aside{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(a.done)
		defer release()
		defer tx2.Rollback()
		a.err = fn(actx, tx2)
	}()
	return a, nil
}

// facetsSide is the count and facets of a search counted aside.
type facetsSide struct {
	*aside
	// Set before done is closed.
	total  int
	facets *index.Facets
}

// wait returns the count and the facets.
func (f *facetsSide) wait() (int, *index.Facets, error) {
	err := f.aside.wait()
	return f.total, f.facets, err
}

// facetsAside starts counting the facets of match and w at threshold
// minConf (see [facets]) on a second reader connection, on the snapshot
// of generation gen (see [db.goAside]): the page of a search that ranks
// every match costs CPU of the same order as its facets (at 100,000
// records, a text matching 86% of them spends about 100 ms on the page,
// bm25 for every match, and 31 ms on the facets, counted outside it: see
// [facetsOutside]; 67 ms when they were counted over the matches), so on a machine with a
// processor to spare the answer comes in the time of the page alone. It
// returns nil, having started nothing, when goAside does: the caller
// then counts on its own transaction.
func (d *db) facetsAside(ctx context.Context, gen int64, match string, w where, minConf float64) (*facetsSide, error) {
	f := &facetsSide{}
	a, err := d.goAside(ctx, gen, func(ctx context.Context, tx *sql.Tx) (err error) {
		f.total, f.facets, err = facets(ctx, tx, match, w, minConf)
		return err
	})
	if a == nil || err != nil {
		return nil, err
	}
	d.asides.Add(1)
	f.aside = a
	return f, nil
}
