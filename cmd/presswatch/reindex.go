package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

func runReindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("reindex", "[--data DIR]",
		"Rebuilds the search index from the store into a new folder and swaps it in.\n"+
			"The old index stays in place if anything fails. `presswatch serve` does the\n"+
			"same by itself, while it goes on answering searches, when it finds an index\n"+
			"made by an older presswatch.", stdout, stderr)
	c.register(fs, false)
	if err := fs.Parse(args); err != nil {
		return err
	}
	start := time.Now()
	if lc := c.localServe(); lc != nil {
		// serve holds the index: it rebuilds it while it goes on answering.
		fmt.Fprintf(stderr, "presswatch serve is running on %s: it rebuilds the index while it goes on answering\n", c.data)
		n, err := lc.reindex(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "reindexed %d articles in %s\n", n, time.Since(start).Round(time.Millisecond))
		return nil
	}
	a, err := c.open(ctx, nil, c.logger(stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	n, err := a.rebuild(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "reindexed %d articles in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
