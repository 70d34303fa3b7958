package web

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAPIArticle(t *testing.T) {
	f := newPagesFixture(t, true)
	res, body := f.get(t, "/api/articles/1", "")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	var a ArticleJSON
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatal(err)
	}
	if a.ID != 1 || a.Source != (SourceRef{"azattyq", "Azattyq", "independent"}) || a.Text != hostileText ||
		a.Published == nil || a.Published.Format("15:04 -07:00") != "14:30 +06:00" || len(a.Topics) != 1 {
		t.Errorf("article = %+v", a)
	}
	if a.Fetch == nil || a.Fetch.SHA256 != f.sha || a.Fetch.Status != 200 {
		t.Errorf("fetch = %+v", a.Fetch)
	}
	if len(a.Versions) != 2 || a.Versions[0].Changed || !a.Versions[1].Changed || a.Versions[1].ContentHash != "bbb2" {
		t.Errorf("versions = %+v", a.Versions)
	}
	if len(a.Copies) != 1 || a.Copies[0].ID != 2 || a.Copies[0].Stance != "state" {
		t.Errorf("copies = %+v", a.Copies)
	}
	if !strings.Contains(a.Cite, f.sha) {
		t.Errorf("cite = %q", a.Cite)
	}
	// An article without fetch record or copies has null and [] (not null).
	_, body = f.get(t, "/api/articles/3", "")
	if !strings.Contains(body, `"fetch": null`) || !strings.Contains(body, `"copies": []`) || !strings.Contains(body, `"published": "2011-05-26T00:00:00Z"`) {
		t.Errorf("article 3: %s", body)
	}
}

func TestAPITopics(t *testing.T) {
	f := newPagesFixture(t, true)
	res, body := f.get(t, "/api/topics", "")
	var got struct {
		Day    string
		Topics []TopicJSON
	}
	if res.StatusCode != 200 || json.Unmarshal([]byte(body), &got) != nil {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	want := []TopicJSON{{ID: "trials", Name: "Trials", Query: "trial"}, {ID: "zhanaozen", Name: "Zhanaozen", Query: "Zhanaozen", Today: 1, Week: 2}}
	if got.Day != "2011-12-20" || len(got.Topics) != 2 || got.Topics[0] != want[0] || got.Topics[1] != want[1] {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestAPITimeline(t *testing.T) {
	f := newPagesFixture(t, true)
	for name, tc := range map[string]struct {
		query  string
		status int
		total  uint64
		errHas string
	}{
		"all articles":   {"q=Zhanaozen", 200, 3, ""},
		"a filter":       {"q=Zhanaozen&stance=state", 200, 1, ""},
		"limit is fixed": {"q=Zhanaozen&limit=1000", 200, 3, ""},
		"bad date":       {"q=x&from=2011-13-01", 400, 0, `"from"`},
		"bad query":      {"q=%22unclosed", 400, 0, "unclosed"},
		"bad sort":       {"q=x&sort=sideways", 400, 0, "sideways"},
	} {
		t.Run(name, func(t *testing.T) {
			res, body := f.get(t, "/api/timeline?"+tc.query, "")
			if res.StatusCode != tc.status {
				t.Fatalf("status %d: %s", res.StatusCode, body)
			}
			if tc.status != 200 {
				var e struct {
					Error  string
					Status int
				}
				if json.Unmarshal([]byte(body), &e) != nil || e.Status != tc.status || !strings.Contains(e.Error, tc.errHas) {
					t.Errorf("error body %s, want it to mention %s", body, tc.errHas)
				}
				return
			}
			var got map[string]json.RawMessage
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			if len(got) != 4 || got["interval"] == nil || got["timeline"] == nil || string(got["total"]) != jsonNum(tc.total) || got["undated"] == nil {
				t.Errorf("timeline = %s", body)
			}
		})
	}
}

func jsonNum(n uint64) string { b, _ := json.Marshal(n); return string(b) }

func TestAPINotReady(t *testing.T) {
	f := newPagesFixture(t, false)
	res, body := f.get(t, "/api/timeline?q=x", "")
	if res.StatusCode != 503 || !strings.Contains(body, `"status": 503`) {
		t.Errorf("timeline while starting: %d %s", res.StatusCode, body)
	}
	// The store answers while the index catches up.
	for _, p := range []string{"/api/articles/1", "/api/topics", "/api/sources", "/articles/1", "/sources", "/", "/help"} {
		if res, _ := f.get(t, p, ""); res.StatusCode != 200 {
			t.Errorf("%s while starting: %d", p, res.StatusCode)
		}
	}
}

var apiExamples = flag.Bool("api-examples", false, "write the API's answers to the fixture into testdata/api, for docs/api.md")

// TestAPIExamples answers every endpoint of docs/api.md from the fixture;
// with -api-examples it writes the answers to testdata/api, from which the
// doc's examples are trimmed by hand.
func TestAPIExamples(t *testing.T) {
	f := newPagesFixture(t, true)
	for name, path := range map[string]string{
		"search":           "/api/search?q=Zhanaozen&stance=state,independent&limit=1",
		"article":          "/api/articles/1",
		"article-missing":  "/api/articles/999",
		"sources":          "/api/sources",
		"topics":           "/api/topics",
		"timeline":         "/api/timeline?q=Zhanaozen&from=2011-12-01",
		"timeline-bad":     "/api/timeline?q=Zhanaozen&from=2011-13-01",
		"search_stories":   "/api/search?q=Zhanaozen&collapse=story&sort=oldest&limit=1",
		"timeline_stories": "/api/timeline?q=Zhanaozen&collapse=story&from=2011-12-15",
		"healthz":          "/healthz",
	} {
		res, body := f.get(t, path, "")
		wantOK := !strings.Contains(name, "-") // "article-missing" and "timeline-bad" are errors
		if !json.Valid([]byte(body)) || (res.StatusCode == 200) != wantOK {
			t.Errorf("%s: %d %s", path, res.StatusCode, body)
		}
		if *apiExamples {
			out := "GET " + path + "\n" + res.Proto + " " + res.Status + "\n\n" + body
			if err := os.MkdirAll(filepath.Join("testdata", "api"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join("testdata", "api", name+".txt"), []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestAPIHistoryExamples is TestAPIExamples for the endpoints of an
// article's life after it was first read, from the history fixture.
func TestAPIHistoryExamples(t *testing.T) {
	h := newHistoryFixture(t)
	for name, path := range map[string]string{
		"article-history": "/api/articles/1",
		"changes":         "/api/changes?limit=1",
	} {
		res, body := h.get(t, path, "")
		if !json.Valid([]byte(body)) || res.StatusCode != 200 {
			t.Errorf("%s: %d %s", path, res.StatusCode, body)
		}
		if *apiExamples {
			out := "GET " + path + "\n" + res.Proto + " " + res.Status + "\n\n" + body
			if err := os.MkdirAll(filepath.Join("testdata", "api"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join("testdata", "api", name+".txt"), []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
