package web

import (
	"math"
	"strconv"
	"strings"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/store"
)

// A wayback source's backfill is paced by its archive, and every backfill
// reading one archive shares that pace (crawler/wayback's Limiters: the
// slowest rate asked holds). The estimate of the time a backfill's
// remaining captures take is therefore its share of the archive's turns:
// while n backfills have captures left each gets one turn in n, so a
// backfill with r left is done after Σ_j min(r_j, r) turns, counting its
// own. The listing's pages still to read are not known ahead, and add a
// turn each.

// backfillEstimates fills in the rate, the sharing and the estimate of
// every backfill in out (statuses of srcs, in the same order).
func backfillEstimates(srcs []*store.SourceInfo, out []SourceStatus) {
	type archive struct {
		rate      float64
		remaining []int
	}
	archives := map[string]*archive{}
	running := func(s *store.SourceInfo) bool {
		return s.Type == model.SourceWayback && s.Active && !s.Paused && s.Wayback != nil && s.Backfill != nil
	}
	for _, s := range srcs {
		if !running(s) {
			continue
		}
		a := archives[s.Wayback.Endpoint]
		if a == nil {
			a = &archive{rate: s.Wayback.Rate}
			archives[s.Wayback.Endpoint] = a
		}
		a.rate = min(a.rate, s.Wayback.Rate)
		if s.Backfill.Remaining > 0 {
			a.remaining = append(a.remaining, s.Backfill.Remaining)
		}
	}
	for i, s := range srcs {
		b := out[i].Backfill
		if b == nil || s.Wayback == nil {
			continue
		}
		w := s.Wayback
		b.From, b.To, b.Endpoint, b.Rate = w.From.Format(time.DateOnly), w.To.Format(time.DateOnly), w.Endpoint, w.Rate
		a := archives[w.Endpoint]
		if !running(s) || a == nil || b.Remaining == 0 || a.rate <= 0 {
			continue
		}
		turns := 0
		for _, r := range a.remaining {
			turns += min(r, b.Remaining)
		}
		b.Rate, b.SharedWith = a.rate, len(a.remaining)-1
		b.EstimateSeconds = int64(math.Ceil(float64(turns) / a.rate))
	}
}

// SourceStatuses describes every stored source, with each backfill's
// estimate counting the others that share its archive. Lists of sources
// (the page, the API, the CLI) use it; SourceStatusOf describes one alone.
func SourceStatuses(srcs []*store.SourceInfo) []SourceStatus {
	out := make([]SourceStatus, len(srcs))
	for i, s := range srcs {
		out[i] = SourceStatusOf(s)
	}
	backfillEstimates(srcs, out)
	return out
}

// BackfillText puts a backfill's progress in words in lang (the UI's
// languages; `presswatch sources` asks for "en"): what it reads, how far it
// has come, how long the rest takes, and the archive's back-off when one
// holds at now. nil for a source that is no backfill.
func BackfillText(lang string, b *BackfillStatus, now time.Time) []string {
	if b == nil {
		return nil
	}
	lines := []string{translatef(lang, "backfill.range", isoDayText(lang, b.From), isoDayText(lang, b.To), b.Endpoint)}
	p := translatef(lang, "backfill.progress", b.Listed, b.Fetched, b.Stored, b.Remaining)
	switch {
	case !b.ListingDone:
		p += "; " + translate(lang, "backfill.listing")
	case b.Remaining == 0:
		p += "; " + translate(lang, "backfill.done")
	}
	lines = append(lines, p)
	if b.EstimateSeconds > 0 {
		d, r := approxDuration(lang, time.Duration(b.EstimateSeconds)*time.Second), formatRate(lang, b.Rate)
		if b.SharedWith > 0 {
			lines = append(lines, translatef(lang, "backfill.shared", d, r, plural(lang, "backfill.others", b.SharedWith)))
		} else {
			lines = append(lines, translatef(lang, "backfill.estimate", d, r))
		}
	}
	if b.BackoffUntil != nil && b.BackoffUntil.After(now) {
		lines = append(lines, translatef(lang, "backfill.backoff", utc(*b.BackoffUntil)))
	}
	return lines
}

// approxDuration is d in words to two units at most, rounded up: "3 h 5
// min", "2 d 4 h", "40 s".
func approxDuration(lang string, d time.Duration) string {
	secs := int64(math.Ceil(d.Seconds()))
	switch {
	case secs >= 86400:
		h := (secs + 3599) / 3600
		return translatef(lang, "backfill.dur.days", h/24, h%24)
	case secs >= 3600:
		m := (secs + 59) / 60
		return translatef(lang, "backfill.dur.hours", m/60, m%60)
	case secs >= 60:
		return translatef(lang, "backfill.dur.mins", (secs+59)/60)
	}
	return translatef(lang, "backfill.dur.secs", secs)
}

// formatRate writes a rate with the language's decimal mark.
func formatRate(lang string, r float64) string {
	s := strconv.FormatFloat(r, 'f', -1, 64)
	if lang == "ru" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
