-- The schema of version 1 (before deal confidences), for TestMigrateV1.
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
	record            TEXT NOT NULL           -- the news.Record as JSON
);
CREATE INDEX records_date ON records (date_ms DESC, id);
CREATE INDEX records_amount ON records (amount_usd_max DESC, date_ms DESC, id);
CREATE INDEX records_source ON records (source);
CREATE INDEX records_month ON records (month);

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
CREATE TRIGGER records_au AFTER UPDATE ON records BEGIN
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
	valuation_basis    TEXT
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
CREATE INDEX investors_key ON investors (key);
CREATE INDEX investors_name_key ON investors (name_key);

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
	PRIMARY KEY (rid, kind, value)
) WITHOUT ROWID;
CREATE INDEX record_terms_value ON record_terms (kind, value, rid);

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
