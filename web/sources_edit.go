package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"presswatch/crawler"
	"presswatch/internal/config"
	"presswatch/internal/digest"
	"presswatch/internal/model"
	"presswatch/internal/redact"
	"presswatch/internal/store"
)

// Sources are managed from the web as well as from the configuration
// file. The file's sources are the file's: the web UI pauses, resumes and
// runs them, and says to change them there. Sources added here (paste a
// site's address: its feeds are found; "test" reads it once and shows
// what would be collected) are edited, paused, run and removed here; a
// removed source's articles stay. Every change goes through admin (the
// login and CrossOriginProtection) and applies at once to the running
// scheduler. `presswatch sources export` writes both sets as the file's
// sources: list, to move the web's into the file.

// SourceEditor finds, tries and applies the sources changed from the web
// UI, so the web need not know the fetcher, the store's writes or the
// scheduler; cmd/presswatch implements it.
type SourceEditor interface {
	// FindFeeds returns the feeds a site's page announces (or the page
	// itself when it is a feed), each tried once.
	FindFeeds(ctx context.Context, siteURL string) ([]FeedCandidate, error)
	// TrySource reads src once as a run would, storing nothing.
	TrySource(ctx context.Context, src model.Source) (*crawler.Preview, error)
	// SaveSource stores a source made here (new or changed) and schedules
	// it as it now is: store.ErrConfiguredSource for the file's.
	SaveSource(ctx context.Context, src model.Source) error
	// SaveSourceAt is SaveSource for a new source whose first run is due
	// at first instead of at once: an OPML import spreads its sources'
	// first runs, so a long list is not read all within seconds.
	SaveSourceAt(ctx context.Context, src model.Source, first time.Time) error
	// PauseSource pauses or resumes a source of either origin.
	PauseSource(ctx context.Context, id string, paused bool) error
	// RemoveSource stops a source made here for good; its articles stay.
	RemoveSource(ctx context.Context, id string) error
	// RunSource starts a run of a source now: crawler.ErrRunning,
	// crawler.ErrNotScheduled (paused, or serve --no-crawl).
	RunSource(ctx context.Context, id string) error
	// ReadOnly is why no change can be stored (the data folder is
	// read-only: serve --no-crawl serves it for reading), naming the
	// folder; nil when changes can be. The pages then offer no changes and
	// refuse them with it.
	ReadOnly() error
}

// FeedCandidate is a feed found on a site, as tried once.
type FeedCandidate struct {
	URL, Title, Type string
	Items            int
	Newest           time.Time
	Err              string // why it could not be read; "" if it could
}

// Limits on what the source form takes.
const (
	maxSourceName    = 200
	maxSourceURL     = 2048
	maxSelector      = 500
	maxSourceFormLen = 64 << 10
)

// sourceForm is the data of sources-form.html: what was typed, what is
// wrong with it, and what finding feeds or a test found.
type sourceForm struct {
	New                                    bool
	ID, Name, URL, Type, Stance, Lang      string
	Every, Keep                            string
	Item, Link, TitleSel, DateSel, NextSel string
	MaxPages                               string
	Errors                                 map[string]string // field -> message

	Site    string // the address feeds were looked for on
	Found   []FeedCandidate
	FindErr string

	Tried       bool
	Preview     *crawler.Preview
	TryErr      string
	SampleText  string // the start of the sample's text
	SampleChars int    // the characters (not bytes) of the sample's text
	Stances     []model.Stance
	Types       []model.SourceType
	Keeps       []model.Keep
	TopicsOK    bool // a topic exists, so keep: topic may be chosen
}

// Action is where the form saves.
func (f sourceForm) Action() string {
	if f.New {
		return "/sources"
	}
	return "/sources/" + url.PathEscape(f.ID)
}

// newSourceForm answers GET /sources/new: an empty form, or one filled
// from the query (?url=&name=&type=, what "use this feed" sends).
func (s *Server) newSourceForm(w http.ResponseWriter, r *http.Request) {
	if !s.sourcesEditable(w, r) {
		return
	}
	q := r.URL.Query()
	f := sourceForm{New: true, URL: q.Get("url"), Name: q.Get("name"), Type: q.Get("type"), Site: q.Get("site"),
		Every: "1h", Stance: string(model.StanceUnknown)}
	if f.Type == "" {
		f.Type = string(model.SourceFeed)
	}
	if f.URL != "" {
		f.ID = suggestID(f.URL)
	}
	s.renderSourceForm(w, r, http.StatusOK, f)
}

// editSourceForm answers GET /sources/{id}/edit.
func (s *Server) editSourceForm(w http.ResponseWriter, r *http.Request) {
	si, ok := s.webSource(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	s.renderSourceForm(w, r, http.StatusOK, formOf(si.Source))
}

// findFeeds answers POST /sources/find: the feeds of the site address
// typed, each with a button that fills the form with it.
func (s *Server) findFeeds(w http.ResponseWriter, r *http.Request) {
	if !s.sourcesEditable(w, r) {
		return
	}
	f, ok := s.readSourceForm(w, r)
	if !ok {
		return
	}
	f.New = true
	lang := uiLang(r)
	f.Site = strings.TrimSpace(r.PostForm.Get("site"))
	if u, err := url.Parse(f.Site); err == nil && u.Scheme == "" && f.Site != "" {
		f.Site = "https://" + f.Site // a bare host name, as people paste it
	}
	if u, err := url.Parse(f.Site); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(f.Site) > maxSourceURL {
		f.FindErr = fmt.Sprintf(translate(lang, "sources.err.site"), redact.URL(f.Site))
		s.renderSourceForm(w, r, http.StatusBadRequest, f)
		return
	}
	found, err := s.opts.Sources.FindFeeds(r.Context(), f.Site)
	if err != nil {
		f.FindErr = err.Error()
	} else if len(found) == 0 {
		f.FindErr = translate(lang, "sources.find.none")
	}
	f.Found = found
	s.renderSourceForm(w, r, http.StatusOK, f)
}

// trySource answers POST /sources/test: the form again, with what one
// read of the source would collect.
func (s *Server) trySource(w http.ResponseWriter, r *http.Request) {
	if !s.sourcesEditable(w, r) {
		return
	}
	f, ok := s.readSourceForm(w, r)
	if !ok {
		return
	}
	f.New = r.PostForm.Get("editing") == ""
	if !f.New {
		if _, ok := s.webSource(w, r, r.PostForm.Get("editing")); !ok {
			return
		}
		f.ID = r.PostForm.Get("editing")
	}
	src, ok, err := s.checkSourceForm(r, &f)
	if err != nil {
		s.sourceStoreError(w, r, err)
		return
	}
	if !ok {
		s.renderSourceForm(w, r, http.StatusBadRequest, f)
		return
	}
	f.Tried = true
	if f.Preview, err = s.opts.Sources.TrySource(r.Context(), src); err != nil {
		f.TryErr = err.Error()
	} else if d := f.Preview.Sample; d != nil {
		f.SampleText = clip(d.Text, 400)
		f.SampleChars = utf8.RuneCountInString(d.Text)
	}
	s.renderSourceForm(w, r, http.StatusOK, f)
}

// createSource answers POST /sources.
func (s *Server) createSource(w http.ResponseWriter, r *http.Request) {
	if !s.sourcesEditable(w, r) {
		return
	}
	f, ok := s.readSourceForm(w, r)
	if !ok {
		return
	}
	f.New = true
	s.saveSource(w, r, f)
}

// updateSource answers POST /sources/{id}.
func (s *Server) updateSource(w http.ResponseWriter, r *http.Request) {
	si, ok := s.webSource(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	f, ok := s.readSourceForm(w, r)
	if !ok {
		return
	}
	f.ID = si.ID // the id names the source's articles: it stays
	s.saveSource(w, r, f)
}

func (s *Server) saveSource(w http.ResponseWriter, r *http.Request, f sourceForm) {
	src, ok, err := s.checkSourceForm(r, &f)
	if err != nil {
		s.sourceStoreError(w, r, err)
		return
	}
	if !ok {
		s.renderSourceForm(w, r, http.StatusBadRequest, f)
		return
	}
	if err := s.opts.Sources.SaveSource(r.Context(), src); err != nil {
		s.sourceStoreErrorOf(w, r, src.ID, err)
		return
	}
	s.log.Info("source saved from the web UI", "source", src.ID, "new", f.New, "every", src.Every)
	http.Redirect(w, r, "/sources?saved="+url.QueryEscape(src.ID)+"#"+url.QueryEscape(src.ID), http.StatusSeeOther)
}

// sourceAction answers POST /sources/{id}/{action}: pause, resume, run
// (now) and delete.
func (s *Server) sourceAction(w http.ResponseWriter, r *http.Request) {
	if !s.sourcesEditable(w, r) {
		return
	}
	id, action := r.PathValue("id"), r.PathValue("action")
	ctx := r.Context()
	var err error
	switch action {
	case "pause", "resume":
		err = s.opts.Sources.PauseSource(ctx, id, action == "pause")
	case "run":
		err = s.opts.Sources.RunSource(ctx, id)
	case "delete":
		err = s.opts.Sources.RemoveSource(ctx, id)
	default:
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.sourceStoreError(w, r, err)
		return
	}
	s.log.Info("source changed from the web UI", "source", id, "action", action)
	http.Redirect(w, r, "/sources?"+action+"="+url.QueryEscape(id)+"#"+url.QueryEscape(id), http.StatusSeeOther)
}

// checkSourceForm reads f into a source, filling f.Errors with every
// field's fault in the UI language (the configuration file's rules,
// config.SourceProblems); ok is false when there is one. An error is not
// the user's fault.
func (s *Server) checkSourceForm(r *http.Request, f *sourceForm) (src model.Source, ok bool, err error) {
	lang := uiLang(r)
	f.Errors = map[string]string{}
	fail := func(field, msg string) {
		if _, done := f.Errors[field]; !done {
			f.Errors[field] = msg
		}
	}
	src = model.Source{ID: f.ID, Name: strings.TrimSpace(f.Name), URL: strings.TrimSpace(f.URL),
		Type: model.SourceType(f.Type), Stance: model.Stance(f.Stance), Lang: strings.ToLower(strings.TrimSpace(f.Lang)),
		Keep: model.Keep(f.Keep)}
	if src.Name == "" {
		src.Name = src.ID
	}
	if utf8.RuneCountInString(src.Name) > maxSourceName {
		fail("name", fmt.Sprintf(translate(lang, "sources.err.name.long"), maxSourceName))
	}
	// A control character would reach a terminal through `presswatch
	// sources`, and no XML (the OPML export) can hold most of them.
	if i := strings.IndexFunc(src.Name, unicode.IsControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(src.Name[i:])
		fail("name", fmt.Sprintf(translate(lang, "sources.err.name.control"), r))
	}
	if len(src.URL) > maxSourceURL {
		fail("url", fmt.Sprintf(translate(lang, "sources.err.url.long"), maxSourceURL))
	}
	// The form shows an address redacted (renderSourceForm): sent back
	// unchanged, a saved source's address is the one stored; any other
	// address still holding the mark lost its secret on the way.
	if !f.New {
		if old, err := s.store.Source(r.Context(), src.ID); err == nil && src.URL == redact.URL(old.URL) {
			src.URL = old.URL
		}
	}
	if holdsRedacted(src.URL) {
		fail("url", translate(lang, "sources.err.url.redacted"))
	}
	if src.Type != model.SourceFeed && src.Type != model.SourcePage && src.Type != model.SourceSitemap {
		fail("type", translate(lang, "sources.err.type"))
	}
	if !validStance(src.Stance) {
		fail("stance", translate(lang, "sources.err.stance"))
	}
	if src.Keep != model.KeepAll && src.Keep != model.KeepTopic {
		fail("keep", translate(lang, "sources.err.keep"))
	}
	if src.Lang != "" && !langRE.MatchString(src.Lang) {
		fail("lang", translate(lang, "sources.err.lang"))
	}
	if src.Every, err = time.ParseDuration(strings.TrimSpace(f.Every)); err != nil {
		fail("every", fmt.Sprintf(translate(lang, "sources.err.every"), f.Every))
	}
	if src.Type == model.SourcePage || f.Item != "" || f.Link != "" {
		sel := &model.Selectors{Item: strings.TrimSpace(f.Item), Link: strings.TrimSpace(f.Link), Title: strings.TrimSpace(f.TitleSel),
			Date: strings.TrimSpace(f.DateSel), Next: strings.TrimSpace(f.NextSel), MaxPages: 1}
		if f.MaxPages != "" {
			if sel.MaxPages, err = strconv.Atoi(strings.TrimSpace(f.MaxPages)); err != nil {
				sel.MaxPages = -1 // said below as out of range
			}
		}
		for _, v := range []string{sel.Item, sel.Link, sel.Title, sel.Date, sel.Next} {
			if len(v) > maxSelector {
				fail("selectors", fmt.Sprintf(translate(lang, "sources.err.selector.long"), maxSelector))
			}
		}
		src.Selectors = sel
	}
	topics, err := s.store.Topics(r.Context())
	if err != nil {
		return src, false, err
	}
	f.TopicsOK = len(topics) > 0
	if model.IsReservedSourceID(src.ID) {
		fail("id", fmt.Sprintf(translate(lang, "sources.err.id.reserved"), src.ID))
	}
	// The file's rules, each said in the UI language.
	for _, p := range config.SourceProblems(src, f.TopicsOK) {
		switch p.Field {
		case "id":
			fail("id", fmt.Sprintf(translate(lang, "sources.err.id"), src.ID))
		case "url":
			fail("url", fmt.Sprintf(translate(lang, "sources.err.url"), redact.URL(src.URL)))
		case "every":
			fail("every", fmt.Sprintf(translate(lang, "sources.err.every.often"), config.FormatDuration(config.MinEvery)))
		case "keep":
			fail("keep", translate(lang, "sources.err.keep.topic"))
		case "selectors":
			fail("selectors", translate(lang, "sources.err.selectors"))
		default: // selectors.max_pages
			fail("selectors", translate(lang, "sources.err.maxpages"))
		}
	}
	if f.New && f.Errors["id"] == "" {
		switch old, err := s.store.Source(r.Context(), src.ID); {
		case err == nil && old.Active && old.Origin == model.SourceFromConfig:
			fail("id", fmt.Sprintf(translate(lang, "sources.err.id.configured"), src.ID, cmp.Or(old.Name, src.ID)))
		case err == nil && old.Active:
			fail("id", fmt.Sprintf(translate(lang, "sources.err.id.taken"), src.ID))
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return src, false, err
		}
	}
	return src, len(f.Errors) == 0, nil
}

// holdsRedacted reports whether raw has redact.Mark where a secret goes
// (user:password@, ?token=): an address the form showed redacted.
func holdsRedacted(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	if u.User != nil && u.User.String() == redact.Mark {
		return true
	}
	for name, vs := range u.Query() {
		if redact.IsSecretParam(name) && slices.Contains(vs, redact.Mark) {
			return true
		}
	}
	return false
}

var langRE = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]{2,8})?$`)

func validStance(st model.Stance) bool {
	for _, v := range model.Stances {
		if st == v {
			return true
		}
	}
	return false
}

// suggestID makes a source id from a feed's address: its host without
// www., dots as hyphens (tengrinews-kz).
func suggestID(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	h := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	var b strings.Builder
	for _, r := range h {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		case r == '.':
			b.WriteByte('-')
		}
	}
	id := strings.Trim(b.String(), "-")
	if len(id) > 64 {
		id = id[:64]
	}
	return id
}

// clip is the start of text, at most n characters cut at a word.
func clip(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	return digest.CutAtWord(text, n) + "…"
}

// formOf is the form of a stored source.
func formOf(src model.Source) sourceForm {
	f := sourceForm{ID: src.ID, Name: src.Name, URL: src.URL, Type: string(src.Type), Stance: string(src.Stance),
		Lang: src.Lang, Every: config.FormatDuration(src.Every), Keep: string(src.Keep)}
	if sel := src.Selectors; sel != nil {
		f.Item, f.Link, f.TitleSel, f.DateSel, f.NextSel = sel.Item, sel.Link, sel.Title, sel.Date, sel.Next
		f.MaxPages = strconv.Itoa(sel.MaxPages)
	}
	return f
}

// readSourceForm reads the posted form; a body that is too large or not
// a form is answered with 400.
func (s *Server) readSourceForm(w http.ResponseWriter, r *http.Request) (sourceForm, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxSourceFormLen)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, fmt.Sprintf(translate(uiLang(r), "topics.err.form"), maxSourceFormLen>>10))
		return sourceForm{}, false
	}
	p := r.PostForm
	return sourceForm{
		ID: strings.TrimSpace(p.Get("id")), Name: p.Get("name"), URL: p.Get("url"), Type: p.Get("type"),
		Stance: p.Get("stance"), Lang: p.Get("lang"), Every: p.Get("every"), Keep: p.Get("keep"),
		Item: p.Get("item"), Link: p.Get("link"), TitleSel: p.Get("title_sel"), DateSel: p.Get("date_sel"),
		NextSel: p.Get("next_sel"), MaxPages: p.Get("max_pages"),
	}, true
}

// sourcesEditable answers 403 when the server cannot apply changes to
// sources (admin already refuses when it does not allow them), saying
// why.
func (s *Server) sourcesEditable(w http.ResponseWriter, r *http.Request) bool {
	if s.opts.Sources == nil {
		s.errorPage(w, r, http.StatusForbidden, translate(uiLang(r), "sources.err.noeditor"))
		return false
	}
	if err := s.opts.Sources.ReadOnly(); err != nil {
		s.errorPage(w, r, http.StatusForbidden, fmt.Sprintf(translate(uiLang(r), "sources.err.readonly"), err))
		return false
	}
	return true
}

// webSource returns the active source id when the web UI may edit it;
// else it answers 404 (no such source) or 409 (the file's, or the
// imports').
func (s *Server) webSource(w http.ResponseWriter, r *http.Request, id string) (*store.SourceInfo, bool) {
	if !s.sourcesEditable(w, r) {
		return nil, false
	}
	lang := uiLang(r)
	si, err := s.store.Source(r.Context(), id)
	switch {
	case errors.Is(err, store.ErrNotFound) || (err == nil && !si.Active):
		s.errorPage(w, r, http.StatusNotFound, translate(lang, "sources.err.notfound"))
		return nil, false
	case err != nil:
		s.log.Error("reading a source failed", "source", id, "error", err)
		s.errorPage(w, r, http.StatusInternalServerError, translate(lang, "error.internal"))
		return nil, false
	case si.Origin == model.SourceFromImport:
		s.errorPage(w, r, http.StatusConflict, translate(lang, "sources.err.import"))
		return nil, false
	case si.Origin != model.SourceFromWeb:
		s.errorPage(w, r, http.StatusConflict, fmt.Sprintf(translate(lang, "sources.err.configured"), cmp.Or(si.Name, id)))
		return nil, false
	}
	return si, true
}

// sourceStoreError answers an error of changing a source.
func (s *Server) sourceStoreError(w http.ResponseWriter, r *http.Request, err error) {
	s.sourceStoreErrorOf(w, r, r.PathValue("id"), err)
}

// sourceStoreErrorOf answers an error of changing the source id (the
// path's, or the one a new source's form gave).
func (s *Server) sourceStoreErrorOf(w http.ResponseWriter, r *http.Request, id string, err error) {
	lang := uiLang(r)
	switch {
	case errors.Is(err, store.ErrConfiguredSource):
		name := ""
		if si, err := s.store.Source(r.Context(), id); err == nil {
			name = si.Name
		}
		s.errorPage(w, r, http.StatusConflict, fmt.Sprintf(translate(lang, "sources.err.configured"), cmp.Or(name, id)))
	case errors.Is(err, store.ErrImportSource):
		s.errorPage(w, r, http.StatusConflict, translate(lang, "sources.err.import"))
	case errors.Is(err, store.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, translate(lang, "sources.err.notfound"))
	case errors.Is(err, crawler.ErrRunning):
		s.errorPage(w, r, http.StatusConflict, translate(lang, "sources.err.running"))
	case errors.Is(err, crawler.ErrNotScheduled):
		s.errorPage(w, r, http.StatusConflict, translate(lang, "sources.err.notscheduled"))
	default:
		s.log.Error("changing a source failed", "source", id, "error", err)
		s.errorPage(w, r, http.StatusInternalServerError, translate(lang, "error.internal"))
	}
}

func (s *Server) renderSourceForm(w http.ResponseWriter, r *http.Request, status int, f sourceForm) {
	key := "sources.edit.title"
	if f.New {
		key = "sources.new.title"
	}
	f.Stances, f.Keeps = model.Stances, []model.Keep{model.KeepAll, model.KeepTopic}
	f.Types = []model.SourceType{model.SourceFeed, model.SourcePage, model.SourceSitemap}
	topics, err := s.store.Topics(r.Context())
	if err != nil {
		s.log.Error("listing topics failed", "error", err)
	}
	f.TopicsOK = len(topics) > 0
	redactForm(&f)
	if f.Keep == "" { // new: general outlets keep what is on a topic
		f.Keep = string(model.KeepAll)
		if f.TopicsOK {
			f.Keep = string(model.KeepTopic)
		}
	}
	s.render(w, r, status, "sources-form.html", translate(uiLang(r), key), f)
}

// redactForm hides the credentials of every address the form shows
// (user:password@, ?token=; see internal/redact): the address typed, the
// site, the feeds found, the test read and the errors. A saved source's
// address sent back redacted is read as unchanged (checkSourceForm); a
// new one must be typed again with its secret.
func redactForm(f *sourceForm) {
	f.URL, f.Site = redact.URL(f.URL), redact.URL(f.Site)
	f.FindErr, f.TryErr = redact.Text(f.FindErr), redact.Text(f.TryErr)
	errs := make(map[string]string, len(f.Errors))
	for k, v := range f.Errors {
		errs[k] = redact.Text(v)
	}
	f.Errors = errs
	found := make([]FeedCandidate, len(f.Found))
	for i, c := range f.Found {
		c.URL, c.Err = redact.URL(c.URL), redact.Text(c.Err)
		found[i] = c
	}
	f.Found = found
	if f.Preview != nil {
		p := *f.Preview
		p.URL = redact.URL(p.URL)
		p.Items = make([]crawler.PreviewItem, len(f.Preview.Items))
		for i, it := range f.Preview.Items {
			it.URL = redact.URL(it.URL)
			p.Items[i] = it
		}
		if p.Sample != nil {
			d := *p.Sample
			d.URL = redact.URL(d.URL)
			p.Sample = &d
		}
		if p.SampleErr != nil {
			p.SampleErr = errors.New(redact.Text(p.SampleErr.Error()))
		}
		f.Preview = &p
	}
}
