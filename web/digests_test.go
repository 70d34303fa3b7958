package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/internal/digest"
	"presswatch/internal/mail"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// The digest fixture: the topic "zh" on 16 December 2011 (UTC), with
// three stories (a story two sites carried, the hostile one, a trial), a
// source that failed that day, a digest.Service whose Deliver records the
// messages instead of speaking SMTP, and the server with changes allowed.

const (
	digestDay    = "2011-12-16"
	digestPage   = "/digests/zh/" + digestDay
	hostileTitle = `Zhanaozen <script>alert(1)</script> "><img src=x onerror=alert(1)>`
	hostileBody  = `Police fired in Zhanaozen. <script>alert(1)</script> "><img src=x onerror=alert(1)> The town was closed.`
)

var digestNow = time.Date(2011, 12, 17, 9, 0, 0, 0, time.UTC)

type digestsFixture struct {
	srv *httptest.Server
	st  *store.Store
	svc *digest.Service

	mu        sync.Mutex
	delivered []mail.Message
	fail      error         // what Deliver returns; nil: it delivers
	hold      chan struct{} // when set, Deliver says it started on started and waits for hold to close
	started   chan struct{}

	ids map[string]int64 // article name -> id
}

// the day's times, UTC
func at16(hm string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", digestDay+" "+hm)
	if err != nil {
		panic(err)
	}
	return t
}

func newDigestsFixture(t *testing.T, admin bool) *digestsFixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "d.db"))
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
	src := func(id, name string, stance model.Stance) model.Source {
		return model.Source{ID: id, Name: name, Type: model.SourceFeed, URL: "https://" + id + ".example/feed",
			Stance: stance, Lang: "en", Every: time.Hour, Keep: model.KeepAll}
	}
	must(st.SyncSources(ctx, []model.Source{
		src("azattyq", "Azattyq", model.StanceIndependent), src("kazpravda", "Kazakhstanskaya Pravda", model.StanceState),
		src("blog", "Strike blog", model.StanceCampaign),
	}))
	_, err = st.SyncTopics(ctx, []model.Topic{{ID: "zh", Name: "Zhanaozen", Query: "Zhanaozen"}, {ID: "other", Name: "Other", Query: "other"}})
	must(err)
	f := &digestsFixture{st: st, ids: map[string]int64{}}
	f.put(t, "a1", "azattyq", "Police fire on oil workers in Zhanaozen", "At least ten were killed in Zhanaozen. Witnesses saw it.", "08:00", "")
	f.put(t, "a2", "kazpravda", "Unrest in Zhanaozen", "Hooligans, the government says.", "09:00", "a1")
	f.put(t, "a3", "blog", hostileTitle, hostileBody, "12:00", "")
	f.put(t, "a4", "blog", "Zhanaozen strikers to stand trial", "The trial opens in Aktau.", "14:00", "")
	_, err = st.RecordFetch(ctx, &model.Fetch{SourceID: "kazpravda", URL: "https://kazpravda.example/feed", At: at16("10:00"),
		ErrorKind: model.ErrTimeout, Error: "timed out after 30 s"})
	must(err)

	f.svc = &digest.Service{Store: st, Lang: "en", Base: "http://presswatch.test", Zone: time.UTC,
		Mail: &mail.Config{Host: "127.0.0.1", From: "digest@pw.example", To: []string{"staff@pw.example", "desk@pw.example"}},
		Log:  slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return digestNow },
		Deliver: f.deliver}
	server, err := New(Options{Store: st, Digests: f.svc, DigestLang: "en", DigestZone: time.UTC, Admin: admin,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return digestNow }})
	must(err)
	f.srv = httptest.NewServer(server)
	t.Cleanup(f.srv.Close)
	return f
}

// put stores an article of topic zh first seen on the day at hm; cluster
// names the article whose story it joins.
func (f *digestsFixture) put(t *testing.T, name, source, title, text, hm, cluster string) int64 {
	t.Helper()
	a := &model.Article{URL: "https://" + source + ".example/" + name, SourceID: source, Lang: "en", Title: title, Text: text,
		Published: at16(hm).Add(-time.Hour), FirstSeen: at16(hm), LastChecked: at16(hm), State: model.StateLive,
		ContentHash: name, Provenance: model.ProvenanceCrawl}
	if cluster != "" {
		a.ClusterID = f.ids[cluster]
	}
	if err := f.st.CreateArticle(context.Background(), a, []string{"zh"}, ""); err != nil {
		t.Fatal(err)
	}
	f.ids[name] = a.ID
	return a.ID
}

func (f *digestsFixture) deliver(ctx context.Context, c mail.Config, m mail.Message) error {
	f.mu.Lock()
	hold, started, fail := f.hold, f.started, f.fail
	f.mu.Unlock()
	if hold != nil {
		started <- struct{}{}
		<-hold
	}
	if fail != nil {
		return fail
	}
	f.mu.Lock()
	f.delivered = append(f.delivered, m)
	f.mu.Unlock()
	return nil
}

// setFail makes Deliver fail with err (nil: deliver).
func (f *digestsFixture) setFail(err error) {
	f.mu.Lock()
	f.fail = err
	f.mu.Unlock()
}

func (f *digestsFixture) messages() []mail.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]mail.Message(nil), f.delivered...)
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func (f *digestsFixture) get(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	res, err := noRedirect.Get(f.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// post sends form to path; header pairs are added to the request.
func (f *digestsFixture) post(t *testing.T, path string, form url.Values, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", f.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// make builds the day's digest through the web form.
func (f *digestsFixture) make(t *testing.T) {
	t.Helper()
	res, body := f.post(t, "/digests", url.Values{"topic": {"zh"}, "day": {digestDay}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), digestPage+"?done=") {
		t.Fatalf("POST /digests: %d %s %.300s", res.StatusCode, res.Header.Get("Location"), body)
	}
}

// digest reads the digest as it will be sent, through its JSON rendering.
func (f *digestsFixture) digest(t *testing.T) (*digest.Digest, string) {
	t.Helper()
	res, body := f.get(t, digestPage+".json")
	if res.StatusCode != 200 {
		t.Fatalf("%s.json: %d %.300s", digestPage, res.StatusCode, body)
	}
	d, err := digest.Parse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return d, body
}

func (f *digestsFixture) row(t *testing.T) *store.DigestRow {
	t.Helper()
	row, err := f.st.Digest(context.Background(), "zh", digestDay)
	if err != nil {
		t.Fatal(err)
	}
	return row
}

// storyOf is the id of the story article name leads.
func (f *digestsFixture) storyOf(t *testing.T, d *digest.Digest, name string) int64 {
	t.Helper()
	for _, s := range d.Stories {
		if s.Lead().ArticleID == f.ids[name] {
			return s.ID
		}
	}
	t.Fatalf("no story led by %s in %+v", name, d.Stories)
	return 0
}

func leads(d *digest.Digest) []int64 {
	var out []int64
	for _, s := range d.Stories {
		out = append(out, s.Lead().ArticleID)
	}
	return out
}

func (f *digestsFixture) articles(names ...string) []int64 {
	var out []int64
	for _, n := range names {
		out = append(out, f.ids[n])
	}
	return out
}

func TestDigestListAndShow(t *testing.T) {
	f := newDigestsFixture(t, true)
	if _, body := f.get(t, "/digests"); !strings.Contains(body, "No digest has been built yet") ||
		!strings.Contains(body, `action="/digests"`) || !strings.Contains(body, `value="2011-12-16"`) {
		t.Errorf("empty list, with the form defaulting to yesterday: %.2000s", body)
	}
	f.make(t)

	res, body := f.get(t, "/digests")
	if res.StatusCode != 200 {
		t.Fatalf("/digests: %d", res.StatusCode)
	}
	for _, want := range []string{"Zhanaozen", `href="/digests/zh/2011-12-16"`, `<td class="num">3</td>`, `<td class="num">4</td>`,
		"not sent", `href="/digests/zh/2011-12-16/mail.html"`, `href="/digests/zh/2011-12-16.md"`} {
		if !strings.Contains(body, want) {
			t.Errorf("/digests lacks %q", want)
		}
	}
	if _, body := f.get(t, "/digests?topic=other"); strings.Contains(body, digestPage) || !strings.Contains(body, `href="/digests/other.atom"`) {
		t.Errorf("/digests?topic=other lists zh's digest or lacks its feed: %.1500s", body)
	}
	if res, body := f.get(t, "/digests?topic=nosuch"); res.StatusCode != 404 || !strings.Contains(body, "nosuch") {
		t.Errorf("?topic=nosuch: %d %.500s", res.StatusCode, body)
	}

	res, body = f.get(t, digestPage+"?done=built")
	if res.StatusCode != 200 {
		t.Fatalf("%s: %d %.500s", digestPage, res.StatusCode, body)
	}
	for _, want := range []string{"Zhanaozen: digest of 2011-12-16", "The digest is built.", "4 articles from 3 sources, in 3 stories.",
		"may be missing articles from", "Kazakhstanskaya Pravda could not be read since 2011-12-16 10:00:00 UTC", "timed out after 30 s",
		"Police fire on oil workers in Zhanaozen", "At least ten were killed in Zhanaozen.", "carried by 2 sites",
		"1 other copy", "Unrest in Zhanaozen", "Zhanaozen strikers to stand trial",
		`action="/digests/zh/2011-12-16"`, `action="/digests/zh/2011-12-16/send"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the digest's page lacks %q", want)
		}
	}

	for ext, mime := range map[string]string{".md": "text/markdown", ".txt": "text/plain", ".json": "application/json", "/mail.html": "text/html"} {
		res, body := f.get(t, digestPage+ext)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), mime) || !strings.Contains(body, "Police fire on oil workers") {
			t.Errorf("%s: %d %s %.300s", ext, res.StatusCode, res.Header.Get("Content-Type"), body)
		}
	}
	d, _ := f.digest(t)
	if got, want := leads(d), f.articles("a1", "a3", "a4"); !equalIDs(got, want) {
		t.Errorf("stories led by %v, want %v", got, want)
	}
	if res, _ := f.get(t, "/digests/zh"); res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/digests?topic=zh" {
		t.Errorf("/digests/zh: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDigestBadTopicOrDay(t *testing.T) {
	f := newDigestsFixture(t, true)
	f.make(t)
	for name, tc := range map[string]struct {
		method, path string
		form         url.Values
		status       int
		want         string
	}{
		"day not a date":        {"GET", "/digests/zh/2011-13-45", nil, 400, "2011-13-45"},
		"day in words":          {"GET", "/digests/zh/yesterday/mail.html", nil, 400, "yesterday"},
		"unknown topic":         {"GET", "/digests/nosuch/2011-12-16", nil, 404, "nosuch"},
		"no digest that day":    {"GET", "/digests/zh/2011-12-15.md", nil, 404, "2011-12-15"},
		"unknown rendering":     {"GET", "/digests/zh/2011-12-16.pdf", nil, 404, ".pdf"},
		"feed of unknown topic": {"GET", "/digests/nosuch.atom", nil, 404, "nosuch"},
		"make: bad day":         {"POST", "/digests", url.Values{"topic": {"zh"}, "day": {"16.12.2011"}}, 400, "16.12.2011"},
		"make: future day":      {"POST", "/digests", url.Values{"topic": {"zh"}, "day": {"2011-12-18"}}, 400, "2011-12-18 has not begun"},
		"make: unknown topic":   {"POST", "/digests", url.Values{"topic": {"nosuch"}, "day": {digestDay}}, 400, "nosuch"},
		"edit: unknown topic":   {"POST", "/digests/nosuch/2011-12-16", url.Values{"note": {"x"}}, 404, "nosuch"},
		"edit: bad position":    {"POST", digestPage, url.Values{"story": {"1"}, "pos-1": {"first"}}, 400, "&#34;first&#34;"},
		"edit: not a story":     {"POST", digestPage, url.Values{"story": {"x1"}}, 400, "&#34;x1&#34;"},
		"send: bad day":         {"POST", "/digests/zh/2011-12-32/send", nil, 400, "2011-12-32"},
	} {
		t.Run(name, func(t *testing.T) {
			var (
				res  *http.Response
				body string
			)
			if tc.method == "GET" {
				res, body = f.get(t, tc.path)
			} else {
				res, body = f.post(t, tc.path, tc.form)
			}
			if res.StatusCode != tc.status || !strings.Contains(body, tc.want) {
				t.Errorf("%s %s: %d, want %d naming %q: %.600s", tc.method, tc.path, res.StatusCode, tc.status, tc.want, body)
			}
		})
	}
	if row := f.row(t); row.Edits != nil {
		t.Errorf("a refused edit was stored: %s", row.Edits)
	}
	if len(f.messages()) != 0 {
		t.Errorf("%d messages sent", len(f.messages()))
	}
}

// editForm is the edit form as the page posts it: every story of built in
// order, with what edit changes.
func editForm(built *digest.Digest, edit func(v url.Values, pos map[int64]int)) url.Values {
	v := url.Values{}
	pos := map[int64]int{}
	for i, s := range built.Stories {
		pos[s.ID] = i + 1
	}
	if edit != nil {
		edit(v, pos)
	}
	for _, s := range built.Stories {
		id := strconv.FormatInt(s.ID, 10)
		v.Add("story", id)
		v.Set("pos-"+id, strconv.Itoa(pos[s.ID]))
	}
	return v
}

func TestDigestEditsStoredAppliedAndKeptByARebuild(t *testing.T) {
	f := newDigestsFixture(t, true)
	f.make(t)
	built, _ := f.digest(t)
	s1, s3, s4 := f.storyOf(t, built, "a1"), f.storyOf(t, built, "a3"), f.storyOf(t, built, "a4")
	id := func(n int64) string { return strconv.FormatInt(n, 10) }

	// The trial first, the hostile story left out, notes on top and on
	// the first story.
	res, body := f.post(t, digestPage, editForm(built, func(v url.Values, pos map[int64]int) {
		pos[s4] = 1
		v.Set("note", "  Read the trial first.  ")
		v.Set("note-"+id(s1), "Check the death toll.")
		v.Add("drop", id(s3))
	}))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != digestPage+"?done=saved" {
		t.Fatalf("save: %d %s %.500s", res.StatusCode, res.Header.Get("Location"), body)
	}
	d, _ := f.digest(t)
	if got, want := leads(d), f.articles("a4", "a1"); !equalIDs(got, want) {
		t.Errorf("after the edit, stories led by %v, want %v", got, want)
	}
	if d.Note != "Read the trial first." || d.Dropped != 1 || d.Stories[1].Note != "Check the death toll." {
		t.Errorf("note %q, dropped %d, story note %q", d.Note, d.Dropped, d.Stories[1].Note)
	}
	stored, err := digest.ParseEdits(f.row(t).Edits)
	if err != nil || !equalIDs(stored.Dropped, []int64{s3}) || stored.Notes[s1] != "Check the death toll." {
		t.Errorf("stored edits %+v, %v", stored, err)
	}
	_, page := f.get(t, digestPage)
	for _, want := range []string{"4 articles from 3 sources, in 2 stories. 1 story left out.", "Left out: not in the mail.",
		`name="drop" value="` + id(s3) + `" checked`, "Read the trial first.", "Check the death toll."} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if _, txt := f.get(t, digestPage+".txt"); strings.Contains(txt, "alert(1)") || !strings.Contains(txt, "Read the trial first.") {
		t.Errorf("the text rendering keeps the dropped story or lacks the note: %s", txt)
	}

	// A down button moves the trial below the shooting, keeping what the
	// form holds.
	res, _ = f.post(t, digestPage, editForm(built, func(v url.Values, pos map[int64]int) {
		pos[s4], pos[s1], pos[s3] = 1, 2, 3
		v.Set("note", "Read the trial first.")
		v.Set("note-"+id(s1), "Check the death toll.")
		v.Add("drop", id(s3))
		v.Set("move", "down-"+id(s4))
	}))
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "#story-"+id(s4)) {
		t.Fatalf("move: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	d, _ = f.digest(t)
	if got, want := leads(d), f.articles("a1", "a4"); !equalIDs(got, want) || d.Note != "Read the trial first." {
		t.Errorf("after moving down, stories led by %v, want %v; note %q", got, want, d.Note)
	}

	// An article that came late: the rebuild adds its story after the
	// edited ones and keeps the edits.
	f.put(t, "a5", "azattyq", "Zhanaozen: curfew declared", "A curfew was declared.", "20:00", "")
	f.make(t)
	d, _ = f.digest(t)
	if got, want := leads(d), f.articles("a1", "a4", "a5"); !equalIDs(got, want) {
		t.Errorf("after the rebuild, stories led by %v, want %v", got, want)
	}
	if d.Note != "Read the trial first." || d.Dropped != 1 || d.Stories[0].Note != "Check the death toll." {
		t.Errorf("after the rebuild: note %q, dropped %d, story note %q", d.Note, d.Dropped, d.Stories[0].Note)
	}

	// Unticking "leave out" brings the story back.
	rebuilt := f.rowDigest(t)
	res, _ = f.post(t, digestPage, editForm(rebuilt, nil))
	if d, _ = f.digest(t); res.StatusCode != http.StatusSeeOther || len(d.Stories) != 4 || d.Note != "" {
		t.Errorf("after clearing the edits: %d, %d stories, note %q", res.StatusCode, len(d.Stories), d.Note)
	}
}

// rowDigest is the stored digest as built, before edits.
func (f *digestsFixture) rowDigest(t *testing.T) *digest.Digest {
	t.Helper()
	d, err := digest.Parse(f.row(t).Body)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Without Admin every change is refused with the reason, and nothing
// changes; the pages offer no form.
func TestDigestChangesNeedAdmin(t *testing.T) {
	f := newDigestsFixture(t, false)
	if _, err := f.svc.Make(context.Background(), model.Topic{ID: "zh", Name: "Zhanaozen", Query: "Zhanaozen"}, mustDay(t)); err != nil {
		t.Fatal(err)
	}
	before := f.row(t)
	built := f.rowDigest(t)
	for path, form := range map[string]url.Values{
		"/digests":           {"topic": {"zh"}, "day": {"2011-12-15"}},
		digestPage:           editForm(built, func(v url.Values, _ map[int64]int) { v.Set("note", "changed") }),
		digestPage + "/send": {},
	} {
		res, body := f.post(t, path, form)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "listens on loopback") {
			t.Errorf("POST %s: %d %.300s", path, res.StatusCode, body)
		}
	}
	after := f.row(t)
	if after.Edits != nil || after.SendState != store.NotSent || after.Attempts != 0 || !after.BuiltAt.Equal(before.BuiltAt) {
		t.Errorf("a refused change changed the digest: edits %s, state %q, %d attempts, built %v", after.Edits, after.SendState, after.Attempts, after.BuiltAt)
	}
	if rows, _ := f.st.Digests(context.Background(), "", 10); len(rows) != 1 {
		t.Errorf("%d digests stored, want 1", len(rows))
	}
	if len(f.messages()) != 0 {
		t.Errorf("%d messages sent", len(f.messages()))
	}
	for _, path := range []string{"/digests", digestPage} {
		res, body := f.get(t, path)
		if res.StatusCode != 200 || strings.Contains(body, `method="post"`) || !strings.Contains(body, "does not allow changes from the web") {
			t.Errorf("%s: %d, offers a form or does not say why not: %.300s", path, res.StatusCode, body)
		}
	}
}

func mustDay(t *testing.T) digest.Period {
	t.Helper()
	p, err := digest.Day(digestDay, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A POST another site's page makes a browser send is refused, and
// nothing changes.
func TestDigestCrossOriginPostRefused(t *testing.T) {
	f := newDigestsFixture(t, true)
	f.make(t)
	built := f.rowDigest(t)
	for path, form := range map[string]url.Values{
		"/digests":           {"topic": {"zh"}, "day": {"2011-12-15"}},
		digestPage:           editForm(built, func(v url.Values, _ map[int64]int) { v.Set("note", "changed") }),
		digestPage + "/send": {},
	} {
		for _, header := range [][]string{
			{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"},
			{"Origin", "https://evil.example"},
		} {
			if res, body := f.post(t, path, form, header...); res.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s with %v: %d %.300s", path, header, res.StatusCode, body)
			}
		}
	}
	if row := f.row(t); row.Edits != nil || row.SendState != store.NotSent {
		t.Errorf("a cross-origin POST changed the digest: edits %s, state %q", row.Edits, row.SendState)
	}
	if _, err := f.st.Digest(context.Background(), "zh", "2011-12-15"); err == nil {
		t.Error("a cross-origin POST built a digest")
	}
	if len(f.messages()) != 0 {
		t.Errorf("%d messages sent", len(f.messages()))
	}
	// The same POST from presswatch's own page goes through.
	if res, body := f.post(t, digestPage, editForm(built, func(v url.Values, _ map[int64]int) { v.Set("note", "ours") }),
		"Sec-Fetch-Site", "same-origin", "Origin", f.srv.URL); res.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin POST: %d %.300s", res.StatusCode, body)
	}
}

// A position typed into the form puts the story there: moved up, before
// the story that held it; moved down, after it.
func TestDigestPositions(t *testing.T) {
	built := &digest.Digest{Stories: []digest.Story{{ID: 10}, {ID: 20}, {ID: 30}, {ID: 40}}}
	for name, tc := range map[string]struct {
		pos  map[string]string // story -> position typed
		move string
		want []int64
	}{
		"unchanged":          {nil, "", []int64{10, 20, 30, 40}},
		"third to first":     {map[string]string{"30": "1"}, "", []int64{30, 10, 20, 40}},
		"first to third":     {map[string]string{"10": "3"}, "", []int64{20, 30, 10, 40}},
		"last to second":     {map[string]string{"40": "2"}, "", []int64{10, 40, 20, 30}},
		"past the end":       {map[string]string{"10": "99"}, "", []int64{20, 30, 40, 10}},
		"two swapped":        {map[string]string{"10": "2", "20": "1"}, "", []int64{20, 10, 30, 40}},
		"down button":        {nil, "down-20", []int64{10, 30, 20, 40}},
		"up button":          {nil, "up-20", []int64{20, 10, 30, 40}},
		"up from the top":    {nil, "up-10", []int64{10, 20, 30, 40}},
		"position then move": {map[string]string{"40": "1"}, "down-40", []int64{10, 40, 20, 30}},
	} {
		t.Run(name, func(t *testing.T) {
			v := url.Values{}
			for i, s := range built.Stories {
				id := strconv.FormatInt(s.ID, 10)
				v.Add("story", id)
				v.Set("pos-"+id, strconv.Itoa(i+1))
				if p, ok := tc.pos[id]; ok {
					v.Set("pos-"+id, p)
				}
			}
			if tc.move != "" {
				v.Set("move", tc.move)
			}
			r := httptest.NewRequest("POST", digestPage, strings.NewReader(v.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if err := r.ParseForm(); err != nil {
				t.Fatal(err)
			}
			e, _, status, msg := editsOf("en", r, built, digest.Edits{})
			if msg != "" || !equalIDs(e.Order, tc.want) {
				t.Errorf("order %v (%d %s), want %v", e.Order, status, msg, tc.want)
			}
		})
	}
}

// Without a DigestService the pages say digests are not set up, and the
// rest of the server serves as before.
func TestDigestNotSetUp(t *testing.T) {
	f := newDigestsFixture(t, true)
	server, err := New(Options{Store: f.st, Admin: true, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(server)
	t.Cleanup(f.srv.Close)
	for path, status := range map[string]int{"/digests": 200, digestPage: 404, digestPage + ".md": 404, digestPage + "/mail.html": 404,
		"/digests/zh.atom": 404} {
		if res, body := f.get(t, path); res.StatusCode != status || !strings.Contains(body, "Digests are not set up") {
			t.Errorf("%s: %d, want %d saying digests are not set up: %.300s", path, res.StatusCode, status, body)
		}
	}
	for _, path := range []string{"/digests", digestPage, digestPage + "/send"} {
		if res, body := f.post(t, path, url.Values{"topic": {"zh"}, "day": {digestDay}}); res.StatusCode != 404 || !strings.Contains(body, "Digests are not set up") {
			t.Errorf("POST %s: %d %.300s", path, res.StatusCode, body)
		}
	}
	if res, _ := f.get(t, "/sources"); res.StatusCode != 200 {
		t.Errorf("/sources: %d", res.StatusCode)
	}
}

// The pages speak the UI language; the digest's renderings keep the
// digests' own.
func TestDigestPagesInRussian(t *testing.T) {
	f := newDigestsFixture(t, true)
	f.make(t)
	get := func(path string) string {
		req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
		req.Header.Set("Accept-Language", "ru")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	for path, want := range map[string]string{
		"/digests":         "не отправлен",
		digestPage:         "4 статьи из 3 источников, 3 сюжета.",
		digestPage + ".md": "4 articles from 3 sources",
	} {
		if body := get(path); !strings.Contains(body, want) {
			t.Errorf("%s in Russian lacks %q", path, want)
		}
	}
}
