package web

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"presswatch/index"
	"strings"
	"testing"
)

func TestExportCSV(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	res, err := http.Get(srv.URL + "/search.csv?sort=oldest")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		res.Header.Get("Content-Disposition") != `attachment; filename="presswatch-search-20240102-030405.csv"` {
		t.Fatalf("status %d, headers %v", res.StatusCode, res.Header)
	}
	rows, err := csv.NewReader(res.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "id,published,first_seen,source,stance,lang,title,url,source_name,author,date_source,topics,cluster,provenance,captured_at,capture" {
		t.Errorf("header %s", got)
	}
	if len(rows) != 7 {
		t.Fatalf("%d rows, want a header and 6 articles", len(rows))
	}
	byID := map[string][]string{}
	for _, r := range rows[1:] {
		byID[r[0]] = r
	}
	for name, tc := range map[string]struct {
		id, want string
		col      int
	}{
		"formula gets a quote, commas and quotes survive": {"6", `'=HYPERLINK("http://evil.example","click"), "quoted"`, 6},
		"published with the publisher's offset":           {"1", "2011-12-16T20:00:00+06:00", 1},
		"first seen in UTC":                               {"1", "2011-12-20T08:00:00Z", 2},
		"stance":                                          {"3", "campaign", 4},
		"title kept as written":                           {"2", "Расстрел нефтяников в Жанаозене <script>alert(1)</script>", 6},
	} {
		if r := byID[tc.id]; r == nil || r[tc.col] != tc.want {
			t.Errorf("%s: row %v, want column %d = %s", name, r, tc.col, tc.want)
		}
	}
}

func TestCellGuard(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+7 701": "'+7 701", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)", "\t=1": "'\t=1",
		"plain": "plain", "": "", "a=b": "a=b",
	} {
		if got := cell(in); got != want {
			t.Errorf("cell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExportJSONLAcrossPages(t *testing.T) {
	const n = 2500 // three pages of index.MaxLimit
	srv := newSearchServer(t, manyArticles(n), true)
	for _, sort := range []string{"", "newest"} {
		res, err := http.Get(srv.URL + "/search.jsonl?q=report&sort=" + sort)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment; filename=") {
			t.Fatalf("status %d, headers %v", res.StatusCode, res.Header)
		}
		seen := map[int64]bool{}
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			var h index.Hit
			if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
				t.Fatalf("line %q: %v", sc.Text(), err)
			}
			if seen[h.ID] {
				t.Errorf("sort %q: article %d twice", sort, h.ID)
			}
			seen[h.ID] = true
			if h.Published == nil || h.Title == "" || strings.Contains(h.Snippet, "<mark>") || !strings.Contains(h.Snippet, "report") {
				t.Fatalf("incomplete line %s", sc.Text())
			}
		}
		res.Body.Close()
		if len(seen) != n {
			t.Errorf("sort %q: exported %d articles, want %d", sort, len(seen), n)
		}
	}
}
