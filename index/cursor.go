package index

import (
	"encoding/base64"
	"encoding/json"
	"strconv"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

// sortOrder is a named Bleve sort. Each ends with the article id (the
// numeric field n), so the order is total and SearchAfter neither skips
// nor repeats a hit. date is "" for the published date, or fieldFirstSeen
// for a sort by when presswatch first saw the article (Request.ByFirstSeen).
type sortOrder struct {
	name   string
	date   string
	fields []string
}

var sortOrders = map[string]sortOrder{
	"":            {SortRelevance, "", []string{"-_score", fieldNum}},
	SortRelevance: {SortRelevance, "", []string{"-_score", fieldNum}},
	SortNewest:    {SortNewest, "", []string{"-" + fieldPublished, "-" + fieldNum}},
	SortOldest:    {SortOldest, "", []string{fieldPublished, fieldNum}},
	SortSeen:      {SortSeen, fieldFirstSeen, []string{"-" + fieldFirstSeen, "-" + fieldNum}},
}

// firstSeenOrders replace the date sorts of sortOrders when the request
// is by first seen: every article has a first-seen time, so none sorts
// last for want of a date.
var firstSeenOrders = map[string]sortOrder{
	SortNewest: {SortNewest, fieldFirstSeen, []string{"-" + fieldFirstSeen, "-" + fieldNum}},
	SortOldest: {SortOldest, fieldFirstSeen, []string{fieldFirstSeen, fieldNum}},
}

// sortOrder returns the sort r asks for: its Sort, by first seen when
// r.ByFirstSeen; false for an unknown sort.
func (r Request) sortOrder() (sortOrder, bool) {
	if r.ByFirstSeen {
		if so, ok := firstSeenOrders[r.Sort]; ok {
			return so, true
		}
	}
	so, ok := sortOrders[r.Sort]
	return so, ok
}

// label names the sort in errors: "newest", or "newest" by first_seen.
func (so sortOrder) label() string {
	if so.date == "" {
		return strconv.Quote(so.name)
	}
	return strconv.Quote(so.name) + " by " + so.date
}

// cursor is what Result.Next encodes: the sort it belongs to and the sort
// values of the last hit of the page, as Bleve's SearchAfter takes them.
// The values are bytes, not strings: Bleve codes numbers (a sort by a
// numeric field) in binary, which JSON strings would not carry intact.
type cursor struct {
	Sort  string   `json:"s"`
	Date  string   `json:"d,omitempty"` // sortOrder.date; absent for the published date
	After [][]byte `json:"a"`
}

func encodeCursor(so sortOrder, last *bsearch.DocumentMatch) string {
	after := make([][]byte, len(so.fields))
	for i := range after {
		if i < len(last.Sort) {
			after[i] = []byte(last.Sort[i])
		}
	}
	if so.name == SortRelevance {
		// Bleve puts the placeholder "_score" in Sort; SearchAfter wants
		// the score itself.
		after[0] = []byte(strconv.FormatFloat(last.Score, 'g', -1, 64))
	}
	b, _ := json.Marshal(cursor{so.name, so.date, after}) // bytes only: cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, so sortOrder) ([]string, error) {
	shown := s
	if len(shown) > 40 {
		shown = shown[:40] + "…"
	}
	bad := &ParamError{"after", shown, "is not a cursor from a previous page"}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || len(c.After) != len(so.fields) {
		return nil, bad
	}
	if c.Sort != so.name || c.Date != so.date {
		return nil, &ParamError{"after", shown, "is a cursor for sort " + (sortOrder{name: c.Sort, date: c.Date}).label() + ", not " + so.label()}
	}
	if so.name == SortRelevance {
		if _, err := strconv.ParseFloat(string(c.After[0]), 64); err != nil {
			return nil, bad
		}
	}
	after := make([]string, len(c.After))
	for i, v := range c.After {
		after[i] = string(v)
	}
	return after, nil
}
