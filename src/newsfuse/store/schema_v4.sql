-- newsfuse schema, version 4: which version of each stage made the stored derived rows.

-- One row per stage (group, reconcile, link), written in the same transaction as its rows;
-- a stage whose version differs from the running code's is redone (pipeline.stale_stages).
CREATE TABLE stage_versions (
    stage   TEXT PRIMARY KEY,
    version TEXT NOT NULL
);
