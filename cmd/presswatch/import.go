package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"path/filepath"

	"presswatch/crawler/importer"
	"presswatch/internal/config"
	"presswatch/internal/ingest"
	"presswatch/internal/model"
	"presswatch/internal/store"
	"presswatch/web"
)

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("import", "[--data DIR] [--source ID] [--url URL] FILE|DIR...",
		"Ingests saved material: HTML pages, feed files (RSS, Atom, JSON Feed), plain\n"+
			"text, e-mail messages (.eml), mbox archives and WARC files (.warc, .warc.gz,\n"+
			"from wget, Browsertrix, Webrecorder, Archive-It or presswatch: their captured\n"+
			"pages, each with its capture time and record). Each article records that it\n"+
			"was imported, from which file, and the file's SHA-256. Directories are read\n"+
			"recursively. Importing a file again finds its articles already there. While\n"+
			"serve runs on the folder, the files go through it.\n\n"+
			"A plain-text file's title is its first line when that is a title (at most\n"+
			"120 characters, not a paragraph's first line), else the file's name. Without\n"+
			"--url a file's articles have no web address: the web UI links their stored\n"+
			"text instead.", stdout, stderr)
	c.register(fs, true)
	srcID := fs.String("source", "import", "file the articles under this source `id` (a configured source, or a new one)")
	pageURL := fs.String("url", "", "the web `address` the material was saved from (a single file only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: name at least one file or directory", errUsage)
	}
	if *pageURL != "" && fs.NArg() > 1 {
		return fmt.Errorf("%w: --url applies to a single file", errUsage)
	}
	if lc := c.localServe(); lc != nil {
		return c.importThroughServe(ctx, lc, fs.Args(), web.ImportOptions{Source: *srcID, URL: *pageURL}, stderr)
	}
	// With a configuration the store is brought in line with it first;
	// without one, the sources and topics of the last crawl or serve stay.
	var cfg *config.Config
	if c.config != "" {
		var err error
		if cfg, err = c.loadConfig(); err != nil {
			return err
		}
	}
	log := c.logger(stderr)
	a, err := c.open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	src, err := importSource(ctx, a.store, *srcID)
	if err != nil {
		return err
	}
	matcher, release, err := a.topicMatcher(ctx)
	if err != nil {
		return err
	}
	defer release()
	// Imports keep what the user chose to import, whatever the source's
	// keep policy says.
	src.Keep = model.KeepAll
	rep := importer.Paths(ctx, ingest.New(a.store, matcher, a.indexer), fs.Args(), importer.Options{Source: src, URL: *pageURL})
	for _, err := range rep.Errors {
		fmt.Fprintln(stderr, err)
	}
	if _, err := a.indexer.Drain(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("indexing: %w", err)
	}
	fmt.Fprintf(stderr, "%d files: %d new, %d updated, %d unchanged, %d failed\n",
		rep.Files, rep.New, rep.Updated, rep.Unchanged, rep.Failed)
	if rep.Failed > 0 && rep.New+rep.Updated+rep.Unchanged == 0 {
		return exitError{1}
	}
	return nil
}

// importThroughServe sends the files to the serve running on the data
// folder, which files them through its own ingester (its live topics)
// and indexes them before it answers.
func (c *common) importThroughServe(ctx context.Context, lc *localClient, paths []string, opts web.ImportOptions, stderr io.Writer) error {
	if c.config != "" {
		fmt.Fprintf(stderr, "presswatch serve is running on %s: it imports with its own configuration, not %s\n", c.data, c.config)
	}
	abs := make([]string, len(paths))
	for i, p := range paths {
		var err error
		if abs[i], err = filepath.Abs(p); err != nil {
			return err
		}
	}
	rep, err := lc.importFiles(ctx, abs, opts)
	if err != nil {
		return err
	}
	for _, e := range rep.Errors {
		fmt.Fprintln(stderr, e)
	}
	fmt.Fprintf(stderr, "%d files: %d new, %d updated, %d unchanged, %d failed (through the running serve)\n",
		rep.Files, rep.New, rep.Updated, rep.Unchanged, rep.Failed)
	if rep.Failed > 0 && rep.New+rep.Updated+rep.Unchanged == 0 {
		return exitError{1}
	}
	return nil
}

// importSource is the stored source named id, or a new import source.
func importSource(ctx context.Context, st *store.Store, id string) (model.Source, error) {
	si, err := st.Source(ctx, id)
	if err == nil {
		return si.Source, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return model.Source{}, err
	}
	src := model.Source{ID: id, Name: "Imported: " + id, Type: model.SourceImport,
		URL: "file:///", Stance: model.StanceUnknown, Keep: model.KeepAll}
	return src, st.EnsureSource(ctx, src)
}

// webImporter imports the files an administrator uploads in serve's web UI
// as presswatch import does: through serve's own ingester (its live topic
// matcher) into the store, then the index, before it answers.
type webImporter struct {
	a    *app
	sink importer.Sink
}

func (w webImporter) Import(ctx context.Context, opts web.ImportOptions, files iter.Seq2[string, io.Reader]) (*web.ImportReport, error) {
	id := opts.Source
	if id == "" {
		id = "import"
	}
	src, err := importSource(ctx, w.a.store, id)
	if err != nil {
		return nil, err
	}
	src.Keep = model.KeepAll
	var rep importer.Report
	for name, r := range files {
		rep.Add(importer.Read(ctx, w.sink, name, r, importer.Options{Source: src, URL: opts.URL}))
	}
	if _, err := w.a.indexer.Drain(context.WithoutCancel(ctx)); err != nil {
		return nil, fmt.Errorf("indexing: %w", err)
	}
	out := &web.ImportReport{Files: rep.Files, New: rep.New, Updated: rep.Updated, Unchanged: rep.Unchanged,
		Skipped: rep.Skipped, Failed: rep.Failed}
	for _, err := range rep.Errors {
		out.Errors = append(out.Errors, err.Error())
	}
	return out, nil
}
