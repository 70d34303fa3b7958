-- Articles deleted from the store whose removal the index has not yet
-- seen: the indexer deletes them from the index, then from here.
CREATE TABLE index_deletes (
    article_id INTEGER PRIMARY KEY
);
