package web

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/store"
)

// This file serves the changes across the collection: the latest edits,
// removals and returns that revisits found, newest first, as a page
// (/changes), an Atom feed (/changes.atom) and JSON (/api/changes), each
// paged with before=<event id>.

// changesPerPage is how many changes a page, the feed and the API give
// (the API up to maxChangesLimit with limit=).
const (
	changesPerPage  = 50
	maxChangesLimit = 500
)

// changesQuery reads before= (0 for the newest) and limit=.
func changesQuery(r *http.Request, maxLimit int) (before int64, limit int, ok bool) {
	q := r.URL.Query()
	limit = changesPerPage
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return 0, 0, false
		}
		before = n
	}
	if v := q.Get("limit"); v != "" && maxLimit > changesPerPage {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			return 0, 0, false
		}
		limit = n
	}
	return before, limit, true
}

// changeView is one change as the page and the feed show it.
type changeView struct {
	store.ChangeItem
}

// Headline is the article's title, or its URL when it has none.
func (c changeView) Headline() string { return cmp.Or(c.Article.Title, c.Article.URL) }

// Source is the source's name, or its id.
func (c changeView) Source() string { return cmp.Or(c.Article.SourceName, c.Article.SourceID) }

// AtUTC is when the change was found, UTC.
func (c changeView) AtUTC() string { return utc(c.At) }

// what says in lang what changed: the words, the headline, or why the
// page is gone.
func (c changeView) what(lang string) string {
	switch c.Kind {
	case model.EventEdited:
		s := fmt.Sprintf(translate(lang, "changes.words"), c.WordsRemoved, c.WordsAdded)
		if c.TitleChanged {
			s = translate(lang, "changes.title") + "; " + s
		}
		return s
	case model.EventRemoved:
		return c.Detail
	}
	return ""
}

// changesPage is the data of changes.html.
type changesPage struct {
	Changes []changeView
	Older   string // the URL of the next page; "" on the last
	Lang    string
}

// What says what changed, in the page's language.
func (p changesPage) What(c changeView) string { return c.what(p.Lang) }

// AtomURL is the page's feed.
func (p changesPage) AtomURL() string { return "/changes.atom" }

// changesPage answers GET /changes.
func (s *Server) changesPage(w http.ResponseWriter, r *http.Request) {
	lang := uiLang(r)
	before, limit, ok := changesQuery(r, changesPerPage)
	if !ok {
		s.errorPage(w, r, http.StatusBadRequest, translate(lang, "changes.badbefore"))
		return
	}
	items, next, err := s.loadChanges(r, before, limit)
	if err != nil {
		s.log.Error("reading the changes failed", "error", err)
		s.errorPage(w, r, http.StatusInternalServerError, translate(lang, "error.internal"))
		return
	}
	p := changesPage{Changes: items, Lang: lang}
	if next != 0 {
		p.Older = "/changes?before=" + strconv.FormatInt(next, 10)
	}
	s.render(w, r, http.StatusOK, "changes.html", translate(lang, "changes.heading"), p)
}

// loadChanges reads up to limit changes before the event id before (0:
// the newest) and the before= of the next page, 0 when there is none.
func (s *Server) loadChanges(r *http.Request, before int64, limit int) ([]changeView, int64, error) {
	items, err := s.store.Changes(r.Context(), before, limit+1)
	if err != nil {
		return nil, 0, err
	}
	var next int64
	if len(items) > limit {
		items = items[:limit]
		next = items[limit-1].ID
	}
	out := make([]changeView, len(items))
	for i, it := range items {
		out[i] = changeView{it}
	}
	return out, next, nil
}

// ChangeJSON is one change as GET /api/changes returns it.
type ChangeJSON struct {
	ID           int64        `json:"id"`   // the event id; page with before=
	Kind         string       `json:"kind"` // edited, removed or back
	At           time.Time    `json:"at"`
	TitleChanged bool         `json:"title_changed"`
	WordsRemoved int          `json:"words_removed"`
	WordsAdded   int          `json:"words_added"`
	Detail       string       `json:"detail"` // removed: why
	Article      ArticleBrief `json:"article"`
}

// ArticleBrief is an article as a list names it.
type ArticleBrief struct {
	ID        int64      `json:"id"`
	URL       string     `json:"url"`
	Title     string     `json:"title"`
	Source    SourceRef  `json:"source"`
	Lang      string     `json:"lang"`
	Published *time.Time `json:"published"`
	FirstSeen time.Time  `json:"first_seen"`
}

// apiChanges answers GET /api/changes.
func (s *Server) apiChanges(w http.ResponseWriter, r *http.Request) {
	before, limit, ok := changesQuery(r, maxChangesLimit)
	if !ok {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("before must be a positive event id and limit a number from 1 to %d", maxChangesLimit))
		return
	}
	items, next, err := s.loadChanges(r, before, limit)
	if err != nil {
		s.log.Error("reading the changes failed", "error", err)
		writeError(w, http.StatusInternalServerError, "could not read the changes")
		return
	}
	out := struct {
		Changes []ChangeJSON `json:"changes"`
		Next    *int64       `json:"next_before"` // the before= of the next page; null on the last
	}{Changes: []ChangeJSON{}}
	if next != 0 {
		out.Next = &next
	}
	for _, c := range items {
		a := c.Article
		out.Changes = append(out.Changes, ChangeJSON{ID: c.ID, Kind: string(c.Kind), At: c.At, TitleChanged: c.TitleChanged,
			WordsRemoved: c.WordsRemoved, WordsAdded: c.WordsAdded, Detail: c.Detail,
			Article: ArticleBrief{ID: a.ID, URL: a.URL, Title: a.Title, Source: SourceRef{a.SourceID, a.SourceName, string(a.Stance)},
				Lang: a.Lang, Published: ptr(a.Published), FirstSeen: a.FirstSeen}})
	}
	writeJSON(w, http.StatusOK, out)
}

// changesAtom answers GET /changes.atom: the newest changes (or those
// before before=) as an Atom feed, one entry per change.
func (s *Server) changesAtom(w http.ResponseWriter, r *http.Request) {
	lang := uiLang(r)
	before, limit, ok := changesQuery(r, changesPerPage)
	if !ok {
		http.Error(w, translate(lang, "changes.badbefore"), http.StatusBadRequest)
		return
	}
	items, _, err := s.loadChanges(r, before, limit)
	if err != nil {
		s.log.Error("reading the changes failed", "error", err)
		http.Error(w, translate(lang, "error.internal"), http.StatusInternalServerError)
		return
	}
	base := baseURL(r)
	feed := atomFeed{
		ID:     "tag:presswatch,2024:changes",
		Title:  translate(lang, "changes.feed"),
		Author: &atomPerson{Name: "presswatch"},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + "/changes.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/changes"},
		},
	}
	var updated time.Time
	for _, c := range items {
		article := base + "/articles/" + strconv.FormatInt(c.Article.ID, 10)
		e := atomEntry{
			ID:      "tag:presswatch,2024:event-" + strconv.FormatInt(c.ID, 10),
			Title:   atomText{Type: "text", Text: translate(lang, "changes.kind."+string(c.Kind)) + ": " + c.Headline()},
			Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: article}},
			Updated: c.At.UTC().Format(time.RFC3339),
			Author:  atomPerson{Name: c.Source()},
		}
		if l := safeLink(c.Article.URL); l != "" {
			e.Links = append(e.Links, atomLink{Rel: "related", Type: "text/html", Href: l})
		}
		if what := strings.TrimSpace(c.what(lang)); what != "" {
			e.Summary = &atomText{Type: "text", Text: what}
		}
		if c.At.After(updated) {
			updated = c.At
		}
		feed.Entries = append(feed.Entries, e)
	}
	if updated.IsZero() {
		updated = s.opts.Now()
	}
	feed.Updated = updated.UTC().Format(time.RFC3339)
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(feed); err != nil {
		s.log.Debug("writing a feed failed", "error", err)
	}
}
