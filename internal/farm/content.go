package farm

import (
	"fmt"
	"html"
	"strings"
	"time"
)

// epoch is the publication time of every feed's first item; item n of a
// feed comes itemEvery after item n-1, so Advance never needs the clock.
var epoch = time.Date(2026, time.October, 1, 6, 0, 0, 0, time.UTC)

const itemEvery = 2 * time.Hour

// meta is what a feed says of an item: cached, since every poll of a feed
// that changed renders its newest items again.
type meta struct {
	title, author, lang, teaser string
	published                   time.Time // in the site's offset
}

// article is an item with everything its page shows.
type article struct {
	meta
	body     []string // paragraphs of the article text
	comments []string // readers' comments: sentences found nowhere else
	related  []string // titles of the related links and the most-read list
}

// key names one item: host h, feed f, item n (0 is the oldest).
type key struct{ h, f, n int }

// id is the item's number in the generator's corpus.
func (k key) id() int { return (k.h*MaxFeeds+k.f)*maxSeq + k.n }

// article generates item k.
func (fm *Farm) article(k key) *article {
	ga := fm.gen.Article(k.id())
	paras := strings.Split(ga.Text, "\n\n")
	a := &article{meta: meta{title: ga.Title, lang: ga.Lang}}
	a.author = bylines[(k.h*7+k.f*3+k.n)%len(bylines)]
	a.published = published(k, ga.Lang)
	// The last two paragraphs become the page's boilerplate (comments and
	// link lists), so that what is boilerplate is known and in no body.
	if len(paras) >= 4 {
		a.comments = chunks(paras[len(paras)-1], 3, 40)
		a.related = chunks(paras[len(paras)-2], 8, 10)
		paras = paras[:len(paras)-2]
	}
	a.body = paras
	a.teaser = strings.Join(firstWords(paras[0], 24), " ") + " …"
	return a
}

// metaOf returns what a feed says of item k, generating it once.
func (fm *Farm) metaOf(k key) meta {
	fm.mu.Lock()
	m, ok := fm.metas[k]
	fm.mu.Unlock()
	if ok {
		return m
	}
	m = fm.article(k).meta
	fm.mu.Lock()
	fm.metas[k] = m
	fm.mu.Unlock()
	return m
}

func published(k key, lang string) time.Time {
	off := zones[lang]
	t := epoch.Add(time.Duration(k.n)*itemEvery + time.Duration(k.f)*7*time.Minute + time.Duration(k.h)*13*time.Second)
	return t.In(time.FixedZone(fmt.Sprintf("UTC%+d", off), off*3600))
}

// itemPath is the URL path of item k's page.
func itemPath(k key, m meta) string {
	return fmt.Sprintf("/news/%s/%d-%d.html", m.published.Format("2006/01/02"), k.f, k.n)
}

func firstWords(s string, n int) []string {
	w := strings.Fields(s)
	return w[:min(n, len(w))]
}

// chunks cuts s into at most n pieces of at most max words.
func chunks(s string, n, max int) []string {
	w := strings.Fields(s)
	var out []string
	for len(w) > 0 && len(out) < n {
		k := min(max, len(w))
		out = append(out, strings.Join(w[:k], " "))
		w = w[k:]
	}
	return out
}

var esc = html.EscapeString

// visibleDate writes t as a site of lang prints it.
func visibleDate(t time.Time, lang string) string {
	l := siteLabels[lang]
	if lang == "en" {
		return fmt.Sprintf("%s %d, %d %s", l.months[t.Month()-1], t.Day(), t.Year(), t.Format("15:04"))
	}
	return fmt.Sprintf("%d %s %d, %s", t.Day(), l.months[t.Month()-1], t.Year(), t.Format("15:04"))
}

func (fm *Farm) siteName(h int) string {
	name := siteNames[h%len(siteNames)]
	if h >= len(siteNames) {
		name += fmt.Sprintf(" %d", h/len(siteNames)+1)
	}
	return name
}

// page renders article a, item k, as its page in the layout of a news site.
func (fm *Farm) page(a *article, k key, base string) []byte {
	l := siteLabels[a.lang]
	site := fm.siteName(k.h)
	u := base + itemPath(k, a.meta)
	date := a.published.Format(time.RFC3339)
	heads, links := fm.neighbours(k, base, 20)
	var b strings.Builder
	b.Grow(128 << 10)
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("<!DOCTYPE html>\n<html lang=%q>\n<head>\n<meta charset=\"utf-8\">\n", a.lang)
	p("<title>%s | %s</title>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", esc(a.title), esc(site))
	p("<meta name=\"description\" content=\"%s\">\n<meta name=\"author\" content=\"%s\">\n", esc(a.teaser), esc(a.author))
	p("<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:title\" content=\"%s\">\n", esc(a.title))
	p("<meta property=\"og:site_name\" content=\"%s\">\n<meta property=\"og:url\" content=\"%s\">\n", esc(site), u)
	p("<meta property=\"article:published_time\" content=\"%s\">\n<meta property=\"article:section\" content=\"%s\">\n", date, esc(l.nav[0]))
	p("<link rel=\"canonical\" href=\"%s\">\n<link rel=\"stylesheet\" href=\"/static/site.css?v=3\">\n", u)
	headExtras(&b, a, site, u)
	p("<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());</script>\n</head>\n")
	p("<body class=\"article-page\">\n<div class=\"topbar\"><a href=\"/account/login\">%s</a> <a class=\"btn\" href=\"/subscribe\">%s</a>", esc(l.login), esc(l.subscribe))
	p("<form class=\"search\" action=\"/search\"><input name=\"q\" placeholder=\"%s\"><button>%s</button></form></div>\n", esc(l.search), esc(l.search))
	p("<header class=\"site-header\"><a class=\"logo\" href=\"/\">%s</a>\n", esc(site))
	megaMenu(&b, l, heads)
	p("</header>\n")
	ticker(&b, heads[:min(8, len(heads))], links)
	p("<div class=\"breadcrumbs\"><a href=\"/\">%s</a> › <a href=\"/section/0/\">%s</a></div>\n", esc(l.home), esc(l.nav[0]))
	p("<main class=\"content\">\n<article class=\"post\">\n<h1 class=\"headline\">%s</h1>\n", esc(a.title))
	p("<div class=\"post-meta\"><span class=\"byline\">%s <a rel=\"author\" href=\"/authors/%d\">%s</a></span> ", esc(l.by), (k.h*7+k.f*3+k.n)%len(bylines), esc(a.author))
	p("<time datetime=\"%s\">%s</time></div>\n", date, visibleDate(a.published, a.lang))
	fm.share(&b, l, u)
	p("<figure class=\"lead-image\"><img src=\"/img/%d-%d.jpg\" alt=\"\" width=\"800\" height=\"450\"><figcaption>%s</figcaption></figure>\n", k.f, k.n, esc(site))
	p("<div class=\"article-body\">\n")
	for _, para := range a.body {
		p("<p>%s</p>\n", esc(para))
	}
	p("</div>\n<div class=\"tags\">%s: <a href=\"/tag/1\">%s</a>, <a href=\"/tag/2\">%s</a></div>\n", esc(l.tags), esc(l.nav[1]), esc(l.nav[3]))
	fm.share(&b, l, u)
	p("</article>\n<aside class=\"related\"><h2>%s</h2><ul>\n", esc(l.related))
	for i, t := range a.related[:min(4, len(a.related))] {
		p("<li><a href=\"/news/related/%d-%d-%d.html\">%s</a></li>\n", k.f, k.n, i, esc(t))
	}
	p("</ul></aside>\n<section class=\"comments\" id=\"comments\"><h2>%s (%d)</h2>\n", esc(l.comments), len(a.comments))
	for i, c := range a.comments {
		p("<div class=\"comment\"><span class=\"comment-author\">%s</span> <span class=\"comment-date\">%s</span><p>%s</p><a class=\"reply\" href=\"#c%d\">↩</a></div>\n",
			esc(bylines[(k.n+i+5)%len(bylines)]), a.published.Add(time.Duration(i+1)*time.Hour).Format("02.01.2006 15:04"), esc(c), i)
	}
	p("<form class=\"comment-form\" method=\"post\" action=\"/comments\"><textarea name=\"text\"></textarea><button>%s</button></form>\n</section>\n</main>\n", esc(l.send))
	p("<aside class=\"sidebar\"><h3>%s</h3><ol>\n", esc(l.mostRead))
	for i, t := range a.related[min(4, len(a.related)):] {
		p("<li><a href=\"/news/popular/%d.html\">%s</a></li>\n", i, esc(t))
	}
	p("</ol><div class=\"newsletter\"><a href=\"/subscribe\">%s</a></div>\n", esc(l.subscribe))
	latest(&b, l, heads, links, a.published)
	p("</aside>\n")
	p("<footer class=\"site-footer\">")
	footerColumns(&b, l)
	p("<ul><li><a href=\"/about\">%s</a></li><li><a href=\"/contact\">%s</a></li>", esc(l.about), esc(l.contact))
	p("<li><a href=\"/ads\">%s</a></li><li><a href=\"/privacy\">%s</a></li></ul>\n", esc(l.ads), esc(l.privacy))
	p("<p class=\"copyright\">© 2011–2026 %s. %s</p></footer>\n</body>\n</html>\n", esc(site), esc(l.rights))
	return []byte(b.String())
}

func (fm *Farm) share(b *strings.Builder, l labels, u string) {
	fmt.Fprintf(b, "<div class=\"share\"><span>%s:</span> <a href=\"/share?to=facebook&amp;u=%s\">Facebook</a> <a href=\"/share?to=x&amp;u=%s\">X</a> <a href=\"/share?to=telegram&amp;u=%s\">Telegram</a> <a href=\"/share?to=whatsapp&amp;u=%s\">WhatsApp</a></div>\n",
		esc(l.share), u, u, u, u)
}

// tinyPage renders item k as a page of one short paragraph: quick to
// extract and index, for filling a store before the measured runs.
func (fm *Farm) tinyPage(k key, base string) []byte {
	a, _ := fm.served(k)
	u := base + itemPath(k, a.meta)
	return fmt.Appendf(nil, "<!DOCTYPE html>\n<html lang=%q><head><meta charset=\"utf-8\"><title>%s</title>"+
		"<meta property=\"article:published_time\" content=\"%s\"><link rel=\"canonical\" href=\"%s\"></head>\n"+
		"<body><article><h1>%s</h1><p>%s</p></article></body></html>\n",
		a.lang, esc(a.title), a.published.Format(time.RFC3339), u, esc(a.title), esc(strings.Join(firstWords(strings.Join(a.body, " "), 60), " ")))
}

// feed renders feed f of host h with its newest items, newest first.
func (fm *Farm) feed(h, f, count int, base string, atom bool) []byte {
	var b strings.Builder
	site := fm.siteName(h)
	first := max(0, count-fm.opts.ItemsPerFeed)
	newest := fm.metaOf(key{h, f, count - 1})
	if atom {
		fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"+
			"<id>%s/atom/%d.xml</id><title>%s — %d</title><updated>%s</updated>\n"+
			"<link rel=\"self\" href=\"%s/atom/%d.xml\"/><link rel=\"alternate\" href=\"%s/\"/>\n",
			base, f, esc(site), f, newest.published.Format(time.RFC3339), base, f, base)
	} else {
		fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n"+
			"<title>%s — %d</title><link>%s/</link><description>%s</description>\n"+
			"<atom:link href=\"%s/rss/%d.xml\" rel=\"self\" type=\"application/rss+xml\"/><lastBuildDate>%s</lastBuildDate>\n",
			esc(site), f, base, esc(site), base, f, newest.published.Format(time.RFC1123Z))
	}
	for n := count - 1; n >= first; n-- {
		k := key{h, f, n}
		m := fm.metaOf(k)
		u := base + itemPath(k, m)
		if atom {
			fmt.Fprintf(&b, "<entry><id>%s</id><title>%s</title><link rel=\"alternate\" href=\"%s\"/>"+
				"<published>%s</published><updated>%s</updated><author><name>%s</name></author><summary>%s</summary></entry>\n",
				u, esc(m.title), u, m.published.Format(time.RFC3339), m.published.Format(time.RFC3339), esc(m.author), esc(m.teaser))
		} else {
			fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid isPermaLink=\"true\">%s</guid>"+
				"<pubDate>%s</pubDate><dc:creator>%s</dc:creator><description>%s</description></item>\n",
				esc(m.title), u, u, m.published.Format(time.RFC1123Z), esc(m.author), esc(m.teaser))
		}
	}
	if atom {
		b.WriteString("</feed>\n")
	} else {
		b.WriteString("</channel>\n</rss>\n")
	}
	return []byte(b.String())
}
