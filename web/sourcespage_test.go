package web

import (
	"strings"
	"testing"
)

func TestSourcesPage(t *testing.T) {
	f := newPagesFixture(t, true)
	for lang, wants := range map[string][]string{
		"en": {`<tr id="azattyq">`, `<tr id="kazpravda" class="trouble">`, `<tr id="blog" class="trouble">`,
			"<strong>ok</strong>", "<strong>timed out</strong>", "timed out after 30 s", "(3 failed runs in a row)",
			"<strong>not a feed</strong>", "not a feed: HTML page",
			"2011-12-20 11:30:00 UTC", "2011-12-20 12:30:00 UTC", // last fetch, next run
			`<a href="/search?source=azattyq">1</a>`, "Kazakhstanskaya Pravda", "stance-state", ">page<"},
		"ru": {"<strong>работает</strong>", "<strong>истекло время ожидания</strong>", "<strong>это не лента новостей</strong>",
			"(неудачных запусков подряд: 3)", "Следующий запуск"},
	} {
		t.Run(lang, func(t *testing.T) {
			res, body := f.get(t, "/sources", lang)
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			for _, want := range wants {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			assertNoKeys(t, body)
		})
	}
}

func TestStatusTextKnowsEveryKind(t *testing.T) {
	for _, kind := range []string{"timeout", "dns", "connect", "tls", "http_status", "rate_limited", "too_large",
		"too_many_redirects", "robots_disallowed", "blocked_address", "not_a_feed", "parse", "charset", "extract",
		"canceled", "internal", "backoff", "selectors", "items_failed"} {
		for _, lang := range uiLangs {
			if _, ok := messages[lang]["sources.kind."+kind]; !ok {
				t.Errorf("%s has no words for the error kind %s", lang, kind)
			}
		}
	}
	seen := pagesNow
	st := SourceStatus{Active: true, LastFetch: &seen, ErrorKind: "http_status", HTTP: 503}
	if got := statusText("en", st); got != "server answered with an error status (HTTP 503)" {
		t.Errorf("http status: %q", got)
	}
}
