package digest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"presswatch/internal/model"
)

// What a site does to a story it republishes, and the boilerplate it puts
// around every text it publishes, as the syndicated day's generator
// (syndication_test.go) applies them.

// boilerplate is what sites put around a text, per language.
var boilerplate = map[string]struct{ dateline, credit, also, more, follow string }{
	"ru": {"АЛМАТЫ, 17 декабря. %s –", "Источник: %s", "Читайте также:", "Читать полностью на сайте %s", "Подписывайтесь на %s в Telegram"},
	"kk": {"АЛМАТЫ, 17 желтоқсан. %s –", "Дереккөз: %s", "Тағы оқыңыз:", "Толығырақ: %s", "%s Telegram арнасына жазылыңыз"},
	"en": {"ALMATY, Dec 17 (%s) -", "Source: %s", "Read also:", "Read more at %s", "Follow %s on Telegram"},
	"de": {"ALMATY, 17. Dezember (%s) -", "Quelle: %s", "Lesen Sie auch:", "Weiterlesen bei %s", "Folgen Sie %s auf Telegram"},
	"fr": {"ALMATY, 17 décembre (%s) -", "Source : %s", "Lire aussi :", "Lire la suite sur %s", "Suivez %s sur Telegram"},
	"es": {"ALMATY, 17 dic (%s) -", "Fuente: %s", "Lea también:", "Siga leyendo en %s", "Siga a %s en Telegram"},
	"it": {"ALMATY, 17 dicembre (%s) -", "Fonte: %s", "Leggi anche:", "Continua a leggere su %s", "Segui %s su Telegram"},
	"pl": {"AŁMATY, 17 grudnia (%s) -", "Źródło: %s", "Czytaj także:", "Czytaj dalej na %s", "Obserwuj %s na Telegramie"},
	"pt": {"ALMATY, 17 dez (%s) -", "Fonte: %s", "Leia também:", "Continue lendo em %s", "Siga %s no Telegram"},
}

// republish is what a site does to a story it takes from parent: the
// text, sometimes exactly, more often with some words cut or changed, a
// paragraph dropped, the end cut off, or only a teaser; a title of its
// own; and its boilerplate around it (added later, by decorate).
func republish(r *rand.Rand, pool *textPool, parent *synArticle, src *synSource) *synArticle {
	c := &synArticle{src: src, group: parent.group, event: parent.event, title: parent.title,
		pub: parent.pub.Add(time.Duration(5+r.IntN(240)) * time.Minute)}
	if end := synDate.Add(24*time.Hour - time.Minute); c.pub.After(end) {
		c.pub = end
	}
	c.from = fixtureName
	if parent.src != nil {
		c.from = parent.src.Name
	}
	if parent.kind != "original" && parent.kind != "fixture" {
		c.how = append(c.how, "a copy of a copy")
	}
	if parent.src != nil && r.IntN(10) == 0 {
		c.body, c.exact = parent.body, parent
		c.how = append(c.how, "exact")
		return c
	}
	body := slices.Clone(parent.body)
	c.background = parent.background
	if own := len(body) - b2i(c.background); own >= 3 && r.IntN(4) == 0 {
		// One of its own paragraphs after the first: a site keeps the
		// story's lead and what sets it apart.
		i := 1 + r.IntN(own-1)
		body = slices.Delete(body, i, i+1)
		c.how = append(c.how, "paragraph dropped")
	}
	if r.IntN(2) == 0 {
		n := 2 + r.IntN(7)
		body = editWords(r, pool.take(src.Lang), body, n)
		c.how = append(c.how, fmt.Sprintf("%d words edited", n))
	}
	switch x := r.IntN(100); {
	case x < 4:
		body, c.background = truncate(body, min(45, countWords(body[:1]))), false
		c.how = append(c.how, "teaser")
	case x < 29:
		share := 40 + r.IntN(31)
		cut := truncate(body, countWords(body)*share/100)
		c.background = c.background && len(cut) == len(body)
		body = cut
		c.how = append(c.how, fmt.Sprintf("truncated to %d%%", share))
	}
	c.body = body
	switch x := r.IntN(100); {
	case x < 45:
		w := strings.Fields(strings.Join(body, " "))
		nw := 6 + r.IntN(5)
		start := r.IntN(max(1, len(w)-nw))
		c.title = strings.Join(w[start:min(len(w), start+nw)], " ")
		c.how = append(c.how, "new headline")
	case x < 65:
		c.title = parent.title + " | " + src.Name
	}
	return c
}

// editWords cuts or changes n words of the body, a word from other for
// each change.
func editWords(r *rand.Rand, other *model.Article, body []string, n int) []string {
	words := make([][]string, len(body))
	total := 0
	for i, p := range body {
		words[i] = strings.Fields(p)
		total += len(words[i])
	}
	repl := strings.Fields(other.Text)
	for range n {
		at := r.IntN(total)
		i := 0
		for at >= len(words[i]) {
			at -= len(words[i])
			i++
		}
		if r.IntN(2) == 0 && len(words[i]) > 1 {
			words[i] = slices.Delete(words[i], at, at+1)
			total--
		} else {
			words[i][at] = repl[r.IntN(len(repl))]
		}
	}
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = strings.Join(w, " ")
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// truncate keeps the first n words, paragraphs kept, and marks the cut.
func truncate(body []string, n int) []string {
	var out []string
	for _, p := range body {
		w := strings.Fields(p)
		if len(w) >= n {
			if n > 0 {
				out = append(out, strings.Join(w[:n], " ")+" …")
			}
			return out
		}
		out = append(out, p)
		n -= len(w)
	}
	return out
}

// decorate writes each article's text as its site publishes it: the
// dateline, the credit of a copy, "read more" under a cut copy, three of
// the site's other headlines of the day, the site's last line.
func (d *synDay) decorate(r *rand.Rand) {
	bySite := map[*synSource][]*synArticle{}
	for _, a := range d.arts {
		bySite[a.src] = append(bySite[a.src], a)
	}
	for _, a := range d.arts {
		if a.exact != nil { // published later, so decorated after it
			a.title, a.text = a.exact.title, a.exact.text
			continue
		}
		b := boilerplate[a.src.Lang]
		ps := slices.Clone(a.body)
		if a.src.dateline {
			ps[0] = fmt.Sprintf(b.dateline, a.src.Name) + " " + ps[0]
		}
		if a.kind != "original" && r.IntN(10) < 7 {
			ps = append(ps, fmt.Sprintf(b.credit, a.from))
		}
		if slices.ContainsFunc(a.how, func(h string) bool { return h == "teaser" || strings.HasPrefix(h, "truncated") }) && r.IntN(2) == 0 {
			ps = append(ps, fmt.Sprintf(b.more, a.src.Name))
		}
		if a.src.related {
			var titles []string
			for _, i := range r.Perm(len(bySite[a.src])) {
				if o := bySite[a.src][i]; o.group != a.group && len(titles) < 3 {
					titles = append(titles, o.title)
				}
			}
			if len(titles) > 0 {
				ps = append(ps, b.also+"\n"+strings.Join(titles, "\n"))
			}
		}
		if a.src.signature != "" {
			ps = append(ps, a.src.signature)
		}
		a.text = strings.Join(ps, "\n\n")
	}
}
