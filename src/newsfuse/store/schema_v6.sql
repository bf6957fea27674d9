-- newsfuse schema: what an article's text is, its dateline place and where its date came from;
-- the outlets articles come from; the HTTP validators of fetched URLs (conditional GET).
ALTER TABLE articles ADD COLUMN content_kind TEXT NOT NULL DEFAULT 'full'; -- full, teaser or caption
ALTER TABLE articles ADD COLUMN dateline TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN date_source TEXT NOT NULL DEFAULT '';

-- One row per outlet; articles.source is its name.
CREATE TABLE outlets (
    outlet_id TEXT PRIMARY KEY,             -- the registered domain, else the normalised name
    name      TEXT NOT NULL,
    domain    TEXT NOT NULL DEFAULT '',
    aliases   TEXT NOT NULL DEFAULT '[]',   -- JSON list of other names seen (feed titles, site names)
    country   TEXT NOT NULL DEFAULT '',
    language  TEXT NOT NULL DEFAULT ''
);

-- ETag and Last-Modified of each fetched URL, sent back on the next fetch.
CREATE TABLE http_cache (
    url           TEXT PRIMARY KEY,
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    fetched_at    TEXT NOT NULL
);
