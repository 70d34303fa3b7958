package parse

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"

	"github.com/mmcdole/gofeed"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// kindOf returns the model.ErrorKind of err, or "" if it carries none.
func kindOf(err error) model.ErrorKind {
	var me *model.Error
	if errors.As(err, &me) {
		return me.Kind
	}
	return ""
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestFeedRealFeeds(t *testing.T) {
	tests := map[string]struct {
		file, title, lang string
		count             int
		first             Item   // URL, Title, Author, Published compared
		summaryHas        string // in the first item's Summary or Content
	}{
		"RSS 2.0 in UTF-8, right-to-left (BBC Urdu)": {
			file: "rss20_bbc_urdu.xml", title: "BBC News اردو - پاکستان کے لیے امریکی امداد کی بہار و خزاں", lang: "ur", count: 26,
			first:      Item{URL: "http://www.bbc.com/urdu/pakistan-42575603", Title: "امریکی عسکری امداد کی بندش کی وجوہات: انڈیا سے جنگ، جوہری پروگرام اور اب دہشت گردوں کی پشت پناہی", Published: date("2018-01-05T16:51:00Z")},
			summaryHas: "عسکری امداد",
		},
		"Atom 1.0 (GitHub commits)": {
			file: "atom10_github_commits.xml", title: "Recent Commits to v2:main", lang: "en-us", count: 20,
			first:      Item{URL: "https://github.com/miniflux/v2/commit/6d97f8b4582414b6ce69467656824690057d4793", Title: "Parse podcast categories", Author: "fguillot", Published: date("2024-03-12T05:30:27Z")},
			summaryHas: "Parse podcast categories",
		},
		"RSS 0.90 RDF without dates (heise)": {
			file: "rss090_rdf_heise.xml", title: "heise online News", count: 60,
			first:      Item{URL: "https://www.heise.de/newsticker/meldung/OLED-TVs-Vorsichtsmassnahmen-gegen-Einbrennen-4205274.html?wt_mc=rss.ho.beitrag.rdf", Title: "OLED-TVs: Vorsichtsmaßnahmen gegen Einbrennen"},
			summaryHas: "OLED-Fernseher",
		},
		"RSS 2.0 in windows-1251": {
			file: "rss20_windows-1251.xml", title: "iBash.Org.Ru", lang: "ru", count: 50,
			first:      Item{URL: "http://ibash.org.ru/quote.php?id=17703", Title: "Цитата #17703", Published: date("2018-03-21T07:27:32Z")},
			summaryHas: "жаба программер",
		},
		"RSS 2.0 in KOI8-R": {
			file: "rss20_koi8-r.xml", title: "Пример RSS ленты", lang: "ru", count: 2,
			first:      Item{URL: "http://example.com/post1", Title: "Первая новость", Published: date("2026-02-15T10:00:00Z")},
			summaryHas: "Ёжик, чай, Москва",
		},
		"JSON Feed 1.0": {
			file: "jsonfeed10.json", title: "title", count: 1,
			first:      Item{URL: "https://sample-json-feed.com/id", Title: "title", Author: "author_name", Published: date("2019-10-12T07:20:50.52Z")},
			summaryHas: "content_html",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			l, err := Feed(readTestdata(t, tt.file), "https://feeds.example.org/feed")
			if err != nil {
				t.Fatal(err)
			}
			if l.Title != tt.title || l.Lang != tt.lang || len(l.Items) != tt.count {
				t.Fatalf("got title %q lang %q, %d items; want %q, %q, %d", l.Title, l.Lang, len(l.Items), tt.title, tt.lang, tt.count)
			}
			got := l.Items[0]
			if got.URL != tt.first.URL || got.Title != tt.first.Title || got.Author != tt.first.Author || !got.Published.Equal(tt.first.Published) {
				t.Errorf("first item:\n got %q %q %q %v\nwant %q %q %q %v", got.URL, got.Title, got.Author, got.Published,
					tt.first.URL, tt.first.Title, tt.first.Author, tt.first.Published)
			}
			if !strings.Contains(got.Summary+got.Content, tt.summaryHas) {
				t.Errorf("first item summary %q, content %q: no %q", got.Summary, got.Content, tt.summaryHas)
			}
			if got.Lang != l.Lang {
				t.Errorf("item lang %q, feed lang %q", got.Lang, l.Lang)
			}
		})
	}
}

func TestFeedNotAFeed(t *testing.T) {
	const u = "https://example.org/feed"
	tests := map[string]struct {
		body string
		kind model.ErrorKind
		msg  string // the whole message, or a part of it after "..."
	}{
		"HTML error page":  {"<!DOCTYPE html>\n<html><head><title>404</title></head><body>Not found</body></html>", model.ErrNotFeed, "parse: feed " + u + ": not a feed: looks like an HTML page"},
		"HTML without doc": {"  <head><meta charset=utf-8><title>Login</title></head>", model.ErrNotFeed, "...looks like an HTML page"},
		"empty body":       {"", model.ErrNotFeed, "...not a feed: empty body"},
		"a sitemap":        {`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>`, model.ErrNotFeed, "...XML root element <urlset> is not RSS, RDF or Atom"},
		"JSON API answer":  {`{"error": "rate limited"}`, model.ErrNotFeed, "...JSON but not a JSON Feed"},
		"plain text":       {"Service Unavailable", model.ErrNotFeed, "...neither XML nor JSON"},
		"broken JSON Feed": {`{"version": "https://jsonfeed.org/version/1", "items": [`, model.ErrParse, "parse: feed " + u + ": "},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			l, err := Feed([]byte(tt.body), u)
			if err == nil {
				t.Fatalf("got %d items, want error", len(l.Items))
			}
			if kindOf(err) != tt.kind {
				t.Errorf("kind %q, want %q (%v)", kindOf(err), tt.kind, err)
			}
			if want, ok := strings.CutPrefix(tt.msg, "..."); ok {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			} else if !strings.HasPrefix(err.Error(), tt.msg) {
				t.Errorf("error %q, want %q", err, tt.msg)
			}
		})
	}
}

func TestFeedItems(t *testing.T) {
	body := `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Campaign &amp; <b>news</b></title><language>EN_gb</language>
<item><title>Relative &lt;em&gt;link&lt;/em&gt;</title><link>/articles/one.html#comments</link>
  <dc:creator>admin</dc:creator><pubDate>Thu, 12 Jan 2012 10:00:00 +0600</pubDate>
  <description>&lt;p&gt;First &lt;b&gt;para&lt;/b&gt;.&lt;/p&gt;&lt;script&gt;evil()&lt;/script&gt;&lt;p&gt;Second.&lt;/p&gt;</description></item>
<item><title>Link only in guid</title><guid>https://campaign.example/articles/two.html</guid></item>
<item><title>No link at all</title><guid isPermaLink="false">tag:campaign.example,2012:3</guid></item>
<item><title>Same link again</title><link>https://campaign.example/articles/one.html</link></item>
<item><title>Not http</title><link>mailto:admin@campaign.example</link></item>
<item><title>Russian</title><link>https://campaign.example/ru/</link><dc:language>ru</dc:language></item>
</channel></rss>`
	l, err := Feed([]byte(body), "https://campaign.example/feed.rss")
	if err != nil {
		t.Fatal(err)
	}
	if l.Title != "Campaign & news" || l.Lang != "en-gb" {
		t.Errorf("listing title %q lang %q", l.Title, l.Lang)
	}
	var got []string
	for _, it := range l.Items {
		got = append(got, fmt.Sprintf("%s|%s|%s|%s", it.URL, it.Title, it.Author, it.Lang))
	}
	want := []string{
		"https://campaign.example/articles/one.html|Relative link|admin|en-gb",
		"https://campaign.example/articles/two.html|Link only in guid||en-gb",
		"https://campaign.example/ru/|Russian||ru",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("items:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s := l.Items[0].Summary; s != "First para.\nSecond." {
		t.Errorf("summary %q", s)
	}
	if p := l.Items[0].Published; p.Format(time.RFC3339) != "2012-01-12T10:00:00+06:00" {
		t.Errorf("published %v, want 2012-01-12 10:00 in the feed's +06:00", p)
	}
}

func TestFeedMaxItems(t *testing.T) {
	l, err := Feed(syntheticFeed(MaxItems+500), "https://campaign.example/feed.rss")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Items) != MaxItems {
		t.Fatalf("%d items, want MaxItems = %d", len(l.Items), MaxItems)
	}
	if l.Items[0].URL != "https://campaign.example/articles/0.html" {
		t.Errorf("first item %q: the feed's first items must be kept", l.Items[0].URL)
	}
}

// syntheticFeed builds an RSS 2.0 feed of n items, newest first.
func syntheticFeed(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Campaign Kazakhstan</title><language>en</language>`)
	start := date("2012-01-12T10:00:00Z")
	for i := range n {
		fmt.Fprintf(&b, `<item><title>Zhanaozen report %d</title><link>/articles/%d.html</link><guid>https://campaign.example/articles/%d.html</guid>`+
			`<pubDate>%s</pubDate><description><![CDATA[<p>Striking oil workers in <b>Zhanaozen</b>, part %d.</p>]]></description></item>`,
			i, i, i, start.Add(-time.Duration(i)*time.Hour).Format(time.RFC1123Z), i)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

// BenchmarkFeed parses a 50-item RSS feed with Feed and, as the baseline
// in the same run, with gofeed alone, which Feed builds on.
func BenchmarkFeed(b *testing.B) {
	body := syntheticFeed(50)
	b.Run("presswatch", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Feed(body, "https://campaign.example/feed.rss"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gofeed", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := gofeed.NewParser().Parse(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestFeedDatesKeepTheirOffset(t *testing.T) {
	for _, tc := range []struct{ feed, want string }{
		{`<rss version="2.0"><channel><title>t</title><item><title>x</title><link>http://a.example/b</link><pubDate>Fri, 16 Dec 2011 03:00:00 +0600</pubDate></item></channel></rss>`,
			"2011-12-16T03:00:00+06:00"},
		{`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>x</title><link href="http://a.example/b"/><published>2011-12-16T03:00:00+06:00</published></entry></feed>`,
			"2011-12-16T03:00:00+06:00"},
		{`<rss version="2.0"><channel><title>t</title><item><title>x</title><link>http://a.example/b</link><pubDate>Fri, 16 Dec 2011 03:00:00 GMT</pubDate></item></channel></rss>`,
			"2011-12-16T03:00:00Z"},
	} {
		l, err := Feed([]byte(tc.feed), "http://a.example/")
		if err != nil || len(l.Items) != 1 {
			t.Fatalf("%v %v", l, err)
		}
		if got := l.Items[0].Published.Format(time.RFC3339); got != tc.want {
			t.Errorf("published %s, want %s", got, tc.want)
		}
	}
}
