package crawler_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"presswatch/crawler"
	"presswatch/crawler/fetch"
	"presswatch/internal/archive"
	"presswatch/internal/ingest"
	"presswatch/internal/model"
	"presswatch/internal/store"
	"presswatch/internal/testsite"
)

// fullArchive is a WARC archive on a full disk after its first writes.
type fullArchive struct{ writes, room atomic.Int32 }

func (a *fullArchive) WriteExchange(ex archive.Exchange) (archive.Location, error) {
	if a.writes.Add(1) > a.room.Load() {
		return archive.Location{}, fmt.Errorf("archive: write presswatch-1.warc.gz: %w",
			&os.PathError{Op: "write", Path: "/data/warc/presswatch-1.warc.gz", Err: syscall.ENOSPC})
	}
	return archive.Location{File: "presswatch-1.warc.gz"}, nil
}

// TestFullArchiveDiskStopsTheRun: once the archive cannot write for want
// of space, the run stops at once with an error saying so, instead of
// fetching one page after another that cannot be kept, and charges
// nothing to the items or the source.
func TestFullArchiveDiskStopsTheRun(t *testing.T) {
	ctx := context.Background()
	site := testsite.Start(t, testsite.Options{})
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	src := model.Source{ID: "archive", Type: model.SourceSitemap, URL: site.URL + "/sitemap-archive.xml.gz", Every: time.Hour}
	if err := st.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	arc := &fullArchive{}
	arc.room.Store(4) // robots.txt, the sitemap and two pages
	f, err := fetch.New(fetch.Options{UserAgent: "presswatch-test", AllowPrivate: true, PerHost: 1, Archive: arc})
	if err != nil {
		t.Fatal(err)
	}
	c, err := crawler.New(crawler.Options{Fetcher: f, Sink: ingest.New(st, nil, nil), State: st, ItemWorkers: 1,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	rep := c.Run(ctx, src)
	if !rep.OwnFault() || !crawler.DiskFull(rep.Err) {
		t.Errorf("run error %v, want the archive's full disk", rep.Err)
	}
	if n := arc.writes.Load(); n != arc.room.Load()+1 {
		t.Errorf("%d exchanges were archived or tried; the run should stop at the first refused (%d)", n, arc.room.Load()+1)
	}
	if rep.Failed != 0 || rep.Left == 0 {
		t.Errorf("%d items failed and %d left; want 0 failed and the rest left for the next run", rep.Failed, rep.Left)
	}
	after, err := st.Source(ctx, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.State.Failures != 0 || after.State.ErrorKind != "" {
		t.Errorf("the source was charged with the full disk: %d failures, kind %q", after.State.Failures, after.State.ErrorKind)
	}
}
