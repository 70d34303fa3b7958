package model

import "time"

// Provenance says how an article reached presswatch.
type Provenance string

// The ways an article can arrive.
const (
	ProvenanceCrawl  Provenance = "crawl"
	ProvenanceImport Provenance = "import"
	// ProvenanceArchive: a capture someone else made, read from a WARC
	// file; its fetch's CapturedAt and Capture say when and where.
	ProvenanceArchive Provenance = "archive"
)

// DateSource says where a published date came from, so users can weigh it.
type DateSource string

// The places a date may come from, most to least trustworthy.
const (
	DateFromFeed    DateSource = "feed"
	DateFromMeta    DateSource = "meta"    // article:published_time, JSON-LD, <time>
	DateFromListing DateSource = "listing" // a page source's date selector
	DateFromText    DateSource = "text"
	DateFromHeader  DateSource = "header" // e-mail Date header, HTTP Last-Modified
	DateUnknown     DateSource = ""
)

// Fetch records one HTTP exchange (or one imported file): what was asked,
// what came back and its SHA-256, so a page's content can be proven later.
type Fetch struct {
	ID         int64
	SourceID   string
	URL        string
	At         time.Time
	Status     int // HTTP status; 0 when no response arrived
	Bytes      int64
	Duration   time.Duration
	ErrorKind  ErrorKind
	Error      string
	SHA256     string // hex digest of the body as received (before decoding)
	NotChanged bool   // 304, or a body identical to the last one
	// Where the exchange is archived: the WARC file (a name in the
	// archive folder), the response record's WARC-Record-ID, the offset of
	// the exchange's request record and the length of both records.
	WARCFile   string
	WARCRecord string
	WARCOffset int64
	WARCLength int64
	// A capture someone else made (a page read from another tool's WARC
	// file): when they captured it, which is not At, when presswatch read
	// it, and where the capture is (the file and record,
	// "file:///…/x.warc.gz#<urn:uuid:…>"). Zero and "" for presswatch's
	// own fetches.
	CapturedAt time.Time
	Capture    string
}

// Document is what the crawler (or the importer) hands to ingest: one
// article as read from one page, not yet deduplicated or stored.
type Document struct {
	SourceID     string
	URL          string // the URL it was fetched from (after redirects)
	ItemURL      string // the link as the source announced it, canonicalised; "" when imported
	CanonicalURL string // normalised; the article's identity
	Title        string
	Author       string
	Published    time.Time // zero if unknown
	DateSource   DateSource
	Lang         string
	Text         string
	Summary      string // the feed's description, when there is one
	Provenance   Provenance
	Fetch        *Fetch // the exchange that produced the text, if any
	// PageTitle is the title the page itself gave (before a feed's title
	// replaced it); "" when the page was not read.
	PageTitle string
	// Partial says the text is the feed's, stored because the page could
	// not be read: the page is read again until it can be.
	Partial bool
}

// ArticleState tracks what happened to an article after it was first seen.
type ArticleState string

// The states of an article.
const (
	StateLive    ArticleState = "live"
	StateEdited  ArticleState = "edited"
	StateRemoved ArticleState = "removed"
)

// Article is a stored article: the newest version of its text and what is
// known about where and when it appeared.
type Article struct {
	ID          int64
	URL         string // canonical, unique
	SourceID    string
	Title       string
	Author      string
	Published   time.Time
	DateSource  DateSource
	FirstSeen   time.Time
	LastChecked time.Time
	Lang        string
	Text        string
	ContentHash string // SHA-256 of the normalised text, hex
	ClusterID   int64  // the id of the story's first stored copy; the article's own id when it has none
	State       ArticleState
	EditedAt    time.Time // the last publisher's edit seen; zero if never edited
	// RemovedSince is when presswatch first found the article missing at
	// its source; zero unless State is StateRemoved.
	RemovedSince time.Time
	Provenance   Provenance
	FetchID      int64 // the fetch that first produced the article
	IndexedAt    time.Time
	Topics       []string // ids of the topics it matches (from the matches table)
}

// Version is one distinct text an article had, and the fetch that saw it.
type Version struct {
	ID          int64
	ArticleID   int64
	FetchID     int64
	Seen        time.Time
	Title       string
	Text        string
	ContentHash string
	Kind        VersionKind
}

// VersionKind says what made a version.
type VersionKind string

// The kinds of version.
const (
	VersionFirst     VersionKind = "first"     // the first reading of the article
	VersionEdit      VersionKind = "edit"      // the publisher changed its title or text
	VersionCompleted VersionKind = "completed" // the page's full text replacing the feed's text
	VersionImport    VersionKind = "import"    // a new text from a re-import
)

// Topic is a subject presswatch follows: a query in the search syntax and
// groups of names that mean the same thing.
type Topic struct {
	ID      string
	Name    string
	Query   string
	Aliases [][]string
	// Origin says where the topic is defined: the configuration file
	// (replaced at every start) or the web UI (kept in the store).
	Origin  TopicOrigin
	Updated time.Time // when the web UI last saved it; zero for configured topics
}

// TopicOrigin is where a topic is defined.
type TopicOrigin string

// The places a topic may come from.
const (
	TopicFromConfig TopicOrigin = "config"
	TopicFromWeb    TopicOrigin = "web"
)

// Match records that an article belongs to a topic.
type Match struct {
	ArticleID int64
	TopicID   string
	At        time.Time
}

// Outcome is what ingest did with a document.
type Outcome int

// The outcomes of ingesting a document.
const (
	OutcomeNew       Outcome = iota + 1 // a new article was stored
	OutcomeUpdated                      // a known article had a new text: a new version
	OutcomeUnchanged                    // a known article, same text
	OutcomeSkipped                      // not stored: off-topic for a keep: topic source
)

func (o Outcome) String() string {
	switch o {
	case OutcomeNew:
		return "new"
	case OutcomeUpdated:
		return "updated"
	case OutcomeUnchanged:
		return "unchanged"
	case OutcomeSkipped:
		return "skipped"
	}
	return "unknown"
}

// KeyDate is an event marked on timelines: a day ("2011-12-16") or a month
// ("2011-05") and what happened.
type KeyDate struct {
	Date  string `yaml:"date" json:"date"`
	Label string `yaml:"label" json:"label"`
}
