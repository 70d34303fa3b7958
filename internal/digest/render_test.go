package digest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func builtDay17(t *testing.T) (*fixture, *Digest) {
	t.Helper()
	f := newFixture(t)
	f.day17(t)
	d, err := Build(context.Background(), f.st, f.topic, f.day, Options{Base: "http://127.0.0.1:8080", Now: at("2011-12-18 07:00")})
	if err != nil {
		t.Fatal(err)
	}
	return f, d
}

func TestHTMLSurvivesMailClients(t *testing.T) {
	_, d := builtDay17(t)
	d = d.Apply(Edits{Note: "Morning <b>note</b>", Notes: map[int64]string{d.Stories[2].ID: hostile}})
	b, err := Render(d, FormatHTML, "en")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	var (
		styled, tables int
		texts          strings.Builder
	)
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			texts.WriteString(n.Data)
		}
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "img", "style", "link", "iframe", "object", "form", "input", "b":
				t.Errorf("the mail has a <%s> element", n.Data)
			case "table":
				tables++
			}
			for _, a := range n.Attr {
				switch {
				case strings.HasPrefix(a.Key, "on"):
					t.Errorf("<%s> has an event handler %s=%q", n.Data, a.Key, a.Val)
				case a.Key == "style":
					styled++
				case a.Key == "href" && !strings.HasPrefix(a.Val, "https://") && !strings.HasPrefix(a.Val, "http://"):
					t.Errorf("a link is not absolute: %q", a.Val)
				case a.Key == "class":
					t.Errorf("<%s> relies on a class (mail clients drop <style>): %q", n.Data, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if tables < 2 || styled < 20 {
		t.Errorf("layout: %d tables, %d inline styles", tables, styled)
	}
	// The hostile title and note are there as text, whole.
	for _, want := range []string{"<script>alert(1)</script>", "Morning <b>note</b>", "Tengrinews could not be reached since 06:00"} {
		if !strings.Contains(texts.String(), want) {
			t.Errorf("the mail's text lacks %q", want)
		}
	}
	if !strings.Contains(string(b), `href="https://rferl.example/a1"`) || !strings.Contains(string(b), `href="http://127.0.0.1:8080/articles/`) {
		t.Error("the lead's links are missing")
	}
}

func TestMarkdownIsLiteral(t *testing.T) {
	_, d := builtDay17(t)
	b, err := Render(d, FormatMarkdown, "en")
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	unescaped := strings.NewReplacer(`\]`, "", `\*`, "").Replace(md)
	for _, bad := range []string{"<script", "<img", "](javascript:", "**bold**"} {
		if strings.Contains(unescaped, bad) {
			t.Errorf("markdown holds %q unescaped:\n%s", bad, md)
		}
	}
	for _, want := range []string{
		`&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; \*\*bold\*\* \[x\](javascript:alert(3))`,
		"[Original](<https://rferl.example/a1>)",
		"## 1. Police fire on striking oil workers in Zhanaozen",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if got := mdEscape(`\[click\](javascript:alert(1))`); got != `\\\[click\\\](javascript:alert(1))` {
		t.Errorf("a backslash before markup is not escaped: %q", got)
	}
	if got := mdEscape("1. not a list"); got != `1\. not a list` {
		t.Errorf("mdEscape(1.) = %q", got)
	}
	if got := mdEscape("- not a list"); got != `\- not a list` {
		t.Errorf("mdEscape(-) = %q", got)
	}
}

func TestJSONListsLeadFirst(t *testing.T) {
	f, d := builtDay17(t)
	b, err := Render(d, FormatJSON, "en")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Articles int `json:"articles"`
		Failed   []struct {
			Name string `json:"name"`
			Down bool   `json:"down"`
		} `json:"failed_sources"`
		Stories []struct {
			Copies []struct {
				ArticleID int64  `json:"article_id"`
				URL       string `json:"url"`
			} `json:"copies"`
			UpdateOf string `json:"update_of"`
		} `json:"stories"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Articles != 5 || len(got.Stories) != 3 || len(got.Failed) != 2 {
		t.Fatalf("json = %s", b)
	}
	s := got.Stories[0]
	if len(s.Copies) != 3 || s.Copies[0].ArticleID != f.ids["a1"] || s.Copies[0].URL != "https://rferl.example/a1" || s.Copies[2].URL != "https://azattyq.example/a3" {
		t.Errorf("first story's copies = %+v", s.Copies)
	}
	if got.Stories[1].UpdateOf != "2011-12-16" {
		t.Errorf("update_of = %q", got.Stories[1].UpdateOf)
	}
	// What is stored parses back to the same digest.
	back, err := Parse(b)
	if err != nil || len(back.Stories) != 3 || back.Stories[0].Lead().ArticleID != f.ids["a1"] {
		t.Errorf("parse back: %v %+v", err, back)
	}
}

func TestRussianDigest(t *testing.T) {
	_, d := builtDay17(t)
	b, err := Render(d, FormatText, "ru")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Zhanaozen: дайджест за 17 декабря 2011", "5 статей из 5 источников, 3 сюжета.", "Tengrinews недоступен с 06:00", "Также опубликовали 2 сайта"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("Russian digest lacks %q:\n%s", want, b)
		}
	}
	if s := Subject(d, "ru"); s != "Zhanaozen: дайджест за 17 декабря 2011 (3 сюжета)" {
		t.Errorf("subject = %q", s)
	}
	if _, err := Render(d, "pdf", "en"); err == nil || !strings.Contains(err.Error(), "html, md, text, json") {
		t.Errorf("unknown format: %v", err)
	}
}

func TestExtract(t *testing.T) {
	for _, c := range []struct{ title, text, want string }{
		{"T", "Первое предложение. Второе предложение. Третье.", "Первое предложение. Второе предложение."},
		{"T", "Nursultan A. Nazarbayev spoke on Dec. 17 in Aktau. Strikers were not invited. Later more.", "Nursultan A. Nazarbayev spoke on Dec. 17 in Aktau. Strikers were not invited."},
		{"T", "16 декабря 2011 г. в Жанаозене. Полиция открыла огонь! Позже.", "16 декабря 2011 г. в Жанаозене. Полиция открыла огонь!"},
		{"Same title", "Same title", ""},
		{"T", "«Мы требуем», — сказал он. «Нет», — ответили ему. Ещё.", "«Мы требуем», — сказал он. «Нет», — ответили ему."},
		{"T", "One sentence without an end", "One sentence without an end"},
	} {
		if got := Extract(c.title, c.text, 2); got != c.want {
			t.Errorf("Extract(%q) = %q, want %q", c.text, got, c.want)
		}
	}
	long := strings.Repeat("word ", 200)
	if got := Extract("T", long, 2); len([]rune(got)) > maxExtract+1 || !strings.HasSuffix(got, "word…") {
		t.Errorf("long extract = %q", got)
	}
}
