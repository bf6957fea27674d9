-- newsfuse schema, version 7: ids that keep working after events merge or split.

-- An event or story id that is no longer stored, and the id now holding most of its articles;
-- store.event() and store.story() follow it, so a shared link or a note never breaks.
CREATE TABLE redirects (
    old_id TEXT NOT NULL,
    kind   TEXT NOT NULL CHECK (kind IN ('event', 'story')),
    new_id TEXT NOT NULL,
    PRIMARY KEY (kind, old_id)
);
CREATE INDEX redirects_target ON redirects(kind, new_id);
