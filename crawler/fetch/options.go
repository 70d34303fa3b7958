package fetch

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"presswatch/internal/archive"
)

// Defaults used by New for options left at their zero value.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultTimeout        = 30 * time.Second
	DefaultMaxBytes       = 10 << 20 // 10 MiB
	DefaultMaxRedirects   = 5
	DefaultWorkers        = 8
	DefaultPerHost        = 1
	DefaultMinDelay       = time.Second
	DefaultRobotsTTL      = time.Hour
	DefaultRobotsErrorTTL = 10 * time.Minute
	DefaultRobotsToken    = "presswatch"
)

// Caps on what a server can ask of us.
const (
	// MaxRetryAfter caps how long a Retry-After header makes an origin wait.
	MaxRetryAfter = time.Hour
	// MaxCrawlDelay caps the Crawl-delay read from robots.txt; a larger
	// one, or one that is no number of seconds, is read as the cap. A
	// minute between requests is slower than any site has reason to ask
	// of a crawler that reads one feed and its new articles: at 600 s a
	// source's first run of 30 articles would take five hours.
	MaxCrawlDelay = time.Minute
)

// Options configure a Fetcher. Zero values take the defaults above;
// UserAgent is required. Pass the value to New; it is copied.
type Options struct {
	UserAgent      string        // e.g. "presswatch/0.1 (+https://example.org/contact)"; required
	ConnectTimeout time.Duration // TCP connect and TLS handshake; default 10s
	Timeout        time.Duration // network time of one Get, redirects and body included, waits not; default 30s
	MaxBytes       int64         // body cap; a larger body is model.ErrTooLarge; default 10 MiB
	MaxRedirects   int           // redirects followed; one more (or a loop) is model.ErrRedirects; default 5
	Workers        int           // requests in flight in all; default 8
	PerHost        int           // requests in flight per origin; default 1
	MinDelay       time.Duration // least gap between the starts of two requests to one origin; default 1s

	// AllowPrivate lets every request reach loopback, private, link-local
	// and unspecified addresses, whatever Request.AllowPrivate says: for
	// tests and local setups. Leave it false in production, and allow one
	// source with Request.AllowPrivate instead. The check runs on the
	// resolved address in net.Dialer.Control, so DNS names pointing inside
	// the network are refused as well (model.ErrBlockedAddress).
	AllowPrivate bool

	// PrivateSources are the IDs of the sources (a source's allow_private)
	// whose requests may reach private addresses, as if each Request with
	// one of these SourceIDs had AllowPrivate set: their listings, article
	// pages, revisits, redirects and robots.txt. New copies the set.
	PrivateSources map[string]bool

	// Clock gives the time for Fetch records, robots.txt expiry and
	// Retry-After dates; default time.Now. Waits between requests use real
	// timers, so a frozen test clock never stalls the fetcher.
	Clock func() time.Time

	// Transport replaces the default transport (tests, proxies). A custom
	// transport does its own dialing, so only literal IP addresses in URLs
	// are checked against AllowPrivate; ConnectTimeout does not apply.
	Transport http.RoundTripper

	// dialHook, set only by this package's tests, adjusts the dialers of
	// the default transports (a resolver that never leaves the process).
	dialHook func(*net.Dialer)

	// Archive, when not nil, keeps every exchange (robots.txt, redirects
	// and error answers too) as WARC records; Response.Fetch then names
	// where. A failed write fails the Get with model.ErrArchive.
	Archive Archiver

	RobotsTTL      time.Duration // how long a fetched robots.txt is trusted; default 1h
	RobotsErrorTTL time.Duration // how long an unreachable or 5xx robots.txt blocks an origin; default 10m
	RobotsToken    string        // the product token looked up in robots.txt (RFC 9309); default "presswatch"

	// Log receives warnings about what a site asked that is not done (a
	// capped Crawl-delay); default: discarded.
	Log *slog.Logger

	// Observe, when not nil, is told of every Get as it returns: its
	// outcome (see Outcome: "ok", "not_modified" or an error kind, never
	// a URL) and its time on the network, redirects included, waits not.
	// The robots.txt reads Get makes itself are not reported. It is called
	// on the fetching goroutine, from many at once: keep it quick and safe
	// for concurrent use (a Prometheus counter is).
	Observe func(outcome string, d time.Duration)
}

// Archiver keeps exchanges. internal/archive's *Writer is one; it must be
// safe for concurrent use.
type Archiver interface {
	WriteExchange(ex archive.Exchange) (archive.Location, error)
}

// metadataWriter is an Archiver that also keeps metadata records
// (internal/archive's *Writer).
type metadataWriter interface {
	WriteMetadata(targetURI, concurrentTo string, fields [][2]string) (archive.Location, error)
}

// Fetcher makes polite HTTP GET requests. Create it with New; it is safe
// for concurrent use by any number of goroutines.
type Fetcher struct {
	opts Options
	// client refuses private addresses at dial time, private reaches them
	// (for Request.AllowPrivate). Each has its own transport, so that a
	// connection one source may use is never reused for another.
	client, private *http.Client
	own             []*http.Transport // the default transports, closed by Close; nil if injected
	workers         chan struct{}     // global semaphore
	closed          atomic.Bool

	mu        sync.Mutex
	hosts     map[string]*host // by origin, see hosts.go
	lastSweep time.Time
}

// New checks opts, fills in defaults and returns a Fetcher ready for Get.
// Call Close when done with it.
func New(opts Options) (*Fetcher, error) {
	if err := opts.fill(); err != nil {
		return nil, err
	}
	f := &Fetcher{
		opts:    opts,
		workers: make(chan struct{}, opts.Workers),
		hosts:   make(map[string]*host),
	}
	f.client = f.newClient(opts.AllowPrivate)
	f.private = f.client
	if !opts.AllowPrivate {
		f.private = f.newClient(true)
	}
	return f, nil
}

// newClient returns a client over the injected transport, or over a new
// default one that reaches private addresses only if allowPrivate.
func (f *Fetcher) newClient(allowPrivate bool) *http.Client {
	rt := f.opts.Transport
	if rt == nil {
		own := newTransport(f.opts, allowPrivate)
		f.own = append(f.own, own)
		rt = own
	}
	return &http.Client{
		Transport: rt,
		// Redirects are followed by Get itself, so that every hop passes
		// robots.txt, politeness and the address check.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Close releases idle connections. Get calls after Close fail with
// model.ErrCanceled. Close is safe to call twice and from any goroutine;
// the Fetcher runs no background goroutines.
func (f *Fetcher) Close() {
	if f.closed.Swap(true) {
		return
	}
	for _, t := range f.own {
		t.CloseIdleConnections()
	}
}

func (o *Options) fill() error {
	if strings.TrimSpace(o.UserAgent) == "" {
		return errors.New("fetch: Options.UserAgent is required")
	}
	if strings.ContainsAny(o.UserAgent, "\r\n") {
		return errors.New("fetch: Options.UserAgent must be one line")
	}
	for name, v := range map[string]int64{
		"ConnectTimeout": int64(o.ConnectTimeout), "Timeout": int64(o.Timeout),
		"MaxBytes": o.MaxBytes, "MaxRedirects": int64(o.MaxRedirects),
		"Workers": int64(o.Workers), "PerHost": int64(o.PerHost),
		"MinDelay": int64(o.MinDelay), "RobotsTTL": int64(o.RobotsTTL),
		"RobotsErrorTTL": int64(o.RobotsErrorTTL),
	} {
		if v < 0 {
			return fmt.Errorf("fetch: Options.%s must not be negative", name)
		}
	}
	setDefault(&o.ConnectTimeout, DefaultConnectTimeout)
	setDefault(&o.Timeout, DefaultTimeout)
	setDefault(&o.MaxBytes, DefaultMaxBytes)
	setDefault(&o.MaxRedirects, DefaultMaxRedirects)
	setDefault(&o.Workers, DefaultWorkers)
	setDefault(&o.PerHost, DefaultPerHost)
	setDefault(&o.MinDelay, DefaultMinDelay)
	setDefault(&o.RobotsTTL, DefaultRobotsTTL)
	setDefault(&o.RobotsErrorTTL, DefaultRobotsErrorTTL)
	setDefault(&o.RobotsToken, DefaultRobotsToken)
	o.RobotsToken = productToken(o.RobotsToken)
	if o.RobotsToken == "" {
		return errors.New("fetch: Options.RobotsToken must start with a letter, - or _")
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	o.PrivateSources = maps.Clone(o.PrivateSources)
	return nil
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// newTransport builds the default transport: environment proxies are not
// used (a proxy would bypass the address check), and every dial is checked
// after DNS resolution unless allowPrivate.
func newTransport(o Options, allowPrivate bool) *http.Transport {
	d := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = refusePrivate
	}
	if o.dialHook != nil {
		o.dialHook(d)
	}
	return &http.Transport{
		Proxy:                  nil,
		DialContext:            d.DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    max(o.PerHost, 2),
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    o.ConnectTimeout,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: maxHeaderBytes,
	}
}

// maxHeaderBytes caps an answer's headers (net/http's own default, said
// here so that the error can name it).
const maxHeaderBytes = 1 << 20
