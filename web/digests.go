package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"presswatch/internal/digest"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// The digest pages: /digests lists the stored digests and builds one,
// /digests/{topic}/{day} shows one as it will be sent (or as it was sent),
// edits it and sends it; its renderings are beside it (.md, .txt, .json,
// /mail.html) and a topic's digests are a feed (/digests/{topic}.atom).
// The digests' words are in their own language (Options.DigestLang), the
// pages' in the UI language.

// DigestService builds, edits and sends digests; *digest.Service
// satisfies it. The pages read the stored digests through Store
// (DigestReader).
type DigestService interface {
	// Make builds and stores the digest of topic for p. A digest that was
	// sent is left as it was and returned with store.ErrDigestSent.
	Make(ctx context.Context, topic model.Topic, p digest.Period) (*store.DigestRow, error)
	// Edit stores staff's edits of a digest not sent; a sent one gives
	// store.ErrDigestSent.
	Edit(ctx context.Context, row *store.DigestRow, e digest.Edits) error
	// Send sends a digest once (digest.ErrNoMail, digest.ErrNotClaimed);
	// again sends one whose earlier send is uncertain.
	Send(ctx context.Context, row *store.DigestRow, again bool) error
}

// DigestReader reads the stored digests; store.Store satisfies it.
type DigestReader interface {
	// Digest returns the digest of a topic for a day, or store.ErrNotFound.
	Digest(ctx context.Context, topicID, day string) (*store.DigestRow, error)
	// Digests returns up to limit digests, the latest day first; of one
	// topic when topicID is not "".
	Digests(ctx context.Context, topicID string, limit int) ([]*store.DigestRow, error)
}

const (
	// digestsListed bounds the list of /digests.
	digestsListed = 200
	// maxDigestForm bounds a digest form's body: a note on top and one per
	// story, digest.MaxNote bytes each, for a few hundred stories.
	maxDigestForm = 4 << 20
)

// digestsData is the /digests page.
type digestsData struct {
	Off       bool // no DigestService: digests are not set up
	Topic     string
	Topics    []model.Topic
	Items     []digestItem
	More      bool // the list stops at Limit
	Limit     int
	CanChange bool
	Day       string // the make form's default: yesterday in the digests' zone
}

// AtomURL is the feed of the topic the list is filtered by.
func (d digestsData) AtomURL() string {
	if d.Topic == "" {
		return ""
	}
	return "/digests/" + url.PathEscape(d.Topic) + ".atom"
}

// digestItem is one line of the list.
type digestItem struct {
	Path, TopicName, Day string
	Stories, Articles    int
	Unreadable           bool // the stored digest could not be read (logged)
	State                digestState
}

// digestState is where a digest's sending stands, in words.
type digestState struct {
	State store.SendState
	Text  string
}

// Trouble says the sending needs someone's attention.
func (st digestState) Trouble() bool {
	return st.State == store.SendFailed || st.State == store.SendUncertain
}

func digestPath(topic, day string) string { return "/digests/" + url.PathEscape(topic) + "/" + day }

// digestZone is the zone the digests' days are counted in.
func (s *Server) digestZone() *time.Location {
	if s.opts.DigestZone != nil {
		return s.opts.DigestZone
	}
	return time.UTC
}

// digestLang is the language digests are written in.
func (s *Server) digestLang() string {
	if s.opts.DigestLang != "" {
		return s.opts.DigestLang
	}
	return "en"
}

// digestsOff answers a digest page when no DigestService is set.
func (s *Server) digestsOff(w http.ResponseWriter, r *http.Request) bool {
	if s.opts.Digests != nil {
		return false
	}
	s.errorPage(w, r, http.StatusNotFound, translate(uiLang(r), "digests.off"))
	return true
}

// topicNamed returns the topic of id from topics.
func topicNamed(topics []model.Topic, id string) (model.Topic, bool) {
	for _, t := range topics {
		if t.ID == id {
			return t, true
		}
	}
	return model.Topic{}, false
}

// digestsPage answers GET /digests: the stored digests, the latest day
// first, of one topic with ?topic=, and the form that builds one.
func (s *Server) digestsPage(w http.ResponseWriter, r *http.Request) {
	lang := uiLang(r)
	title := translate(lang, "digests.title")
	if s.opts.Digests == nil {
		s.render(w, r, http.StatusOK, "digests.html", title, digestsData{Off: true})
		return
	}
	topics, err := s.store.Topics(r.Context())
	if err != nil {
		s.internalError(w, r, "listing topics failed", err)
		return
	}
	data := digestsData{Topic: r.URL.Query().Get("topic"), Topics: topics, CanChange: s.CanChangeFor(r), Limit: digestsListed,
		Day: digest.Yesterday(s.opts.Now(), s.digestZone()).Day}
	if t, ok := topicNamed(topics, data.Topic); data.Topic != "" && !ok {
		s.errorPage(w, r, http.StatusNotFound, fmtT(lang, "digests.err.topic", data.Topic))
		return
	} else if ok {
		title += ": " + t.Name
	}
	rows, err := s.store.Digests(r.Context(), data.Topic, digestsListed)
	if err != nil {
		s.internalError(w, r, "listing digests failed", err)
		return
	}
	data.More = len(rows) == digestsListed
	for _, row := range rows {
		data.Items = append(data.Items, s.digestItem(lang, row, topics))
	}
	s.render(w, r, http.StatusOK, "digests.html", title, data)
}

func (s *Server) digestItem(lang string, row *store.DigestRow, topics []model.Topic) digestItem {
	it := digestItem{Path: digestPath(row.TopicID, row.Day), TopicName: row.TopicID, Day: row.Day,
		State: stateOf(lang, row)}
	if t, ok := topicNamed(topics, row.TopicID); ok {
		it.TopicName = t.Name
	}
	d, err := digest.Edited(row)
	if err != nil {
		s.log.Error("reading a stored digest failed", "topic", row.TopicID, "day", row.Day, "error", err)
		it.Unreadable = true
		return it
	}
	it.Stories, it.Articles = len(d.Stories), d.Articles
	return it
}

// stateOf puts a digest's sending in words.
func stateOf(lang string, row *store.DigestRow) digestState {
	st := digestState{State: row.SendState}
	switch row.SendState {
	case store.NotSent:
		st.Text = translate(lang, "digests.state.new")
	case store.Sending:
		st.Text = translate(lang, "digests.state.sending")
	case store.Sent:
		var to []string
		if sent, err := sentOf(row); err == nil {
			to = sent.To
		}
		st.Text = fmtT(lang, "digests.state.sent", utc(row.SentAt), plural(lang, "digests.addresses", len(to)))
	case store.SendFailed:
		st.Text = fmtT(lang, "digests.state.failed", row.SendError, row.Attempts)
		if row.NextAttempt.IsZero() {
			st.Text += " " + translate(lang, "digests.state.noretry")
		} else {
			st.Text += " " + fmtT(lang, "digests.state.retry", utc(row.NextAttempt))
		}
	case store.SendUncertain:
		st.Text = fmtT(lang, "digests.state.uncertain", row.SendError)
	default:
		st.Text = string(row.SendState)
	}
	return st
}

// makeDigest answers POST /digests: it builds the digest of topic for
// day (YYYY-MM-DD in the digests' zone) and goes to its page. A digest
// that was sent stays as it was sent.
func (s *Server) makeDigest(w http.ResponseWriter, r *http.Request) {
	if s.digestsOff(w, r) {
		return
	}
	lang := uiLang(r)
	r.Body = http.MaxBytesReader(w, r.Body, maxDigestForm)
	topicID, day := strings.TrimSpace(r.PostFormValue("topic")), strings.TrimSpace(r.PostFormValue("day"))
	topics, err := s.store.Topics(r.Context())
	if err != nil {
		s.internalError(w, r, "listing topics failed", err)
		return
	}
	topic, ok := topicNamed(topics, topicID)
	if !ok {
		s.errorPage(w, r, http.StatusBadRequest, fmtT(lang, "digests.err.topic", topicID))
		return
	}
	p, err := digest.Day(day, s.digestZone())
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, fmtT(lang, "digests.err.day", day))
		return
	}
	if p.From.After(s.opts.Now()) {
		s.errorPage(w, r, http.StatusBadRequest, fmtT(lang, "digests.err.future", day))
		return
	}
	done := "built"
	if _, err := s.opts.Digests.Make(r.Context(), topic, p); errors.Is(err, store.ErrDigestSent) {
		done = "kept"
	} else if err != nil {
		s.internalError(w, r, "building a digest failed", err)
		return
	}
	http.Redirect(w, r, digestPath(topic.ID, p.Day)+"?done="+done, http.StatusSeeOther)
}

// internalError logs err and answers 500 in words.
func (s *Server) internalError(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.log.Error(what, "path", r.URL.Path, "error", err)
	s.errorPage(w, r, http.StatusInternalServerError, translate(uiLang(r), "error.internal"))
}

// fmtT formats the UI text of key in lang with args.
func fmtT(lang, key string, args ...any) string { return page{Lang: lang}.Tf(key, args...) }
