package quality

import (
	"context"
	"testing"

	"presswatch/internal/corpus"
)

// BenchmarkTextDev extracts the Dev half of trafilatura-eval with each
// extractor, one page an iteration, for profiles of where presswatch's
// extraction spends beyond go-trafilatura's (go test -run '^$' -bench
// TextDev/presswatch -cpuprofile cpu.out). The Test half is not profiled:
// what is tuned is tuned on Dev.
func BenchmarkTextDev(b *testing.B) {
	pages, err := readTextPages(context.Background(), corpus.Dir(b), Dev, 2)
	if err != nil {
		b.Fatal(err)
	}
	for name, run := range map[string]func(textPage) textOut{
		"presswatch":     presswatch,
		"go-trafilatura": baselineRun(false),
		"fallback-on":    baselineRun(true),
	} {
		b.Run(name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				run(pages[i%len(pages)])
			}
		})
	}
}
