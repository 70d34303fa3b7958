-- The publisher's UTC offset of articles.published, in seconds east of UTC,
-- so the day and time are shown as the publisher printed them. NULL when
-- the published date is unknown.
ALTER TABLE articles ADD COLUMN published_offset INTEGER;
ALTER TABLE versions ADD COLUMN published INTEGER;
ALTER TABLE versions ADD COLUMN published_offset INTEGER;
