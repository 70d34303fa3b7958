package main

import (
	"strings"
	"testing"
)

const benchOutput = `goos: linux
goarch: amd64
pkg: presswatch/crawler/parse
BenchmarkFeed/presswatch-2         	     457	   2590123 ns/op	  20.51 MB/s	  812345 B/op	    9876 allocs/op
BenchmarkFeed/gofeed-2             	     400	   2970456 ns/op	  17.88 MB/s
BenchmarkFeed/presswatch-2         	     460	   2601000 ns/op	  20.40 MB/s	  812345 B/op	    9876 allocs/op
BenchmarkFeed/gofeed-2             	     398	   2980000 ns/op	  17.80 MB/s
BenchmarkSearchPage/presswatch-2   	     400	   5100000 ns/op	   720.5 matches/op	  3.1 p50-ms	  4.9 p95-ms
BenchmarkPage/football.ua.podolski.html/presswatch-2         	      36	  33500000 ns/op	   8.10 MB/s
BenchmarkPage/football.ua.podolski.html/go-trafilatura-2     	      45	  26300000 ns/op	  10.3 MB/s
BenchmarkIndexing/plain 	       1	9900000000 ns/op	       505.0 articles/s
PASS
ok  	presswatch/crawler/parse	5.1s
`

func TestParseBenchReadsEveryResultLine(t *testing.T) {
	rs := parseBench(benchOutput)
	if len(rs) != 8 {
		t.Fatalf("%d results, want 8: %+v", len(rs), rs)
	}
	for name, want := range map[string]float64{
		"Page/football.ua.podolski.html/presswatch":     33500000,
		"Page/football.ua.podolski.html/go-trafilatura": 26300000,
	} {
		if got, err := collect(rs, name, "ns/op", 1); err != nil || got[0] != want {
			t.Errorf("%s: %v, %v; want %v", name, got, err, want)
		}
	}
	// A line without the GOMAXPROCS suffix (GOMAXPROCS=1).
	if got, err := collect(rs, "Indexing/plain", "articles/s", 1); err != nil || got[0] != 505 {
		t.Errorf("Indexing/plain: %v, %v", got, err)
	}
	pw, err := collect(rs, "Feed/presswatch", "ns/op", 2)
	if err != nil {
		t.Fatal(err)
	}
	if pw[0] != 2590123 || pw[1] != 2601000 {
		t.Errorf("Feed/presswatch ns/op = %v", pw)
	}
	if v := rs[4].metrics["p95-ms"]; v != 4.9 {
		t.Errorf("SearchPage p95-ms = %v, want 4.9", v)
	}
	if rs[4].name != "SearchPage/presswatch" {
		t.Errorf("name %q: the GOMAXPROCS suffix must go", rs[4].name)
	}
}

func TestCollectRefusesAMissingRunOrMetric(t *testing.T) {
	rs := parseBench(benchOutput)
	if _, err := collect(rs, "Feed/gofeed", "ns/op", 3); err == nil || !strings.Contains(err.Error(), "2 results") {
		t.Errorf("two results for three runs: err %v", err)
	}
	if _, err := collect(rs, "Feed/gofeed", "allocs/op", 2); err == nil || !strings.Contains(err.Error(), "allocs/op") {
		t.Errorf("a metric the benchmark did not print: err %v", err)
	}
	if _, err := collect(rs, "Page/x/presswatch", "ns/op", 2); err == nil {
		t.Error("a benchmark that did not run gave no error")
	}
}
