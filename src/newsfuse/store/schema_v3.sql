-- newsfuse schema, version 3: the full-text index is filled by Store.add_articles with one
-- INSERT ... SELECT per batch of new articles, which costs half of what a trigger per row does.
DROP TRIGGER articles_ai;
