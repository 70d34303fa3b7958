package index

import (
	"encoding/base64"
	"encoding/json"
	"strconv"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

// sortOrder is a named Bleve sort. Each ends with the document id, so the
// order is total and SearchAfter neither skips nor repeats a hit. The id
// compares as a string ("10" < "9"); it only breaks ties.
type sortOrder struct {
	name   string
	fields []string
}

var sortOrders = map[string]sortOrder{
	"":            {SortRelevance, []string{"-_score", "_id"}},
	SortRelevance: {SortRelevance, []string{"-_score", "_id"}},
	SortNewest:    {SortNewest, []string{"-" + fieldPublished, "-_id"}},
	SortOldest:    {SortOldest, []string{fieldPublished, "_id"}},
}

// cursor is what Result.Next encodes: the sort it belongs to and the sort
// values of the last hit of the page, as Bleve's SearchAfter takes them.
type cursor struct {
	Sort  string   `json:"s"`
	After []string `json:"a"`
}

func encodeCursor(so sortOrder, last *bsearch.DocumentMatch) string {
	after := make([]string, len(so.fields))
	copy(after, last.Sort)
	if so.name == SortRelevance {
		// Bleve puts the placeholder "_score" in Sort; SearchAfter wants
		// the score itself.
		after[0] = strconv.FormatFloat(last.Score, 'g', -1, 64)
	}
	b, _ := json.Marshal(cursor{so.name, after}) // strings only: cannot fail
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
	if c.Sort != so.name {
		return nil, &ParamError{"after", shown, "is a cursor for sort " + strconv.Quote(c.Sort) + ", not " + strconv.Quote(so.name)}
	}
	if so.name == SortRelevance {
		if _, err := strconv.ParseFloat(c.After[0], 64); err != nil {
			return nil, bad
		}
	}
	return c.After, nil
}
