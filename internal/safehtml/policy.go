package safehtml

import (
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// CSP is the Content-Security-Policy the archived page must be served
// under, banner included. It is the second line of defence: if markup
// that loads or runs anything ever got through the sanitiser, the browser
// still would not load or run it.
//
//   - default-src 'none': no script, frame, font, media, object, fetch,
//     worker or manifest, from anywhere;
//   - style-src 'self': the web layer's own stylesheet, served from
//     presswatch under its checksum URL; the archived markup has no style
//     left, and no inline style (element or attribute) is allowed, so a
//     style that slipped through could not load a url() either;
//   - img-src 'none': Render keeps no image, not even a data: one;
//   - base-uri 'none' and form-action 'none', which default-src does not
//     cover: no <base> can redirect links and no form can be sent;
//   - frame-ancestors 'self': only presswatch may frame the page (to show
//     it beside a diff, say);
//   - sandbox: the document gets a unique origin, cannot run script,
//     submit forms, open pop-ups or use plugins, and cannot reach
//     presswatch's cookies from script. Links still work: a click
//     navigates the tab to the original site, which is the reader's
//     choice and not a request the page makes.
//
// A web layer that needs an inline <style> adds its 'sha256-...' hash to
// style-src instead of 'unsafe-inline'.
const CSP = "default-src 'none'; style-src 'self'; img-src 'none'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox"

// linkRel is the rel every kept link gets.
const linkRel = "nofollow noopener noreferrer"

// newPolicy builds the allowlist: text structure and the few attributes
// that neither load nor run anything. Everything else is removed; the
// content of scripts, styles, frames, objects, form controls, media,
// SVG, MathML and templates is removed with the element.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements(
		"h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span",
		"article", "section", "header", "footer", "main", "aside", "nav", "address", "hgroup",
		"ul", "ol", "li", "dl", "dt", "dd",
		"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
		"blockquote", "q", "cite", "figure", "figcaption", "time", "data", "details", "summary",
		"em", "strong", "b", "i", "u", "s", "small", "sub", "sup", "mark", "abbr", "dfn",
		"del", "ins", "code", "pre", "kbd", "samp", "var", "bdi", "bdo", "ruby", "rt", "rp", "wbr",
	)
	p.AllowAttrs("lang").Matching(langTag).Globally()
	p.AllowAttrs("dir").Matching(regexp.MustCompile(`^(?i:ltr|rtl|auto)$`)).Globally()
	p.AllowAttrs("title").Globally()
	p.AllowAttrs("colspan", "rowspan", "span").Matching(bluemonday.Integer).OnElements("td", "th", "col", "colgroup")
	p.AllowAttrs("scope").Matching(regexp.MustCompile(`^(?i:row|col|rowgroup|colgroup)$`)).OnElements("th")
	p.AllowAttrs("datetime").Matching(regexp.MustCompile(`^[0-9A-Za-z:.+\- ]{1,40}$`)).OnElements("time", "del", "ins")
	p.AllowAttrs("value").Matching(bluemonday.Integer).OnElements("li")
	p.AllowAttrs("value").Matching(regexp.MustCompile(`^[^<>"'&]{0,100}$`)).OnElements("data")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("reversed").Matching(regexp.MustCompile(`^(?i:reversed)?$`)).OnElements("ol")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^[1aAiI]$`)).OnElements("ol")

	// Links: only absolute http(s) ones, which prepare has resolved.
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + linkRel + `$`)).OnElements("a")
	p.AllowURLSchemes("http", "https")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(false)

	p.SkipElementsContent("select", "textarea", "button", "datalist", "option", "optgroup",
		"svg", "math", "template", "canvas", "audio", "video", "applet", "embed", "portal", "map")
	return p
}

var langTag = regexp.MustCompile(`^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$`)

// policy is built once and only read after that; bluemonday policies are
// safe for concurrent use.
var policy = newPolicy()
