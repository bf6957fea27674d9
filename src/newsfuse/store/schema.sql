-- newsfuse schema, version 1.  Applied by migrations.py; never edit a
-- released version, add a new migration instead.

-- One row per ingested report.  article_id is a content hash (source, day, text).
CREATE TABLE articles (
    article_id   TEXT PRIMARY KEY,
    source       TEXT NOT NULL,
    title        TEXT NOT NULL,
    text         TEXT NOT NULL,
    published_at TEXT NOT NULL,          -- ISO 8601, UTC
    url          TEXT NOT NULL DEFAULT '',
    language     TEXT NOT NULL DEFAULT 'en',
    origin       TEXT NOT NULL DEFAULT '', -- file[:line] it came from
    ingested_at  TEXT NOT NULL
);
CREATE INDEX articles_published_at ON articles(published_at);

-- Full-text index over title and text (external content: no second copy).
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;

-- Per-article results of the map stages (split, extract, MinHash, embed).
CREATE TABLE analyses (
    article_id  TEXT PRIMARY KEY REFERENCES articles(article_id) ON DELETE CASCADE,
    produced_by TEXT NOT NULL,
    extraction  TEXT NOT NULL,           -- JSON of models.Extraction
    minhash     BLOB NOT NULL,           -- uint32 hash values
    embedding   BLOB NOT NULL            -- float32 vector
);

-- article_id is a near-copy of original_id (never counted as an independent source).
CREATE TABLE duplicates (
    article_id  TEXT PRIMARY KEY REFERENCES articles(article_id) ON DELETE CASCADE,
    original_id TEXT NOT NULL REFERENCES articles(article_id) ON DELETE CASCADE,
    similarity  REAL NOT NULL
);

CREATE TABLE events (
    event_id           TEXT PRIMARY KEY,
    label              TEXT NOT NULL,
    first_published_at TEXT NOT NULL,
    last_published_at  TEXT NOT NULL,
    produced_by        TEXT NOT NULL
);
CREATE TABLE event_articles (
    event_id   TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles(article_id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, article_id)
);
CREATE INDEX event_articles_article ON event_articles(article_id);

-- Reconciled claims of an event; data is JSON of models.Claim.
CREATE TABLE claims (
    claim_id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    status   TEXT NOT NULL,
    data     TEXT NOT NULL
);
CREATE INDEX claims_event ON claims(event_id);

-- Input items that were not ingested, and why.
CREATE TABLE rejections (
    origin TEXT NOT NULL,
    reason TEXT NOT NULL,
    at     TEXT NOT NULL
);
