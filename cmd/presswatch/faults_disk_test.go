package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"presswatch/internal/archive"
	"presswatch/internal/testsite"
)

// TestFullDiskStopsTheCrawlAndNamesThePath runs a crawl in a child whose
// files may not grow past a limit (RLIMIT_FSIZE: writes past it fail with
// EFBIG, or come up short, as on a full disk, also for root). The crawl
// must stop with an error naming the data folder and "no space left",
// not fail one item after another; and what it stored must be intact:
// the next crawl, with room again, finds the store sound, keeps every
// article stored before, and ends with the store and index in agreement
// and the WARC files whole.
func TestFullDiskStopsTheCrawlAndNamesThePath(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	site := testsite.Start(t, testsite.Options{})
	cfg, data := siteConfig(t, site.URL), t.TempDir()
	// A first crawl of one broken source makes the store (migrations
	// write more than the crawl below may).
	presswatch(t, 0, "crawl", "--config", cfg, "--data", data, "--source", "missing-feed")
	fi, err := os.Stat(filepath.Join(data, "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	// Room for a part of the crawl in the WAL, off the boundaries of
	// SQLite's pages and WAL frames (4096 and 24+4096 bytes) so that the
	// write crossing it comes up short, as a write onto a full disk does.
	limit := fi.Size() + 150*(24+4096) + 1001

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PRESSWATCH_TEST_FSIZE="+strconv.FormatInt(limit, 10),
		"PRESSWATCH_TEST_ARGS="+strings.Join([]string{"crawl", "--config", cfg, "--data", data}, "\x1f"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	out := stderr.String()
	if err == nil {
		t.Fatalf("the crawl succeeded under a file size limit of %d bytes:\n%s", limit, out)
	}
	abs, _ := filepath.Abs(data)
	if !strings.Contains(out, "no space left to write "+abs) {
		t.Errorf("the error does not say there is no space left under %s:\n%s", abs, out)
	}
	if n := strings.Count(out, "storing an item failed"); n > 0 {
		t.Errorf("%d items were tried after the disk was full:\n%s", n, out)
	}
	if n := strings.Count(out, "run stopped"); n == 0 || n > 7 {
		t.Errorf("%d runs stopped for the full disk, want 1 to 7 (one per source at most)", n)
	}

	if got := integrity(t, filepath.Join(data, "presswatch.db")); got != "ok" {
		t.Fatalf("integrity_check after a full disk: %s", got)
	}
	kept := articleURLs(t, data)
	if len(kept) == 0 || len(kept) >= 18 {
		t.Fatalf("%d articles stored under the limit: the disk filled too early or too late to test", len(kept))
	}
	t.Logf("stopped by a full disk with %d articles stored:\n%s", len(kept), lastLines(out, 4))

	_, healthy := presswatch(t, 0, "crawl", "--config", cfg, "--data", data)
	// The summary charges the sources only with their own failures: the
	// runs the full disk cut short are said apart.
	full, again := sourcesSummary(t, out), sourcesSummary(t, healthy)
	if full.stopped == 0 || full.failed > again.failed || full.failed+full.stopped+full.notStarted > full.sources {
		t.Errorf("the summary under a full disk: %+v, with room again: %+v; want the stopped runs apart from the sources' own failures", full, again)
	}
	now := articleURLs(t, data)
	for u := range kept {
		if !now[u] {
			t.Errorf("%s was stored before the disk filled and is gone", u)
		}
	}
	c := counts(t, data)
	r := searchJSON(t, data, "--limit", "1")
	if c.Unindexed != 0 || int(r.Total) != c.Articles || c.Articles < 18 {
		t.Errorf("after room was made: store has %d articles (%d unindexed), index has %d", c.Articles, c.Unindexed, r.Total)
	}
	reports, err := archive.VerifyDir(filepath.Join(data, "warc"))
	if err != nil {
		t.Fatal(err)
	}
	for _, rep := range reports {
		if !rep.OK() {
			t.Errorf("WARC file damaged: %s", rep)
		}
	}
}

func integrity(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil {
		t.Fatal(err)
	}
	return res
}

// articleURLs is the set of stored articles' URLs.
func articleURLs(t *testing.T, data string) map[string]bool {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "presswatch.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(context.Background(), "SELECT url FROM articles")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	urls := map[string]bool{}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			t.Fatal(err)
		}
		urls[u] = true
	}
	return urls
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}

type crawlSummary struct{ sources, failed, stopped, notStarted int }

var summaryLine = regexp.MustCompile(`(\d+) sources: .*; (\d+) sources failed(?:, (\d+) stopped unfinished)?(?:, (\d+) not started)?\n`)

// sourcesSummary reads the crawl summary's count of sources.
func sourcesSummary(t *testing.T, out string) crawlSummary {
	t.Helper()
	m := summaryLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no summary of sources in:\n%s", out)
	}
	n := func(s string) int { v, _ := strconv.Atoi(s); return v }
	return crawlSummary{n(m[1]), n(m[2]), n(m[3]), n(m[4])}
}
