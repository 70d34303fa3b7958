package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"presswatch/crawler/extract"
	"presswatch/crawler/fetch"
)

// extractOutput is what `presswatch extract` prints: what the crawler
// would store for the page, and how it came to it.
type extractOutput struct {
	URL          string `json:"url"`
	CanonicalURL string `json:"canonical_url"`
	Title        string `json:"title"`
	Author       string `json:"author,omitempty"`
	Published    string `json:"published,omitempty"` // RFC 3339, in the offset the page wrote
	DateSource   string `json:"date_source"`
	Lang         string `json:"lang,omitempty"`
	Description  string `json:"description,omitempty"`
	Extractor    string `json:"extractor"`
	Encoding     string `json:"encoding"`
	Bytes        int    `json:"bytes"`
	Status       int    `json:"status,omitempty"`
	SHA256       string `json:"sha256,omitempty"`
	Words        int    `json:"words"`
	Text         string `json:"text"`
}

func runExtract(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		c           common
		pageURL     string
		contentType string
	)
	fs := newFlags("extract", "[--url URL] [--content-type T] FILE|URL",
		"Prints as JSON what presswatch extracts from one page: title, author,\n"+
			"published date and where it was found, language, canonical URL, the\n"+
			"extractor that won, the encoding, and the main text. It takes the\n"+
			"crawler's own path: charset decoding, then extraction.\n\n"+
			"FILE is a saved page (gzip-compressed when it ends in .gz; - reads\n"+
			"standard input). --url gives the address it was saved from, which\n"+
			"relative links and the canonical URL are resolved against; without it\n"+
			"the page is taken to live at https://page.invalid/FILE.\n\n"+
			"An http(s) URL is fetched once, politely (robots.txt, the user agent and\n"+
			"limits of the configuration); nothing is stored.", stdout, stderr)
	c.register(fs, true)
	fs.StringVar(&pageURL, "url", "", "the `address` a FILE was saved from")
	fs.StringVar(&contentType, "content-type", "", "the Content-Type `header` a FILE was served with, for its charset")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: want one FILE or URL, got %d arguments", errUsage, fs.NArg())
	}
	arg := fs.Arg(0)
	out := extractOutput{}
	var body []byte
	if strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://") {
		if pageURL != "" || contentType != "" {
			return fmt.Errorf("%w: --url and --content-type are for files; a URL brings its own", errUsage)
		}
		resp, err := fetchOne(ctx, &c, arg)
		if err != nil {
			return err
		}
		body, pageURL, contentType = resp.Body, resp.URL, resp.Header.Get("Content-Type")
		out.Status, out.SHA256 = resp.Status, resp.Fetch.SHA256
	} else {
		var err error
		if body, err = readPageFile(arg); err != nil {
			return err
		}
		if pageURL == "" {
			pageURL = "https://page.invalid/" + filepath.Base(arg)
		}
	}
	html, encoding, err := fetch.DecodeHTML(body, contentType)
	if err != nil {
		fmt.Fprintf(stderr, "presswatch extract: %v\n", err)
	}
	res, err := extract.Page(html, pageURL)
	if err != nil {
		return err
	}
	out.URL, out.CanonicalURL, out.Title, out.Author = pageURL, res.CanonicalURL, res.Title, res.Author
	if !res.Published.IsZero() {
		out.Published = res.Published.Format(time.RFC3339)
	}
	out.DateSource, out.Lang, out.Description = string(res.DateSource), res.Lang, res.Description
	out.Extractor, out.Encoding, out.Bytes = res.Extractor, encoding, len(body)
	out.Words, out.Text = len(strings.Fields(res.Text)), res.Text
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// readPageFile reads a saved page, undoing gzip when the name ends in .gz,
// and refuses what is not a page: a folder, an empty file, or more than
// extract reads.
func readPageFile(name string) ([]byte, error) {
	var r io.Reader = os.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
		if strings.HasSuffix(name, ".gz") {
			z, err := gzip.NewReader(f)
			if err != nil {
				return nil, fmt.Errorf("%s: not gzip data: %w", name, err)
			}
			defer z.Close()
			r = z
		}
	}
	body, err := io.ReadAll(io.LimitReader(r, extract.MaxBytes+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: %w", name, err)
	case len(body) > extract.MaxBytes:
		return nil, fmt.Errorf("%s: larger than %d MB, more than the crawler reads of a page", name, extract.MaxBytes>>20)
	case len(bytes.TrimSpace(body)) == 0:
		return nil, fmt.Errorf("%s: empty", name)
	case !utf8.Valid(body[:min(len(body), 512)]) && bytes.IndexByte(body[:min(len(body), 512)], 0) >= 0:
		return nil, fmt.Errorf("%s: binary data, not a page", name)
	}
	return body, nil
}

// fetchOne fetches u with the configured fetcher: robots.txt, user agent,
// timeouts, size cap and private-network rule as in a crawl.
func fetchOne(ctx context.Context, c *common, u string) (*fetch.Response, error) {
	cfg, err := c.loadConfig()
	if err != nil {
		return nil, err
	}
	f, err := fetch.New(fetchOptions(cfg))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	resp, err := f.Get(ctx, fetch.Request{URL: u})
	if err != nil {
		return nil, err
	}
	if resp.Status != 200 {
		return nil, fmt.Errorf("%s: HTTP %d", u, resp.Status)
	}
	return resp, nil
}
