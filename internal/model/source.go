package model

import (
	"fmt"
	"time"
)

// SourceType says how a source is read.
type SourceType string

// The kinds of source presswatch can read.
const (
	SourceFeed    SourceType = "feed"    // RSS 0.9x/1.0/2.0, Atom or JSON Feed
	SourcePage    SourceType = "page"    // a listing page walked with CSS selectors
	SourceSitemap SourceType = "sitemap" // an XML sitemap or Google News sitemap
	SourceImport  SourceType = "import"  // files a user imported; never fetched
	// SourceWayback backfills a site's past from a web archive's captures
	// (the Internet Archive's CDX server and playback); see Source.Wayback.
	SourceWayback SourceType = "wayback"
)

// SourceOrigin is where a source is defined.
type SourceOrigin string

// The origins of sources.
const (
	SourceFromConfig SourceOrigin = "config" // the configuration file
	SourceFromWeb    SourceOrigin = "web"    // added in the web UI
	SourceFromImport SourceOrigin = "import" // the source imported files are filed under
)

// ReservedSourceIDs are the ids no source may have, in the configuration
// file or the web UI: the web UI's pages /sources/new, /sources/find,
// /sources/test and /sources/opml sit where /sources/{id} would.
var ReservedSourceIDs = []string{"new", "find", "test", "opml"}

// IsReservedSourceID reports whether id is one of ReservedSourceIDs.
func IsReservedSourceID(id string) bool {
	for _, r := range ReservedSourceIDs {
		if id == r {
			return true
		}
	}
	return false
}

// Stance is how a source relates to the events it covers. Users compare
// accounts by stance (the regime's press beside independent coverage).
type Stance string

// The stances a source may have.
const (
	StanceState         Stance = "state"
	StanceIndependent   Stance = "independent"
	StanceCampaign      Stance = "campaign"
	StanceInternational Stance = "international"
	StanceUnknown       Stance = "unknown"
)

// Stances lists every valid stance, in display order.
var Stances = []Stance{StanceState, StanceIndependent, StanceCampaign, StanceInternational, StanceUnknown}

// Keep says which items of a source are stored.
type Keep string

// The keep policies.
const (
	KeepAll   Keep = "all"   // store every item
	KeepTopic Keep = "topic" // store only items that match some topic
)

// Selectors describe how to walk a page source: the CSS selectors for each
// item on a listing page, the link, title and date inside an item, and the
// link to the next (older) listing page.
type Selectors struct {
	Item  string `yaml:"item" json:"item"`
	Link  string `yaml:"link" json:"link"`
	Title string `yaml:"title" json:"title,omitempty"`
	Date  string `yaml:"date" json:"date,omitempty"`
	Next  string `yaml:"next" json:"next,omitempty"`
	// MaxPages bounds how many listing pages one run walks (1 = the first only).
	MaxPages int `yaml:"max_pages" json:"max_pages,omitempty"`
}

// Source is one configured place presswatch reads from.
type Source struct {
	ID        string
	Name      string
	Type      SourceType
	URL       string
	Stance    Stance
	Lang      string // expected language, "" if mixed or unknown
	Every     time.Duration
	Keep      Keep
	Selectors *Selectors // for page sources only
	// Revisit, when set, replaces the configured revisit steps for this
	// source's articles; RevisitOff turns revisits off for them.
	Revisit    []time.Duration
	RevisitOff bool
	// RunBudget, when set, replaces the configured crawl.run_budget: the
	// longest one run of this source (listing and items) may take.
	RunBudget time.Duration
	// AllowPrivate lets this source's fetches (its listing, its article
	// pages and their revisits, and redirects from any of them) reach
	// loopback, private and link-local addresses: an intranet source.
	// Other sources' links to such addresses are still refused.
	AllowPrivate bool
	// Dates, for a page or sitemap source, is the range of days it reads
	// (see DateRange); nil for a source read as it is now.
	Dates *DateRange
	// Wayback says what a wayback source reads; nil for other types.
	Wayback *Wayback
}

// Wayback is what a wayback source backfills: the captures of the URLs
// under Source.URL (a host or a URL prefix) made between From and To.
type Wayback struct {
	From, To time.Time // days, UTC; To is included
	// Paths, when set, keep only captures whose URL path matches one of
	// these patterns (* matches any run of characters, / included).
	Paths    []string
	Endpoint string  // the archive's address, without a trailing slash
	Rate     float64 // requests per second to Endpoint, listing and playback together
}

// WaybackCapture is one capture a web archive's CDX server listed.
type WaybackCapture struct {
	Timestamp string // YYYYMMDDhhmmss, UTC, as the archive writes it
	Original  string // the URL captured
	Digest    string // the archive's digest of the captured body
	// Row is the CDX row that listed it, field by field as the listing
	// named them (urlkey, timestamp, original, mimetype, statuscode,
	// digest, length...): what the WARC metadata record beside the
	// capture keeps.
	Row [][2]string
}

// WaybackProgress is how far a wayback source's backfill has come.
type WaybackProgress struct {
	SourceID  string
	ResumeKey string // where the CDX listing goes on; "" at the start or when Done
	Pages     int    // listing pages read
	Done      bool   // the listing was read to its end
	Listed    int    // captures listed (duplicates by digest included)
	Fetched   int    // captures fetched from the archive
	Stored    int    // captures stored as articles (new or updated)
	Remaining int    // captures listed and not yet fetched
	// BackoffUntil is when the archive may be asked again after it said
	// to slow down (429 or 503); Backoffs counts such answers in a row.
	BackoffUntil time.Time
	Backoffs     int
}

// SourceState is what presswatch has learnt about a source by reading it:
// the HTTP validators for conditional GET and its health.
type SourceState struct {
	SourceID     string
	ETag         string
	LastModified string
	BodyHash     string // SHA-256 of the last body seen, hex
	LastFetch    time.Time
	LastSuccess  time.Time
	LastStatus   int
	ErrorKind    ErrorKind
	Error        string
	Failures     int // consecutive failed runs
	NextDue      time.Time
}

// Healthy reports whether the last run of the source succeeded.
func (s SourceState) Healthy() bool { return s.ErrorKind == "" }

// ErrorKind is a stable, machine-readable class of failure stored with
// fetches and sources. The words shown to users come from Describe.
type ErrorKind string

// The error kinds. New kinds may be added; existing ones never change meaning.
const (
	ErrNone             ErrorKind = ""
	ErrTimeout          ErrorKind = "timeout"
	ErrDNS              ErrorKind = "dns"
	ErrConnect          ErrorKind = "connect"
	ErrTLS              ErrorKind = "tls"
	ErrHTTPStatus       ErrorKind = "http_status"
	ErrRateLimited      ErrorKind = "rate_limited"
	ErrTooLarge         ErrorKind = "too_large"
	ErrRedirects        ErrorKind = "too_many_redirects"
	ErrRobots           ErrorKind = "robots_disallowed"
	ErrBlockedAddress   ErrorKind = "blocked_address"
	ErrNotFeed          ErrorKind = "not_a_feed"
	ErrParse            ErrorKind = "parse"
	ErrCharset          ErrorKind = "charset"
	ErrExtract          ErrorKind = "extract"
	ErrCanceled         ErrorKind = "canceled"
	ErrInternal         ErrorKind = "internal"
	ErrBackoff          ErrorKind = "backoff"
	ErrInvalidSelectors ErrorKind = "selectors"
	// ErrArchive: the exchange could not be written to the WARC archive
	// (a full disk, say). The page is not stored and is read again later.
	ErrArchive ErrorKind = "archive"
	// ErrTooComplex: a page whose markup is too large or too deeply
	// nested to extract safely; refused before extraction.
	ErrTooComplex ErrorKind = "too_complex"
	// ErrExtractTimeout: extraction did not finish within its limit.
	ErrExtractTimeout ErrorKind = "extract_timeout"
	// ErrBinary: the body is binary data (an image, a PDF), not text.
	ErrBinary ErrorKind = "binary"
	// ErrStore: presswatch's own database failed (locked, read-only, a
	// disk error or a full disk). Neither the item nor the source is to
	// blame: nothing is charged to them, and the run stops.
	ErrStore ErrorKind = "store"
	// ErrItemsFailed: a source's listing was read, but every item the run
	// tried failed. Kept as the source's health only (not a fetch's).
	ErrItemsFailed ErrorKind = "items_failed"
	// ErrArchivePage: a web archive answered a capture with a page of its
	// own (an error, a redirect notice, its banner), not the captured page.
	ErrArchivePage ErrorKind = "archive_page"
)

// Describe turns an error kind into words a user understands.
func (k ErrorKind) Describe() string {
	switch k {
	case ErrNone:
		return "ok"
	case ErrTimeout:
		return "timed out"
	case ErrDNS:
		return "host name not found"
	case ErrConnect:
		return "could not connect"
	case ErrTLS:
		return "TLS handshake failed"
	case ErrHTTPStatus:
		return "server answered with an error status"
	case ErrRateLimited:
		return "server asked us to slow down"
	case ErrTooLarge:
		return "response larger than the size cap"
	case ErrRedirects:
		return "too many redirects"
	case ErrRobots:
		return "robots.txt disallows this path"
	case ErrBlockedAddress:
		return "address is private or local and not allowed"
	case ErrNotFeed:
		return "not a feed"
	case ErrParse:
		return "could not be parsed"
	case ErrCharset:
		return "unknown character encoding"
	case ErrExtract:
		return "no article text could be extracted"
	case ErrCanceled:
		return "stopped before it finished"
	case ErrBackoff:
		return "waiting after repeated failures"
	case ErrInvalidSelectors:
		return "selectors matched nothing"
	case ErrArchive:
		return "could not write the archive"
	case ErrTooComplex:
		return "page too large or too deeply nested to extract"
	case ErrExtractTimeout:
		return "extraction took too long"
	case ErrBinary:
		return "binary data, not text"
	case ErrStore:
		return "presswatch's database could not be read or written"
	case ErrItemsFailed:
		return "every item failed"
	case ErrArchivePage:
		return "the web archive answered with its own page, not the capture"
	default:
		return string(k)
	}
}

// Error is an error with a stable kind. Packages that fetch and parse
// return it so the kind can be stored and shown per source.
type Error struct {
	Kind ErrorKind
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error of the given kind.
func Errorf(kind ErrorKind, format string, args ...any) error {
	return &Error{Kind: kind, Err: fmt.Errorf(format, args...)}
}
