package ingest

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/store"
)

func (f *fakeIndex) Delete(_ context.Context, ids []int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range ids {
		delete(f.docs, id)
	}
	return nil
}

type fakeIndex struct {
	mu   sync.Mutex
	docs map[int64]string
}

func (f *fakeIndex) Put(_ context.Context, arts []*model.Article) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, a := range arts {
		f.docs[a.ID] = a.Text
	}
	return nil
}

// wordMatcher matches the topic "z" when the text mentions Zhanaozen.
type wordMatcher struct{}

func (wordMatcher) Match(a *model.Article) ([]string, error) {
	if strings.Contains(a.Title+a.Text, "Zhanaozen") {
		return []string{"z"}, nil
	}
	return nil, nil
}

func setup(t *testing.T) (*Ingester, *Indexer, *fakeIndex, *store.Store) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.SyncSources(context.Background(), []model.Source{all, onTopic})
	ix := &fakeIndex{docs: map[int64]string{}}
	x := NewIndexer(st, ix, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return New(st, wordMatcher{}, x), x, ix, st
}

var (
	all     = model.Source{ID: "campaign", URL: "http://127.0.0.1/", Type: model.SourceFeed, Keep: model.KeepAll, Stance: model.StanceCampaign, Every: time.Hour}
	onTopic = model.Source{ID: "news", URL: "http://127.0.0.2/", Type: model.SourceFeed, Keep: model.KeepTopic, Stance: model.StanceState, Every: time.Hour}
)

func doc(url, text string) *model.Document {
	return &model.Document{URL: url, ItemURL: url, Title: "Report", Text: text,
		Fetch: &model.Fetch{URL: url, Status: 200, SHA256: "00"}}
}

func TestPutOutcomes(t *testing.T) {
	ctx := context.Background()
	in, x, ix, st := setup(t)
	steps := []struct {
		name string
		src  model.Source
		doc  *model.Document
		want model.Outcome
	}{
		{"new article", all, doc("http://127.0.0.1/a?utm_source=tw#top", "Strike in Zhanaozen"), model.OutcomeNew},
		{"same text again", all, doc("http://127.0.0.1/a", "Strike  in\nZhanaozen"), model.OutcomeUnchanged},
		{"edited text is a new version", all, doc("http://127.0.0.1/a", "Strike in Zhanaozen ends"), model.OutcomeUpdated},
		{"off-topic item of a keep: topic source", onTopic, doc("http://127.0.0.2/sport", "Football"), model.OutcomeSkipped},
		{"on-topic item of a keep: topic source", onTopic, doc("http://127.0.0.2/z", "Zhanaozen trial"), model.OutcomeNew},
		{"off-topic item of a keep: all source", all, doc("http://127.0.0.1/b", "Football"), model.OutcomeNew},
	}
	for _, s := range steps {
		got, _, err := in.Put(ctx, s.src, s.doc)
		if err != nil || got != s.want {
			t.Fatalf("%s: outcome %v, %v; want %v", s.name, got, err, s.want)
		}
	}
	a, err := st.ArticleByURL(ctx, "http://127.0.0.1/a")
	if err != nil || a.State != model.StateEdited {
		t.Fatalf("article a = %+v, %v", a, err)
	}
	if vs, _ := st.Versions(ctx, a.ID); len(vs) != 2 || vs[1].Kind != model.VersionEdit {
		t.Errorf("versions = %+v, want 2, the second an edit", vs)
	}
	if evs, _ := st.Events(ctx, a.ID); len(evs) != 1 || evs[0].Kind != model.EventEdited || evs[0].WordsAdded != 1 || a.EditedAt.IsZero() {
		t.Errorf("events = %+v, edited at %v; want one edit adding a word", evs, a.EditedAt)
	}
	if m, _ := st.Matches(ctx, a.ID); len(m) != 1 || m[0] != "z" {
		t.Errorf("matches = %v", m)
	}
	known, _ := in.Known(ctx, onTopic, []string{"http://127.0.0.2/sport", "http://127.0.0.1/a?utm_source=tw#top"})
	if !known["http://127.0.0.2/sport"] {
		t.Error("a skipped item would be fetched again by the source that skipped it")
	}
	// A keep: all source announcing the same URL must still read it.
	if known, _ := in.Known(ctx, all, []string{"http://127.0.0.2/sport"}); known["http://127.0.0.2/sport"] {
		t.Error("an item one keep: topic source skipped is hidden from a keep: all source")
	}
	n, err := x.Drain(ctx)
	if err != nil || n != 3 {
		t.Fatalf("drained %d, %v; want 3 articles", n, err)
	}
	if ix.docs[a.ID] != "Strike in Zhanaozen ends" {
		t.Errorf("index has %q for a", ix.docs[a.ID])
	}
	if n, _ := x.Drain(ctx); n != 0 {
		t.Errorf("second drain indexed %d", n)
	}
	// A deleted article leaves the index at the next drain.
	if err := st.DeleteArticle(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	x.Drain(ctx)
	if _, ok := ix.docs[a.ID]; ok || len(ix.docs) != 2 {
		t.Errorf("after delete the index holds %v", ix.docs)
	}
}

func TestCopiesShareACluster(t *testing.T) {
	ctx := context.Background()
	in, _, _, _ := setup(t)
	_, first, _ := in.Put(ctx, all, doc("http://127.0.0.1/original", "Zhanaozen appeal text"))
	_, copy, _ := in.Put(ctx, onTopic, doc("http://127.0.0.2/reprint", "Zhanaozen   appeal text"))
	if first == nil || copy == nil || copy.ClusterID != first.ClusterID || copy.ID == first.ID {
		t.Fatalf("first %+v copy %+v", first, copy)
	}
}

func TestPutRefusesEmptyAndBadURL(t *testing.T) {
	in, _, _, _ := setup(t)
	for name, d := range map[string]*model.Document{
		"no text":  {URL: "http://127.0.0.1/x"},
		"bad url":  {URL: "mailto:someone", Text: "x"},
		"relative": {URL: "/x", Text: "x"},
	} {
		if _, _, err := in.Put(context.Background(), all, d); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestNormalizeText(t *testing.T) {
	for in, want := range map[string]string{
		"  a  b \n\n\n c\r\n": "a b\n\nc",
		"one\ntwo":            "one\ntwo",
		"x\x00y\u00a0z":       "x y z",
		"\n\n":                "",
		"bad \xff byte":       "bad \uFFFD byte",
	} {
		if got := normalizeText(in); got != want {
			t.Errorf("normalizeText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPagesSharingAWrongCanonicalStayApart(t *testing.T) {
	ctx := context.Background()
	in, _, _, st := setup(t)
	for _, p := range []struct{ item, text string }{
		{"http://127.0.0.1/news/1.html", "Zhanaozen: first report"},
		{"http://127.0.0.1/news/2.html", "Zhanaozen: a second, different report"},
	} {
		d := doc(p.item, p.text)
		d.CanonicalURL = "http://127.0.0.1/news/" // every page of a broken template
		if o, _, err := in.Put(ctx, all, d); err != nil || o != model.OutcomeNew {
			t.Fatalf("%s: %v %v, want a new article", p.item, o, err)
		}
	}
	// The first page, edited, is still recognised through its item URL.
	d := doc("http://127.0.0.1/news/1.html", "Zhanaozen: first report, corrected")
	d.CanonicalURL = "http://127.0.0.1/news/"
	if o, _, err := in.Put(ctx, all, d); err != nil || o != model.OutcomeUpdated {
		t.Fatalf("edit: %v %v", o, err)
	}
	if c, _ := st.Counts(ctx); c.Articles != 2 {
		t.Errorf("%d articles, want 2", c.Articles)
	}
}
