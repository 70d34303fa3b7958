package config

import (
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

func TestDefaultIsValid(t *testing.T) {
	cfg, err := Default()
	if err != nil {
		t.Fatalf("embedded default: %v", err)
	}
	if len(cfg.Sources) < 10 {
		t.Errorf("default has %d sources, want the deployment's real ones", len(cfg.Sources))
	}
	stances := map[model.Stance]int{}
	for _, s := range cfg.Sources {
		stances[s.Stance]++
	}
	for _, want := range []model.Stance{model.StanceState, model.StanceIndependent, model.StanceCampaign} {
		if stances[want] == 0 {
			t.Errorf("default has no %s source", want)
		}
	}
	if len(cfg.Topics) == 0 || cfg.Topics[0].ID != "zhanaozen" || len(cfg.Topics[0].Aliases) < 10 {
		t.Errorf("default topic = %+v", cfg.Topics)
	}
	if len(cfg.KeyDates) < 3 || cfg.KeyDates[1].Date != "2011-12-16" {
		t.Errorf("key dates = %+v", cfg.KeyDates)
	}
	if cfg.AllowPrivateNetworks {
		t.Error("default must not allow private networks")
	}
	if cfg.Crawl.PerHost != 1 || cfg.Crawl.Workers == 0 || cfg.Crawl.Timeout != 30*time.Second {
		t.Errorf("crawl settings = %+v", cfg.Crawl)
	}
}

const good = `
contact: https://example.org/contact
crawl:
  min_delay: 10ms
topics:
  - id: z
    query: Zhanaozen
sources:
  - id: blog
    type: page
    url: http://127.0.0.1/list
    keep: topic
    every: 5m
    selectors: {item: article, link: a, max_pages: 3}
`

func TestParseGood(t *testing.T) {
	cfg, err := Parse([]byte(good), "good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Sources[0]
	if s.Type != model.SourcePage || s.Keep != model.KeepTopic || s.Every != 5*time.Minute ||
		s.Stance != model.StanceUnknown || s.Name != "blog" || s.Selectors.MaxPages != 3 {
		t.Errorf("source = %+v", s)
	}
	if cfg.Crawl.MinDelay != 10*time.Millisecond || cfg.Crawl.PerHost != 1 {
		t.Errorf("crawl = %+v", cfg.Crawl)
	}
}

func TestParseDigestsAndSMTP(t *testing.T) {
	t.Setenv("PRESSWATCH_TEST_SMTP_PASSWORD", "s3cret")
	cfg, err := Parse([]byte(`
digests: {time_zone: Europe/Berlin, build_at: "06:30", send_at: "08:00", language: ru, base_url: "https://pw.example/"}
smtp:
  host: mail.example
  port: 587
  username: digest
  password_env: PRESSWATCH_TEST_SMTP_PASSWORD
  from: "Zhanaozen digest <digest@pw.example>"
  to: [a@pw.example, b@pw.example]
  unsubscribe: mailto:leave@pw.example
sources:
  - {id: a, url: "http://127.0.0.1/feed"}
`), "d.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d := cfg.Digests
	if d.Zone.String() != "Europe/Berlin" || d.BuildAt != 6*60+30 || d.SendAt != 8*60 || d.Lang != "ru" || d.BaseURL != "https://pw.example" {
		t.Errorf("digests = %+v", d)
	}
	s := cfg.SMTP
	if s == nil || s.Password != "s3cret" || s.TLS != "starttls" || len(s.To) != 2 || s.Port != 587 {
		t.Errorf("smtp = %+v", s)
	}
	// The defaults: Almaty, built at 07:00, sent from the web UI only, no
	// mail.
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if !def.Public || !cfg.Public {
		t.Error("public is not the default")
	}
	private, err := Parse([]byte("public: false\nsources:\n  - {id: a, url: \"http://127.0.0.1/feed\"}\n"), "p.yaml")
	if err != nil || private.Public {
		t.Errorf("public: false: %v %v", err, private)
	}
	if def.Digests.Zone.String() != "Asia/Almaty" || def.Digests.BuildAt != 7*60 || def.Digests.SendAt != -1 || def.SMTP != nil {
		t.Errorf("default digests = %+v, smtp %+v", def.Digests, def.SMTP)
	}
}

func TestParseRevisitAndArchive(t *testing.T) {
	_, err := Parse([]byte(`
revisit: {steps: [2h, 1d], max_age: 720h, budget: 50}
archive: {max_size: 2097152}
sources:
  - {id: a, url: "http://x/", revisit: off}
  - {id: b, url: "http://y/", revisit: [30m, 3h]}
  - {id: c, url: "http://z/"}
`), "r.yaml")
	if err == nil {
		t.Fatalf("1d was accepted as a duration")
	}
	cfg, err := Parse([]byte(`
revisit: {steps: [2h, 24h], max_age: 720h, budget: 50}
archive: {max_size: 2097152, enabled: false}
sources:
  - {id: a, url: "http://x/", revisit: off}
  - {id: b, url: "http://y/", revisit: [30m, 3h]}
  - {id: c, url: "http://z/"}
`), "r.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r := cfg.Revisit
	if len(r.Steps) != 2 || r.Steps[1] != 24*time.Hour || r.MaxAge != 720*time.Hour || r.Budget != 50 || r.Workers != 2 || r.Every != 5*time.Minute {
		t.Errorf("revisit = %+v", r)
	}
	if !cfg.Sources[0].RevisitOff || len(cfg.Sources[1].Revisit) != 2 || cfg.Sources[1].Revisit[0] != 30*time.Minute || cfg.Sources[2].RevisitOff {
		t.Errorf("sources' revisits = %+v", cfg.Sources)
	}
	if cfg.Archive.MaxSize != 2<<20 || !cfg.Archive.Off {
		t.Errorf("archive = %+v", cfg.Archive)
	}
	def, err := Default()
	if err != nil || len(def.Revisit.Steps) != 6 || def.Archive.MaxSize != DefaultArchiveMaxSize || def.Archive.Off {
		t.Errorf("default revisit %+v, archive %+v, %v", def.Revisit, def.Archive, err)
	}
}

func TestParseErrorsNameFileLineField(t *testing.T) {
	for name, tc := range map[string]struct{ yaml, want string }{
		"bad stance": {"sources:\n  - id: a\n    url: http://x/\n    stance: neutral\n",
			"bad.yaml:4: sources[0].stance: \"neutral\" is not one of state, independent"},
		"unknown field": {"sources:\n  - id: a\n    url: http://x/\n    intervall: 5m\n",
			"bad.yaml:4: sources[0].intervall: unknown field"},
		"bad url": {"sources:\n  - id: a\n    url: ftp://x/\n",
			"bad.yaml:3: sources[0].url: \"ftp://x/\" is not an http(s) URL"},
		"bad duration": {"sources:\n  - id: a\n    url: http://x/\n    every: soon\n",
			"bad.yaml:4: sources[0].every: \"soon\" is not a duration"},
		"duplicate id": {"sources:\n  - id: a\n    url: http://x/\n  - id: a\n    url: http://y/\n",
			"bad.yaml:4: sources[1].id: \"a\" is used by another source"},
		"page without selectors": {"sources:\n  - id: a\n    type: page\n    url: http://x/\n",
			"bad.yaml:2: sources[0].selectors: a page source needs selectors"},
		"keep topic without topics": {"sources:\n  - id: a\n    url: http://x/\n    keep: topic\n",
			"bad.yaml:4: sources[0].keep: keep: topic needs at least one topic"},
		"bad id": {"sources:\n  - id: A b\n    url: http://x/\n",
			"bad.yaml:2: sources[0].id: \"A b\" is not a valid id"},
		"too often": {"sources:\n  - id: a\n    url: http://x/\n    every: 30s\n",
			"bad.yaml:4: sources[0].every: 30s is too often (at least 1m)"},
		"selectors without link": {"sources:\n  - id: a\n    type: page\n    url: http://x/\n    selectors: {item: li}\n",
			"bad.yaml:5: sources[0].selectors: item and link are required"},
		"too many pages": {"sources:\n  - id: a\n    type: page\n    url: http://x/\n    selectors:\n      item: li\n      link: a\n      max_pages: 5000\n",
			"bad.yaml:8: sources[0].selectors.max_pages: want 1..1000, got 5000"},
		"bad item selector": {"sources:\n  - id: a\n    type: page\n    url: http://x/\n    selectors:\n      item: \"div[\"\n      link: a\n",
			"bad.yaml:6: sources[0].selectors.item: \"div[\" is not a CSS selector: "},
		"bad date selector": {"sources:\n  - id: a\n    type: page\n    url: http://x/\n    selectors:\n      item: li\n      link: a\n      date: \"time::\"\n",
			"bad.yaml:8: sources[0].selectors.date: \"time::\" is not a CSS selector: "},
		"no sources":       {"contact: x\n", "bad.yaml:1: sources: no sources are configured"},
		"syntax":           {"sources: [\n", "config: bad.yaml: yaml: line"},
		"wrong type":       {"crawl:\n  workers: many\nsources: []\n", "bad.yaml:2: crawl.workers: "},
		"topic no query":   {"topics:\n  - id: z\nsources: []\n", "bad.yaml:2: topics[0].query: a topic needs a query"},
		"sources not list": {"sources: {a: 1}\n", "bad.yaml:1: sources: want a list"},
		"empty":            {"", "bad.yaml: the file is empty"},
		"revisit steps not increasing": {"revisit:\n  steps: [6h, 1h]\nsources: []\n",
			"bad.yaml:2: revisit.steps[1]: 1h0m0s is not after the step before it (6h0m0s)"},
		"revisit step too soon": {"revisit: {steps: [10s]}\nsources: []\n", "bad.yaml:1: revisit.steps[0]: 10s is too soon"},
		"source revisit word": {"sources:\n  - id: a\n    url: http://x/\n    revisit: never\n",
			"bad.yaml:4: sources[0].revisit: want a list of durations"},
		"archive too small":     {"archive: {max_size: 1000}\nsources: []\n", "bad.yaml:1: archive.max_size: want at least 1048576 bytes"},
		"digest zone":           {"digests:\n  time_zone: Almaty\nsources: []\n", "bad.yaml:2: digests.time_zone: \"Almaty\" is not a time zone"},
		"digest clock":          {"digests:\n  build_at: 7am\nsources: []\n", "bad.yaml:2: digests.build_at: \"7am\" is not a time of day"},
		"send before build":     {"digests:\n  build_at: \"07:00\"\n  send_at: \"06:00\"\nsources: []\n", "bad.yaml:3: digests.send_at: is before build_at"},
		"digest language":       {"digests: {language: kk}\nsources: []\n", "bad.yaml:1: digests.language: \"kk\" is not one of en, ru"},
		"digest base":           {"digests: {base_url: presswatch.example}\nsources: []\n", "bad.yaml:1: digests.base_url: \"presswatch.example\" is not an http(s) address"},
		"smtp without base_url": {"smtp:\n  host: mail.example\n  from: a@b.example\n  to: [c@d.example]\nsources: []\n", "bad.yaml:2: digests.base_url: is needed with smtp"},
		"smtp no host":          {"smtp:\n  from: a@b.example\n  to: [c@d.example]\nsources: []\n", "bad.yaml:2: smtp.host: the SMTP server's host name is missing"},
		"smtp bad to":           {"smtp:\n  host: mail.example\n  from: a@b.example\n  to: [not an address]\nsources: []\n", "bad.yaml:4: smtp.to: \"not an address\" is not a mail address"},
		"smtp password in file": {"smtp:\n  host: mail.example\n  username: u\n  from: a@b.example\n  to: c@d.example\nsources: []\n", "bad.yaml:3: smtp.password_env: a username needs password_env"},
		"smtp empty env":        {"smtp:\n  host: mail.example\n  username: u\n  password_env: PRESSWATCH_TEST_UNSET_PASSWORD\n  from: a@b.example\n  to: c@d.example\nsources: []\n", "bad.yaml:4: smtp.password_env: the environment variable PRESSWATCH_TEST_UNSET_PASSWORD is empty or not set"},
		"smtp tls":              {"smtp: {host: m.example, from: a@b.example, to: c@d.example, tls: ssl}\nsources: []\n", "bad.yaml:1: smtp.tls: \"ssl\" is not one of starttls, tls, none"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "bad.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

// A file that is not UTF-8 is refused saying so, before YAML would read
// UTF-16 as text whose lines no editor shows.
func TestParseRefusesTextThatIsNotUTF8(t *testing.T) {
	for name, tc := range map[string]struct {
		in   []byte
		want string
	}{
		"UTF-16 LE":      {[]byte("\xff\xfes\x00o\x00"), "config: p.yaml: the file is UTF-16 text (it starts with a UTF-16 byte order mark); save it as UTF-8"},
		"UTF-16 BE":      {[]byte("\xfe\xff\x00s\x00o"), "config: p.yaml: the file is UTF-16 text"},
		"Windows-1251":   {[]byte("topics:\n  - {id: z, query: \xc6\xe0\xed\xe0\xee\xe7\xe5\xed}\n"), "config: p.yaml: line 2 is not UTF-8 text; save the file as UTF-8"},
		"fuzz: UTF-16 ∅": {[]byte("\xff\xfe( 0\x1b"), "config: p.yaml: the file is UTF-16 text"},
	} {
		_, err := Parse(tc.in, "p.yaml")
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	if _, err := Parse([]byte("\xef\xbb\xbfsources: [{id: a, url: 'http://a'}]\n"), "p.yaml"); err != nil {
		t.Errorf("a UTF-8 byte order mark: %v", err)
	}
}
