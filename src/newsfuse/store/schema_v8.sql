-- newsfuse schema, version 8: lists filtered by status and their facets without reading claims.

-- How many of the event's claims are conflicting and updated (written with its claims).
ALTER TABLE events ADD COLUMN conflicting INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN updated INTEGER NOT NULL DEFAULT 0;
UPDATE events SET
    conflicting = (SELECT count(*) FROM claims c WHERE c.event_id = events.event_id AND c.status = 'conflicting'),
    updated = (SELECT count(*) FROM claims c WHERE c.event_id = events.event_id AND c.status = 'updated');
CREATE INDEX events_contested ON events(last_published_at) WHERE conflicting > 0 OR updated > 0;

-- An article's outlet and language without reading its row (the outlet and language facets and
-- filters join every listed event's articles).
CREATE INDEX articles_outlet ON articles(article_id, source, language);
CREATE INDEX articles_source ON articles(source);
