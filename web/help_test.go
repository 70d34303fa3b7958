package web

import (
	"strings"
	"testing"
)

func TestHelpPage(t *testing.T) {
	f := newPagesFixture(t, true)
	for lang, wants := range map[string][]string{
		"en": {`<html lang="en"`, "How to search", "<code>&#34;oil workers&#34;</code>", "<code>&#43;Zhanaozen &#43;police</code>",
			"<code>Zhanaozen -football</code>", "<code>title:Zhanaozen</code>", "<code>lang:ru</code>", "<code>stance:state</code>",
			"<code>topic:zhanaozen</code>", "<code>source:azattyq</code>", "published:&gt;=", "publisher&#39;s own day",
			"Alias groups", "every spelling", "Kouramchine", "no misspelling", "CSV and JSON Lines", "Atom feed"},
		"ru": {`<html lang="ru"`, "Как искать", "Слова подряд", "обязательно", "Имена в любом написании",
			"Группы синонимов", "но не опечатки", "день и время самого издания", "CSV и JSON Lines", "Лента Atom"},
	} {
		t.Run(lang, func(t *testing.T) {
			res, body := f.get(t, "/help", lang)
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
