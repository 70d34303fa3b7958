package digest

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/store"
)

// fixture is a store holding one topic's day, 17 December 2011 in Almaty
// (UTC+6: 2011-12-16T18:00Z to 2011-12-17T18:00Z), and what happened
// around it.
type fixture struct {
	st    *store.Store
	topic model.Topic
	day   Period
	ids   map[string]int64 // article name -> id
}

var almaty = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		panic(err)
	}
	return loc
}()

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, almaty)
	if err != nil {
		panic(err)
	}
	return t
}

const hostile = `<script>alert(1)</script><img src=x onerror=alert(2)> **bold** [x](javascript:alert(3))`

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	src := func(id, name string, stance model.Stance, lang string) model.Source {
		return model.Source{ID: id, Name: name, Type: model.SourceFeed, URL: "https://" + id + ".example/feed",
			Stance: stance, Lang: lang, Every: time.Hour, Keep: model.KeepAll}
	}
	sources := []model.Source{
		src("tengri", "Tengrinews", model.StanceState, "ru"),
		src("azattyq", "Azattyq", model.StanceIndependent, "ru"),
		src("rferl", "RFE/RL", model.StanceInternational, "en"),
		src("campaign", "Campaign Kazakhstan", model.StanceCampaign, "en"),
		src("kp", "Kazakhstanskaya Pravda", model.StanceState, "ru"),
	}
	if err := st.SyncSources(ctx, sources); err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st, topic: model.Topic{ID: "zh", Name: "Zhanaozen", Query: "Zhanaozen"}, ids: map[string]int64{}}
	if _, err := st.SyncTopics(ctx, []model.Topic{f.topic}); err != nil {
		t.Fatal(err)
	}
	f.day, err = Day("2011-12-17", almaty)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// put stores an article; cluster names the article whose story it joins.
func (f *fixture) put(t *testing.T, name, source, lang, title, text string, published, seen time.Time, cluster string, topics ...string) {
	t.Helper()
	a := &model.Article{
		URL: "https://" + source + ".example/" + name, SourceID: source, Title: title, Text: text, Lang: lang,
		Published: published, FirstSeen: seen.UTC(), LastChecked: seen.UTC(), State: model.StateLive,
		ContentHash: name, Provenance: model.ProvenanceCrawl,
	}
	if cluster != "" {
		a.ClusterID = f.ids[cluster]
	}
	if topics == nil {
		topics = []string{"zh"}
	}
	if err := f.st.Create(context.Background(), store.NewArticle{Article: a, Topics: topics}); err != nil {
		t.Fatal(err)
	}
	f.ids[name] = a.ID
}

func (f *fixture) fetch(t *testing.T, source string, when time.Time, kind model.ErrorKind, status int) {
	t.Helper()
	fe := &model.Fetch{SourceID: source, URL: "https://" + source + ".example/feed", At: when.UTC(), Status: status, ErrorKind: kind}
	if kind != "" {
		fe.Error = "dial tcp: i/o timeout"
	}
	if _, err := f.st.RecordFetch(context.Background(), fe); err != nil {
		t.Fatal(err)
	}
}

// day17 fills the fixture: three stories in the period (one carried by
// three sites, one continuing a story of the 16th's digest, one alone),
// and articles that must stay out.
func (f *fixture) day17(t *testing.T) {
	ctx := context.Background()
	// The 16th: a story that the 16th's digest held.
	f.put(t, "c0", "azattyq", "ru", "Забастовка в Жанаозене: полиция", "Полиция разогнала митинг. Рабочие требуют повышения зарплаты.",
		at("2011-12-16 11:00"), at("2011-12-16 11:05"), "")
	d16, err := Day("2011-12-16", almaty)
	if err != nil {
		t.Fatal(err)
	}
	prev, err := Build(ctx, f.st, f.topic, d16, Options{Base: "http://127.0.0.1:8080"})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(prev)
	if _, err := f.st.PutDigest(ctx, store.DigestRow{TopicID: "zh", Day: d16.Day, From: d16.From, To: d16.To, BuiltAt: d16.To, Body: body}, prev.ArticleIDs()); err != nil {
		t.Fatal(err)
	}

	// The 17th.
	f.put(t, "a1", "rferl", "en", "Police fire on striking oil workers in Zhanaozen",
		"Police fire on striking oil workers in Zhanaozen\nAt least ten people were killed in Zhanaozen on Friday. Witnesses said police fired on the crowd in the town square. The government blamed hooligans.",
		at("2011-12-17 09:00"), at("2011-12-17 09:20"), "")
	f.put(t, "a2", "campaign", "en", "Zhanaozen: police shoot strikers", "Copy of the report.", at("2011-12-17 10:00"), at("2011-12-17 10:30"), "a1")
	f.put(t, "a3", "azattyq", "ru", "В Жанаозене полиция стреляла в бастующих", "Перевод сообщения.", time.Time{}, at("2011-12-17 12:00"), "a1")
	f.put(t, "c1", "kp", "ru", "Жанаозен: продолжение", "Продолжение истории.", at("2011-12-17 08:00"), at("2011-12-17 08:10"), "c0")
	f.put(t, "b1", "tengri", "ru", hostile, "Тенгри сообщает о Жанаозене. "+hostile+" Третье предложение.", at("2011-12-17 07:00"), at("2011-12-17 07:01"), "")
	// Out: seen on the 18th (Almaty), and one not matching the topic.
	f.put(t, "late", "rferl", "en", "Zhanaozen the day after", "Later.", at("2011-12-18 00:30"), at("2011-12-18 00:30"), "")
	f.put(t, "off", "rferl", "en", "Weather in Almaty", "Snow.", at("2011-12-17 09:00"), at("2011-12-17 09:00"), "", "other")

	// Tengrinews fails from 06:00 on; RFE/RL fails twice and recovers;
	// Azattyq is fine.
	f.fetch(t, "tengri", at("2011-12-17 05:00"), "", 200)
	f.fetch(t, "tengri", at("2011-12-17 06:00"), model.ErrTimeout, 0)
	f.fetch(t, "tengri", at("2011-12-17 12:00"), model.ErrTimeout, 0)
	f.fetch(t, "rferl", at("2011-12-17 03:00"), model.ErrTimeout, 0)
	f.fetch(t, "rferl", at("2011-12-17 04:00"), "", 503)
	f.fetch(t, "rferl", at("2011-12-17 05:00"), "", 200)
	f.fetch(t, "azattyq", at("2011-12-17 05:00"), "", 200)
}

func storyLeads(d *Digest, ids map[string]int64) []string {
	names := map[int64]string{}
	for n, id := range ids {
		names[id] = n
	}
	var out []string
	for _, s := range d.Stories {
		out = append(out, names[s.Lead().ArticleID])
	}
	return out
}

func TestBuildCollapsesOrdersAndMarks(t *testing.T) {
	f := newFixture(t)
	f.day17(t)
	d, err := Build(context.Background(), f.st, f.topic, f.day, Options{Base: "http://127.0.0.1:8080", Now: at("2011-12-18 07:00")})
	if err != nil {
		t.Fatal(err)
	}
	// The story three sites carried first, then the one two carried, then
	// the one alone.
	if got, want := storyLeads(d, f.ids), []string{"a1", "c0", "b1"}; !slices.Equal(got, want) {
		t.Fatalf("story leads = %v, want %v", got, want)
	}
	if d.Articles != 5 || d.Sources != 5 {
		t.Errorf("counts = %d articles from %d sources, want 5 from 5", d.Articles, d.Sources)
	}
	a := d.Stories[0]
	var copies []string
	for _, c := range a.Copies {
		copies = append(copies, c.Source)
	}
	// Dated copies by date; the undated one last.
	if want := []string{"rferl", "campaign", "azattyq"}; !slices.Equal(copies, want) {
		t.Errorf("copies of the first story = %v, want %v", copies, want)
	}
	if a.Sources != 3 || a.New != 3 || !slices.Equal(a.Langs, []string{"en", "ru"}) || a.Update() {
		t.Errorf("first story = %+v", a)
	}
	// The extract leaves out the title repeated as the first paragraph
	// and stops after two sentences.
	if want := "At least ten people were killed in Zhanaozen on Friday. Witnesses said police fired on the crowd in the town square."; a.Lead().Extract != want {
		t.Errorf("extract = %q, want %q", a.Lead().Extract, want)
	}
	if a.Lead().Page != "http://127.0.0.1:8080/articles/"+itoa(f.ids["a1"]) {
		t.Errorf("page = %q", a.Lead().Page)
	}
	c := d.Stories[1]
	if c.UpdateOf != "2011-12-16" || c.Lead().InPeriod || !c.Copies[1].InPeriod || c.New != 1 {
		t.Errorf("continued story = %+v", c)
	}
	if d.Stories[2].Update() {
		t.Errorf("a new story is marked as an update")
	}
	// Failures: Tengrinews down since 06:00, RFE/RL failed twice.
	if len(d.Failed) != 2 {
		t.Fatalf("failed sources = %+v", d.Failed)
	}
	fr, ft := d.Failed[0], d.Failed[1]
	if ft.Source != "tengri" || !ft.Down || !ft.Since.Equal(at("2011-12-17 06:00")) || ft.Count != 2 {
		t.Errorf("tengri = %+v", ft)
	}
	if fr.Source != "rferl" || fr.Down || fr.Count != 2 || !fr.Since.Equal(at("2011-12-17 03:00")) || !fr.Until.Equal(at("2011-12-17 04:00")) {
		t.Errorf("rferl = %+v", fr)
	}
	text, err := Render(d, FormatText, "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Zhanaozen: digest of 17 December 2011",
		"5 articles from 5 sources, in 3 stories.",
		"Tengrinews could not be reached since 06:00 (timeout: dial tcp: i/o timeout)",
		"RFE/RL failed 2 times between 03:00 and 04:00, then was read again",
		"Update: continues a story of the digest of 16 December 2011",
		"Also carried by 2 sites: Campaign Kazakhstan (en), Azattyq (ru)",
		"Original: https://rferl.example/a1",
		"In presswatch: http://127.0.0.1:8080/articles/",
		"first seen 16 December 2011, before this period",
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("text digest lacks %q:\n%s", want, text)
		}
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestLaterDigestsAndSourcesChangeNothingBefore(t *testing.T) {
	// A day's digest is the same whether built that night or a week later,
	// after more articles and another digest arrived.
	f := newFixture(t)
	f.day17(t)
	ctx := context.Background()
	first, err := Build(ctx, f.st, f.topic, f.day, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d18, _ := Day("2011-12-18", almaty)
	later, _ := Build(ctx, f.st, f.topic, d18, Options{})
	body, _ := json.Marshal(later)
	if _, err := f.st.PutDigest(ctx, store.DigestRow{TopicID: "zh", Day: d18.Day, From: d18.From, To: d18.To, BuiltAt: d18.To, Body: body}, later.ArticleIDs()); err != nil {
		t.Fatal(err)
	}
	again, err := Build(ctx, f.st, f.topic, f.day, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(storyLeads(first, f.ids), storyLeads(again, f.ids)) || again.Stories[0].Update() {
		t.Errorf("rebuilt digest changed: %v then %v (first story update of %q)", storyLeads(first, f.ids), storyLeads(again, f.ids), again.Stories[0].UpdateOf)
	}
}

func TestEmptyPeriodSaysSo(t *testing.T) {
	f := newFixture(t)
	f.day17(t)
	p, _ := Day("2011-12-25", almaty)
	d, err := Build(context.Background(), f.st, f.topic, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Stories) != 0 || d.Articles != 0 {
		t.Fatalf("empty day = %+v", d)
	}
	for _, format := range Formats {
		b, err := Render(d, format, "en")
		if err != nil {
			t.Fatal(err)
		}
		if format != FormatJSON && !strings.Contains(string(b), "Nothing new on this topic in this period.") {
			t.Errorf("%s digest of an empty day does not say so:\n%s", format, b)
		}
	}
	b, _ := Render(d, FormatText, "ru")
	if !strings.Contains(string(b), "За этот период по теме ничего нового.") || !strings.Contains(string(b), "25 декабря 2011") {
		t.Errorf("Russian empty digest:\n%s", b)
	}
}

func TestSincePeriod(t *testing.T) {
	f := newFixture(t)
	f.day17(t)
	p, err := Since(at("2011-12-17 10:00"), 3*time.Hour, almaty)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Build(context.Background(), f.st, f.topic, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// 07:00 to 10:00: b1 (07:01), c1 (08:10), a1 (09:20); how widely a
	// story was carried counts its copies seen after the period too.
	if got, want := storyLeads(d, f.ids), []string{"a1", "c0", "b1"}; !slices.Equal(got, want) {
		t.Errorf("leads = %v, want %v", got, want)
	}
	if d.Articles != 3 || d.Stories[0].New != 1 || d.Stories[0].Sources != 3 {
		t.Errorf("since 07:00: %d articles, first story %+v", d.Articles, d.Stories[0])
	}
	if _, err := Since(time.Now(), 0, almaty); err == nil {
		t.Error("a zero duration was accepted")
	}
}

func TestDayInZone(t *testing.T) {
	p, err := Day("2011-12-17", almaty)
	if err != nil {
		t.Fatal(err)
	}
	if p.From.UTC().Format(time.RFC3339) != "2011-12-16T18:00:00Z" || p.To.Sub(p.From) != 24*time.Hour {
		t.Errorf("period = %v to %v", p.From.UTC(), p.To.UTC())
	}
	y := Yesterday(at("2011-12-18 00:30"), almaty)
	if y.Day != "2011-12-17" {
		t.Errorf("yesterday at 00:30 on the 18th = %s", y.Day)
	}
	// Days tile without gaps where clocks jump at midnight (Santiago,
	// 8 September 2024: 00:00 does not exist) and fall back (6 April).
	santiago, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Fatal(err)
	}
	for _, days := range [][2]string{{"2024-09-07", "2024-09-08"}, {"2024-09-08", "2024-09-09"}, {"2024-04-06", "2024-04-07"}} {
		a, _ := Day(days[0], santiago)
		b, _ := Day(days[1], santiago)
		if !a.To.Equal(b.From) || a.From.In(santiago).Format(time.DateOnly) != days[0] || b.From.In(santiago).Format(time.DateOnly) != days[1] {
			t.Errorf("%s..%s then %s..%s", a.From.In(santiago), a.To.In(santiago), b.From.In(santiago), b.To.In(santiago))
		}
	}
	if _, err := Day("17.12.2011", almaty); err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
		t.Errorf("bad day: %v", err)
	}
}

func TestEditsApply(t *testing.T) {
	f := newFixture(t)
	f.day17(t)
	d, err := Build(context.Background(), f.st, f.topic, f.day, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, c, b := d.Stories[0].ID, d.Stories[1].ID, d.Stories[2].ID
	e := Edits{Note: "  Good morning.  ", Order: []int64{b, a}, Dropped: []int64{c}, Notes: map[int64]string{b: "Compare with the official account."}}
	got := d.Apply(e)
	var ids []int64
	for _, s := range got.Stories {
		ids = append(ids, s.ID)
	}
	if !slices.Equal(ids, []int64{b, a}) || got.Dropped != 1 || got.Note != "Good morning." || got.Stories[0].Note != "Compare with the official account." {
		t.Errorf("edited = %v dropped %d note %q story note %q", ids, got.Dropped, got.Note, got.Stories[0].Note)
	}
	if len(d.Stories) != 3 || d.Note != "" {
		t.Error("Apply changed the digest it was given")
	}
	// A story the edits do not name (new since) follows the ordered ones.
	e.Order = []int64{b}
	got = d.Apply(e)
	if got.Stories[0].ID != b || got.Stories[1].ID != a {
		t.Errorf("order with an unnamed story = %d, %d", got.Stories[0].ID, got.Stories[1].ID)
	}
	if err := (Edits{Note: strings.Repeat("x", MaxNote+1)}).Check(); err == nil {
		t.Error("an overlong note was accepted")
	}
}

func TestWidelyCarriedCountsSites(t *testing.T) {
	// One site putting a story out four times carries it less widely than
	// three sites once each, or two; among stories one site carried, more
	// copies come first.
	f := newFixture(t)
	f.day17(t)
	f.put(t, "d1", "kp", "ru", "Официально: порядок восстановлен", "Текст.", at("2011-12-17 13:00"), at("2011-12-17 13:00"), "")
	for _, n := range []string{"d2", "d3", "d4"} {
		f.put(t, n, "kp", "ru", "Официально: порядок восстановлен", "Текст.", at("2011-12-17 14:00"), at("2011-12-17 14:00"), "d1")
	}
	d, err := Build(context.Background(), f.st, f.topic, f.day, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := storyLeads(d, f.ids), []string{"a1", "c0", "d1", "b1"}; !slices.Equal(got, want) {
		t.Errorf("leads = %v, want %v", got, want)
	}
}

func TestParseSpan(t *testing.T) {
	for s, want := range map[string]time.Duration{"24h": 24 * time.Hour, "90m": 90 * time.Minute, "7d": 7 * 24 * time.Hour, "36600d": 36600 * 24 * time.Hour} {
		if got, err := ParseSpan(s); err != nil || got != want {
			t.Errorf("ParseSpan(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	// A count of days that would overflow, zero, negative, too long, words.
	for _, s := range []string{"99999999999999d", "0d", "-1h", "500ms", "36601d", "yesterday", "d", ""} {
		if d, err := ParseSpan(s); err == nil {
			t.Errorf("ParseSpan(%q) = %v, want an error", s, d)
		}
	}
}
