package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"

	"presswatch/internal/model"
	"presswatch/internal/store"
)

// Time layouts: a publisher's time keeps its offset; times presswatch
// recorded itself are UTC.
const (
	layoutPublished = "2006-01-02 15:04 -07:00"
	layoutUTC       = "2006-01-02 15:04:05 UTC"
)

// articleView is an article with everything its page and its JSON show.
type articleView struct {
	*model.Article
	Source   *store.SourceInfo // nil if the source is not stored
	Fetch    *model.Fetch      // the fetch that first produced the article; nil if none
	Versions []versionView     // oldest first
	Events   []eventView       // what revisits found, oldest first
	Revisit  *model.Revisit    // nil when the article is not read again (imported)
	Cluster  []copyView        // every copy of the story, this one included, the earliest first
	// Current is the version whose text the article has now (the one
	// cited), and Capture the fetch that saw that text: the exchange the
	// archived copy and the citation name. Either may be nil.
	Current *versionView
	Capture *model.Fetch
	Now     time.Time
	// Archived says the archived copy of Capture can be served: it has a
	// WARC record and the server was given the WARC folder.
	Archived bool

	fetches map[int64]*model.Fetch // every fetch of the article, by id
}

// articleID reads the {id} of the path; ok is false for anything but a
// positive decimal number.
func articleID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// loadArticle reads an article with its source, fetch records, versions,
// events, revisit schedule and the copies of its story. With diffs, each
// version carries its word diff from the one before. An unknown id gives
// store.ErrNotFound.
func (s *Server) loadArticle(ctx context.Context, id int64, diffs bool) (*articleView, error) {
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &articleView{Article: a, Now: s.opts.Now(), fetches: map[int64]*model.Fetch{}}
	if v.Source, err = s.store.Source(ctx, a.SourceID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if a.Topics, err = s.store.Matches(ctx, id); err != nil {
		return nil, err
	}
	versions, err := s.store.Versions(ctx, id)
	if err != nil {
		return nil, err
	}
	v.Versions = versionViews(versions, diffs)
	events, err := s.store.Events(ctx, id)
	if err != nil {
		return nil, err
	}
	if v.Revisit, err = s.store.Revisit(ctx, id); err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	ids := []int64{a.FetchID}
	for _, ver := range versions {
		ids = append(ids, ver.FetchID)
	}
	for _, e := range events {
		ids = append(ids, e.FetchID)
	}
	if err := s.loadFetches(ctx, v, ids); err != nil {
		return nil, err
	}
	v.Fetch = v.fetches[a.FetchID]
	archive := s.opts.WARCDir != ""
	for i := range v.Versions {
		if f := v.fetches[v.Versions[i].FetchID]; archive && f != nil && f.WARCFile != "" {
			v.Versions[i].Capture = f
		}
	}
	for _, e := range events {
		ev := eventView{Event: e}
		if f := v.fetches[e.FetchID]; archive && f != nil && f.WARCFile != "" {
			ev.Capture = f
		}
		v.Events = append(v.Events, ev)
	}
	v.Current, v.Capture = v.current()
	v.Archived = archive && v.Capture != nil && v.Capture.WARCFile != ""
	cluster := a.ClusterID
	if cluster == 0 {
		cluster = a.ID
	}
	members, err := s.store.ClusterMembers(ctx, cluster)
	if err != nil {
		return nil, err
	}
	v.Cluster = copyViews(members, a.ID)
	return v, nil
}

// topicLink is a topic as a reader sees it: its name, linked by its id.
type topicLink struct{ ID, Name string }

// topicNames names the topics of ids; an id no topic has any more is its
// own name.
func (s *Server) topicNames(ctx context.Context, ids []string) ([]topicLink, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	topics, err := s.store.Topics(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]topicLink, len(ids))
	for i, id := range ids {
		out[i] = topicLink{ID: id, Name: id}
		if t, ok := topicNamed(topics, id); ok && t.Name != "" {
			out[i].Name = t.Name
		}
	}
	return out, nil
}

// loadFetches reads the fetch records of ids (0 and repeats skipped) into
// v.fetches; a record that is gone is left out.
func (s *Server) loadFetches(ctx context.Context, v *articleView, ids []int64) error {
	for _, fid := range ids {
		if _, seen := v.fetches[fid]; seen || fid == 0 {
			continue
		}
		f, err := s.store.Fetch(ctx, fid)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		v.fetches[fid] = f
	}
	return nil
}

// current finds the version whose text the article has now (the newest
// with its content hash; a return to an earlier text makes that one
// current again) and the fetch that last saw that text: the newest edit,
// completion or return that produced it, else the version's own fetch,
// else the article's first.
func (v *articleView) current() (*versionView, *model.Fetch) {
	if len(v.Versions) == 0 {
		return nil, v.Fetch
	}
	cur := &v.Versions[len(v.Versions)-1]
	for i := len(v.Versions) - 1; i >= 0; i-- {
		if v.Versions[i].ContentHash == v.ContentHash {
			cur = &v.Versions[i]
			break
		}
	}
	for i := len(v.Events) - 1; i >= 0; i-- {
		e := v.Events[i]
		switch e.Kind {
		case model.EventEdited, model.EventCompleted, model.EventBack:
			if f := v.fetches[e.FetchID]; e.VersionID == cur.ID && f != nil {
				return cur, f
			}
		}
	}
	if f := v.fetches[cur.FetchID]; f != nil {
		return cur, f
	}
	return cur, v.Fetch
}

// fetchOf returns the fetch record fid if it is one of the article's
// (its first fetch, a version's or an event's), else nil: the archive
// routes serve no other exchange under an article's URL.
func (v *articleView) fetchOf(fid int64) *model.Fetch { return v.fetches[fid] }

// articlePage answers GET /articles/{id}.
func (s *Server) articlePage(w http.ResponseWriter, r *http.Request) {
	v, ok := s.articleOr404(w, r, true)
	if !ok {
		return
	}
	title := v.Title
	if title == "" {
		title = v.URL
	}
	names, err := s.topicNames(r.Context(), v.Topics)
	if err != nil {
		s.internalError(w, r, "naming the article's topics failed", err)
		return
	}
	s.render(w, r, http.StatusOK, "article.html", title, articlePage{articleView: v, Cite: v.cite(uiLang(r)), TopicNames: names})
}

// articleOr404 loads the article of the request's {id} (see loadArticle),
// or answers with the page saying why not and returns false.
func (s *Server) articleOr404(w http.ResponseWriter, r *http.Request, diffs bool) (*articleView, bool) {
	lang := uiLang(r)
	id, ok := articleID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, translate(lang, "article.notfound"))
		return nil, false
	}
	v, err := s.loadArticle(r.Context(), id, diffs)
	if errors.Is(err, store.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, translate(lang, "article.notfound"))
		return nil, false
	}
	if err != nil {
		s.log.Error("reading an article failed", "id", id, "error", err)
		s.errorPage(w, r, http.StatusInternalServerError, translate(lang, "error.internal"))
		return nil, false
	}
	return v, true
}

// articlePage is the data of article.html.
type articlePage struct {
	*articleView
	Cite string
	// TopicNames are the names of Article.Topics, in their order: a
	// topic no longer stored keeps its id as its name.
	TopicNames []topicLink
}

// textPolicy allows the only markup articleHTML writes. The text is
// escaped before it gets here; the policy is the second wall, so a slip
// in building the paragraphs still cannot let the source's markup run.
var textPolicy = bluemonday.NewPolicy().AllowElements("p", "br")

// Body is the article's plain text as HTML paragraphs: blank lines
// separate paragraphs, single line breaks are kept. Markup in the text
// shows as the characters it is made of; nothing in it can run.
func (v *articleView) Body() template.HTML {
	var b strings.Builder
	for para := range strings.SplitSeq(strings.ReplaceAll(v.Text, "\r\n", "\n"), "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>")
			}
			b.WriteString(template.HTMLEscapeString(strings.TrimSpace(line)))
		}
		b.WriteString("</p>\n")
	}
	return template.HTML(textPolicy.Sanitize(b.String()))
}

// SourceName is the source's name, or its id when it is not stored.
func (v *articleView) SourceName() string {
	if v.Source != nil && v.Source.Name != "" {
		return v.Source.Name
	}
	return v.SourceID
}

// Stance is the source's stance, "unknown" when the source is not stored.
func (v *articleView) Stance() string {
	if v.Source != nil && v.Source.Stance != "" {
		return string(v.Source.Stance)
	}
	return string(model.StanceUnknown)
}

// Link is the original URL if a browser may follow it (http or https),
// else "": a stored javascript: or data: URL is shown, never linked.
func (v *articleView) Link() string { return safeLink(v.URL) }

func safeLink(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return s
}

// PublishedAt is the publisher's date and time with its offset, "" if
// unknown.
func (v *articleView) PublishedAt() string { return published(v.Published) }

func published(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(layoutPublished)
}

func utc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(layoutUTC)
}

// FirstSeenAt is when presswatch first saw the article, UTC.
func (v *articleView) FirstSeenAt() string { return utc(v.FirstSeen) }

// FetchedAt is when the fetch record was made, UTC.
func (v *articleView) FetchedAt() string {
	if v.Fetch == nil {
		return ""
	}
	return utc(v.Fetch.At)
}
