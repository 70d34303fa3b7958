package web

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestArticlePage(t *testing.T) {
	f := newPagesFixture(t, true)
	res, body := f.get(t, "/articles/1", "")
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	for _, want := range []string{
		"&lt;script&gt;alert(1)&lt;/script&gt;", // the title's markup, as characters
		"<p>16 декабря 2011 года в Жанаозене полиция открыла огонь.</p>", // paragraphs
		"&lt;style&gt;body{display:none}&lt;/style&gt;Last paragraph.</p>",
		"Айдос &lt;b&gt;Садыков&lt;/b&gt;",
		`<a href="/sources#azattyq">Azattyq</a>`, "stance-independent", `<a href="/search?topic=zhanaozen">Zhanaozen</a>`, // the topic by its name
		"2011-12-16 14:30 &#43;06:00", "2011-12-20 11:00:00 UTC", // published with offset, first seen
		`href="https://rus.azattyq.org/a/1.html" rel="noopener noreferrer"`,
		f.sha, ">200<", "2011-12-20 11:00:00 UTC", // the fetch record
		"text changed", "bbb2", "aaa1", // versions
		"Archived copy", "No archived copy is stored yet.",
		`<a href="/articles/2">Беспорядки в Жанаозене</a>`, // the copy
		`<textarea id="cite-text" class="cite" readonly`,
		`Azattyq. &#34;Расстрел нефтяников в Жанаозене &lt;script&gt;alert(1)&lt;/script&gt;&#34;. 2011-12-16. https://rus.azattyq.org/a/1.html`,
		"SHA-256 of the page as received: " + f.sha,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	assertInert(t, body)
	assertNoKeys(t, body)

	// In Russian, the same page in Russian words.
	_, ru := f.get(t, "/articles/1", "ru")
	for _, want := range []string{"Запись о загрузке", "Архивной копии пока нет.", "текст изменён", "«Расстрел нефтяников"} {
		if !strings.Contains(ru, want) {
			t.Errorf("Russian page lacks %q", want)
		}
	}
}

// assertInert fails if markup from a source survived as markup: a script
// or style element, an event handler or a javascript: URL in an attribute.
func assertInert(t *testing.T, body string) {
	t.Helper()
	for name, re := range map[string]*regexp.Regexp{
		"script element":  regexp.MustCompile(`(?i)<script`),
		"style element":   regexp.MustCompile(`(?i)<style`),
		"img element":     regexp.MustCompile(`(?i)<img`),
		"event handler":   regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`),
		"javascript: URL": regexp.MustCompile(`(?i)(href|src)\s*=\s*["']?\s*javascript:`),
	} {
		if m := re.FindString(body); m != "" {
			t.Errorf("%s reached the page: %q", name, m)
		}
	}
}

func TestArticleUnsafeURLIsNotLinked(t *testing.T) {
	f := newPagesFixture(t, true)
	res, body := f.get(t, "/articles/3", "")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	assertInert(t, body)
	for _, want := range []string{`<dd class="url">javascript:alert(4)</dd>`, "No fetch record", "No other copies are known.",
		"SHA-256 of the text: ddd4"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestArticleNotFound(t *testing.T) {
	f := newPagesFixture(t, true)
	for name, path := range map[string]string{
		"unknown id":  "/articles/999",
		"not numeric": "/articles/abc",
		"negative":    "/articles/-1",
		"zero":        "/articles/0",
		"too large":   "/articles/99999999999999999999",
	} {
		t.Run(name, func(t *testing.T) {
			res, body := f.get(t, path, "")
			if res.StatusCode != 404 || !strings.Contains(body, "There is no article with this id.") {
				t.Errorf("page: %d %s", res.StatusCode, body)
			}
			res, body = f.get(t, "/api"+path, "")
			if res.StatusCode != 404 || !strings.Contains(body, `"status": 404`) || !strings.Contains(body, `"error": "no article`) {
				t.Errorf("api: %d %s", res.StatusCode, body)
			}
		})
	}
}

// assertNoKeys fails if a message key shows instead of its text.
func assertNoKeys(t *testing.T, body string) {
	t.Helper()
	if m := regexp.MustCompile(`>(article|sources|home|help)\.[a-z.]+<`).FindString(body); m != "" {
		t.Errorf("a message key shows: %s", m)
	}
}

// TestArticleTopicsByName holds that an article's topics are named as
// their topics are, and that a topic no longer stored keeps its id.
func TestArticleTopicsByName(t *testing.T) {
	f := newPagesFixture(t, true)
	got, err := f.server.topicNames(context.Background(), []string{"trials", "gone", "zhanaozen"})
	if err != nil {
		t.Fatal(err)
	}
	want := []topicLink{{"trials", "Trials"}, {"gone", "gone"}, {"zhanaozen", "Zhanaozen"}}
	if !slices.Equal(got, want) {
		t.Errorf("topicNames = %v, want %v", got, want)
	}
	if got, err := f.server.topicNames(context.Background(), nil); err != nil || got != nil {
		t.Errorf("no topics: %v, %v; want none", got, err)
	}
}
