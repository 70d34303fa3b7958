package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"presswatch/index"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

var exportSources = []model.Source{
	{ID: "khabar", Name: "Хабар 24", Type: model.SourceFeed, URL: "https://khabar.kz/rss", Stance: model.StanceState, Every: time.Hour, Keep: model.KeepAll},
	{ID: "azattyq", Name: "Азаттык", Type: model.SourceFeed, URL: "https://rus.azattyq.org/rss", Stance: model.StanceIndependent, Every: time.Hour, Keep: model.KeepAll},
}

// newExportServer stores three articles (the first two copies of one
// story, the third alone and undated) in a store and an index, and serves
// them.
func newExportServer(t *testing.T) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "e.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SyncSources(ctx, exportSources); err != nil {
		t.Fatal(err)
	}
	seen := time.Date(2011, 12, 17, 8, 0, 0, 0, time.UTC)
	arts := []*model.Article{
		{URL: "https://rus.azattyq.org/a/1.html", SourceID: "azattyq", Lang: "kk", Title: "Жаңаөзендегі қақтығыс",
			Author: "Natalia Sokolova", DateSource: model.DateFromMeta, Published: time.Date(2011, 12, 16, 18, 0, 0, 0, almaty),
			Text: "Жаңаөзенде полиция ереуілшілерге оқ атты.", ContentHash: "h1", FirstSeen: seen},
		{URL: "https://khabar.kz/1", SourceID: "khabar", Lang: "kk", Title: "Жаңаөзендегі қақтығыс",
			DateSource: model.DateFromFeed, Published: time.Date(2011, 12, 16, 20, 0, 0, 0, almaty),
			Text: "Жаңаөзенде полиция ереуілшілерге оқ атты.", ContentHash: "h2", FirstSeen: seen.Add(time.Hour)},
		{URL: "https://rus.azattyq.org/a/3.html", SourceID: "azattyq", Lang: "ru", Title: "Расстрел в Жанаозене",
			Author: "=HYPERLINK(\"http://evil.example\")", Text: "Полиция открыла огонь в Жанаозене.", ContentHash: "h3",
			FirstSeen: seen.Add(2 * time.Hour)},
	}
	topics := [][]string{{"zh", "oil"}, {"zh"}, nil}
	// The third came from a web archive: its fetch holds the capture.
	capID, err := st.RecordFetch(ctx, &model.Fetch{SourceID: "azattyq", URL: arts[2].URL, At: seen, Status: 200,
		CapturedAt: time.Date(2011, 12, 19, 6, 30, 0, 0, time.UTC), Capture: "https://web.archive.org/web/20111219063000/" + arts[2].URL})
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range arts {
		a.LastChecked, a.State, a.Provenance = a.FirstSeen, model.StateLive, model.ProvenanceCrawl
		if i == 1 {
			a.ClusterID = arts[0].ID
		}
		if i == 2 {
			a.Provenance, a.FetchID = model.ProvenanceArchive, capID
		}
		if err := st.CreateArticle(ctx, a, topics[i], ""); err != nil {
			t.Fatal(err)
		}
		a.Topics = topics[i]
	}
	ix, err := index.OpenMem(index.WithSources(exportSources))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Put(ctx, arts); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Search: ix, Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s.SetReady(true)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

// The columns the store adds, by article id, as the CSV gives them.
var wantStoreColumns = map[string]map[string]string{
	"1": {"source": "azattyq", "source_name": "Азаттык", "author": "Natalia Sokolova", "date_source": "meta", "topics": "oil;zh", "cluster": "1", "first_seen": "2011-12-17T08:00:00Z",
		"provenance": "crawl", "captured_at": "", "capture": ""},
	"2": {"source": "khabar", "source_name": "Хабар 24", "author": "", "date_source": "feed", "topics": "zh", "cluster": "1", "first_seen": "2011-12-17T09:00:00Z",
		"provenance": "crawl", "captured_at": "", "capture": ""},
	"3": {"source": "azattyq", "source_name": "Азаттык", "author": `'=HYPERLINK("http://evil.example")`, "date_source": "", "topics": "", "cluster": "", "first_seen": "2011-12-17T10:00:00Z",
		"provenance": "archive", "captured_at": "2011-12-19T06:30:00Z", "capture": "https://web.archive.org/web/20111219063000/https://rus.azattyq.org/a/3.html"},
}

func TestExportCSVColumnsFromTheStore(t *testing.T) {
	srv := newExportServer(t)
	_, body := get(t, srv.URL+"/search.csv?sort=oldest&date=first_seen")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want a header and 3: %q", len(rows), rows)
	}
	got := map[string]map[string]string{}
	for _, r := range rows[1:] {
		byName := map[string]string{}
		for i, name := range rows[0] {
			if _, ok := wantStoreColumns["1"][name]; ok {
				byName[name] = r[i]
			}
		}
		got[r[0]] = byName
	}
	if !reflect.DeepEqual(got, wantStoreColumns) {
		t.Errorf("store columns\n got %v\nwant %v", got, wantStoreColumns)
	}
	if ids := rows[1][0] + rows[2][0] + rows[3][0]; ids != "123" {
		t.Errorf("rows in the order %s, want 123 (oldest first seen first)", ids)
	}
}

func TestExportJSONLFieldsFromTheStore(t *testing.T) {
	srv := newExportServer(t)
	_, body := get(t, srv.URL+"/search.jsonl?sort=oldest&date=first_seen")
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines: %s", len(lines), body)
	}
	type line struct {
		ID         int64    `json:"id"`
		Source     string   `json:"source"`
		SourceName string   `json:"source_name"`
		Author     string   `json:"author"`
		DateSource string   `json:"date_source"`
		Topics     []string `json:"topics"`
		Cluster    *int64   `json:"cluster"`
		FirstSeen  string   `json:"first_seen"`
		Provenance string   `json:"provenance"`
		Capture    *struct {
			At     string `json:"at"`
			Record string `json:"record"`
		} `json:"capture"`
	}
	one := int64(1)
	capture := &struct {
		At     string `json:"at"`
		Record string `json:"record"`
	}{"2011-12-19T06:30:00Z", "https://web.archive.org/web/20111219063000/https://rus.azattyq.org/a/3.html"}
	want := []line{
		{1, "azattyq", "Азаттык", "Natalia Sokolova", "meta", []string{"oil", "zh"}, &one, "2011-12-17T08:00:00Z", "crawl", nil},
		{2, "khabar", "Хабар 24", "", "feed", []string{"zh"}, &one, "2011-12-17T09:00:00Z", "crawl", nil},
		// JSON needs no formula guard: the author is as written.
		{3, "azattyq", "Азаттык", `=HYPERLINK("http://evil.example")`, "", []string{}, nil, "2011-12-17T10:00:00Z", "archive", capture},
	}
	for i, l := range lines {
		var got line
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("line %d = %+v, want %+v", i+1, got, want[i])
		}
		for _, field := range []string{`"topics":`, `"cluster":`, `"date_source":`, `"provenance":`, `"capture":`} {
			if !strings.Contains(l, field) {
				t.Errorf("line %d lacks %s: %s", i+1, field, l)
			}
		}
	}
}

func TestExportCSVWithBOM(t *testing.T) {
	srv := newExportServer(t)
	bom := []byte{0xEF, 0xBB, 0xBF}
	for name, tc := range map[string]struct {
		query string
		first []byte
	}{
		"bom=1 starts with the UTF-8 byte order mark": {"?bom=1", append(bom, "id,published,"...)},
		"bom=0 has none":  {"?bom=0", []byte("id,published,")},
		"none by default": {"", []byte("id,published,")},
	} {
		_, body := get(t, srv.URL+"/search.csv"+tc.query)
		if !bytes.HasPrefix([]byte(body), tc.first) {
			t.Errorf("%s: starts % x, want % x", name, []byte(body)[:min(len(body), 16)], tc.first)
		}
		if rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll(); err != nil || len(rows) != 4 ||
			!strings.Contains(body, "Жаңаөзендегі қақтығыс") {
			t.Errorf("%s: %d rows, %v; want 4 with the Kazakh title", name, len(rows), err)
		}
	}
	for name, path := range map[string]string{
		"a BOM is for the CSV only": "/search.jsonl?bom=1",
		"bom takes 1 or 0":          "/search.csv?bom=yes",
	} {
		res, body := get(t, srv.URL+path)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "bom") {
			t.Errorf("%s: status %d, %q; want 400 naming bom", name, res.StatusCode, body)
		}
	}
	_, page := get(t, srv.URL+"/search?q=Zhanaozen")
	if want := `href="/search.csv?q=Zhanaozen&amp;bom=1"`; !strings.Contains(page, want) {
		t.Errorf("the search page lacks the link %s", want)
	}
}
