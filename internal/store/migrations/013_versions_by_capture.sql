-- A version read from a capture someone else made (an imported WARC
-- record, a web archive's capture) is dated by its capture time, not by
-- when presswatch read it, so an article's history is in capture order
-- whatever order the captures were imported in (ingest's AddCapture keeps
-- it so from now on). This only reorders histories: an article whose
-- current text came from an older capture imported after a newer one
-- keeps that text until its next capture is read.
UPDATE versions SET seen = (SELECT captured_at FROM fetches WHERE fetches.id = versions.fetch_id)
WHERE fetch_id IN (SELECT id FROM fetches WHERE captured_at IS NOT NULL);
