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
// and split its work between them when they agree (see [db.facetsAside]).
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

// aside is the facets of a search being counted on a second reader
// connection while the search reads its page on its own.
type aside struct {
	cancel context.CancelFunc
	done   chan struct{}
	// Set before done is closed.
	total  int
	facets *index.Facets
	err    error
}

// wait returns the count and the facets.
func (a *aside) wait() (int, *index.Facets, error) {
	<-a.done
	return a.total, a.facets, a.err
}

// stop cancels the counting and waits for it: deferred, so that a search
// that fails leaves nothing running.
func (a *aside) stop() {
	a.cancel()
	<-a.done
}

// facetsAside starts counting the facets of match and w at threshold
// minConf (see [facets]) on a second reader connection, in a read
// transaction on the snapshot of tx, which must not have read anything
// yet: the page of a search that ranks every match costs CPU of the same
// order as its facets (at 100,000 records, a text matching 86% of them
// spends about 100 ms on the page, bm25 for every match, and 65 ms on the
// facets), so on a machine with a processor to spare the answer comes
// in the time of the page alone. It returns nil, having started nothing, when no connection is
// free at the moment, or when a write committed between the first reads
// of the two transactions (their generations differ): the caller then
// counts on tx itself.
func (d *db) facetsAside(ctx context.Context, tx *sql.Tx, match string, w where, minConf float64) (*aside, error) {
	gen, err := readGeneration(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("searching: %w", err)
	}
	select {
	case <-d.spare:
	default:
		return nil, nil
	}
	if st := d.r.Stats(); st.Idle == 0 && st.OpenConnections >= st.MaxOpenConnections {
		// Taking one would wait for another search to end: count here.
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
	d.asides.Add(1)
	a := &aside{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(a.done)
		defer release()
		defer tx2.Rollback()
		a.total, a.facets, a.err = facets(actx, tx2, match, w, minConf)
	}()
	return a, nil
}
