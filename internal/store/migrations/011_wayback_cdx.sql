-- The CDX row that listed a capture, as a JSON list of [field, value]
-- pairs in the listing's order, so that the WARC metadata record written
-- beside the capture's bytes holds it whole, however many runs later the
-- capture is fetched. '' for captures listed before this column.
ALTER TABLE wayback_captures ADD COLUMN cdx TEXT NOT NULL DEFAULT '';
