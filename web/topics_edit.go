package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"presswatch/index"
	"presswatch/index/qparse"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// Limits on what the topic form takes.
const (
	maxTopicID      = 40
	maxTopicName    = 200
	maxAliasGroups  = 50
	maxAliasNames   = 20  // in one group
	maxAliasName    = 100 // characters
	maxTopicFormLen = 64 << 10
)

var slugRE = regexp.MustCompile(`^[a-z0-9-]{1,40}$`)

func slugOK(id string) bool { return slugRE.MatchString(id) }

// topicForm is the data of topics-form.html: what was typed, and what is
// wrong with it.
type topicForm struct {
	New                          bool
	ID, Name, Query, AliasesText string
	Errors                       map[string]string // field -> message
	QueryFault                   *queryFault       // the query's, when the parser placed it
}

// Action is where the form posts.
func (f topicForm) Action() string {
	if f.New {
		return "/topics"
	}
	return "/topics/" + url.PathEscape(f.ID)
}

// queryFault is a query error as the form shows it: where, why, and what
// to do, with the query cut around the place.
type queryFault struct {
	Pos               int // in characters from 1; 0 for the whole query
	Reason, Suggest   string
	Before, At, After string // the query before the place, at it, after it
	HasPos            bool
}

// newTopicForm answers GET /topics/new.
func (s *Server) newTopicForm(w http.ResponseWriter, r *http.Request) {
	if !s.topicsEditable(w, r) {
		return
	}
	s.renderTopicForm(w, r, http.StatusOK, topicForm{New: true})
}

// editTopicForm answers GET /topics/{id}/edit.
func (s *Server) editTopicForm(w http.ResponseWriter, r *http.Request) {
	t, ok := s.webTopic(w, r)
	if !ok {
		return
	}
	s.renderTopicForm(w, r, http.StatusOK, topicForm{ID: t.ID, Name: t.Name, Query: t.Query, AliasesText: aliasesText(t.Aliases)})
}

// createTopic answers POST /topics.
func (s *Server) createTopic(w http.ResponseWriter, r *http.Request) {
	if !s.topicsEditable(w, r) {
		return
	}
	f, ok := s.readTopicForm(w, r)
	if !ok {
		return
	}
	f.New = true
	s.saveTopic(w, r, f)
}

// updateTopic answers POST /topics/{id}.
func (s *Server) updateTopic(w http.ResponseWriter, r *http.Request) {
	t, ok := s.webTopic(w, r)
	if !ok {
		return
	}
	f, ok := s.readTopicForm(w, r)
	if !ok {
		return
	}
	f.ID = t.ID // the id names the topic's matches and digests: it stays
	s.saveTopic(w, r, f)
}

// deleteTopic answers POST /topics/{id}/delete.
func (s *Server) deleteTopic(w http.ResponseWriter, r *http.Request) {
	t, ok := s.webTopic(w, r)
	if !ok {
		return
	}
	if err := s.store.DeleteTopic(r.Context(), t.ID); err != nil {
		s.topicStoreError(w, r, err)
		return
	}
	if !s.topicsApplied(w, r) {
		return
	}
	s.log.Info("topic deleted from the web UI", "topic", t.ID)
	http.Redirect(w, r, "/topics?deleted="+url.QueryEscape(t.ID), http.StatusSeeOther)
}

// saveTopic checks f and saves it, or shows the form again with what is
// wrong (400), nothing saved.
func (s *Server) saveTopic(w http.ResponseWriter, r *http.Request, f topicForm) {
	ctx := r.Context()
	t, ok, err := s.checkTopicForm(r, &f)
	if err != nil {
		s.log.Error("checking a topic failed", "topic", f.ID, "error", err)
		s.errorPage(w, r, http.StatusInternalServerError, translate(uiLang(r), "error.internal"))
		return
	}
	if !ok {
		s.renderTopicForm(w, r, http.StatusBadRequest, f)
		return
	}
	if err := s.store.SaveTopic(ctx, t); errors.Is(err, store.ErrConfiguredTopic) {
		f.Errors = map[string]string{"id": fmt.Sprintf(translate(uiLang(r), "topics.err.configured"), t.ID)}
		s.renderTopicForm(w, r, http.StatusBadRequest, f)
		return
	} else if err != nil {
		s.topicStoreError(w, r, err)
		return
	}
	if !s.topicsApplied(w, r) {
		return
	}
	s.log.Info("topic saved from the web UI", "topic", t.ID, "new", f.New)
	http.Redirect(w, r, "/topics?saved="+url.QueryEscape(t.ID)+"#topic-"+url.QueryEscape(t.ID), http.StatusSeeOther)
}

// checkTopicForm reads f into a topic, filling f.Errors with every field's
// fault in the UI language; ok is false when there is one. An error is not
// the user's fault.
func (s *Server) checkTopicForm(r *http.Request, f *topicForm) (t model.Topic, ok bool, err error) {
	lang := uiLang(r)
	f.Errors = map[string]string{}
	fail := func(field, key string, args ...any) {
		if _, done := f.Errors[field]; !done {
			f.Errors[field] = fmt.Sprintf(translate(lang, key), args...)
		}
	}
	t = model.Topic{ID: f.ID, Name: strings.TrimSpace(f.Name), Query: strings.TrimSpace(f.Query), Origin: model.TopicFromWeb}
	switch {
	case t.ID == "":
		fail("id", "topics.err.id.empty")
	case !slugOK(t.ID):
		fail("id", "topics.err.id.slug", t.ID, maxTopicID)
	case f.New:
		switch old, err := s.topicByID(r.Context(), t.ID); {
		case err == nil && old.Origin == model.TopicFromWeb:
			fail("id", "topics.err.id.taken", t.ID)
		case err == nil:
			fail("id", "topics.err.configured", t.ID)
		case !errors.Is(err, store.ErrNotFound):
			return t, false, err
		}
	}
	switch n := utf8.RuneCountInString(t.Name); {
	case n == 0:
		fail("name", "topics.err.name.empty")
	case n > maxTopicName:
		fail("name", "topics.err.name.long", maxTopicName)
	}
	if t.Aliases, err = parseAliases(lang, f.AliasesText); err != nil {
		f.Errors["aliases"] = err.Error()
	}
	if t.Query == "" {
		fail("query", "topics.err.query.empty")
	} else if err := s.opts.Topics.CheckTopic(r.Context(), checkable(t)); err != nil {
		var qe *index.QueryError
		if !errors.As(err, &qe) {
			return t, false, err
		}
		f.Errors["query"], f.QueryFault = queryFaultOf(lang, t.Query, qe)
	}
	return t, len(f.Errors) == 0, nil
}

// checkable is t with an id the query check takes, when the id is the
// form's fault: the query is checked all the same, so every fault is
// said at once.
func checkable(t model.Topic) model.Topic {
	if !slugOK(t.ID) {
		t.ID = "new-topic"
	}
	return t
}

// queryFaultOf says what is wrong with a query: the parser's position,
// reason and suggestion when it gave them, else the whole error.
func queryFaultOf(lang, q string, qe *index.QueryError) (string, *queryFault) {
	var pe *qparse.Error
	if !errors.As(qe, &pe) {
		return fmt.Sprintf(translate(lang, "topics.err.query"), qe.Err), nil
	}
	f := &queryFault{Pos: pe.Pos, Reason: pe.Reason, Suggest: pe.Suggest}
	runes := []rune(q)
	if pe.Pos > 0 && pe.Pos <= len(runes) {
		f.HasPos = true
		f.Before, f.At, f.After = string(runes[:pe.Pos-1]), string(runes[pe.Pos-1]), string(runes[pe.Pos:])
	}
	return fmt.Sprintf(translate(lang, "topics.err.query"), pe.Reason), f
}

// parseAliases reads alias groups, one a line, names separated by commas
// or semicolons. An error says, in lang, which line is wrong.
func parseAliases(lang, text string) ([][]string, error) {
	groups := [][]string{}
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		var names []string
		for n := range strings.FieldsFuncSeq(line, func(r rune) bool { return r == ',' || r == ';' }) {
			if n = strings.Join(strings.Fields(n), " "); n != "" {
				names = append(names, n)
			}
		}
		switch {
		case len(names) == 0:
			continue
		case len(names) == 1:
			return nil, fmt.Errorf(translate(lang, "topics.err.aliases.one"), i+1, names[0])
		case len(names) > maxAliasNames:
			return nil, fmt.Errorf(translate(lang, "topics.err.aliases.many"), i+1, maxAliasNames)
		}
		for _, n := range names {
			if utf8.RuneCountInString(n) > maxAliasName {
				return nil, fmt.Errorf(translate(lang, "topics.err.aliases.long"), i+1, maxAliasName)
			}
		}
		if groups = append(groups, names); len(groups) > maxAliasGroups {
			return nil, fmt.Errorf(translate(lang, "topics.err.aliases.groups"), maxAliasGroups)
		}
	}
	return groups, nil
}

// aliasesText writes alias groups as the form takes them.
func aliasesText(groups [][]string) string {
	lines := make([]string, len(groups))
	for i, g := range groups {
		lines[i] = strings.Join(g, ", ")
	}
	return strings.Join(lines, "\n")
}

// readTopicForm reads the posted form; a body that is too large or not a
// form is answered with 400.
func (s *Server) readTopicForm(w http.ResponseWriter, r *http.Request) (topicForm, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxTopicFormLen)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, fmt.Sprintf(translate(uiLang(r), "topics.err.form"), maxTopicFormLen>>10))
		return topicForm{}, false
	}
	return topicForm{
		ID: strings.TrimSpace(r.PostForm.Get("id")), Name: r.PostForm.Get("name"),
		Query: r.PostForm.Get("query"), AliasesText: r.PostForm.Get("aliases"),
	}, true
}

// topicsEditable answers 403 when the server cannot apply changes to
// topics (admin already refuses when it does not allow them).
func (s *Server) topicsEditable(w http.ResponseWriter, r *http.Request) bool {
	if s.opts.Topics == nil {
		s.errorPage(w, r, http.StatusForbidden, translate(uiLang(r), "topics.err.noeditor"))
		return false
	}
	return true
}

// webTopic returns the topic {id} of the path when the web UI may change
// it; else it answers 404 (no such topic) or 409 (the configuration file
// defines it).
func (s *Server) webTopic(w http.ResponseWriter, r *http.Request) (model.Topic, bool) {
	if !s.topicsEditable(w, r) {
		return model.Topic{}, false
	}
	lang := uiLang(r)
	t, err := s.topicByID(r.Context(), r.PathValue("id"))
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, translate(lang, "topics.err.notfound"))
		return t, false
	case err != nil:
		s.log.Error("reading a topic failed", "topic", r.PathValue("id"), "error", err)
		s.errorPage(w, r, http.StatusInternalServerError, translate(lang, "error.internal"))
		return t, false
	case t.Origin != model.TopicFromWeb:
		s.errorPage(w, r, http.StatusConflict, fmt.Sprintf(translate(lang, "topics.err.configured"), t.ID))
		return t, false
	}
	return t, true
}

// topicStoreError answers an error of saving or deleting a topic.
func (s *Server) topicStoreError(w http.ResponseWriter, r *http.Request, err error) {
	lang := uiLang(r)
	switch {
	case errors.Is(err, store.ErrConfiguredTopic):
		s.errorPage(w, r, http.StatusConflict, fmt.Sprintf(translate(lang, "topics.err.configured"), r.PathValue("id")))
	case errors.Is(err, store.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, translate(lang, "topics.err.notfound"))
	default:
		s.log.Error("changing a topic failed", "error", err)
		s.errorPage(w, r, http.StatusInternalServerError, translate(lang, "error.internal"))
	}
}

// topicsApplied tells the running presswatch that the topics changed; when
// it cannot, the change is stored but not yet in use, which the page says.
func (s *Server) topicsApplied(w http.ResponseWriter, r *http.Request) bool {
	if err := s.opts.Topics.TopicsChanged(r.Context()); err != nil {
		s.log.Error("applying the changed topics failed; they apply at the next start", "error", err)
		s.errorPage(w, r, http.StatusInternalServerError, translate(uiLang(r), "topics.err.apply"))
		return false
	}
	return true
}

func (s *Server) renderTopicForm(w http.ResponseWriter, r *http.Request, status int, f topicForm) {
	key := "topics.edit.title"
	if f.New {
		key = "topics.new.title"
	}
	s.render(w, r, status, "topics-form.html", translate(uiLang(r), key), f)
}
