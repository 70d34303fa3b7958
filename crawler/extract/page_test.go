package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPageRussianNews reads a handmade Russian news page with JSON-LD,
// rel=canonical carrying tracking parameters and <html lang="ru">.
func TestPageRussianNews(t *testing.T) {
	r, err := Page(readFile(t, "handmade-ru.html"),
		"https://Vestnik.example.kz/news/2011/12/17/zhanaozen-hronika.html?utm_campaign=dec16#top")
	if err != nil {
		t.Fatal(err)
	}
	if want := "Расстрел в Жанаозене: хроника 16 декабря"; r.Title != want {
		t.Errorf("Title = %q, want %q", r.Title, want)
	}
	if want := "Айгуль Сапарова"; r.Author != want {
		t.Errorf("Author = %q, want %q", r.Author, want)
	}
	// 01:30 in Aktau is still the 16th in UTC: the page's offset must stay.
	want := time.Date(2011, 12, 17, 1, 30, 0, 0, time.FixedZone("", 6*3600))
	if !r.Published.Equal(want) || r.Published.Day() != 17 {
		t.Errorf("Published = %s, want %s", r.Published, want)
	}
	if _, off := r.Published.Zone(); off != 6*3600 {
		t.Errorf("Published offset = %d s, want +06:00", off)
	}
	if r.DateSource != model.DateFromMeta {
		t.Errorf("DateSource = %q, want meta", r.DateSource)
	}
	if r.Lang != "ru" {
		t.Errorf("Lang = %q, want ru", r.Lang)
	}
	if want := "https://vestnik.example.kz/news/2011/12/17/zhanaozen-hronika.html?id=4471"; r.CanonicalURL != want {
		t.Errorf("CanonicalURL = %q, want %q", r.CanonicalURL, want)
	}
	if want := "Как забастовка нефтяников Мангистау закончилась стрельбой на площади."; r.Description != want {
		t.Errorf("Description = %q, want %q", r.Description, want)
	}
	for _, s := range []string{"на центральной площади Жанаозена полиция открыла огонь", "кто отдал приказ стрелять."} {
		if !strings.Contains(r.Text, s) {
			t.Errorf("text lacks %q", s)
		}
	}
	for _, s := range []string{"Курс тенге", "Все права защищены", "Главная"} {
		if strings.Contains(r.Text, s) {
			t.Errorf("text has boilerplate %q", s)
		}
	}
	if r.Extractor == "" {
		t.Error("Extractor is empty")
	}
}

// TestPageKazakhWithoutLang reads a Kazakh page that declares no language.
func TestPageKazakhWithoutLang(t *testing.T) {
	r, err := Page(readFile(t, "handmade-kk.html"), "https://example.kz/kk/zhanaozen")
	if err != nil {
		t.Fatal(err)
	}
	if r.Lang != "kk" {
		t.Errorf("Lang = %q, want kk", r.Lang)
	}
	if r.Title != "Жаңаөзен: он жылдан кейін" {
		t.Errorf("Title = %q", r.Title)
	}
	if !strings.Contains(r.Text, "мұнайшыларға оқ атты") || strings.Contains(r.Text, "Басты бет") {
		t.Errorf("Text = %.300q", r.Text)
	}
	if r.CanonicalURL != "https://example.kz/kk/zhanaozen" {
		t.Errorf("CanonicalURL = %q", r.CanonicalURL)
	}
}

// article wraps head elements and a body of real-looking text into a page.
func article(head, lang string) []byte {
	body := strings.Repeat("<p>Нефтяники Жанаозена бастовали семь месяцев, требуя повышения зарплаты и права на независимый профсоюз. Власти отказались вести переговоры.</p>\n", 4)
	if lang == "kk" {
		body = strings.Repeat("<p>Жаңаөзен мұнайшылары жеті ай бойы ереуілдеп, жалақыны көтеруді және тәуелсіз кәсіподақ құру құқығын талап етті. Билік келіссөзден бас тартты.</p>\n", 4)
	}
	return []byte("<html" + lang2attr(lang) + "><head>" + head + "</head><body><article>" + body + "</article></body></html>")
}

func lang2attr(lang string) string {
	if lang == "" || lang == "kk" {
		return ""
	}
	return ` lang="` + lang + `"`
}

func TestPageMetadata(t *testing.T) {
	const pageURL = "https://example.kz/news/item-7?utm_source=tg"
	tests := map[string]struct {
		page                  []byte
		canonical, lang, date string
		source                model.DateSource
	}{
		"relative canonical": {page: article(`<link rel="canonical" href="../news/item-7">`, "ru"),
			canonical: "https://example.kz/news/item-7", lang: "ru"},
		"canonical to home page ignored": {page: article(`<link rel="canonical" href="https://example.kz/">`, "ru"),
			canonical: "https://example.kz/news/item-7", lang: "ru"},
		"og:url when no canonical": {page: article(`<meta property="og:url" content="https://example.kz/news/item-7?fbclid=1&amp;p=2">`, "ru"),
			canonical: "https://example.kz/news/item-7?p=2", lang: "ru"},
		"rel with several tokens": {page: article(`<link rel="Canonical alternate" href="/a/b">`, "ru"),
			canonical: "https://example.kz/a/b", lang: "ru"},
		"template declares ru, text is kazakh": {page: []byte(strings.Replace(string(article("", "kk")), "<html", `<html lang="ru-RU"`, 1)),
			canonical: "https://example.kz/news/item-7", lang: "kk"},
		"undetectable declared language kept": {page: article("", "tr"),
			canonical: "https://example.kz/news/item-7", lang: "tr"},
		"og:locale": {page: article(`<meta property="og:locale" content="kk_KZ">`, "kk"),
			canonical: "https://example.kz/news/item-7", lang: "kk"},
		"article:published_time": {page: article(`<meta property="article:published_time" content="2011-12-16T17:45:00+05:00">`, "ru"),
			canonical: "https://example.kz/news/item-7", lang: "ru", date: "2011-12-16T17:45:00+05:00", source: model.DateFromMeta},
		"itemprop datePublished": {page: article(`<meta itemprop="datePublished" content="2011-12-17">`, "ru"),
			canonical: "https://example.kz/news/item-7", lang: "ru", date: "2011-12-17T00:00:00Z", source: model.DateFromMeta},
		"JSON-LD beats meta": {page: article(`<meta property="article:published_time" content="2012-01-05T10:00:00+06:00"><script type="application/ld+json">[{"@type":["NewsArticle"],"datePublished":"2011-12-18T09:00:00+06:00"}]</script>`, "ru"),
			canonical: "https://example.kz/news/item-7", lang: "ru", date: "2011-12-18T09:00:00+06:00", source: model.DateFromMeta},
		"broken JSON-LD skipped": {page: article(`<script type="application/ld+json">{"@type":"NewsArticle",</script><meta name="pubdate" content="2011-12-19">`, "ru"),
			canonical: "https://example.kz/news/item-7", lang: "ru", date: "2011-12-19T00:00:00Z", source: model.DateFromMeta},
		"placeholder date ignored": {page: article(`<meta property="article:published_time" content="0001-01-01T00:00:00Z">`, "ru"),
			canonical: "https://example.kz/news/item-7", lang: "ru"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r, err := Page(tc.page, pageURL)
			if err != nil {
				t.Fatal(err)
			}
			if r.CanonicalURL != tc.canonical {
				t.Errorf("CanonicalURL = %q, want %q", r.CanonicalURL, tc.canonical)
			}
			if r.Lang != tc.lang {
				t.Errorf("Lang = %q, want %q", r.Lang, tc.lang)
			}
			if tc.date != "" {
				if got := r.Published.Format(time.RFC3339); got != tc.date || r.DateSource != tc.source {
					t.Errorf("Published = %s (%s), want %s (%s)", got, r.DateSource, tc.date, tc.source)
				}
			} else if r.DateSource == model.DateFromMeta {
				t.Errorf("Published = %s from meta, want no explicit date", r.Published)
			}
		})
	}
}
