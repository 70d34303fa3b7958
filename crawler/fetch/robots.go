package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/temoto/robotstxt"

	"presswatch/internal/model"
)

// robotsEntry is one origin's robots.txt as last read.
type robotsEntry struct {
	data    *robotstxt.RobotsData
	expires time.Time // by Options.Clock
	// When robots.txt could not be read (5xx, 429, network failure) data
	// disallows everything until expires; kind and reason say why, so the
	// page's error tells the user the real cause.
	kind   model.ErrorKind
	reason string
	// delayCapped is set when a Crawl-delay above MaxCrawlDelay, or one
	// that is no number of seconds, was read as MaxCrawlDelay.
	delayCapped bool
}

// checkRobots returns nil if robots.txt lets us fetch u, reading it first
// when it is not cached. A refusal is model.ErrRobots, or the kind of the
// failure that made robots.txt unreadable (dns, connect, timeout, tls).
func (f *Fetcher) checkRobots(ctx context.Context, h *host, u *url.URL, req Request) error {
	e, err := f.robots(ctx, h, req)
	if err != nil {
		return err
	}
	if e.data.TestAgent(u.RequestURI(), f.opts.RobotsToken) {
		return nil
	}
	if e.kind != "" {
		return fail(e.kind, u.String(), "%s; not crawling %s until %s",
			e.reason, h.origin, e.expires.UTC().Format(time.RFC3339))
	}
	return fail(model.ErrRobots, u.String(), "disallowed by %s/robots.txt", h.origin)
}

// robots returns h's cached robots.txt, or fetches it through f itself
// (politeness applies to robots.txt too). Only one goroutine fetches per
// origin; the others wait for its result. robots.txt is read with the
// source and the address permission of req, the request it is read for.
func (f *Fetcher) robots(ctx context.Context, h *host, req Request) (*robotsEntry, error) {
	if e := h.cachedRobots(f.opts.Clock()); e != nil {
		return e, nil
	}
	robotsURL := h.origin + "/robots.txt"
	select {
	case h.robotsLock <- struct{}{}:
	case <-ctx.Done():
		return nil, fail(model.ErrCanceled, robotsURL, "canceled: %v", context.Cause(ctx))
	}
	defer func() { <-h.robotsLock }()
	if e := h.cachedRobots(f.opts.Clock()); e != nil {
		return e, nil // read by another goroutine while we waited
	}
	resp, err := f.Get(ctx, Request{URL: robotsURL, IgnoreRobots: true, SourceID: req.SourceID, AllowPrivate: req.AllowPrivate, Pace: req.Pace})
	e, err := f.robotsFrom(robotsURL, resp, err)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	h.robots = e
	logCap := e.delayCapped && !h.delayCapLogged
	h.delayCapLogged = h.delayCapLogged || e.delayCapped
	h.mu.Unlock()
	h.setCrawlDelay(e.data.FindGroup(f.opts.RobotsToken).CrawlDelay)
	if logCap {
		f.opts.Log.Warn("robots.txt asks for a Crawl-delay presswatch does not wait; waiting the maximum instead",
			"origin", h.origin, "max_crawl_delay", MaxCrawlDelay.String())
	}
	return e, nil
}

func (h *host) cachedRobots(now time.Time) *robotsEntry {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.robots != nil && now.Before(h.robots.expires) {
		return h.robots
	}
	return nil
}

// Fixed answers, built once; the library treats 4xx as allow-all and 5xx
// as disallow-all.
var (
	robotsAllowAll, _    = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
	robotsDisallowAll, _ = robotstxt.FromStatusAndBytes(http.StatusServiceUnavailable, nil)
)

// robotsFrom turns the answer to a robots.txt request into an entry, the
// way Google does: 2xx is parsed (a file the parser rejects allows all),
// other 4xx and too many redirects allow all, and 429, 5xx or no answer
// at all disallow all for the short RobotsErrorTTL. A canceled request or
// a blocked address is returned as an error and not cached.
func (f *Fetcher) robotsFrom(robotsURL string, resp *Response, err error) (*robotsEntry, error) {
	now := f.opts.Clock()
	allow := &robotsEntry{data: robotsAllowAll, expires: now.Add(f.opts.RobotsTTL)}
	disallow := func(kind model.ErrorKind, reason string) *robotsEntry {
		return &robotsEntry{data: robotsDisallowAll, expires: now.Add(f.opts.RobotsErrorTTL), kind: kind, reason: reason}
	}
	var kind model.ErrorKind
	var me *model.Error
	if errors.As(err, &me) {
		kind = me.Kind
	}
	switch {
	case kind == model.ErrCanceled || kind == model.ErrBlockedAddress:
		return nil, err
	case kind == model.ErrRedirects:
		return allow, nil
	case resp.Status == http.StatusTooManyRequests:
		// The site asks to slow down: a rate limit, as a 429 to any page
		// is (a web archive's backfill backs off on it).
		return disallow(model.ErrRateLimited, "robots.txt answered "+statusText(resp.Status)), nil
	case resp.Status >= 500:
		return disallow(model.ErrRobots, "robots.txt answered "+statusText(resp.Status)), nil
	case resp.Status >= 400:
		return allow, nil
	case err != nil:
		reason := strings.TrimPrefix(err.Error(), "fetch: GET "+robotsURL+": ")
		switch kind {
		case model.ErrDNS, model.ErrConnect, model.ErrTimeout, model.ErrTLS:
		default:
			kind = model.ErrRobots
		}
		return disallow(kind, "robots.txt could not be read ("+reason+")"), nil
	case resp.Status >= 200 && resp.Status < 300:
		body, capped := prepareRobots(resp.Body, f.opts.RobotsToken)
		data, perr := robotstxt.FromBytes(body)
		if perr != nil {
			return allow, nil
		}
		return &robotsEntry{data: data, expires: now.Add(f.opts.RobotsTTL), delayCapped: capped}, nil
	default:
		return allow, nil
	}
}
