package wayback

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"presswatch/crawler/fetch"
	"presswatch/internal/model"
)

// Client asks one archive for one source: its CDX listing and its
// playback, each request after the endpoint's Limiter and through the
// fetcher.
type Client struct {
	Endpoint     string // e.g. https://web.archive.org, no trailing slash
	Fetcher      *fetch.Fetcher
	Limiter      Limiter
	SourceID     string // named in the fetches and in refused addresses
	AllowPrivate bool   // the source's allow_private
}

// Query is one page of a CDX listing.
type Query struct {
	URL       string    // a host or URL prefix (matchType=prefix)
	From, To  time.Time // days, both included
	Limit     int       // captures per page
	ResumeKey string    // where the page starts; "" for the first
}

// Page is one page of a listing. ResumeKey is where the next page starts;
// "" when the listing has ended.
type Page struct {
	Captures  []model.WaybackCapture
	ResumeKey string
}

// ListURL is the CDX request for q: HTML captures answered 200, adjacent
// captures of the same digest collapsed, with the resume key shown.
func (c *Client) ListURL(q Query) string {
	v := url.Values{}
	v.Set("url", q.URL)
	v.Set("matchType", "prefix")
	v.Set("output", "json")
	v.Set("from", q.From.UTC().Format("20060102"))
	v.Set("to", q.To.UTC().Format("20060102"))
	v["filter"] = []string{"statuscode:200", "mimetype:text/html"}
	v.Set("collapse", "digest")
	v.Set("showResumeKey", "true")
	v.Set("limit", strconv.Itoa(q.Limit))
	if q.ResumeKey != "" {
		v.Set("resumeKey", q.ResumeKey)
	}
	return c.Endpoint + "/cdx/search/cdx?" + v.Encode()
}

// List reads one page of the listing. The response is returned whenever
// a request was made (to be recorded, and for its status), nil otherwise.
func (c *Client) List(ctx context.Context, q Query) (Page, *fetch.Response, error) {
	u := c.ListURL(q)
	resp, err := c.get(ctx, u, "application/json")
	if err != nil {
		return Page{}, resp, err
	}
	p, err := ParseCDX(resp.Body)
	if err != nil {
		return Page{}, resp, model.Errorf(model.ErrParse, "wayback: CDX answer of %s: %w", u, err)
	}
	return p, resp, nil
}

// PlaybackURL is where the capture's original bytes are (the id_ form:
// no banner, no rewritten links).
func (c *Client) PlaybackURL(cp model.WaybackCapture) string {
	return c.Endpoint + "/web/" + cp.Timestamp + "id_/" + cp.Original
}

// CaptureURL is the capture's address as people open it in the archive.
func (c *Client) CaptureURL(cp model.WaybackCapture) string {
	return c.Endpoint + "/web/" + cp.Timestamp + "/" + cp.Original
}

// Get fetches a capture's original bytes.
func (c *Client) Get(ctx context.Context, cp model.WaybackCapture) (*fetch.Response, error) {
	return c.get(ctx, c.PlaybackURL(cp), "")
}

// redirectedTo reports the timestamp of the capture the playback answered
// with when it redirected the request for cp to another one of the same
// URL (the archive's nearest capture), and whether it did.
func (c *Client) redirectedTo(final string, cp model.WaybackCapture) (string, time.Time, bool) {
	rest, ok := strings.CutPrefix(final, c.Endpoint+"/web/")
	if !ok || final == c.PlaybackURL(cp) {
		return "", time.Time{}, false
	}
	ts, _, ok := strings.Cut(rest, "id_/")
	t, err := Timestamp(ts)
	if !ok || err != nil || ts == cp.Timestamp {
		return "", time.Time{}, false
	}
	return ts, t, true
}

// get fetches u, every request the fetcher sends for it (the endpoint's
// robots.txt, each redirect hop) after the endpoint's Limiter. The
// response is nil when no request went out because the limiter's wait
// ended with the run (ErrPastDeadline, or ctx's end).
func (c *Client) get(ctx context.Context, u, accept string) (*fetch.Response, error) {
	resp, err := c.Fetcher.Get(ctx, fetch.Request{URL: u, SourceID: c.SourceID, AllowPrivate: c.AllowPrivate, Accept: accept,
		Pace: c.Limiter.Wait})
	if err != nil && resp.Status == 0 && len(resp.Redirects) == 0 && (errors.Is(err, ErrPastDeadline) || ctx.Err() != nil) {
		if errors.Is(err, ErrPastDeadline) {
			return nil, ErrPastDeadline
		}
		return nil, ctx.Err()
	}
	return resp, err
}

// ParseCDX reads a CDX server's JSON answer: a list of rows of strings,
// the first naming the fields (timestamp, original and digest are
// needed), then one row a capture, and, when more captures follow, an
// empty row and a row holding the resume key. An answer that is no JSON,
// is cut short or lacks those fields is an error saying so.
func ParseCDX(body []byte) (Page, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return Page{}, errors.New("the answer is empty (want a JSON list of rows)")
	}
	if trimmed[0] != '[' {
		return Page{}, fmt.Errorf("the answer is not JSON: it begins %q", head(trimmed))
	}
	var rows [][]string
	if err := json.Unmarshal(trimmed, &rows); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) && !json.Valid(trimmed) && strings.Contains(err.Error(), "unexpected end") {
			return Page{}, fmt.Errorf("the listing is cut short after %d bytes (%v)", len(body), err)
		}
		return Page{}, fmt.Errorf("the answer is not a JSON list of rows of strings: %v", err)
	}
	if len(rows) == 0 {
		return Page{}, nil // no capture at all
	}
	names := rows[0]
	ts, orig, dig := slices.Index(names, "timestamp"), slices.Index(names, "original"), slices.Index(names, "digest")
	if ts < 0 || orig < 0 || dig < 0 {
		return Page{}, fmt.Errorf("the first row %q does not name the fields timestamp, original and digest", names)
	}
	var p Page
	for i, r := range rows[1:] {
		if len(r) == 0 { // the resume key follows
			rest := rows[i+2:]
			if len(rest) != 1 || len(rest[0]) != 1 || rest[0][0] == "" {
				return Page{}, fmt.Errorf("row %d: want the resume key alone after the empty row, got %q", i+3, rest)
			}
			p.ResumeKey = rest[0][0]
			break
		}
		if len(r) != len(names) {
			return Page{}, fmt.Errorf("row %d has %d fields, the first row names %d", i+2, len(r), len(names))
		}
		if _, err := Timestamp(r[ts]); err != nil {
			return Page{}, fmt.Errorf("row %d: %w", i+2, err)
		}
		row := make([][2]string, len(r))
		for j, v := range r {
			row[j] = [2]string{names[j], v}
		}
		p.Captures = append(p.Captures, model.WaybackCapture{Timestamp: r[ts], Original: r[orig], Digest: r[dig], Row: row})
	}
	return p, nil
}

// Timestamp reads a CDX timestamp (YYYYMMDDhhmmss, UTC; the archive may
// give fewer digits, read as the start of that period).
func Timestamp(s string) (time.Time, error) {
	const layout = "20060102150405"
	if len(s) < 4 || len(s) > len(layout) || strings.Trim(s, "0123456789") != "" {
		return time.Time{}, fmt.Errorf("%q is not a capture timestamp (want YYYYMMDDhhmmss)", s)
	}
	t, err := time.Parse(layout[:len(s)], s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a capture timestamp (want YYYYMMDDhhmmss)", s)
	}
	return t, nil
}

// head is the start of b, for an error message.
func head(b []byte) string {
	if len(b) > 40 {
		b = b[:40]
	}
	return string(b)
}
