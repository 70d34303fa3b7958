package web

import (
	"context"
	"errors"
	"fmt"
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
	Fetch    *model.Fetch      // nil if the article has no fetch record
	Versions []versionView
	Copies   []store.Summary
}

// versionView is a version and whether its text differs from the one
// before it.
type versionView struct {
	model.Version
	Changed bool
}

// articleID reads the {id} of the path; ok is false for anything but a
// positive decimal number.
func articleID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// loadArticle reads an article with its source, fetch record, versions and
// copies. An unknown id gives store.ErrNotFound.
func (s *Server) loadArticle(ctx context.Context, id int64) (*articleView, error) {
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &articleView{Article: a}
	if v.Source, err = s.store.Source(ctx, a.SourceID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if a.FetchID != 0 {
		if v.Fetch, err = s.store.Fetch(ctx, a.FetchID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	if a.Topics, err = s.store.Matches(ctx, id); err != nil {
		return nil, err
	}
	versions, err := s.store.Versions(ctx, id)
	if err != nil {
		return nil, err
	}
	for i, ver := range versions {
		v.Versions = append(v.Versions, versionView{Version: ver, Changed: i > 0 && ver.ContentHash != versions[i-1].ContentHash})
	}
	if v.Copies, err = s.store.Copies(ctx, id); err != nil {
		return nil, err
	}
	return v, nil
}

// articlePage answers GET /articles/{id}.
func (s *Server) articlePage(w http.ResponseWriter, r *http.Request) {
	lang := uiLang(r)
	id, ok := articleID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, translate(lang, "article.notfound"))
		return
	}
	v, err := s.loadArticle(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, translate(lang, "article.notfound"))
		return
	}
	if err != nil {
		s.log.Error("reading an article failed", "id", id, "error", err)
		s.errorPage(w, r, http.StatusInternalServerError, translate(lang, "error.internal"))
		return
	}
	title := v.Title
	if title == "" {
		title = v.URL
	}
	s.render(w, r, http.StatusOK, "article.html", title, articlePage{articleView: v, Cite: v.cite(lang)})
}

// articlePage is the data of article.html.
type articlePage struct {
	*articleView
	Cite string
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
func (v *articleView) Link() string {
	u, err := url.Parse(v.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return v.URL
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

// SeenAt is when the version was seen, UTC.
func (v versionView) SeenAt() string { return utc(v.Seen) }

// cite is the "cite this" text in lang: source, title, publisher's date,
// URL, first seen and the SHA-256 of the page as received (of the text
// when there is no fetch record).
func (v *articleView) cite(lang string) string {
	date := translate(lang, "article.cite.nodate")
	if !v.Published.IsZero() {
		date = v.Published.Format(time.DateOnly)
	}
	hashLabel, hash := translate(lang, "article.cite.sha"), v.ContentHash
	if v.Fetch != nil && v.Fetch.SHA256 != "" {
		hash = v.Fetch.SHA256
	} else {
		hashLabel = translate(lang, "article.cite.texthash")
	}
	return fmt.Sprintf(translate(lang, "article.cite.format"), v.SourceName(), v.Title, date, v.URL) +
		fmt.Sprintf("\n%s: %s\n%s: %s", translate(lang, "article.cite.seen"), v.FirstSeenAt(), hashLabel, hash)
}
