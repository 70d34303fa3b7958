package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/internal/store"
)

// fakeImporter records what it was given; a file holding a NUL byte is
// refused, as the importer refuses binary files.
type fakeImporter struct {
	mu    sync.Mutex
	opts  []ImportOptions
	files map[string]string
	read  int64 // bytes read of all files
}

func (f *fakeImporter) Import(_ context.Context, opts ImportOptions, files iter.Seq2[string, io.Reader]) (*ImportReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opts = append(f.opts, opts)
	rep := &ImportReport{}
	for name, r := range files {
		var b bytes.Buffer
		n, err := io.Copy(&b, r)
		f.read += n
		rep.Files++
		switch {
		case err != nil:
			rep.Failed++
			rep.Errors = append(rep.Errors, fmt.Sprintf("import: %s: %v", name, err))
		case bytes.IndexByte(b.Bytes(), 0) >= 0:
			rep.Failed++
			rep.Errors = append(rep.Errors, "import: "+name+": not text, not imported")
		default:
			f.files[name] = b.String()
			rep.New++
		}
	}
	return rep, nil
}

type importFixture struct {
	srv      *httptest.Server
	importer *fakeImporter
	cookie   string // an administrator's session
}

func newImportFixture(t *testing.T) *importFixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.PutAdmin(ctx, "ana", adminHash()); err != nil {
		t.Fatal(err)
	}
	token, err := st.CreateSession(ctx, "ana", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	f := &importFixture{importer: &fakeImporter{files: map[string]string{}}, cookie: sessionCookie + "=" + token}
	s, err := New(Options{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Admin: true, Importer: f.importer})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(s)
	t.Cleanup(f.srv.Close)
	return f
}

// upload posts a multipart form of fields (name, value pairs) and files
// (name -> content) to /import with the headers given as pairs.
func (f *importFixture) upload(t *testing.T, fields []string, files map[string]string, header ...string) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	for name, content := range files {
		w, _ := mw.CreateFormFile("files", name)
		io.WriteString(w, content)
	}
	mw.Close()
	return f.post(t, &body, mw.FormDataContentType(), header...)
}

func (f *importFixture) post(t *testing.T, body io.Reader, contentType string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", f.srv.URL+"/import", body)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
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

var twoNotes = map[string]string{
	"note.txt":    "Zhanaozen\n\nStrikers were shot on 16 December 2011.",
	"trial.html":  "<!doctype html><title>Trial</title><p>The trial in Aktau.</p>",
	"photo.html":  "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
	"../../x.txt": "a name with folders keeps only its base name",
}

// Without an administrator's session the form sends to the login and an
// upload is refused, as is one from another site's page with a session;
// the importer is never called.
func TestImportUploadNeedsAnAdmin(t *testing.T) {
	f := newImportFixture(t)
	res, err := noRedirect.Get(f.srv.URL + "/import")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2Fimport" {
		t.Errorf("anonymous GET /import: %d to %q, want /login", res.StatusCode, res.Header.Get("Location"))
	}
	for name, header := range map[string][]string{
		"anonymous":               nil,
		"cross-site with session": {"Cookie", f.cookie, "Sec-Fetch-Site", "cross-site"},
		"cross-origin with a session, no Sec-Fetch-Site": {"Cookie", f.cookie, "Sec-Fetch-Site", "", "Origin", "https://attacker.example"},
	} {
		res, body := f.upload(t, []string{"source", "import"}, twoNotes, header...)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s upload: %d, want 403\n%s", name, res.StatusCode, body)
		}
	}
	if len(f.importer.opts) != 0 {
		t.Errorf("the importer was called %d times for refused uploads", len(f.importer.opts))
	}
}

// An administrator's upload reaches the importer whole, each file under
// its base name, with the form's source; the page shows the counts and
// each refused file with its reason, in English and in Russian.
func TestImportUploadByAnAdmin(t *testing.T) {
	f := newImportFixture(t)
	res, body := f.upload(t, []string{"source", "saved-pages", "url", ""}, twoNotes, "Cookie", f.cookie)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("admin upload: %d\n%s", res.StatusCode, body)
	}
	if got := f.importer.opts; len(got) != 1 || got[0].Source != "saved-pages" || got[0].URL != "" {
		t.Errorf("importer options %+v, want source saved-pages", got)
	}
	for _, name := range []string{"note.txt", "trial.html", "x.txt"} {
		if f.importer.files[name] != twoNotes[name] && !(name == "x.txt" && f.importer.files[name] == twoNotes["../../x.txt"]) {
			t.Errorf("file %s reached the importer as %q", name, f.importer.files[name])
		}
	}
	for _, want := range []string{"4 files: 3 new, 0 updated, 0 already there, 1 refused.", "import: photo.html: not text, not imported", `value="saved-pages"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the report page lacks %q\n%s", want, body)
		}
	}
	res, body = f.upload(t, nil, map[string]string{"a.txt": "Жанаозен"}, "Cookie", f.cookie, "Cookie", f.cookie+"; ui=ru")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Файлов: 1; новых статей: 1") {
		t.Errorf("the Russian report: %d\n%s", res.StatusCode, body)
	}
	res, body = f.get(t, "/import", "Cookie", f.cookie)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, "at most 64 MiB in all") {
		t.Errorf("the form: %d\n%s", res.StatusCode, body)
	}
}

// An upload without files, or with a source id the configuration would
// refuse, is answered 400 saying so; one past MaxUpload in all is cut
// there, answered 413 and read no further.
func TestImportUploadRefuses(t *testing.T) {
	f := newImportFixture(t)
	for name, c := range map[string]struct {
		fields []string
		files  map[string]string
		want   string
	}{
		"no file":   {[]string{"source", "import"}, nil, "Choose one or more files"},
		"bad id":    {[]string{"source", "Bad Id!"}, twoNotes, `&#34;Bad Id!&#34; is not a valid source id`},
		"empty one": {nil, map[string]string{"": ""}, "Choose one or more files"},
	} {
		res, body := f.upload(t, c.fields, c.files, "Cookie", f.cookie)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d, want 400 with %q\n%s", name, res.StatusCode, c.want, body)
		}
	}
	if len(f.importer.opts) != 0 {
		t.Errorf("the importer was called for refused uploads: %+v", f.importer.opts)
	}

	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		w, _ := mw.CreateFormFile("files", "first.txt")
		io.WriteString(w, "Zhanaozen")
		w, _ = mw.CreateFormFile("files", "huge.txt")
		chunk := bytes.Repeat([]byte("a"), 1<<20)
		for range MaxUpload>>20 + 1 {
			if _, err := w.Write(chunk); err != nil {
				break // the server stopped reading
			}
		}
		w, _ = mw.CreateFormFile("files", "after.txt")
		io.WriteString(w, "never read")
		pw.CloseWithError(mw.Close())
	}()
	res, body := f.post(t, pr, mw.FormDataContentType(), "Cookie", f.cookie)
	pr.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "went past 64 MiB") {
		t.Errorf("an upload past the cap: %d\n%s", res.StatusCode, body)
	}
	if _, ok := f.importer.files["after.txt"]; ok || f.importer.files["first.txt"] != "Zhanaozen" || f.importer.read > MaxUpload {
		t.Errorf("past the cap the importer got %d bytes; files %v", f.importer.read, slices.Collect(maps.Keys(f.importer.files)))
	}
}

func (f *importFixture) get(t *testing.T, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
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
