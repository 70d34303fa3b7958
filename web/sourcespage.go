package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"presswatch/index"
	"presswatch/internal/model"
)

// sourceRow is a source as the sources page and the home page show it.
type sourceRow struct {
	SourceStatus
	StatusText string   // the status in words, in the UI language
	LastFetch  string   // UTC, "" if never
	NextRun    string   // UTC, "" if not scheduled
	Trouble    bool     // the last run failed
	Backfill   []string // a backfill's progress in words; nil for other sources
	// Imported is a source of imported files: it is never fetched, its
	// address is no page, and LastFetch is when its newest file came in.
	Imported bool
}

// sourceRows describes every source in lang.
func sourceRows(lang string, srcs []SourceStatus) []sourceRow {
	rows := make([]sourceRow, len(srcs))
	for i, st := range srcs {
		rows[i] = sourceRow{SourceStatus: st, StatusText: statusText(lang, st), Trouble: st.Active && st.ErrorKind != "",
			Backfill: BackfillText(lang, st.Backfill, time.Now())}
		if st.LastFetch != nil {
			rows[i].LastFetch = utc(*st.LastFetch)
		}
		if st.NextRun != nil {
			rows[i].NextRun = utc(*st.NextRun)
		}
		if st.Type == string(model.SourceImport) {
			rows[i].Imported, rows[i].StatusText, rows[i].NextRun = true, translate(lang, "sources.status.imported"), ""
		}
	}
	return rows
}

// lastImports sets the last fetch of every import source of rows to when
// presswatch first saw its newest article, from the index: an import
// source is never fetched. A failed search leaves it unset.
func (s *Server) lastImports(ctx context.Context, rows []sourceRow) {
	if s.search == nil || !s.ready.Load() {
		return
	}
	for i := range rows {
		if !rows[i].Imported {
			continue
		}
		res, err := s.search.Search(ctx, index.Request{Sources: []string{rows[i].ID}, Sort: index.SortSeen, Limit: 1})
		if err != nil {
			s.log.Debug("finding the last import failed", "source", rows[i].ID, "error", err)
			continue
		}
		if len(res.Hits) > 0 {
			rows[i].LastFetch = utc(res.Hits[0].FirstSeen)
		}
	}
}

// statusText puts a source's status in words: the error kind as the UI
// language says it (model.ErrorKind.Describe for kinds it does not know),
// the HTTP status when it is the cause.
func statusText(lang string, st SourceStatus) string {
	switch {
	case !st.Active && st.Origin == string(model.SourceFromWeb):
		return translate(lang, "sources.status.removed.web")
	case !st.Active:
		return translate(lang, "sources.status.removed")
	case st.Paused:
		return translate(lang, "sources.status.paused")
	case st.LastFetch == nil:
		return translate(lang, "sources.status.new")
	case st.ErrorKind == "":
		return translate(lang, "sources.status.ok")
	}
	text := model.ErrorKind(st.ErrorKind).Describe()
	if t, ok := messages[lang]["sources.kind."+st.ErrorKind]; ok {
		text = t
	}
	if st.ErrorKind == string(model.ErrHTTPStatus) && st.HTTP != 0 {
		text += " (HTTP " + strconv.Itoa(st.HTTP) + ")"
	}
	return text
}

// sourcesList is the data of sources.html.
type sourcesList struct {
	Rows      []sourceRow
	CanChange bool   // the forms that change sources are offered
	Notice    string // what the change just made did, from the redirect
	ReadOnly  string // why an administrator is offered no changes; "" if they are
}

// sourcesPage answers GET /sources: every source and its health, and,
// when the server allows changes, the forms that change them.
func (s *Server) sourcesPage(w http.ResponseWriter, r *http.Request) {
	lang := uiLang(r)
	srcs, err := s.store.Sources(r.Context())
	if err != nil {
		s.log.Error("listing sources failed", "error", err)
		s.errorPage(w, r, http.StatusInternalServerError, translate(lang, "error.internal"))
		return
	}
	st := SourceStatuses(srcs)
	// A notice names a source as its row does: by name, its id when it
	// has none.
	listed := map[string]string{}
	for _, src := range srcs {
		listed[src.ID] = cmp.Or(src.Name, src.ID)
	}
	data := sourcesList{Rows: sourceRows(lang, st), CanChange: s.opts.Sources != nil && s.CanChangeFor(r)}
	s.lastImports(r.Context(), data.Rows)
	if data.CanChange {
		if err := s.opts.Sources.ReadOnly(); err != nil {
			data.CanChange, data.ReadOnly = false, fmt.Sprintf(translate(lang, "sources.err.readonly"), err)
		}
	}
	q := r.URL.Query()
	for _, done := range []string{"saved", "pause", "resume", "run", "delete"} {
		// Only of a source listed: a link cannot make the page say
		// another site's words.
		if name, ok := listed[q.Get(done)]; ok {
			data.Notice = fmt.Sprintf(translate(lang, "sources.done."+done), name)
		}
	}
	s.render(w, r, http.StatusOK, "sources.html", translate(lang, "sources.title"), data)
}
