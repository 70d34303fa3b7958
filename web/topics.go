package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/store"
)

// Topics are saved searches: a name, a query with its filters, and alias
// groups. The configuration file defines some; the web UI creates, edits
// and deletes others (topics_edit.go), when the server allows changes
// (admin.go). Each topic's page of what was first seen lately is in
// topics_new.go.

// TopicEditor checks a topic before it is saved and applies the topics
// to the running presswatch after a change, so the web need not know the
// crawler or ingest; cmd/presswatch implements it.
type TopicEditor interface {
	// CheckTopic returns why t cannot be used: a *index.QueryError (with
	// a *qparse.Error in it when the parser found the fault) for its
	// query, as a search would refuse it. Any other error is not the
	// user's.
	CheckTopic(ctx context.Context, t model.Topic) error
	// TopicsChanged is called after a topic was saved or deleted in the
	// store: ingest matches new articles to the topics as they are now,
	// the index knows their ids and alias groups, and stored articles
	// are matched again in the background.
	TopicsChanged(ctx context.Context) error
}

// TopicStore is what the topic pages need of the store beyond reading
// topics; store.Store satisfies it.
type TopicStore interface {
	SaveTopic(ctx context.Context, t model.Topic) error
	DeleteTopic(ctx context.Context, id string) error
	TopicTotals(ctx context.Context) (map[string]int, error)
	TopicSince(ctx context.Context, topicID string, since time.Time, limit int) ([]store.RecentArticle, error)
	LastDigest(ctx context.Context, topicID string) (*store.DigestRow, error)
}

// topicRow is a topic as the topics page lists it.
type topicRow struct {
	model.Topic
	Articles   int
	Configured bool     // defined in the configuration file
	Groups     []string // each alias group, its names joined by commas
}

// topicsList is the data of topics.html.
type topicsList struct {
	Topics    []topicRow
	CanChange bool
	Saved     string // the id of the topic just saved, from the redirect
	Deleted   string // the id of the topic just deleted
}

// topicsPage answers GET /topics: every topic with its query, alias
// groups, origin and article count, links to its search, feed, new
// articles and digests, and, when the server allows changes, the forms
// that change them.
func (s *Server) topicsPage(w http.ResponseWriter, r *http.Request) {
	lang := uiLang(r)
	ctx := r.Context()
	topics, err := s.store.Topics(ctx)
	if err != nil {
		s.log.Error("listing topics failed", "error", err)
		s.errorPage(w, r, http.StatusInternalServerError, translate(lang, "error.internal"))
		return
	}
	totals, err := s.store.TopicTotals(ctx)
	if err != nil {
		s.log.Error("counting topics' articles failed", "error", err)
		s.errorPage(w, r, http.StatusInternalServerError, translate(lang, "error.internal"))
		return
	}
	d := topicsList{CanChange: s.canEditTopics(r)}
	for _, t := range topics {
		row := topicRow{Topic: t, Articles: totals[t.ID], Configured: t.Origin != model.TopicFromWeb}
		for _, g := range t.Aliases {
			row.Groups = append(row.Groups, strings.Join(g, ", "))
		}
		d.Topics = append(d.Topics, row)
	}
	// The notes of a redirect name a topic only if it is (or, deleted,
	// is no longer) there, so a link cannot make the page say anything.
	q := r.URL.Query()
	if id := q.Get("saved"); slices.ContainsFunc(topics, func(t model.Topic) bool { return t.ID == id }) {
		d.Saved = id
	}
	if id := q.Get("deleted"); slugOK(id) && !slices.ContainsFunc(topics, func(t model.Topic) bool { return t.ID == id }) {
		d.Deleted = id
	}
	s.render(w, r, http.StatusOK, "topics.html", translate(lang, "topics.title"), d)
}

// canEditTopics tells whether the server allows changes and has an editor
// to apply them.
func (s *Server) canEditTopics(r *http.Request) bool {
	return s.CanChangeFor(r) && s.opts.Topics != nil
}

// topicByID returns the stored topic id, or store.ErrNotFound.
func (s *Server) topicByID(ctx context.Context, id string) (model.Topic, error) {
	topics, err := s.store.Topics(ctx)
	if err != nil {
		return model.Topic{}, err
	}
	for _, t := range topics {
		if t.ID == id {
			return t, nil
		}
	}
	return model.Topic{}, store.ErrNotFound
}
