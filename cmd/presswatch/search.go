package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"presswatch/internal/store"
	"strconv"
	"strings"

	"presswatch/index"
	"presswatch/web"
)

func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		c                                    common
		srcs, langs, stances, topics, states listFlag
		dateField, op                        string
		from, to, sortBy, after              string
		limit                                int
		asJSON                               bool
	)
	fs := newFlags("search", "[--data DIR] [--json] [--from DATE] [--to DATE] [--source ID] [--lang L] [--state S] [--limit N] QUERY",
		"Searches the collected articles (through the running serve, if one runs on\n"+
			"the folder). QUERY uses the web search's language (presswatch help\n"+
			"search, or /help): words, \"exact phrase\", AND, OR, NOT, (groups), +must, -not,\n"+
			"Kazakh*, \"strike police\"~5, field:value (title:, author:, source:, lang:, stance:,\n"+
			"topic:, url:, state:, published:>=2011-12-16). A query that cannot be read exits\n"+
			"with status 2. --json prints the same document as GET /api/search.", stdout, stderr)
	c.register(fs, false)
	fs.BoolVar(&asJSON, "json", false, "print the result as JSON, as GET /api/search answers")
	fs.StringVar(&from, "from", "", "only articles published on or after this `date` (YYYY-MM-DD)")
	fs.StringVar(&to, "to", "", "only articles published on or before this `date` (YYYY-MM-DD)")
	fs.Var(&srcs, "source", "only this source `id` (repeatable)")
	fs.Var(&langs, "lang", "only this `language` code (repeatable)")
	fs.Var(&states, "state", "only articles in this `state`: live, edited (changed by the publisher) or removed (gone at the source); repeatable")
	fs.Var(&stances, "stance", "only this `stance` (repeatable)")
	fs.Var(&topics, "topic", "only articles of this `topic` id (repeatable)")
	fs.StringVar(&dateField, "date", "published", "which `date` --from and --to bound: published (the publisher's day) or first_seen")
	fs.StringVar(&sortBy, "sort", "", "`order`: relevance (default with a query) or newest or oldest (default without)")
	fs.IntVar(&limit, "limit", 20, "at most `N` results")
	fs.StringVar(&op, "op", "or", "how words side by side are joined: `or` (as Media Cloud) or and (as Google)")
	fs.StringVar(&after, "after", "", "continue after this `cursor` (the \"next\" of a previous --json result)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	q := strings.Join(fs.Args(), " ")
	if sortBy == "" && q == "" {
		sortBy = "newest"
	}
	v := url.Values{"q": {q}, "from": {from}, "to": {to}, "sort": {sortBy}, "after": {after},
		"limit": {strconv.Itoa(limit)}, "source": srcs, "lang": langs, "stance": stances, "topic": topics, "state": states,
		"date": {dateField}, "op": {op}}
	req, err := index.ParseRequest(v)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	var res *index.Result
	if lc := c.localServe(); lc != nil {
		// serve holds the index: it searches, with its live topics.
		res, err = lc.search(ctx, v, stderr)
	} else {
		res, err = c.search(ctx, req, stderr)
	}
	if err != nil {
		return err
	}
	if asJSON {
		return web.EncodeJSON(stdout, res)
	}
	fmt.Fprintf(stdout, "%d articles\n", res.Total)
	if res.ReadAs != "" && res.ReadAs != "*" {
		fmt.Fprintf(stdout, "read as: %s\n", res.ReadAs)
	}
	for _, h := range res.Hits {
		date := "date unknown"
		if h.Published != nil {
			date = h.Published.Format("2006-01-02")
		}
		fmt.Fprintf(stdout, "\n%s  %s [%s, %s, %s]\n  %s\n", date, h.Title, h.Source, h.Stance, h.Lang, h.URL)
	}
	if res.Next != "" {
		fmt.Fprintf(stdout, "\nmore: --after %s\n", res.Next)
	}
	return nil
}

// search searches the index of the data folder, opened for this search.
func (c *common) search(ctx context.Context, req index.Request, stderr io.Writer) (*index.Result, error) {
	st, err := store.Open(ctx, c.dbPath())
	if err != nil {
		return nil, err
	}
	c.noteReadOnly(stderr, st.ReadOnly())
	opts, err := indexOptions(ctx, st) // the topics' alias groups widen the query
	st.Close()
	if err != nil {
		return nil, err
	}
	ix, err := index.Open(c.indexPath(), opts...)
	if err != nil {
		return nil, c.inUse(err)
	}
	defer ix.Close()
	return ix.Search(ctx, req)
}
