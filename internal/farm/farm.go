package farm

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"presswatch/internal/gencorpus"
)

// Caps on what a farm may be asked to serve.
const (
	MaxHosts = 1000
	MaxFeeds = 5000 // over all hosts
	MaxItems = 100  // items a feed lists
	// MaxLife caps Options.MaxLife: a farm never outlives it.
	MaxLife = 2 * time.Hour
	// maxSeq bounds the items one feed ever announces, Advance included.
	maxSeq = 100_000
)

// Format is the kind of feed the farm serves.
type Format int

const (
	RSS   Format = iota // RSS 2.0 on every feed
	Atom                // Atom 1.0 on every feed
	Mixed               // RSS on even feeds, Atom on odd ones
)

// Options shape a farm. Hosts, FeedsPerHost, ItemsPerFeed and Sentences
// are required.
type Options struct {
	Hosts        int
	FeedsPerHost int
	ItemsPerFeed int
	Format       Format
	// Sentences is the shared corpus's lingua-sentences folder, the text
	// of every article (see gencorpus.New).
	Sentences string
	Seed      uint64 // of the generated text; the same seed serves the same farm

	// Latency delays every answer (robots.txt included).
	Latency time.Duration
	// ErrorShare of feed and page requests are answered 503 (every fifth
	// of them 500); TimeoutShare of them are not answered until the client
	// gives up (or Hang passes). The draws are deterministic per host.
	ErrorShare, TimeoutShare float64
	// Hang is how long an unanswered request is held at most; default 1m.
	Hang time.Duration
	// MaxLife closes the farm by itself after this long; default 30m, at
	// most MaxLife.
	MaxLife time.Duration

	// Pages, when not empty, are served as the article pages instead of
	// generated ones: real news pages as some site saved them, in their
	// own charset (served as text/html without one, so the client reads
	// what the page declares). Items are numbered in the order they are
	// announced (item n of every feed, host by host, before item n+1 of
	// any), and item i gets page i mod len(Pages): no two of the first
	// len(Pages) items, Advance included, share one. The feeds still announce
	// generated titles and teasers; Item.Body and Item.Boilerplate are
	// empty. The links such a page carries are its own site's; a crawler
	// follows none of them, since it fetches what the feeds announce.
	Pages [][]byte
}

// Farm is a running farm. Start one, Close it when done.
type Farm struct {
	opts  Options
	gen   *gencorpus.Generator
	hosts []*host
	tiny  atomic.Bool
	done  chan struct{} // closed by Close
	once  sync.Once

	mu      sync.Mutex
	metas   map[key]meta
	pages   map[key][]byte // rendered article pages, up to maxCache bytes
	cached  int
	advance int            // items added to every feed by Advance
	changes map[key]change // what the last Mutate did, by item
	edits   map[key][]byte // edited pages rendered since the last Mutate
}

// maxCache bounds the bytes of rendered pages a farm keeps, so that
// serving a page again costs the farm (and the benchmark's cores) nothing.
const maxCache = 512 << 20

// cachedPage returns item k's page, rendering it the first time.
func (fm *Farm) cachedPage(k key, base string) []byte {
	if len(fm.opts.Pages) > 0 {
		return fm.opts.Pages[fm.realPage(k)]
	}
	if fm.changeOf(k) == edited {
		return fm.editedPage(k, base)
	}
	fm.mu.Lock()
	body, ok := fm.pages[k]
	fm.mu.Unlock()
	if ok {
		return body
	}
	body = fm.page(fm.article(k), k, base)
	fm.mu.Lock()
	if _, ok := fm.pages[k]; !ok && fm.cached+len(body) <= maxCache {
		fm.pages[k] = body
		fm.cached += len(body)
	}
	fm.mu.Unlock()
	return body
}

// realPage is the index in Options.Pages of item k's page.
func (fm *Farm) realPage(k key) int {
	feeds := fm.opts.Hosts * fm.opts.FeedsPerHost
	return (k.n*feeds + k.h*fm.opts.FeedsPerHost + k.f) % len(fm.opts.Pages)
}

// Render renders the pages of items ahead of the requests for them (it
// takes about a millisecond a page), so that the farm spends no time on
// them while a crawl is measured. Items come from Items or NewestItems.
func (fm *Farm) Render(items []Item) {
	for _, it := range items {
		fm.cachedPage(it.key, fm.hosts[it.key.h].base)
	}
}

// host is one listener with its counters.
type host struct {
	i      int
	base   string // "http://127.77.1.2:43521"
	srv    *http.Server
	seq    atomic.Uint64 // requests seen, for the error draws
	feeds  []feedCache
	counts counters
}

// feedCache keeps a feed's body while its item count stays the same.
type feedCache struct {
	mu    sync.Mutex
	count int
	body  []byte
}

type counters struct {
	requests, notModified, errors, timeouts atomic.Int64
	feeds, pages, robots, edited, gone      atomic.Int64
	inFlight, maxInFlight                   atomic.Int64
}

// Start generates the farm and serves it until Close or MaxLife.
func Start(opts Options) (*Farm, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	gen, err := gencorpus.New(opts.Sentences, opts.Seed)
	if err != nil {
		return nil, fmt.Errorf("farm: %w", err)
	}
	fm := &Farm{opts: opts, gen: gen, done: make(chan struct{}), metas: map[key]meta{}, pages: map[key][]byte{}}
	for i := range opts.Hosts {
		ln, err := listen(i)
		if err != nil {
			fm.Close()
			return nil, err
		}
		h := &host{i: i, base: "http://" + ln.Addr().String(), feeds: make([]feedCache, opts.FeedsPerHost)}
		h.srv = &http.Server{Handler: fm.handler(h), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute}
		fm.hosts = append(fm.hosts, h)
		go h.srv.Serve(ln)
	}
	go fm.expire()
	return fm, nil
}

func (o *Options) check() error {
	switch {
	case o.Hosts < 1 || o.Hosts > MaxHosts:
		return fmt.Errorf("farm: %d hosts; want 1 to %d", o.Hosts, MaxHosts)
	case o.FeedsPerHost < 1 || o.Hosts*o.FeedsPerHost > MaxFeeds:
		return fmt.Errorf("farm: %d feeds in all; want 1 to %d", o.Hosts*o.FeedsPerHost, MaxFeeds)
	case o.ItemsPerFeed < 1 || o.ItemsPerFeed > MaxItems:
		return fmt.Errorf("farm: %d items a feed; want 1 to %d", o.ItemsPerFeed, MaxItems)
	case o.ErrorShare < 0 || o.TimeoutShare < 0 || o.ErrorShare+o.TimeoutShare > 1:
		return errors.New("farm: ErrorShare and TimeoutShare must be shares adding up to at most 1")
	case o.Sentences == "":
		return errors.New("farm: Options.Sentences (the lingua-sentences folder) is required")
	}
	if o.Hang <= 0 {
		o.Hang = time.Minute
	}
	if o.MaxLife <= 0 {
		o.MaxLife = 30 * time.Minute
	}
	o.MaxLife = min(o.MaxLife, MaxLife)
	return nil
}

// listen binds host i to 127.77.x.y, its own address, or failing that to
// a port of its own on 127.0.0.1. Both are on loopback only.
func listen(i int) (net.Listener, error) {
	addr := fmt.Sprintf("127.77.%d.%d:0", 1+i/250, 1+i%250)
	if ln, err := net.Listen("tcp4", addr); err == nil {
		return ln, nil
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("farm: listen: %w", err)
	}
	return ln, nil
}

// expire closes the farm after MaxLife, unless it was closed before.
func (fm *Farm) expire() {
	t := time.NewTimer(fm.opts.MaxLife)
	defer t.Stop()
	select {
	case <-t.C:
		fm.Close()
	case <-fm.done:
	}
}

// Close stops every host and ends the requests being held. It is safe to
// call twice and from any goroutine.
func (fm *Farm) Close() error {
	var err error
	fm.once.Do(func() {
		close(fm.done)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		for _, h := range fm.hosts {
			err = errors.Join(err, h.srv.Shutdown(ctx))
		}
	})
	return err
}

// Bases returns each host's base URL ("http://127.77.1.1:43521"), in order.
func (fm *Farm) Bases() []string {
	out := make([]string, len(fm.hosts))
	for i, h := range fm.hosts {
		out[i] = h.base
	}
	return out
}

// A Feed is one of the farm's feeds.
type Feed struct {
	Host, Index int    // host number and feed number on the host
	URL         string // absolute
}

// Feeds lists every feed, host by host.
func (fm *Farm) Feeds() []Feed {
	var out []Feed
	for _, h := range fm.hosts {
		for f := range fm.opts.FeedsPerHost {
			out = append(out, Feed{Host: h.i, Index: f, URL: h.base + fm.feedPath(f)})
		}
	}
	return out
}

func (fm *Farm) atom(f int) bool {
	return fm.opts.Format == Atom || fm.opts.Format == Mixed && f%2 == 1
}

func (fm *Farm) feedPath(f int) string {
	if fm.atom(f) {
		return fmt.Sprintf("/atom/%d.xml", f)
	}
	return fmt.Sprintf("/rss/%d.xml", f)
}

// count is how many items every feed has announced so far.
func (fm *Farm) count() int {
	fm.mu.Lock()
	defer fm.mu.Unlock()
	return fm.opts.ItemsPerFeed + fm.advance
}

// Advance gives every feed n new items: the next poll of each is a 200
// listing them first, with new validators.
func (fm *Farm) Advance(n int) error {
	fm.mu.Lock()
	defer fm.mu.Unlock()
	if n < 0 || fm.opts.ItemsPerFeed+fm.advance+n > maxSeq {
		return fmt.Errorf("farm: cannot advance by %d", n)
	}
	fm.advance += n
	return nil
}

// Item is an announced article, as the farm knows it and serves it now
// (edited, if Mutate edited it).
type Item struct {
	URL, Title, Author, Lang string
	Published                time.Time
	Body                     []string // paragraphs of the article text
	Boilerplate              []string // comments and link texts the page carries besides
	key                      key
}

// Items returns the articles the feeds announce now (newest ItemsPerFeed
// of each), host by host. Generating them takes about 0.1 ms each.
func (fm *Farm) Items() []Item {
	count := fm.count()
	var out []Item
	for _, h := range fm.hosts {
		for f := range fm.opts.FeedsPerHost {
			for n := count - 1; n >= max(0, count-fm.opts.ItemsPerFeed); n-- {
				out = append(out, fm.item(h, key{h.i, f, n}))
			}
		}
	}
	return out
}

// NewestItems returns the newest n items of every feed.
func (fm *Farm) NewestItems(n int) []Item {
	count := fm.count()
	var out []Item
	for _, h := range fm.hosts {
		for f := range fm.opts.FeedsPerHost {
			for i := count - 1; i >= max(0, count-n); i-- {
				out = append(out, fm.item(h, key{h.i, f, i}))
			}
		}
	}
	return out
}

func (fm *Farm) item(h *host, k key) Item {
	a, _ := fm.served(k)
	it := Item{URL: h.base + itemPath(k, a.meta), Title: a.title, Author: a.author, Lang: a.lang, Published: a.published, key: k}
	if len(fm.opts.Pages) == 0 {
		it.Body, it.Boilerplate = a.body, append(append([]string{}, a.comments...), a.related...)
	}
	return it
}

// SetTinyPages makes article pages a title and one short paragraph (on)
// or full news pages (off, the default). Tiny pages fill a store quickly
// before the runs that are measured.
func (fm *Farm) SetTinyPages(on bool) { fm.tiny.Store(on) }
