-- newsfuse schema, version 5: rejection codes, and each rejection recorded once per input item.

ALTER TABLE rejections ADD COLUMN code TEXT NOT NULL DEFAULT '';
DELETE FROM rejections WHERE rowid NOT IN (SELECT min(rowid) FROM rejections GROUP BY origin, reason);
CREATE UNIQUE INDEX rejections_item ON rejections(origin, reason);
