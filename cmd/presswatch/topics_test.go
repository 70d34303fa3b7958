package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"presswatch/index"
	"presswatch/internal/model"
	"presswatch/web"
)

// topicsApp is serve's wiring without the listener and the scheduler: the
// store, index and pipeline of a configuration with one source and the
// topic zhanaozen, and the web server over them, allowed to change
// topics.
type topicsApp struct {
	a   *app
	p   *pipeline
	src model.Source
	srv *httptest.Server
	n   int
}

func newTopicsApp(t *testing.T) *topicsApp {
	t.Helper()
	ctx := context.Background()
	cfg := `
topics:
  - {id: zhanaozen, name: Zhanaozen, query: Zhanaozen}
sources:
  - {id: blog, type: feed, url: "http://127.0.0.1:1/feed.xml", stance: campaign, lang: en, every: 1h}
`
	path := filepath.Join(t.TempDir(), "presswatch.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	c := common{config: path, data: t.TempDir()}
	conf, err := c.loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ta := &topicsApp{src: conf.Sources[0]}
	if ta.a, err = c.open(ctx, conf, log); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ta.a.Close)
	if ta.p, err = ta.a.pipeline(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ta.p.Close() })
	srv, err := web.New(web.Options{Search: ta.a.index, Store: ta.a.store, Log: log, Admin: true, Topics: ta.p.topics})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetReady(true)
	ta.srv = httptest.NewServer(srv)
	t.Cleanup(ta.srv.Close)
	return ta
}

// put ingests an article as the crawler would, and returns its id.
func (ta *topicsApp) put(t *testing.T, title, text string) int64 {
	t.Helper()
	ta.n++
	doc := &model.Document{SourceID: ta.src.ID, URL: fmt.Sprintf("https://blog.example/%d", ta.n), Title: title, Text: text, Lang: "en"}
	_, a, err := ta.p.ingester.Put(context.Background(), ta.src, doc)
	if err != nil || a == nil {
		t.Fatalf("put %q: %v", title, err)
	}
	return a.ID
}

func (ta *topicsApp) drain(t *testing.T) {
	t.Helper()
	if _, err := ta.a.indexer.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// settle waits for the background matching a change started, then
// indexes what it marked.
func (ta *topicsApp) settle(t *testing.T) {
	t.Helper()
	ta.p.topics.wait()
	ta.drain(t)
}

func (ta *topicsApp) post(t *testing.T, path string, form url.Values) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", ta.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// found returns the ids a search finds.
func (ta *topicsApp) found(t *testing.T, req index.Request) []int64 {
	t.Helper()
	req.Sort, req.Limit = index.SortOldest, index.MaxLimit
	req.ByFirstSeen = true
	res, err := ta.a.index.Search(context.Background(), req)
	if err != nil {
		t.Fatalf("search %+v: %v", req, err)
	}
	var ids []int64
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}

func (ta *topicsApp) matches(t *testing.T, id int64) []string {
	t.Helper()
	m, err := ta.a.store.Matches(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTopicFromTheWebAppliesWithoutRestart saves, edits and deletes a
// topic through the web UI of serve's wiring: the next article ingested
// matches it, stored articles (indexed or not yet) gain it, and topic:
// and its alias group work in searches, all without a restart.
func TestTopicFromTheWebAppliesWithoutRestart(t *testing.T) {
	ta := newTopicsApp(t)
	indexed := ta.put(t, "Karazhanbas oil workers strike", "Oil workers at Karazhanbas went on strike over pay.")
	other := ta.put(t, "Zhanaozen market reopens", "The market of Zhanaozen opened again.")
	var words []string
	for i := range 2100 {
		words = append(words, fmt.Sprintf("zz%04d", i))
	}
	ta.put(t, "A word list", strings.Join(words, " "))
	ta.drain(t)
	waiting := ta.put(t, "The strike spreads", "The strike spread to a second oil field.") // stored, not yet indexed

	// Refused with the parser's reason, nothing stored.
	for q, want := range map[string]string{
		"Zhanaozen AND (": "unbalanced parenthesis: this ( is never closed",
		"titel:strike":    "<dt>Suggestion</dt><dd>did you mean &#34;title&#34;?</dd>",
		"topic:strik":     "there is no topic &#34;strik&#34;",
		// A topic's pattern reads the article's words, a search's the
		// index's: the check runs both.
		"zz*": "&#34;zz*&#34; matches more than 2,000 words",
	} {
		if code, body := ta.post(t, "/topics", url.Values{"id": {"strike"}, "name": {"Strike"}, "query": {q}}); code != 400 || !strings.Contains(body, want) {
			t.Errorf("%s: %d, want 400 with %s", q, code, want)
		}
	}
	if ts, _ := ta.a.store.Topics(context.Background()); len(ts) != 1 {
		t.Fatalf("topics %+v after refusals", ts)
	}
	if code, _ := ta.post(t, "/topics", url.Values{"id": {"zhanaozen"}, "name": {"Z"}, "query": {"Z"}}); code != 400 {
		t.Errorf("the configured id: %d, want 400", code)
	}

	code, body := ta.post(t, "/topics", url.Values{"id": {"strike"}, "name": {"Strike"}, "query": {"strike"},
		"aliases": {"Karazhanbas, KBM"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create: %d %s", code, body)
	}
	// Ingest matches the next article at once.
	next := ta.put(t, "Strike in Zhanaozen", "Oil workers in Zhanaozen are on strike.")
	if m := ta.matches(t, next); !slices.Equal(m, []string{"strike", "zhanaozen"}) {
		t.Errorf("the next article matches %v, want strike and zhanaozen", m)
	}
	ta.settle(t)
	if got := ta.found(t, index.Request{Query: "topic:strike"}); !slices.Equal(got, []int64{indexed, waiting, next}) {
		t.Errorf("topic:strike finds %v, want the stored %d and %d and the new %d", got, indexed, waiting, next)
	}
	if m := ta.matches(t, indexed); !slices.Equal(m, []string{"strike"}) {
		t.Errorf("the stored article matches %v in the store", m)
	}
	if got := ta.found(t, index.Request{Query: "KBM"}); !slices.Equal(got, []int64{indexed}) {
		t.Errorf("KBM finds %v, want %d through the new alias group", got, indexed)
	}

	// A changed query: matches it no longer has go, in the store and the index.
	if code, body := ta.post(t, "/topics/strike", url.Values{"name": {"Strike"}, "query": {"strike AND Zhanaozen"}}); code != http.StatusSeeOther {
		t.Fatalf("update: %d %s", code, body)
	}
	ta.settle(t)
	if got := ta.found(t, index.Request{Query: "topic:strike"}); !slices.Equal(got, []int64{next}) {
		t.Errorf("after the edit topic:strike finds %v, want %d", got, next)
	}
	if m := ta.matches(t, indexed); len(m) != 0 {
		t.Errorf("the stored article still matches %v", m)
	}
	if got := ta.found(t, index.Request{Query: "KBM"}); len(got) != 0 {
		t.Errorf("KBM still finds %v without the alias group", got)
	}
	if m := ta.matches(t, other); !slices.Equal(m, []string{"zhanaozen"}) {
		t.Errorf("an article of another topic matches %v", m)
	}

	// Deleted: no article keeps it, in the store or the index.
	if code, _ := ta.post(t, "/topics/strike/delete", nil); code != http.StatusSeeOther {
		t.Fatalf("delete: %d", code)
	}
	ta.settle(t)
	if got := ta.found(t, index.Request{Topics: []string{"strike"}}); len(got) != 0 {
		t.Errorf("the index still holds topic strike for %v", got)
	}
	if m := ta.matches(t, next); !slices.Equal(m, []string{"zhanaozen"}) {
		t.Errorf("the article matches %v after the delete", m)
	}
	last := ta.put(t, "Another strike", "A strike again.")
	if m := ta.matches(t, last); len(m) != 0 {
		t.Errorf("an article after the delete matches %v", m)
	}
}

// Match calls go on while the topics change; an old matcher is closed
// only when none uses it (a closed one fails its Match). go test -race
// also checks the swap.
func TestLiveTopicsSwapWhileMatching(t *testing.T) {
	ta := newTopicsApp(t)
	ctx := context.Background()
	lt := ta.p.topics
	art := &model.Article{Title: "Strike in Zhanaozen", Text: "Oil workers in Zhanaozen are on strike.", Lang: "en", SourceID: "blog"}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 3 {
		wg.Go(func() {
			for range 40 {
				ids, err := lt.Match(art)
				if err != nil || !slices.Contains(ids, "zhanaozen") {
					errs <- fmt.Errorf("match: %v %v", ids, err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for i := range 10 {
			if err := ta.a.store.SaveTopic(ctx, model.Topic{ID: "strike", Name: "Strike", Query: fmt.Sprint("strike OR n", i)}); err != nil {
				errs <- err
				return
			}
			if err := lt.TopicsChanged(ctx); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if ids, err := lt.Match(art); err != nil || !slices.Equal(ids, []string{"strike", "zhanaozen"}) {
		t.Errorf("after the swaps: %v %v", ids, err)
	}
	lt.wait()
}

func TestTopicChanges(t *testing.T) {
	z := model.Topic{ID: "z", Query: "Zhanaozen", Aliases: [][]string{{"Zhanaozen", "Жанаозен"}}}
	s := model.Topic{ID: "s", Query: "strike"}
	renamed := s
	renamed.Name = "Strike"
	requery := s
	requery.Query = "strike AND oil"
	realias := z
	realias.Aliases = [][]string{{"Zhanaozen", "Новый Узень"}}
	for name, tc := range map[string]struct {
		before, now      []model.Topic
		changed, deleted []string
	}{
		"new":                      {[]model.Topic{z}, []model.Topic{z, s}, []string{"s"}, nil},
		"renamed only":             {[]model.Topic{z, s}, []model.Topic{z, renamed}, nil, nil},
		"new query":                {[]model.Topic{z, s}, []model.Topic{z, requery}, []string{"s"}, nil},
		"alias groups: every one":  {[]model.Topic{z, s}, []model.Topic{realias, s}, []string{"z", "s"}, nil},
		"deleted":                  {[]model.Topic{z, s}, []model.Topic{z}, nil, []string{"s"}},
		"deleted with its aliases": {[]model.Topic{z, s}, []model.Topic{s}, []string{"s"}, []string{"z"}},
	} {
		changed, deleted := topicChanges(tc.before, tc.now)
		if !slices.Equal(changed, tc.changed) || !slices.Equal(deleted, tc.deleted) {
			t.Errorf("%s: changed %v deleted %v, want %v and %v", name, changed, deleted, tc.changed, tc.deleted)
		}
	}
}
