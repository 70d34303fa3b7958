package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"time"

	"presswatch/internal/archive"
	"presswatch/internal/model"
)

// Request is one URL to fetch, with the validators from the last fetch.
type Request struct {
	URL          string
	ETag         string // from the last Response; sent as If-None-Match
	LastModified string // from the last Response; sent as If-Modified-Since
	Accept       string // optional Accept header; "*/*" when empty
	SourceID     string // copied into Response.Fetch, and named when an address is refused
	IgnoreRobots bool   // only for robots.txt itself
	// AllowPrivate lets this request, its redirects and the robots.txt
	// read for them reach private and local addresses: set it from the
	// source's own allow_private, never for every source.
	AllowPrivate bool
	// Pace, when set, is called before every request this Get sends on
	// the network: each redirect hop and the robots.txt read it needs, not
	// only the first. An error from it ends the Get unsent, as a
	// model.ErrCanceled that wraps it. A source that must keep to a rate
	// an endpoint asks (the Wayback archive's) sets its limiter's Wait.
	Pace func(ctx context.Context) error
}

// Response is what Get learnt. Get returns one for every call, also with
// an error: Status is 0 when no answer arrived, and Fetch is always filled
// so that the exchange can be stored.
type Response struct {
	URL         string      // final URL after redirects
	Status      int         // HTTP status of the final answer; 0 if none
	Header      http.Header // headers of the final answer
	Body        []byte      // raw bytes as received (gzip undone, charset not); also for 4xx/5xx; nil if not read
	NotModified bool        // the server answered 304 to the validators
	// Validators to send with the next Request. On a 304 that does not
	// repeat them, the request's own are kept.
	ETag, LastModified string
	// Redirects are the redirects followed, in order: the URL that
	// answered with one and its status.
	Redirects []Redirect
	// Fetch records the call: final URL, time of the first request, status,
	// body size and SHA-256, time spent on the wire, and the error kind and
	// text on failure.
	Fetch model.Fetch
}

// Redirect is one redirect a Get followed.
type Redirect struct {
	URL    string
	Status int
}

// Permanent reports whether every redirect followed was permanent (301 or
// 308): the page has moved, not merely answered from elsewhere today.
func (r *Response) Permanent() bool {
	for _, h := range r.Redirects {
		if h.Status != http.StatusMovedPermanently && h.Status != http.StatusPermanentRedirect {
			return false
		}
	}
	return len(r.Redirects) > 0
}

// Get fetches req.URL politely: it checks robots.txt, waits its turn for
// the origin (see Options), follows redirects and reads the body. Call it
// from any goroutine; ctx bounds the whole call including the waits, while
// Options.Timeout bounds the time spent on the network, summed over the
// redirects followed.
//
// A 304 answer is a success with NotModified set. Any failure, including
// an answer of 400 or more, is returned as a *model.Error with a stable
// Kind and a message naming the URL; rate limits carry the server's delay,
// read it with RetryAfter. The *Response is never nil, also on error.
func (f *Fetcher) Get(ctx context.Context, req Request) (*Response, error) {
	resp := &Response{URL: req.URL}
	resp.Fetch = model.Fetch{SourceID: req.SourceID, URL: req.URL, At: f.opts.Clock()}
	err := f.follow(ctx, req, resp)
	if err != nil {
		var me *model.Error
		if !errors.As(err, &me) {
			err = fail(model.ErrInternal, req.URL, "%v", err)
			me = err.(*model.Error)
		}
		resp.Fetch.ErrorKind = me.Kind
		resp.Fetch.Error = err.Error()
	}
	if f.opts.Observe != nil && !req.IgnoreRobots {
		f.opts.Observe(Outcome(resp), resp.Fetch.Duration)
	}
	return resp, err
}

// follow runs exchanges until an answer that is not a redirect.
func (f *Fetcher) follow(ctx context.Context, req Request, resp *Response) error {
	if f.closed.Load() {
		return fail(model.ErrCanceled, req.URL, "the fetcher is closed")
	}
	u, err := parseURL(req.URL)
	if err != nil {
		return fail(model.ErrParse, req.URL, "invalid URL: %v", err)
	}
	seen := map[string]bool{}
	for hop := 0; ; hop++ {
		seen[u.String()] = true
		loc, err := f.exchange(ctx, u, req, resp, hop == 0)
		if err != nil || loc == "" {
			return err
		}
		resp.Redirects = append(resp.Redirects, Redirect{URL: u.String(), Status: resp.Status})
		if hop >= f.opts.MaxRedirects {
			return fail(model.ErrRedirects, req.URL, "stopped after %d redirects, the last to %s", hop, loc)
		}
		next, err := u.Parse(loc)
		if err == nil {
			next, err = parseURL(next.String())
		}
		if err != nil {
			return fail(model.ErrHTTPStatus, u.String(), "redirect to an unusable location %q: %v", loc, err)
		}
		if seen[next.String()] {
			return fail(model.ErrRedirects, req.URL, "redirect loop: %s leads back to %s", u, next)
		}
		u = next
	}
}

// exchange makes one request to u and fills resp from its answer. It
// returns the Location of a redirect, or "" for a final answer.
func (f *Fetcher) exchange(ctx context.Context, u *url.URL, req Request, resp *Response, first bool) (string, error) {
	us := u.String()
	resp.URL, resp.Fetch.URL = us, us
	resp.Status, resp.Fetch.Status, resp.Header = 0, 0, nil
	private := f.opts.AllowPrivate || req.AllowPrivate || f.opts.PrivateSources[req.SourceID]
	if !private {
		if err := checkLiteral(u.Hostname()); err != nil {
			return "", refused(us, req, err)
		}
	}
	h := f.getHost(origin(u))
	defer f.putHost(h)
	if !req.IgnoreRobots {
		if err := f.checkRobots(ctx, h, u, req); err != nil {
			return "", err
		}
	}
	release, err := f.acquire(ctx, h)
	if err != nil {
		return "", fail(model.ErrCanceled, us, "canceled while waiting for %s: %v", h.origin, context.Cause(ctx))
	}
	defer release()
	if req.Pace != nil {
		if err := req.Pace(ctx); err != nil {
			return "", failCause(model.ErrCanceled, us, err, "not sent: %v", err)
		}
	}

	// Timeout is shared by all hops of a redirect chain; waits don't count.
	hop, cancel := context.WithTimeout(ctx, f.opts.Timeout-resp.Fetch.Duration)
	defer cancel()
	hreq, err := http.NewRequestWithContext(hop, http.MethodGet, us, nil)
	if err != nil {
		return "", fail(model.ErrParse, us, "invalid URL: %v", err)
	}
	setHeaders(hreq.Header, f.opts.UserAgent, req)
	sent := f.opts.Clock()
	if first {
		resp.Fetch.At = sent
	}
	var peer string
	if f.opts.Archive != nil {
		hreq = hreq.WithContext(httptrace.WithClientTrace(hop, &httptrace.ClientTrace{
			GotConn: func(ci httptrace.GotConnInfo) { peer = ci.Conn.RemoteAddr().String() },
		}))
	}
	start := time.Now()
	defer func() { resp.Fetch.Duration += time.Since(start) }()
	client := f.client
	if private {
		client = f.private
	}
	res, err := client.Do(hreq)
	if err != nil {
		if be := (*blockedError)(nil); errors.As(err, &be) {
			return "", refused(us, req, be)
		}
		return "", f.classify(ctx, hop, us, err)
	}
	defer res.Body.Close()

	resp.Status, resp.Fetch.Status = res.StatusCode, res.StatusCode
	resp.Header = res.Header
	if loc := res.Header.Get("Location"); isRedirect(res.StatusCode) && loc != "" {
		// The redirect's own body is read (up to 64 KiB) for the archive,
		// and so that the connection can be reused.
		b, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
		if _, err := f.archive(resp, hreq, res, b, sent, peer); err != nil {
			return "", err
		}
		return loc, nil
	}
	body, err := readBody(res, f.opts.MaxBytes)
	if errors.Is(err, errTooLarge) {
		return "", fail(model.ErrTooLarge, us, "response body larger than the %s cap", formatBytes(f.opts.MaxBytes))
	}
	if err != nil {
		return "", f.classify(ctx, hop, us, err)
	}
	// The archive hashes the body for its payload digest: the fetch row
	// takes that SHA-256 rather than hashing the body a second time.
	fillBody(resp, res, body, req, f.opts.Archive == nil)
	sum, err := f.archive(resp, hreq, res, body, sent, peer)
	if err != nil {
		return "", err
	}
	if f.opts.Archive != nil {
		resp.Fetch.SHA256 = sum
	}
	after, ok := parseRetryAfter(res.Header.Get("Retry-After"), f.opts.Clock())
	err = statusError(us, res.StatusCode, after, ok)
	if _, limited := RetryAfter(err); limited {
		h.holdOff(after)
	}
	return "", err
}

// archive writes the exchange to the WARC archive, when there is one, and
// notes where in resp.Fetch. A failure (a full disk) fails the Get: a page
// presswatch cannot prove it saw is not stored, and is read again later.
// It returns the hex SHA-256 of the body as the archive computed it.
func (f *Fetcher) archive(resp *Response, hreq *http.Request, res *http.Response, body []byte, sent time.Time, peer string) (string, error) {
	if f.opts.Archive == nil {
		return "", nil
	}
	hd := hreq.Header.Clone()
	hd.Set("Host", hreq.URL.Host)
	if f.own != nil && hd.Get("Accept-Encoding") == "" && hd.Get("Range") == "" {
		hd.Set("Accept-Encoding", "gzip") // added by Go's transport, which undoes it
	}
	loc, err := f.opts.Archive.WriteExchange(archive.Exchange{
		URL: hreq.URL.String(), Method: hreq.Method, Started: sent, IP: peer, RequestHeader: hd,
		Proto: res.Proto, Status: res.StatusCode, ResponseHeader: res.Header, Body: body,
	})
	if err != nil {
		return "", failCause(model.ErrArchive, hreq.URL.String(), err, "archiving the exchange failed: %v", err)
	}
	resp.Fetch.WARCFile, resp.Fetch.WARCRecord = loc.File, loc.RecordID
	resp.Fetch.WARCOffset, resp.Fetch.WARCLength = loc.Offset, loc.Length
	return loc.PayloadSHA256, nil
}

// refused is the model.ErrBlockedAddress error for a refused address,
// naming the source whose request it was.
func refused(url string, req Request, blocked error) error {
	if req.SourceID == "" {
		return fail(model.ErrBlockedAddress, url, "%v; private networks are not allowed", blocked)
	}
	return fail(model.ErrBlockedAddress, url, "%v; source %q may not reach private networks (allow_private is off)", blocked, req.SourceID)
}

func setHeaders(hd http.Header, userAgent string, req Request) {
	hd.Set("User-Agent", userAgent)
	hd.Set("Accept", "*/*")
	if req.Accept != "" {
		hd.Set("Accept", req.Accept)
	}
	if req.ETag != "" {
		hd.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hd.Set("If-Modified-Since", req.LastModified)
	}
}

// fillBody fills resp from the answer; hash says whether to compute the
// body's SHA-256 here (without an archive, which computes it otherwise).
func fillBody(resp *Response, res *http.Response, body []byte, req Request, hash bool) {
	if hash {
		sum := sha256.Sum256(body)
		resp.Fetch.SHA256 = hex.EncodeToString(sum[:])
	}
	resp.Body = body
	resp.Fetch.Bytes = int64(len(body))
	resp.ETag = res.Header.Get("ETag")
	resp.LastModified = res.Header.Get("Last-Modified")
	if res.StatusCode == http.StatusNotModified {
		resp.NotModified, resp.Fetch.NotChanged = true, true
		if resp.ETag == "" {
			resp.ETag = req.ETag
		}
		if resp.LastModified == "" {
			resp.LastModified = req.LastModified
		}
	}
}

var errTooLarge = errors.New("body too large")

// readBody reads at most limit bytes; a longer body is errTooLarge, found
// from Content-Length when the server sends it, else by reading limit+1.
func readBody(res *http.Response, limit int64) ([]byte, error) {
	if res.ContentLength > limit {
		return nil, errTooLarge
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, errTooLarge
	}
	return b, nil
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// parseURL accepts absolute http and https URLs and drops the fragment.
func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("scheme %q is not http or https", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, errors.New("no host")
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// origin is the scheme, lower-case host and non-default port of u:
// the key for politeness and robots.txt.
func origin(u *url.URL) string {
	hostname, port := strings.ToLower(u.Hostname()), u.Port()
	if port == "" || u.Scheme == "http" && port == "80" || u.Scheme == "https" && port == "443" {
		if strings.Contains(hostname, ":") {
			hostname = "[" + hostname + "]"
		}
		return u.Scheme + "://" + hostname
	}
	return u.Scheme + "://" + net.JoinHostPort(hostname, port)
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func statusText(status int) string {
	return fmt.Sprintf("%d %s", status, http.StatusText(status))
}

// WriteMetadata keeps fields about targetURI as a WARC metadata record in
// the fetcher's archive, WARC-Concurrent-To concurrentTo (the record it
// describes, a Fetch's WARCRecord), when the fetcher has an archive that
// keeps metadata; ok is false when it has none. A failed write is a
// model.ErrArchive naming the URI: presswatch cannot prove what it was
// told of the page.
func (f *Fetcher) WriteMetadata(targetURI, concurrentTo string, fields [][2]string) (loc archive.Location, ok bool, err error) {
	m, ok := f.opts.Archive.(metadataWriter)
	if !ok || f.opts.Archive == nil {
		return archive.Location{}, false, nil
	}
	loc, err = m.WriteMetadata(targetURI, concurrentTo, fields)
	if err != nil {
		return loc, true, failCause(model.ErrArchive, targetURI, err, "could not archive its metadata: %v", err)
	}
	return loc, true, nil
}
