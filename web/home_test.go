package web

import (
	"strings"
	"testing"
)

func TestHomeDashboard(t *testing.T) {
	f := newPagesFixture(t, true)
	res, body := f.get(t, "/", "")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{
		`<form action="/search" method="get" role="search">`,
		// Zhanaozen: article 1 today, 2 three days ago, 3 ten days ago.
		`<a href="/search?topic=zhanaozen">Zhanaozen</a></th>
  <td class="num today">1</td><td class="num week">2</td>`,
		`<a href="/search?topic=trials">Trials</a></th>
  <td class="num today">0</td><td class="num week">0</td>`,
		`<a href="/sources#kazpravda">Kazakhstanskaya Pravda</a>: timed out`,
		`<a href="/sources#blog">Strike blog</a>: not a feed`,
		`<a href="/articles/1">`, `<a href="/articles/2">`, `<a href="/articles/3">`,
		`<a href="/search.atom?topic=zhanaozen&amp;sort=newest" type="application/atom+xml">Atom</a>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, `href="/sources#azattyq"`) {
		t.Error("a healthy source is listed as in trouble")
	}
	// Newest first.
	if i1, i3 := strings.Index(body, `href="/articles/1"`), strings.Index(body, `href="/articles/3"`); i1 > i3 {
		t.Error("the newest article is not first")
	}
	assertInert(t, body)
	assertNoKeys(t, body)

	_, ru := f.get(t, "/", "ru")
	for _, want := range []string{"Темы", "За 7 дней", "Источники с ошибками", "Новые статьи", "истекло время ожидания"} {
		if !strings.Contains(ru, want) {
			t.Errorf("Russian page lacks %q", want)
		}
	}
}
