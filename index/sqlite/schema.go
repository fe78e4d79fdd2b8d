package sqlite

import (
	"context"
	"database/sql"

	"github.com/dealwire/dealwire/index"
)

// schemaVersion is stored in PRAGMA user_version. Open refuses a file with a
// newer version and creates the schema in an empty one.
const schemaVersion = 6

// schema is the whole database. Besides the records and their full-text
// index it keeps deals, investors, capacities and amounts as plain tables so
// that analysts can query the file directly, for example:
//
//	SELECT d.company, d.round, d.amount_usd, i.canonical
//	FROM deals d JOIN investors i USING (deal_id)
//	WHERE i.lead AND d.amount_usd > 1e9;
//
// Dates are Unix milliseconds (date_ms: published, or fetched when unknown)
// plus RFC 3339 text copies for reading. Unknown numbers are NULL.
//
// Confidences are stored at float32 precision ([index.StoredConfidence]).
// Where a column stands for several deals (record_terms.confidence,
// records.amount_usd_max_conf, records.deal_conf) it holds the highest threshold at which one
// of them still shows: its confidence, or 1 for a deal the model did not
// score, since unscored deals show at every threshold.
const schema = `
CREATE TABLE records (
	rid               INTEGER PRIMARY KEY,
	id                TEXT NOT NULL UNIQUE,   -- news.Article.ID
	source            TEXT NOT NULL,
	url               TEXT NOT NULL,
	title             TEXT NOT NULL,
	text              TEXT NOT NULL,
	lang              TEXT NOT NULL,
	published_at      TEXT,                   -- RFC 3339, NULL when unknown
	fetched_at        TEXT,
	date_ms           INTEGER NOT NULL,       -- published (or fetched) time, Unix ms
	month             TEXT NOT NULL,          -- of date_ms: 2006-01, '' when unknown
	extractor_version TEXT NOT NULL,
	amount_usd_max    REAL NOT NULL,          -- largest deal amount in approximate USD, 0 when none
	record            TEXT NOT NULL,          -- the news.Record as JSON
	amount_usd_max_conf REAL NOT NULL DEFAULT 1, -- highest confidence among the deals of amount_usd_max (unscored: 1), 1 when none
	deal_conf         REAL NOT NULL DEFAULT 0 -- highest confidence among all the record's deals (unscored: 1), 0 when none
);
CREATE INDEX records_date ON records (date_ms DESC, id);
CREATE INDEX records_amount ON records (amount_usd_max DESC, date_ms DESC, id);
CREATE INDEX records_source ON records (source);
CREATE INDEX records_month ON records (month);
CREATE INDEX records_deal_conf ON records (deal_conf);

CREATE VIRTUAL TABLE records_fts USING fts5 (
	title, text,
	content = 'records', content_rowid = 'rid',
	tokenize = 'unicode61 remove_diacritics 0' -- like the standard analyzer: no accent folding
);
CREATE TRIGGER records_ai AFTER INSERT ON records BEGIN
	INSERT INTO records_fts (rowid, title, text) VALUES (new.rid, new.title, new.text);
END;
CREATE TRIGGER records_ad AFTER DELETE ON records BEGIN
	INSERT INTO records_fts (records_fts, rowid, title, text) VALUES ('delete', old.rid, old.title, old.text);
END;
CREATE TRIGGER records_au AFTER UPDATE OF title, text ON records BEGIN
	INSERT INTO records_fts (records_fts, rowid, title, text) VALUES ('delete', old.rid, old.title, old.text);
	INSERT INTO records_fts (rowid, title, text) VALUES (new.rid, new.title, new.text);
END;

CREATE TABLE deals (
	deal_id            INTEGER PRIMARY KEY,
	rid                INTEGER NOT NULL REFERENCES records (rid) ON DELETE CASCADE,
	article_id         TEXT NOT NULL,
	position           INTEGER NOT NULL,      -- index in the record's deals
	company            TEXT NOT NULL,
	company_key        TEXT NOT NULL,         -- lower case, for exact matching
	round              TEXT NOT NULL,
	amount             REAL,
	currency           TEXT,
	amount_usd         REAL,
	valuation          REAL,
	valuation_currency TEXT,
	valuation_usd      REAL,
	valuation_basis    TEXT,
	confidence         REAL                   -- the extractor model's confidence, NULL when not scored
);
CREATE INDEX deals_rid ON deals (rid);
CREATE INDEX deals_company ON deals (company_key);
CREATE INDEX deals_round ON deals (round);
CREATE INDEX deals_amount_usd ON deals (amount_usd);

CREATE TABLE investors (
	deal_id    INTEGER NOT NULL REFERENCES deals (deal_id) ON DELETE CASCADE,
	rid        INTEGER NOT NULL,
	article_id TEXT NOT NULL,
	name       TEXT NOT NULL,                 -- as written
	canonical  TEXT NOT NULL,                 -- gazetteer name, or name
	key        TEXT NOT NULL,                 -- lower-case canonical
	name_key   TEXT NOT NULL,                 -- lower-case name
	lead       INTEGER NOT NULL,              -- 1 for a lead investor
	amount     REAL,
	currency   TEXT,
	amount_usd REAL
);
CREATE INDEX investors_deal ON investors (deal_id);
-- With deal_id, an investor filter finds its deals from the index alone.
CREATE INDEX investors_key ON investors (key, deal_id);
CREATE INDEX investors_name_key ON investors (name_key, deal_id);

CREATE TABLE capacities (
	deal_id    INTEGER NOT NULL REFERENCES deals (deal_id) ON DELETE CASCADE,
	rid        INTEGER NOT NULL,
	article_id TEXT NOT NULL,
	watts      REAL NOT NULL
);
CREATE INDEX capacities_deal ON capacities (deal_id);

-- record_terms holds each record's distinct facet values once, so that
-- facet counts are plain GROUP BYs.
CREATE TABLE record_terms (
	rid   INTEGER NOT NULL REFERENCES records (rid) ON DELETE CASCADE,
	kind  TEXT NOT NULL,                      -- investor (canonical), round, currency, source
	value TEXT NOT NULL,
	confidence REAL NOT NULL DEFAULT 1,       -- highest confidence among the deals with the value (unscored: 1); 1 for sources
	PRIMARY KEY (rid, kind, value)
) WITHOUT ROWID;
CREATE INDEX record_terms_value ON record_terms (kind, value, rid, confidence);

CREATE TABLE amounts (
	rid        INTEGER NOT NULL REFERENCES records (rid) ON DELETE CASCADE,
	article_id TEXT NOT NULL,
	position   INTEGER,                       -- the deal's position, NULL outside deals
	kind       TEXT NOT NULL,                 -- deal, valuation, investor, prior:<kind>, other:<kind>
	value      REAL NOT NULL,
	currency   TEXT NOT NULL,
	usd        REAL,                          -- approximate USD, NULL when the currency is unknown
	text       TEXT NOT NULL,
	span_start INTEGER NOT NULL,
	span_end   INTEGER NOT NULL
);
CREATE INDEX amounts_rid ON amounts (rid);
CREATE INDEX amounts_usd ON amounts (usd);
` + facetSchema + generationSchema

// migrations[v] brings a file of schema version v to v+1.
var migrations = map[int]func(ctx context.Context, tx *sql.Tx) error{
	1: migrateConfidence, 2: migrateDealConfidence, 3: migrateFacets, 4: migrateDerive, 5: migrateGeneration,
}

// migrateDealConfidence (2 → 3) adds records.deal_conf, so that a search of
// deal records by confidence alone reads one column of each record (and
// counts by its index) instead of collecting, for every query, the set
// of deals that pass the threshold: seconds a query at half a million
// deals.
func migrateDealConfidence(ctx context.Context, tx *sql.Tx) error {
	for _, stmt := range []string{
		`ALTER TABLE records ADD COLUMN deal_conf REAL NOT NULL DEFAULT 0`,
		`UPDATE records SET deal_conf = (SELECT max(coalesce(d.confidence, 1)) FROM deals d WHERE d.rid = records.rid)
		WHERE rid IN (SELECT rid FROM deals)`,
		`CREATE INDEX records_deal_conf ON records (deal_conf)`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

// migrateConfidence (1 → 2) adds the deals' confidences, so that searches
// can hide doubtful deals, and fills them in from the stored JSON: a file
// may hold far more than the streams still do, so it is migrated in place
// rather than rebuilt. A deal record stored before resolved deals had a
// confidence counts as unscored until it is indexed again.
func migrateConfidence(ctx context.Context, tx *sql.Tx) error {
	for _, stmt := range []string{
		`ALTER TABLE records ADD COLUMN amount_usd_max_conf REAL NOT NULL DEFAULT 1`,
		`ALTER TABLE deals ADD COLUMN confidence REAL`,
		`ALTER TABLE record_terms ADD COLUMN confidence REAL NOT NULL DEFAULT 1`,
		`DROP INDEX record_terms_value`,
		`CREATE INDEX record_terms_value ON record_terms (kind, value, rid, confidence)`,
		// The records are updated below: only a new title or text concerns
		// the full-text index.
		`DROP TRIGGER records_au`,
		`CREATE TRIGGER records_au AFTER UPDATE OF title, text ON records BEGIN
			INSERT INTO records_fts (records_fts, rowid, title, text) VALUES ('delete', old.rid, old.title, old.text);
			INSERT INTO records_fts (rowid, title, text) VALUES (new.rid, new.title, new.text);
		END`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	// A record's deal is at its position in extraction.deals; a deal
	// record is its own deal.
	rows, err := tx.QueryContext(ctx, `SELECT d.deal_id, coalesce(
			json_extract(r.record, '$.extraction.deals[' || d.position || '].confidence'),
			json_extract(r.record, '$.confidence'), 0)
		FROM deals d JOIN records r ON r.rid = d.rid`)
	if err != nil {
		return err
	}
	type scored struct {
		id   int64
		conf float64
	}
	var all []scored
	for rows.Next() {
		var s scored
		if err := rows.Scan(&s.id, &s.conf); err != nil {
			rows.Close()
			return err
		}
		if s.conf != 0 {
			all = append(all, s)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, s := range all {
		if _, err := tx.ExecContext(ctx, `UPDATE deals SET confidence = ? WHERE deal_id = ?`, index.StoredConfidence(s.conf), s.id); err != nil {
			return err
		}
	}
	for _, stmt := range []string{
		`UPDATE record_terms SET confidence = coalesce((
			SELECT max(coalesce(d.confidence, 1)) FROM deals d
			WHERE d.rid = record_terms.rid AND (
				record_terms.kind = 'round' AND d.round = record_terms.value OR
				record_terms.kind = 'currency' AND d.currency = record_terms.value OR
				record_terms.kind = 'investor' AND EXISTS (
					SELECT 1 FROM investors i WHERE i.deal_id = d.deal_id AND i.canonical = record_terms.value))), 1)
		WHERE kind <> 'source' AND rid IN (SELECT rid FROM deals WHERE confidence IS NOT NULL)`,
		`UPDATE records SET amount_usd_max_conf = coalesce((
			SELECT max(coalesce(d.confidence, 1)) FROM deals d
			WHERE d.rid = records.rid AND d.amount_usd = records.amount_usd_max), 1)
		WHERE amount_usd_max > 0 AND rid IN (SELECT rid FROM deals WHERE confidence IS NOT NULL)`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}
