package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"presswatch/internal/testsite"
)

// jsonShape is where the structures of two JSON documents first differ
// ("" when they do not): an object's keys, a value's kind (object, array,
// string, number, true or false, null), an array's length, element by
// element. Values themselves may differ: a serve's clock is not a
// command's.
func jsonShape(path string, a, b any) string {
	kind := func(v any) string {
		switch v.(type) {
		case map[string]any:
			return "object"
		case []any:
			return "array"
		case nil:
			return "null"
		}
		return fmt.Sprintf("%T", v)
	}
	if kind(a) != kind(b) {
		return fmt.Sprintf("%s: %s against %s", path, kind(a), kind(b))
	}
	switch a := a.(type) {
	case map[string]any:
		b := b.(map[string]any)
		var ka, kb []string
		for k := range a {
			ka = append(ka, k)
		}
		for k := range b {
			kb = append(kb, k)
		}
		slices.Sort(ka)
		slices.Sort(kb)
		if !slices.Equal(ka, kb) {
			return fmt.Sprintf("%s: keys %v against %v", path, ka, kb)
		}
		for _, k := range ka {
			if d := jsonShape(path+"."+k, a[k], b[k]); d != "" {
				return d
			}
		}
	case []any:
		b := b.([]any)
		if len(a) != len(b) {
			return fmt.Sprintf("%s: %d elements against %d", path, len(a), len(b))
		}
		for i := range a {
			if d := jsonShape(fmt.Sprintf("%s[%d]", path, i), a[i], b[i]); d != "" {
				return d
			}
		}
	}
	return ""
}

func decodeJSON(t *testing.T, what, doc string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatalf("%s is not JSON: %v\n%.500s", what, err, doc)
	}
	return v
}

func TestJSONShapeDiffers(t *testing.T) {
	same := `{"a": [{"x": 1, "y": null}], "b": "s"}`
	for doc, want := range map[string]string{
		`{"b": "t", "a": [{"y": null, "x": 2}]}`: "",
		`[{"x": 1}]`:                             "$: object against array",
		`{"a": [{"x": 1}], "b": "s"}`:            "$.a[0]: keys [x y] against [x]",
		`{"a": [{"x": 1, "y": 3}], "b": "s"}`:    "$.a[0].y: null against float64",
		`{"a": [], "b": "s"}`:                    "$.a: 1 elements against 0",
	} {
		if got := jsonShape("$", decodeJSON(t, "same", same), decodeJSON(t, "doc", doc)); got != want {
			t.Errorf("%s: %q, want %q", doc, got, want)
		}
	}
}

// TestJSONOutputsHaveTheAPIsShape: every command's JSON is the document
// of the matching API answer, for the same data folder: `sources --json`
// and GET /api/sources, `search --json` (reading the index itself, and
// through a running serve) and GET /api/search, `digest --format json`
// and the digest's .json rendering.
func TestJSONOutputsHaveTheAPIsShape(t *testing.T) {
	site := testsite.Start(t, testsite.Options{})
	cfg, data := siteConfig(t, site.URL), t.TempDir()
	presswatch(t, 0, "crawl", "--config", cfg, "--data", data)
	almaty, err := time.LoadLocation("Asia/Almaty") // the digests' default time zone
	if err != nil {
		t.Fatal(err)
	}
	day := time.Now().In(almaty).Format(time.DateOnly)

	searches := [][]string{{"Zhanaozen"}, {"--source", "campaign-rss", "--sort", "oldest", "--limit", "2"}, {"nosuchwordanywhere"}}
	apiSearch := func(args []string) string {
		q, params := "", []string{}
		for i := 0; i < len(args); i++ {
			if name, ok := strings.CutPrefix(args[i], "--"); ok {
				params = append(params, name+"="+args[i+1])
				i++
			} else {
				q = args[i]
			}
		}
		return "/api/search?" + strings.Join(append(params, "q="+q), "&")
	}
	type pair struct{ what, cli, path string }
	var pairs []pair
	out, _ := presswatch(t, 0, "sources", "--data", data, "--json")
	pairs = append(pairs, pair{"sources --json", out, "/api/sources"})
	for _, args := range searches {
		out, _ := presswatch(t, 0, append([]string{"search", "--data", data, "--json"}, args...)...)
		pairs = append(pairs, pair{"search --json " + strings.Join(args, " "), out, apiSearch(args)})
	}
	out, _ = presswatch(t, 0, "digest", "--config", cfg, "--data", data, "--topic", "zhanaozen", "--date", day, "--store", "--format", "json")
	pairs = append(pairs, pair{"digest --format json", out, "/digests/zhanaozen/" + day + ".json"})

	base, stop := startServe(t, cfg, data, "--no-crawl")
	defer stop()
	// With serve running, search asks it.
	for _, args := range searches {
		out, _ := presswatch(t, 0, append([]string{"search", "--data", data, "--json"}, args...)...)
		pairs = append(pairs, pair{"search --json " + strings.Join(args, " ") + " (through serve)", out, apiSearch(args)})
	}
	for _, p := range pairs {
		res, err := http.Get(base + p.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", p.path, res.StatusCode, body)
		}
		if d := jsonShape("$", decodeJSON(t, p.what, p.cli), decodeJSON(t, p.path, string(body))); d != "" {
			t.Errorf("%s and GET %s differ: %s\n%s:\n%.1500s\n%s:\n%.1500s", p.what, p.path, d, p.what, p.cli, p.path, body)
		}
	}
}
