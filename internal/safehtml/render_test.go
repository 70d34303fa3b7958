package safehtml

import (
	"errors"
	"os"
	"strings"
	"testing"

	"presswatch/internal/model"
)

const page = "https://news.example.kz/2011/12/16/zhanaozen.html"

// hostile pages: each must come out with its text ("keep") and without
// anything that loads or runs (checkSafe), nor the strings in "absent".
var hostile = map[string]struct {
	body    string
	keep    []string
	absent  []string
	dropped Dropped
}{
	"script in many disguises": {
		body: `<p>Жанаозен</p><script>alert(1)</script><SCRIPT SRC=//evil.example/x.js></SCRIPT>` +
			`<scr<script>ipt>alert(2)</script><script type="text/template"><p>x</p></script>` +
			`<p>после</p><script>/*</script><img src=x onerror=alert(3)>*/</script>`,
		// <scr<script>ipt> is an element "scr<script" followed by the text
		// "ipt>alert(2)", as a browser has it too: shown, not run.
		keep:    []string{"Жанаозен", "после", "ipt>alert(2)"},
		absent:  []string{"alert(1)", "alert(3)", "evil", "<script", "<img"},
		dropped: Dropped{Scripts: 4, Images: 1, Handlers: 1, Resources: 2},
	},
	"svg onload": {
		body:    `<p>до</p><svg onload=alert(1)><script>alert(2)</script><a xlink:href="javascript:alert(3)"><text>x</text></a></svg><p>после</p>`,
		keep:    []string{"до", "после"},
		absent:  []string{"alert", "svg"},
		dropped: Dropped{Embedded: 1, Handlers: 1},
	},
	"img onerror": {
		body:    `<p>Площадь<img src=x onerror="alert(1)" alt="Площадь в Жанаозене"></p><img src="//evil.example/p.gif">`,
		keep:    []string{"[Площадь в Жанаозене]"},
		absent:  []string{"alert", "evil", "img"},
		dropped: Dropped{Images: 2, Handlers: 1, Resources: 2},
	},
	"iframe srcdoc": {
		body:    `<p>текст</p><iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe><iframe src="https://evil.example/"></iframe>`,
		keep:    []string{"текст"},
		absent:  []string{"alert", "evil", "iframe", "srcdoc"},
		dropped: Dropped{Frames: 2, Resources: 1},
	},
	"meta refresh and base": {
		body:    `<head><base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)"></head><body><meta http-equiv=Refresh content="1; url=https://evil.example/"><p><a href="story">ссылка</a></p>`,
		keep:    []string{"ссылка"},
		absent:  []string{"alert", "refresh", "<base", "<meta"},
		dropped: Dropped{Meta: 3},
	},
	"link stylesheet": {
		body:    `<head><link rel=stylesheet href=//evil.example/s.css></head><body><link rel=preload href=//evil.example/font.woff as=font><p>текст</p>`,
		keep:    []string{"текст"},
		absent:  []string{"evil", "<link"},
		dropped: Dropped{Styles: 2, Resources: 2},
	},
	"CSS url() and @import": {
		body: `<style>@import url(//evil.example/a.css); body{background:url(//evil.example/b.png)}</style>` +
			`<p style="background-image: url('//evil.example/c.png'); behavior: url(x.htc)">текст</p>` +
			`<div style="width: expression(alert(1))">ещё</div>`,
		keep:    []string{"текст", "ещё"},
		absent:  []string{"evil", "url(", "expression", "style"},
		dropped: Dropped{Styles: 3, Resources: 5},
	},
	"object, embed, applet": {
		body:    `<p>текст</p><object data="//evil.example/x.swf"><param name=movie value=x.swf>запасной</object><embed src="//evil.example/x.swf"><applet code=X.class></applet>`,
		keep:    []string{"текст"},
		absent:  []string{"evil", "object", "embed", "applet", "param"},
		dropped: Dropped{Frames: 3, Resources: 2},
	},
	"javascript: with entities and whitespace": {
		body: `<a href="jav&#x09;ascript:alert(1)">a</a> <a href="&#106;avascript:alert(2)">b</a> ` +
			`<a href=" &#x0A; javascript:alert(3)">c</a> <a href="java&NewLine;script:alert(4)">d</a> ` +
			`<a href="  JaVaScRiPt:alert(5)">e</a> <a href="vbscript:msgbox(6)">f</a> ` +
			`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==">g</a> <a href="javascript&colon;alert(8)">h</a>`,
		keep:    []string{"a b c d e f g h"},
		absent:  []string{"alert", "script", "msgbox", "data:", "href"},
		dropped: Dropped{Links: 8},
	},
	"form action": {
		body:    `<form action="https://evil.example/steal" method=post><label>Имя <input name=n></label><button formaction="javascript:alert(1)">Отправить</button><textarea>секрет</textarea><select><option>Вариант</select></form><p>после</p>`,
		keep:    []string{"Имя", "после"},
		absent:  []string{"evil", "alert", "<form", "<input", "Отправить", "секрет", "Вариант"},
		dropped: Dropped{Forms: 1},
	},
	"srcset and picture": {
		body:    `<picture><source srcset="//evil.example/a.webp 2x"><img srcset="//evil.example/b.jpg 1x" src="//evil.example/c.jpg" alt="Фото"></picture>`,
		keep:    []string{"[Фото]"},
		absent:  []string{"evil", "srcset", "source"},
		dropped: Dropped{Images: 1, Resources: 3},
	},
	"video poster": {
		body:    `<video poster="//evil.example/p.jpg" src="//evil.example/v.mp4"><track src="//evil.example/t.vtt">Видео не поддерживается</video>`,
		keep:    []string{"[video]"},
		absent:  []string{"evil", "poster", "track", "поддерживается"},
		dropped: Dropped{Media: 1, Resources: 3},
	},
	"data: image": {
		body:    `<p><img src="data:image/png;base64,iVBORw0KGgo=" alt="график"></p>`,
		keep:    []string{"[график]"},
		absent:  []string{"data:", "img"},
		dropped: Dropped{Images: 1, Resources: 1},
	},
	"background and other resource attributes": {
		body:    `<table background="//evil.example/t.png"><tr><td background="//evil.example/u.png">ячейка</td></tr></table><body background=//evil.example/v.png>`,
		keep:    []string{"ячейка"},
		absent:  []string{"evil", "background"},
		dropped: Dropped{Resources: 3},
	},
	"noscript content is shown, its script is not": {
		body:   `<noscript><p>Включите JavaScript</p><img src="//evil.example/pixel.gif"><script>alert(1)</script></noscript>`,
		keep:   []string{"Включите JavaScript"},
		absent: []string{"evil", "alert", "noscript"},
	},
	"mutation-XSS shapes": {
		body: `<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>` +
			`<math><mtext><table><mglyph><style><img src=x onerror=alert(2)></style></mglyph></table></mtext></math>` +
			`<svg></p><style><a id="</style><img src=1 onerror=alert(3)>">` +
			`<template><script>alert(4)</script></template><textarea></textarea><img src=x onerror=alert(5)></textarea>` +
			`<p>конец</p>`,
		// What is left of the payloads is text or an escaped title.
		keep:   []string{"конец"},
		absent: []string{"<img", "<style", "<svg", "<math", "<mglyph", "<template", "<textarea", "alert(2)", "alert(3)", "alert(4)", "alert(5)"},
	},
	"event handlers on kept elements": {
		body:    `<p onclick="alert(1)" onmouseover=alert(2)>текст</p><details open ontoggle=alert(3)><summary>итог</summary></details><body onload=alert(4)>`,
		keep:    []string{"текст", "итог"},
		absent:  []string{"alert", "onclick", "ontoggle"},
		dropped: Dropped{Handlers: 4},
	},
	"links kept and resolved": {
		body: `<p><a href="/news/chp.html" target=_blank ping="https://evil.example/ping" rel=opener>ЧП</a> ` +
			`<a href="//other.example/x">другой</a> <a href="https://user:pw@news.example.kz/y">третий</a> <a href="mailto:editor@example.kz">почта</a></p>`,
		keep:    []string{"ЧП другой третий почта"},
		absent:  []string{"evil", "ping", "target", `rel="opener"`, "user:pw", "mailto"},
		dropped: Dropped{Links: 1},
	},
}

func TestRenderHostile(t *testing.T) {
	for name, tc := range hostile {
		t.Run(name, func(t *testing.T) {
			res, err := Render([]byte(tc.body), "text/html; charset=utf-8", page)
			if err != nil {
				t.Fatal(err)
			}
			out := string(res.HTML)
			checkSafe(t, out)
			got := text(t, out)
			for _, k := range tc.keep {
				if !strings.Contains(got, k) {
					t.Errorf("text lost %q; text is %q", k, got)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(strings.ToLower(out), strings.ToLower(a)) {
					t.Errorf("output holds %q:\n%s", a, out)
				}
			}
			if tc.dropped != (Dropped{}) && res.Dropped != tc.dropped {
				t.Errorf("Dropped = %+v\nwant %+v", res.Dropped, tc.dropped)
			}
		})
	}
}

func TestRenderLinks(t *testing.T) {
	res, err := Render([]byte(hostile["links kept and resolved"].body), "text/html", page)
	if err != nil {
		t.Fatal(err)
	}
	want := `<p><a href="https://news.example.kz/news/chp.html" rel="nofollow noopener noreferrer">ЧП</a> ` +
		`<a href="https://other.example/x" rel="nofollow noopener noreferrer">другой</a> ` +
		`<a href="https://news.example.kz/y" rel="nofollow noopener noreferrer">третий</a> почта</p>`
	if string(res.HTML) != want {
		t.Errorf("HTML:\n got %s\nwant %s", res.HTML, want)
	}

	// Relative links follow the page's <base>, as they did on the page.
	res, err = Render([]byte(`<base href="https://archive.example.kz/2011/"><a href="story.html">x</a>`), "text/html", page)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.HTML), `href="https://archive.example.kz/2011/story.html"`) {
		t.Errorf("link not resolved against <base>: %s", res.HTML)
	}

	// Without a usable page URL, relative links cannot be kept.
	res, err = Render([]byte(`<a href="story.html">x</a> <a href="https://news.example.kz/">y</a>`), "text/html", "not a url")
	if err != nil {
		t.Fatal(err)
	}
	if want := `x <a href="https://news.example.kz/" rel="nofollow noopener noreferrer">y</a>`; string(res.HTML) != want {
		t.Errorf("HTML:\n got %s\nwant %s", res.HTML, want)
	}
}

func TestRenderStructure(t *testing.T) {
	body := `<article><h1>Заголовок</h1><p>Абзац с <em>курсивом</em> и <strong>жирным</strong>.</p>` +
		`<ul><li>один</li><li>два</li></ul><table><tr><th scope="col">Дата</th><td colspan="2">16.12.2011</td></tr></table>` +
		`<blockquote cite="https://evil.example/"><p>Цитата</p></blockquote>` +
		`<figure><figcaption>Подпись</figcaption></figure><p><time datetime="2011-12-16">16 декабря</time></p></article>`
	res, err := Render([]byte(body), "text/html", page)
	if err != nil {
		t.Fatal(err)
	}
	want := `<article><h1>Заголовок</h1><p>Абзац с <em>курсивом</em> и <strong>жирным</strong>.</p>` +
		`<ul><li>один</li><li>два</li></ul><table><tbody><tr><th scope="col">Дата</th><td colspan="2">16.12.2011</td></tr></tbody></table>` +
		`<blockquote><p>Цитата</p></blockquote>` +
		`<figure><figcaption>Подпись</figcaption></figure><p><time datetime="2011-12-16">16 декабря</time></p></article>`
	if string(res.HTML) != want {
		t.Errorf("HTML:\n got %s\nwant %s", res.HTML, want)
	}
}

func TestRenderCharset(t *testing.T) {
	tests := map[string]struct {
		file, contentType, charset string
	}{
		"windows-1251 with a meta charset":      {"windows-1251-meta.html", "text/html", "windows-1251"},
		"KOI8-R named in the header":            {"koi8-r-header.html", "text/html; charset=KOI8-R", "koi8-r"},
		"windows-1251 with no charset anywhere": {"windows-1251-undeclared.html", "", "windows-1251"},
		"windows-1251 in both header and meta":  {"windows-1251-meta.html", "text/html; charset=windows-1251", "windows-1251"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile("testdata/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Render(body, tc.contentType, page)
			if err != nil {
				t.Fatal(err)
			}
			if res.Charset != tc.charset {
				t.Errorf("Charset = %q, want %q", res.Charset, tc.charset)
			}
			out := string(res.HTML)
			checkSafe(t, out)
			got := text(t, out)
			for _, k := range []string{"В Жанаозене погибли 10 человек", "сообщила Генеральная прокуратура Казахстана",
				"[Площадь в Жанаозене]", "Центральная площадь города"} {
				if !strings.Contains(got, k) {
					t.Errorf("text lost %q; text is %q", k, got)
				}
			}
			if res.Title != "В Жанаозене погибли 10 человек - Новости Казахстана" || res.Lang != "ru" {
				t.Errorf("Title %q, Lang %q", res.Title, res.Lang)
			}
			if !strings.Contains(out, `href="https://news.example.kz/news/2011/12/16/chp.html"`) {
				t.Errorf("link not resolved: %s", out)
			}
			want := Dropped{Scripts: 2, Styles: 1, Images: 1, Resources: 3}
			if res.Dropped != want {
				t.Errorf("Dropped = %+v, want %+v", res.Dropped, want)
			}
		})
	}
}

func TestRenderUndeclaredUTF8(t *testing.T) {
	// Plain ASCII markup for well over 1024 bytes, then Russian text:
	// the WHATWG sniff alone would take it for windows-1252.
	body := "<html><head>" + strings.Repeat("<!-- padding -->", 100) + "</head><body><p>Жанаозен, 16 декабря</p></body></html>"
	res, err := Render([]byte(body), "", page)
	if err != nil {
		t.Fatal(err)
	}
	if res.Charset != "utf-8" || !strings.Contains(string(res.HTML), "Жанаозен, 16 декабря") {
		t.Errorf("Charset %q, HTML %s", res.Charset, res.HTML)
	}
}

func TestRenderUnknownCharset(t *testing.T) {
	res, err := Render([]byte("<p>Жанаозен</p>"), "text/html; charset=x-martian", page)
	if err != nil {
		t.Fatal(err)
	}
	var me *model.Error
	if !errors.As(res.Warning, &me) || me.Kind != model.ErrCharset {
		t.Errorf("Warning = %v, want a model.ErrCharset", res.Warning)
	}
	if string(res.HTML) != "<p>Жанаозен</p>" {
		t.Errorf("HTML = %s", res.HTML)
	}
}

func FuzzRender(f *testing.F) {
	for _, tc := range hostile {
		f.Add([]byte(tc.body), "text/html")
	}
	for _, name := range []string{"windows-1251-meta.html", "koi8-r-header.html"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "text/html; charset=windows-1251")
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		res, err := Render(body, contentType, page)
		if err != nil {
			return
		}
		checkSafe(t, string(res.HTML))
	})
}
