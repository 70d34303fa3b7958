package parse

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/testsite"
)

// campaignSelectors walk the fixture campaign blog ("Posted by admin on ...").
var campaignSelectors = model.Selectors{Item: "div.post", Link: "h2.entry-title a", Date: ".entry-meta", Next: ".nav-previous a"}

func TestPageCampaignSite(t *testing.T) {
	site := testsite.Start(t, testsite.Options{})
	pages := []struct{ path, file, next string }{
		{"/", "/index.html", site.URL + "/page/2/"},
		{"/page/2/", "/page/2/index.html", ""},
	}
	for _, p := range pages {
		t.Run(p.path, func(t *testing.T) {
			l, err := Page(site.File(p.file), site.URLFor(p.path), campaignSelectors)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, a := range site.Expected() {
				if slices.Contains(a.AnnouncedBy, p.path) {
					want = append(want, fmt.Sprintf("%s|%s|%s", site.URL+a.Path, a.Title, a.Published))
				}
			}
			var got []string
			for _, it := range l.Items {
				got = append(got, fmt.Sprintf("%s|%s|%s", it.URL, it.Title, it.Published.Format(time.DateOnly)))
				if it.Lang != "en-gb" {
					t.Errorf("%s: lang %q, want en-gb from <html lang>", it.URL, it.Lang)
				}
			}
			if len(want) == 0 || strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("items:\n%s\nwant (from expected.json):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if l.Next != p.next {
				t.Errorf("next %q, want %q", l.Next, p.next)
			}
		})
	}
}

func TestPageBaseHrefAndDayFirstDates(t *testing.T) {
	sel := model.Selectors{Item: "#latest .item", Link: "h4 a", Date: ".meta", Next: ".pager a.older"}
	l, err := Page(readTestdata(t, "listing_cwi_latest.html"), "https://mirror.example/latest.html", sel)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Items) != 8 || l.Lang != "en" || l.Title != "Latest articles | Committee for a Workers' International" {
		t.Fatalf("%d items, lang %q, title %q", len(l.Items), l.Lang, l.Title)
	}
	first, last := l.Items[0], l.Items[7]
	if first.URL != "https://www.socialistworld.example/latest/food-scoffing-on-profits.html" || first.Title != "Food: Scoffing on profits" ||
		!first.Published.Equal(date("2012-08-27T00:00:00Z")) {
		t.Errorf("first item %+v", first)
	}
	if !last.Published.Equal(date("2012-08-14T00:00:00Z")) {
		t.Errorf("last item date %v, want 2012-08-14 (14/08/2012)", last.Published)
	}
	if l.Next != "https://www.socialistworld.example/latest/?page=2" {
		t.Errorf("next %q: must resolve against <base href>", l.Next)
	}
}

func TestPageSelectors(t *testing.T) {
	const base = "https://outlet.example/news/"
	tests := map[string]struct {
		html string
		sel  model.Selectors
		want string // "url|title|date" per item, joined by ";"
	}{
		"item is the link, date in datetime": {
			`<a class="story" href="1.html">Zhanaozen <time datetime="2011-12-17T12:30:00+06:00">17 Dec</time></a><a class="story" href="2.html">Aktau</a>`,
			model.Selectors{Item: "a.story", Date: "time"},
			"https://outlet.example/news/1.html|Zhanaozen 17 Dec|2011-12-17T12:30:00+06:00;https://outlet.example/news/2.html|Aktau|",
		},
		"Russian date in text, title selector": {
			`<div class="n"><h3>Жанаозен: итоги дня</h3><a href="/ru/1">Подробнее</a><span class="d">17 декабря 2011, 18:40</span></div>`,
			model.Selectors{Item: "div.n", Link: "a", Title: "h3", Date: ".d"},
			"https://outlet.example/ru/1|Жанаозен: итоги дня|2011-12-17T18:40:00Z",
		},
		"first link in item when no link selector": {
			`<li class="i"><span>x</span> <a href="a.html#top">A</a> <a href="b.html">B</a></li>`,
			model.Selectors{Item: "li.i"},
			"https://outlet.example/news/a.html|A|",
		},
		"bad links skipped, repeats dropped": {
			`<p class="i"><a href="javascript:void(0)">J</a></p><p class="i"><a href="a.html">A</a></p><p class="i"><a href="a.html">A again</a></p><p class="i"><a>none</a></p>`,
			model.Selectors{Item: "p.i", Link: "a"},
			"https://outlet.example/news/a.html|A|",
		},
		"dates in the languages followed, as on article pages": {
			`<p class="i"><a href="a.html">A</a> <span class="d">16 dic 2011</span></p>` +
				`<p class="i"><a href="b.html">B</a> <span class="d">16 грудень 2011, 10:30</span></p>` +
				`<p class="i"><a href="c.html">C</a> <span class="d">2011 жылғы 16 желтоқсан</span></p>` +
				`<p class="i"><a href="d.html">D</a> <time class="d" datetime="16 декабря 2011">вчера</time></p>`,
			model.Selectors{Item: "p.i", Link: "a", Date: ".d"},
			"https://outlet.example/news/a.html|A|2011-12-16T00:00:00Z;https://outlet.example/news/b.html|B|2011-12-16T10:30:00Z;" +
				"https://outlet.example/news/c.html|C|2011-12-16T00:00:00Z;https://outlet.example/news/d.html|D|2011-12-16T00:00:00Z",
		},
		"placeholder datetime falls back to the text": {
			`<p class="i"><a href="a.html">A</a> <time class="d" datetime="1970-01-01T00:00:00Z">12.01.2012</time></p>`,
			model.Selectors{Item: "p.i", Link: "a", Date: ".d"},
			"https://outlet.example/news/a.html|A|2012-01-12T00:00:00Z",
		},
		"date selector that matches nothing": {
			`<p class="i"><a href="a.html">A</a> 12.01.2012</p>`,
			model.Selectors{Item: "p.i", Link: "a", Date: ".date"},
			"https://outlet.example/news/a.html|A|",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			l, err := Page([]byte(tt.html), base, tt.sel)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range l.Items {
				d := ""
				if !it.Published.IsZero() {
					d = it.Published.Format(time.RFC3339)
				}
				got = append(got, it.URL+"|"+it.Title+"|"+d)
			}
			if strings.Join(got, ";") != tt.want {
				t.Errorf("got  %s\nwant %s", strings.Join(got, ";"), tt.want)
			}
		})
	}
}

func TestPageErrors(t *testing.T) {
	const u = "https://outlet.example/news/"
	page := []byte(`<html><body><div class="post"><h2><a href="/a">A</a></h2></div><a class="next" href="/news/">next</a></body></html>`)
	tests := map[string]struct {
		sel model.Selectors
		msg string
	}{
		"no item selector":        {model.Selectors{Link: "a"}, "parse: page " + u + ": item selector is empty"},
		"item selector, no match": {model.Selectors{Item: "article.post", Link: "a"}, `parse: page ` + u + `: item selector "article.post" matched nothing`},
		"item selector not CSS":   {model.Selectors{Item: "div[", Link: "a"}, `item selector "div[" matched nothing`},
		"link selector, no match": {model.Selectors{Item: "div.post", Link: "h3 a"}, `link selector "h3 a" found no http(s) link in the 1 items of "div.post"`},
		"link selector not CSS":   {model.Selectors{Item: "div.post", Link: "a)"}, `link selector "a)"`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Page(page, u, tt.sel)
			if kindOf(err) != model.ErrInvalidSelectors || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %v (kind %q), want kind %q containing %q", err, kindOf(err), model.ErrInvalidSelectors, tt.msg)
			}
		})
	}
	// A next link pointing back at the page itself is no next page.
	l, err := Page(page, u, model.Selectors{Item: "div.post", Next: "a.next"})
	if err != nil || l.Next != "" {
		t.Errorf("next %q, err %v; want no next page", l.Next, err)
	}
}

func TestPageMaxItems(t *testing.T) {
	var b strings.Builder
	for i := range MaxItems + 100 {
		fmt.Fprintf(&b, `<div class="post"><a href="/%d">%d</a></div>`, i, i)
	}
	l, err := Page([]byte(b.String()), "https://outlet.example/", model.Selectors{Item: "div.post"})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Items) != MaxItems || l.Items[0].URL != "https://outlet.example/0" {
		t.Errorf("%d items starting %s; want the first %d", len(l.Items), l.Items[0].URL, MaxItems)
	}
}
