package web

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"presswatch/internal/archive"
	"presswatch/internal/safehtml"
)

func TestArchivedCopy(t *testing.T) {
	h := newHistoryFixture(t)
	res, body := h.get(t, fmt.Sprintf("/articles/1/archived?fetch=%d", h.f1), "")
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	if got := res.Header.Get("Content-Security-Policy"); got != safehtml.CSP {
		t.Errorf("CSP %q, want safehtml's %q", got, safehtml.CSP)
	}
	for _, want := range []string{
		"Archived by presswatch", "<time>2011-12-16 09:00:00 UTC</time>", "https://rus.azattyq.org/a/1.html",
		h.loc.PayloadSHA256, escaped(h.loc.RecordID), `<a href="/articles/1">Back to the article</a>`,
		fmt.Sprintf(`href="/articles/1/warc?fetch=%d"`, h.f1),
		"Полиция открыла огонь по нефтяникам.", "[Площадь]", // the text; the image as its alt text
		`<link rel="stylesheet" href="/static/archived.css">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("archived copy lacks %q", want)
		}
	}
	assertInert(t, body)
	if strings.Contains(body, "cdn.example") || strings.Contains(body, "__pwned") {
		t.Errorf("the page's scripts, styles or images reached the copy:\n%s", body)
	}
	if n := len(regexp.MustCompile(`<link `).FindAllString(body, -1)); n != 1 {
		t.Errorf("%d <link> elements, want only presswatch's stylesheet", n)
	}

	// Without ?fetch=, the capture of the version cited: the edit.
	_, body = h.get(t, "/articles/1/archived", "")
	if !strings.Contains(body, "Полиция восстановила порядок.") || !strings.Contains(body, "2011-12-18 10:00:00 UTC") {
		t.Errorf("the default archived copy is not the edited page:\n%.600s", body)
	}

	for name, tc := range map[string]struct {
		path   string
		status int
		want   string
	}{
		"a PDF":                       {"/articles/4/archived", 200, "not an HTML page (application/pdf)"},
		"the WARC file is gone":       {"/articles/5/archived", 404, "presswatch-19700101000000-0-gone.warc.gz named by the fetch record is not in the archive folder"},
		"no WARC record":              {"/articles/3/archived", 404, "No archived copy is stored for this article."},
		"a fetch of another article":  {"/articles/1/archived?fetch=4", 404, "not one of this article"},
		"not a fetch id":              {"/articles/1/archived?fetch=x", 404, "not one of this article"},
		"an unknown article":          {"/articles/99/archived", 404, "There is no article with this id."},
		"the WARC file is gone, WARC": {"/articles/5/warc", 404, "is not in the archive folder"},
	} {
		t.Run(name, func(t *testing.T) {
			res, body := h.get(t, tc.path, "")
			if res.StatusCode != tc.status || !strings.Contains(body, tc.want) {
				t.Errorf("%d, want %d with %q:\n%.800s", res.StatusCode, tc.status, tc.want, body)
			}
			if res.Header.Get("Content-Disposition") != "" {
				t.Errorf("an error page is sent as a download")
			}
		})
	}
	_, body = h.get(t, "/articles/4/archived", "")
	if !strings.Contains(body, `href="/articles/4/warc" download`) {
		t.Error("the PDF capture does not offer its WARC download")
	}
}

// html/template writes < and > of text as entities.
func escaped(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(s)
}

func TestWARCDownload(t *testing.T) {
	h := newHistoryFixture(t)
	for name, tc := range map[string]struct {
		path     string
		recordID func() string
	}{
		"the version cited": {"/articles/1/warc", nil},
		"the first reading": {fmt.Sprintf("/articles/1/warc?fetch=%d", h.f1), func() string { return h.loc.RecordID }},
		"the removal":       {fmt.Sprintf("/articles/1/warc?fetch=%d", h.f404), func() string { return h.gone.RecordID }},
	} {
		t.Run(name, func(t *testing.T) {
			res, body := h.get(t, tc.path, "")
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/warc" ||
				res.Header.Get("Content-Disposition") != "attachment; filename=presswatch-article-1.warc.gz" {
				t.Fatalf("%d %v", res.StatusCode, res.Header)
			}
			path := filepath.Join(t.TempDir(), "got.warc.gz")
			if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			rep, err := archive.Verify(path)
			if err != nil || !rep.OK() || rep.Records != 2 || rep.Types["request"] != 1 || rep.Types["response"] != 1 {
				t.Fatalf("the download is not one valid request and response: %v %v", rep, err)
			}
			c, err := archive.ReadResponse(path, 0)
			if err != nil {
				t.Fatal(err)
			}
			if tc.recordID != nil && c.RecordID != tc.recordID() {
				t.Errorf("record %s, want %s", c.RecordID, tc.recordID())
			}
			if tc.recordID == nil && !strings.Contains(string(c.Payload), "восстановила") {
				t.Errorf("the version cited's download holds %q", c.Payload)
			}
		})
	}
}
