package index

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"presswatch/index/qparse"
	"presswatch/internal/model"
)

// The sort orders a Request may ask for.
const (
	SortRelevance = "relevance" // best match first (the default)
	SortNewest    = "newest"    // latest published first, undated articles last; with ByFirstSeen latest first seen first
	SortOldest    = "oldest"    // earliest published first, undated articles last; with ByFirstSeen earliest first seen first
	// SortSeen is latest first seen first whatever ByFirstSeen says, so
	// the date filters keep their meaning: what feeds show, since an
	// article found today is news to a reader whatever its date.
	SortSeen = "seen"
)

// Limits on a page of hits.
const (
	DefaultLimit = 20
	MaxLimit     = 1000
)

// MaxValues is the most values each list filter (source, lang, stance,
// topic, state) takes, after splitting commas: more is a *ParamError. A
// reader narrows by a few sources or topics; thousands of them make a
// filter query, and pages whose every link repeats them, that grow with
// their number for no one's benefit. 50 is more sources than a stance has
// and every language the index knows.
const MaxValues = 50

// MaxValueBytes is the longest value a list filter takes: source ids,
// language codes, topic ids, stances and states are short words.
const MaxValueBytes = 100

// Request is a search as the web and CLI ask for it. The zero Request
// finds every article, best match first, 20 at a time.
type Request struct {
	// Query is in Bleve's query string syntax: words, "exact phrase",
	// +must, -not, field:value. "" matches every article.
	Query string
	// From and To bound the published date as the publisher printed it
	// (its local day and time), both inclusive; zero means
	// open. A bound leaves out articles whose published date is unknown.
	From, To time.Time
	// ByFirstSeen makes From, To, the timeline and the newest and oldest
	// sorts use the day presswatch first saw an article (UTC) instead of
	// its published date: what arrived when, rather than what was dated
	// when.
	ByFirstSeen bool
	// Sources, Langs, Stances and Topics keep only articles with one of
	// the given values; empty keeps all.
	Sources, Langs, Stances, Topics []string
	// States keeps only articles in one of these states: live, edited
	// (the publisher changed it after presswatch first read it) or
	// removed (gone at its source); empty keeps all.
	States []string
	// Collapse counts stories instead of articles: the copies of one
	// text (one cluster) count once in the total, the facets and the
	// timeline, and a page shows one article per story with how many
	// other copies match (Hit.Copies). At most MaxCollapse matching
	// articles are grouped.
	Collapse bool
	// Op joins the words of Query written side by side: "or" (or "",
	// as Media Cloud and Elasticsearch do) or "and" (as Google does).
	Op string
	// Sort is SortRelevance (or ""), SortNewest or SortOldest.
	Sort string
	// Interval is the timeline's bucket: "day", "week", "month" or
	// "year" (see Intervals); "" chooses from the span (chooseInterval).
	// A span that would make more than MaxBuckets buckets of it is
	// counted in the next coarser interval that fits, and
	// Result.Interval says which.
	Interval string
	// TimelineFrom and TimelineTo widen the timeline to cover at least
	// these days, without filtering: so the timelines of several
	// searches share one axis. Zero leaves the timeline to the data and
	// From and To.
	TimelineFrom, TimelineTo time.Time
	// ByStance asks for Result.ByStance, the timeline of each stance,
	// for one more facet's cost.
	ByStance bool
	// Limit is the page size: 0 means DefaultLimit; at most MaxLimit.
	Limit int
	// After is Result.Next from the previous page of the same search.
	After string
}

// ParamError reports a request parameter that cannot be used. The web
// layer answers it with 400.
type ParamError struct {
	Param  string // the URL parameter ("from", "sort", "after", ...)
	Value  string
	Reason string // completes the sentence "<value> ...", e.g. "is not a date"
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("index: parameter %q: %q %s", e.Param, e.Value, e.Reason)
}

// QueryError reports a query that cannot be parsed or run as written. The
// web layer answers it with 400.
type QueryError struct {
	Query string
	Err   error
}

func (e *QueryError) Error() string {
	return fmt.Sprintf("index: query %q: %v", e.Query, e.Err)
}

func (e *QueryError) Unwrap() error { return e.Err }

// ParseRequest reads a Request from URL query values: q, from, to, date
// (published, the default, or first_seen), source, lang, stance, topic,
// state, collapse (story), op (or, and), sort, interval (auto, day, week, month or
// year), limit and after. Dates are YYYY-MM-DD (the publisher's day; "to"
// then covers its whole day) or RFC 3339. source, lang, stance and topic
// may be repeated or comma-separated, at most MaxValues values of at most
// MaxValueBytes each. Unknown parameters are ignored.
// Errors are *ParamError.
func ParseRequest(v url.Values) (Request, error) {
	r := Request{
		Query:   v.Get("q"),
		Sources: list(v["source"]),
		Langs:   list(v["lang"]),
		Stances: list(v["stance"]),
		Topics:  list(v["topic"]),
		States:  list(v["state"]),
		Sort:    v.Get("sort"),
		Op:      v.Get("op"),
		After:   v.Get("after"),
	}
	switch c := v.Get("collapse"); c {
	case "", "none", "article":
	case "story":
		r.Collapse = true
	default:
		return Request{}, &ParamError{"collapse", c, "is not a way to collapse (want story)"}
	}
	if iv := v.Get("interval"); iv != "auto" {
		r.Interval = iv // check says whether it is one
	}
	switch d := v.Get("date"); d {
	case "", "published":
	case "first_seen", "first-seen", "seen":
		r.ByFirstSeen = true
	default:
		return Request{}, &ParamError{"date", d, "is not a date field (want published or first_seen)"}
	}
	var err error
	if r.From, err = parseDate("from", v.Get("from"), false); err != nil {
		return Request{}, err
	}
	if r.To, err = parseDate("to", v.Get("to"), true); err != nil {
		return Request{}, err
	}
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		return Request{}, &ParamError{"to", v.Get("to"), `is before "from"`}
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxLimit {
			return Request{}, &ParamError{"limit", s, fmt.Sprintf("is not a number from 1 to %d", MaxLimit)}
		}
		r.Limit = n
	}
	checked := r
	if r.Collapse {
		// A page of stories has a cursor of its own, checked by Search.
		if r.After != "" {
			if _, _, err := parseStoryCursor(r.After); err != nil {
				return Request{}, err
			}
		}
		checked.After = ""
	}
	if _, _, err := checked.check(); err != nil {
		return Request{}, err
	}
	return r, nil
}

// list splits repeated and comma-separated values, dropping empty ones.
func list(vals []string) []string {
	var out []string
	for _, v := range vals {
		for p := range strings.SplitSeq(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// Dates must lie within these years: Bleve keeps dates as nanoseconds,
// which end in 2262, and no press archive starts before 1900.
const (
	minYear = 1900
	maxYear = 2200
)

func parseDate(param, s string, endOfDay bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err == nil && endOfDay {
		t = t.Add(24*time.Hour - time.Nanosecond)
	}
	if err != nil {
		if t, err = time.Parse(time.RFC3339, s); err == nil {
			t = t.UTC()
		}
	}
	switch {
	case err != nil:
		return time.Time{}, &ParamError{param, s, "is not a date (want YYYY-MM-DD)"}
	case t.Year() < minYear || t.Year() > maxYear:
		return time.Time{}, &ParamError{param, s, fmt.Sprintf("is outside the years %d to %d", minYear, maxYear)}
	}
	return t, nil
}

// check validates r and returns its sort order (the default filled in)
// and the decoded cursor, nil when there is none.
func (r Request) check() (sortOrder, []string, error) {
	so, ok := r.sortOrder()
	if !ok {
		return sortOrder{}, nil, &ParamError{"sort", r.Sort, "is not a sort order (want relevance, newest or oldest)"}
	}
	if _, err := qparse.ParseOp(r.Op); err != nil {
		return sortOrder{}, nil, &ParamError{"op", r.Op, "is not an operator (want or or and)"}
	}
	if err := r.checkLists(); err != nil {
		return sortOrder{}, nil, err
	}
	if r.Limit < 0 || r.Limit > MaxLimit {
		return sortOrder{}, nil, &ParamError{"limit", strconv.Itoa(r.Limit), fmt.Sprintf("is not a number from 1 to %d", MaxLimit)}
	}
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		return sortOrder{}, nil, &ParamError{"to", r.To.Format(time.RFC3339), "is before \"from\""}
	}
	for _, s := range r.Stances {
		if !slices.Contains(model.Stances, model.Stance(s)) {
			return sortOrder{}, nil, &ParamError{"stance", s, "is not a stance (want one of " + stanceNames() + ")"}
		}
	}
	if r.Interval != "" && !slices.Contains(Intervals, r.Interval) {
		return sortOrder{}, nil, &ParamError{"interval", r.Interval, "is not an interval (want auto, day, week, month or year)"}
	}
	for _, s := range r.States {
		switch model.ArticleState(s) {
		case model.StateLive, model.StateEdited, model.StateRemoved:
		default:
			return sortOrder{}, nil, &ParamError{"state", s, "is not a state (want live, edited or removed)"}
		}
	}
	if r.After == "" {
		return so, nil, nil
	}
	after, err := decodeCursor(r.After, so)
	if err != nil {
		return sortOrder{}, nil, err
	}
	return so, after, nil
}

// checkLists refuses a list filter of more than MaxValues values, or a
// value longer than MaxValueBytes, naming the parameter and the cap.
func (r Request) checkLists() error {
	for _, l := range []struct {
		param string
		vals  []string
	}{{"source", r.Sources}, {"lang", r.Langs}, {"stance", r.Stances}, {"topic", r.Topics}, {"state", r.States}} {
		if n := len(l.vals); n > MaxValues {
			return &ParamError{l.param, fmt.Sprintf("%d values", n), fmt.Sprintf("are too many; at most %d", MaxValues)}
		}
		for _, v := range l.vals {
			if len(v) > MaxValueBytes {
				return &ParamError{l.param, v[:32] + "…", fmt.Sprintf("is %d bytes long; at most %d", len(v), MaxValueBytes)}
			}
		}
	}
	return nil
}

func stanceNames() string {
	names := make([]string, len(model.Stances))
	for i, s := range model.Stances {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}
