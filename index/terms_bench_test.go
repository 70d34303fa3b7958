package index

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// BenchmarkTopTerms runs TopTerms with the default options on N generated
// articles (PRESSWATCH_BENCH_N, default 10,000; the target, under 300 ms,
// is for 100,000), in the same index BenchmarkSearchPage builds and keeps
// in PRESSWATCH_BENCH_DIR. "broad" matches every article (no words: the
// broadest query there is, all languages), "word" the topic's name in
// every spelling, "lang" every Russian article. It reports the matching
// articles (matches/op), those read (sampled/op) and the process's CPU
// time per call (cpu-ms/op: on a machine others share, the wall time
// ns/op says as much about them).
//
//	PRESSWATCH_BENCH_N=100000 go test -run '^$' -bench TopTerms -benchtime 20x ./index/
func BenchmarkTopTerms(b *testing.B) {
	n := benchPageN(b)
	root := os.Getenv("PRESSWATCH_BENCH_DIR")
	if root == "" {
		root = filepath.Join(os.TempDir(), fmt.Sprintf("presswatch-bench-%d", n))
	}
	dir := filepath.Join(root, "presswatch")
	ensureBuilt(b, dir, "presswatch mapping "+mappingVersion, n, benchGenerator(b), openPresswatch)
	ix, err := openPresswatchIndex(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	for _, bc := range []struct {
		name string
		req  Request
	}{
		{"broad", Request{}},
		{"word", Request{Query: "Zhanaozen"}},
		{"lang", Request{Langs: []string{"ru"}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var matches, sampled int
			cpu0 := cpuTime(b)
			for b.Loop() {
				res, err := ix.TopTerms(b.Context(), bc.req, TermsOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Langs) == 0 || len(res.Langs[0].Frequent) == 0 || len(res.Langs[0].Distinctive) == 0 && bc.name == "word" {
					b.Fatalf("%s: %d matches but lists missing: %+v", bc.name, res.Total, res.Langs)
				}
				matches, sampled = int(res.Total), res.Sampled
			}
			b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(matches), "matches/op")
			b.ReportMetric(float64(sampled), "sampled/op")
		})
	}
}

// cpuTime returns the user and system CPU time the process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
