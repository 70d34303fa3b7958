package model

import "time"

// EventKind names what a revisit found out about an article.
type EventKind string

// The events of an article's life after it was first read.
const (
	EventEdited    EventKind = "edited"    // the publisher changed the title or text
	EventRemoved   EventKind = "removed"   // the page is gone (404, 410, a redirect away, a "not found" page)
	EventBack      EventKind = "back"      // a removed page answers with the article again
	EventMoved     EventKind = "moved"     // a permanent redirect to the same article at a new URL
	EventCompleted EventKind = "completed" // the full text of a page first stored from its feed's text
)

// Event is one thing a revisit found, kept for the article page and for
// /changes. WordsRemoved and WordsAdded count the words of an edit.
type Event struct {
	ID           int64
	ArticleID    int64
	At           time.Time
	Kind         EventKind
	VersionID    int64 // the version an edit, completion or return produced or went back to
	FetchID      int64
	TitleChanged bool
	WordsRemoved int
	WordsAdded   int
	Detail       string // removed: why ("404 Not Found"); moved: the new URL
}

// Revisit is an article due to be read again: where, with which
// validators, and how its last tries went.
type Revisit struct {
	ArticleID    int64
	SourceID     string
	URL          string // where the page is read; a move changes it
	Step         int    // revisits done on the schedule so far
	NextDue      time.Time
	ETag         string
	LastModified string
	LastChecked  time.Time
	Failures     int       // consecutive transient failures
	FailingSince time.Time // the first of them; zero when the last try succeeded
	Partial      bool      // the stored text is the feed's; the page is still to be read
	// PageTitle is the title the page itself gave when last read. A feed
	// often words the headline otherwise, and a page's title carries the
	// site's name, so an edit of the headline is found by comparing this.
	PageTitle string
}

// DueRevisit is an article due to be read again, with its schedule.
type DueRevisit struct {
	Revisit Revisit
	Article *Article
}

// RevisitOutcome is what one revisit of an article found.
type RevisitOutcome string

// The outcomes of a revisit.
const (
	RevisitUnchanged RevisitOutcome = "unchanged"
	RevisitEdited    RevisitOutcome = "edited"
	RevisitRemoved   RevisitOutcome = "removed"
	RevisitBack      RevisitOutcome = "back"
	RevisitMoved     RevisitOutcome = "moved"
	RevisitCompleted RevisitOutcome = "completed"
	RevisitFailed    RevisitOutcome = "failed"
)

// RevisitQuery selects revisits.
type RevisitQuery struct {
	Now     time.Time
	Sources []string // only these sources; all when empty
	All     bool     // every scheduled article, whatever its next due time
	Limit   int      // at most this many; 0 for no limit
}

// Found is what reading a stored article's page again found. Exactly one of
// Err, NotModified, Gone and Doc describes the answer.
type Found struct {
	Fetch       *Fetch // the exchange, recorded
	Status      int
	NotModified bool   // 304 to the validators
	Gone        string // not "": the page is gone (404, 410, a redirect to a front page), and why
	// Doc is the page read again. When Redirected, it came from another
	// URL, and Permanent says every redirect was a 301 or 308: ingest
	// decides whether it is still this article (a move) or another page
	// (a removal). NotFoundPage says the page looks like a "page not
	// found" template, which ingest takes as a removal unless the text is
	// still the article's.
	Doc          *Document
	Redirected   bool
	Permanent    bool
	NotFoundPage bool
	// Validators of the answer, for the next conditional GET.
	ETag, LastModified string
	// Err is a failure that says nothing about the page (a timeout, a 503,
	// a robots.txt refusal); Transient says it may pass, and is retried
	// with backoff.
	Err        error
	Transient  bool
	RetryAfter time.Duration
}
