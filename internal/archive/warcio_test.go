package archive

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// warcioVersion is the warcio npm package the outside-reader test pins.
const warcioVersion = "2.4.11"

// skipOrFail skips a test that lacks an outside tool, except under CI,
// where a missing tool is a failure.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// warcio installs warcio into a cache folder (once) and returns the npm
// prefix holding it.
func warcio(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		skipOrFail(t, "node is not installed: the warcio check needs Node.js 18 or later")
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	prefix := filepath.Join(cache, "presswatch-test", "warcio-"+warcioVersion)
	if b, err := os.ReadFile(filepath.Join(prefix, "node_modules", "warcio", "package.json")); err == nil &&
		bytes.Contains(b, []byte(`"version": "`+warcioVersion+`"`)) {
		return prefix
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		skipOrFail(t, "npm is not installed: the warcio check installs warcio@%s with it", warcioVersion)
	}
	if err := os.MkdirAll(prefix, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund", "--no-save", "--prefix", prefix, "warcio@"+warcioVersion)
	if out, err := cmd.CombinedOutput(); err != nil {
		skipOrFail(t, "npm install warcio@%s into %s failed: %v\n%s", warcioVersion, prefix, err, out)
	}
	return prefix
}

type warcioFile struct {
	File    string
	Records []struct {
		Type, ID       string
		Offset, Length int64
	}
}

// runWarcio runs testdata/warcio-check.mjs on paths.
func runWarcio(t *testing.T, prefix string, paths ...string) ([]warcioFile, string, error) {
	t.Helper()
	script, err := filepath.Abs("testdata/warcio-check.mjs")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "node", append([]string{script, prefix}, paths...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("warcio-check.mjs did not finish in 60 s: %s", stderr.String())
	}
	var files []warcioFile
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var f warcioFile
		if jerr := json.Unmarshal(sc.Bytes(), &f); jerr != nil {
			t.Fatalf("warcio-check.mjs printed %q: %v", sc.Text(), jerr)
		}
		files = append(files, f)
	}
	return files, stderr.String(), err
}

func TestWarcioReadsFiles(t *testing.T) {
	prefix := warcio(t)
	dir := t.TempDir()
	w := openTest(t, dir, Options{MaxSize: 64 << 10})
	want := map[string]Location{} // response id → location
	for i := range 16 {
		ex := testExchange(fmt.Sprintf("https://news.example/%d?page=%d", i, i), htmlBody(20<<10+i*5<<10))
		switch i % 4 {
		case 1:
			ex.Status, ex.Body, ex.ResponseHeader = 304, nil, map[string][]string{"Etag": {`"v1"`}}
		case 2:
			ex.Proto, ex.Reason = "HTTP/1.1", "Okay"
		case 3:
			ex.Status, ex.Body = 301, nil
			ex.ResponseHeader = map[string][]string{"Location": {"https://news.example/moved"}}
		}
		loc, err := w.WriteExchange(ex)
		if err != nil {
			t.Fatal(err)
		}
		want[loc.RecordID] = loc
		if i == 5 {
			if _, err := w.WriteMetadata(ex.URL, loc.RecordID, [][2]string{{"via", "https://web.archive.org/web/2026/" + ex.URL}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	names, _ := warcFiles(dir)
	if len(names) < 2 {
		t.Fatalf("%d files, want rotation to several", len(names))
	}
	var paths []string
	for _, n := range names {
		paths = append(paths, filepath.Join(dir, n))
	}
	files, stderr, err := runWarcio(t, prefix, paths...)
	if err != nil {
		t.Fatalf("warcio-check.mjs: %v\n%s", err, stderr)
	}
	if len(files) != len(names) {
		t.Fatalf("warcio read %d files of %d", len(files), len(names))
	}
	found := 0
	for _, f := range files {
		if len(f.Records) == 0 || f.Records[0].Type != "warcinfo" {
			t.Errorf("%s: warcio read %v", f.File, f.Records)
			continue
		}
		for i, r := range f.Records {
			loc, ok := want[r.ID]
			if !ok {
				continue
			}
			found++
			req := f.Records[i-1]
			if req.Type != "request" || req.Offset != loc.Offset || req.Length+r.Length != loc.Length || filepath.Base(f.File) != loc.File {
				t.Errorf("warcio finds response %s after %+v, at %d+%d; presswatch said %+v", r.ID, req, r.Offset, r.Length, loc)
			}
		}
	}
	if found != len(want) {
		t.Errorf("warcio found %d of %d responses", found, len(want))
	}

	// The script must fail on a wrong digest and on a cut file.
	rs := records(t, paths[0])
	for desc, damage := range map[string]func(path string){
		"a payload byte changed": func(path string) {
			regzip(t, path, rs[2].off, rs[2].length, func(p []byte) []byte {
				p[len(p)-10] ^= 0x20 // the body ends 4 bytes before the record
				return p
			})
		},
		"only the payload digest wrong": func(path string) {
			regzip(t, path, rs[2].off, rs[2].length, changePayloadKeepBlockDigest)
		},
		"a block digest changed": func(path string) {
			regzip(t, path, rs[1].off, rs[1].length, func(p []byte) []byte {
				i := bytes.Index(p, []byte("WARC-Block-Digest: sha256:")) + len("WARC-Block-Digest: sha256:")
				p[i] = "01"[p[i]&1]
				return p
			})
		},
		"the file cut": func(path string) {
			os.Truncate(path, rs[2].off+rs[2].length/2)
		},
	} {
		t.Run(desc, func(t *testing.T) {
			b, _ := os.ReadFile(paths[0])
			bad := filepath.Join(t.TempDir(), "bad.warc.gz")
			os.WriteFile(bad, b, 0o644)
			damage(bad)
			_, stderr, err := runWarcio(t, prefix, bad)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 1 {
				t.Fatalf("warcio-check.mjs on a damaged file: %v, want exit status 1\n%s", err, stderr)
			}
			if desc == "only the payload digest wrong" && !strings.Contains(stderr, "WARC-Payload-Digest") {
				t.Errorf("the payload digest was not the problem found: %s", stderr)
			}
			if !strings.Contains(stderr, "bad.warc.gz") {
				t.Errorf("the message does not name the file: %s", stderr)
			}
			t.Logf("warcio-check.mjs: %s", strings.TrimSpace(stderr))
		})
	}
}
