package farm

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/crawler/extract"
	"presswatch/crawler/fetch"
	"presswatch/crawler/parse"
	"presswatch/internal/config"
	"presswatch/internal/corpus"
)

func start(t testing.TB, opts Options) *Farm {
	t.Helper()
	opts.Sentences = filepath.Join(corpus.Dir(t), "lingua-sentences")
	if opts.Hosts == 0 {
		opts.Hosts, opts.FeedsPerHost, opts.ItemsPerFeed = 3, 2, 5
	}
	fm, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fm.Close() })
	return fm
}

// get fetches url with optional header pairs.
func get(t testing.TB, url string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func TestConditionalGet(t *testing.T) {
	fm := start(t, Options{})
	u := fm.Feeds()[0].URL
	resp, _ := get(t, u)
	etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if resp.StatusCode != 200 || etag == "" || lm == "" {
		t.Fatalf("first get: %d, ETag %q, Last-Modified %q", resp.StatusCode, etag, lm)
	}
	tests := map[string]struct {
		hdr  []string
		want int
	}{
		"same ETag":                  {[]string{"If-None-Match", etag}, 304},
		"weak form of the ETag":      {[]string{"If-None-Match", "W/" + etag}, 304},
		"Last-Modified alone":        {[]string{"If-Modified-Since", lm}, 304},
		"another ETag decides":       {[]string{"If-None-Match", `"other"`, "If-Modified-Since", lm}, 200},
		"older If-Modified-Since":    {[]string{"If-Modified-Since", "Mon, 02 Jan 2006 15:04:05 GMT"}, 200},
		"no validators":              {nil, 200},
		"both validators, unchanged": {[]string{"If-None-Match", etag, "If-Modified-Since", lm}, 304},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if resp, _ := get(t, u, tt.hdr...); resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
	if s := fm.Stats(); s.NotModified != 4 || s.Feeds != 8 {
		t.Errorf("stats: %d not modified, %d feed requests; want 4, 8", s.NotModified, s.Feeds)
	}
}

func TestAdvance(t *testing.T) {
	fm := start(t, Options{Format: Mixed})
	feeds := fm.Feeds()
	etags := map[string]string{}
	before := map[string]*parse.Listing{}
	for _, f := range feeds {
		resp, body := get(t, f.URL)
		etags[f.URL] = resp.Header.Get("ETag")
		l, err := parse.Feed(body, f.URL)
		if err != nil {
			t.Fatal(err)
		}
		before[f.URL] = l
	}
	if err := fm.Advance(1); err != nil {
		t.Fatal(err)
	}
	for _, f := range feeds {
		resp, body := get(t, f.URL, "If-None-Match", etags[f.URL])
		if resp.StatusCode != 200 || resp.Header.Get("ETag") == etags[f.URL] {
			t.Fatalf("%s after Advance: %d, ETag %s", f.URL, resp.StatusCode, resp.Header.Get("ETag"))
		}
		l, err := parse.Feed(body, f.URL)
		if err != nil {
			t.Fatal(err)
		}
		old := before[f.URL].Items
		if len(l.Items) != 5 || l.Items[1].URL != old[0].URL || l.Items[0].URL == old[0].URL {
			t.Fatalf("%s: the new item is not first before the old ones", f.URL)
		}
		if resp, _ := get(t, l.Items[0].URL); resp.StatusCode != 200 {
			t.Errorf("new item %s: %d", l.Items[0].URL, resp.StatusCode)
		}
		// Unchanged now, with the new validator.
		if resp, _ := get(t, f.URL, "If-None-Match", resp.Header.Get("ETag")); resp.StatusCode != 304 {
			t.Errorf("%s polled again: %d, want 304", f.URL, resp.StatusCode)
		}
	}
	// An item not announced yet is not there.
	next := strings.Replace(fm.NewestItems(1)[0].URL, "-5.html", "-6.html", 1)
	if resp, _ := get(t, next); resp.StatusCode != 404 {
		t.Errorf("unannounced %s: %d, want 404", next, resp.StatusCode)
	}
}

func TestMaxInFlight(t *testing.T) {
	fm := start(t, Options{Latency: 50 * time.Millisecond})
	busy, calm := fm.Feeds()[0].URL, fm.Feeds()[2].URL // hosts 0 and 1
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { get(t, busy) })
	}
	wg.Wait()
	for range 3 {
		get(t, calm)
	}
	s := fm.Stats()
	if s.Hosts[0].MaxInFlight != 4 || s.Hosts[1].MaxInFlight != 1 || s.Hosts[2].MaxInFlight != 0 || s.MaxInFlight != 4 {
		t.Errorf("max in flight per host: %d, %d, %d; total %d; want 4, 1, 0; 4",
			s.Hosts[0].MaxInFlight, s.Hosts[1].MaxInFlight, s.Hosts[2].MaxInFlight, s.MaxInFlight)
	}
	fm.ResetStats()
	if s := fm.Stats(); s.Requests != 0 || s.MaxInFlight != 0 {
		t.Errorf("after ResetStats: %+v", s.HostStats)
	}
}

func TestErrorInjection(t *testing.T) {
	fm := start(t, Options{ErrorShare: 0.3, TimeoutShare: 0.2, Hang: 5 * time.Second})
	client := &http.Client{Timeout: 50 * time.Millisecond}
	codes := map[int]int{}
	timeouts := 0
	const n = 60
	for range n {
		resp, err := client.Get(fm.Feeds()[0].URL)
		if err != nil {
			timeouts++
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		codes[resp.StatusCode]++
	}
	errs := codes[500] + codes[503]
	if errs < n/10 || errs > n/2 || timeouts < n/20 || timeouts > n/3 || codes[200]+errs+timeouts != n {
		t.Errorf("of %d requests: %v, %d timed out; want about 30%% 5xx and 20%% timeouts", n, codes, timeouts)
	}
	if s := fm.Stats(); s.Errors != int64(errs) || s.Timeouts != int64(timeouts) {
		t.Errorf("stats count %d errors, %d timeouts; the client saw %d, %d", s.Errors, s.Timeouts, errs, timeouts)
	}
	if resp, _ := get(t, fm.Bases()[0]+"/robots.txt"); resp.StatusCode != 200 {
		t.Errorf("robots.txt must never fail: %d", resp.StatusCode)
	}
	// A patient client gets no answer at all once Hang has passed.
	fm = start(t, Options{TimeoutShare: 1, Hang: 20 * time.Millisecond})
	if resp, err := http.Get(fm.Feeds()[0].URL); err == nil {
		resp.Body.Close()
		t.Errorf("a held request was answered %d after Hang", resp.StatusCode)
	}
}

func TestFeedsParse(t *testing.T) {
	fm := start(t, Options{Format: Mixed})
	for _, f := range fm.Feeds()[:2] { // one RSS, one Atom
		_, body := get(t, f.URL)
		l, err := parse.Feed(body, f.URL)
		if err != nil {
			t.Fatalf("%s: %v", f.URL, err)
		}
		if len(l.Items) != 5 {
			t.Fatalf("%s: %d items, want 5", f.URL, len(l.Items))
		}
		for _, it := range l.Items {
			if it.Title == "" || it.Author == "" || it.Published.IsZero() || !strings.HasPrefix(it.URL, fm.Bases()[0]+"/news/") {
				t.Errorf("%s: item %+v lacks a title, author, date or link", f.URL, it)
			}
		}
	}
}

func TestPagesExtract(t *testing.T) {
	fm := start(t, Options{})
	langs := map[string]bool{}
	for _, it := range fm.Items()[:12] {
		resp, body := get(t, it.URL)
		page, _, _ := fetch.DecodeHTML(body, resp.Header.Get("Content-Type"))
		res, err := extract.Page(page, it.URL)
		if err != nil {
			t.Fatalf("%s: %v", it.URL, err)
		}
		langs[it.Lang] = true
		if strings.Join(strings.Fields(res.Title), " ") != strings.Join(strings.Fields(it.Title), " ") {
			t.Errorf("%s: title %q, want %q", it.URL, res.Title, it.Title)
		}
		if !res.Published.Equal(it.Published) {
			t.Errorf("%s: published %v, want %v", it.URL, res.Published, it.Published)
		}
		if r := recall(res.Text, it.Body); r < 0.97 {
			t.Errorf("%s: %.2f of the article's words extracted", it.URL, r)
		}
		article := strings.Join(strings.Fields(strings.Join(it.Body, " ")), " ")
		text := strings.Join(strings.Fields(res.Text), " ")
		for _, b := range append(it.Boilerplate, siteLabels[it.Lang].rights, siteLabels[it.Lang].mostRead) {
			// Sentences repeat in the generated text: only boilerplate
			// found nowhere in the article counts.
			if strings.Contains(text, b) && !strings.Contains(article, b) {
				t.Errorf("%s: the text holds boilerplate %.60q", it.URL, b)
			}
		}
	}
	if len(langs) < 3 {
		t.Errorf("12 articles in %d languages; the farm should mix them", len(langs))
	}
}

// recall is the share of the words of paras found in text.
func recall(text string, paras []string) float64 {
	have := map[string]bool{}
	for _, w := range strings.Fields(text) {
		have[w] = true
	}
	n, found := 0, 0
	for _, p := range paras {
		for _, w := range strings.Fields(p) {
			n++
			if have[w] {
				found++
			}
		}
	}
	return float64(found) / float64(max(n, 1))
}

func TestTinyPages(t *testing.T) {
	fm := start(t, Options{})
	fm.SetTinyPages(true)
	it := fm.Items()[0]
	_, body := get(t, it.URL)
	res, err := extract.Page(body, it.URL)
	if err != nil || res.Title != it.Title || len(body) > 2000 {
		t.Errorf("tiny page of %d bytes: %v, title %q", len(body), err, res.Title)
	}
}

func TestConfig(t *testing.T) {
	fm := start(t, Options{})
	cfg, err := config.Parse(fm.Config(config.Crawl{Workers: 16, PerHost: 1, MinDelay: 250 * time.Millisecond}), "farm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Sources) != 6 || !cfg.AllowPrivateNetworks || cfg.Crawl.Workers != 16 || cfg.Crawl.MinDelay != 250*time.Millisecond {
		t.Errorf("%d sources, private %v, crawl %+v", len(cfg.Sources), cfg.AllowPrivateNetworks, cfg.Crawl)
	}
	if s := cfg.Sources[5]; s.URL != fm.Feeds()[5].URL || s.Keep != "all" {
		t.Errorf("last source %+v", s)
	}
}

func TestBounds(t *testing.T) {
	for name, o := range map[string]Options{
		"too many hosts":  {Hosts: MaxHosts + 1, FeedsPerHost: 1, ItemsPerFeed: 1, Sentences: "x"},
		"too many feeds":  {Hosts: 100, FeedsPerHost: 51, ItemsPerFeed: 1, Sentences: "x"},
		"too many items":  {Hosts: 1, FeedsPerHost: 1, ItemsPerFeed: MaxItems + 1, Sentences: "x"},
		"shares over one": {Hosts: 1, FeedsPerHost: 1, ItemsPerFeed: 1, ErrorShare: 0.6, TimeoutShare: 0.6, Sentences: "x"},
		"no sentences":    {Hosts: 1, FeedsPerHost: 1, ItemsPerFeed: 1},
	} {
		if fm, err := Start(o); err == nil {
			fm.Close()
			t.Errorf("%s: started", name)
		}
	}
	fm := start(t, Options{MaxLife: 100 * time.Millisecond})
	time.Sleep(300 * time.Millisecond)
	if _, err := http.Get(fm.Feeds()[0].URL); err == nil {
		t.Error("the farm still answers after MaxLife")
	}
	if !strings.HasPrefix(fm.Bases()[0], "http://127.") {
		t.Errorf("base %s is not on loopback", fm.Bases()[0])
	}
}

func TestRenderAhead(t *testing.T) {
	fm := start(t, Options{})
	items := fm.NewestItems(1)
	fm.Render(items)
	_, body := get(t, items[0].URL)
	if string(body) != string(fm.page(fm.article(items[0].key), items[0].key, fm.Bases()[0])) {
		t.Error("the page served after Render is not the page rendered")
	}
}

func TestRealPages(t *testing.T) {
	// Three hosts of two feeds of five items: 30 items over 32 pages, each
	// page at most once; one page in windows-1251, as saved.
	pages := make([][]byte, 32)
	for i := range pages {
		pages[i] = fmt.Appendf(nil, "<html><head><title>page %d</title></head><body><p>page %d</p></body></html>", i, i)
	}
	pages[7] = []byte("<html><head><meta charset=\"windows-1251\"><title>\xc6\xe0\xed\xe0\xee\xe7\xe5\xed</title></head><body><p>\xc6\xe0\xed\xe0\xee\xe7\xe5\xed</p></body></html>")
	fm := start(t, Options{Pages: pages})
	seen := map[string]bool{}
	for _, it := range fm.Items() {
		resp, body := get(t, it.URL)
		if ct := resp.Header.Get("Content-Type"); ct != "text/html" {
			t.Errorf("%s: Content-Type %q; a real page declares its own charset", it.URL, ct)
		}
		if seen[string(body)] {
			t.Errorf("%s: page served twice", it.URL)
		}
		seen[string(body)] = true
		if it.Body != nil || it.Title == "" {
			t.Errorf("%s: item body %q, title %q; want no body and a generated title", it.URL, it.Body, it.Title)
		}
		page, _, err := fetch.DecodeHTML(body, resp.Header.Get("Content-Type"))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(body, pages[7]) && !strings.Contains(string(page), "Жанаозен") {
			t.Errorf("the windows-1251 page decodes to %q", page)
		}
	}
	if len(seen) != 30 || !seen[string(pages[7])] {
		t.Errorf("%d distinct pages served; want 30, the windows-1251 one among them", len(seen))
	}
	// One new item a feed: six new items get pages 30 and 31, then 0 to 3
	// again, which the first items had.
	if err := fm.Advance(1); err != nil {
		t.Fatal(err)
	}
	for i, it := range fm.NewestItems(1) {
		_, body := get(t, it.URL)
		if again, want := seen[string(body)], i >= 2; again != want {
			t.Errorf("after Advance, new item %d (%s): page seen before %v, want %v", i, it.URL, again, want)
		}
		seen[string(body)] = true
	}
}
