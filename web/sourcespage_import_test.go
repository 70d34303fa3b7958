package web

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

// TestSourcesPageImportSource holds that a source of imported files shows
// as imported, with when its newest file came in and how many it holds,
// never as not fetched yet, and without its file:/// address.
func TestSourcesPageImportSource(t *testing.T) {
	seen := time.Date(2011, 12, 17, 8, 0, 0, 0, time.UTC)
	srcs := append(namedSources[:1:1], model.Source{ID: "import", Name: "Imported: import", Type: model.SourceImport, URL: "file:///",
		Stance: model.StanceUnknown, Keep: model.KeepAll})
	arts := []*model.Article{
		{URL: "https://example.org/a", SourceID: "import", Lang: "en", Title: "A", Text: "One.", ContentHash: "a", FirstSeen: seen},
		{URL: "https://example.org/b", SourceID: "import", Lang: "en", Title: "B", Text: "Two.", ContentHash: "b", FirstSeen: seen.Add(26 * time.Hour)},
	}
	srv := newStoreServer(t, srcs, arts)
	for lang, want := range map[string]string{"en": "imported", "ru": "импортирован"} {
		_, body := get(t, srv.URL+"/sources?ui="+lang)
		row := regexp.MustCompile(`(?s)<tr id="import".*?</tr>`).FindString(body)
		if row == "" {
			t.Fatalf("%s: no row for the import source: %.2000s", lang, body)
		}
		for _, bad := range []string{"file:///", translate(lang, "sources.status.new"), translate(lang, "sources.never")} {
			if strings.Contains(row, bad) {
				t.Errorf("%s: the import source's row shows %q: %s", lang, bad, row)
			}
		}
		for _, good := range []string{"<strong>" + want + "</strong>", "2011-12-18 10:00:00 UTC", ">2</a>"} {
			if !strings.Contains(row, good) {
				t.Errorf("%s: the import source's row lacks %q: %s", lang, good, row)
			}
		}
	}
	// A feed never fetched still says so.
	_, body := get(t, srv.URL+"/sources")
	if row := regexp.MustCompile(`(?s)<tr id="world-wire".*?</tr>`).FindString(body); !strings.Contains(row, "not fetched yet") {
		t.Errorf("the feed's row: %s", row)
	}
}
