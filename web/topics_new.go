package web

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"presswatch/index"
	"presswatch/internal/digest"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// newLimit bounds the articles /topics/{id}/new reads: the page says when
// there are more.
const newLimit = 500

// newStory is a story of a topic's new articles: its earliest copy since
// then, with the others.
type newStory struct {
	store.RecentArticle
	Others []store.RecentArticle // earliest first
}

// topicNew is the data of topics-new.html.
type topicNew struct {
	Topic model.Topic
	Since time.Time
	// Basis says how Since was chosen: "param" (the since parameter),
	// "digest" (the end of the last digest's period) or "day" (24
	// hours before now, when there is no digest yet).
	Basis    string
	Param    string           // since as given
	DayParam bool             // since was a day, taken from 00:00 UTC
	Digest   *store.DigestRow // the last digest, for Basis "digest"
	Stories  []newStory
	Articles int  // how many articles the stories hold
	More     bool // more than newLimit articles were first seen since then
	Limit    int
	// SearchURL is the search of the topic's articles first seen since
	// then, which lists them all.
	SearchURL string
	atom      string
}

func (d topicNew) AtomURL() string { return d.atom }

// topicNewPage answers GET /topics/{id}/new?since=: the topic's articles
// first seen since then, one story once, the most recently first seen
// first.
func (s *Server) topicNewPage(w http.ResponseWriter, r *http.Request) {
	d, status, msg := s.topicNewData(r)
	if status != http.StatusOK {
		s.errorPage(w, r, status, msg)
		return
	}
	s.render(w, r, http.StatusOK, "topics-new.html", fmt.Sprintf(translate(uiLang(r), "topics.new.heading"), topicName(d.Topic)), d)
}

// topicNewAtom answers GET /topics/{id}/new.atom: the stories of the page
// as an Atom feed, at most atomEntries of them.
func (s *Server) topicNewAtom(w http.ResponseWriter, r *http.Request) {
	d, status, msg := s.topicNewData(r)
	if status != http.StatusOK {
		http.Error(w, msg, status)
		return
	}
	lang, base := uiLang(r), baseURL(r)
	var hits []index.Hit
	for _, st := range d.Stories[:min(len(d.Stories), atomEntries)] {
		h := index.Hit{ID: st.ID, URL: st.URL, Title: st.Title, Source: cmp.Or(st.SourceName, st.SourceID),
			FirstSeen: st.FirstSeen, Story: st.ClusterID}
		if !st.Published.IsZero() {
			p := st.Published
			h.Published = &p
		}
		hits = append(hits, h)
	}
	q := url.Values{}
	if d.Param != "" {
		q.Set("since", d.Param)
	}
	page := link("/topics/"+url.PathEscape(d.Topic.ID)+"/new", q)
	feed := atomFeed{
		// The id names the topic and the since asked for, not the time it
		// stood for, so a reader keeps its place as digests go by.
		ID:    "tag:presswatch,2024:topic-new?" + url.Values{"id": {d.Topic.ID}, "since": {d.Param}}.Encode(),
		Title: fmt.Sprintf(translate(lang, "topics.new.feed"), topicName(d.Topic)),
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + d.atom},
			{Rel: "alternate", Type: "text/html", Href: base + page},
		},
		Author: &atomPerson{Name: "presswatch"},
	}
	feed.Entries, feed.Updated = s.entriesOf(base, hits, true)
	s.writeFeed(w, feed)
}

// topicNewData reads what the new-articles page and feed show; a status
// other than 200 comes with the message to answer.
func (s *Server) topicNewData(r *http.Request) (topicNew, int, string) {
	ctx, lang := r.Context(), uiLang(r)
	t, err := s.topicByID(ctx, r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		return topicNew{}, http.StatusNotFound, translate(lang, "topics.err.notfound")
	} else if err != nil {
		s.log.Error("reading a topic failed", "topic", r.PathValue("id"), "error", err)
		return topicNew{}, http.StatusInternalServerError, translate(lang, "error.internal")
	}
	d := topicNew{Topic: t, Param: r.URL.Query().Get("since"), Limit: newLimit}
	now := s.opts.Now().UTC()
	switch {
	case d.Param != "":
		if d.Since, d.DayParam, err = parseSince(d.Param, now); err != nil {
			return topicNew{}, http.StatusBadRequest, fmt.Sprintf(translate(lang, "topics.err.since"), d.Param)
		}
		d.Basis = "param"
	default:
		d.Digest, err = s.store.LastDigest(ctx, t.ID)
		switch {
		case err == nil:
			// A digest built before its day ended covers only what was
			// there when it was built.
			d.Since, d.Basis = d.Digest.To, "digest"
			if d.Digest.BuiltAt.Before(d.Since) {
				d.Since = d.Digest.BuiltAt
			}
		case errors.Is(err, store.ErrNotFound):
			d.Since, d.Basis, d.Digest = now.Add(-24*time.Hour), "day", nil
		default:
			s.log.Error("reading a topic's last digest failed", "topic", t.ID, "error", err)
			return topicNew{}, http.StatusInternalServerError, translate(lang, "error.internal")
		}
	}
	rows, err := s.store.TopicSince(ctx, t.ID, d.Since, newLimit+1)
	if err != nil {
		s.log.Error("reading a topic's new articles failed", "topic", t.ID, "error", err)
		return topicNew{}, http.StatusInternalServerError, translate(lang, "error.internal")
	}
	if len(rows) > newLimit {
		rows, d.More = rows[:newLimit], true
	}
	d.Articles, d.Stories = len(rows), groupStories(rows)
	q := url.Values{}
	if d.Param != "" {
		q.Set("since", d.Param)
	}
	d.atom = link("/topics/"+url.PathEscape(t.ID)+"/new.atom", q)
	d.SearchURL = link("/search", url.Values{"topic": {t.ID}, "date": {"first_seen"}, "sort": {"newest"},
		"from": {d.Since.Format(time.RFC3339)}})
	return d, http.StatusOK, ""
}

// groupStories groups articles, the most recently first seen first, into
// stories (copies share a ClusterID): each told by its earliest copy, the
// story first seen most recently first.
func groupStories(rows []store.RecentArticle) []newStory {
	byCluster := map[int64]*newStory{}
	var order []*newStory
	for _, a := range rows { // newest first: a later row is an earlier copy
		st := byCluster[a.ClusterID]
		if st == nil {
			st = &newStory{RecentArticle: a}
			byCluster[a.ClusterID] = st
			order = append(order, st)
			continue
		}
		st.Others = append([]store.RecentArticle{st.RecentArticle}, st.Others...)
		st.RecentArticle = a
	}
	slices.SortStableFunc(order, func(a, b *newStory) int {
		return cmp.Or(b.FirstSeen.Compare(a.FirstSeen), cmp.Compare(b.ID, a.ID))
	})
	out := make([]newStory, len(order))
	for i, st := range order {
		out[i] = *st
	}
	return out
}

// parseSince reads since: an RFC 3339 time, a day (YYYY-MM-DD, from 00:00
// UTC; day is then true) or a span back from now (24h, 90m, 7d).
func parseSince(v string, now time.Time) (t time.Time, day bool, err error) {
	// A + of an offset arrives as a space when the URL was typed.
	if t, err := time.Parse(time.RFC3339, strings.Replace(v, " ", "+", 1)); err == nil {
		return t.UTC(), false, checkSince(t)
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, true, checkSince(t)
	}
	span, err := digest.ParseSpan(v)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("web: since: %w", err)
	}
	return now.Add(-span), false, nil
}

func checkSince(t time.Time) error {
	if y := t.Year(); y < 1900 || y > 2200 {
		return fmt.Errorf("web: since %s: outside the years 1900 to 2200", t.Format(time.RFC3339))
	}
	return nil
}

// topicName is a topic's name, or its id when it has none.
func topicName(t model.Topic) string { return cmp.Or(t.Name, t.ID) }
