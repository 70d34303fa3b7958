-- A wayback source's settings (from, to, paths, endpoint, rate) as JSON,
-- '' for other types: what `presswatch sources`, /api/sources and the
-- sources page need to say what a backfill reads and how long the rest of
-- it takes at the archive's pace.
ALTER TABLE sources ADD COLUMN wayback TEXT NOT NULL DEFAULT '';
