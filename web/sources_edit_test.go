package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/crawler"
	"presswatch/crawler/parse"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// fakeSources is a SourceEditor over the real store that records what
// it was asked to schedule and run.
type fakeSources struct {
	st *store.Store

	mu        sync.Mutex
	scheduled []string // ids saved, as "id every"
	runs      []string
	tried     []model.Source
	firstRuns []time.Time // of the sources saved with SaveSourceAt, in order
	readOnly  error
}

func (f *fakeSources) ReadOnly() error { return f.readOnly }

func (f *fakeSources) FindFeeds(_ context.Context, site string) ([]FeedCandidate, error) {
	if strings.Contains(site, "nofeeds") {
		return nil, nil
	}
	return []FeedCandidate{
		{URL: "https://tengrinews.kz/news.rss", Title: "Tengrinews", Type: "rss", Items: 20, Newest: time.Date(2011, 12, 17, 8, 0, 0, 0, time.UTC)},
		{URL: "https://tengrinews.kz/broken.xml", Title: "Broken", Err: "not a feed: looks like an HTML page"},
	}, nil
}

func (f *fakeSources) TrySource(_ context.Context, src model.Source) (*crawler.Preview, error) {
	f.mu.Lock()
	f.tried = append(f.tried, src)
	f.mu.Unlock()
	if strings.Contains(src.URL, "down") {
		return nil, errors.New("fetch " + src.URL + ": connection refused")
	}
	return &crawler.Preview{URL: src.URL, Title: "Tengrinews: новости", Total: 2, New: 1,
		Items: []crawler.PreviewItem{
			{Item: parse.Item{URL: "https://tengrinews.kz/a", Title: "Забастовка в Жанаозене"}, Known: true},
			{Item: parse.Item{URL: "https://tengrinews.kz/b", Title: "Суд в Актау"}},
		},
		Sample: &model.Document{URL: "https://tengrinews.kz/b", Title: "Суд в Актау", Lang: "ru", Text: strings.Repeat("Суд над нефтяниками продолжается. ", 40)},
	}, nil
}

func (f *fakeSources) SaveSource(ctx context.Context, src model.Source) error {
	if err := f.st.SaveWebSource(ctx, src); err != nil {
		return err
	}
	f.mu.Lock()
	f.scheduled = append(f.scheduled, src.ID+" "+src.Every.String())
	f.mu.Unlock()
	return nil
}

func (f *fakeSources) SaveSourceAt(ctx context.Context, src model.Source, first time.Time) error {
	if err := f.st.SaveWebSource(ctx, src); err != nil {
		return err
	}
	f.mu.Lock()
	f.scheduled = append(f.scheduled, src.ID+" "+src.Every.String())
	f.firstRuns = append(f.firstRuns, first)
	f.mu.Unlock()
	return nil
}

func (f *fakeSources) PauseSource(ctx context.Context, id string, paused bool) error {
	return f.st.SetPaused(ctx, id, paused)
}

func (f *fakeSources) RemoveSource(ctx context.Context, id string) error {
	return f.st.RemoveWebSource(ctx, id)
}

func (f *fakeSources) RunSource(_ context.Context, id string) error {
	if id == "busy" {
		return fmt.Errorf("crawler: %s: %w", id, crawler.ErrRunning)
	}
	f.mu.Lock()
	f.runs = append(f.runs, id)
	f.mu.Unlock()
	return nil
}

var newSourceForm = url.Values{"id": {"tengrinews-kz"}, "name": {"Tengrinews"}, "url": {"https://tengrinews.kz/news.rss"},
	"type": {"feed"}, "stance": {"state"}, "lang": {"ru"}, "every": {"2h"}, "keep": {"topic"}}

// An administrator adds a source as the issue tells it: paste the site,
// pick a found feed, test it, save it; it is stored as the web's and
// scheduled with its interval.
func TestAddSourceFromTheWeb(t *testing.T) {
	f := newTopicsFixture(t, true)
	res, body := f.post(t, "/sources/find", url.Values{"site": {"tengrinews.kz"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "https://tengrinews.kz/news.rss") ||
		!strings.Contains(body, "not a feed: looks like an HTML page") || !strings.Contains(body, `value="https://tengrinews.kz"`) {
		t.Fatalf("finding feeds: %d\n%s", res.StatusCode, body)
	}
	if !strings.Contains(body, `href="/sources/new?url=https%3a%2f%2ftengrinews.kz%2fnews.rss&amp;name=Tengrinews`) {
		t.Errorf("no link that fills the form with the feed found:\n%s", body)
	}
	res, body = f.get(t, "/sources/new?url=https://tengrinews.kz/news.rss&name=Tengrinews")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `name="id" type="text" value="tengrinews-kz"`) {
		t.Errorf("the form is not filled with the feed and an id from its host: %d\n%s", res.StatusCode, body)
	}

	res, body = f.post(t, "/sources/test", newSourceForm)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "2 items announced, 1 of them new. Nothing was stored.") ||
		!strings.Contains(body, "stored already") || !strings.Contains(body, "Суд над нефтяниками продолжается.") {
		t.Fatalf("testing the source: %d\n%s", res.StatusCode, body)
	}
	if si, err := f.st.Source(context.Background(), "tengrinews-kz"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the test stored the source: %+v, %v", si, err)
	}

	res, body = f.post(t, "/sources", newSourceForm)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sources?saved=tengrinews-kz#tengrinews-kz" {
		t.Fatalf("saving: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), body)
	}
	si, err := f.st.Source(context.Background(), "tengrinews-kz")
	if err != nil || si.Origin != model.SourceFromWeb || !si.Active || si.Every != 2*time.Hour || si.Keep != model.KeepTopic ||
		si.Stance != model.StanceState || si.Lang != "ru" || si.URL != "https://tengrinews.kz/news.rss" {
		t.Fatalf("stored: %+v, %v", si, err)
	}
	if got := f.sources.scheduled; len(got) != 1 || got[0] != "tengrinews-kz 2h0m0s" {
		t.Errorf("scheduled %v, want [tengrinews-kz 2h0m0s]", got)
	}
	_, body = f.get(t, "/sources?saved=tengrinews-kz")
	for _, want := range []string{"The source “Tengrinews” is saved and scheduled.", `action="/sources/tengrinews-kz/pause"`,
		`href="/sources/tengrinews-kz/edit"`, `action="/sources/tengrinews-kz/delete"`, `action="/sources/azattyq/pause"`} {
		if !strings.Contains(body, want) {
			t.Errorf("sources page lacks %s", want)
		}
	}
	if strings.Contains(body, `href="/sources/azattyq/edit"`) || strings.Contains(body, `action="/sources/azattyq/delete"`) {
		t.Error("the file's source is offered for editing or removal")
	}

	// A second source with the id is refused, as is the file's.
	res, body = f.post(t, "/sources", newSourceForm)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "A source with the id &#34;tengrinews-kz&#34; exists") {
		t.Errorf("saving the id twice: %d\n%s", res.StatusCode, body)
	}
}

// Each bad field is said, in the UI language, and nothing is stored.
func TestSourceFormRefuses(t *testing.T) {
	f := newTopicsFixture(t, true)
	with := func(k, v string) url.Values {
		form := url.Values{}
		for key, vs := range newSourceForm {
			form[key] = vs
		}
		form.Set(k, v)
		return form
	}
	tests := map[string]struct {
		form url.Values
		want string
	}{
		"bad id":       {with("id", "Tengri News"), "is not a valid id"},
		"reserved id":  {with("id", "find"), "&#34;find&#34; names a page of the web UI (/sources/find): choose another id."},
		"file's id":    {with("id", "azattyq"), "The id &#34;azattyq&#34; is that of a source of the configuration file (“Azattyq”): choose another."},
		"not http":     {with("url", "file:///etc/passwd"), "is not an http(s) address"},
		"too often":    {with("every", "30s"), "That is too often: at least 1m."},
		"no duration":  {with("every", "daily"), "&#34;daily&#34; is not a duration"},
		"stance":       {with("stance", "neutral"), "Choose a stance."},
		"type":         {with("type", "import"), "Choose a type"},
		"page no sel":  {with("type", "page"), "A listing page needs an item and a link selector."},
		"language":     {with("lang", "Russian!"), "Give a language code"},
		"long name":    {with("name", strings.Repeat("я", 201)), "The name is longer than 200 characters."},
		"pages":        {func() url.Values { v := with("item", "li"); v.Set("link", "a"); v.Set("max_pages", "5000"); return v }(), "The pages a run walks are 1 to 1000."},
		"russian text": {with("every", "30s"), ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			path, want := "/sources", tc.want
			if name == "russian text" {
				path, want = "/sources?ui=ru", "Слишком часто: не чаще 1m."
			}
			res, body := f.post(t, path, tc.form)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, want) {
				t.Errorf("%d, want 400 saying %q\n%s", res.StatusCode, want, body)
			}
		})
	}
	if len(f.sources.scheduled) != 0 {
		t.Errorf("scheduled %v", f.sources.scheduled)
	}
	if ws, _ := f.st.WebSources(context.Background()); len(ws) != 0 {
		t.Errorf("stored %+v", ws)
	}
	res, body := f.post(t, "/sources/find", url.Values{"site": {"javascript:alert(1)"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "is not the address of a site") {
		t.Errorf("finding feeds of a bad address: %d\n%s", res.StatusCode, body)
	}
	res, body = f.post(t, "/sources/test", with("url", "https://down.example/rss"))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "The source could not be read: fetch https://down.example/rss: connection refused") {
		t.Errorf("testing a source that is down: %d\n%s", res.StatusCode, body)
	}
}

// Edit keeps the id and applies the new interval; pause, resume and run
// work for the file's sources too; remove is the web's only and keeps
// the articles.
func TestChangeSourcesFromTheWeb(t *testing.T) {
	ctx := context.Background()
	f := newTopicsFixture(t, true)
	if res, body := f.post(t, "/sources", newSourceForm); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving: %d\n%s", res.StatusCode, body)
	}
	res, body := f.get(t, "/sources/tengrinews-kz/edit")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `name="every" type="text" value="2h"`) {
		t.Fatalf("edit form: %d\n%s", res.StatusCode, body)
	}
	form := url.Values{}
	for k, v := range newSourceForm {
		form[k] = v
	}
	form.Set("id", "other-id")
	form.Set("every", "15m")
	if res, body := f.post(t, "/sources/tengrinews-kz", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("updating: %d\n%s", res.StatusCode, body)
	}
	if si, err := f.st.Source(ctx, "tengrinews-kz"); err != nil || si.Every != 15*time.Minute {
		t.Errorf("after the edit: %+v, %v", si, err)
	}
	if _, err := f.st.Source(ctx, "other-id"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the edit made a source of another id: %v", err)
	}
	if got := f.sources.scheduled; len(got) != 2 || got[1] != "tengrinews-kz 15m0s" {
		t.Errorf("scheduled %v, want the new interval applied", got)
	}

	for path, want := range map[string]int{
		"/sources/azattyq/edit": http.StatusConflict, "/sources/nope/edit": http.StatusNotFound,
	} {
		if res, _ := f.get(t, path); res.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, res.StatusCode, want)
		}
	}

	steps := []struct {
		path   string
		status int
		check  func() bool
	}{
		{"/sources/azattyq/pause", http.StatusSeeOther, func() bool { si, _ := f.st.Source(ctx, "azattyq"); return si.Paused }},
		{"/sources/azattyq/resume", http.StatusSeeOther, func() bool { si, _ := f.st.Source(ctx, "azattyq"); return !si.Paused }},
		{"/sources/azattyq/run", http.StatusSeeOther, func() bool { return len(f.sources.runs) == 1 && f.sources.runs[0] == "azattyq" }},
		{"/sources/busy/run", http.StatusConflict, func() bool { return len(f.sources.runs) == 1 }},
		{"/sources/azattyq/delete", http.StatusConflict, func() bool { si, _ := f.st.Source(ctx, "azattyq"); return si.Active }},
		{"/sources/azattyq/explode", http.StatusNotFound, func() bool { return true }},
		{"/sources/tengrinews-kz/delete", http.StatusSeeOther, func() bool {
			si, err := f.st.Source(ctx, "tengrinews-kz")
			return err == nil && !si.Active
		}},
		{"/sources/tengrinews-kz/pause", http.StatusNotFound, func() bool { return true }},
	}
	for _, s := range steps {
		res, body := f.post(t, s.path, nil)
		if res.StatusCode != s.status || !s.check() {
			t.Errorf("POST %s: %d (want %d), check %v\n%s", s.path, res.StatusCode, s.status, s.check(), body)
		}
	}
	// The articles of azattyq are untouched by all this.
	if si, _ := f.st.Source(ctx, "azattyq"); si.Articles != 3 {
		t.Errorf("azattyq has %d articles, want 3", si.Articles)
	}
}

// Without the right to change, the page offers no forms, and the forms'
// routes refuse.
func TestSourcesPageWithoutTheRight(t *testing.T) {
	f := newTopicsFixture(t, false) // not loopback, no session
	_, body := f.get(t, "/sources")
	if strings.Contains(body, "/sources/new") || strings.Contains(body, "/pause") {
		t.Errorf("forms offered to a reader:\n%s", body)
	}
	if res, _ := f.post(t, "/sources", newSourceForm); res.StatusCode != http.StatusForbidden {
		t.Errorf("anonymous save: %d, want 403", res.StatusCode)
	}
	if ws, _ := f.st.WebSources(context.Background()); len(ws) != 0 {
		t.Errorf("stored %+v", ws)
	}
}

// TestRefusedSourceEditsNameTheSource holds that the web UI's refusal to
// edit a source of the configuration file names it as a reader knows it,
// and that the source of imported files is refused for what it is.
func TestRefusedSourceEditsNameTheSource(t *testing.T) {
	ctx := context.Background()
	f := newTopicsFixture(t, true)
	if err := f.st.EnsureSource(ctx, model.Source{ID: "files", Name: "Imported files", Type: model.SourceImport, Keep: model.KeepAll}); err != nil {
		t.Fatal(err)
	}
	res, body := f.get(t, "/sources/kazpravda/edit")
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "“Kazakhstanskaya Pravda”") || strings.Contains(body, "kazpravda&#34;") {
		t.Errorf("a configured source's edit: %d, want 409 naming Kazakhstanskaya Pravda, not its id\n%.3000s", res.StatusCode, body)
	}
	res, body = f.get(t, "/sources/files/edit")
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "never read") || strings.Contains(body, "configuration file") {
		t.Errorf("the imports' source's edit: %d, want 409 saying it is never read\n%.3000s", res.StatusCode, body)
	}
}
