package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"presswatch/internal/archive"
)

// warcImportShape is the farm whose article pages the generated WARC
// files capture: 2,000 pages, as in the ingest section, with a seed of its
// own. Extraction costs about 25 ms a page, so the page count, not the
// file size, sets most of an import's time.
var warcImportShape = farmShape{hosts: 50, feeds: 4, items: 10, seed: 7}

// warcImportSizes are the sizes of the generated files, in bytes: the
// ratio of their peak memories says whether an import's memory grows with
// the file.
var warcImportSizes = []int64{256 << 20, 1 << 30}

func warcImportSection() Section {
	return Section{
		Key:     "warcimport",
		Name:    "Importing a WARC file another tool wrote: 256 MB and 1 GB",
		Command: "go run ./cmd/presswatch-bench -only warcimport",
		Run:     runWARCImport,
	}
}

// warcMix is what one generated file holds, counted as it is written.
type warcMix struct {
	pages, dups, redirects, missing, metadata, binaries int
	binaryBytes                                         int64
	records                                             int // warcinfo included
	size                                                int64
}

func (m warcMix) String() string {
	return fmt.Sprintf("%d records in %s MB: %d request+response pairs of article pages (status 200, text/html), %d recaptures of those pages with the same content, later in the file, %d redirects (301, no body), %d not-found answers (404, a small HTML body), %d images and PDF-like files of 0.5–5 MB of random bytes (%s MB in all, image/jpeg, image/png or application/pdf), %d metadata records (application/warc-fields) and the warcinfo record; every record a gzip member written by internal/archive's writer (gowarc's record builder and marshaler, sha256 block and payload digests)",
		m.records, num(float64(m.size)/1e6), m.pages, m.dups, m.redirects, m.missing, m.binaries, num(float64(m.binaryBytes)/1e6), m.metadata)
}

// runWARCImport writes a WARC file of each size and, e.Runs times,
// imports it with `presswatch import` into a fresh data folder, sampling
// the child's memory. A file is removed once its runs are done, a data
// folder after its run.
func runWARCImport(ctx context.Context, e *Env) ([]Figure, error) {
	fm, err := warcImportShape.start(e)
	if err != nil {
		return nil, err
	}
	pages, err := loadPages(ctx, fm.Items())
	fm.Close()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(e.Work, "warcimport")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var figs []Figure
	peaks := map[int64][]float64{}
	anons := map[int64][]float64{}
	lives := map[int64][]float64{}
	cpuBySize := map[int64][]float64{}
	sizes := map[int64]int64{}
	for _, size := range warcImportSizes {
		label := sizeLabel(size)
		start := time.Now()
		file, mix, err := writeImportWARC(filepath.Join(dir, label), pages, size)
		if err != nil {
			return nil, fmt.Errorf("writing the %s WARC file: %w", label, err)
		}
		e.Log.Info("warc file written", "size", label, "bytes", mix.size, "records", mix.records, "took", time.Since(start))
		var wall, recs, mbs, imported, cpu []float64
		var loads []string
		for r := range e.Runs {
			data := filepath.Join(dir, fmt.Sprintf("data-%s-%d", label, r+1))
			res, err := importOnce(ctx, e, data, file)
			if err != nil {
				return nil, fmt.Errorf("%s file, run %d: %w", label, r+1, err)
			}
			if err := os.RemoveAll(data); err != nil {
				return nil, err
			}
			if res.New != mix.pages {
				return nil, fmt.Errorf("%s file, run %d: %d new articles, want %d: %s", label, r+1, res.New, mix.pages, tail(res.Stderr))
			}
			loads = append(loads, loadAverage())
			e.Log.Info("warc import run", "size", label, "run", r+1, "wall", res.Wall, "cpu", res.CPU, "new", res.New,
				"unchanged", res.Unchanged, "peak_rss_mib", res.Mem.Peak, "private_mib", res.Mem.Anon, "live_mib", res.LiveMiB, "load", loads[len(loads)-1])
			wall = append(wall, res.Wall.Seconds())
			recs = append(recs, float64(mix.records)/res.Wall.Seconds())
			mbs = append(mbs, float64(mix.size)/1e6/res.Wall.Seconds())
			imported = append(imported, float64(res.New))
			cpu = append(cpu, res.CPU.Seconds())
			cpuBySize[size] = append(cpuBySize[size], res.CPU.Seconds())
			peaks[size] = append(peaks[size], res.Mem.Peak)
			anons[size] = append(anons[size], res.Mem.Anon)
			lives[size] = append(lives[size], res.LiveMiB)
		}
		sizes[size] = mix.size
		if err := os.Remove(file); err != nil {
			return nil, err
		}
		load := fmt.Sprintf("the machine's load average (1, 5, 15 min) at the end of each run: %s, on 2 cores colleagues share, so the times include waiting for a core", strings.Join(loads, "; "))
		figs = append(figs,
			Figure{Name: label + ": wall time of the import", Unit: "s", Runs: wall,
				Notes: fmt.Sprintf("`presswatch import --data DIR FILE` into a fresh data folder, start to exit (every article stored and indexed); the file: %s; %s", mix, load)},
			Figure{Name: label + ": CPU time of the import", Unit: "s", Runs: cpu,
				Notes: "user + system time of the child; extracting the 2,000 pages (about 25 ms each) is most of it"},
			Figure{Name: label + ": records read per second", Unit: "records/s", Runs: recs,
				Notes: fmt.Sprintf("the file's %d records ÷ wall time", mix.records)},
			Figure{Name: label + ": throughput", Unit: "MB/s", Runs: mbs,
				Notes: fmt.Sprintf("the file's %s MB ÷ wall time", num(float64(mix.size)/1e6))},
			Figure{Name: label + ": pages imported", Runs: imported,
				Notes: fmt.Sprintf("new articles the import printed; each run must import all %d article pages (the recaptures are found unchanged)", mix.pages)},
			Figure{Name: label + ": peak RSS (VmHWM)", Unit: "MiB", Runs: peaks[size],
				Notes: "the kernel's high-water mark of the import's resident memory, as it printed it at exit or as sampled ten times a second from /proc if larger"},
			Figure{Name: label + ": peak private memory (RssAnon)", Unit: "MiB", Runs: anons[size],
				Notes: "the largest RssAnon sampled ten times a second: the Go heap and runtime, SQLite, Bleve's batches"},
			Figure{Name: label + ": largest live heap", Unit: "MiB", Runs: lives[size],
				Notes: "the most any collection left marked (GODEBUG=gctrace=1): what the import holds, which its heap, let grow to the soft memory limit, hides"},
		)
	}
	small, large := warcImportSizes[0], warcImportSizes[len(warcImportSizes)-1]
	ratio := func(m map[int64][]float64) []float64 {
		out := make([]float64, len(m[large]))
		for i := range out {
			out[i] = m[large][i] / m[small][i]
		}
		return out
	}
	figs = append(figs,
		Figure{Name: "peak RSS, 1 GB file ÷ 256 MB file", Runs: ratio(peaks), Goal: &Target{Max: 1.25, Text: "about 1 (bounded, not growing with the file): at most 1.25"},
			Notes: "run by run; both files hold the same 2,000 article pages, so the store and the index are alike and only the file's size (the large non-HTML records) differs"},
		Figure{Name: "peak RssAnon, 1 GB file ÷ 256 MB file", Runs: ratio(anons),
			Notes: "run by run, as above"},
		Figure{Name: "CPU time per extra GB of file", Unit: "s", Runs: perGB(cpuBySize[large], cpuBySize[small], sizes[large]-sizes[small]),
			Notes: "run by run, the 1 GB import's CPU time less the 256 MB import's, ÷ the GB more it read: the cost of reading, gunzipping and checking the digests of the non-HTML records, which are passed over; small beside the pages', so within the spread of the page work"},
		Figure{Name: "largest live heap, 1 GB file ÷ 256 MB file", Runs: ratio(lives), Goal: &Target{Max: 1.25, Text: "about 1: at most 1.25"},
			Notes: "run by run; the sharper test of boundedness, since the RSS of both sits near the soft memory limit"},
	)
	return figs, nil
}

// perGB is, run by run, (large-small) ÷ the GB of extra.
func perGB(large, small []float64, extra int64) []float64 {
	out := make([]float64, len(large))
	for i := range out {
		out[i] = (large[i] - small[i]) / (float64(extra) / 1e9)
	}
	return out
}

func sizeLabel(size int64) string {
	if size >= 1<<30 {
		return fmt.Sprintf("%d GB", size>>30)
	}
	return fmt.Sprintf("%d MB", size>>20)
}

// importResult is what one `presswatch import` child did.
type importResult struct {
	Wall, CPU              time.Duration
	Mem                    memory
	LiveMiB                float64 // the largest heap a collection left marked
	New, Unchanged, Failed int
	Stderr                 string
}

var importSummary = regexp.MustCompile(`(?m)^\d+ files: (\d+) new, \d+ updated, (\d+) unchanged, (\d+) failed$`)

// importOnce runs `presswatch import` of file into data, with the
// runtime's collection trace on, and reads its summary.
//
// The live heap is the figure that tells whether memory grows: the
// import's heap sits at the runtime's soft memory limit (GOGC 400 for
// batch commands, 320 MiB), so its RSS alone would hide a growing live
// heap until that passed the limit.
func importOnce(ctx context.Context, e *Env, data, file string) (*importResult, error) {
	ctx, cancel := context.WithTimeout(ctx, 45*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.Bin, "import", "--data", data, "--log-level", "warn", file)
	cmd.Env = tracedEnv(e, "import")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
	cmd.WaitDelay = time.Minute
	stderr := &heapTrace{}
	cmd.Stderr = stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("presswatch import: %w", err)
	}
	used, err := finish(cmd, watchMemory(cmd.Process.Pid), stderr.String)
	wall := time.Since(start)
	if err != nil {
		return nil, fmt.Errorf("presswatch import: %v: %s", err, tail(stderr.String()))
	}
	res := &importResult{Wall: wall, CPU: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), Mem: used, Stderr: stderr.String()}
	gcs, _, live := stderr.last()
	if gcs == 0 {
		return nil, fmt.Errorf("presswatch import traced no collection: %s", tail(res.Stderr))
	}
	res.LiveMiB = live
	m := importSummary.FindStringSubmatch(res.Stderr)
	if m == nil {
		return nil, fmt.Errorf("presswatch import printed no summary: %s", tail(res.Stderr))
	}
	res.New, _ = strconv.Atoi(m[1])
	res.Unchanged, _ = strconv.Atoi(m[2])
	res.Failed, _ = strconv.Atoi(m[3])
	if res.Failed > 0 {
		return nil, fmt.Errorf("presswatch import: %d failed: %s", res.Failed, tail(res.Stderr))
	}
	return res, nil
}

// writeImportWARC writes one WARC file of about size bytes into the new
// folder dir and returns its path: every page once, after every 20th
// page the page 10 before it again (the same content), a redirect and a
// 404 every 10 pages, a metadata record on the response of a page capture
// when the pages written so far are a multiple of 10 (the first page,
// every tenth, and the recaptures), and between them binary responses of
// 0.5–5 MB, spread so that the file grows evenly to size. The bytes are
// random from a fixed seed.
func writeImportWARC(dir string, pages []farmPage, size int64) (string, warcMix, error) {
	base := time.Date(2026, 11, 2, 6, 0, 0, 0, time.UTC)
	clock := base
	now := func() time.Time { clock = clock.Add(time.Second); return clock }
	w, _, err := archive.Open(dir, archive.Options{Version: "bench", Hostname: "bench", MaxSize: 4 << 30, Now: now})
	if err != nil {
		return "", warcMix{}, err
	}
	mix := warcMix{records: 1}
	src := rand.NewChaCha8([32]byte{7})
	rng := rand.New(src)
	var end int64 // where the file's last record ends
	put := func(ex archive.Exchange) error {
		ex.Started = now()
		ex.IP = "127.0.0.1"
		ex.RequestHeader = http.Header{"User-Agent": {"Wget/1.21.4"}, "Accept": {"*/*"}}
		ex.Proto = "HTTP/1.1"
		loc, err := w.WriteExchange(ex)
		if err != nil {
			return err
		}
		mix.records += 2
		end = loc.Offset + loc.Length
		if ex.Status == http.StatusOK && strings.HasPrefix(ex.ResponseHeader.Get("Content-Type"), "text/html") && mix.pages%10 == 0 {
			ml, err := w.WriteMetadata(ex.URL, loc.RecordID, [][2]string{{"via", ex.URL}, {"hopsFromSeed", "L"}, {"fetchTimeMs", "12"}})
			if err != nil {
				return err
			}
			mix.metadata++
			mix.records++
			end = ml.Offset + ml.Length
		}
		return nil
	}
	html := func(p farmPage, status int) archive.Exchange {
		return archive.Exchange{URL: p.url, Status: status,
			ResponseHeader: http.Header{"Content-Type": {p.ctype}, "Content-Length": {strconv.Itoa(len(p.body))}}, Body: p.body}
	}
	kinds := []struct{ ctype, ext, magic string }{
		{"image/jpeg", "jpg", "\xff\xd8\xff\xe0\x00\x10JFIF\x00"},
		{"image/png", "png", "\x89PNG\r\n\x1a\n"},
		{"application/pdf", "pdf", "%PDF-1.7\n"},
	}
	for i, p := range pages {
		if err := put(html(p, http.StatusOK)); err != nil {
			return "", mix, err
		}
		mix.pages++
		if i%20 == 19 { // the same page captured again, its content the same
			if err := put(html(pages[i-10], http.StatusOK)); err != nil {
				return "", mix, err
			}
			mix.dups++
		}
		if i%10 == 5 {
			moved := archive.Exchange{URL: p.url + "?utm_source=feed", Status: http.StatusMovedPermanently,
				ResponseHeader: http.Header{"Location": {p.url}, "Content-Length": {"0"}}}
			gone := []byte("<!doctype html><html><head><title>Not found</title></head><body><h1>Page not found</h1><p>The page you asked for is not here.</p></body></html>")
			missing := archive.Exchange{URL: fmt.Sprintf("%s-old-%d", p.url, i), Status: http.StatusNotFound,
				ResponseHeader: http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Content-Length": {strconv.Itoa(len(gone))}}, Body: gone}
			if err := put(moved); err != nil {
				return "", mix, err
			}
			if err := put(missing); err != nil {
				return "", mix, err
			}
			mix.redirects++
			mix.missing++
		}
		// Binary files until the file is where it should be after page i.
		for want := size * int64(i+1) / int64(len(pages)); end < want-(1<<20); {
			n := min(512<<10+rng.IntN(4608<<10), int(want-end))
			n = max(n, 512<<10)
			k := kinds[mix.binaries%len(kinds)]
			body := make([]byte, n)
			_, _ = src.Read(body) // never fails
			copy(body, k.magic)
			u := fmt.Sprintf("%s-media/%d.%s", p.url, mix.binaries, k.ext)
			if err := put(archive.Exchange{URL: u, Status: http.StatusOK,
				ResponseHeader: http.Header{"Content-Type": {k.ctype}, "Content-Length": {strconv.Itoa(n)}}, Body: body}); err != nil {
				return "", mix, err
			}
			mix.binaries++
			mix.binaryBytes += int64(n)
		}
	}
	file := filepath.Join(dir, w.File())
	if err := w.Close(); err != nil {
		return "", mix, err
	}
	st, err := os.Stat(file)
	if err != nil {
		return "", mix, err
	}
	mix.size = st.Size()
	return file, mix, nil
}
