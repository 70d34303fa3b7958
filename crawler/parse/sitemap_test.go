package parse

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"presswatch/internal/model"
)

func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSitemapNews(t *testing.T) {
	plain := readTestdata(t, "sitemap_news.xml")
	for name, body := range map[string][]byte{"plain": plain, "gzipped": gz(t, plain)} {
		t.Run(name, func(t *testing.T) {
			l, err := Sitemap(body, "https://news.example.kz/sitemap-news.xml")
			if err != nil {
				t.Fatal(err)
			}
			if l.Title != "Вестник Степи" || len(l.Children) != 0 {
				t.Errorf("title %q, children %v", l.Title, l.Children)
			}
			var got []string
			for _, it := range l.Items {
				got = append(got, fmt.Sprintf("%s|%s|%s|%s|%s", it.URL, it.Title, it.Lang, it.Published.Format(time.RFC3339), it.Updated.Format(time.RFC3339)))
			}
			want := []string{
				// publication_date is the published date, with its own offset; lastmod is only Updated
				"https://news.example.kz/ru/2011/12/17/zhanaozen-poryadok.html|В Жанаозене восстановлен порядок|ru|2011-12-17T12:30:00+06:00|" + updatedOf(l, 0),
				// a relative loc resolves against the sitemap's URL
				"https://news.example.kz/en/2011/12/16/zhanaozen-clashes.html|Clashes in Zhanaozen on Independence Day|en|2011-12-16T00:00:00Z|" + updatedOf(l, 1),
				// a plain entry: lastmod only, which is not a publication date; the repeated URL and the javascript: one are dropped
				"https://news.example.kz/kk/2011/12/20/zhanaozen.html|||0001-01-01T00:00:00Z|2011-12-20T15:04:00Z",
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("items:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func TestSitemapIndex(t *testing.T) {
	l, err := Sitemap(readTestdata(t, "sitemap_index.xml"), "https://news.example.kz/sitemap_index.xml")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"https://news.example.kz/sitemap-news.xml", "https://news.example.kz/sitemap-posts-2011-12.xml.gz"}
	if strings.Join(l.Children, " ") != strings.Join(want, " ") || len(l.Items) != 0 {
		t.Errorf("children %v, items %d; want %v and no items", l.Children, len(l.Items), want)
	}
}

func TestSitemapForms(t *testing.T) {
	cp1251, _ := charmap.Windows1251.NewEncoder().String(`<?xml version="1.0" encoding="windows-1251"?>` +
		`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">` +
		`<url><loc>https://gov.example.kz/news/1</loc><news:news><news:title>Беспорядки в Жанаозене</news:title></news:news></url></urlset>`)
	tests := map[string]struct {
		body  string
		title string // of the first item
		count int
	}{
		"plain-text sitemap":      {"https://campaign.example/a.html\n\n  https://campaign.example/b.html  \n/relative.html\nnot a url\nhttps://campaign.example/a.html\n", "", 2},
		"windows-1251 declared":   {cp1251, "Беспорядки в Жанаозене", 1},
		"byte order mark":         {"\ufeff<urlset><url><loc>https://campaign.example/a.html</loc></url></urlset>", "", 1},
		"no namespace, sloppy &":  {"<urlset><url><loc>https://campaign.example/a?x=1&y=2</loc></url></urlset>", "", 1},
		"empty urlset":            {`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>`, "", 0},
		"image loc is not an URL": {`<urlset><url><image:image><image:loc>https://campaign.example/i.jpg</image:loc></image:image></url></urlset>`, "", 0},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			l, err := Sitemap([]byte(tt.body), "https://campaign.example/sitemap.txt")
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Items) != tt.count {
				t.Fatalf("%d items, want %d: %+v", len(l.Items), tt.count, l.Items)
			}
			if tt.count > 0 && l.Items[0].Title != tt.title {
				t.Errorf("title %q, want %q", l.Items[0].Title, tt.title)
			}
		})
	}
}

func TestSitemapErrors(t *testing.T) {
	const u = "https://campaign.example/sitemap.xml"
	bomb := gz(t, make([]byte, MaxSitemapBytes+1))
	tests := map[string]struct {
		body []byte
		kind model.ErrorKind
		msg  string
	}{
		"HTML page":     {[]byte("<!doctype html><html><body>Moved</body></html>"), model.ErrNotFeed, "parse: sitemap " + u + ": not a sitemap: looks like an HTML page"},
		"a feed":        {[]byte(`<rss version="2.0"><channel></channel></rss>`), model.ErrNotFeed, "root element <rss>"},
		"empty":         {nil, model.ErrNotFeed, "empty body"},
		"text, no URLs": {[]byte("User-agent: *\nDisallow: /"), model.ErrNotFeed, "neither XML nor a list of URLs"},
		"broken XML":    {[]byte(`<urlset><url><loc>https://a.example/</loc></url><url><loc>`), model.ErrParse, "parse: sitemap " + u + ": XML syntax error"},
		"broken gzip":   {[]byte{0x1f, 0x8b, 8, 0, 0, 0}, model.ErrParse, "gzip"},
		"broken HTML":   {[]byte("<p>Service <b>unavailable</p><title>503</title>"), model.ErrNotFeed, "looks like an HTML page"},
		"no root":       {[]byte("<!-- nothing -->"), model.ErrNotFeed, "no XML root element"},
		"gzip bomb":     {bomb, model.ErrTooLarge, fmt.Sprintf("gzip body inflates beyond %d bytes", MaxSitemapBytes)},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Sitemap(tt.body, u)
			if kindOf(err) != tt.kind || err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %v (kind %q), want kind %q containing %q", err, kindOf(err), tt.kind, tt.msg)
			}
		})
	}
}

func TestSitemapKeepsNewest(t *testing.T) {
	var b strings.Builder
	b.WriteString("<urlset>")
	start := date("2011-12-16T00:00:00Z")
	for i := range MaxItems + 200 {
		// oldest first, as date-ordered archives often are
		fmt.Fprintf(&b, "<url><loc>https://campaign.example/%d</loc><lastmod>%s</lastmod></url>",
			i, start.Add(time.Duration(i)*time.Hour).Format(time.RFC3339))
	}
	b.WriteString("</urlset>")
	l, err := Sitemap([]byte(b.String()), "https://campaign.example/sitemap.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Items) != MaxItems {
		t.Fatalf("%d items, want %d", len(l.Items), MaxItems)
	}
	if got, want := l.Items[0].URL, fmt.Sprintf("https://campaign.example/%d", MaxItems+199); got != want {
		t.Errorf("first item %s, want the newest %s", got, want)
	}
	if got := l.Items[MaxItems-1].URL; got != "https://campaign.example/200" {
		t.Errorf("last item %s, want https://campaign.example/200", got)
	}
}

func updatedOf(l *Listing, i int) string { return l.Items[i].Updated.Format(time.RFC3339) }
