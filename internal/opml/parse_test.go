package opml

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
)

func TestParseExports(t *testing.T) {
	tests := map[string]struct {
		file    string
		title   string
		feeds   []Feed
		skipped []Skipped
	}{
		"Miniflux 2.0 export with categories": {
			file:  "miniflux.opml",
			title: "Miniflux",
			feeds: []Feed{
				{Title: "Азаттык Азия", FeedURL: "https://rus.azattyq.org/api/zrqiteuuir", SiteURL: "https://rus.azattyq.org/", Category: "Kazakhstan"},
				{Title: "Vlast.kz", FeedURL: "https://vlast.kz/rss.xml", SiteURL: "https://vlast.kz/", Category: "Kazakhstan"},
				{Title: "RFE/RL: Central Asia", FeedURL: "https://www.rferl.org/api/zpqove$ivm", SiteURL: "https://www.rferl.org/z/692", Category: "International"},
				{Title: "Eurasianet & partners", FeedURL: "https://eurasianet.org/rss.xml?section=kazakhstan&lang=en", SiteURL: "https://eurasianet.org/", Category: "International"},
			},
		},
		"Feedly 1.0 export, a feed:// URL refused": {
			file:  "feedly.opml",
			title: "Anna subscriptions in feedly Cloud",
			feeds: []Feed{
				{Title: "Meduza", FeedURL: "https://meduza.io/rss/all", SiteURL: "https://meduza.io/", Category: "Press"},
				{Title: "The Guardian <Asia>", FeedURL: "https://www.theguardian.com/world/asia/rss", SiteURL: "https://www.theguardian.com/world/asia", Category: "Press"},
				{Title: "registan", FeedURL: "http://registan.net/feed/", SiteURL: "http://registan.net", Category: "Blogs"},
				{Title: "Hacker News", FeedURL: "https://news.ycombinator.com/rss", SiteURL: "https://news.ycombinator.com/"},
			},
			skipped: []Skipped{
				{Line: 14, Outline: "Podcast", Reason: `xmlUrl "feed://example.org/podcast.xml" is not an absolute http(s) URL`},
			},
		},
		"RSSOwl 1.1 export, nested categories flattened": {
			file:  "rssowl-nested.opml",
			title: "RSSOwl Subscriptions",
			feeds: []Feed{
				{Title: "Lada.kz", FeedURL: "https://www.lada.kz/rss.xml", SiteURL: "https://www.lada.kz/", Category: "Mangystau"},
				{Title: "Tengrinews", FeedURL: "https://tengrinews.kz/news.rss", Category: "My Feeds"},
			},
			skipped: []Skipped{
				{Line: 11, Outline: "Lada.kz again", Reason: "repeats the xmlUrl of line 10"},
				{Line: 14, Outline: "Saved searches", Reason: "no xmlUrl"},
				{Line: 15, Outline: "A bookmark", Reason: "no xmlUrl"},
			},
		},
		"windows-1251 declared in the XML header": {
			file:  "windows-1251.opml",
			title: "Подписки",
			feeds: []Feed{
				{Title: "Жанаозен — хроника", FeedURL: "https://example.kz/zhanaozen.rss", SiteURL: "https://example.kz/", Category: "Новости"},
				{Title: "Казахстанская правда", FeedURL: "https://kazpravda.kz/rss/", Category: "Новости"},
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open("testdata/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			l, err := Parse(f)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if l.Title != tc.title {
				t.Errorf("title %q, want %q", l.Title, tc.title)
			}
			if !reflect.DeepEqual(l.Feeds, tc.feeds) {
				t.Errorf("feeds\n%+v\nwant\n%+v", l.Feeds, tc.feeds)
			}
			if !reflect.DeepEqual(l.Skipped, tc.skipped) {
				t.Errorf("skipped\n%+v\nwant\n%+v", l.Skipped, tc.skipped)
			}
		})
	}
}

// opmlBody wraps outlines in a minimal OPML 2.0 file.
func opmlBody(outlines string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><head><title>t</title></head><body>` + outlines + `</body></opml>`
}

func TestParseLenient(t *testing.T) {
	tests := map[string]struct {
		in   string
		want []Feed
	}{
		"a bare & in a URL, as Miniflux accepts": {
			in:   opmlBody(`<outline title="A" xmlUrl="http://example.org/feed?a=1&b=2"/>`),
			want: []Feed{{Title: "A", FeedURL: "http://example.org/feed?a=1&b=2"}},
		},
		"HTML entities in a title": {
			in:   opmlBody(`<outline title="A&nbsp;&mdash;&nbsp;B" xmlUrl="http://example.org/f"/>`),
			want: []Feed{{Title: "A\u00a0—\u00a0B", FeedURL: "http://example.org/f"}},
		},
		"title falls back to text, htmlUrl, xmlUrl": {
			in: opmlBody(`<outline text="T" xmlUrl="http://example.org/1"/>` +
				`<outline htmlUrl="http://example.org/" xmlUrl="http://example.org/2"/>` +
				`<outline xmlUrl="http://example.org/3"/>`),
			want: []Feed{
				{Title: "T", FeedURL: "http://example.org/1"},
				{Title: "http://example.org/", FeedURL: "http://example.org/2", SiteURL: "http://example.org/"},
				{Title: "http://example.org/3", FeedURL: "http://example.org/3"},
			},
		},
		"an htmlUrl that is no http(s) URL is dropped": {
			in:   opmlBody(`<outline text="X" xmlUrl="https://example.org/f" htmlUrl="javascript:alert(1)"/>`),
			want: []Feed{{Title: "X", FeedURL: "https://example.org/f"}},
		},
		"attribute names in other cases, values trimmed": {
			in:   opmlBody(`<outline TEXT=" X " xmlurl=" https://example.org/f " HTMLURL="https://example.org/"/>`),
			want: []Feed{{Title: "X", FeedURL: "https://example.org/f", SiteURL: "https://example.org/"}},
		},
		"a category without a name passes on its parent's": {
			in:   opmlBody(`<outline text="News"><outline><outline text="X" xmlUrl="https://example.org/f"/></outline></outline>`),
			want: []Feed{{Title: "X", FeedURL: "https://example.org/f", Category: "News"}},
		},
		"a category named by its title when it has no text": {
			in:   opmlBody(`<outline title="News"><outline text="X" xmlUrl="https://example.org/f"/></outline>`),
			want: []Feed{{Title: "X", FeedURL: "https://example.org/f", Category: "News"}},
		},
		"a UTF-8 byte-order mark": {
			in:   "\xef\xbb\xbf" + opmlBody(`<outline text="X" xmlUrl="https://example.org/f"/>`),
			want: []Feed{{Title: "X", FeedURL: "https://example.org/f"}},
		},
		"an empty body": {
			in: opmlBody(""),
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			l, err := Parse(strings.NewReader(tc.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(l.Feeds, tc.want) {
				t.Errorf("feeds\n%+v\nwant\n%+v", l.Feeds, tc.want)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	many := strings.Repeat(`<outline text="x" xmlUrl="https://example.org/f"/>`, MaxOutlines+1)
	deep := strings.Repeat(`<outline text="c">`, MaxDepth+1) + strings.Repeat(`</outline>`, MaxDepth+1)
	tests := map[string]struct {
		in   string
		is   error
		want string
	}{
		"not XML":          {in: "just some words", is: ErrNotOPML, want: "opml: not an OPML file: no root element, so not XML"},
		"empty":            {in: "", is: ErrNotOPML, want: "no root element"},
		"JSON":             {in: `{"feeds": []}`, is: ErrNotOPML, want: "no root element"},
		"a feed, not OPML": {in: `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`, is: ErrNotOPML, want: "the root element is <rss>, not <opml>"},
		"an HTML page":     {in: `<!DOCTYPE html><html><body>hi</body></html>`, is: ErrNotOPML, want: "the root element is <html>, not <opml>"},
		"no body":          {in: `<opml version="2.0"><head><title>t</title></head></opml>`, is: ErrNotOPML, want: "opml: not an OPML file: <opml> has no <body>"},
		"broken XML":       {in: `<opml version="2.0"><body><outline text="a" xmlUrl="http://x/"`, is: ErrNotOPML, want: "not XML: XML syntax error"},
		"unknown charset":  {in: `<?xml version="1.0" encoding="x-no-such"?><opml><body/></opml>`, is: ErrNotOPML, want: `opml: not an OPML file: the XML declaration names an unknown encoding "x-no-such"`},
		"too many outlines": {
			in: opmlBody(many), is: ErrTooLarge, want: fmt.Sprintf("opml: file too large: more than %d outlines", MaxOutlines),
		},
		"nested too deep": {
			in: opmlBody(deep), is: ErrTooLarge, want: fmt.Sprintf("nested more than %d deep", MaxDepth),
		},
		"larger than MaxBytes": {
			in: opmlBody(strings.Repeat(" ", MaxBytes)), is: ErrTooLarge, want: "opml: file too large: larger than the 8 MiB cap",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			l, err := Parse(strings.NewReader(tc.in))
			if err == nil {
				t.Fatalf("Parse gave %+v, want an error", l)
			}
			if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want %v containing %q", err, tc.is, tc.want)
			}
		})
	}
}

// TestParseNoEntities holds that a DOCTYPE declaring external and
// recursive entities is read without fetching or expanding anything:
// encoding/xml skips the DTD, and an entity it does not know is left as
// text in lenient mode.
func TestParseNoEntities(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte("SECRET"))
	}))
	defer srv.Close()
	in := `<?xml version="1.0"?>
<!DOCTYPE opml [
  <!ENTITY net SYSTEM "` + srv.URL + `/entity">
  <!ENTITY file SYSTEM "file:///etc/hostname">
  <!ENTITY lol "lollollollollollollollollollol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<opml version="2.0"><head><title>&net;</title></head><body>
<outline text="&file;" xmlUrl="https://example.org/f"/>
<outline text="&lol3;" xmlUrl="https://example.org/g"/>
</body></opml>`
	l, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if hits.Load() != 0 {
		t.Errorf("the external entity was fetched %d times", hits.Load())
	}
	want := []Feed{{Title: "&file;", FeedURL: "https://example.org/f"}, {Title: "&lol3;", FeedURL: "https://example.org/g"}}
	if l.Title != "&net;" || !reflect.DeepEqual(l.Feeds, want) {
		t.Errorf("title %q, feeds %+v: want entities left as text", l.Title, l.Feeds)
	}
}

func TestSkippedString(t *testing.T) {
	s := Skipped{Line: 3, Outline: "Podcast", Reason: "no xmlUrl"}
	if got, want := s.String(), `line 3: outline "Podcast": no xmlUrl`; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	s.Outline = ""
	if got, want := s.String(), `line 3: outline: no xmlUrl`; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
