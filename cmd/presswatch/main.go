// Command presswatch collects press coverage from feeds, listing pages and
// sitemaps, keeps it in SQLite with a Bleve index, and serves search.
//
//	presswatch serve     scheduler and web server in one process
//	presswatch crawl     one pass over the sources, then exit
//	presswatch import    ingest saved pages, feeds, text, e-mail and mbox files
//	presswatch search    search from the command line
//	presswatch sources   each source with its health (export: as the file's YAML)
//	presswatch reindex   rebuild the index from the store
//	presswatch extract   show what presswatch extracts from one page
//	presswatch backup    copy the store and the WARC archive, also while serve runs
//	presswatch restore   a backup into an empty data folder, indexed again
//	presswatch version   the version and the Go version (also --version)
//
// `presswatch help <command>` (or `presswatch <command> --help`) documents
// each command.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"presswatch/index"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"presswatch/internal/memstat"
)

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
	// batch commands run to an end and spend their time extracting and
	// indexing: they collect garbage less often (see batchGCPercent).
	batch bool
}

var commands = []command{
	{"serve", "run the scheduler and the web server", runServe, false},
	{"crawl", "read every (or the named) source once, then exit", runCrawl, true},
	{"import", "ingest saved HTML, feed, text, e-mail and mbox files", runImport, true},
	{"search", "search the collected articles", runSearch, false},
	{"digest", "print a topic's digest of a day (--store, --send: keep it, mail it)", runDigest, false},
	{"sources", "list the sources with their last fetch, status and next run; export: as the file's YAML", runSources, false},
	{"revisit", "read due articles again to find edits and removals (--all: every one)", runRevisit, true},
	{"warc", "warc verify [FILE...]: recompute every digest of the WARC archive", runWARC, false},
	{"reindex", "rebuild the search index from the store", runReindex, true},
	{"extract", "show what presswatch extracts from one page (JSON)", runExtract, false},
	{"backup", "backup DIR: copy the store and the WARC archive, also while serve runs", runBackup, false},
	{"admin", "add NAME: set an administrator's password for the web login; list: the administrators", runAdmin, false},
	{"restore", "restore DIR: a backup into an empty data folder, then index it", runRestore, true},
	{"version", "print presswatch's version and the Go version it was built with (also --version)", runVersion, false},
}

// memoryLimit is the Go runtime's soft memory limit when GOMEMLIMIT does
// not set one. Indexing thousands of stored articles at once (a first
// start, a reindex) otherwise lets the heap grow to twice what is live,
// about 450 MiB of private memory with 100,000 articles; near this limit
// the collector runs more often instead, for about 5 % more CPU (measured
// with 10,000). It is soft: a heap that needs more gets more. It also
// sizes the index's Bleve batches (index.Put: a 320th of it in text).
const memoryLimit = 320 << 20

// batchGCPercent is the Go collector's GOGC for the batch commands when
// the environment does not set one. Extraction allocates about 600 MB a
// second on two cores while little of it stays live (about 75 MB during a
// crawl of generated pages; a Bleve batch of long texts adds its own, see
// index.Put), so at the default of 100 the collector ran about eight
// times a second; at 400 a crawl of 2,000 farm articles took 35.1-37.3
// CPU-seconds (four runs) instead of 40.2-40.5 (two), with the same peak
// RSS (379-385 MiB), since the soft memory limit above still bounds the
// heap. serve keeps
// 100: it idles most of the day, and at 400 its heap, about 50 MB live
// with 2,000 articles, held 233 MiB instead of 103 MiB.
const batchGCPercent = 400

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfile, err := startProfile(os.Getenv("PRESSWATCH_CPUPROFILE"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "presswatch: PRESSWATCH_CPUPROFILE: %v\n", err)
		os.Exit(1)
	}
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if err := stopProfile(); err != nil {
		fmt.Fprintf(os.Stderr, "presswatch: PRESSWATCH_CPUPROFILE: %v\n", err)
		code = max(code, 1)
	}
	stop()
	os.Exit(code)
}

// startProfile writes a CPU profile of the whole run to path, when path
// is set, for `go tool pprof`: where a crawl or a serve spends its time
// on the operator's own sources. The returned function ends it.
func startProfile(path string) (func() error, error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}

// exitError carries an exit status other than 1.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	// Progress lines and log lines come from several goroutines.
	errOut := &lockedWriter{w: stderr}
	stdout, stderr = &lockedWriter{w: stdout}, errOut
	switch {
	case len(args) == 0:
		usage(stderr)
		return 2
	case isHelp(args[0]) || args[0] == "help" && len(args) == 1:
		usage(stdout)
		return 0
	case args[0] == "help":
		// presswatch help COMMAND [SUBCOMMAND] is COMMAND [SUBCOMMAND] --help.
		if _, ok := findCommand(args[1]); !ok {
			fmt.Fprintf(stderr, "presswatch help: unknown command %q\n\n", args[1])
			usage(stderr)
			return 2
		}
		if len(args) > 3 || len(args) == 3 && !slices.Contains(subcommands[args[1]], args[2]) {
			fmt.Fprintf(stderr, "presswatch help: %s has no subcommand %q (it has: %s)\n", args[1],
				strings.Join(args[2:], " "), cmp.Or(strings.Join(subcommands[args[1]], ", "), "none"))
			return 2
		}
		args = append(args[1:len(args):len(args)], "--help")
	}
	if args[0] == "--version" || args[0] == "-version" {
		args = append([]string{"version"}, args[1:]...)
	}
	if c, ok := findCommand(args[0]); ok {
		if c.batch && os.Getenv("GOGC") == "" {
			old := debug.SetGCPercent(batchGCPercent)
			defer debug.SetGCPercent(old)
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		if errOut.badFlag.Load() && err != nil {
			fmt.Fprintf(stderr, "presswatch %s: %v\n", c.name, err)
			return 2 // a bad flag: the flag package has printed the help
		}
		ran := !errors.Is(err, flag.ErrHelp) && !errors.Is(err, errUsage)
		if ran && (c.batch || c.name == "serve") {
			if m, err := memstat.Self(); err == nil {
				fmt.Fprintf(stderr, "peak memory: %.1f MiB resident\n", m.Peak)
			}
		}
		var ee exitError
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &ee):
			return ee.code
		}
		fmt.Fprintf(stderr, "presswatch %s: %v\n", c.name, err)
		var qe *index.QueryError
		var pe *index.ParamError
		if errors.Is(err, errUsage) || errors.As(err, &qe) || errors.As(err, &pe) {
			return 2 // the user's mistake, as a bad flag is
		}
		return 1
	}
	fmt.Fprintf(stderr, "presswatch: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

var errUsage = errors.New("usage")

func findCommand(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// isHelp reports whether arg asks for help, as the flag package reads it.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help" || arg == "--h"
}

// subcommands are the words `presswatch help COMMAND` takes after the
// commands that have any.
var subcommands = map[string][]string{"sources": {"export"}, "warc": {"verify"}, "admin": {"add", "list"}}

// examples are the commands' examples their help ends with, by the name
// of their flag set.
var examples = map[string]string{
	"serve":          "presswatch serve --config presswatch.yaml --data data --addr 127.0.0.1:8080",
	"crawl":          "presswatch crawl --config presswatch.yaml --source azattyq --max-time 10m",
	"import":         "presswatch import --source kazpravda saved-pages/\npresswatch import --url https://rus.azattyq.org/a/1.html page.html",
	"search":         "presswatch search --from 2011-12-16 --lang ru --limit 5 'Zhanaozen OR Жанаозен'\npresswatch search --json --source azattyq police",
	"digest":         "presswatch digest --topic zhanaozen --date 2011-12-17 --format md",
	"sources":        "presswatch sources --data data\npresswatch sources --json | jq '.sources[] | select(.failures > 0)'",
	"sources export": "presswatch sources export --web >> presswatch.yaml",
	"revisit":        "presswatch revisit --config presswatch.yaml --source azattyq --all",
	"warc verify":    "presswatch warc verify --data data\npresswatch warc verify capture.warc.gz",
	"reindex":        "presswatch reindex --data data",
	"extract":        "presswatch extract --url https://rus.azattyq.org/a/1.html page.html\npresswatch extract https://rus.azattyq.org/a/1.html",
	"backup":         "presswatch backup --data data /mnt/backup/presswatch-2011-12-20",
	"admin":          "presswatch admin add ana\npresswatch admin list",
	"restore":        "presswatch restore --data data-new /mnt/backup/presswatch-2011-12-20",
	"version":        "presswatch version",
}

// runVersion prints "presswatch <version> (<go version> <os>/<arch>)".
func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", "", "Prints presswatch's version and the Go version, system and architecture it was\n"+
		"built with (also presswatch --version).", stdout, stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: presswatch version takes no arguments, got %q", errUsage, fs.Arg(0))
	}
	fmt.Fprintf(stdout, "presswatch %s (%s %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: presswatch <command> [flags]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun `presswatch help <command>` (or `presswatch <command> --help`) for a command's flags and an example.")
	fmt.Fprintln(w, "Environment: PRESSWATCH_DATA (default ./data), PRESSWATCH_CONFIG (default: the embedded configuration),\nPRESSWATCH_CPUPROFILE (a file for a CPU profile of the run, for go tool pprof).")
}

// lockedWriter serialises writes from several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
	// badFlag is set when a command's flags could not be parsed (see
	// newFlags).
	badFlag atomic.Bool
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
