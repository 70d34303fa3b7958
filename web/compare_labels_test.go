package web

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// minLabelPx is the smallest a chart's text may be on screen.
const minLabelPx = 11

// The compare page's chart labels are at least 11 px as rendered. An SVG
// text's size on screen is its font size times the SVG's scale (rendered
// width over viewBox width), so the test holds every factor of it: each
// SVG's width and height attributes equal its viewBox (scale 1 unless a
// style resizes it), its font size, inherited by every label, is at least
// 11, no label sets its own size or sits in a transform, and no rule of
// style.css that can reach the page's SVGs or labels resizes or scales
// them. (TestCompareLabelsInBrowser measures the same in Chromium.)
func TestCompareLabelsReadable(t *testing.T) {
	srv := newCountServer(t)
	_, body := get(t, srv.URL+"/compare")
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	pageClasses, svgClasses := map[string]bool{}, map[string]bool{}
	var svgs []*html.Node
	walkHTML(doc, func(n *html.Node) {
		for _, c := range strings.Fields(htmlAttr(n, "class")) {
			pageClasses[c] = true
		}
		if n.Type == html.ElementNode && n.Data == "svg" {
			svgs = append(svgs, n)
		}
	})
	if len(svgs) != len(compareStances) { // every stance has a dated article
		t.Fatalf("%d charts, want one per stance (%d)", len(svgs), len(compareStances))
	}
	labels := 0
	for i, svg := range svgs {
		vb := strings.Fields(htmlAttr(svg, "viewbox"))
		if len(vb) != 4 || vb[2] != htmlAttr(svg, "width") || vb[3] != htmlAttr(svg, "height") {
			t.Errorf("chart %d: viewBox %q drawn %sx%s: scaled", i, htmlAttr(svg, "viewbox"), htmlAttr(svg, "width"), htmlAttr(svg, "height"))
		}
		if px, err := strconv.ParseFloat(htmlAttr(svg, "font-size"), 64); err != nil || px < minLabelPx {
			t.Errorf("chart %d: font-size %q, want at least %d", i, htmlAttr(svg, "font-size"), minLabelPx)
		}
		walkHTML(svg, func(n *html.Node) {
			if n.Type != html.ElementNode {
				return
			}
			for _, c := range strings.Fields(htmlAttr(n, "class")) {
				svgClasses[c] = true
			}
			for _, a := range []string{"transform", "style", "font-size", "font", "textLength"} {
				if n != svg && hasHTMLAttr(n, a) {
					t.Errorf("chart %d: <%s %s=%q> may change a label's size", i, n.Data, a, htmlAttr(n, a))
				}
			}
			if n.Data == "text" {
				labels++
			}
		})
	}
	if labels < 3*len(svgs) {
		t.Errorf("%d labels in %d charts, want a scale and dates on each", labels, len(svgs))
	}
	checkStyleLeavesSVGs(t, pageClasses, svgClasses)
}

// checkStyleLeavesSVGs fails on a rule of style.css that can match on a
// page with pageClasses and sizes an svg or its text (the SVG elements
// carrying svgClasses), or scales anything.
func checkStyleLeavesSVGs(t *testing.T, pageClasses, svgClasses map[string]bool) {
	t.Helper()
	css, err := staticFS.ReadFile("static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	text := regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(string(css), "")
	funcs := regexp.MustCompile(`:[a-z-]+\([^)]*\)`)
	classRe := regexp.MustCompile(`\.([\w-]+)`)
	sizing := regexp.MustCompile(`(?i)(^|;)\s*(width|height|max-width|max-height|min-width|min-height|font-size|font|zoom|scale|transform)\s*:`)
	scaling := regexp.MustCompile(`(?i)(^|;)\s*(zoom|scale|transform)\s*:`)
	rules := regexp.MustCompile(`([^{}]+)\{([^{}]*)\}`).FindAllStringSubmatch(text, -1)
	if len(rules) < 20 {
		t.Fatalf("read %d rules of style.css: the reader is broken", len(rules))
	}
	for _, rule := range rules {
		for sel := range strings.SplitSeq(rule[1], ",") {
			sel = strings.TrimSpace(sel)
			if sel == "" || strings.HasPrefix(sel, "@") {
				continue
			}
			plain := funcs.ReplaceAllString(sel, "")
			matchable := true
			for _, c := range classRe.FindAllStringSubmatch(plain, -1) {
				if !pageClasses[c[1]] {
					matchable = false // it needs a class no element of the page has
				}
			}
			if !matchable {
				continue
			}
			parts := strings.FieldsFunc(plain, func(r rune) bool { return r == ' ' || r == '>' || r == '+' || r == '~' })
			last := parts[len(parts)-1]
			tag := regexp.MustCompile(`^[a-zA-Z*]+`).FindString(last)
			targetsSVG := slices.Contains([]string{"svg", "text", "tspan", "*"}, tag)
			for _, c := range classRe.FindAllStringSubmatch(last, -1) {
				targetsSVG = targetsSVG || svgClasses[c[1]]
			}
			if tag == "" && !strings.Contains(last, ".") {
				targetsSVG = true // :root, [attr] and the like
			}
			if (targetsSVG && sizing.MatchString(rule[2])) || scaling.MatchString(rule[2]) {
				t.Errorf("style.css: %q {%s} can resize the compare page's charts", sel, strings.TrimSpace(rule[2]))
			}
		}
	}
}

func walkHTML(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walkHTML(c, f)
	}
}

func htmlAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func hasHTMLAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return true
		}
	}
	return false
}
