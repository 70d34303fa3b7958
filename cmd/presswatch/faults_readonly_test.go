package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"presswatch/index"
	"presswatch/internal/testsite"
	"presswatch/web"
)

// TestReadOnlyDataFolderStillServesReads makes a crawled data folder
// read-only (chmod -R a-w; as root, whom permission bits do not stop, the
// commands run as the user nobody) and checks that search, sources and
// serve --no-crawl work on it, naming the folder and the file that cannot
// be written, that crawl and import refuse at once naming it too, and
// that not one file in the folder changed.
func TestReadOnlyDataFolderStillServesReads(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	site := testsite.Start(t, testsite.Options{})
	cfg, data := siteConfig(t, site.URL), t.TempDir()
	presswatch(t, 0, "crawl", "--config", cfg, "--data", data)
	note := filepath.Join(filepath.Dir(cfg), "note.txt")
	if err := os.WriteFile(note, []byte("Zhanaozen notes\n\nWitnesses spoke of Жанаозен."), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := readOnlyChild(t, cfg, data)
	chmodTree(t, data, 0o555, 0o444)
	t.Cleanup(func() { chmodTree(t, data, 0o755, 0o644) })
	before := snapshot(t, data)
	requests := site.TotalRequests()

	const why = "(presswatch.db: permission denied)"
	ro := fmt.Sprintf("data folder %s is read-only %s", data, why)
	out, errOut := bin.run(t, 0, "search", "--data", data, "--json", "Жанаозене")
	var r index.Result
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Total < 2 {
		t.Errorf("search on a read-only folder: %d hits (%v)\n%s", r.Total, err, errOut)
	}
	if !strings.Contains(errOut, ro) {
		t.Errorf("search does not say %q:\n%s", ro, errOut)
	}
	if out, errOut := bin.run(t, 0, "digest", "--config", cfg, "--data", data, "--topic", "zhanaozen", "--date", "2011-12-16", "--format", "json"); !strings.Contains(out, `"stories"`) {
		t.Errorf("a printed digest of a read-only folder:\n%s\n%s", out, errOut)
	}
	out, errOut = bin.run(t, 0, "sources", "--data", data, "--json")
	var srcs web.SourcesJSON
	if err := json.Unmarshal([]byte(out), &srcs); err != nil || len(srcs.Sources) != 7 {
		t.Errorf("sources on a read-only folder: %d sources (%v)\n%s", len(srcs.Sources), err, errOut)
	}
	for _, args := range [][]string{
		{"crawl", "--config", cfg, "--data", data},
		{"import", "--data", data, note},
		{"serve", "--config", cfg, "--data", data, "--addr", "127.0.0.1:0"}, // it would crawl
		{"digest", "--config", cfg, "--data", data, "--topic", "zhanaozen", "--date", "2011-12-16", "--store"},
		{"admin", "add", "--data", data, "ops"}, // refused before the password is asked
	} {
		if _, errOut := bin.run(t, 1, args...); !strings.Contains(errOut, ro+": this command writes to it") {
			t.Errorf("%s on a read-only folder does not fail naming it:\n%s", args[0], errOut)
		}
	}
	if n := site.TotalRequests() - requests; n != 0 {
		t.Errorf("the refused crawl sent %d requests", n)
	}
	hits, logs := bin.serve(t, "serve", "--no-crawl", "--config", cfg, "--data", data, "--addr", "127.0.0.1:0")
	if hits < 2 {
		t.Errorf("serve --no-crawl on a read-only folder found %d articles for Жанаозене:\n%s", hits, logs)
	}
	if strings.Contains(logs, "level=ERROR") {
		t.Errorf("serve --no-crawl on a read-only folder logged errors:\n%s", logs)
	}
	if want := ro + ": serving reads only; crawling, imports and digests are off"; !strings.Contains(logs, want) {
		t.Errorf("serve does not log %q:\n%s", want, logs)
	}
	if after := snapshot(t, data); after != before {
		t.Errorf("the read-only folder changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// child runs the test binary as presswatch, as a user whom permission
// bits bind.
type child struct {
	path string
	cred *syscall.Credential // nil: as this user
}

// readOnlyChild prepares a child that cannot write a folder chmodded
// a-w: as root, the user nobody, with the binary, cfg and data where
// nobody can reach them.
func readOnlyChild(t *testing.T, cfg, data string) *child {
	if os.Geteuid() != 0 {
		return &child{path: os.Args[0]}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "presswatch.test")
	b, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{dir, filepath.Dir(dir), filepath.Dir(cfg), filepath.Dir(filepath.Dir(cfg)), filepath.Dir(data), filepath.Dir(filepath.Dir(data))} {
		os.Chmod(d, 0o755)
	}
	os.Chmod(cfg, 0o644)
	c := &child{path: bin, cred: &syscall.Credential{Uid: 65534, Gid: 65534}}
	cmd := c.command("version")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("running as root, and the user nobody cannot run the test binary (%v: %s): no way to make a folder read-only without mounting", err, out)
	}
	return c
}

func (c *child) command(args ...string) *exec.Cmd {
	cmd := exec.Command(c.path, "-test.run=^$")
	cmd.Env = append(os.Environ(), "PRESSWATCH_TEST_ARGS="+strings.Join(args, "\x1f"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	return cmd
}

// run runs presswatch args in the child and returns its stdout and stderr.
func (c *child) run(t *testing.T, wantCode int, args ...string) (string, string) {
	t.Helper()
	cmd := c.command(args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != wantCode {
		t.Fatalf("presswatch %s: exit %d, want %d\nstderr:\n%s", strings.Join(args, " "), code, wantCode, errOut.String())
	}
	return out.String(), errOut.String()
}

var serving = regexp.MustCompile(`serving http://([^/]+)/`)

// serve starts presswatch serve in the child, searches its API for
// Жанаозене, stops it and returns the hits and its log.
func (c *child) serve(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := c.command(args...)
	var logs bytes.Buffer
	cmd.Stderr = &logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := serving.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		close(addr)
		io.Copy(io.Discard, stdout)
	}()
	a, ok := <-addr
	if !ok {
		cmd.Wait()
		t.Fatalf("serve ended before it served:\n%s", logs.String())
	}
	var r index.Result
	for start := time.Now(); time.Since(start) < 30*time.Second; time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get("http://" + a + "/api/search?q=" + "%D0%96%D0%B0%D0%BD%D0%B0%D0%BE%D0%B7%D0%B5%D0%BD%D0%B5")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable {
			continue // still catching up
		}
		if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &r) != nil {
			t.Fatalf("GET /api/search: %s\n%s", resp.Status, body)
		}
		break
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	return int(r.Total), logs.String()
}

// chmodTree sets every folder under root to dirs and every file to files.
func chmodTree(t *testing.T, root string, dirs, files fs.FileMode) {
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		if d.IsDir() {
			os.Chmod(p, dirs)
		} else {
			os.Chmod(p, files)
		}
		return nil
	})
}

// snapshot lists every file under root with its size, time and bytes' sum.
func snapshot(t *testing.T, root string) string {
	var b strings.Builder
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := d.Info()
		sum := 0
		if d.Type().IsRegular() {
			data, _ := os.ReadFile(p)
			for _, c := range data {
				sum = sum*31 + int(c)
			}
		}
		fmt.Fprintf(&b, "%s %s %d %s %x\n", p, fi.Mode(), fi.Size(), fi.ModTime().Format(time.RFC3339Nano), sum)
		return nil
	})
	return b.String()
}
