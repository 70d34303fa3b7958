package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/internal/model"

	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
)

// fixture is one real page in testdata/, described in testdata/pages.json
// with the ground truth of the corpus it came from.
type fixture struct {
	URL        string   `json:"url"`
	Title      string   `json:"title"`
	Date       string   `json:"date"`
	DateSource string   `json:"date_source"`
	Lang       string   `json:"lang"`
	Extractor  string   `json:"extractor"` // Result.Extractor, when the page tests a choice of extractor
	With       []string `json:"with"`
	Without    []string `json:"without"`
}

func fixtures(t testing.TB) map[string]fixture {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "pages.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]fixture
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestPageRealPages(t *testing.T) {
	for file, want := range fixtures(t) {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			r, err := Page(readPage(t, "testdata", file), want.URL)
			if err != nil {
				t.Fatal(err)
			}
			text := squash(r.Text)
			for _, s := range want.With {
				if !strings.Contains(text, squash(s)) {
					t.Errorf("text lacks %q", s)
				}
			}
			for _, s := range want.Without {
				if strings.Contains(text, squash(s)) {
					t.Errorf("text has boilerplate %q", s)
				}
			}
			if want.Title != "" && r.Title != want.Title {
				t.Errorf("Title = %q, want %q", r.Title, want.Title)
			}
			if got := r.Published.Format("2006-01-02"); want.Date != "" && got != want.Date {
				t.Errorf("Published = %s, want day %s", r.Published, want.Date)
			}
			if want.DateSource != "" && string(r.DateSource) != want.DateSource {
				t.Errorf("DateSource = %q, want %q", r.DateSource, want.DateSource)
			}
			if r.Lang != want.Lang {
				t.Errorf("Lang = %q, want %q", r.Lang, want.Lang)
			}
			if want.Extractor != "" && r.Extractor != want.Extractor {
				t.Errorf("Extractor = %q, want %q", r.Extractor, want.Extractor)
			}
			if strings.Contains(r.Text, "\n\n\n") || strings.TrimSpace(r.Text) != r.Text {
				t.Errorf("paragraphs not separated by exactly one blank line: %.200q", r.Text)
			}
		})
	}
}

// TestPageConcurrent runs every fixture on several goroutines at once and
// expects the results a single call gives (run it with -race).
func TestPageConcurrent(t *testing.T) {
	fx := fixtures(t)
	files := make([]string, 0, len(fx))
	for f := range fx {
		files = append(files, f)
	}
	sort.Strings(files)
	pages := make([][]byte, len(files))
	want := make([]*Result, len(files))
	for i, f := range files {
		pages[i] = readPage(t, "testdata", f)
		r, err := Page(pages[i], fx[f].URL)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = r
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for k := range files {
				i := (k + w) % len(files)
				r, err := Page(pages[i], fx[files[i]].URL)
				if err != nil {
					t.Errorf("%s: %v", files[i], err)
					continue
				}
				if r.Text != want[i].Text || r.Title != want[i].Title || !r.Published.Equal(want[i].Published) {
					t.Errorf("%s: concurrent result differs from sequential one", files[i])
				}
			}
		})
	}
	wg.Wait()
}

func TestPageErrors(t *testing.T) {
	nested := strings.Repeat("<div>", 600) + strings.Repeat("Нефтяники бастовали. ", 50)
	tests := map[string]struct {
		page, url string
		kind      model.ErrorKind
		msg       string
	}{
		"empty page": {"", "https://example.kz/a", model.ErrExtract,
			"extract: https://example.kz/a: no main text found"},
		"navigation only": {`<html><body><nav><a href="/">Главная</a></nav><script>var x = 1;</script></body></html>`,
			"https://example.kz/b", model.ErrExtract, "extract: https://example.kz/b: no main text found"},
		"relative page URL": {"<p>text</p>", "/news/1", model.ErrInternal, "extract: /news/1: page URL"},
		"nested too deep":   {nested, "https://example.kz/c", model.ErrParse, "extract: https://example.kz/c: html:"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r, err := Page([]byte(tc.page), tc.url)
			if err == nil {
				t.Fatalf("Page = %+v, want an error", r)
			}
			var e *model.Error
			if !errors.As(err, &e) || e.Kind != tc.kind {
				t.Errorf("error %v has kind %v, want %v", err, e, tc.kind)
			}
			if !strings.HasPrefix(err.Error(), tc.msg) {
				t.Errorf("error %q, want it to start with %q", err, tc.msg)
			}
		})
	}
}

func TestPageTruncatesLargeInput(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a 5 MB page takes seconds, minutes under -race")
	}
	para := "<p>" + strings.Repeat("Забастовка нефтяников в Жанаозене длилась семь месяцев. ", 10) + "</p>\n"
	page := "<html><body><article>" + strings.Repeat(para, MaxBytes/len(para)+200)
	start := time.Now()
	r, err := Page([]byte(page), "https://example.kz/big")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Text) > MaxBytes {
		t.Errorf("text of %d bytes from a page cut at %d", len(r.Text), MaxBytes)
	}
	t.Logf("%d MB page: %v", len(page)>>20, time.Since(start))
}

// BenchmarkPage extracts three real news pages with Page and, as the
// baseline in the same run, with plain go-trafilatura (fallback on,
// comments excluded, parsing the page itself), the extractor Page builds
// on: Page's extra work shows as the ratio of the two.
func BenchmarkPage(b *testing.B) {
	fx := fixtures(b)
	for _, file := range []string{"football.ua.podolski.html", "lastampa.it.temperature.html", "energetyka24.com.gaz.html"} {
		page := readPage(b, "testdata", file)
		u, err := url.Parse(fx[file].URL)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(file+"/presswatch", func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				if _, err := Page(page, fx[file].URL); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(file+"/go-trafilatura", func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				doc, err := html.Parse(bytes.NewReader(page))
				if err != nil {
					b.Fatal(err)
				}
				opts := trafilatura.Options{OriginalURL: u, EnableFallback: true, ExcludeComments: true}
				if _, err := trafilatura.ExtractDocument(doc, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func FuzzPage(f *testing.F) {
	for _, s := range []string{
		"",
		"<html><head><title>t</title></head><body><p>Жаңаөзен оқиғасы туралы мақала.</p></body></html>",
		`<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2011-12-16T17:45:00+06:00","author":[{"name":"A"}]}</script><p>text</p>`,
		`<html lang="ru"><link rel="canonical" href="//x/../y?utm_source=z"><time datetime="2011-12-16">16</time><article><p>Текст статьи.</p></article>`,
		"<table><tr><td><pre>\u00ad\x00<br></pre></td></tr></table><meta property=article:published_time content=9999-99-99>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, page []byte) {
		if len(page) > 64<<10 {
			return // large inputs only slow the fuzzer down; TestPageTruncatesLargeInput covers them
		}
		r, err := Page(page, "https://example.kz/news/2011/12/16/a?utm_source=x")
		if err != nil {
			var e *model.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not a *model.Error", err)
			}
			return
		}
		if r.Text == "" || r.CanonicalURL == "" {
			t.Fatalf("empty text or URL without an error: %+v", r)
		}
	})
}

func TestChooseLang(t *testing.T) {
	kk := strings.Repeat("Жаңаөзендегі мұнайшылардың ереуілі жеті ай бойы жалғасты, ал желтоқсанның он алтысында қалада қайғылы оқиға болды. ", 3)
	de := strings.Repeat("Die Ölarbeiter streikten sieben Monate lang, und am sechzehnten Dezember schoss die Polizei auf dem Platz der Stadt. ", 3)
	en := strings.Repeat("The oil workers were on strike for seven months, and on the sixteenth of December the police fired on the town square. ", 3)
	// whatlanggo takes this Ukrainian sentence for Russian; lingua does not.
	uk := strings.Repeat("Суд засудив адвокатку Наталю Соколову до шести років позбавлення волі. ", 4)
	for name, tc := range map[string]struct {
		declared, text, want string
	}{
		"Kazakh edition declared Russian": {"ru", kk, "kk"},
		// Cyrillic declarations are checked by lingua even when whatlanggo confirms them.
		"Ukrainian text declared Russian": {"ru", uk, "uk"},
		"German declared":                 {"de", de, "de"},
		"German text declared English":    {"en", de, "de"},
		"English text declared German":    {"de", en, "en"},
		"undeclared":                      {"", kk, "kk"},
		"undeclared English":              {"", en, "en"},
		"too short to judge":              {"ru", "Жаңаөзен оқиғасы", "ru"},
		"declared outside the ten":        {"nl", de, "nl"},
	} {
		if got := chooseLang(tc.declared, tc.text); got != tc.want {
			t.Errorf("%s: chooseLang = %q, want %q", name, got, tc.want)
		}
	}
}
