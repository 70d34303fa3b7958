package extract

import (
	"math"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// keepLeads renames the "teaser" in the class and id of elements holding
// no link, so that trafilatura, which drops teasers, keeps them: a teaser
// of another article links to it, while a block named so without a link
// is the article's own lead ("news-single > teaser-text").
func keepLeads(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.A {
			continue // nothing inside a link is a lead
		}
		for i, a := range c.Attr {
			if (a.Key == "class" || a.Key == "id") && strings.Contains(strings.ToLower(a.Val), "teaser") && !hasLink(c) {
				c.Attr[i].Val = strings.NewReplacer("teaser", "lead", "Teaser", "Lead", "TEASER", "LEAD").Replace(a.Val)
			}
		}
		keepLeads(c)
	}
}

// hasLink reports whether n holds an <a href>.
func hasLink(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.A && hasAttr(c, "href") {
			return true
		}
		if hasLink(c) {
			return true
		}
	}
	return false
}

// linkTexts returns the text of every link on the page that has at least
// two words, white space collapsed, as plainText writes it.
func linkTexts(doc *html.Node) map[string]bool {
	texts := map[string]bool{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.A && hasAttr(c, "href") {
				if t := squash(plainText(c, false)); strings.Contains(t, " ") {
					texts[t] = true
				}
				continue
			}
			walk(c)
		}
	}
	walk(doc)
	return texts
}

// dropLinkParagraphs removes from text the paragraphs that only point
// elsewhere: the whole text of a link of at least minLinkWords words, with
// no full stop at the end ("Looted colonial art"), or a short label and
// such a link ("Read more: Looted colonial art", "Lea también: ...").
// These are the related-article teasers set inside an article's text.
func dropLinkParagraphs(text string, links map[string]bool) string {
	if len(links) == 0 {
		return text
	}
	paras := strings.Split(text, "\n\n")
	kept := paras[:0]
	for _, p := range paras {
		s := squash(p)
		if links[s] && len(strings.Fields(s)) >= minLinkWords && !strings.HasSuffix(s, ".") {
			continue
		}
		if label, rest, ok := strings.Cut(s, ":"); ok && len(strings.Fields(label)) <= 4 &&
			links[strings.TrimSpace(rest)] && len(strings.Fields(rest)) >= minLinkWords-1 {
			continue
		}
		kept = append(kept, p)
	}
	return strings.Join(kept, "\n\n")
}

// minLinkWords is the least number of words of a link paragraph that
// dropLinkParagraphs removes: shorter links are names and terms.
const minLinkWords = 4

// squash collapses white space.
func squash(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// What only a site's furniture says, lower-cased, in English, German,
// Spanish, French, Polish, Russian and Kazakh: noticeCues, copyright lines
// and newsletters, are never an article's text in a short paragraph;
// boilerplateCues, invitations to subscribe or to follow the site and
// requests to log in, are not in a short paragraph after its opening;
// boilerplateWords are more of those, matched as whole words.
var (
	noticeCues = []string{"©", "all rights reserved", "alle rechte vorbehalten",
		"todos los derechos reservados", "tous droits réservés", "wszelkie prawa zastrzeżone",
		"все права защищены", "барлық құқықтар қорғалған", "newsletter"}
	boilerplateCues = []string{"abonnieren", "abonnez", "suscrib", "suscríb", "subskryp",
		"подпишитесь", "подписывайтесь", "жазылыңыз", "follow us", "folgen sie uns", "folge uns",
		"siguenos", "síguenos", "suivez-nous", "obserwuj nas", "einloggen", "eingeloggt",
		"se connecter", "zaloguj", "войдите", "авторизуйтесь"}
	boilerplateWords = []string{"copyright", "subscribe", "login", "log in"}
)

// The reach of dropBoilerplate: noticeCues in paragraphs of at most
// maxNoticeRunes characters anywhere, the others in paragraphs of at most
// maxCueRunes after the first minCueShare of the paragraphs. An article's
// own sentences on these subjects are longer, or open it.
const (
	maxNoticeRunes = 150
	maxCueRunes    = 300
	minCueShare    = 0.3
)

// containsAny reports whether s contains one of subs.
func containsAny(s string, subs []string) bool {
	for _, c := range subs {
		if strings.Contains(s, c) {
			return true
		}
	}
	return false
}

// containsWord reports whether s contains one of words with no letter or
// digit on either side.
func containsWord(s string, words []string) bool {
	for _, w := range words {
		for i := 0; ; {
			j := strings.Index(s[i:], w)
			if j < 0 {
				break
			}
			j += i
			before, _ := utf8.DecodeLastRuneInString(s[:j])
			after, _ := utf8.DecodeRuneInString(s[j+len(w):])
			if !isWordRune(before) && !isWordRune(after) {
				return true
			}
			i = j + len(w)
		}
	}
	return false
}

// dropBoilerplate removes the short paragraphs that carry a site's
// notices (see noticeCues, boilerplateCues): extractors keep them when a
// site sets them inside the article's container.
func dropBoilerplate(text string) string {
	paras := strings.Split(text, "\n\n")
	from := int(math.Ceil(minCueShare * float64(len(paras))))
	kept := paras[:0]
	for i, p := range paras {
		n, lower := utf8.RuneCountInString(p), strings.ToLower(p)
		if n <= maxNoticeRunes && containsAny(lower, noticeCues) ||
			i >= from && n <= maxCueRunes && (containsAny(lower, noticeCues) ||
				containsAny(lower, boilerplateCues) || containsWord(lower, boilerplateWords)) {
			continue
		}
		kept = append(kept, p)
	}
	return strings.Join(kept, "\n\n")
}
