// Package wayback backfills a wayback source from a web archive: it lists
// the captures of the source's URL prefix between its from and to days with
// the archive's CDX server (/cdx/search/cdx, paged with showResumeKey and
// resumeKey), fetches each capture's original bytes from the playback
// (/web/<timestamp>id_/<url>) and hands each page, extracted, to the sink
// as a model.Document of provenance archive, whose fetch keeps the capture
// time and the archive's address apart from when presswatch read it.
//
// Every request goes through presswatch's fetcher (its address checks,
// caps, robots.txt and archive) after a Limiter of the endpoint, so the
// archive sees at most the source's rate, listing and playback together.
// A 429 or 503 ends the run and backs the source off for an hour,
// doubling on repeats, longer when Retry-After says so; the back-off, the
// listing's resume key and every capture listed are kept (Progress), so a
// backfill stopped in any way goes on where it was and fetches no capture
// twice. A capture the archive lacks never says anything about the page:
// nothing is ever marked removed from here.
//
// Run is called by crawler.Crawler.Run for sources of type wayback.
package wayback
