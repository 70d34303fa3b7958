package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

const extractPage = `<!doctype html><html lang="ru"><head><meta charset="%s">
<title>Жанаозен: суд над нефтяниками | Сайт</title>
<link rel="canonical" href="/2012/03/27/sud/">
<meta property="article:published_time" content="2012-03-27T10:00:00+06:00">
<meta name="author" content="Иван Петров"></head>
<body><nav><a href="/">Главная</a> <a href="/news/">Новости</a></nav>
<article><h1>Жанаозен: суд над нефтяниками</h1>
<p>В Актау начался суд над тридцатью семью нефтяниками из Жанаозена, которых обвиняют в организации массовых беспорядков 16 декабря 2011 года.</p>
<p>Адвокаты заявили, что подсудимые давали показания под давлением, и потребовали независимого расследования событий на площади.</p>
<p>Заседание продлится несколько недель; на процесс пришли родственники погибших и задержанных рабочих.</p>
</article><footer>© Сайт, все права защищены</footer></body></html>`

func decodeExtract(t *testing.T, out string) extractOutput {
	t.Helper()
	var got extractOutput
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return got
}

func TestExtractFileShowsWhatTheCrawlerWouldStore(t *testing.T) {
	dir := t.TempDir()
	// A windows-1251 page that only its header names the charset of, and
	// the same page gzipped.
	page, err := charmap.Windows1251.NewEncoder().String(strings.Replace(extractPage, `<meta charset="%s">`, "", 1))
	if err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "sud.html")
	if err := os.WriteFile(plain, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(page))
	zw.Close()
	zipped := filepath.Join(dir, "sud.html.gz")
	if err := os.WriteFile(zipped, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{plain, zipped} {
		out, _ := presswatch(t, 0, "extract", "--url", "https://news.example/item?id=7",
			"--content-type", "text/html; charset=windows-1251", file)
		got := decodeExtract(t, out)
		if got.Encoding != "windows-1251" || got.Lang != "ru" || got.Author != "Иван Петров" {
			t.Errorf("%s: encoding %q lang %q author %q", file, got.Encoding, got.Lang, got.Author)
		}
		if got.CanonicalURL != "https://news.example/2012/03/27/sud" && got.CanonicalURL != "https://news.example/2012/03/27/sud/" {
			t.Errorf("%s: canonical %q", file, got.CanonicalURL)
		}
		if got.Published != "2012-03-27T10:00:00+06:00" || got.DateSource != "meta" {
			t.Errorf("%s: published %q from %q", file, got.Published, got.DateSource)
		}
		if !strings.Contains(got.Text, "тридцатью семью нефтяниками") || strings.Contains(got.Text, "Главная") || strings.Contains(got.Text, "права защищены") {
			t.Errorf("%s: text %q", file, got.Text)
		}
		if got.Words < 40 || got.Extractor == "" || got.Bytes != len(page) {
			t.Errorf("%s: words %d extractor %q bytes %d (page %d)", file, got.Words, got.Extractor, got.Bytes, len(page))
		}
	}
	// Without --url the page gets a stand-in address.
	out, _ := presswatch(t, 0, "extract", "--content-type", "text/html; charset=windows-1251", plain)
	if got := decodeExtract(t, out); got.URL != "https://page.invalid/sud.html" {
		t.Errorf("stand-in URL %q", got.URL)
	}
}

func TestExtractFetchesAURLPolitely(t *testing.T) {
	var robots, pages int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			robots++
			w.Write([]byte("User-agent: *\nDisallow: /private/\n"))
		case "/2012/03/27/sud/":
			pages++
			if !strings.HasPrefix(r.Header.Get("User-Agent"), "presswatch/") {
				t.Errorf("user agent %q", r.Header.Get("User-Agent"))
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(strings.Replace(extractPage, "%s", "utf-8", 1)))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	cfg := siteConfig(t, srv.URL)
	out, _ := presswatch(t, 0, "extract", "--config", cfg, srv.URL+"/2012/03/27/sud/")
	got := decodeExtract(t, out)
	if got.Status != 200 || len(got.SHA256) != 64 || got.Title != "Жанаозен: суд над нефтяниками" || got.URL != srv.URL+"/2012/03/27/sud/" {
		t.Errorf("got %+v", got)
	}
	if robots != 1 || pages != 1 {
		t.Errorf("robots.txt fetched %d times, the page %d", robots, pages)
	}
	_, errOut := presswatch(t, 1, "extract", "--config", cfg, srv.URL+"/private/x")
	if !strings.Contains(errOut, "robots") {
		t.Errorf("a page robots.txt forbids: %s", errOut)
	}
	_, errOut = presswatch(t, 1, "extract", "--config", cfg, srv.URL+"/gone")
	if !strings.Contains(errOut, "404") {
		t.Errorf("a missing page: %s", errOut)
	}
}

func TestExtractRefusesWhatIsNotAPage(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		file, want string
	}{
		{filepath.Join(dir, "missing.html"), "no such file"},
		{write("empty.html", []byte(" \n")), "empty"},
		{write("image.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")), "binary data"},
		{write("bad.html.gz", []byte("not gzip")), "gzip"},
		{write("nav.html", []byte("<html><body><nav><a href=/>Home</a></nav></body></html>")), "no main text"},
		{dir, "directory"},
	} {
		_, errOut := presswatch(t, 1, "extract", c.file)
		if !strings.Contains(errOut, c.want) || !strings.Contains(errOut, "presswatch extract") {
			t.Errorf("%s: %q, want it to say %q", c.file, errOut, c.want)
		}
	}
	_, errOut := presswatch(t, 2, "extract", "a.html", "b.html")
	if !strings.Contains(errOut, "one FILE or URL") {
		t.Errorf("two files: %q", errOut)
	}
	_, errOut = presswatch(t, 2, "extract", "--url", "https://x.example/", "https://x.example/a")
	if !strings.Contains(errOut, "for files") {
		t.Errorf("--url with a URL: %q", errOut)
	}
}
