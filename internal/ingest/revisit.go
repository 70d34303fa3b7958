package ingest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"

	"presswatch/internal/model"
	"presswatch/internal/store"
	"presswatch/internal/textfold"
	"presswatch/internal/wdiff"
)

// Schedule is when stored articles are read again: at each of Steps (ages
// since first seen), then every Monthly until MaxAge.
type Schedule struct {
	Steps   []time.Duration
	MaxAge  time.Duration
	Monthly time.Duration // default 30 days
	// Retry is the first wait after a transient failure; it doubles with
	// each failure in a row up to MaxRetry. Defaults 30 min and 24 h.
	Retry, MaxRetry time.Duration
	// Partial is how soon a page first stored from its feed's text is read
	// again; default 10 min (and backs off like a failure after that).
	Partial time.Duration
}

// DefaultSchedule is 1 h, 6 h, 24 h, 3 days, 7 days and 30 days after an
// article was first seen, then monthly for a year.
var DefaultSchedule = Schedule{
	Steps:  []time.Duration{time.Hour, 6 * time.Hour, 24 * time.Hour, 72 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour},
	MaxAge: 365 * 24 * time.Hour,
}

func (s Schedule) filled() Schedule {
	if len(s.Steps) == 0 {
		s.Steps = DefaultSchedule.Steps
	}
	if s.MaxAge == 0 {
		s.MaxAge = DefaultSchedule.MaxAge
	}
	if s.Monthly == 0 {
		s.Monthly = 30 * 24 * time.Hour
	}
	if s.Retry == 0 {
		s.Retry = 30 * time.Minute
	}
	if s.MaxRetry == 0 {
		s.MaxRetry = 24 * time.Hour
	}
	if s.Partial == 0 {
		s.Partial = 10 * time.Minute
	}
	return s
}

// age is the age of an article at which step k of the schedule falls.
func (s Schedule) age(k int) time.Duration {
	if k < len(s.Steps) {
		return s.Steps[k]
	}
	return s.Steps[len(s.Steps)-1] + time.Duration(k-len(s.Steps)+1)*s.Monthly
}

// Next returns the first step after now for an article first seen at
// first, and when it falls; a zero time when the article is older than
// MaxAge by then. Steps missed (presswatch was not running) are skipped,
// never made up in a burst.
func (s Schedule) Next(first, now time.Time) (time.Time, int) {
	s = s.filled()
	if now.Sub(first) > s.MaxAge || first.After(now.Add(24*time.Hour)) {
		return time.Time{}, 0 // past the age of revisits, or a first-seen time that cannot be
	}
	k := 0
	if elapsed := now.Sub(first); elapsed >= s.age(len(s.Steps)-1) {
		k = len(s.Steps) - 1 + int((elapsed-s.Steps[len(s.Steps)-1])/s.Monthly)
	}
	for !first.Add(s.age(k)).After(now) {
		k++
	}
	if s.age(k) > s.MaxAge {
		return time.Time{}, k
	}
	return first.Add(s.age(k)), k
}

// SetSchedule sets when articles are read again; sources may set their own
// steps. Call it before the first Put.
func (in *Ingester) SetSchedule(s Schedule) { in.schedule = s.filled() }

func (in *Ingester) scheduleFor(src model.Source) Schedule {
	s := in.schedule
	if len(src.Revisit) > 0 {
		s.Steps = src.Revisit
	}
	return s
}

// firstRevisit is the revisit schedule of an article just read from a page
// (or from its feed, when the page failed), or nil when it is not revisited.
func (in *Ingester) firstRevisit(src model.Source, doc *model.Document, now time.Time) *model.Revisit {
	if doc.Provenance != model.ProvenanceCrawl || src.RevisitOff || src.Type == model.SourceImport {
		return nil
	}
	u := doc.ItemURL
	if doc.Fetch != nil && !doc.Partial && doc.Fetch.URL != "" {
		u = doc.Fetch.URL
	}
	if u == "" {
		u = doc.URL
	}
	rv := &model.Revisit{SourceID: src.ID, URL: u, PageTitle: doc.PageTitle, Partial: doc.Partial, LastChecked: now}
	if doc.Partial {
		rv.NextDue = now.Add(in.schedule.Partial)
	} else {
		rv.NextDue, rv.Step = in.scheduleFor(src).Next(now, now)
	}
	return rv
}

// Due returns the revisits q asks for.
func (in *Ingester) Due(ctx context.Context, q model.RevisitQuery) ([]model.DueRevisit, error) {
	return in.store.Due(ctx, store.DueQuery{Now: q.Now, Sources: q.Sources, All: q.All, Limit: q.Limit})
}

// Revisited stores what reading an article's page again found, and says
// what it was. An edit is a change in what the publisher served, not in how
// presswatch reads it: titles and texts are compared after wdiff.Normalize,
// and changes that are only boilerplate at the ends of the text are not
// edits (wdiff.Substantive). A text the article had before (a page that
// flips between two versions) adds no version: the event names the version
// it returned to, so the versions of a page are bounded by the distinct
// texts it served, and its events by the revisit schedule.
//
// It decides and writes under the ingester's lock, on the article and its
// schedule as they are then (a crawl may have moved the article, or linked
// a new item to it, while its page was being fetched).
//
// A failure of the store itself comes back as a model.ErrStore error, as
// from Put.
func (in *Ingester) Revisited(ctx context.Context, src model.Source, d model.DueRevisit, f *model.Found) (model.RevisitOutcome, error) {
	o, err := in.revisited(ctx, src, d, f)
	return o, in.storeFault(err)
}

func (in *Ingester) revisited(ctx context.Context, src model.Source, d model.DueRevisit, f *model.Found) (model.RevisitOutcome, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	now := in.now().UTC()
	cur, err := in.store.Article(ctx, d.Article.ID)
	if errors.Is(err, store.ErrNotFound) {
		return model.RevisitUnchanged, nil // deleted meanwhile
	} else if err != nil {
		return "", err
	}
	fresh, err := in.store.Revisit(ctx, cur.ID)
	if err != nil {
		return "", err
	}
	rv, a := *fresh, *cur
	if rv.URL != d.Revisit.URL {
		// Moved while this revisit read the old URL: what it found says
		// nothing of the article's page now; it is read at its new URL
		// next time.
		return model.RevisitUnchanged, nil
	}
	rv.LastChecked = now
	sched := in.scheduleFor(src)
	fetchID := int64(0)
	if f.Fetch != nil {
		fetchID = f.Fetch.ID
	}
	if f.Gone != "" && rv.Partial {
		// Never read: a page announced before it was published, say. Its
		// absence proves no removal, so it is tried again like a failure.
		f = &model.Found{Fetch: f.Fetch, Status: f.Status, Err: errors.New(f.Gone), Transient: true}
	}
	switch {
	case f.Err != nil:
		rv.Failures++
		if rv.FailingSince.IsZero() {
			rv.FailingSince = now
		}
		if f.Transient || rv.Partial {
			wait := time.Duration(float64(sched.Retry) * math.Pow(2, float64(min(rv.Failures-1, 30))))
			rv.NextDue = now.Add(max(min(wait, sched.MaxRetry), f.RetryAfter))
			if now.Sub(a.FirstSeen) > sched.MaxAge {
				rv.NextDue = time.Time{} // past the age of revisits: given up
			}
		} else {
			rv.NextDue, rv.Step = sched.Next(a.FirstSeen, now)
		}
		return model.RevisitFailed, in.store.SaveRevisit(ctx, &rv)
	case f.Gone != "":
		return in.gone(ctx, &rv, &a, sched, fetchID, f.Gone, now)
	case f.NotModified:
		in.succeeded(&rv, f, sched, a.FirstSeen, now)
		return model.RevisitUnchanged, in.store.SaveRevisit(ctx, &rv)
	}

	doc := f.Doc
	text := normalizeText(doc.Text)
	// A page first stored from its feed's text is taken as read when it
	// comes: the feed's words need not be the page's.
	same := rv.Partial || sameArticle(a.Text, text)
	switch {
	case f.NotFoundPage && !same:
		return in.gone(ctx, &rv, &a, sched, fetchID, "the page now says it was not found (a \"page not found\" page answered with 200)", now)
	case f.Redirected && !same:
		return in.gone(ctx, &rv, &a, sched, fetchID, "redirected to "+doc.URL+", a page that is not this article", now)
	case !same:
		// The URL answers with something that is not the article: a login
		// or consent wall, a maintenance page, a URL given to another
		// story. Neither an edit nor a removal: tried again on schedule.
		in.log().Info("a revisit found another page than the article; nothing recorded", "article", a.ID, "url", doc.URL)
		rv.Failures++
		if rv.FailingSince.IsZero() {
			rv.FailingSince = now
		}
		rv.NextDue, rv.Step = sched.Next(a.FirstSeen, now)
		return model.RevisitFailed, in.store.SaveRevisit(ctx, &rv)
	}
	var (
		events  []*model.Event
		outcome = model.RevisitUnchanged
	)
	event := func(kind model.EventKind, detail string) *model.Event {
		e := &model.Event{ArticleID: a.ID, At: now, Kind: kind, FetchID: fetchID, Detail: detail}
		events = append(events, e)
		return e
	}
	if f.Redirected && f.Permanent && doc.URL != rv.URL {
		event(model.EventMoved, doc.URL)
		rv.URL, outcome = doc.URL, model.RevisitMoved
	}
	changed := false
	if a.State == model.StateRemoved {
		event(model.EventBack, "")
		a.State, a.RemovedSince, outcome, changed = model.StateLive, time.Time{}, model.RevisitBack, true
		if !a.EditedAt.IsZero() {
			a.State = model.StateEdited
		}
	}
	change := store.Change{}
	oldTitle, oldText := a.Title, a.Text
	switch {
	case rv.Partial && text != "":
		// The page, read at last: its full text replaces the feed's. Not
		// the publisher's edit, so no badge.
		a.Text, rv.Partial, change.Version = text, false, model.VersionCompleted
		if a.Title == "" {
			a.Title = strings.TrimSpace(doc.Title)
		}
		event(model.EventCompleted, "")
		outcome, changed = model.RevisitCompleted, true
	default:
		titleEdited := rv.PageTitle != "" && doc.PageTitle != "" && !wdiff.Same(rv.PageTitle, doc.PageTitle)
		if !titleEdited && !wdiff.Substantive(oldText, text) {
			break
		}
		if in.extractorChanged(ctx, a.ID, doc.PageTitle, text) {
			break
		}
		if titleEdited {
			a.Title = retitle(oldTitle, rv.PageTitle, doc.PageTitle)
		}
		a.Text = text
		e := event(model.EventEdited, "")
		e.TitleChanged = titleEdited
		e.WordsRemoved, e.WordsAdded = wdiff.Count(wdiff.Diff(oldText, text))
		a.EditedAt, outcome, changed = now, model.RevisitEdited, true
		if a.State != model.StateRemoved {
			a.State = model.StateEdited
		}
		change.Version = model.VersionEdit
	}
	if doc.PageTitle != "" {
		rv.PageTitle = doc.PageTitle
	}
	in.succeeded(&rv, f, sched, a.FirstSeen, now)
	if !changed && len(events) == 0 {
		return outcome, in.store.SaveRevisit(ctx, &rv)
	}
	a.LastChecked = now
	if change.Version != "" {
		a.ContentHash = ContentHash(a.Title, a.Text)
		earlier, err := in.store.VersionByHash(ctx, a.ID, a.ContentHash)
		if err != nil {
			return "", err
		}
		if earlier != 0 {
			change.Version, change.ReturnTo = "", earlier
		}
		if change.Topics, err = in.match(&a); err != nil {
			return "", err
		}
		change.Copy = sketchKeys(&a)
	}
	change.Article, change.Events, change.Revisit, change.VersionFetch = &a, events, &rv, fetchID
	if err := in.store.ApplyChange(ctx, change); err != nil {
		return "", err
	}
	in.indexer.Wake()
	return outcome, nil
}

// Reextractor reads the page of an archived exchange again with the
// extractor presswatch has now, giving its title and text.
type Reextractor func(ctx context.Context, fetchID int64) (title, text string, err error)

// SetReextract gives the ingester a way to read an archived page again, so
// that a difference the extractor made (a newer presswatch reads the same
// page otherwise) is not taken for the publisher's edit.
func (in *Ingester) SetReextract(fn Reextractor) { in.reextract = fn }

// extractorChanged reports whether the stored text's own page, read again
// from the archive with today's extractor, gives what the revisit found:
// then the publisher changed nothing, and the difference is presswatch's.
// Without an archived page it cannot tell, and reports false.
func (in *Ingester) extractorChanged(ctx context.Context, articleID int64, pageTitle, text string) bool {
	if in.reextract == nil {
		return false
	}
	fetchID, err := in.store.CurrentVersionFetch(ctx, articleID)
	if err != nil || fetchID == 0 {
		return false
	}
	title, then, err := in.reextract(ctx, fetchID)
	if err != nil {
		in.log().Debug("the archived page could not be read again", "article", articleID, "fetch", fetchID, "error", err)
		return false
	}
	sameTitle := pageTitle == "" || title == "" || wdiff.Same(title, pageTitle)
	return sameTitle && !wdiff.Substantive(normalizeText(then), text)
}

// gone marks an article removed at its source, the first time it is found
// missing; later revisits keep looking for its return.
func (in *Ingester) gone(ctx context.Context, rv *model.Revisit, a *model.Article, sched Schedule, fetchID int64, why string, now time.Time) (model.RevisitOutcome, error) {
	rv.Failures, rv.FailingSince = 0, time.Time{}
	rv.ETag, rv.LastModified = "", "" // a 304 must never answer for a page that was gone
	rv.NextDue, rv.Step = sched.Next(a.FirstSeen, now)
	if a.State == model.StateRemoved {
		return model.RevisitRemoved, in.store.SaveRevisit(ctx, rv)
	}
	a.State, a.RemovedSince, a.LastChecked = model.StateRemoved, now, now
	ev := &model.Event{ArticleID: a.ID, At: now, Kind: model.EventRemoved, FetchID: fetchID, Detail: why}
	if err := in.store.ApplyChange(ctx, store.Change{Article: a, Events: []*model.Event{ev}, Revisit: rv}); err != nil {
		return "", fmt.Errorf("ingest: mark article %d removed: %w", a.ID, err)
	}
	in.indexer.Wake()
	return model.RevisitRemoved, nil
}

func (in *Ingester) succeeded(rv *model.Revisit, f *model.Found, sched Schedule, first, now time.Time) {
	rv.Failures, rv.FailingSince = 0, time.Time{}
	if f.ETag != "" || f.LastModified != "" {
		rv.ETag, rv.LastModified = f.ETag, f.LastModified
	}
	rv.NextDue, rv.Step = sched.Next(first, now)
}

// retitle is an article's new title when its page's title changed from
// oldPage to newPage: the site's decoration around the old title (" — Site
// name") is taken off the new one.
func retitle(old, oldPage, newPage string) string {
	i := strings.Index(oldPage, old)
	if old == "" || i < 0 {
		return strings.TrimSpace(newPage)
	}
	prefix, suffix := oldPage[:i], oldPage[i+len(old):]
	t := newPage
	if strings.HasPrefix(t, prefix) && strings.HasSuffix(t, suffix) && len(t) > len(prefix)+len(suffix) {
		t = t[len(prefix) : len(t)-len(suffix)]
	}
	return strings.TrimSpace(t)
}

// sameArticle reports whether text is still the article whose stored text
// is old: at least half of old's distinct words (folded, four letters or
// more) are in it. An edit keeps most of them; a front page, a section
// listing or a "not found" page does not.
func sameArticle(old, text string) bool {
	ow := words(old)
	if len(ow) == 0 {
		return true
	}
	nw := words(text)
	shared := 0
	for w := range ow {
		if nw[w] {
			shared++
		}
	}
	return 2*shared >= len(ow)
}

func words(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) >= 4 {
			out[textfold.Fold(w)] = true
		}
	}
	return out
}
