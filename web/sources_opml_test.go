package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"presswatch/internal/model"
	"presswatch/internal/opml"
)

const uploadOPML = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Feeds</title></head><body>
<outline text="Azattyq" type="rss" xmlUrl="https://rus.azattyq.org/api/x"/>
<outline text="independent">
  <outline text="Vlast.kz" title="Власть" type="rss" xmlUrl="https://vlast.kz/rss" htmlUrl="https://vlast.kz/"/>
  <outline text="Vlast again" type="rss" xmlUrl="https://vlast.kz/rss"/>
</outline>
<outline text="News" type="rss" xmlUrl="https://www.vlast.kz/other.rss"/>
<outline text="no url"/>
</body></opml>`

// An uploaded OPML list adds the feeds not read yet as the web UI's
// sources, says what it left out, and the export reads back.
func TestOPMLImportAndExport(t *testing.T) {
	f := newTopicsFixture(t, true)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("opml", "feeds.opml")
	fw.Write([]byte(uploadOPML))
	mw.Close()
	req, _ := http.NewRequest("POST", f.srv.URL+"/sources/opml", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page := readAll(t, res)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "From feeds.opml: 2 sources added, 1 feed read already.") ||
		!strings.Contains(page, "no xmlUrl") {
		t.Fatalf("import: %d\n%s", res.StatusCode, page)
	}
	ws, err := f.st.WebSources(context.Background())
	if err != nil || len(ws) != 2 {
		t.Fatalf("web sources: %+v, %v", ws, err)
	}
	got := map[string]string{}
	for _, si := range ws {
		got[si.ID] = si.Name + " " + string(si.Stance) + " " + si.URL
	}
	want := map[string]string{"vlast-kz": "Власть independent https://vlast.kz/rss", "vlast-kz-2": "News unknown https://www.vlast.kz/other.rss"}
	if len(got) != 2 || got["vlast-kz"] != want["vlast-kz"] || got["vlast-kz-2"] != want["vlast-kz-2"] {
		t.Errorf("added %v, want %v", got, want)
	}

	res, out := f.get(t, "/sources.opml")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/x-opml") {
		t.Fatalf("export: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	list, err := opml.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	urls := map[string]string{}
	for _, fd := range list.Feeds {
		urls[fd.FeedURL] = fd.Category
	}
	// The file's feed source, and the two added; the page source is no feed.
	if len(urls) != 3 || urls["https://rus.azattyq.org/api/x"] != string(model.StanceIndependent) || urls["https://vlast.kz/rss"] != "independent" {
		t.Errorf("exported %v", urls)
	}
}

func TestOPMLImportRefusesBadFiles(t *testing.T) {
	f := newTopicsFixture(t, true)
	for name, file := range map[string]string{"not opml": "<html><body>hi</body></html>", "binary": "\x00\x01\x02PK"} {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("opml", "x.opml")
		fw.Write([]byte(file))
		mw.Close()
		req, _ := http.NewRequest("POST", f.srv.URL+"/sources/opml", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if page := readAll(t, res); res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "x.opml cannot be imported: opml: ") {
			t.Errorf("%s: %d\n%s", name, res.StatusCode, page)
		}
	}
	if res, _ := f.post(t, "/sources/opml", nil); res.StatusCode != http.StatusBadRequest {
		t.Errorf("no file: %d", res.StatusCode)
	}
	if ws, _ := f.st.WebSources(context.Background()); len(ws) != 0 {
		t.Errorf("stored %+v", ws)
	}
}

func readAll(t *testing.T, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(res.Body); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
