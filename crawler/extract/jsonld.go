package extract

import (
	"encoding/json"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// jsonLD is what the page's JSON-LD blocks say about its article.
type jsonLD struct {
	articlePublished string // datePublished (or dateCreated) of an article
	otherPublished   string // datePublished of another thing (a WebPage)
	headline         string
	author           string
	description      string
}

// maxLDDepth bounds how deep readJSONLD looks into nested JSON-LD.
const maxLDDepth = 8

// readJSONLD reads every <script type="application/ld+json"> block. Blocks
// that are not valid JSON are skipped; the first article-like object
// (Article, NewsArticle, BlogPosting, ... at any depth, in @graph or in an
// array) that has a value wins for each field.
func readJSONLD(doc *goquery.Document) jsonLD {
	var ld jsonLD
	doc.Find(`script[type="application/ld+json" i]`).Each(func(_ int, s *goquery.Selection) {
		raw := strings.TrimSpace(s.Text())
		raw = strings.TrimSuffix(strings.TrimPrefix(raw, "<![CDATA["), "]]>")
		var v any
		if json.Unmarshal([]byte(raw), &v) != nil {
			return
		}
		ld.walk(v, 0)
	})
	return ld
}

func (ld *jsonLD) walk(v any, depth int) {
	if depth > maxLDDepth {
		return
	}
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			ld.walk(e, depth+1)
		}
	case map[string]any:
		ld.object(v)
		for key, e := range v {
			if key == "@graph" || key == "mainEntity" || key == "mainEntityOfPage" || key == "itemListElement" {
				ld.walk(e, depth+1)
			}
		}
	}
}

func (ld *jsonLD) object(o map[string]any) {
	if !isArticleType(o["@type"]) {
		if ld.otherPublished == "" {
			ld.otherPublished = str(o["datePublished"])
		}
		return
	}
	if ld.articlePublished == "" {
		ld.articlePublished = firstOf(str(o["datePublished"]), str(o["dateCreated"]))
	}
	if ld.headline == "" {
		ld.headline = firstOf(str(o["headline"]), str(o["name"]))
	}
	if ld.author == "" {
		ld.author = names(o["author"])
	}
	if ld.description == "" {
		ld.description = str(o["description"])
	}
}

// isArticleType reports whether a JSON-LD @type (a string or a list)
// names a kind of article or post.
func isArticleType(t any) bool {
	switch t := t.(type) {
	case string:
		t = strings.TrimPrefix(strings.TrimPrefix(t, "http://schema.org/"), "https://schema.org/")
		return strings.HasSuffix(t, "Article") || strings.HasSuffix(t, "Posting") || t == "Report"
	case []any:
		for _, e := range t {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

// names reads a JSON-LD author: a string, a Person or Organization with a
// name, or a list of those, joined with ", ".
func names(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case map[string]any:
		return str(v["name"])
	case []any:
		var out []string
		for _, e := range v {
			if n := names(e); n != "" && len(out) < 10 {
				out = append(out, n)
			}
		}
		return strings.Join(out, ", ")
	}
	return ""
}

func str(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case []any:
		if len(v) > 0 {
			return str(v[0])
		}
	}
	return ""
}
