package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"time"
	_ "time/tzdata" // the deployment's time zone, also where the system has no zone files
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"presswatch/internal/model"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultName is the name the embedded configuration is reported under.
const DefaultName = "(embedded default)"

// Config is the whole configuration.
type Config struct {
	// File is where the configuration came from, for messages.
	File string `yaml:"-"`

	// Contact is a URL or address put in the User-Agent so site owners can
	// reach whoever runs this crawler.
	Contact string `yaml:"contact"`
	// AllowPrivateNetworks lets the crawler fetch loopback and private
	// addresses for every source, and for every link and redirect any of
	// them leads to. Off by default; tests and local setups turn it on.
	// To read one intranet source in production, set allow_private on
	// that source instead.
	AllowPrivateNetworks bool `yaml:"allow_private_networks"`
	// Public lets anyone read and search (default); false puts every page
	// behind the administrators' login.
	Public bool  `yaml:"-"`
	Crawl  Crawl `yaml:"crawl"`
	// Revisit is how stored articles are read again to find edits and
	// removals.
	Revisit Revisit `yaml:"revisit"`
	// Archive is the WARC archive of every exchange.
	Archive Archive `yaml:"archive"`
	// Digests is when and how each topic's daily digest is made.
	Digests Digests `yaml:"-"`
	// SMTP is where digests are sent; nil when they are not sent.
	SMTP *SMTP `yaml:"-"`

	Sources []model.Source `yaml:"-"`
	Topics  []model.Topic  `yaml:"-"`
	// KeyDates are marked on timelines.
	KeyDates []model.KeyDate `yaml:"-"`

	queryLines map[string]int // topic id -> line of its query, for TopicError
}

// Crawl holds the crawler's limits. Zero values take the defaults below.
type Crawl struct {
	Workers        int           `yaml:"workers"`
	PerHost        int           `yaml:"per_host"`
	MinDelay       time.Duration `yaml:"min_delay"`
	ConnectTimeout time.Duration `yaml:"connect_timeout"`
	Timeout        time.Duration `yaml:"timeout"`
	MaxBytes       int64         `yaml:"max_bytes"`
	MaxRedirects   int           `yaml:"max_redirects"`
	// MaxItems bounds how many new items one run of one source fetches.
	MaxItems int `yaml:"max_items"`
	// Jitter spreads scheduled runs by up to this fraction of the interval.
	Jitter float64 `yaml:"jitter"`
	// MaxBackoff caps the wait after repeated failures of a source.
	MaxBackoff time.Duration `yaml:"max_backoff"`
	// RunBudget is the longest one run of one source (listing and items)
	// may take; the items not reached are read on the next run. A source
	// may set its own run_budget.
	RunBudget time.Duration `yaml:"run_budget"`
}

// Revisit configures the revisits of stored articles. A source may set its
// own steps, or turn revisits off (model.Source.Revisit).
type Revisit struct {
	// Steps are the ages (since first seen) at which an article is read
	// again; after the last, it is read every 30 days until MaxAge.
	Steps []time.Duration `yaml:"steps"`
	// MaxAge is the age after which an article is no longer revisited.
	MaxAge time.Duration `yaml:"max_age"`
	// Every is how often serve runs the due revisits.
	Every time.Duration `yaml:"every"`
	// Budget caps the revisits of one pass, so revisits never starve the
	// reading of new items; what is left waits for the next pass.
	Budget int `yaml:"budget"`
	// Workers is how many revisits run at once (the per-site limit holds).
	Workers int `yaml:"workers"`
}

// DefaultRevisitSteps are the default ages of an article at which it is
// read again.
var DefaultRevisitSteps = []time.Duration{time.Hour, 6 * time.Hour, 24 * time.Hour, 72 * time.Hour,
	7 * 24 * time.Hour, 30 * 24 * time.Hour}

func (r *Revisit) applyDefaults() {
	if len(r.Steps) == 0 {
		r.Steps = DefaultRevisitSteps
	}
	if r.MaxAge == 0 {
		r.MaxAge = 365 * 24 * time.Hour
	}
	if r.Every == 0 {
		r.Every = 5 * time.Minute
	}
	if r.Budget == 0 {
		r.Budget = 300
	}
	if r.Workers == 0 {
		r.Workers = 2
	}
}

// Archive configures the WARC files.
type Archive struct {
	// Off turns the archive off (archive: {enabled: false}): nothing is
	// written, and articles have no archived copy to prove what a page
	// said. Meant for measuring what the archive costs, and for
	// deployments that cannot spare the disk.
	Off bool `yaml:"-"`
	// MaxSize is the size at which a WARC file is closed and the next
	// one started.
	MaxSize int64 `yaml:"max_size"`
}

// Digests configures the daily digests.
type Digests struct {
	// Zone is the deployment's time zone: a digest covers one of its
	// calendar days. Default Asia/Almaty.
	Zone *time.Location
	// BuildAt is the time of day (in Zone) each topic's digest of the day
	// before is built and stored, as minutes after midnight; default
	// 07:00. -1: never on its own.
	BuildAt int
	// SendAt is when the day's digests are sent (with staff's edits);
	// -1 (the default): only when staff send one from the web UI.
	SendAt int
	// Lang is the language digests are written in: en or ru.
	Lang string
	// BaseURL is presswatch's public address, for the links in digests;
	// "" : the address serve listens on.
	BaseURL string
}

// SMTP is the mail relay digests are sent through. The password is never
// in the file: PasswordEnv names the environment variable holding it.
type SMTP struct {
	Host        string
	Port        int
	Username    string
	Password    string // read from the environment
	PasswordEnv string
	From        string
	To          []string
	Unsubscribe string // mailto: or https: URL for List-Unsubscribe
	TLS         string // starttls (default), tls or none (loopback only)
}

// DefaultArchiveMaxSize is the default size of a WARC file: 1 GiB, the
// size most web archives use.
const DefaultArchiveMaxSize = 1 << 30

func (c *Crawl) applyDefaults() {
	set := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	setD := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	set(&c.Workers, 8)
	set(&c.PerHost, 1)
	set(&c.MaxRedirects, 5)
	set(&c.MaxItems, 100)
	setD(&c.MinDelay, 2*time.Second)
	setD(&c.ConnectTimeout, 10*time.Second)
	setD(&c.Timeout, 30*time.Second)
	setD(&c.MaxBackoff, 24*time.Hour)
	setD(&c.RunBudget, 10*time.Minute)
	if c.MaxBytes == 0 {
		c.MaxBytes = 10 << 20
	}
	if c.Jitter == 0 {
		c.Jitter = 0.1
	}
}

// Default returns the embedded configuration for the Zhanaozen deployment.
func Default() (*Config, error) { return Parse(defaultYAML, DefaultName) }

// DefaultYAML returns the embedded configuration's text, as a starting
// point for a user's own file.
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

// Load reads and validates the file at path.
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(b, path)
}

// Parse validates YAML text; name is used in error messages.
func Parse(b []byte, name string) (*Config, error) {
	if err := utf8Text(b); err != nil {
		return nil, fmt.Errorf("config: %s: %w", name, err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, fmt.Errorf("config: %s: %w", name, err)
	}
	// A file of only comments, or of only "---", has no document or an
	// empty one (which yaml.v3 places on a line after the last).
	if len(root.Content) == 0 || root.Content[0].Kind == yaml.ScalarNode && root.Content[0].Tag == "!!null" && root.Content[0].Value == "" {
		return nil, fmt.Errorf("config: %s: the file is empty", name)
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return nil, &Error{File: name, Line: doc.Line, Field: "(top level)", Msg: "want a mapping of settings"}
	}
	p := parser{file: name}
	cfg := &Config{File: name}
	p.top(doc, cfg)
	if p.err != nil {
		return nil, p.err
	}
	cfg.Crawl.applyDefaults()
	cfg.Revisit.applyDefaults()
	if cfg.Archive.MaxSize == 0 {
		cfg.Archive.MaxSize = DefaultArchiveMaxSize
	}
	return cfg, nil
}

// utf8Text refuses a file that is not UTF-8 text (a UTF-8 byte order mark
// may start it). YAML may also be UTF-16 or UTF-32, but the line numbers
// presswatch's errors give would then be counted in text the reader's
// editor shows otherwise: such a file is to be saved as UTF-8.
func utf8Text(b []byte) error {
	switch {
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}), bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		return errors.New("the file is UTF-16 text (it starts with a UTF-16 byte order mark); save it as UTF-8")
	case bytes.HasPrefix(b, []byte{0, 0, 0xfe, 0xff}):
		return errors.New("the file is UTF-32 text; save it as UTF-8")
	}
	if !utf8.Valid(b) {
		line := 1 + bytes.Count(b[:invalidAt(b)], []byte("\n"))
		return fmt.Errorf("line %d is not UTF-8 text; save the file as UTF-8", line)
	}
	return nil
}

// invalidAt is the offset of the first byte of b that is not UTF-8.
func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// Error is a configuration problem at a place in a file.
type Error struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *Error) Error() string {
	return fmt.Sprintf("config: %s:%d: %s: %s", e.File, e.Line, e.Field, e.Msg)
}

// IsConfigError reports whether err is a configuration problem.
func IsConfigError(err error) bool {
	var ce *Error
	return errors.As(err, &ce)
}

// TopicError reports a problem found later with a topic's query (the
// index checks the syntax) at the query's place in the file.
func (c *Config) TopicError(id string, err error) error {
	for i, t := range c.Topics {
		if t.ID == id {
			return &Error{File: c.File, Line: c.queryLines[id], Field: fmt.Sprintf("topics[%d].query", i), Msg: err.Error()}
		}
	}
	return err
}

// Source returns the source with the given id.
func (c *Config) Source(id string) (model.Source, bool) {
	for _, s := range c.Sources {
		if s.ID == id {
			return s, true
		}
	}
	return model.Source{}, false
}
