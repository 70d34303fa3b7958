package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"presswatch/internal/config"
	"presswatch/internal/model"
	"presswatch/internal/redact"
	"presswatch/internal/store"
	"presswatch/web"
)

func runSources(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "export" {
		return runSourcesExport(ctx, args[1:], stdout, stderr)
	}
	var c common
	fs := newFlags("sources", "[--data DIR] [--json] | export [--web]",
		"Lists every source with its last fetch, status, error and next run.\n"+
			"`presswatch sources export` writes them as the configuration file's sources: list.", stderr)
	c.register(fs, false)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := store.Open(ctx, c.dbPath())
	if err != nil {
		return err
	}
	defer st.Close()
	c.noteReadOnly(stderr, st.ReadOnly())
	srcs, err := st.Sources(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]web.SourceStatus, len(srcs))
		for i, s := range srcs {
			out[i] = web.SourceStatusOf(s)
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(srcs) == 0 {
		fmt.Fprintln(stderr, "no sources yet: run `presswatch crawl` or `presswatch serve` first")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTYPE\tSTANCE\tARTICLES\tLAST FETCH\tSTATUS\tNEXT RUN")
	var errs []string
	for _, s := range srcs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", s.ID, s.Type, s.Stance, s.Articles,
			when(s.State.LastFetch), shortStatus(s), when(s.State.NextDue))
		if s.State.Error != "" {
			errs = append(errs, fmt.Sprintf("%s: %s", s.ID, redact.Text(s.State.Error)))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(errs) > 0 {
		fmt.Fprintln(stdout, "\nlast errors:")
		for _, e := range errs {
			fmt.Fprintln(stdout, "  "+e)
		}
	}
	if err := printBackfills(ctx, stdout, st, srcs); err != nil {
		return err
	}
	noteNothingRead(stdout, srcs)
	return nil
}

// printBackfills says how far each wayback source's backfill has come.
func printBackfills(ctx context.Context, w io.Writer, st *store.Store, srcs []*store.SourceInfo) error {
	head := false
	for _, s := range srcs {
		if s.Type != model.SourceWayback {
			continue
		}
		p, err := st.WaybackProgress(ctx, s.ID)
		if err != nil {
			return err
		}
		if !head {
			fmt.Fprintln(w, "\nbackfills from web archives:")
			head = true
		}
		fmt.Fprintf(w, "  %s: %s\n", s.ID, backfillLine(p, time.Now()))
	}
	return nil
}

// backfillLine is a backfill's progress in words, with the time its
// remaining captures take at the default rate.
func backfillLine(p model.WaybackProgress, now time.Time) string {
	listing := "listing goes on"
	switch {
	case p.Done:
		listing = "listing read to its end"
	case p.Pages == 0:
		listing = "listing not read yet"
	}
	line := fmt.Sprintf("%d listed (%s), %d fetched, %d stored, %d remaining", p.Listed, listing, p.Fetched, p.Stored, p.Remaining)
	if p.Remaining > 0 {
		eta := time.Duration(float64(p.Remaining) / config.DefaultWaybackRate * float64(time.Second))
		round := time.Minute
		if eta < time.Minute {
			round = time.Second
		}
		line += fmt.Sprintf(", about %s at %v requests a second", config.FormatDuration(eta.Round(round)), config.DefaultWaybackRate)
	}
	if p.BackoffUntil.After(now) {
		line += "; the archive asked to wait: nothing is asked before " + when(p.BackoffUntil)
	}
	return line
}

// shortStatus is a source's health in a few words, for the table.
func shortStatus(s *store.SourceInfo) string {
	st := s.State
	switch {
	case !s.Active, st.LastFetch.IsZero(), st.ErrorKind == model.ErrNone:
		return web.SourceStatusOf(s).Status
	case st.Failures <= 1: // a run whose every item failed is no failed run
		return st.ErrorKind.Describe()
	}
	return fmt.Sprintf("%s (%d times in a row)", st.ErrorKind.Describe(), st.Failures)
}

func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}
