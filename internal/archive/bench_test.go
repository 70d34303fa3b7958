package archive

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// BenchmarkWriteExchange writes the real 100 KiB news page as one
// exchange per op, at each gzip level worth considering; MB/s counts the
// body. Also reported: cpu-ns/op, the CPU time of the process per
// exchange, and bytes/exchange, what the file grows by.
func BenchmarkWriteExchange(b *testing.B) {
	body := htmlBody(100 << 10)
	for _, level := range []int{1, 3, 5, 6, 9} {
		b.Run(fmt.Sprintf("gzip=%d", level), func(b *testing.B) {
			dir := b.TempDir()
			w, _, err := Open(dir, Options{Hostname: "bench", GzipLevel: level})
			if err != nil {
				b.Fatal(err)
			}
			ex := testExchange("https://news.example/2026/12/budget", body)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			var written int64
			cpu := cpuTime()
			for b.Loop() {
				loc, err := w.WriteExchange(ex)
				if err != nil {
					b.Fatal(err)
				}
				written += loc.Length
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(written)/float64(b.N), "bytes/exchange")
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
			names, _ := warcFiles(dir)
			for _, n := range names {
				os.Remove(filepath.Join(dir, n))
			}
		})
	}
}

// cpuTime is the CPU time (user and system) the process has used, in ns:
// on a shared machine it is what an exchange costs the crawl, where
// ns/op also counts waiting for the CPU.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkVerify reads back and checks a file of 100 such exchanges.
func BenchmarkVerify(b *testing.B) {
	dir := b.TempDir()
	w, _, err := Open(dir, Options{Hostname: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	ex := testExchange("https://news.example/2026/12/budget", htmlBody(100<<10))
	for range 100 {
		if _, err := w.WriteExchange(ex); err != nil {
			b.Fatal(err)
		}
	}
	name := w.File()
	w.Close()
	path := filepath.Join(dir, name)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	for b.Loop() {
		if rep, err := Verify(path); err != nil || !rep.OK() {
			b.Fatal(err, rep.First)
		}
	}
}
