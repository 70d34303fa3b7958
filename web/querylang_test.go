package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"presswatch/index"
)

// TestHelpExamplesParse: every query the help page shows is one the
// search takes (a help page whose examples fail teaches mistakes).
func TestHelpExamplesParse(t *testing.T) {
	ix, err := index.OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	n := 0
	for _, sec := range helpSections {
		if !sec.Query {
			continue
		}
		for _, it := range sec.Items {
			n++
			if _, err := ix.Search(context.Background(), index.Request{Query: it.Example, Limit: 1}); err != nil {
				t.Errorf("help example %q: %v", it.Example, err)
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d query examples on the help page", n)
	}
}

// TestSearchPageQueryLanguage: the search page shows how a query was
// read, keeps op= in its form, and answers a query it cannot read with a
// 400 that says where and why, in both the page and the API.
func TestSearchPageQueryLanguage(t *testing.T) {
	f := newPagesFixture(t, true)
	res, body := f.get(t, "/search?q="+url.QueryEscape("Жанаозен NOT Хулиганы")+"&op=and", "en")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{`<p class="sp-readas">Read as: <code>Жанаозен AND NOT Хулиганы</code>`,
		`<option value="and" selected>`, "2 articles"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// A query read as it was written is not repeated.
	for _, q := range []string{"Хулиганы", " Хулиганы  ", "Жанаозен AND NOT Хулиганы"} {
		if _, body := f.get(t, "/search?q="+url.QueryEscape(q)+"&op=and", "en"); strings.Contains(body, `class="sp-readas"`) {
			t.Errorf("%s: the page repeats the query as it was read", q)
		}
	}
	for q, want := range map[string]string{
		"titel:Zhanaozen": `unknown field &#34;titel&#34; at 1; did you mean &#34;title&#34;?`,
		"lang:russian":    `did you mean lang:ru?`,
		"(((":             `unbalanced parenthesis: this ( is never closed at 3`,
	} {
		res, body := f.get(t, "/search?q="+url.QueryEscape(q), "en")
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, want) {
			t.Errorf("%s: status %d, want 400 with %q", q, res.StatusCode, want)
		}
	}
	resp, err := http.Get(f.srv.URL + "/api/search?q=" + url.QueryEscape("stance:states"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e struct {
		Error  string `json:"error"`
		Status int    `json:"status"`
	}
	if err := json.Unmarshal(raw, &e); err != nil || resp.StatusCode != 400 || !strings.Contains(e.Error, `there is no stance "states"`) || !strings.Contains(e.Error, `did you mean "state"?`) {
		t.Errorf("API: %d %s", resp.StatusCode, raw)
	}
}

// TestHostileQueries: each query that costs other parsers dearly is
// refused with a 400 that says why, while other searches are answered
// meanwhile. (Their time is measured by BenchmarkParseHostile in qparse:
// microseconds; the parser's bounds are of length, depth and clauses, not
// of time.)
func TestHostileQueries(t *testing.T) {
	f := newPagesFixture(t, true)
	hostile := map[string]string{
		"10,000 nested parentheses": strings.Repeat("(", 10000) + "a" + strings.Repeat(")", 10000),
		"2,000 nested parentheses":  strings.Repeat("(", 2000) + "a",
		"1,000 terms":               strings.Repeat("w ", 1000),
		"a pattern of wildcards":    "*a*b*c*",
		"an empty group":            "Zhanaozen AND ()",
		"1,000 NOTs":                strings.Repeat("NOT ", 1000) + "a",
	}
	want := map[string]string{
		"10,000 nested parentheses": "longer than",
		"2,000 nested parentheses":  "more than 32 groups inside each other",
		"1,000 terms":               "more than 256 words, phrases and ranges",
		"a pattern of wildcards":    "a pattern needs at least 2 letters",
		"an empty group":            "empty group",
		"1,000 NOTs":                "more than 32 operators or groups",
	}
	done := make(chan string, len(hostile))
	for name, q := range hostile {
		go func() {
			resp, err := http.Get(f.srv.URL + "/api/search?q=" + url.QueryEscape(q))
			if err != nil {
				done <- name + ": " + err.Error()
				return
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), want[name]) {
				done <- name + ": " + resp.Status + " " + string(body)
				return
			}
			done <- ""
		}()
	}
	// A search of someone else's is answered while those run.
	res, body := f.get(t, "/search?q=Zhanaozen", "en")
	if res.StatusCode != 200 || !strings.Contains(body, "articles") {
		t.Errorf("a plain search beside the hostile ones: %d", res.StatusCode)
	}
	for range hostile {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
	// A 10 MB query does not reach presswatch: net/http refuses a request
	// line and headers above its 1 MB limit with 431.
	resp, err := http.Get(f.srv.URL + "/api/search?q=" + strings.Repeat("a", 10<<20))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("10 MB query: %s", resp.Status)
	}
}
