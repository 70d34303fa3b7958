package discover

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"presswatch/crawler/fetch"
	"presswatch/crawler/parse"
	"presswatch/internal/model"
)

// Caps on what one Find does.
const (
	// MaxCandidates is the most candidates Find fetches and returns.
	MaxCandidates = 10
	// CandidateTimeout bounds the fetch of the page and of each
	// candidate, waits for the fetcher's turn included.
	CandidateTimeout = 20 * time.Second
	// FindTimeout bounds one Find as a whole: the page, every candidate
	// and the common paths (11 fetches at CandidateTimeout each would be
	// nearly 4 minutes of a web request).
	FindTimeout = time.Minute
	// MaxHTMLBytes is how much of a page is read for <link> tags: the
	// <head> comes first, and a hostile page may be as large as the
	// fetcher's cap.
	MaxHTMLBytes = 2 << 20
)

// ErrNoFeed is wrapped by the error of a Find that found no candidate.
var ErrNoFeed = errors.New("no feed found")

// commonPaths are tried on a page's origin when it links no feed.
var commonPaths = []string{"/feed", "/rss", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml", "/feeds/posts/default"}

// Getter fetches one URL; *fetch.Fetcher is one.
type Getter interface {
	Get(ctx context.Context, req fetch.Request) (*fetch.Response, error)
}

// Candidate is one feed Find found, and what reading it taught.
type Candidate struct {
	// URL is where to read the feed: the URL after redirects when every
	// redirect was permanent (301, 308), else the URL as linked or typed.
	URL string
	// Title is the feed's own title, else the link's.
	Title string
	// LinkTitle is the title attribute of the page's <link>; "" for the
	// typed URL itself and for a common path.
	LinkTitle string
	// Type is "rss", "atom" or "json": as read, else as the link said.
	Type   string
	Items  int       // items the feed holds (at most parse.MaxItems)
	Newest time.Time // date of the newest item; zero if none is dated
	// Err says why the candidate is no usable feed: a *model.Error naming
	// the URL and the reason (its Kind is model.ErrTimeout,
	// model.ErrHTTPStatus, model.ErrNotFeed, ...). Nil for a feed.
	Err error
}

// Find returns the feeds of the site or page at rawURL, in the order
// described in the package comment. An address without a scheme
// ("example.org/news") is read as https.
//
// When the page cannot be fetched, or is neither HTML nor a feed, the
// error is a *model.Error naming the URL and why (model.ErrBlockedAddress
// for a private address, model.ErrNotFeed for an image, ...). When the
// page links no feed and no common path is one, the error wraps
// ErrNoFeed. Candidates that fail their check come back with Err set and
// no error: the page named them. When ctx ends midway, the candidates
// checked so far come back with its error.
func Find(ctx context.Context, g Getter, rawURL string) ([]Candidate, error) {
	return finder{get: g, timeout: CandidateTimeout, total: FindTimeout}.find(ctx, rawURL)
}

// finder is one configuration of Find; tests shorten the timeouts.
type finder struct {
	get     Getter
	timeout time.Duration // each fetch
	total   time.Duration // the whole Find; 0 is no bound of its own
}

// Accept headers: a page may be either; a candidate should be a feed.
const (
	acceptPage = "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8"
	acceptFeed = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)

func (f finder) find(ctx context.Context, rawURL string) ([]Candidate, error) {
	if f.total > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, f.total, fmt.Errorf("finding feeds took longer than %s", f.total))
		defer cancel()
	}
	page, err := pageURL(rawURL)
	if err != nil {
		return nil, model.Errorf(model.ErrParse, "discover: %q: %v", rawURL, err)
	}
	resp, err := f.fetch(ctx, page, acceptPage)
	if err != nil {
		return nil, err
	}
	if c, ok := readFeed(resp, page); ok {
		return []Candidate{c}, nil
	}
	if why := notHTML(resp); why != "" {
		return nil, model.Errorf(model.ErrNotFeed, "discover: %s: neither an HTML page nor a feed: %s", resp.URL, why)
	}
	var found []Candidate
	for _, l := range alternates(resp) {
		if err := ctx.Err(); err != nil {
			return found, canceled(ctx, page)
		}
		found = addNew(found, f.check(ctx, l))
	}
	if !anyFeed(found) {
		found, err = f.probe(ctx, resp.URL, found)
		if err != nil {
			return found, canceled(ctx, page)
		}
	}
	if len(found) == 0 {
		return nil, model.Errorf(model.ErrNotFeed, "discover: %s: %w: the page links none in its <head>, and none of %s on its site is one",
			resp.URL, ErrNoFeed, strings.Join(commonPaths, ", "))
	}
	return found, nil
}

// probe tries the common paths on the origin of pageURL and adds those
// that are feeds to found.
func (f finder) probe(ctx context.Context, pageURL string, found []Candidate) ([]Candidate, error) {
	u, err := url.Parse(pageURL)
	if err != nil {
		return found, nil
	}
	for _, p := range commonPaths {
		if len(found) >= MaxCandidates {
			break
		}
		if err := ctx.Err(); err != nil {
			return found, err
		}
		c := f.check(ctx, link{url: (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: p}).String()})
		if c.Err == nil {
			found = addNew(found, c)
		}
	}
	return found, nil
}

// check fetches and parses one candidate.
func (f finder) check(ctx context.Context, l link) Candidate {
	c := Candidate{URL: l.url, Title: l.title, LinkTitle: l.title, Type: l.typ}
	resp, err := f.fetch(ctx, l.url, acceptFeed)
	if err != nil {
		c.Err = err
		return c
	}
	read, ok := readFeed(resp, l.url)
	if !ok {
		c.Err = read.Err
		return c
	}
	read.LinkTitle = l.title
	if read.Title == "" {
		read.Title = l.title
	}
	return read
}

// fetch gets u within the finder's timeout. A timeout of its own is
// reported as one (the fetcher would call it a cancellation).
func (f finder) fetch(ctx context.Context, u, accept string) (*fetch.Response, error) {
	cctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	resp, err := f.get.Get(cctx, fetch.Request{URL: u, Accept: accept})
	if err != nil && ctx.Err() == nil && errors.Is(cctx.Err(), context.DeadlineExceeded) {
		return resp, model.Errorf(model.ErrTimeout, "discover: GET %s: no answer within %s", u, f.timeout)
	}
	return resp, err
}

// readFeed parses resp as a feed asked for as asked. It reports false,
// with the parser's error in Err, when the body is no feed at all; a
// feed that fails to parse is a candidate with Err.
func readFeed(resp *fetch.Response, asked string) (Candidate, bool) {
	c := Candidate{URL: asked}
	if resp.Permanent() {
		c.URL = resp.URL
	}
	body := fetch.DecodeXML(resp.Body, resp.Header.Get("Content-Type"))
	l, err := parse.Feed(body, resp.URL)
	if err != nil {
		c.Err = err
		var me *model.Error
		return c, !errors.As(err, &me) || me.Kind != model.ErrNotFeed
	}
	c.Title, c.Items = l.Title, len(l.Items)
	c.Type = feedType(gofeed.DetectFeedType(bytes.NewReader(body)))
	for _, it := range l.Items {
		d := it.Published
		if d.IsZero() {
			d = it.Updated
		}
		if d.After(c.Newest) {
			c.Newest = d
		}
	}
	return c, true
}

func feedType(t gofeed.FeedType) string {
	switch t {
	case gofeed.FeedTypeRSS:
		return "rss"
	case gofeed.FeedTypeAtom:
		return "atom"
	case gofeed.FeedTypeJSON:
		return "json"
	}
	return ""
}

// notHTML says why resp is no HTML page, or returns "".
func notHTML(resp *fetch.Response) string {
	ct := resp.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	if mt == "text/html" || mt == "application/xhtml+xml" {
		return ""
	}
	sniffed := http.DetectContentType(resp.Body)
	if strings.HasPrefix(sniffed, "text/html") {
		return ""
	}
	if ct == "" {
		return fmt.Sprintf("no Content-Type, and the body looks like %s", sniffed)
	}
	return fmt.Sprintf("Content-Type %q", ct)
}

// pageURL makes the typed address an absolute http(s) URL.
func pageURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("no address")
	}
	if !strings.Contains(raw, "://") {
		// "example.org/news" or "example.org:8080", not "mailto:x".
		scheme, rest, found := strings.Cut(raw, ":")
		if found && !strings.Contains(scheme, ".") && (rest == "" || rest[0] < '0' || rest[0] > '9') {
			return "", fmt.Errorf("scheme %q is not http or https", scheme)
		}
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("not a URL: %v", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("scheme %q is not http or https", u.Scheme)
	}
	if u.Host == "" {
		return "", errors.New("no host")
	}
	return u.String(), nil
}

// addNew appends c unless a candidate with its URL is there already.
func addNew(found []Candidate, c Candidate) []Candidate {
	for _, o := range found {
		if o.URL == c.URL {
			return found
		}
	}
	return append(found, c)
}

func anyFeed(found []Candidate) bool {
	for _, c := range found {
		if c.Err == nil {
			return true
		}
	}
	return false
}

func canceled(ctx context.Context, page string) error {
	return model.Errorf(model.ErrCanceled, "discover: %s: stopped: %v", page, context.Cause(ctx))
}
