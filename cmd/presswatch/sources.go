package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/store"
)

func runSources(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("sources", "[--data DIR] [--json]",
		"Lists every source with its last fetch, status, error and next run.", stderr)
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
	srcs, err := st.Sources(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]sourceJSON, len(srcs))
		for i, s := range srcs {
			out[i] = toSourceJSON(s)
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
	for _, s := range srcs {
		j := toSourceJSON(s)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", s.ID, s.Type, s.Stance, s.Articles,
			when(s.State.LastFetch), j.Status, when(s.State.NextDue))
	}
	return tw.Flush()
}

type sourceJSON struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Type      string     `json:"type"`
	URL       string     `json:"url"`
	Stance    string     `json:"stance"`
	Lang      string     `json:"lang"`
	Active    bool       `json:"active"`
	Articles  int        `json:"articles"`
	LastFetch *time.Time `json:"last_fetch"`
	HTTP      int        `json:"http_status,omitempty"`
	ErrorKind string     `json:"error_kind,omitempty"`
	Error     string     `json:"error,omitempty"`
	Status    string     `json:"status"`
	Failures  int        `json:"failures"`
	NextRun   *time.Time `json:"next_run"`
}

func toSourceJSON(s *store.SourceInfo) sourceJSON {
	st := s.State
	j := sourceJSON{ID: s.ID, Name: s.Name, Type: string(s.Type), URL: s.URL, Stance: string(s.Stance),
		Lang: s.Lang, Active: s.Active, Articles: s.Articles, LastFetch: ptr(st.LastFetch), HTTP: st.LastStatus,
		ErrorKind: string(st.ErrorKind), Error: st.Error, Failures: st.Failures, NextRun: ptr(st.NextDue)}
	switch {
	case !s.Active:
		j.Status = "removed from the configuration"
	case st.LastFetch.IsZero():
		j.Status = "not fetched yet"
	case st.ErrorKind == model.ErrNone:
		j.Status = "ok"
	default:
		j.Status = fmt.Sprintf("%s (%d failure(s) in a row): %s", st.ErrorKind.Describe(), st.Failures, st.Error)
	}
	return j
}

func ptr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}
