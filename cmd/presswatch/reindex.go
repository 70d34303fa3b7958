package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"presswatch/index"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

func runReindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("reindex", "[--data DIR]",
		"Rebuilds the search index from the store into a new folder and swaps it in.\n"+
			"The old index stays in place if anything fails.", stderr)
	c.register(fs, false)
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := store.Open(ctx, c.dbPath())
	if err != nil {
		return err
	}
	defer st.Close()
	srcs, err := st.Sources(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	var read []store.Pending
	ix, err := index.Rebuild(ctx, c.indexPath(), func(ctx context.Context, yield func(*model.Article) error) error {
		return st.EachArticle(ctx, func(p store.Pending) error {
			read = append(read, store.Pending{Article: &model.Article{ID: p.ID}, Rev: p.Rev})
			return yield(p.Article)
		})
	}, index.WithSources(sourceList(srcs)))
	if err != nil {
		return err
	}
	defer ix.Close()
	if err := st.MarkIndexed(ctx, read, time.Now()); err != nil {
		return err
	}
	n, _ := ix.Count()
	fmt.Fprintf(stderr, "reindexed %d articles in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
