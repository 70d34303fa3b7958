// Package gcsettings holds the Go runtime's memory settings presswatch
// runs with, for the presswatch command to set and for benchmarks to
// measure under.
package gcsettings

import (
	"os"
	"runtime/debug"
)

// MemoryLimit is the Go runtime's soft memory limit when GOMEMLIMIT does
// not set one. Indexing thousands of stored articles at once (a first
// start, a reindex) otherwise lets the heap grow to twice what is live,
// about 450 MiB of private memory with 100,000 articles; near this limit
// the collector runs more often instead, for about 5 % more CPU (measured
// with 10,000). It is soft: a heap that needs more gets more.
const MemoryLimit = 320 << 20

// BatchGCPercent is the Go collector's GOGC for the batch commands when
// the environment does not set one. Extraction allocates about 600 MB a
// second on two cores while little of it stays live (about 75 MB during a
// crawl of generated pages, more while a batch of long texts is indexed:
// see index's maxBatchText), so at the default of 100 the collector ran
// about eight times a second; at 400 a crawl of 2,000 farm articles took
// 35.1-37.3 CPU-seconds (four runs) instead of 40.2-40.5 (two), with the
// same peak RSS (379-385 MiB), since the soft memory limit above still
// bounds the heap. serve keeps 100: it idles most of the day, and at 400
// its heap, about 50 MB live with 2,000 articles, held 233 MiB instead of
// 103 MiB.
const BatchGCPercent = 400

// Batch sets the settings of presswatch's batch commands (crawl, import,
// reindex), MemoryLimit and BatchGCPercent, except those the environment
// sets (GOMEMLIMIT, GOGC), and returns a function that restores the
// previous ones. Benchmarks of work those commands do run under it.
func Batch() (restore func()) {
	limit, percent := int64(-1), -1
	if os.Getenv("GOMEMLIMIT") == "" {
		limit = debug.SetMemoryLimit(MemoryLimit)
	}
	if os.Getenv("GOGC") == "" {
		percent = debug.SetGCPercent(BatchGCPercent)
	}
	return func() {
		if limit >= 0 {
			debug.SetMemoryLimit(limit)
		}
		if percent >= 0 {
			debug.SetGCPercent(percent)
		}
	}
}
