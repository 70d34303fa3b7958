package web

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestArticleHistoryPage(t *testing.T) {
	h := newHistoryFixture(t)
	res, body := h.get(t, "/articles/1", "")
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	for _, want := range []string{
		"Edited by the publisher <time>2011-12-18 10:00:00 UTC</time>",
		"Removed at source since <time>2011-12-19 08:00:00 UTC</time>",
		"Unreachable since <time>2011-12-17 00:00:00 UTC</time>", // 84 h of failures
		"<strong>edited</strong>", "headline changed; 4 words removed, 2 added",
		"<strong>removed at source</strong>", "404 Not Found",
		"first read", `<span class="kind">edit</span>`, "title was <del>Расстрел в Жанаозене</del>",
		"<ins>восстановила порядок</ins>", "<del>открыла огонь по нефтяникам</del>", // the word diff
		`<a href="/articles/1/archived">`, `<a href="/articles/1/warc" download>`,
		"/articles/1/archived?fetch=", // the removal's own capture
		"earliest copy", "2 h 15 min later", "1 d 3 h later", "(this article)",
		`<a href="/articles/2">Беспорядки в Жанаозене</a>`,
		`<a href="/articles/1/cite.bib" download>BibTeX</a>`, `<a href="/articles/1/cite.json" download>CSL-JSON</a>`,
		`<a href="/changes">Changes</a>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "No archived copy is stored yet.") {
		t.Error("the page says no archived copy is stored, but the fetch has a WARC record")
	}
	assertInert(t, body)
	assertNoKeys(t, body)

	_, ru := h.get(t, "/articles/1", "ru")
	for _, want := range []string{"Изменено изданием", "Удалено из источника с", "Недоступно с", "через 2 ч 15 мин",
		"самая ранняя копия", "изменён заголовок; удалено слов: 4, добавлено: 2", "Открыть архивную копию"} {
		if !strings.Contains(ru, want) {
			t.Errorf("Russian page lacks %q", want)
		}
	}

	// A copy: article 1 is named the earliest, and 2 is 2 h 15 min after it.
	_, body = h.get(t, "/articles/2", "")
	if !strings.Contains(body, `<a href="/articles/1">Беспорядки в Жанаозене</a>`) || !strings.Contains(body, "earliest copy") {
		t.Errorf("article 2 does not name article 1 the earliest copy")
	}

	// The completed text: no edit badge, no "text changed".
	_, body = h.get(t, "/articles/4", "")
	for _, want := range []string{"full text", "not an edit", "full text read"} {
		if !strings.Contains(body, want) {
			t.Errorf("article 4 lacks %q", want)
		}
	}
	for _, bad := range []string{"Edited by the publisher", "text changed", "<del>"} {
		if strings.Contains(body, bad) {
			t.Errorf("article 4, completed and never edited, shows %q", bad)
		}
	}

	// Failing for 10 h only: not yet unreachable.
	_, body = h.get(t, "/articles/5", "")
	if strings.Contains(body, "Unreachable since") {
		t.Error("article 5 is called unreachable after 10 h of failures")
	}
}

func TestAPIArticleHistory(t *testing.T) {
	h := newHistoryFixture(t)
	_, body := h.get(t, "/api/articles/1", "")
	var a ArticleJSON
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if a.State != "removed" || a.EditedAt == nil || a.EditedAt.Format("2006-01-02T15") != "2011-12-18T10" ||
		a.RemovedSince == nil || a.RemovedSince.Format("2006-01-02T15") != "2011-12-19T08" {
		t.Errorf("state %q, edited_at %v, removed_since %v", a.State, a.EditedAt, a.RemovedSince)
	}
	if a.Fetch == nil || a.Fetch.WARCFile != h.loc.File || a.Fetch.WARCRecordID != h.loc.RecordID || !strings.HasPrefix(a.Fetch.WARCRecordID, "<urn:uuid:") {
		t.Errorf("fetch = %+v, want WARC %s %s", a.Fetch, h.loc.File, h.loc.RecordID)
	}
	if len(a.Versions) != 2 || a.Versions[0].Kind != "first" || a.Versions[1].Kind != "edit" {
		t.Errorf("versions = %+v", a.Versions)
	}
	if len(a.Events) != 2 || a.Events[0].Kind != "edited" || !a.Events[0].TitleChanged || a.Events[0].WordsRemoved != 4 ||
		a.Events[0].WordsAdded != 2 || a.Events[1].Kind != "removed" || a.Events[1].Detail != "404 Not Found" {
		t.Errorf("events = %+v", a.Events)
	}
	if a.Earliest != 1 || len(a.Copies) != 2 || a.Copies[0].ID != 2 || a.Copies[0].Delay != 8100 ||
		a.Copies[1].ID != 3 || a.Copies[1].Delay != 99000 {
		t.Errorf("earliest %d, copies %+v", a.Earliest, a.Copies)
	}
	for _, raw := range []string{`"edited_at"`, `"removed_since"`, `"warc_file"`, `"warc_record_id"`, `"delay_seconds"`, `"title_changed"`} {
		if !strings.Contains(body, raw) {
			t.Errorf("JSON lacks %s", raw)
		}
	}
	// A copy's earliest is the story's; one that was never edited has nulls.
	_, body = h.get(t, "/api/articles/2", "")
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatal(err)
	}
	if a.Earliest != 1 || len(a.Copies) != 2 || a.Copies[0].ID != 1 || a.Copies[0].Delay != 0 || a.State != "live" ||
		!strings.Contains(body, `"edited_at": null`) || !strings.Contains(body, `"events": []`) {
		t.Errorf("article 2: %s", body)
	}
}
