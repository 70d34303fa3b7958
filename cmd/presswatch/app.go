package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"presswatch/index"
	"presswatch/internal/config"
	"presswatch/internal/ingest"
	"presswatch/internal/model"
	"presswatch/internal/redact"
	"presswatch/internal/store"
)

// common holds the flags most commands share.
type common struct {
	config    string
	data      string
	logLevel  string
	logFormat string
	// readsOnly: the command only reads (serve --no-crawl), so a data
	// folder that cannot be written is served rather than refused.
	readsOnly bool
}

func (c *common) register(fs *flag.FlagSet, withConfig bool) {
	if withConfig {
		fs.StringVar(&c.config, "config", os.Getenv("PRESSWATCH_CONFIG"),
			"configuration `file` (YAML); default $PRESSWATCH_CONFIG, else the embedded Zhanaozen configuration")
	}
	data := os.Getenv("PRESSWATCH_DATA")
	if data == "" {
		data = "data"
	}
	fs.StringVar(&c.data, "data", data, "data `directory` holding the database and the index; default $PRESSWATCH_DATA, else ./data")
	fs.StringVar(&c.logLevel, "log-level", "info", "log `level`: debug, info, warn or error")
	c.logFormat = "text"
	fs.Func("log-format", "log line `format`: text (key=value) or json (one object a line, for a log collector); default text",
		func(v string) error {
			if v != "text" && v != "json" {
				return errors.New("want text or json")
			}
			c.logFormat = v
			return nil
		})
}

// newFlags returns a flag set whose --help (also -h, and `presswatch help
// NAME`) prints the command's help on stdout: its synopsis, what it does,
// its flags with their defaults and an example (examples, in main.go). A
// bad flag prints the same after its error, on stderr.
func newFlags(name, synopsis, about string, stdout, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	errOut := &countingWriter{w: stderr}
	fs.SetOutput(errOut)
	fs.Usage = func() {
		// The flag package prints a bad flag's error before calling Usage,
		// and nothing before a -h or --help.
		w := stdout
		if errOut.n > 0 {
			w = stderr
			if lw, ok := stderr.(*lockedWriter); ok {
				lw.badFlag.Store(true) // run exits 2
			}
		}
		writeHelp(w, fs, synopsis, about)
	}
	return fs
}

// writeHelp writes a command's help: the usage line, what it does, its
// flags with their defaults and an example.
func writeHelp(w io.Writer, fs *flag.FlagSet, synopsis, about string) {
	fmt.Fprintf(w, "usage: %s\n\n%s\n", strings.TrimSpace("presswatch "+fs.Name()+" "+synopsis), about)
	head := false
	fs.VisitAll(func(f *flag.Flag) {
		if !head {
			fmt.Fprintln(w, "\nflags:")
			head = true
		}
		// As flag.PrintDefaults, with the two dashes the synopses use.
		name, text := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "  --%s", f.Name)
		if name != "" {
			fmt.Fprintf(w, " %s", name)
		}
		fmt.Fprintf(w, "\n    \t%s", strings.ReplaceAll(text, "\n", "\n    \t"))
		switch f.DefValue {
		case "", "false", "0", "0s", "[]":
		default:
			if fmt.Sprintf("%T", f.Value) == "*flag.stringValue" {
				fmt.Fprintf(w, " (default %q)", f.DefValue)
			} else {
				fmt.Fprintf(w, " (default %s)", f.DefValue)
			}
		}
		fmt.Fprintln(w)
	})
	if ex := examples[fs.Name()]; ex != "" {
		fmt.Fprintf(w, "\nexample:\n%s\n", indent(ex, "  "))
	}
}

// indent puts prefix before every line of s.
func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+prefix)
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += len(p)
	return c.w.Write(p)
}

func (c *common) logger(stderr io.Writer) *slog.Logger {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.logLevel)); err != nil {
		lvl = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lvl, ReplaceAttr: redact.Attr} // no credentials of a source URL in the logs
	if c.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(stderr, opts))
	}
	return slog.New(slog.NewTextHandler(stderr, opts))
}

// loadConfig reads the configuration and checks its topic queries, before
// anything is written: a bad query is refused with its file and line.
func (c *common) loadConfig() (*config.Config, error) {
	load := config.Default
	if c.config != "" {
		load = func() (*config.Config, error) { return config.Load(c.config) }
	}
	cfg, err := load()
	if err != nil {
		return nil, err
	}
	m, err := index.NewMatcher(cfg.Topics)
	var te *index.TopicError
	if errors.As(err, &te) {
		return nil, cfg.TopicError(te.ID, te.Err)
	} else if err != nil {
		return nil, err
	}
	m.Close()
	return cfg, nil
}

// app is what most commands open: the store, the index and the ingest
// pipeline over them.
type app struct {
	cfg     *config.Config // nil for commands that take no configuration
	store   *store.Store
	index   *index.Index
	indexer *ingest.Indexer
	log     *slog.Logger
	warcDir string // the WARC archive's folder
	// readOnly is why the data folder cannot be written, nil when it can:
	// then nothing is synced, archived or written.
	readOnly error
	// rebuilding is held by the index rebuild running (see rebuild).
	rebuilding sync.Mutex
}

func (c *common) dbPath() string    { return filepath.Join(c.data, "presswatch.db") }
func (c *common) indexPath() string { return filepath.Join(c.data, "index.bleve") }
func (c *common) warcPath() string  { return filepath.Join(c.data, "warc") }

// open opens the store and index. With a configuration, it first makes the
// store's sources and topics match it.
func (c *common) open(ctx context.Context, cfg *config.Config, log *slog.Logger) (*app, error) {
	st, err := store.Open(ctx, c.dbPath())
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, store: st, log: log, warcDir: c.warcPath(), readOnly: st.ReadOnly()}
	if a.readOnly != nil {
		if err := c.readOnlyData(a.readOnly, log); err != nil {
			a.Close()
			return nil, err
		}
	}
	if cfg != nil && a.readOnly == nil {
		web, err := st.WebSources(ctx)
		if err != nil {
			a.Close()
			return nil, err
		}
		for _, w := range web {
			if _, ok := cfg.Source(w.ID); ok {
				log.Warn("a source added in the web UI has the id of one the configuration now defines; the configuration's replaces it", "source", w.ID)
			}
		}
		if err := st.SyncSources(ctx, cfg.Sources); err != nil {
			a.Close()
			return nil, err
		}
		replaced, err := st.SyncTopics(ctx, cfg.Topics)
		if err != nil {
			a.Close()
			return nil, err
		}
		for _, id := range replaced {
			log.Warn("a topic made in the web UI had the id of one the configuration now defines; the configuration's replaces it", "topic", id)
		}
	}
	opts, err := indexOptions(ctx, st)
	if err != nil {
		a.Close()
		return nil, err
	}
	a.index, err = index.Open(c.indexPath(), opts...)
	if err != nil {
		a.Close()
		return nil, c.inUse(err)
	}
	if a.index.Created() {
		// A new index where the store has articles: the old index was
		// removed or lost, and the store's marks say nothing of this one.
		n, err := st.ForgetIndexed(ctx)
		if err != nil {
			a.Close()
			return nil, err
		}
		if n > 0 {
			log.Warn("the index was missing; every stored article will be indexed again", "index", c.indexPath(), "articles", n)
		}
	}
	a.indexer = ingest.NewIndexer(st, a.index, log)
	return a, nil
}

// catchUp indexes what the store holds and the index lacks (after a crash
// or an import), reporting on stderr when there is anything.
func (a *app) catchUp(ctx context.Context, stderr io.Writer) error {
	c, err := a.store.Counts(ctx)
	if err != nil || c.Unindexed == 0 {
		return err
	}
	fmt.Fprintf(stderr, "indexing %d stored articles the index lacks...\n", c.Unindexed)
	_, err = a.indexer.Drain(ctx)
	return err
}

func (a *app) Close() {
	if a.index != nil {
		if err := a.index.Close(); err != nil {
			a.log.Error("closing the index failed", "error", err)
		}
	}
	if err := a.store.Close(); err != nil {
		a.log.Error("closing the store failed", "error", err)
	}
}

// topicMatcher matches articles to the stored topics (those of the
// configuration once open has synced it), or is nil when there are none.
// Call release when done.
func (a *app) topicMatcher(ctx context.Context) (m ingest.TopicMatcher, release func(), err error) {
	topics, err := a.store.Topics(ctx)
	if err != nil || len(topics) == 0 {
		return nil, func() {}, err
	}
	opts, err := indexOptions(ctx, a.store)
	if err != nil {
		return nil, nil, err
	}
	matcher, err := index.NewMatcher(topics, opts...)
	if err != nil {
		return nil, nil, err
	}
	return matcher, func() { matcher.Close() }, nil
}

// indexOptions are what the index and the topic matcher need to know of
// the stored sources (their stances) and topics (their alias groups).
func indexOptions(ctx context.Context, st *store.Store) ([]index.Option, error) {
	srcs, err := st.Sources(ctx)
	if err != nil {
		return nil, err
	}
	topics, err := st.Topics(ctx)
	if err != nil {
		return nil, err
	}
	return topicOptions(srcs, topics), nil
}

func sourceList(srcs []*store.SourceInfo) []model.Source {
	out := make([]model.Source, len(srcs))
	for i, s := range srcs {
		out[i] = s.Source
	}
	return out
}

// listFlag collects a repeatable flag; commas also separate values.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}
