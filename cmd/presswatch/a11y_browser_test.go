package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestAccessibility runs axe-core (npm's axe-core 4.14.1) in headless
// Chromium on every kind of page of a running presswatch, at 1280 px and
// at 375 px, in the light and the dark colour scheme, and fails on every
// violation of impact serious or critical, and on the moderate rules that
// say a page has no h1, no main landmark, content outside landmarks or a
// skip link to nowhere. It also presses Tab on each page: the first stop
// is the skip link to <main>, and the first stops show where the focus is.
//
// axe.min.js is read from $PRESSWATCH_AXE (the file, or the folder npm
// installed it in: .ci/run installs it), else from a node_modules beside
// the repository or in ~/.cache/presswatch-npm. Without it the test skips,
// saying so, unless CI is set: then it fails.
func TestAccessibility(t *testing.T) {
	chrome := chromium(t)
	axe := axeScript(t)
	start := time.Now()
	f := startBrowserFixture(t, chrome)
	t.Logf("fixture served at %s in %s", f.base, time.Since(start).Round(time.Millisecond))

	// A crawled article of the fixture, and a source's own page.
	tb := f.tab(t)
	tb.open("/search?q=Zhanaozen", http.StatusOK)
	hits := eval[[]string](tb, jsResults)
	if len(hits) == 0 {
		t.Fatal("/search?q=Zhanaozen lists no article")
	}
	pages := []struct {
		name, path string
		status     int
	}{
		{"home", "/", 200},
		{"search", "/search?q=Zhanaozen", 200},
		{"article", hits[0], 200},
		{"timeline", "/timeline?q=Zhanaozen", 200},
		{"compare", "/compare?q=Zhanaozen", 200},
		{"breakdown", "/breakdown?q=Zhanaozen", 200},
		{"terms", "/terms?q=Zhanaozen", 200},
		{"changes", "/changes", 200},
		{"sources", "/sources", 200},
		{"source", "/sources/new", 200},
		{"topics", "/topics", 200},
		{"help", "/help", 200},
		{"login", "/login", 200},
		{"import", "/import", 200},
		{"digests", "/digests", 200},
		{"notfound", "/no/such/page", 404},
	}
	runs := 0
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			tb := f.tab(t)
			tb.open(p.path, p.status)
			checkKeyboard(tb, p.path)
			if err := chromedp.Do(tb.ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
				t.Fatalf("%s: injecting axe-core: %v", p.path, err)
			}
			if p.name == "home" {
				t.Logf("axe-core %s", eval[string](tb, `axe.version`))
			}
			for _, v := range axeVariants {
				if err := chromedp.Do(tb.ctx, v.emulate()); err != nil {
					t.Fatalf("%s: emulating %s: %v", p.path, v, err)
				}
				if got := eval[string](tb, v.jsCheck()); got != "ok" {
					t.Fatalf("%s: emulating %s: the page sees %s", p.path, v, got)
				}
				began := time.Now()
				found, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]axeViolation](v.jsRun(), chromedp.EvalAwaitPromise))
				if err != nil {
					t.Fatalf("%s %s: running axe-core: %v", p.path, v, err)
				}
				t.Logf("%s %s: %d violations in %s", p.path, v, len(found), time.Since(began).Round(time.Millisecond))
				runs++
				reportViolations(t, p.path+" ("+v.String()+")", found)
			}
		})
	}
	t.Logf("axe-core ran %d times on %d pages; the test took %s", runs, len(pages), time.Since(start).Round(time.Millisecond))
}

// axeStrictRules are moderate rules the test fails on all the same: every
// page has one h1 and a main landmark, all its content in landmarks, and
// a skip link whose target exists.
var axeStrictRules = []string{"page-has-heading-one", "landmark-one-main", "region", "skip-link",
	"landmark-no-duplicate-main", "landmark-no-duplicate-banner", "landmark-no-duplicate-contentinfo", "heading-order"}

// reportViolations fails on each rule broken at impact serious or
// critical, or in axeStrictRules, naming the rule, the impact, the
// elements (the first five) and what is wrong with the first.
func reportViolations(t *testing.T, where string, found []axeViolation) {
	t.Helper()
	type key struct{ rule, impact string }
	var order []key
	byRule := map[key][]axeViolation{}
	for _, a := range found {
		if a.Impact == "serious" || a.Impact == "critical" || slices.Contains(axeStrictRules, a.Rule) {
			k := key{a.Rule, a.Impact}
			if byRule[k] == nil {
				order = append(order, k)
			}
			byRule[k] = append(byRule[k], a)
		}
	}
	for _, k := range order {
		vs := byRule[k]
		var targets []string
		for _, a := range vs[:min(len(vs), 5)] {
			targets = append(targets, a.Target)
		}
		more := ""
		if len(vs) > 5 {
			more = fmt.Sprintf(" and %d more", len(vs)-5)
		}
		t.Errorf("%s: %s [%s] at %s%s: %s", where, k.rule, k.impact, strings.Join(targets, " | "), more, vs[0].Summary)
	}
}

// axeVariant is a width and a colour scheme a page is checked at, with
// the rules run there: all of them at the first, then those whose outcome
// can change with the layout or the colours (the others read the markup,
// the same at every width and in both schemes). This keeps the test
// within a minute on two cores.
type axeVariant struct {
	width  int64
	scheme string   // prefers-color-scheme: light or dark
	only   []string // the rules run; nil: all
}

var axeShownRules = []string{"color-contrast", "link-in-text-block", "target-size", "scrollable-region-focusable"}

var axeVariants = []axeVariant{
	{1280, "light", nil}, {1280, "dark", axeShownRules},
	{375, "light", axeShownRules}, {375, "dark", axeShownRules},
}

func (v axeVariant) String() string { return fmt.Sprintf("%d px, %s", v.width, v.scheme) }

// emulate sets the tab's viewport width and its prefers-color-scheme.
func (v axeVariant) emulate() chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.EmulateViewport(v.width, 900),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: v.scheme}}})
			return err
		}),
	)
}

// jsCheck is a script that says "ok" when the page is laid out at the
// variant's width in its colour scheme, else what it sees.
func (v axeVariant) jsCheck() string {
	return fmt.Sprintf(`(innerWidth === %d && matchMedia('(prefers-color-scheme: %s)').matches) ? 'ok' :
		'a width of ' + innerWidth + ' px, dark ' + matchMedia('(prefers-color-scheme: dark)').matches`, v.width, v.scheme)
}

// axeViolation is one element failing one rule.
type axeViolation struct {
	Rule    string `json:"rule"`
	Impact  string `json:"impact"`
	Target  string `json:"target"`
	Summary string `json:"summary"`
}

// jsRun is a script that runs the variant's axe-core rules on the page
// and lists the failing elements. target-size (WCAG 2.2's 2.5.8, level
// AA) is off in axe-core by default: it runs here.
func (v axeVariant) jsRun() string {
	opts := `{resultTypes: ['violations'], rules: {'target-size': {enabled: true}}}`
	if v.only != nil {
		opts = `{resultTypes: ['violations'], runOnly: {type: 'rule', values: ` + jsStrings(v.only) + `}}`
	}
	return strings.Replace(jsAxeRun, "OPTIONS", opts, 1)
}

func jsStrings(s []string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

const jsAxeRun = `(async () => {
	const r = await axe.run(document, OPTIONS);
	return r.violations.flatMap(v => v.nodes.map(n => ({
		rule: v.id, impact: n.impact || v.impact || '',
		target: n.target.flat(Infinity).join(' '),
		summary: (n.failureSummary || v.help).replace(/\s+/g, ' ').slice(0, 300),
	})));
})()`

// checkKeyboard presses Tab on a freshly loaded page: the first stop must
// be a skip link to the page's <main>, shown when focused, and each of
// the first three stops must show a focus indicator (an outline or a box
// shadow).
func checkKeyboard(tb *tab, path string) {
	tb.t.Helper()
	type stop struct {
		Tag, Href, Text string
		Indicator       bool
		Visible         bool
		TargetIsMain    bool
	}
	const jsFocused = `(() => {
		const e = document.activeElement;
		if (!e || e === document.body) return {Tag: '', Href: '', Text: '', Indicator: false, Visible: false, TargetIsMain: false};
		const cs = getComputedStyle(e), r = e.getBoundingClientRect(), href = e.getAttribute('href') || '';
		const target = href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
		return {Tag: e.tagName.toLowerCase(), Href: href, Text: (e.textContent || e.value || '').trim().slice(0, 60),
			Indicator: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || cs.boxShadow !== 'none',
			Visible: r.width > 1 && r.height > 1 && r.bottom > 0 && r.top < innerHeight,
			TargetIsMain: !!target && (target.tagName === 'MAIN' || target.getAttribute('role') === 'main')};
	})()`
	for i := range 3 {
		if err := chromedp.Do(tb.ctx, chromedp.KeyEvent("\t")); err != nil {
			tb.t.Fatalf("%s: pressing Tab: %v", path, err)
		}
		s := eval[stop](tb, jsFocused)
		if i == 0 && !(s.Tag == "a" && s.TargetIsMain && s.Visible) {
			tb.t.Errorf("%s: the first Tab stop is %+v, want a visible skip link to the page's <main>", path, s)
		}
		if s.Tag != "" && !s.Indicator {
			tb.t.Errorf("%s: Tab stop %d (%+v) shows no focus indicator", path, i+1, s)
		}
	}
}

// axeScript reads axe.min.js, or skips (fails under CI) without it.
func axeScript(t *testing.T) string {
	t.Helper()
	var tried []string
	if p := os.Getenv("PRESSWATCH_AXE"); p != "" {
		tried = append(tried, p, filepath.Join(p, "node_modules", "axe-core", "axe.min.js"))
	}
	tried = append(tried, filepath.Join("..", "..", "..", "node_modules", "axe-core", "axe.min.js"))
	if home, err := os.UserHomeDir(); err == nil {
		tried = append(tried, filepath.Join(home, ".cache", "presswatch-npm", "node_modules", "axe-core", "axe.min.js"))
	}
	for _, p := range tried {
		if b, err := os.ReadFile(p); err == nil && strings.Contains(string(b[:min(len(b), 400)]), "axe") {
			t.Logf("axe-core from %s", p)
			return string(b)
		}
	}
	msg := "no axe.min.js in " + strings.Join(tried, ", ") +
		` (install it: npm install --no-save --prefix "$HOME/.cache/presswatch-npm" axe-core@4.14.1, or set PRESSWATCH_AXE)`
	if ci := os.Getenv("CI"); ci != "" && ci != "false" && ci != "0" {
		t.Fatal("CI is set but " + msg)
	}
	t.Skip("SKIPPED: " + msg)
	return ""
}
