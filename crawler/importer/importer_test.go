package importer

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

// siteDir is the fixture press site at the module root.
func siteDir(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "site")
}

var src = model.Source{ID: "import", Keep: model.KeepAll}

func one(t *testing.T, path string, opts Options) *model.Document {
	t.Helper()
	docs, err := File(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 {
		t.Fatalf("%s: %d documents, want 1", path, len(docs))
	}
	return docs[0]
}

func TestEmailKeepsSubjectDateAuthorAndID(t *testing.T) {
	d := one(t, filepath.Join(siteDir(t), "lists/labor-l/2001-03-21-repression-in-kazakhstan.eml"), Options{Source: src})
	if d.Title != "Repression in Kazakhstan - your support needed now!" || d.URL != "mid:3AB95E2D.6C1F@example.org" ||
		d.Published.Format(time.RFC3339) != "2001-03-21T21:06:21-05:00" || d.DateSource != model.DateFromHeader ||
		d.Provenance != model.ProvenanceImport || d.Fetch == nil || len(d.Fetch.SHA256) != 64 ||
		!strings.HasPrefix(d.Fetch.URL, "file://") || d.Lang != "en" {
		t.Errorf("document = %+v", d)
	}
	if !strings.Contains(d.Text, "Sultangaliev") || !strings.Contains(d.Text, "Repression in Kazakhstan—your") {
		t.Errorf("quoted-printable body not decoded: %q", d.Text[:min(200, len(d.Text))])
	}
}

func TestMbox(t *testing.T) {
	docs, err := File(filepath.Join(siteDir(t), "lists/labor-l/2001-03.mbox"), Options{Source: src})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 {
		t.Fatalf("%d messages, want 2", len(docs))
	}
	if docs[0].URL != "mid:3AB95E2D.6C1F@example.org" || !strings.Contains(docs[0].Text, "\nFrom International Solidarity") {
		t.Errorf("first message: %s, >From not unescaped: %q", docs[0].URL, docs[0].Text[:min(300, len(docs[0].Text))])
	}
	if docs[1].Title != "Re: Repression in Kazakhstan - your support needed now!" || !strings.Contains(docs[1].Text, "Köln") {
		t.Errorf("second message (ISO-8859-1): %q %q", docs[1].Title, docs[1].Text)
	}
}

func TestMailingListPostSavedFromTheWeb(t *testing.T) {
	// A list archive's web page saved as text: a menu line, then the
	// message with its "From " line and headers.
	d := one(t, "testdata/mailing-list-web-archive.txt", Options{Source: src})
	if d.Title != "Repression in Kazakhstan - your support needed now!" || d.Published.Format("2006-01-02") != "2001-03-21" ||
		!strings.Contains(d.Author, "LABOR-L") && !strings.Contains(d.Author, "Forum") {
		t.Errorf("document = %q %v %q", d.Title, d.Published, d.Author)
	}
}

func TestPlainTextFindsTitleAndDate(t *testing.T) {
	d := one(t, "testdata/campaign-listing.txt", Options{Source: src})
	if d.Title != "Articles" || d.Published.Format("2006-01-02") != "2012-01-12" || d.DateSource != model.DateFromText ||
		!strings.HasPrefix(d.URL, "urn:sha256:") || d.Lang != "en" {
		t.Errorf("document = %q %v %s %s %s", d.Title, d.Published, d.DateSource, d.URL, d.Lang)
	}
}

func TestHTMLAndFeedFiles(t *testing.T) {
	site := siteDir(t)
	d := one(t, filepath.Join(site, "ru/vestnik/2011/12/17/zhanaozen-poryadok.html"), Options{Source: src,
		URL: "https://vestnik.example/ru/zhanaozen"})
	if d.URL != "https://vestnik.example/ru/zhanaozen" || d.Lang != "ru" || !strings.Contains(d.Text, "хулиганствующих") {
		t.Errorf("windows-1251 page saved without its Content-Type header: %q %s %s", d.Title, d.Lang, d.URL)
	}
	d = one(t, filepath.Join(site, "ru/golos/2011/12/20/zhanaozen-svideteli.html"), Options{Source: src})
	if !strings.Contains(d.Text, "блокпосты") || d.Lang != "ru" || !strings.HasPrefix(d.URL, "urn:sha256:") && !strings.HasPrefix(d.URL, "http") {
		t.Errorf("KOI8-R page: %q %s %s", d.Title, d.Lang, d.URL)
	}
	feed, err := os.ReadFile(filepath.Join(site, "atom.xml"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "atom.xml")
	os.WriteFile(path, []byte(strings.ReplaceAll(string(feed), "{{BASE}}", "https://campaign.example")), 0o644)
	docs, err := File(path, Options{Source: src})
	if err != nil || len(docs) != 5 {
		t.Fatalf("atom file: %d docs, %v", len(docs), err)
	}
	for _, d := range docs {
		if !strings.HasPrefix(d.URL, "https://campaign.example/") || d.Title == "" || d.Published.IsZero() {
			t.Errorf("feed item %+v", d)
		}
	}
}

type countSink struct{ n map[string]int }

func (s *countSink) Put(_ context.Context, _ model.Source, d *model.Document) (model.Outcome, *model.Article, error) {
	s.n[d.URL]++
	if s.n[d.URL] > 1 {
		return model.OutcomeUnchanged, nil, nil
	}
	return model.OutcomeNew, nil, nil
}

func TestPathsWalksDirectoriesAndReportsBadFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("Zhanaozen\n\nPosted on 16 December 2011. Strikers were shot."), 0o644)
	os.WriteFile(filepath.Join(dir, "empty.rss"), []byte("<rss><channel></channel></rss>"), 0o644)
	os.MkdirAll(filepath.Join(dir, ".hidden"), 0o755)
	os.WriteFile(filepath.Join(dir, ".hidden", "b.txt"), []byte("hidden"), 0o644)
	sink := &countSink{n: map[string]int{}}
	rep := Paths(context.Background(), sink, []string{dir, filepath.Join(dir, "a.txt"), filepath.Join(dir, "missing")}, Options{Source: src})
	if rep.Files != 3 || rep.New != 1 || rep.Unchanged != 1 || rep.Failed != 2 || len(rep.Errors) != 2 {
		t.Fatalf("report = %+v", rep)
	}
	for _, err := range rep.Errors {
		if !strings.Contains(err.Error(), "empty.rss") && !strings.Contains(err.Error(), "missing") {
			t.Errorf("error does not name the file: %v", err)
		}
	}
}

func TestMboxWithABadMessageKeepsTheOthers(t *testing.T) {
	mbox := "From a@example.org Mon Jan 16 10:00:00 2012\nFrom: a@example.org\nSubject: Zhanaozen one\nDate: Mon, 16 Jan 2012 10:00:00 +0600\n\nFirst body.\n\n" +
		"From b@example.org Mon Jan 16 11:00:00 2012\nFrom: b@example.org\nSubject: broken\nthis line is not a header\n\nSecond body.\n\n" +
		"From c@example.org Mon Jan 16 12:00:00 2012\nFrom: c@example.org\nSubject: Zhanaozen three\n\nThird body.\n"
	path := filepath.Join(t.TempDir(), "list.mbox")
	os.WriteFile(path, []byte(mbox), 0o644)
	docs, err := File(path, Options{Source: src})
	if len(docs) != 2 || err == nil || !strings.Contains(err.Error(), "message 2") || !strings.Contains(err.Error(), "list.mbox") {
		t.Fatalf("%d docs, error %v; want 2 and an error naming message 2 of list.mbox", len(docs), err)
	}
	sink := &countSink{n: map[string]int{}}
	rep := Paths(context.Background(), sink, []string{path}, Options{Source: src})
	if rep.New != 2 || rep.Failed != 1 {
		t.Errorf("report %+v", rep)
	}
	if _, err := File(filepath.Join(t.TempDir(), "missing.eml"), Options{Source: src}); err == nil {
		t.Error("a missing file gave no error")
	}
}
