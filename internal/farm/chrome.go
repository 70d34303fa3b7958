package farm

import (
	"fmt"
	"strings"
	"time"
)

// The parts of a news page around the article that give a real page its
// weight (about 85 KB, most of it markup, styles and scripts, as the median page of the trafilatura evaluation set): inline
// CSS and scripts, structured data, a menu of every section, a ticker of
// the latest headlines, and link lists in the sidebar and the footer.

// headExtras writes the head's styles, structured data and scripts.
func headExtras(b *strings.Builder, a *article, site, u string) {
	b.WriteString("<style>\n")
	for i := range 800 {
		fmt.Fprintf(b, ".c%d{margin:%dpx %dpx;padding:%dpx;color:#%06x;font-size:%d.%dpx}\n", i, i%17, i%11, i%7, (i*2654435761)&0xffffff, 12+i%9, i%10)
	}
	b.WriteString("@media (max-width:720px){.main-nav{display:none}.sidebar{display:none}.content{width:100%}}\n</style>\n")
	fmt.Fprintf(b, `<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":%q,`+
		`"datePublished":%q,"dateModified":%q,"author":{"@type":"Person","name":%q},"publisher":{"@type":"Organization","name":%q},`+
		`"mainEntityOfPage":%q,"inLanguage":%q}</script>`+"\n",
		a.title, a.published.Format(time.RFC3339), a.published.Add(40*time.Minute).Format(time.RFC3339), a.author, site, u, a.lang)
	b.WriteString("<script>window.__AD_SLOTS__=[")
	for i := range 80 {
		fmt.Fprintf(b, `{"id":"slot-%d","sizes":[[300,250],[728,90]],"targeting":{"pos":"%d","section":"news","kw":["a%d","b%d"]}},`, i, i, i*7, i*13)
	}
	b.WriteString("{}];(function(w,d){var s=d.createElement('script');s.async=true;s.src='/static/ads.js';d.head.appendChild(s);" +
		"w.addEventListener('scroll',function(){var h=d.documentElement;w.__depth=Math.max(w.__depth||0,(h.scrollTop+w.innerHeight)/h.scrollHeight)});})(window,document);</script>\n")
}

// megaMenu writes the site's menu: every section with its subsections.
func megaMenu(b *strings.Builder, l labels, heads []string) {
	b.WriteString("<nav class=\"main-nav\"><ul>")
	for i, s := range l.nav {
		fmt.Fprintf(b, "<li class=\"menu-item\"><a href=\"/section/%d/\">%s</a><div class=\"mega\"><ul>", i, esc(s))
		for j := range 16 {
			fmt.Fprintf(b, "<li><a href=\"/section/%d/%d/\">%s %d</a></li>", i, j, esc(s), j+1)
		}
		if len(heads) > 0 {
			fmt.Fprintf(b, "</ul><a class=\"promo\" href=\"/promo/%d\">%s</a></div></li>", i, esc(heads[i%len(heads)]))
		} else {
			b.WriteString("</ul></div></li>")
		}
	}
	b.WriteString("</ul></nav>")
}

// ticker writes a strip of the latest headlines.
func ticker(b *strings.Builder, heads []string, links []string) {
	b.WriteString("<div class=\"ticker\"><ul>")
	for i, h := range heads {
		fmt.Fprintf(b, "<li><a href=\"%s\">%s</a></li>", links[i], esc(h))
	}
	b.WriteString("</ul></div>\n")
}

// latest writes the sidebar's list of the latest articles with times.
func latest(b *strings.Builder, l labels, heads, links []string, at time.Time) {
	fmt.Fprintf(b, "<div class=\"latest\"><h3>%s</h3><ul>\n", esc(l.nav[0]))
	for i, h := range heads {
		fmt.Fprintf(b, "<li><span class=\"time\">%s</span> <a href=\"%s\">%s</a></li>\n", at.Add(-time.Duration(i*23)*time.Minute).Format("15:04"), links[i], esc(h))
	}
	b.WriteString("</ul></div>\n")
	for i := range 3 {
		fmt.Fprintf(b, "<div class=\"ad-slot\" id=\"slot-%d\" data-sizes=\"300x250,300x600\"></div>\n", i)
	}
}

// footerColumns writes the footer's columns of section links.
func footerColumns(b *strings.Builder, l labels) {
	b.WriteString("<div class=\"footer-columns\">")
	for i, s := range l.nav {
		fmt.Fprintf(b, "<div class=\"col\"><h4>%s</h4><ul>", esc(s))
		for j := range 12 {
			fmt.Fprintf(b, "<li><a href=\"/section/%d/%d/\">%s %d</a></li>", i, j, esc(s), j+1)
		}
		b.WriteString("</ul></div>")
	}
	b.WriteString("</div>\n<div class=\"social\"><a href=\"/social/telegram\">Telegram</a> <a href=\"/social/youtube\">YouTube</a> <a href=\"/social/facebook\">Facebook</a> <a href=\"/social/x\">X</a> <a href=\"/rss\">RSS</a></div>\n")
}

// neighbours returns the titles and URLs of up to n other announced
// articles of item k's site, newest first: the site's latest headlines.
func (fm *Farm) neighbours(k key, base string, n int) (titles, links []string) {
	for back := 0; len(titles) < n && back <= k.n; back++ {
		for f := 0; f < fm.opts.FeedsPerHost && len(titles) < n; f++ {
			o := key{k.h, f, k.n - back}
			if o == k {
				continue
			}
			m := fm.metaOf(o)
			titles, links = append(titles, m.title), append(links, base+itemPath(o, m))
		}
	}
	return titles, links
}
