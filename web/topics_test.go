package web

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/index"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// topicsNow is the clock of the topics fixture.
var topicsNow = time.Date(2011, 12, 20, 12, 0, 0, 0, time.UTC)

// fakeEditor checks queries as the index's Matcher does and counts the
// changes it is told of; cmd/presswatch's tests hold the real one.
type fakeEditor struct {
	mu      sync.Mutex
	changed int
}

func (e *fakeEditor) CheckTopic(ctx context.Context, t model.Topic) error {
	m, err := index.NewMatcher([]model.Topic{t})
	if err != nil {
		return err
	}
	return m.Close()
}

func (e *fakeEditor) TopicsChanged(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.changed++
	return nil
}

func (e *fakeEditor) changes() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.changed
}

// topicsFixture is a store with two configured topics (zhanaozen,
// trials), one made in the web UI (strike), and articles of zhanaozen: a
// story of two copies first seen 2 and 5 hours ago, one article 3 days
// ago and one 30 days ago.
type topicsFixture struct {
	srv     *httptest.Server
	st      *store.Store
	editor  *fakeEditor
	sources *fakeSources // sources_edit_test.go
}

func newTopicsFixture(t *testing.T, admin bool) *topicsFixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.SyncSources(ctx, []model.Source{
		{ID: "azattyq", Name: "Azattyq", Type: model.SourceFeed, URL: "https://rus.azattyq.org/api/x", Stance: model.StanceIndependent, Every: time.Hour, Keep: model.KeepAll},
		{ID: "kazpravda", Name: "Kazakhstanskaya Pravda", Type: model.SourcePage, URL: "https://kazpravda.kz/news", Stance: model.StanceState, Every: time.Hour, Keep: model.KeepAll},
	}))
	_, err = st.SyncTopics(ctx, []model.Topic{{ID: "zhanaozen", Name: "Zhanaozen", Query: "Zhanaozen",
		Aliases: [][]string{{"Zhanaozen", "Жанаозен"}}}, {ID: "trials", Name: "Trials", Query: "trial"}})
	must(err)
	must(st.SaveTopic(ctx, model.Topic{ID: "strike", Name: "Oil strike", Query: "strike AND oil"}))
	add := func(src, title string, seen time.Time, cluster int64) int64 {
		a := &model.Article{URL: fmt.Sprintf("https://%s.example/%d", src, seen.Unix()), SourceID: src, Lang: "ru", Title: title,
			Text: title, ContentHash: title + src, FirstSeen: seen, LastChecked: seen, State: model.StateLive,
			Provenance: model.ProvenanceCrawl, ClusterID: cluster, Published: time.Date(2011, 12, 16, 14, 0, 0, 0, time.FixedZone("", 6*3600))}
		must(st.CreateArticle(ctx, a, []string{"zhanaozen"}, ""))
		return a.ID
	}
	first := add("azattyq", "Расстрел в Жанаозене", topicsNow.Add(-5*time.Hour), 0)
	add("kazpravda", "Беспорядки в Жанаозене", topicsNow.Add(-2*time.Hour), first)
	add("azattyq", "Суд в Актау", topicsNow.AddDate(0, 0, -3), 0)
	add("azattyq", "Забастовка в Жанаозене", topicsNow.AddDate(0, 0, -30), 0)

	f := &topicsFixture{st: st, editor: &fakeEditor{}, sources: &fakeSources{st: st}}
	s, err := New(Options{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return topicsNow },
		Admin: admin, Topics: f.editor, Sources: f.sources})
	must(err)
	f.srv = httptest.NewServer(s)
	t.Cleanup(f.srv.Close)
	return f
}

// post sends a form as a browser on the page's own site would.
func (f *topicsFixture) post(t *testing.T, path string, form url.Values, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", f.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
		if header[i+1] == "" {
			req.Header.Del(header[i])
		}
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (f *topicsFixture) topics(t *testing.T) []model.Topic {
	t.Helper()
	ts, err := f.st.Topics(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func (f *topicsFixture) topic(t *testing.T, id string) (model.Topic, bool) {
	t.Helper()
	for _, tp := range f.topics(t) {
		if tp.ID == id {
			return tp, true
		}
	}
	return model.Topic{}, false
}

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %s", what, w)
		}
	}
}

func TestTopicsPageListsEveryTopic(t *testing.T) {
	f := newTopicsFixture(t, false)
	res, body := get(t, f.srv.URL+"/topics")
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	mustContain(t, "the topics page", body,
		`<tr id="topic-zhanaozen">`, `<code>Zhanaozen</code>`, `<li>Zhanaozen, Жанаозен</li>`, "in the configuration file",
		`<tr id="topic-strike">`, "Oil strike", `<code>strike AND oil</code>`, "here, in the web UI",
		`<a href="/search?topic=zhanaozen">4</a>`, `<a href="/search?topic=trials">0</a>`,
		`href="/search.atom?topic=zhanaozen"`, `href="/topics/zhanaozen/new"`, `href="/digests?topic=zhanaozen"`,
		`<a href="/topics">Topics</a>`)
	for _, no := range []string{`href="/topics/new"`, `/edit"`, `/delete"`} {
		if strings.Contains(body, no) {
			t.Errorf("a read-only server offers %s", no)
		}
	}

	f = newTopicsFixture(t, true)
	_, body = get(t, f.srv.URL+"/topics")
	mustContain(t, "the topics page that allows changes", body,
		`href="/topics/new"`, `href="/topics/strike/edit"`, `action="/topics/strike/delete"`, `aria-label="Delete the topic “strike”"`,
		"Defined in the configuration file: change it there.")
	for _, no := range []string{`/topics/zhanaozen/edit`, `/topics/zhanaozen/delete`, `/topics/trials/edit`} {
		if strings.Contains(body, no) {
			t.Errorf("a configured topic offers %s", no)
		}
	}
}

func TestTopicCreateEditDelete(t *testing.T) {
	f := newTopicsFixture(t, true)
	if res, body := get(t, f.srv.URL+"/topics/new"); res.StatusCode != 200 || !strings.Contains(body, `action="/topics"`) {
		t.Fatalf("new form: %d %s", res.StatusCode, body)
	}
	res, body := f.post(t, "/topics", url.Values{"id": {"uzen"}, "name": {" Novy Uzen "}, "query": {"Uzen OR Узень"},
		"aliases": {"Новый Узень; Novy Uzen , Jangaozen\n\n  Актау,Aktau  "}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/topics?saved=uzen#topic-uzen" {
		t.Fatalf("create: %d %s %s", res.StatusCode, res.Header.Get("Location"), body)
	}
	got, ok := f.topic(t, "uzen")
	want := [][]string{{"Новый Узень", "Novy Uzen", "Jangaozen"}, {"Актау", "Aktau"}}
	if !ok || got.Name != "Novy Uzen" || got.Query != "Uzen OR Узень" || got.Origin != model.TopicFromWeb ||
		!slices.EqualFunc(got.Aliases, want, slices.Equal) {
		t.Fatalf("stored %+v", got)
	}
	if f.editor.changes() != 1 {
		t.Errorf("the editor heard of %d changes, want 1", f.editor.changes())
	}
	_, body = get(t, f.srv.URL+"/topics?saved=uzen")
	mustContain(t, "the page after saving", body, "The topic “uzen” is saved", `<tr id="topic-uzen">`)

	res, body = get(t, f.srv.URL+"/topics/uzen/edit")
	if res.StatusCode != 200 {
		t.Fatalf("edit form: %d", res.StatusCode)
	}
	mustContain(t, "the edit form", body, `action="/topics/uzen"`, `value="Novy Uzen"`, ">Uzen OR Узень</textarea>",
		"Новый Узень, Novy Uzen, Jangaozen\nАктау, Aktau</textarea>")
	res, body = f.post(t, "/topics/uzen", url.Values{"id": {"other"}, "name": {"Uzen"}, "query": {"Uzen"}, "aliases": {""}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d %s", res.StatusCode, body)
	}
	if got, ok := f.topic(t, "uzen"); !ok || got.Name != "Uzen" || got.Query != "Uzen" || len(got.Aliases) != 0 {
		t.Errorf("updated %+v", got)
	}
	if _, ok := f.topic(t, "other"); ok {
		t.Error("an update changed the id")
	}

	res, _ = f.post(t, "/topics/uzen/delete", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/topics?deleted=uzen" {
		t.Fatalf("delete: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if _, ok := f.topic(t, "uzen"); ok {
		t.Error("the topic is still there")
	}
	if f.editor.changes() != 3 {
		t.Errorf("the editor heard of %d changes, want 3", f.editor.changes())
	}
	_, body = get(t, f.srv.URL+"/topics?deleted=uzen")
	mustContain(t, "the page after deleting", body, "The topic “uzen” is deleted")
	if res, _ := f.post(t, "/topics/uzen/delete", nil); res.StatusCode != 404 {
		t.Errorf("deleting it again: %d, want 404", res.StatusCode)
	}
}

// allChanges are the requests that change topics, each of which must be
// refused when changes are not allowed.
var allChanges = []struct {
	path string
	form url.Values
}{
	{"/topics", url.Values{"id": {"uzen"}, "name": {"Uzen"}, "query": {"Uzen"}}},
	{"/topics/strike", url.Values{"name": {"Changed"}, "query": {"changed"}}},
	{"/topics/strike/delete", nil},
	{"/topics/zhanaozen/delete", nil},
}

func TestTopicChangesNeedAdmin(t *testing.T) {
	f := newTopicsFixture(t, false)
	before := f.topics(t)
	for _, c := range allChanges {
		res, body := f.post(t, c.path, c.form)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "listens on loopback") {
			t.Errorf("POST %s: %d, want 403 saying why\n%s", c.path, res.StatusCode, body)
		}
	}
	for _, p := range []string{"/topics/new", "/topics/strike/edit"} {
		if res, _ := get(t, f.srv.URL+p); res.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s: %d, want 403", p, res.StatusCode)
		}
	}
	if after := f.topics(t); !slices.EqualFunc(before, after, topicEqual) || f.editor.changes() != 0 {
		t.Errorf("topics changed: %+v -> %+v (%d changes applied)", before, after, f.editor.changes())
	}
}

func topicEqual(a, b model.Topic) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Query == b.Query && a.Updated.Equal(b.Updated) && slices.EqualFunc(a.Aliases, b.Aliases, slices.Equal)
}

func TestTopicChangesFromAnotherSiteAreRefused(t *testing.T) {
	f := newTopicsFixture(t, true)
	before := f.topics(t)
	for name, header := range map[string][]string{
		"Sec-Fetch-Site: cross-site":      {"Sec-Fetch-Site", "cross-site"},
		"Origin of another host":          {"Sec-Fetch-Site", "", "Origin", "https://evil.example"},
		"Sec-Fetch-Site: same-site (sub)": {"Sec-Fetch-Site", "same-site"},
	} {
		for _, c := range allChanges {
			if res, body := f.post(t, c.path, c.form, header...); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s: POST %s: %d, want 403\n%s", name, c.path, res.StatusCode, body)
			}
		}
	}
	if after := f.topics(t); !slices.EqualFunc(before, after, topicEqual) || f.editor.changes() != 0 {
		t.Errorf("topics changed: %+v -> %+v", before, after)
	}
	// The same request from the page's own origin goes through.
	u, _ := url.Parse(f.srv.URL)
	if res, _ := f.post(t, "/topics/strike/delete", nil, "Sec-Fetch-Site", "", "Origin", "http://"+u.Host); res.StatusCode != http.StatusSeeOther {
		t.Errorf("same origin: %d, want 303", res.StatusCode)
	}
}

func TestTopicInvalidQueryIsRefusedWithTheReason(t *testing.T) {
	f := newTopicsFixture(t, true)
	before := f.topics(t)
	for name, tc := range map[string]struct {
		path, query string
		wants       []string
	}{
		"unclosed group": {"/topics", "Zhanaozen AND (", []string{
			"The query cannot be used: unbalanced parenthesis: this ( is never closed.",
			"<dt>At character</dt><dd>15: <code>Zhanaozen AND <mark>(</mark></code></dd>",
		}},
		"unknown field": {"/topics", "titel:strike", []string{
			"The query cannot be used: unknown field &#34;titel&#34;.",
			"<dd>1: <code><mark>t</mark>itel:strike</code></dd>",
			"<dt>Suggestion</dt><dd>did you mean &#34;title&#34;?</dd>",
		}},
		"unknown field, on edit": {"/topics/strike", "titel:strike", []string{"unknown field &#34;titel&#34;"}},
		"empty":                  {"/topics", "  ", []string{"Give the topic a query."}},
	} {
		res, body := f.post(t, tc.path, url.Values{"id": {"uzen"}, "name": {"Uzen"}, "query": {tc.query}})
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", name, res.StatusCode)
		}
		mustContain(t, name, body, append(tc.wants, "The topic is not saved", `name="query"`,
			">"+html.EscapeString(strings.TrimSpace(tc.query))+"</textarea>")...)
		if tc.path == "/topics" {
			mustContain(t, name, body, `value="uzen"`, `value="Uzen"`) // what was typed stays
		}
	}
	if after := f.topics(t); !slices.EqualFunc(before, after, topicEqual) || f.editor.changes() != 0 {
		t.Errorf("topics changed: %+v -> %+v", before, after)
	}
}

func TestTopicFormRefusesBadFields(t *testing.T) {
	f := newTopicsFixture(t, true)
	before := f.topics(t)
	ok := url.Values{"id": {"uzen"}, "name": {"Uzen"}, "query": {"Uzen"}}
	with := func(k, v string) url.Values {
		out := url.Values{}
		for key, vals := range ok {
			out[key] = vals
		}
		out.Set(k, v)
		return out
	}
	for name, tc := range map[string]struct {
		form url.Values
		want string
	}{
		"id with capitals":      {with("id", "Uzen"), "The id “Uzen” cannot be used: write 1 to 40 lower-case letters"},
		"id with a slash":       {with("id", "a/b"), "The id “a/b” cannot be used"},
		"id too long":           {with("id", strings.Repeat("a", 41)), "cannot be used: write 1 to 40"},
		"no id":                 {with("id", ""), "Give the topic an id."},
		"id of a web topic":     {with("id", "strike"), "There is already a topic with the id “strike”"},
		"id of a configured":    {with("id", "zhanaozen"), "The topic “zhanaozen” is defined in the configuration file; change it there"},
		"no name":               {with("name", " "), "Give the topic a name."},
		"a group of one name":   {with("aliases", "Zhanaozen, Жанаозен\nUzen"), "Line 2 holds one name (“Uzen”); a group needs at least two."},
		"too many groups":       {with("aliases", strings.Repeat("a, b\n", 51)), "More than 50 groups of names."},
		"a hostile id is inert": {with("id", `"><script>x</script>`), "The id “&#34;&gt;&lt;script&gt;x&lt;/script&gt;” cannot be used"},
	} {
		res, body := f.post(t, "/topics", tc.form)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, want 400 with %s\n%s", name, res.StatusCode, tc.want, body)
		}
	}
	// A configured topic is changed in its file, not here.
	for _, p := range []string{"/topics/zhanaozen", "/topics/zhanaozen/delete"} {
		res, body := f.post(t, p, ok)
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "is defined in the configuration file") {
			t.Errorf("POST %s: %d %s", p, res.StatusCode, body)
		}
	}
	if res, _ := get(t, f.srv.URL+"/topics/zhanaozen/edit"); res.StatusCode != http.StatusConflict {
		t.Errorf("edit form of a configured topic: %d, want 409", res.StatusCode)
	}
	if res, _ := get(t, f.srv.URL+"/topics/nope/edit"); res.StatusCode != http.StatusNotFound {
		t.Errorf("edit form of no topic: %d, want 404", res.StatusCode)
	}
	if after := f.topics(t); !slices.EqualFunc(before, after, topicEqual) || f.editor.changes() != 0 {
		t.Errorf("topics changed: %+v -> %+v", before, after)
	}
}

func TestTopicNewArticlesSince(t *testing.T) {
	f := newTopicsFixture(t, false)
	// No digest yet: the last 24 hours, one story of two copies.
	res, body := get(t, f.srv.URL+"/topics/zhanaozen/new")
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	mustContain(t, "the default page", body, "First seen in the last 24 hours, since 2011-12-19 12:00:00 UTC: there is no digest of this topic yet.",
		"1 story · 2 articles", "Расстрел в Жанаозене", "1 other copy", ">Kazakhstanskaya Pravda</a>",
		`<link rel="alternate" type="application/atom+xml" href="/topics/zhanaozen/new.atom"`)
	if strings.Contains(body, "Беспорядки") || strings.Contains(body, "Суд в Актау") {
		t.Error("the story's later copy or an older article is listed on its own")
	}

	// After a digest, since the end of its period.
	ctx := context.Background()
	from := topicsNow.AddDate(0, 0, -5)
	if _, err := f.st.PutDigest(ctx, store.DigestRow{TopicID: "zhanaozen", Day: "2011-12-16", From: from, To: topicsNow.AddDate(0, 0, -4),
		BuiltAt: topicsNow, Body: []byte("{}")}, nil); err != nil {
		t.Fatal(err)
	}
	_, body = get(t, f.srv.URL+"/topics/zhanaozen/new")
	mustContain(t, "the page after a digest", body, "First seen since 2011-12-16 12:00:00 UTC, the end of the last digest&#39;s period (2011-12-16).",
		"2 stories · 3 articles", "Суд в Актау")
	if i, j := strings.Index(body, "Расстрел"), strings.Index(body, "Суд в Актау"); i < 0 || j < i {
		t.Error("the story first seen most recently is not first")
	}

	for since, want := range map[string]string{
		"2011-11-01":                "First seen since 2011-11-01 00:00:00 UTC (the day asked for, from 00:00 UTC).",
		"2011-12-20T10:00:00+06:00": "First seen since 2011-12-20 04:00:00 UTC.",
		"2011-12-20T10:00:00 06:00": "First seen since 2011-12-20 04:00:00 UTC.", // a + typed into a URL
		"40d":                       "3 stories · 4 articles",
		"3h":                        "1 story · 1 article", // the later copy alone
		"1h":                        "0 stories · 0 articles",
	} {
		res, body := get(t, f.srv.URL+"/topics/zhanaozen/new?since="+url.QueryEscape(since))
		if res.StatusCode != 200 || !strings.Contains(body, want) {
			t.Errorf("since=%s: %d, want %s", since, res.StatusCode, want)
		}
	}
	for _, bad := range []string{"yesterday", "-24h", "2011-13-01", "0h", "1000000d", "<b>"} {
		res, body := get(t, f.srv.URL+"/topics/zhanaozen/new?since="+url.QueryEscape(bad))
		want := "“since” cannot be “" + html.EscapeString(bad) + "”: write a time (RFC 3339"
		if res.StatusCode != 400 || !strings.Contains(body, want) {
			t.Errorf("since=%s: %d, want 400 naming it\n%s", bad, res.StatusCode, body)
		}
	}
	if res, _ := get(t, f.srv.URL+"/topics/nope/new"); res.StatusCode != 404 {
		t.Errorf("no such topic: %d", res.StatusCode)
	}
}

func TestTopicNewArticlesAreBounded(t *testing.T) {
	f := newTopicsFixture(t, false)
	ctx := context.Background()
	for i := range newLimit {
		seen := topicsNow.Add(-time.Duration(i+1) * time.Minute)
		a := &model.Article{URL: fmt.Sprintf("https://bulk.example/%d", i), SourceID: "azattyq", Title: fmt.Sprint("Bulk ", i),
			Text: "x", ContentHash: fmt.Sprint(i), FirstSeen: seen, LastChecked: seen, State: model.StateLive, Provenance: model.ProvenanceCrawl}
		if err := f.st.CreateArticle(ctx, a, []string{"trials"}, ""); err != nil {
			t.Fatal(err)
		}
	}
	_, body := get(t, f.srv.URL+"/topics/trials/new?since=1d")
	mustContain(t, "a page of 500", body, "500 stories · 500 articles")
	if strings.Contains(body, "Only the 500") {
		t.Error("500 articles say there are more")
	}
	a := &model.Article{URL: "https://bulk.example/last", SourceID: "azattyq", Title: "Bulk last", Text: "x", ContentHash: "last",
		FirstSeen: topicsNow, LastChecked: topicsNow, State: model.StateLive, Provenance: model.ProvenanceCrawl}
	if err := f.st.CreateArticle(ctx, a, []string{"trials"}, ""); err != nil {
		t.Fatal(err)
	}
	_, body = get(t, f.srv.URL+"/topics/trials/new?since=1d")
	mustContain(t, "a page of 501", body, "500 stories · 500 articles", "Only the 500 articles first seen most recently are shown", "Bulk last")
	if strings.Contains(body, ">Bulk 499<") {
		t.Error("the 501st article is shown")
	}
}

func TestTopicNewAtom(t *testing.T) {
	f := newTopicsFixture(t, false)
	feed := readFeed(t, f.srv.URL+"/topics/zhanaozen/new.atom?since=40d")
	if len(feed.Entries) != 3 || feed.Title != "presswatch: new in Zhanaozen" {
		t.Fatalf("%q: %d entries", feed.Title, len(feed.Entries))
	}
	e := feed.Entries[0]
	if e.Title != "Расстрел в Жанаозене" || e.Updated != "2011-12-20T07:00:00Z" || e.Published != "2011-12-16T14:00:00+06:00" ||
		e.Author != "Azattyq" || !strings.HasPrefix(e.ID, "tag:presswatch,2024:story-") {
		t.Errorf("first entry %+v", e)
	}
	if feed.Entries[2].Title != "Забастовка в Жанаозене" {
		t.Errorf("last entry %+v, want the one first seen 30 days ago", feed.Entries[2])
	}
	if feed.ID != readFeed(t, f.srv.URL+"/topics/zhanaozen/new.atom?since=40d").ID || feed.ID == readFeed(t, f.srv.URL+"/topics/zhanaozen/new.atom").ID {
		t.Errorf("feed id %s is not the topic and since", feed.ID)
	}
	if res, body := get(t, f.srv.URL+"/topics/zhanaozen/new.atom?since=soon"); res.StatusCode != 400 || !strings.Contains(body, "“soon”") {
		t.Errorf("bad since: %d %s", res.StatusCode, body)
	}
}

// Hostile names, queries and alias groups are text on every topics page.
func TestTopicPagesShowHostileTextInert(t *testing.T) {
	f := newTopicsFixture(t, true)
	ctx := context.Background()
	const name, query, alias = `<script>alert(1)</script>`, `"><img src=x onerror=alert(2)>`, `<b onmouseover=alert(3)>x</b>`
	if err := f.st.SaveTopic(ctx, model.Topic{ID: "evil", Name: name, Query: query, Aliases: [][]string{{alias, "y"}}}); err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{}
	for _, p := range []string{"/topics", "/topics/evil/edit", "/topics/evil/new", "/topics?saved=evil"} {
		res, body := get(t, f.srv.URL+p)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", p, res.StatusCode)
		}
		pages[p] = body
	}
	_, pages["the form shown again"] = f.post(t, "/topics", url.Values{"id": {"evil2"}, "name": {name}, "query": {query + " AND ("}, "aliases": {alias + ", y"}})
	escaped := map[string]string{name: "&lt;script&gt;alert(1)&lt;/script&gt;", query: "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;",
		alias: "&lt;b onmouseover=alert(3)&gt;x&lt;/b&gt;"}
	for p, body := range pages {
		for raw := range escaped {
			if strings.Contains(body, raw) || strings.Contains(body, "<img") || strings.Contains(body, "<b ") {
				t.Errorf("%s holds %s as markup", p, raw)
			}
		}
	}
	mustContain(t, "/topics", pages["/topics"], escaped[name], escaped[query], escaped[alias])
	mustContain(t, "the edit form", pages["/topics/evil/edit"], `value="`+escaped[name]+`"`, ">"+escaped[query]+"</textarea>", escaped[alias])
	mustContain(t, "the new articles page", pages["/topics/evil/new"], "New in “"+escaped[name]+"”")
	mustContain(t, "the form shown again", pages["the form shown again"], escaped[name], escaped[query]+" AND (")
}

// The topics' texts are in a table of their own, whose keys no other
// table holds (merged would let one replace the other).
func TestTopicMessagesAreTheirOwn(t *testing.T) {
	for lang, tables := range map[string][]map[string]string{
		"en": {baseEN, pagesEN, searchEN, historyEN},
		"ru": {baseRU, pagesRU, searchRU, historyRU},
	} {
		own := map[string]map[string]string{"en": topicsEN, "ru": topicsRU}[lang]
		for _, tab := range tables {
			for k := range own {
				if _, dup := tab[k]; dup {
					t.Errorf("%s: %q is in the topics' table and another", lang, k)
				}
			}
		}
		for k := range topicsEN {
			if _, ok := messages[lang][k]; !ok {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
	}
	// Every key the topics' templates and code name is in the table.
	files, _ := filepath.Glob("templates/topics*.html")
	code, _ := filepath.Glob("topics*.go")
	for _, name := range append(files, code...) {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(`"(topics\.[a-z.]+)"`).FindAllStringSubmatch(string(b), -1) {
			if _, ok := topicsEN[m[1]]; !ok && !strings.HasSuffix(m[1], ".html") {
				t.Errorf("%s names %q, which the topics' table lacks", name, m[1])
			}
		}
	}
}
