package main

import (
	"bytes"
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"presswatch/internal/testsite"
)

func TestVersionNamesPresswatchAndGo(t *testing.T) {
	want := "presswatch " + version + " (" + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")\n"
	for _, args := range [][]string{{"--version"}, {"-version"}, {"version"}} {
		if out, _ := presswatch(t, 0, args...); out != want {
			t.Errorf("presswatch %s printed %q, want %q", args[0], out, want)
		}
	}
	if _, stderr := presswatch(t, 2, "version", "extra"); !strings.Contains(stderr, `takes no arguments, got "extra"`) {
		t.Errorf("version with an argument: %q", stderr)
	}
}

func TestLogFormatJSONWritesOneObjectALine(t *testing.T) {
	site := testsite.Start(t, testsite.Options{})
	cfg, data := siteConfig(t, site.URL), t.TempDir()
	// The fixture has a missing feed and a page that is not a feed, which
	// the crawl logs.
	_, stderr := presswatch(t, 0, "crawl", "--config", cfg, "--data", data, "--log-format", "json")
	var logged int
	for _, line := range strings.Split(stderr, "\n") {
		if !strings.HasPrefix(line, "{") {
			if strings.Contains(line, "level=") {
				t.Errorf("a text log line with --log-format json: %s", line)
			}
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("log line is not JSON: %v: %s", err, line)
			continue
		}
		if rec["level"] == nil || rec["msg"] == nil || rec["time"] == nil {
			t.Errorf("log object lacks time, level or msg: %s", line)
		}
		logged++
	}
	if logged == 0 {
		t.Fatalf("the crawl logged no JSON line:\n%s", stderr)
	}

	var c common
	fs := newFlags("x", "", "", &bytes.Buffer{}, &bytes.Buffer{})
	c.register(fs, false)
	if err := fs.Parse([]string{"--log-format", "xml"}); err == nil || !strings.Contains(err.Error(), `invalid value "xml" for flag -log-format: want text or json`) {
		t.Errorf("--log-format xml: %v", err)
	}
	var buf bytes.Buffer
	c = common{}
	c.register(newFlags("x", "", "", &buf, &buf), false)
	c.logger(&buf).Info("hello", "k", 1)
	if !strings.Contains(buf.String(), "level=INFO msg=hello k=1") {
		t.Errorf("the default format is not text: %q", buf.String())
	}
}
