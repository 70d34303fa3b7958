package web

// The texts of captures other than presswatch's own: a backfill's
// progress on the sources page, and a capture in the citation. Part of
// messages.

var backfillEN = map[string]string{
	"backfill.range":     "Backfill of %s to %s from %s",
	"backfill.progress":  "%d captures listed, %d fetched, %d stored, %d remaining",
	"backfill.listing":   "the archive's listing is still being read",
	"backfill.done":      "every capture listed has been fetched",
	"backfill.estimate":  "about %s more at %s requests a second",
	"backfill.shared":    "about %s more at %s requests a second, taking turns with %s",
	"backfill.others":    "%d other backfill of this archive|%d other backfills of this archive",
	"backfill.backoff":   "The archive asked presswatch to slow down: nothing is asked before %s.",
	"backfill.dur.days":  "%d d %d h",
	"backfill.dur.hours": "%d h %d min",
	"backfill.dur.mins":  "%d min",
	"backfill.dur.secs":  "%d s",

	"article.cite.captured.archive": "Captured by a web archive",
	"article.cite.captured.file":    "Captured by another tool",
}

var backfillRU = map[string]string{
	"backfill.range":     "Загрузка архива с %s по %s из %s",
	"backfill.progress":  "снимков в списке: %d, загружено: %d, сохранено: %d, осталось: %d",
	"backfill.listing":   "список снимков архива ещё читается",
	"backfill.done":      "все снимки из списка загружены",
	"backfill.estimate":  "ещё около %s при скорости %s запр./с",
	"backfill.shared":    "ещё около %s при скорости %s запр./с, по очереди с %s",
	"backfill.others":    "%d другой загрузкой из этого архива|%d другими загрузками из этого архива|%d другими загрузками из этого архива",
	"backfill.backoff":   "Архив попросил presswatch делать запросы реже: до %s запросов не будет.",
	"backfill.dur.days":  "%d д %d ч",
	"backfill.dur.hours": "%d ч %d мин",
	"backfill.dur.mins":  "%d мин",
	"backfill.dur.secs":  "%d с",

	"article.cite.captured.archive": "Снимок веб-архива",
	"article.cite.captured.file":    "Снимок другой программы",
}
