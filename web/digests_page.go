package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"presswatch/internal/digest"
	"presswatch/internal/store"
)

// digestView is the page of one digest.
type digestView struct {
	Path, TopicID, TopicName, Day string
	// D is the digest as it will be sent (staff's edits applied), or as
	// it was sent.
	D       *digest.Digest
	Counts  string   // D's header counts, in words
	Failed  []string // D's failed sources, in words
	Stories []storyView
	State   digestState
	Sent    *digest.Sent // the message, when sent
	Built   string       // when the digest was last built, UTC
	Edited  string       // when its edits were last saved, UTC; "" if never
	// CanEdit offers the edit form: changes are allowed and the digest
	// was not sent (nor is being sent, nor may have been). CanSend offers
	// sending; Again says it needs the "send again" confirmation.
	CanEdit, CanSend, Again bool
	ReadOnly                bool // changes are not allowed from this server
	Error                   string
	Done                    string // what the last change did, in words
}

// AtomURL is the feed of the digest's topic.
func (v *digestView) AtomURL() string { return "/digests/" + url.PathEscape(v.TopicID) + ".atom" }

// storyView is a story on the page. While the digest can be edited the
// page lists every story as built, in the edited order, the dropped ones
// marked; afterwards the stories as sent.
type storyView struct {
	digest.Story
	Pos         int
	Dropped     bool
	First, Last bool
}

// renderings are the digest's formats served beside its page.
var renderings = map[string]struct{ format, mime string }{
	".md":   {digest.FormatMarkdown, "text/markdown; charset=utf-8"},
	".txt":  {digest.FormatText, "text/plain; charset=utf-8"},
	".json": {digest.FormatJSON, "application/json; charset=utf-8"},
}

// loadDigest reads the digest of the path's {topic} and {day}: a day that
// is not a date is 400, an unknown topic or a digest never built 404,
// each naming it. ext is the day's extension (".md" ...), "" for none.
func (s *Server) loadDigest(w http.ResponseWriter, r *http.Request) (row *store.DigestRow, ext string, ok bool) {
	if s.digestsOff(w, r) {
		return nil, "", false
	}
	lang := uiLang(r)
	topic, day := r.PathValue("topic"), r.PathValue("day")
	if i := strings.LastIndexByte(day, '.'); i >= 0 {
		day, ext = day[:i], day[i:]
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, fmtT(lang, "digests.err.day", day))
		return nil, "", false
	}
	if _, known := renderings[ext]; ext != "" && !known {
		s.errorPage(w, r, http.StatusNotFound, fmtT(lang, "digests.err.format", ext))
		return nil, "", false
	}
	row, err := s.store.Digest(r.Context(), topic, day)
	if errors.Is(err, store.ErrNotFound) {
		topics, terr := s.store.Topics(r.Context())
		if _, known := topicNamed(topics, topic); terr == nil && !known {
			s.errorPage(w, r, http.StatusNotFound, fmtT(lang, "digests.err.topic", topic))
		} else {
			s.errorPage(w, r, http.StatusNotFound, fmtT(lang, "digests.err.none", topic, day))
		}
		return nil, "", false
	}
	if err != nil {
		s.internalError(w, r, "reading a digest failed", err)
		return nil, "", false
	}
	return row, ext, true
}

// digestPage answers GET /digests/{topic}/{day}: the digest's page, or
// with .md, .txt or .json its rendering as it will be sent.
func (s *Server) digestPage(w http.ResponseWriter, r *http.Request) {
	row, ext, ok := s.loadDigest(w, r)
	if !ok {
		return
	}
	if ext != "" {
		s.digestRendering(w, r, row, renderings[ext].format, renderings[ext].mime)
		return
	}
	lang := uiLang(r)
	v, err := s.digestViewAs(lang, row, s.CanChangeFor(r))
	if err != nil {
		s.internalError(w, r, "reading a stored digest failed", err)
		return
	}
	if k := r.URL.Query().Get("done"); k != "" && messages["en"]["digests.done."+k] != "" {
		v.Done = translate(lang, "digests.done."+k)
	}
	s.render(w, r, http.StatusOK, "digest.html", v.TopicName+", "+isoDayText(lang, v.Day), v)
}

// digestMail answers GET /digests/{topic}/{day}/mail.html: the HTML mail
// as it will be sent, in a sandbox where nothing in it can run or load.
func (s *Server) digestMail(w http.ResponseWriter, r *http.Request) {
	row, _, ok := s.loadDigest(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'")
	s.digestRendering(w, r, row, digest.FormatHTML, "text/html; charset=utf-8")
}

func (s *Server) digestRendering(w http.ResponseWriter, r *http.Request, row *store.DigestRow, format, mime string) {
	d, err := digest.Edited(row)
	var b []byte
	if err == nil {
		b, err = digest.Render(d, format, s.digestLang())
	}
	if err != nil {
		s.internalError(w, r, "rendering a digest failed", err)
		return
	}
	w.Header().Set("Content-Type", mime)
	w.Write(b)
}

// sentOf reads the version of a digest that was sent.
func sentOf(row *store.DigestRow) (*digest.Sent, error) {
	var sent digest.Sent
	if err := json.Unmarshal(row.Sent, &sent); err != nil {
		return nil, fmt.Errorf("web: digest %s/%s: the sent version: %w", row.TopicID, row.Day, err)
	}
	return &sent, nil
}

// editable says staff may still change and send the digest.
func editable(row *store.DigestRow) bool {
	return row.SendState == store.NotSent || row.SendState == store.SendFailed
}

// digestView is the view of a digest for a handler behind the admin
// guard, which may change it.
func (s *Server) digestView(lang string, row *store.DigestRow) (*digestView, error) {
	return s.digestViewAs(lang, row, true)
}

// digestViewAs is the view of a digest for a visitor who may change it or not.
func (s *Server) digestViewAs(lang string, row *store.DigestRow, canChange bool) (*digestView, error) {
	d, err := digest.Edited(row)
	if err != nil {
		return nil, err
	}
	v := &digestView{Path: digestPath(row.TopicID, row.Day), TopicID: row.TopicID, TopicName: d.Topic.Name, Day: row.Day,
		D: d, State: stateOf(lang, row), Built: utc(row.BuiltAt), Edited: utc(row.EditedAt), ReadOnly: !canChange}
	if v.TopicName == "" {
		v.TopicName = row.TopicID
	}
	v.CanEdit = canChange && editable(row)
	v.CanSend = canChange && (editable(row) || row.SendState == store.SendUncertain)
	v.Again = row.SendState == store.SendUncertain
	v.Counts = countsText(lang, d)
	for _, f := range d.Failed {
		v.Failed = append(v.Failed, failureText(lang, f))
	}
	if row.Sent != nil {
		if v.Sent, err = sentOf(row); err != nil {
			return nil, err
		}
	}
	stories := d.Stories
	var dropped []int64
	if v.CanEdit {
		// Every story as built, in the edited order, with its note.
		built, err := digest.Parse(row.Body)
		if err != nil {
			return nil, err
		}
		e, err := digest.ParseEdits(row.Edits)
		if err != nil {
			return nil, err
		}
		stories, dropped = built.Apply(digest.Edits{Order: e.Order, Notes: e.Notes}).Stories, e.Dropped
	}
	for i, st := range stories {
		v.Stories = append(v.Stories, storyView{Story: st, Pos: i + 1, Dropped: slices.Contains(dropped, st.ID),
			First: i == 0, Last: i == len(stories)-1})
	}
	return v, nil
}

// countsText is "12 articles from 7 sources, in 5 stories" (and how many
// staff left out).
func countsText(lang string, d *digest.Digest) string {
	if d.Articles == 0 {
		return translate(lang, "digests.nothing")
	}
	out := fmtT(lang, "digests.counts", plural(lang, "digests.articles", d.Articles),
		plural(lang, "digests.sources", d.Sources), plural(lang, "digests.stories", len(d.Stories)))
	if d.Dropped > 0 {
		out += " " + plural(lang, "digests.dropped", d.Dropped)
	}
	return out
}

// failureText says what a failed source may have cost the digest.
func failureText(lang string, f digest.Failure) string {
	var out string
	if f.Down {
		out = fmtT(lang, "digests.down", f.Name, utc(f.Since))
	} else {
		out = fmtT(lang, "digests.failedsource", f.Name, plural(lang, "digests.times", f.Count), utc(f.Since), utc(f.Until))
	}
	if f.Reason != "" {
		out += " (" + reasonOfFailure(lang, f.Reason) + ")"
	}
	return out
}
