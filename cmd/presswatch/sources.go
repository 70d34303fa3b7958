package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

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
			"`presswatch sources export` writes them as the configuration file's sources: list.", stdout, stderr)
	c.register(fs, false)
	asJSON := fs.Bool("json", false, "print the sources as JSON, as GET /api/sources answers")
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
		return web.EncodeJSON(stdout, web.SourcesJSON{Sources: web.SourceStatuses(srcs)})
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
	printBackfills(stdout, srcs)
	noteNothingRead(stdout, srcs)
	return nil
}

// printBackfills says how far each wayback source's backfill has come and
// how long the rest takes at its archive's pace.
func printBackfills(w io.Writer, srcs []*store.SourceInfo) {
	head := false
	for i, st := range web.SourceStatuses(srcs) {
		lines := web.BackfillText("en", st.Backfill, time.Now())
		if lines == nil {
			continue
		}
		if !head {
			fmt.Fprintln(w, "\nbackfills from web archives:")
			head = true
		}
		fmt.Fprintf(w, "  %s: %s\n", srcs[i].ID, strings.Join(lines, "\n    "))
	}
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
