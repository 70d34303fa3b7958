package web

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"presswatch/crawler"
	"presswatch/crawler/parse"
	"presswatch/internal/model"
	"presswatch/internal/opml"
	"presswatch/internal/store"
)

// An attacker's review of managing sources from the web: what hostile
// feeds, sites and OPML files can make the pages show, what a long OPML
// list makes the server do, and whether a source URL's credentials leak.

// Hostile texts a feed, a site or an OPML file may carry.
const (
	xssScript = `<script>alert("pw")</script>`
	xssAttr   = `"><img src=x onerror=alert(1) data-xss=1>`
	xssSingle = `'><xss-probe data-xss=1 onload=alert(2)>`
	xssJS     = `javascript:alert(document.cookie)`
	xssData   = `data:text/html,<script>alert(3)</script>`
)

// xssTitle holds every hostile text at once.
const xssTitle = "Новости " + xssScript + xssAttr + xssSingle

// attackSources is a SourceEditor over the real store whose feed search
// and test read return what the test sets.
type attackSources struct {
	*fakeSources

	mu      sync.Mutex
	found   []FeedCandidate
	preview *crawler.Preview
	tryErr  error
	sites   []string // the site addresses FindFeeds was given
}

func (a *attackSources) FindFeeds(_ context.Context, site string) ([]FeedCandidate, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sites = append(a.sites, site)
	return a.found, nil
}

func (a *attackSources) TrySource(_ context.Context, src model.Source) (*crawler.Preview, error) {
	a.mu.Lock()
	a.fakeSources.tried = append(a.fakeSources.tried, src)
	a.mu.Unlock()
	return a.preview, a.tryErr
}

// attackFixture is a server whose sources can be changed, with one
// source of the configuration file whose name is hostile and whose URL
// holds credentials, and a log that keeps every line.
type attackFixture struct {
	*topicsFixture
	src *attackSources
	log *bytes.Buffer
	lmu *sync.Mutex
}

const attackSecretURL = "https://reader:s3cr3t@intranet.example/feed.xml?token=t0ken&lang=ru"

func newAttackFixture(t *testing.T) *attackFixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SyncSources(ctx, []model.Source{{ID: "intranet", Name: xssTitle, Type: model.SourceFeed, URL: attackSecretURL,
		Stance: model.StanceUnknown, Every: time.Hour, Keep: model.KeepAll}}); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveSourceState(ctx, model.SourceState{SourceID: "intranet", LastFetch: topicsNow, ErrorKind: model.ErrHTTPStatus,
		LastStatus: 500, Failures: 1, Error: "fetch: GET " + attackSecretURL + ": " + xssAttr}); err != nil {
		t.Fatal(err)
	}
	f := &attackFixture{log: &bytes.Buffer{}, lmu: &sync.Mutex{}}
	f.src = &attackSources{fakeSources: &fakeSources{st: st}}
	s, err := New(Options{Store: st, Log: slog.New(slog.NewTextHandler(lockedWriter{f.lmu, f.log}, nil)),
		Now: func() time.Time { return topicsNow }, Admin: true, Sources: f.src})
	if err != nil {
		t.Fatal(err)
	}
	f.topicsFixture = &topicsFixture{st: st, sources: f.src.fakeSources, srv: httptest.NewServer(s)}
	t.Cleanup(f.srv.Close)
	return f
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// upload posts an OPML file as the sources page's form does.
func (f *attackFixture) upload(t *testing.T, name string, file []byte, header ...string) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("opml", name)
	fw.Write(file)
	mw.Close()
	req, _ := http.NewRequest("POST", f.srv.URL+"/sources/opml", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res, readAll(t, res)
}

// checkNoInjection parses page as a browser would and fails on any
// element or attribute the hostile texts carry (script, img, xss-probe,
// onerror, onload, data-xss) and on any link, source or form target with
// a javascript:, data: or vbscript: scheme. want are texts the page must
// show as text, so the check is not passed by a page that shows nothing.
func checkNoInjection(t *testing.T, what, page string, want ...string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("%s: not HTML: %v", what, err)
	}
	var text strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			text.WriteString(n.Data)
		case html.ElementNode:
			switch n.Data {
			case "script", "img", "xss-probe", "iframe", "object", "embed":
				t.Errorf("%s: an injected <%s> element %v", what, n.Data, n.Attr)
			}
			for _, a := range n.Attr {
				name := strings.ToLower(a.Key)
				if strings.HasPrefix(name, "on") || name == "data-xss" {
					t.Errorf("%s: an injected attribute %s=%q on <%s>", what, a.Key, a.Val, n.Data)
				}
				switch name {
				case "href", "src", "action", "formaction", "xlink:href":
					v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
					if n.Data == "link" && v == "data:," {
						continue // the layout's empty favicon, which asks for none
					}
					for _, scheme := range []string{"javascript:", "data:", "vbscript:"} {
						if strings.HasPrefix(v, scheme) {
							t.Errorf("%s: <%s %s=%q> has the %s scheme", what, n.Data, a.Key, a.Val, scheme)
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, w := range want {
		if !strings.Contains(text.String(), w) {
			t.Errorf("%s does not show %q as text:\n%s", what, w, page)
		}
	}
}

// Hostile feed titles, item titles, site names and addresses are shown as
// text on every page of managing sources: the feeds found, the test
// read, the sources list and a source's form; none becomes an element,
// an attribute or a javascript: or data: link.
func TestSourcesPagesEscapeHostileTexts(t *testing.T) {
	f := newAttackFixture(t)
	f.src.found = []FeedCandidate{
		{URL: xssJS, Title: xssTitle, Type: xssAttr, Items: 3},
		{URL: "https://evil.example/rss?x=" + xssAttr, Title: xssSingle, Type: "rss", Items: 1},
		{URL: xssData, Title: xssScript, Err: "not a feed: " + xssAttr},
	}
	f.src.preview = &crawler.Preview{URL: xssJS, Title: xssTitle, Total: 3, New: 2,
		Items: []crawler.PreviewItem{
			{Item: parse.Item{URL: xssJS, Title: xssTitle}},
			{Item: parse.Item{URL: xssData}},
			{Item: parse.Item{URL: "https://evil.example/a", Title: xssSingle}, Known: true},
		},
		Sample:    &model.Document{URL: xssJS, Title: xssAttr, Lang: xssSingle, Text: "Текст " + xssScript + " " + xssAttr},
		SampleErr: errors.New(xssSingle)}

	// Feeds found on a site; the site typed is hostile too.
	res, page := f.post(t, "/sources/find", url.Values{"site": {"https://evil.example/" + xssAttr}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("find: %d\n%s", res.StatusCode, page)
	}
	checkNoInjection(t, "feeds found", page, xssTitle, xssSingle, xssScript, "not a feed: "+xssAttr)
	res, page = f.post(t, "/sources/find", url.Values{"site": {xssJS + xssAttr}})
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("find on a javascript: site: %d, want 400", res.StatusCode)
	}
	checkNoInjection(t, "a hostile site refused", page, "is not the address of a site")

	// The test read of a source with a hostile name.
	form := url.Values{"id": {"evil"}, "name": {xssTitle}, "url": {"https://evil.example/rss?q=" + xssAttr}, "type": {"feed"},
		"stance": {"unknown"}, "every": {"1h"}, "keep": {"all"}, "lang": {""}}
	res, page = f.post(t, "/sources/test", form)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("test: %d\n%s", res.StatusCode, page)
	}
	checkNoInjection(t, "the test read", page, xssTitle, xssSingle, xssJS, xssData, "Текст "+xssScript+" "+xssAttr)
	f.src.tryErr, f.src.preview = errors.New("fetch: "+xssAttr), nil
	_, page = f.post(t, "/sources/test", form)
	checkNoInjection(t, "a failed test read", page, "fetch: "+xssAttr)

	// A hostile form's errors, shown again with what was typed.
	bad := url.Values{"id": {"Evil" + xssAttr}, "name": {xssTitle}, "url": {xssJS}, "type": {xssAttr}, "stance": {xssSingle},
		"every": {xssScript}, "keep": {"all"}, "lang": {xssAttr}, "item": {xssAttr}, "link": {xssSingle}}
	res, page = f.post(t, "/sources", bad)
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("a hostile form: %d, want 400", res.StatusCode)
	}
	checkNoInjection(t, "a hostile form", page, "is not a valid id", "is not an http(s) address", "is not a duration")

	// Saved, it is shown on the sources list and its own form.
	form.Set("url", "https://evil.example/rss?q="+url.QueryEscape(xssAttr))
	if res, page = f.post(t, "/sources", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving: %d\n%s", res.StatusCode, page)
	}
	_, page = f.get(t, "/sources")
	checkNoInjection(t, "the sources list", page, xssTitle, "fetch: GET ")
	_, page = f.get(t, "/sources?saved="+url.QueryEscape(xssAttr))
	checkNoInjection(t, "the sources list after a hostile notice", page)
	if _, page = f.get(t, "/sources?delete="+url.QueryEscape("all; log in again at phish.example")); strings.Contains(page, "log in again") {
		t.Errorf("the sources page says what a link of another site tells it:\n%s", page)
	}
	// The notice names the source by its (hostile) name, escaped.
	if _, page = f.get(t, "/sources?saved=evil"); !strings.Contains(page, "The source “Новости &lt;script&gt;") {
		t.Errorf("no notice of the source saved, by its name:\n%s", page)
	}
	res, page = f.get(t, "/sources/evil/edit")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("edit form: %d\n%s", res.StatusCode, page)
	}
	checkNoInjection(t, "the source's form", page)
	if !strings.Contains(page, `value="`+html.EscapeString(xssTitle)+`"`) && !strings.Contains(page, "value=\"Новости &lt;script&gt;") {
		t.Errorf("the source's form does not hold its name, escaped:\n%s", page)
	}
}

// hostileOPML is a feed reader's list whose titles, texts and addresses
// are hostile.
var hostileOPML = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>` + html.EscapeString(xssScript) + `</title></head><body>
<outline text="` + html.EscapeString(xssAttr) + `" title="` + html.EscapeString(xssSingle) + `">
  <outline type="rss" text="` + html.EscapeString(xssScript) + `" title="` + html.EscapeString(xssTitle) + `"
    xmlUrl="https://evil.example/rss?a=` + html.EscapeString(xssAttr) + `" htmlUrl="` + xssJS + `"/>
  <outline type="rss" text="` + html.EscapeString(xssAttr) + `" xmlUrl="` + xssJS + `" htmlUrl="https://evil.example/"/>
  <outline type="rss" text="data" xmlUrl="` + html.EscapeString(xssData) + `"/>
</outline>
<outline type="rss" title="Кавычки &quot; &amp; &lt;b&gt; ]]&gt; &apos;" xmlUrl="https://evil.example/q?x=&quot;&amp;y=&lt;b&gt;"/>
</body></opml>`

// A hostile OPML list's texts are shown as text on the import's page and
// the sources list; the export is well-formed XML whose attributes read
// back exactly as the sources hold them.
func TestOPMLHostileImportAndExport(t *testing.T) {
	f := newAttackFixture(t)
	res, page := f.upload(t, xssAttr+".opml", []byte(hostileOPML))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("import: %d\n%s", res.StatusCode, page)
	}
	checkNoInjection(t, "the import's page", page, xssTitle, xssJS, "From "+xssAttr+".opml: 2 sources added")
	_, page = f.get(t, "/sources")
	checkNoInjection(t, "the sources list", page, xssTitle, `Кавычки " & <b> ]]> '`)

	ws, err := f.st.WebSources(context.Background())
	if err != nil || len(ws) != 2 {
		t.Fatalf("web sources: %+v, %v", ws, err)
	}
	res, out := f.get(t, "/sources.opml")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export: %d\n%s", res.StatusCode, out)
	}
	// Well-formed: a strict decoder reads it to the end.
	d := xml.NewDecoder(strings.NewReader(out))
	d.Strict = true
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("the export is not well-formed XML: %v\n%s", err, out)
		}
	}
	// Every attribute reads back exactly.
	var doc struct {
		Outlines []struct {
			Text     string `xml:"text,attr"`
			Outlines []struct {
				Text   string `xml:"text,attr"`
				Title  string `xml:"title,attr"`
				XMLURL string `xml:"xmlUrl,attr"`
			} `xml:"outline"`
		} `xml:"body>outline"`
	}
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, cat := range doc.Outlines {
		for _, o := range cat.Outlines {
			if o.Text != o.Title {
				t.Errorf("text %q and title %q differ", o.Text, o.Title)
			}
			got[o.XMLURL] = o.Title + " in " + cat.Text
		}
	}
	want := map[string]string{attackSecretURL: xssTitle + " in unknown"}
	for _, si := range ws {
		want[si.URL] = si.Name + " in " + string(si.Stance)
	}
	if want["https://evil.example/rss?a="+xssAttr] != xssTitle+" in unknown" || want[`https://evil.example/q?x="&y=<b>`] != `Кавычки " & <b> ]]> ' in unknown` {
		t.Errorf("the import stored %v", want)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("exported %v\nwant     %v", got, want)
	}
	list, err := opml.Parse(strings.NewReader(out))
	if err != nil || len(list.Feeds) != 3 {
		t.Fatalf("the export read back: %+v, %v", list, err)
	}
}

// Counts on the sources pages read as English and Russian say them: 1
// item, 1 feed, 1 failed run; the sample's length counts characters.
func TestSourcesCountsPlural(t *testing.T) {
	f := newAttackFixture(t)
	f.src.preview = &crawler.Preview{URL: "https://x.example/sitemap.xml", Total: 1, New: 1, Children: 1,
		Items:  []crawler.PreviewItem{{Item: parse.Item{URL: "https://x.example/a", Title: "Суд"}}},
		Sample: &model.Document{URL: "https://x.example/a", Title: "Суд", Text: "Я"}}
	form := url.Values{"id": {"x"}, "name": {"X"}, "url": {"https://x.example/sitemap.xml"}, "type": {"sitemap"},
		"stance": {"unknown"}, "every": {"1h"}, "keep": {"all"}}
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"1 item announced, 1 of them new.", "The sitemap index names 1 sitemap; it was read.", "1 character extracted:"}},
		{"ru", []string{"Объявлено: 1 запись, из них новых: 1.", "Индекс карт сайта называет карт: 1", "Извлечено символов: 1."}},
	} {
		_, page := f.post(t, "/sources/test", form, "Accept-Language", tc.lang)
		for _, w := range tc.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: the test read does not say %q:\n%s", tc.lang, w, page)
			}
		}
	}
	f.src.preview.Total, f.src.preview.Children = 21, 2
	_, page := f.post(t, "/sources/test", form, "Accept-Language", "ru")
	if !strings.Contains(page, "Объявлено: 21 запись,") {
		t.Errorf("ru: 21 items:\n%s", page)
	}
	_, page = f.post(t, "/sources/test", form)
	if !strings.Contains(page, "21 items announced") || !strings.Contains(page, "names 2 sitemaps; the first was read.") {
		t.Errorf("en: 21 items, 2 sitemaps:\n%s", page)
	}

	if _, page := f.get(t, "/sources"); !strings.Contains(page, "(1 failed run)") {
		t.Errorf("one failed run:\n%s", page)
	}
	one := `<opml version="2.0"><body><outline type="rss" text="I" xmlUrl="https://intranet.example/other"/>` +
		`<outline type="rss" text="Known" xmlUrl="` + html.EscapeString(attackSecretURL) + `"/></body></opml>`
	if _, page := f.upload(t, "one.opml", []byte(one)); !strings.Contains(page, "From one.opml: 1 source added, 1 feed read already.") {
		t.Errorf("en: one added, one known:\n%s", page)
	}
	if err := f.st.RemoveWebSource(context.Background(), "intranet-example"); err != nil {
		t.Fatal(err)
	}
	if _, page := f.upload(t, "one.opml", []byte(one), "Accept-Language", "ru"); !strings.Contains(page, "Из one.opml: добавлено: 1 источник; уже читаются: 1 лента.") {
		t.Errorf("ru: one added, one known:\n%s", page)
	}
}

// logged is what the server has logged so far.
func (f *attackFixture) logged() string {
	f.lmu.Lock()
	defer f.lmu.Unlock()
	return f.log.String()
}

// noSecrets fails when text holds a credential of the test's addresses.
func noSecrets(t *testing.T, what, text string) {
	t.Helper()
	for _, secret := range []string{"s3cr3t", "t0ken", "reader:", "n3wpass"} {
		if strings.Contains(text, secret) {
			t.Errorf("%s shows the secret %q:\n%s", what, secret, text)
		}
	}
}

// inputValue is the value of the page's <input name=name>.
func inputValue(t *testing.T, page, name string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var val string
	var found bool
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "input" {
			var isIt bool
			var v string
			for _, a := range n.Attr {
				isIt = isIt || (a.Key == "name" && a.Val == name)
				if a.Key == "value" {
					v = a.Val
				}
			}
			if isIt && !found {
				val, found = v, true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if !found {
		t.Fatalf("no input %s on the page:\n%s", name, page)
	}
	return val
}

// A source address's credentials (user:password@, ?token=) are shown on
// no page of managing sources, are not logged, and are not lost: a form
// shown again says the address must be typed again with its secret, a
// saved source sent back unchanged keeps its address, and the OPML
// export, the file that moves the sources to another reader, keeps them.
func TestSourcesHideCredentialsEverywhere(t *testing.T) {
	f := newAttackFixture(t)
	ctx := context.Background()
	const secret = "https://reader:s3cr3t@feeds.example/rss?token=t0ken&lang=ru"
	const shown = "https://REDACTED@feeds.example/rss?token=REDACTED&lang=ru"
	form := url.Values{"id": {"private"}, "name": {"Private"}, "url": {secret}, "type": {"feed"},
		"stance": {"unknown"}, "every": {"soon"}, "keep": {"all"}}

	// A form with a mistake, shown again.
	res, page := f.post(t, "/sources", form)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "is not a duration") {
		t.Fatalf("a form with a bad interval: %d\n%s", res.StatusCode, page)
	}
	noSecrets(t, "the form shown again", page)
	if v := inputValue(t, page, "url"); v != shown {
		t.Errorf("the form shows the address %q, want %q", v, shown)
	}
	// Sent again as shown, the address lost its secret: it is refused.
	form.Set("every", "1h")
	form.Set("url", inputValue(t, page, "url"))
	res, page = f.post(t, "/sources", form)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "type the address again with it") {
		t.Fatalf("a redacted address saved: %d\n%s", res.StatusCode, page)
	}
	if _, err := f.st.Source(ctx, "private"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a redacted address was stored: %v", err)
	}
	res, page = f.post(t, "/sources", url.Values{"id": {"ftp"}, "url": {"ftp://reader:s3cr3t@feeds.example/"}, "type": {"feed"},
		"stance": {"unknown"}, "every": {"1h"}, "keep": {"all"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "ftp://REDACTED@feeds.example/") {
		t.Errorf("a bad address with a password: %d\n%s", res.StatusCode, page)
	}
	noSecrets(t, "a bad address's error", page)

	// Finding feeds on a site whose address holds a token.
	f.src.found = []FeedCandidate{{URL: secret, Title: "Private", Type: "rss", Items: 2},
		{URL: "https://feeds.example/other?api_key=t0ken", Err: "fetch: GET https://feeds.example/other?api_key=t0ken: 401"}}
	res, page = f.post(t, "/sources/find", url.Values{"site": {"https://reader:s3cr3t@feeds.example/?token=t0ken"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "api_key=REDACTED") {
		t.Errorf("find: %d\n%s", res.StatusCode, page)
	}
	noSecrets(t, "the feeds found", page)
	if got := f.src.sites; len(got) != 1 || got[0] != "https://reader:s3cr3t@feeds.example/?token=t0ken" {
		t.Errorf("feeds were looked for on %q, want the address typed", got)
	}
	_, page = f.post(t, "/sources/find", url.Values{"site": {"gopher://reader:s3cr3t@feeds.example/"}})
	noSecrets(t, "a bad site's error", page)

	// The test read: the address read is the one typed; none is shown.
	f.src.preview = &crawler.Preview{URL: secret, Title: "Private", Total: 1, New: 1,
		Items:     []crawler.PreviewItem{{Item: parse.Item{URL: "https://feeds.example/a?session=t0ken", Title: "A"}}},
		Sample:    &model.Document{URL: "https://feeds.example/a?session=t0ken", Title: "A", Text: "Текст."},
		SampleErr: errors.New("fetch: GET https://reader:s3cr3t@feeds.example/a: 500")}
	form.Set("url", secret)
	res, page = f.post(t, "/sources/test", form)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "session=REDACTED") {
		t.Errorf("test: %d\n%s", res.StatusCode, page)
	}
	noSecrets(t, "the test read", page)
	if tried := f.src.tried; len(tried) != 1 || tried[0].URL != secret {
		t.Errorf("the test read %+v, want the address typed", tried)
	}
	f.src.preview, f.src.tryErr = nil, errors.New("crawler: private: fetch: GET "+secret+": connection refused")
	_, page = f.post(t, "/sources/test", form)
	noSecrets(t, "a failed test read", page)

	// Saved, the source's own form shows it redacted, and saving that form
	// keeps the address stored.
	if res, page = f.post(t, "/sources", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving: %d\n%s", res.StatusCode, page)
	}
	for _, path := range []string{"/sources", "/sources/private/edit", "/api/sources"} {
		_, page = f.get(t, path)
		noSecrets(t, path, page)
	}
	_, page = f.get(t, "/sources/private/edit")
	edit := url.Values{"id": {"private"}, "name": {"Private, renamed"}, "url": {inputValue(t, page, "url")}, "type": {"feed"},
		"stance": {"unknown"}, "every": {"2h"}, "keep": {"all"}}
	if edit.Get("url") != shown {
		t.Errorf("the source's form shows %q, want %q", edit.Get("url"), shown)
	}
	f.src.tried, f.src.tryErr, f.src.preview = nil, nil, &crawler.Preview{URL: secret}
	edit.Set("editing", "private")
	f.post(t, "/sources/test", edit)
	if tried := f.src.tried; len(tried) != 1 || tried[0].URL != secret {
		t.Errorf("testing the form sent back read %+v, want the stored address", tried)
	}
	edit.Del("editing")
	if res, page = f.post(t, "/sources/private", edit); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the form sent back: %d\n%s", res.StatusCode, page)
	}
	if si, err := f.st.Source(ctx, "private"); err != nil || si.URL != secret || si.Name != "Private, renamed" {
		t.Fatalf("saved %+v, %v; want the stored address kept", si, err)
	}
	// A changed address with the mark left in it is refused; a new secret
	// is taken.
	edit.Set("url", "https://REDACTED@feeds.example/other?token=REDACTED")
	if res, page = f.post(t, "/sources/private", edit); res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "type the address again") {
		t.Errorf("a changed redacted address: %d\n%s", res.StatusCode, page)
	}
	edit.Set("url", "https://reader:n3wpass@feeds.example/rss")
	if res, _ = f.post(t, "/sources/private", edit); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a new password: %d", res.StatusCode)
	}
	if si, err := f.st.Source(ctx, "private"); err != nil || si.URL != "https://reader:n3wpass@feeds.example/rss" {
		t.Errorf("saved %+v, %v; want the new address", si, err)
	}

	// An OPML list: the page shows the feeds added, known and refused
	// redacted; the export keeps the credentials, as a download not stored.
	list := `<opml version="2.0"><body>
<outline type="rss" text="New" xmlUrl="https://reader:s3cr3t@other.example/rss?key=t0ken"/>
<outline type="rss" text="Known" xmlUrl="` + html.EscapeString(attackSecretURL) + `"/>
<outline type="rss" text="Again" xmlUrl="https://reader:s3cr3t@other.example/rss?key=t0ken"/>
<outline type="rss" text="Bad" xmlUrl="feed://reader:s3cr3t@other.example/"/>
</body></opml>`
	res, page = f.upload(t, "private.opml", []byte(list))
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "https://REDACTED@other.example/rss?key=REDACTED") ||
		!strings.Contains(page, "https://REDACTED@intranet.example/feed.xml?token=REDACTED&amp;lang=ru") {
		t.Errorf("import: %d\n%s", res.StatusCode, page)
	}
	noSecrets(t, "the import's page", page)
	res, out := f.get(t, "/sources.opml")
	if !strings.Contains(out, `xmlUrl="https://reader:s3cr3t@other.example/rss?key=t0ken"`) ||
		!strings.Contains(out, `xmlUrl="https://reader:s3cr3t@intranet.example/feed.xml?token=t0ken&amp;lang=ru"`) {
		t.Errorf("the export lost the addresses' credentials:\n%s", out)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the export's Cache-Control is %q, want no-store", cc)
	}

	noSecrets(t, "the log", f.logged())
	if !strings.Contains(f.logged(), "source saved from the web UI") {
		t.Errorf("the log holds no change:\n%s", f.logged())
	}
}

// feedsOPML is a list of n feeds, all on one host.
func feedsOPML(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><body>`)
	for i := range n {
		fmt.Fprintf(&b, "<outline type=\"rss\" text=\"Section %d\" xmlUrl=\"https://one.example/section/%d.rss\"/>\n", i, i)
	}
	b.WriteString(`</body></opml>`)
	return b.Bytes()
}

// A long OPML list adds at most maxOPMLSources sources, each at its
// hourly interval, none run now: their first runs are spread, at once
// for the first and at most maxOPMLRunGap apart, a list of 500 over the
// hour of their interval, instead of all falling due within seconds.
func TestOPMLLongListIsSpread(t *testing.T) {
	f := newAttackFixture(t)
	res, page := f.upload(t, "long.opml", feedsOPML(maxOPMLSources+10))
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "From long.opml: 500 sources added, 0 feeds read already.") ||
		!strings.Contains(page, "10 more feeds were left out: one import adds at most 500.") {
		t.Fatalf("import: %d\n%s", res.StatusCode, page)
	}
	fs := f.src.fakeSources
	if len(fs.runs) != 0 || len(fs.scheduled) != maxOPMLSources || len(fs.firstRuns) != maxOPMLSources {
		t.Fatalf("the import ran %d sources now and scheduled %d (%d with a first run), want 0 and %d",
			len(fs.runs), len(fs.scheduled), len(fs.firstRuns), maxOPMLSources)
	}
	for i, s := range fs.scheduled {
		if !strings.HasSuffix(s, " 1h0m0s") {
			t.Fatalf("source %d is scheduled as %q, want every hour", i, s)
		}
	}
	gap := time.Hour / maxOPMLSources // 7.2 s
	for i, first := range fs.firstRuns {
		if want := topicsNow.Add(time.Duration(i) * gap); !first.Equal(want) {
			t.Fatalf("source %d runs first at %s, want %s (%s apart)", i, first, want, gap)
		}
	}
	if last := fs.firstRuns[len(fs.firstRuns)-1]; !last.Before(topicsNow.Add(time.Hour)) {
		t.Errorf("the last first run is at %s, after the hour", last)
	}

	// A short list is read at most maxOPMLRunGap apart.
	g := newAttackFixture(t)
	g.upload(t, "short.opml", feedsOPML(3))
	if got := g.src.fakeSources.firstRuns; len(got) != 3 || !got[0].Equal(topicsNow) || got[2].Sub(got[1]) != maxOPMLRunGap {
		t.Errorf("a list of 3 first runs at %v, want from now %s apart", got, maxOPMLRunGap)
	}
}

// An OPML file over the caps is refused with a sentence naming the cap,
// and adds nothing.
func TestOPMLCaps(t *testing.T) {
	f := newAttackFixture(t)
	tooMany := bytes.Repeat([]byte(`<outline text="c"/>`), opml.MaxOutlines+1)
	for name, tc := range map[string]struct {
		file []byte
		want string
	}{
		"more outlines than the cap": {append(append([]byte(`<opml version="2.0"><body>`), tooMany...), "</body></opml>"...),
			fmt.Sprintf("big.opml cannot be imported: opml: file too large: more than %d outlines", opml.MaxOutlines)},
		"just over the size cap": {append(feedsOPML(1), bytes.Repeat([]byte(" "), opml.MaxBytes)...),
			"big.opml cannot be imported: opml: file too large: larger than the 8 MiB cap"},
		"far over the size cap": {bytes.Repeat([]byte(" "), opml.MaxBytes+1<<20), "The file is larger than 8 MiB."},
	} {
		t.Run(name, func(t *testing.T) {
			res, page := f.upload(t, "big.opml", tc.file)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, tc.want) {
				t.Errorf("%d, want 400 saying %q:\n%.2000s", res.StatusCode, tc.want, page)
			}
		})
	}
	if ws, err := f.st.WebSources(context.Background()); err != nil || len(ws) != 0 {
		t.Errorf("the refused files added %d sources, %v", len(ws), err)
	}
}

// On a data folder that cannot be written (serve --no-crawl on a
// read-only folder) the sources page offers no change and says why,
// naming the folder, and every change is refused with that reason.
func TestSourcesReadOnlyFolder(t *testing.T) {
	f := newAttackFixture(t)
	if err := f.st.SaveWebSource(context.Background(), model.Source{ID: "web-feed", Name: "Web feed", Type: model.SourceFeed,
		URL: "https://web.example/rss", Stance: model.StanceUnknown, Every: time.Hour, Keep: model.KeepAll}); err != nil {
		t.Fatal(err)
	}
	const why = "data folder /srv/presswatch is read-only (presswatch.db: read-only file system)"
	f.src.fakeSources.readOnly = errors.New(why)
	res, page := f.get(t, "/sources")
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "Sources cannot be changed here: "+why+".") {
		t.Errorf("the sources page does not say why it offers no change: %d\n%s", res.StatusCode, page)
	}
	for _, offer := range []string{`action="/sources/opml"`, `href="/sources/new"`, `href="/import"`, `/pause"`, `/run"`, `/delete"`, `/edit"`} {
		if strings.Contains(page, offer) {
			t.Errorf("the sources page offers %s on a read-only folder", offer)
		}
	}
	for _, tc := range []struct{ method, path string }{
		{"GET", "/sources/new"}, {"GET", "/sources/web-feed/edit"}, {"POST", "/sources"}, {"POST", "/sources/find"},
		{"POST", "/sources/test"}, {"POST", "/sources/web-feed"}, {"POST", "/sources/web-feed/pause"},
		{"POST", "/sources/intranet/run"}, {"POST", "/sources/web-feed/delete"},
	} {
		var res *http.Response
		var page string
		if tc.method == "GET" {
			res, page = f.get(t, tc.path)
		} else {
			res, page = f.post(t, tc.path, newSourceForm)
		}
		if res.StatusCode != http.StatusForbidden || !strings.Contains(page, why) {
			t.Errorf("%s %s: %d, want 403 naming the folder\n%.300s", tc.method, tc.path, res.StatusCode, page)
		}
	}
	if res, page := f.upload(t, "feeds.opml", feedsOPML(2)); res.StatusCode != http.StatusForbidden || !strings.Contains(page, why) {
		t.Errorf("OPML import: %d, want 403 naming the folder\n%.300s", res.StatusCode, page)
	}
	if res, _ := f.get(t, "/sources.opml"); res.StatusCode != http.StatusOK {
		t.Errorf("the OPML export, which reads only: %d", res.StatusCode)
	}
	if n := len(f.src.fakeSources.scheduled) + len(f.src.fakeSources.runs); n != 0 {
		t.Errorf("%d changes went through", n)
	}
}

// A source's name is plain text on one line: the form refuses a control
// character (it would reach a terminal through `presswatch sources`, and
// the OPML export could not hold it), an OPML title's line breaks, tabs
// and C1 codes become spaces; so the export reads back exactly.
func TestSourceNamesArePlainText(t *testing.T) {
	f := newAttackFixture(t)
	for name, code := range map[string]string{"A\x01B": "U+0001", "Red\x1b[31m": "U+001B", "Next\u0085line": "U+0085", "Two\nlines": "U+000A"} {
		form := url.Values{"id": {"ctl"}, "name": {name}, "url": {"https://ctl.example/rss"}, "type": {"feed"},
			"stance": {"unknown"}, "every": {"1h"}, "keep": {"all"}}
		res, page := f.post(t, "/sources", form)
		if want := "The name holds a control character (" + code + "): write it as plain text."; res.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(page), want) {
			t.Errorf("name %q: %d, want 400 saying %q", name, res.StatusCode, want)
		}
	}
	list := `<opml version="2.0"><body><outline type="rss" title="Line&#10;break&#9;tab&#x85;next  end " xmlUrl="https://ctl.example/rss"/></body></opml>`
	if res, page := f.upload(t, "ctl.opml", []byte(list)); res.StatusCode != http.StatusOK || !strings.Contains(page, "1 source added") {
		t.Fatalf("import: %d\n%s", res.StatusCode, page)
	}
	si, err := f.st.Source(context.Background(), "ctl-example")
	if err != nil || si.Name != "Line break tab next end" {
		t.Fatalf("imported %+v, %v; want the title on one line", si, err)
	}
	_, out := f.get(t, "/sources.opml")
	back, err := opml.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range back.Feeds {
		if fd.FeedURL == si.URL && fd.Title != si.Name {
			t.Errorf("exported %q, want %q", fd.Title, si.Name)
		}
	}
}
