package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"presswatch/index"
	"presswatch/web"
)

// TestCommandsThroughARunningServe runs search, import, reindex and
// sources on the data folder of a running serve: each works (the first
// three through serve's socket), none tells the user to stop serve, and
// what is imported is in serve's own index at once. A socket left by a
// serve that died is neither used nor in the way.
func TestCommandsThroughARunningServe(t *testing.T) {
	if testing.Short() {
		t.Skip("runs serve")
	}
	cfg := quietConfig(t)
	data := t.TempDir()
	sock := filepath.Join(data, socketName)
	// A dead serve's socket: nobody listens on it.
	dead, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	dead.(*net.UnixListener).SetUnlinkOnClose(false)
	dead.Close()
	if out, _ := presswatch(t, 0, "search", "--data", data, "quillwort"); !strings.HasPrefix(out, "0 articles") {
		t.Errorf("search beside a dead serve's socket: %q", out)
	}

	base, stop := startServe(t, cfg, data)
	fi, err := os.Lstat(sock)
	if err != nil || fi.Mode().Type() != os.ModeSocket || fi.Mode().Perm() != 0o600 {
		t.Fatalf("serve's socket: %v %v, want a socket of mode 0600", fi.Mode(), err)
	}

	files := t.TempDir()
	if err := os.WriteFile(filepath.Join(files, "note.txt"), []byte("Zhanaozen witnesses\n\nThe quillwort statement of the oil workers in Zhanaozen was read aloud."), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(files, "pages"), 0o755); err != nil {
		t.Fatal(err)
	}
	page := "<html><head><title>Appeal of the strikers</title></head><body><article><h1>Appeal of the strikers</h1><p>" +
		strings.Repeat("The marshwren appeal of the Zhanaozen strikers was signed by many. ", 8) + "</p></article></body></html>"
	if err := os.WriteFile(filepath.Join(files, "pages", "appeal.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut := presswatch(t, 0, "import", "--data", data, "--source", "notes", files)
	if !strings.Contains(errOut, "2 files: 2 new, 0 updated, 0 unchanged, 0 failed (through the running serve)") {
		t.Errorf("import beside serve:\n%s", errOut)
	}
	// In serve's own index at once, and found by the search command.
	for _, word := range []string{"quillwort", "marshwren"} {
		if r := apiSearch(t, base, word); r.Total != 1 || r.Hits[0].Source != "notes" {
			t.Errorf("serve's /api/search %q after the import: %d hits %+v", word, r.Total, r.Hits)
		}
		if r := searchJSON(t, data, word); r.Total != 1 || r.Hits[0].Source != "notes" {
			t.Errorf("search %q beside serve: %d hits %+v", word, r.Total, r.Hits)
		}
	}
	// Filed under the topic by serve's topic matcher.
	if r := searchJSON(t, data, "--topic", "zhanaozen"); r.Total != 2 {
		t.Errorf("search --topic zhanaozen beside serve: %d hits, want the 2 imported", r.Total)
	}
	// A query that cannot be read is the user's mistake, as it is alone.
	_, errOut = presswatch(t, 2, "search", "--data", data, "title:(quillwort")
	if !strings.Contains(errOut, "presswatch search:") {
		t.Errorf("a bad query beside serve: %s", errOut)
	}
	_, errOut = presswatch(t, 0, "reindex", "--data", data)
	if !strings.Contains(errOut, "reindexed 2 articles") {
		t.Errorf("reindex beside serve:\n%s", errOut)
	}
	if r := apiSearch(t, base, "quillwort"); r.Total != 1 {
		t.Errorf("serve's search after the reindex: %d hits", r.Total)
	}
	out, _ := presswatch(t, 0, "sources", "--data", data)
	if !strings.Contains(out, "notes") || !strings.Contains(out, "nowhere") {
		t.Errorf("sources beside serve:\n%s", out)
	}
	// crawl has serve's scheduler read the sources now, and waits for them.
	_, errOut = presswatch(t, 0, "crawl", "--config", cfg, "--data", data, "--source", "nowhere", "--source", "nope", "--max-time", "20s")
	for _, want := range []string{
		"[1/2] nope: not scheduled in serve", "[2/2] nowhere: 0 announced",
		"2 sources read by serve: 0 new, 0 updated, 0 unchanged, 0 skipped (off-topic), 0 failed items; 2 sources failed",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("crawl beside serve does not say %q:\n%s", want, errOut)
		}
	}
	if s := waitSource(t, base, "nowhere", func(s web.SourceStatus) bool { return s.LastFetch != nil }); s.Status == "ok" {
		t.Errorf("the source serve read for crawl: %+v", s)
	}
	// A command that cannot run beside serve says what to do instead.
	_, errOut = presswatch(t, 1, "revisit", "--config", cfg, "--data", data)
	if !strings.Contains(errOut, "presswatch serve is running on "+data) || !strings.Contains(errOut, "/sources") {
		t.Errorf("revisit beside serve:\n%s", errOut)
	}
	stop()
	if _, err := os.Lstat(sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("serve left its socket behind: %v", err)
	}
}

func apiSearch(t *testing.T, base, q string) index.Result {
	t.Helper()
	res, err := http.Get(base + "/api/search?q=" + url.QueryEscape(q))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r index.Result
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		t.Fatalf("/api/search %q: %s: %v", q, res.Status, err)
	}
	return r
}

type fakeSearcher struct{ calls atomic.Int32 }

func (f *fakeSearcher) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	f.calls.Add(1)
	if req.Query == "bad" {
		return nil, &index.QueryError{Query: req.Query, Err: errors.New("bad on purpose")}
	}
	return &index.Result{Total: 7, ReadAs: req.Query}, nil
}

// startLocal serves l on a socket in a new folder and returns a command's
// client of it.
func startLocal(t *testing.T, l *localServer) *localClient {
	t.Helper()
	c := common{data: t.TempDir()}
	l.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	ll, err := listenLocal(context.Background(), c.socketPath(), l)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ll.Shutdown(context.Background()) })
	lc := c.localServe()
	if lc == nil {
		t.Fatal("no client of a listening socket")
	}
	return lc
}

// TestLocalSearchWaitsForTheIndexAndKeepsUsageErrors: while serve catches
// its index up, a search waits (saying so once) instead of answering from
// a partial index; a query serve cannot read comes back as the user's
// mistake.
func TestLocalSearchWaitsForTheIndexAndKeepsUsageErrors(t *testing.T) {
	var asked atomic.Int32
	s := &fakeSearcher{}
	lc := startLocal(t, &localServer{search: s, ready: func() bool { return asked.Add(1) > 2 }})
	var wait strings.Builder
	res, err := lc.search(context.Background(), url.Values{"q": {"Zhanaozen"}}, &wait)
	if err != nil || res.Total != 7 || res.ReadAs != "Zhanaozen" {
		t.Fatalf("search through the socket: %+v %v", res, err)
	}
	if asked.Load() != 3 || s.calls.Load() != 1 || strings.Count(wait.String(), "waiting") != 1 {
		t.Errorf("readiness asked %d times, %d searches, said %q", asked.Load(), s.calls.Load(), wait.String())
	}
	_, err = lc.search(context.Background(), url.Values{"q": {"bad"}}, nil)
	if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "bad on purpose") {
		t.Errorf("a query serve cannot read: %v, want a usage error with its reason", err)
	}
	_, err = lc.search(context.Background(), url.Values{"limit": {"-4"}}, nil)
	if !errors.Is(err, errUsage) {
		t.Errorf("a bad parameter: %v, want a usage error", err)
	}
}

// TestLocalReindexOneAtATime: while a rebuild runs (serve's own, of an old
// index), a reindex asked through the socket is refused at once, saying
// so, instead of running a second rebuild beside it.
func TestLocalReindexOneAtATime(t *testing.T) {
	a := &app{}
	a.rebuilding.Lock() // a rebuild running
	lc := startLocal(t, &localServer{search: &fakeSearcher{}, rebuild: a.rebuild})
	_, err := lc.reindex(context.Background())
	if err == nil || !strings.Contains(err.Error(), "already running") {
		t.Fatalf("a reindex during a rebuild: %v", err)
	}
}

// TestLocalImportNeedsAnIngester: a serve that cannot import says why.
func TestLocalImportNeedsAnIngester(t *testing.T) {
	lc := startLocal(t, &localServer{search: &fakeSearcher{}})
	f := filepath.Join(t.TempDir(), "a.txt")
	os.WriteFile(f, []byte("text"), 0o644)
	_, err := lc.importFiles(context.Background(), []string{f}, web.ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), "cannot import") {
		t.Fatalf("import into a serve without an ingester: %v", err)
	}
}

// quietConfig writes a configuration with the topic zhanaozen and one
// source that is never read within a test (every 24 h, at a closed port).
func quietConfig(t *testing.T) string {
	t.Helper()
	cfg := filepath.Join(t.TempDir(), "presswatch.yaml")
	if err := os.WriteFile(cfg, []byte(`
contact: https://presswatch.test/contact
topics:
  - {id: zhanaozen, name: Zhanaozen, query: Zhanaozen}
sources:
  - {id: nowhere, type: feed, url: http://127.0.0.1:9/feed.xml, every: 24h}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}
