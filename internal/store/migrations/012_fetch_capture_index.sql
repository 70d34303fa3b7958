-- Finds a backfill's earlier fetch of a capture by its archive address
-- (Store.CaptureFetched), without reading every fetch of the source.
CREATE INDEX fetches_capture ON fetches (source_id, capture) WHERE capture != '';
