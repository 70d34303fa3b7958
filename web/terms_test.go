package web

import (
	"encoding/csv"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"presswatch/index"
)

func TestTermsPage(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	q := url.Values{"q": {"Zhanaozen"}}
	res, body := get(t, srv.URL+link("/terms", q))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	for _, want := range []string{
		// Russian first (two matches), then English and German.
		`<h2 id="tt-ru">ru</h2>`, `<h2 id="tt-en">en</h2>`, `<h2 id="tt-de">de</h2>`,
		// The name in its two Russian forms is one term of both articles.
		`<th scope="row">Жанаозене</th><td></td><td>2</td><td>2</td>`,
		`<svg class="tt-chart"`, `>Жанаозене</text>`, `>2 · 100 %</text>`,
		href("/api/terms", url.Values{"q": {"Zhanaozen"}, "format": {"csv"}}),
		href("/api/terms", url.Values{"q": {"Zhanaozen"}, "format": {"csv"}, "bom": {"1"}}),
		"4 articles", "terms counted in all of them", "Most frequent", "Most distinctive",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if i, j := strings.Index(body, `id="tt-ru"`), strings.Index(body, `id="tt-de"`); i < 0 || j < i {
		t.Errorf("ru (2 matches) is not before de (1 match)")
	}
	for _, stop := range []string{`<th scope="row">в</th>`, `<th scope="row">по</th>`, `<th scope="row">on</th>`, `<th scope="row">in</th>`} {
		if strings.Contains(body, stop) {
			t.Errorf("the page lists the stop word %s", stop)
		}
	}

	_, search := get(t, srv.URL+link("/search", q))
	if want := `href="/terms?q=Zhanaozen"`; !strings.Contains(search, want) {
		t.Errorf("the search page lacks the link %s", want)
	}
	_, ru := get(t, srv.URL+link("/terms", with(q, "ui", "ru")))
	if !strings.Contains(ru, "<h1>Главные слова</h1>") || !strings.Contains(ru, "Самые характерные") {
		t.Errorf("the Russian page is not in Russian")
	}
}

func TestTermsPageBadInput(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	tests := map[string]struct {
		q    url.Values
		want string
	}{
		"sample not a number": {url.Values{"q": {"Zhanaozen"}, "sample": {"many"}}, `“sample” cannot be used: “many” is not a whole number from 1 to 5000`},
		"sample too large":    {url.Values{"sample": {"100000"}}, `“sample” cannot be used: “100000” is not a whole number from 1 to 5000`},
		"sample of none":      {url.Values{"sample": {"0"}}, `“sample” cannot be used: “0” is not a whole number from 1 to 5000`},
		"limit too large":     {url.Values{"limit": {"201"}}, `“limit” cannot be used: “201” is not a whole number from 1 to 200`},
		"min negative":        {url.Values{"min": {"-1"}}, `“min” cannot be used: “-1” is not a whole number from 1 to 5000`},
		"unknown stance":      {url.Values{"stance": {"states"}}, `“stance” cannot be used: “states”`},
	}
	for name, tc := range tests {
		res, body := get(t, srv.URL+link("/terms", tc.q))
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), tc.want) {
			t.Errorf("%s: status %d, want 400 saying %q", name, res.StatusCode, tc.want)
		}
		res, body = get(t, srv.URL+link("/api/terms", tc.q))
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `"status": 400`) {
			t.Errorf("%s: API status %d, want 400: %s", name, res.StatusCode, body)
		}
	}
	for _, bad := range []url.Values{{"format": {"xml"}}, {"bom": {"1"}}, {"format": {"csv"}, "bom": {"yes"}}} {
		if res, body := get(t, srv.URL+link("/api/terms", bad)); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%v: status %d, want 400: %s", bad, res.StatusCode, body)
		}
	}
}

func TestAPITerms(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	res, body := get(t, srv.URL+"/api/terms?q=Zhanaozen&limit=5")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	var got index.TermsResult
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Total != 4 || got.Sampled != 4 || got.Collection != 6 || got.Options.Limit != 5 || len(got.Langs) != 3 || got.Langs[0].Lang != "ru" {
		t.Fatalf("got total %d, sampled %d, collection %d, limit %d, %d languages; want 4, 4, 6, 5 and ru first of 3",
			got.Total, got.Sampled, got.Collection, got.Options.Limit, len(got.Langs))
	}
	if f := got.Langs[0].Frequent; len(f) != 5 || f[0].Term != "Жанаозене" || f[0].Count != 2 {
		t.Errorf("ru frequent %+v, want 5 terms, Жанаозене in 2 first", f)
	}
}

func TestAPITermsCSV(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	for _, bom := range []bool{false, true} {
		u := srv.URL + "/api/terms?q=Zhanaozen&format=csv&min=1"
		if bom {
			u += "&bom=1"
		}
		res, body := get(t, u)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("bom %v: status %d, type %q", bom, res.StatusCode, res.Header.Get("Content-Type"))
		}
		if got := strings.HasPrefix(body, "\uFEFF"); got != bom {
			t.Errorf("bom %v: body starts with a byte order mark: %v", bom, got)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rows[0], termsHeader) || !slices.Equal(rows[0][:7],
			[]string{"lang", "term", "other spellings", "matches count", "collection count", "score", "kind"}) {
			t.Errorf("header %q", rows[0])
		}
		want := []string{"ru", "Жанаозене", "", "2", "2", "1.0000", "frequent", "2", "2", "3"}
		if !slices.ContainsFunc(rows, func(r []string) bool { return slices.Equal(r, want) }) {
			t.Errorf("bom %v: no row %q in %q", bom, want, rows)
		}
		kinds := map[string]int{}
		for _, r := range rows[1:] {
			kinds[r[0]+" "+r[6]]++
		}
		for _, k := range []string{"ru frequent", "en frequent", "de frequent", "ru distinctive"} {
			if kinds[k] == 0 {
				t.Errorf("bom %v: no rows for %s: %v", bom, k, kinds)
			}
		}
	}
}

// searchOnly is a Searcher without top terms.
type searchOnly struct{ Searcher }

func TestTermsWithoutTermsSearcher(t *testing.T) {
	ix, err := index.OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	s, err := New(Options{Search: searchOnly{ix}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s.SetReady(true)
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, path := range []string{"/terms?q=x", "/api/terms?q=x"} {
		if res, _ := get(t, srv.URL+path); res.StatusCode != http.StatusNotImplemented {
			t.Errorf("%s: status %d, want 501", path, res.StatusCode)
		}
	}
	if res, _ := get(t, srv.URL+"/search?q=x"); res.StatusCode != http.StatusOK {
		t.Errorf("search: status %d, want 200", res.StatusCode)
	}
}
