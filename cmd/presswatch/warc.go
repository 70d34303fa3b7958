package main

import (
	"context"
	"fmt"
	"io"

	"presswatch/internal/archive"
)

func runWARC(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		args = append([]string{"verify"}, args...) // verify is warc's one subcommand
	}
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("%w: presswatch warc verify [--data DIR] [FILE...]", errUsage)
	}
	var c common
	fs := newFlags("warc verify", "[--data DIR] [FILE...]",
		"Reads every record of the WARC files (default: every file of the data\n"+
			"folder's archive), recomputes each block and payload digest and reports per\n"+
			"file. Exits with status 1 when any file has a problem.", stdout, stderr)
	c.register(fs, false)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var (
		reports []archive.FileReport
		bad0    int // files that could not be opened
	)
	if fs.NArg() == 0 {
		var err error
		if reports, err = archive.VerifyDir(c.warcPath()); err != nil {
			return err
		}
		if len(reports) == 0 {
			fmt.Fprintf(stderr, "no WARC files in %s\n", c.warcPath())
		}
	}
	for _, f := range fs.Args() {
		if ctx.Err() != nil {
			return exitError{130}
		}
		r, err := archive.Verify(f)
		if err != nil {
			// A file that cannot be opened is a failed file, reported
			// beside the others.
			fmt.Fprintln(stdout, err)
			bad0++
			continue
		}
		reports = append(reports, r)
	}
	bad := bad0
	for _, r := range reports {
		fmt.Fprintln(stdout, r.String())
		if !r.OK() {
			bad++
		}
	}
	if bad > 0 {
		fmt.Fprintf(stderr, "%d of %d WARC files have problems\n", bad, len(reports)+bad0)
		return exitError{1}
	}
	return nil
}
