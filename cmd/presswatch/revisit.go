package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"presswatch/internal/model"
)

func runRevisit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		c   common
		ids listFlag
		all bool
	)
	fs := newFlags("revisit", "[--config F] [--data DIR] [--source ID]... [--all]",
		"Reads the stored articles that are due again now (or, with --all, every\n"+
			"crawled article, whatever its schedule) and prints what each revisit found:\n"+
			"unchanged, edited, removed, back, moved, completed or failed. serve runs the\n"+
			"same revisits on their schedule.", stdout, stderr)
	c.register(fs, true)
	fs.Var(&ids, "source", "revisit only this source's articles (`id`, repeatable)")
	fs.BoolVar(&all, "all", false, "revisit every crawled article now, whatever its schedule")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	if _, err := pick(cfg.Sources, ids); err != nil {
		return err
	}
	a, err := c.open(ctx, cfg, c.logger(stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := a.pipeline(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err := p.Close(); err != nil {
			a.log.Error("closing the crawler", "error", err)
		}
	}()
	q := model.RevisitQuery{Now: time.Now(), Sources: ids, All: all}
	rep, err := p.crawler.RevisitPass(ctx, p.ingester, cfg.Sources, q, cfg.Revisit.Workers,
		func(d model.DueRevisit, o model.RevisitOutcome, err error) {
			if err != nil {
				fmt.Fprintf(stdout, "error\t%d\t%s\t%v\n", d.Article.ID, d.Revisit.URL, err)
				return
			}
			fmt.Fprintf(stdout, "%s\t%d\t%s\n", o, d.Article.ID, d.Revisit.URL)
		})
	drainCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	if _, derr := a.indexer.Drain(drainCtx); derr != nil {
		return fmt.Errorf("indexing: %w", derr)
	}
	o := rep.Outcomes
	fmt.Fprintf(stderr, "%d revisits: %d unchanged, %d edited, %d removed, %d back, %d moved, %d completed, %d failed; %s\n",
		rep.Due, o[model.RevisitUnchanged], o[model.RevisitEdited], o[model.RevisitRemoved], o[model.RevisitBack],
		o[model.RevisitMoved], o[model.RevisitCompleted], o[model.RevisitFailed], rep.Duration.Round(time.Millisecond))
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "interrupted: the next revisit continues with what is still due")
			return exitError{130}
		}
		return err
	}
	if rep.Errors > 0 {
		return fmt.Errorf("presswatch: %d revisits could not be stored (see the log)", rep.Errors)
	}
	return nil
}
