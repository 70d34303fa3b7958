-- Captures made by others: a page read from a WARC collection (or, later,
-- a web archive) was captured at captured_at by someone else, which is not
-- when presswatch read it (at). capture says where that capture is: the
-- WARC file and record ("file:///…/x.warc.gz#<urn:uuid:…>") or an
-- archive's address. NULL and '' for presswatch's own fetches.
ALTER TABLE fetches ADD COLUMN captured_at INTEGER;
ALTER TABLE fetches ADD COLUMN capture TEXT NOT NULL DEFAULT '';
