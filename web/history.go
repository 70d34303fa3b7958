package web

import (
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/store"
	"presswatch/internal/wdiff"
)

// This file holds what the article page shows of an article's life: its
// versions and their diffs, what the revisits found, and the copies of
// its story with who had it first.

// unreachableAfter is how long the revisits of an article must have
// failed before its page says it is unreachable.
const unreachableAfter = 72 * time.Hour

// versionView is a version with what changed from the one before it.
type versionView struct {
	model.Version
	Changed      bool          // the text or title differs from the version before
	TitleChanged bool          // the title differs from the version before
	PrevTitle    string        // the title before, when it changed
	Removed      int           // words removed from the text before (with diffs)
	Added        int           // words added (with diffs)
	Diff         template.HTML // the word diff from the text before; "" without diffs or for the first
	Capture      *model.Fetch  // the archived exchange the version was read from, if any
}

// versionViews compares each version with the one before; with diffs, it
// computes the word diff (wdiff bounds its time) of every changed text.
func versionViews(versions []model.Version, diffs bool) []versionView {
	out := make([]versionView, len(versions))
	for i, ver := range versions {
		vv := versionView{Version: ver}
		if i > 0 {
			prev := versions[i-1]
			vv.Changed = ver.ContentHash != prev.ContentHash
			if ver.Title != prev.Title {
				vv.TitleChanged, vv.PrevTitle = true, prev.Title
			}
			if diffs && ver.Text != prev.Text {
				segs := wdiff.Diff(prev.Text, ver.Text)
				vv.Removed, vv.Added = wdiff.Count(segs)
				vv.Diff = wdiff.HTML(segs)
			}
		}
		out[i] = vv
	}
	return out
}

// SeenAt is when the version was seen, UTC.
func (v versionView) SeenAt() string { return utc(v.Seen) }

// Completed says the version is the page's full text replacing the
// feed's: not an edit by the publisher.
func (v versionView) Completed() bool { return v.Kind == model.VersionCompleted }

// KindKey is the message key naming the version's kind.
func (v versionView) KindKey() string {
	switch v.Kind {
	case model.VersionFirst, model.VersionEdit, model.VersionCompleted, model.VersionImport:
		return "article.version." + string(v.Kind)
	}
	return "article.version.first"
}

// eventView is an event with the archived exchange that saw it, if any.
type eventView struct {
	model.Event
	Capture *model.Fetch // nil unless the event's fetch has a WARC record
}

// AtUTC is when the event was found, UTC.
func (e eventView) AtUTC() string { return utc(e.At) }

// Link is the new URL of a move if a browser may follow it, else "".
func (e eventView) Link() string {
	if e.Kind != model.EventMoved {
		return ""
	}
	return safeLink(e.Detail)
}

// EditedAtUTC is the time of the publisher's last edit seen, "" if none.
func (v *articleView) EditedAtUTC() string { return utc(v.EditedAt) }

// RemovedSinceUTC is when the article was first found gone from its
// source, "" unless it is gone now.
func (v *articleView) RemovedSinceUTC() string {
	if v.State != model.StateRemoved {
		return ""
	}
	return utc(v.RemovedSince)
}

// UnreachableSince is when the revisits started failing, "" unless they
// have failed for unreachableAfter or longer: a page that cannot be read
// for three days is worth a word, a passing outage is not.
func (v *articleView) UnreachableSince() string {
	if v.Revisit == nil || v.Revisit.FailingSince.IsZero() || v.Now.Sub(v.Revisit.FailingSince) < unreachableAfter {
		return ""
	}
	return utc(v.Revisit.FailingSince)
}

// Moves are the events of the article moving to another URL.
func (v *articleView) Moves() []eventView {
	var out []eventView
	for _, e := range v.Events {
		if e.Kind == model.EventMoved {
			out = append(out, e)
		}
	}
	return out
}

// copyView is one copy of a story and how long after the earliest copy it
// appeared.
type copyView struct {
	store.Summary
	Self     bool          // the article of the page
	Earliest bool          // the story's earliest copy
	Dated    bool          // At is the published date; else the first seen
	At       time.Time     // the published date, else first seen
	Delay    time.Duration // At minus the earliest copy's At
}

// copyViews orders members by their known time, the earliest first, and
// gives each its delay after the earliest. A copy's known time is its
// published date, or when it has none the time presswatch first saw it;
// copies at the same time keep the store's order (ClusterMembers: dated
// first, then by first seen, then by id). So the copy named the earliest
// is the one with the earliest known time and no delay is negative, even
// when an undated copy was seen before the others were dated.
func copyViews(members []store.Summary, self int64) []copyView {
	out := make([]copyView, len(members))
	for i, m := range members {
		c := copyView{Summary: m, Self: m.ID == self, Dated: !m.Published.IsZero(), At: m.FirstSeen}
		if c.Dated {
			c.At = m.Published
		}
		out[i] = c
	}
	slices.SortStableFunc(out, func(a, b copyView) int { return a.At.Compare(b.At) })
	for i := range out {
		out[i].Earliest = i == 0
		out[i].Delay = out[i].At.Sub(out[0].At)
	}
	return out
}

// Others are the copies of the story other than the article itself.
func (v *articleView) Others() []copyView {
	var out []copyView
	for _, c := range v.Cluster {
		if !c.Self {
			out = append(out, c)
		}
	}
	return out
}

// EarliestID is the id of the story's earliest copy; the article's own
// when it has no copies.
func (v *articleView) EarliestID() int64 {
	if len(v.Cluster) == 0 {
		return v.ID
	}
	return v.Cluster[0].ID
}

// delayText says d in lang: "3 h 20 min later", "через 3 ч 20 мин".
func delayText(lang string, d time.Duration) string {
	key := "copies.later"
	if d < 0 {
		key, d = "copies.earlier", -d
	}
	if d < time.Minute {
		return translate(lang, "copies.sametime")
	}
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	var parts []string
	if days > 0 {
		parts = append(parts, fmt.Sprintf(translate(lang, "unit.d"), days))
	}
	if hours > 0 {
		parts = append(parts, fmt.Sprintf(translate(lang, "unit.h"), hours))
	}
	if mins > 0 && days == 0 {
		parts = append(parts, fmt.Sprintf(translate(lang, "unit.min"), mins))
	}
	return fmt.Sprintf(translate(lang, key), strings.Join(parts, " "))
}
