-- newsfuse schema, version 2: grouping profiles, event date/place, stories.

-- Hashed word and name counts of each article (see stages/profile.py), packed by store.py.
ALTER TABLE analyses ADD COLUMN profile BLOB NOT NULL DEFAULT x'';

ALTER TABLE events ADD COLUMN day TEXT NOT NULL DEFAULT '';      -- representative date, ISO
ALTER TABLE events ADD COLUMN place TEXT NOT NULL DEFAULT '';    -- representative place
ALTER TABLE events ADD COLUMN story_id TEXT NOT NULL DEFAULT '';

-- Events of the same developing situation.
CREATE TABLE stories (
    story_id           TEXT PRIMARY KEY,
    label              TEXT NOT NULL,
    first_published_at TEXT NOT NULL,
    last_published_at  TEXT NOT NULL,
    produced_by        TEXT NOT NULL
);
CREATE INDEX events_story ON events(story_id);
CREATE INDEX events_last_published_at ON events(last_published_at);
