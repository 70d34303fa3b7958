package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"presswatch/index"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// The README's screenshots (docs/screenshots/*.png) are taken by
// TestScreenshots when PRESSWATCH_SCREENSHOTS names the folder to write
// them to; it is skipped otherwise:
//
//	PRESSWATCH_SCREENSHOTS=$PWD/docs/screenshots go test ./web -run TestScreenshots
//
// It serves shotArticles, coverage of Zhanaozen in Russian, Kazakh and
// English from seven sources of every stance, on loopback, and shoots each
// page in headless Chromium at 1280 px and on a 375 px phone (emulated), in
// the light and the dark theme, the first screen of each.

// shotNow is the fixture's clock: the day after the first anniversary.
var shotNow = time.Date(2012, 12, 17, 9, 0, 0, 0, time.UTC)

// shotSources are the fixture's sources. Their names and their texts are
// written for the fixture; none is a real outlet.
var shotSources = []model.Source{
	{ID: "svobodny-golos", Name: "Свободный голос", Type: model.SourceFeed, URL: "https://svobodny-golos.example/feed", Stance: model.StanceIndependent, Lang: "ru"},
	{ID: "vestnik-stepi", Name: "Вестник Степи", Type: model.SourceFeed, URL: "https://vestnik-stepi.example/rss", Stance: model.StanceState, Lang: "ru"},
	{ID: "dala-news", Name: "Дала жаңалықтары", Type: model.SourceFeed, URL: "https://dala-news.example/kk/rss", Stance: model.StanceIndependent, Lang: "kk"},
	{ID: "aktau-tany", Name: "Ақтау таңы", Type: model.SourcePage, URL: "https://aktau-tany.example/zhanalyqtar", Stance: model.StanceState, Lang: "kk"},
	{ID: "steppe-wire", Name: "Steppe Wire", Type: model.SourceFeed, URL: "https://steppe-wire.example/asia/rss.xml", Stance: model.StanceInternational, Lang: "en"},
	{ID: "caspian-herald", Name: "Caspian Herald", Type: model.SourceSitemap, URL: "https://caspian-herald.example/sitemap-news.xml", Stance: model.StanceIndependent, Lang: "en"},
	{ID: "solidarity", Name: "Solidarity with Zhanaozen", Type: model.SourceFeed, URL: "https://zhanaozen-solidarity.example/feed", Stance: model.StanceCampaign, Lang: "en"},
}

// shotArticle is one article of the fixture: its source, when it was
// published (Almaty time), its title and text; copyOf, when not 0, is
// the index (from 1) of the article it is a copy of.
type shotArticle struct {
	source, when, title, text string
	copyOf                    int
}

var shotArticles = []shotArticle{
	{"svobodny-golos", "2011-12-16 19:40", "В Жанаозене полиция открыла огонь по бастующим нефтяникам",
		"На центральной площади Жанаозена, где с мая стояли уволенные нефтяники «Озенмунайгаза», днём началась стрельба. Очевидцы рассказывают, что полиция стреляла по безоружным людям.\n\nО числе погибших власти пока не сообщают. Связь с городом прервана, мобильный интернет не работает.", 0},
	{"vestnik-stepi", "2011-12-16 22:10", "Массовые беспорядки в Жанаозене",
		"В Жанаозене группа хулиганов устроила беспорядки на площади во время праздника в честь Дня независимости. Подожжены здание акимата и офис компании.\n\nПравоохранительные органы восстановили порядок. Генеральная прокуратура возбудила уголовное дело.", 0},
	{"steppe-wire", "2011-12-16 23:30", "Police open fire on striking oil workers in Zhanaozen",
		"Police in the western Kazakh oil town of Zhanaozen opened fire on protesters on Friday, as celebrations of the 20th anniversary of independence turned into clashes. The Prosecutor General's office said ten people were killed.\n\nOil workers dismissed by Ozenmunaigas had occupied the town's central square since May, demanding higher pay.", 0},
	{"dala-news", "2011-12-17 09:00", "Жаңаөзенде атыс: 10 адам қаза тапты",
		"Бас прокуратураның мәліметінше, 16 желтоқсанда Жаңаөзенде болған қақтығыста 10 адам қаза тауып, ондаған адам жараланды. Қала алаңында мамыр айынан бері ереуілдегі мұнайшылар тұрған еді.\n\nҚалада байланыс үзілді.", 0},
	{"caspian-herald", "2011-12-17 10:15", "Police open fire on striking oil workers in Zhanaozen",
		"Police in the western Kazakh oil town of Zhanaozen opened fire on protesters on Friday, as celebrations of the 20th anniversary of independence turned into clashes. The Prosecutor General's office said ten people were killed.\n\nOil workers dismissed by Ozenmunaigas had occupied the town's central square since May, demanding higher pay.", 3},
	{"vestnik-stepi", "2011-12-17 12:00", "В Жанаозене введено чрезвычайное положение",
		"В городе Жанаозене с 17 декабря 2011 года по 5 января 2012 года введены чрезвычайное положение и комендантский час.\n\nВъезд в город ограничен, работают блокпосты. Жителей просят сохранять спокойствие.", 0},
	{"aktau-tany", "2011-12-17 15:00", "Жаңаөзенде төтенше жағдай енгізілді",
		"Жаңаөзен қаласында 2012 жылғы 5 қаңтарға дейін төтенше жағдай және коменданттық сағат енгізілді.\n\nҚалада тәртіп қалпына келтірілді, дүкендер мен мектептер жұмысын жалғастыруда.", 0},
	{"caspian-herald", "2011-12-18 08:30", "Zhanaozen: what the witnesses say",
		"Witnesses in Zhanaozen describe police firing on unarmed people as they ran from the square on 16 December. Hospitals in the town and in Aktau took in dozens of wounded.\n\nThe authorities say the police acted against rioters who set fire to buildings.", 0},
	{"solidarity", "2011-12-18 20:00", "End the bloody repression in Zhanaozen",
		"The shooting of striking oil workers in Zhanaozen on 16 December must not go unanswered. We call on trade unions everywhere to protest at the embassies of Kazakhstan.\n\nThe strikers asked for nothing but decent pay and the right to an independent union.", 0},
	{"svobodny-golos", "2011-12-20 18:00", "Свидетели событий в Жанаозене: «стреляли по безоружным»",
		"Спустя четыре дня после трагедии на центральной площади Жанаозена жители города рассказывают о событиях 16 декабря совсем не то, что говорится в официальных сообщениях.\n\nПо их словам, стрельба продолжалась и на соседних улицах.", 0},
	{"steppe-wire", "2011-12-22 16:45", "Kazakh president visits Zhanaozen, dismisses regional officials",
		"President Nursultan Nazarbayev visited Zhanaozen on Thursday and dismissed the governor of the Mangystau region and the heads of the state oil company's local subsidiary.\n\nHe promised jobs for the dismissed oil workers.", 0},
	{"caspian-herald", "2012-01-05 11:00", "State of emergency in Zhanaozen extended to the end of January",
		"The state of emergency declared in Zhanaozen on 17 December has been extended until 31 January. The curfew remains in force.\n\nJournalists are still allowed into the town only with an escort.", 0},
	{"svobodny-golos", "2012-01-05 13:20", "Чрезвычайное положение в Жанаозене продлено до 31 января",
		"Чрезвычайное положение в Жанаозене продлено до 31 января. Комендантский час сохраняется.\n\nАдвокаты задержанных жалуются, что не могут встретиться со своими подзащитными.", 0},
	{"dala-news", "2012-03-27 10:00", "Ақтауда Жаңаөзен ісі бойынша сот басталды",
		"Ақтауда Жаңаөзендегі желтоқсан оқиғасына қатысты 37 адамның соты басталды. Сотталушылар жаппай тәртіпсіздік ұйымдастырды деп айыпталуда.\n\nСот залына туыстары мен журналистер кірді.", 0},
	{"steppe-wire", "2012-03-27 14:00", "Trial of 37 over Zhanaozen unrest opens in Aktau",
		"The trial of 37 people accused of organising mass unrest in Zhanaozen opened in Aktau on Tuesday. Several defendants said they had been beaten in custody.\n\nRights groups asked for an independent inquiry into the shooting.", 0},
	{"vestnik-stepi", "2012-06-04 17:00", "Суд вынес приговор по делу о беспорядках в Жанаозене",
		"Суд в Актау вынес приговор по делу о массовых беспорядках в Жанаозене. Часть подсудимых приговорена к лишению свободы, остальные освобождены.\n\nПо делу о превышении полномочий осуждены несколько сотрудников полиции.", 0},
	{"solidarity", "2012-10-08 21:00", "Opposition leader sentenced: the Zhanaozen campaign goes on",
		"An opposition leader was sentenced today to seven and a half years for inciting the Zhanaozen strike. The campaign for the release of the jailed strikers goes on.\n\nWrite to the embassy of Kazakhstan in your country.", 0},
	{"svobodny-golos", "2012-12-16 12:00", "Год после Жанаозена",
		"Год назад на площади Жанаозена погибли нефтяники. Родственники погибших пришли на кладбище с цветами.\n\nИх вопросы о том, кто отдал приказ стрелять, остаются без ответа.", 0},
	{"dala-news", "2012-12-16 09:30", "Жаңаөзен оқиғасына бір жыл",
		"Жаңаөзендегі қайғылы оқиғаға бір жыл толды. Қаза тапқандардың туыстары мешітте құран оқытты.\n\nҚалада жұмыссыздық мәселесі әлі шешілмеген.", 0},
	{"caspian-herald", "2012-12-16 08:00", "A year after Zhanaozen, families still wait for answers",
		"A year after police shot striking oil workers in Zhanaozen, the families of those killed still ask who gave the order to fire.\n\nThe town marked the anniversary quietly; a small group laid flowers at the square.", 0},
	{"svobodny-golos", "2012-12-17 10:00", "Родственники погибших в Жанаозене требуют нового расследования",
		"Родственники погибших в Жанаозене требуют нового расследования расстрела.\n\nВ городе прошли поминальные встречи; полиция следила за собравшимися.", 0},
	{"aktau-tany", "2012-12-16 14:00", "Жаңаөзен оқиғасына бір жыл толды",
		"Жаңаөзен оқиғасына бір жыл толды. Қалада қаза тапқандарды еске алу шаралары өтті.\n\nӘкімдік қалада жаңа жұмыс орындары ашылатынын хабарлады.", 0},
}

// shotPages are the pages shot: name (of the files) and path.
var shotPages = []struct{ name, path, want string }{
	{"home", "/", ".topics tbody tr"},
	{"search", "/search?q=Zhanaozen", ".hits li"},
	{"timeline", "/timeline?q=Zhanaozen", "main svg"},
	{"compare", "/compare?q=Zhanaozen", ".sp-column li"},
	{"article", "/articles/3", ".article .text"},
	{"sources", "/sources", ".sources tbody tr"},
}

// shotScreens are the screens: a laptop's first screen and a phone's.
var shotScreens = []struct{ width, height int64 }{{1280, 900}, {375, 812}}

// newShotServer serves the fixture on loopback.
func newShotServer(t *testing.T) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "shots.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srcs := make([]model.Source, len(shotSources))
	for i, src := range shotSources {
		src.Every, src.Keep = time.Hour, model.KeepAll
		srcs[i] = src
	}
	if err := st.SyncSources(ctx, srcs); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SyncTopics(ctx, []model.Topic{
		{ID: "zhanaozen", Name: "Zhanaozen 2011 and after", Query: "Zhanaozen Жанаозен Жаңаөзен"},
		{ID: "trials", Name: "The trials", Query: "trial суд сот"},
	}); err != nil {
		t.Fatal(err)
	}
	almaty := time.FixedZone("Asia/Almaty", 6*3600)
	var arts []*model.Article
	for i, sa := range shotArticles {
		pub, err := time.ParseInLocation("2006-01-02 15:04", sa.when, almaty)
		if err != nil {
			t.Fatal(err)
		}
		src, _ := sourceOf(shotSources, sa.source)
		a := &model.Article{URL: fmt.Sprintf("https://%s.example/%s/%d.html", src.ID, pub.Format("2006/01/02"), i+1), SourceID: src.ID,
			Lang: src.Lang, Title: sa.title, Text: sa.text, Published: pub, DateSource: model.DateFromMeta,
			FirstSeen: pub.Add(40 * time.Minute), LastChecked: pub.Add(40 * time.Minute), ContentHash: fmt.Sprintf("shot%02d", i+1),
			State: model.StateLive, Provenance: model.ProvenanceCrawl}
		if sa.copyOf != 0 {
			a.ClusterID = arts[sa.copyOf-1].ID
		}
		topics := []string{"zhanaozen"}
		if strings.Contains(sa.title+sa.text, "trial") || strings.Contains(sa.title, "Суд") || strings.Contains(sa.title, "сот") {
			topics = append(topics, "trials")
		}
		if err := st.CreateArticle(ctx, a, topics, ""); err != nil {
			t.Fatal(err)
		}
		arts = append(arts, a)
	}
	for i, src := range srcs {
		last := shotNow.Add(-time.Duration(10+7*i) * time.Minute)
		state := model.SourceState{SourceID: src.ID, LastFetch: last, LastSuccess: last, LastStatus: 200, NextDue: last.Add(time.Hour)}
		if src.ID == "aktau-tany" {
			state.LastSuccess, state.LastStatus, state.ErrorKind, state.Failures = last.Add(-3*time.Hour), 0, model.ErrTimeout, 3
			state.Error = "crawler: fetch " + src.URL + ": timed out after 30 s"
		}
		if err := st.SaveSourceState(ctx, state); err != nil {
			t.Fatal(err)
		}
	}
	ix, err := index.OpenMem(index.WithSources(srcs))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Put(ctx, arts); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Search: ix, Store: st, MaxSearches: 16, Now: func() time.Time { return shotNow },
		KeyDates: []model.KeyDate{{Date: "2011-12-16", Label: "Zhanaozen shooting"}, {Date: "2012-03-27", Label: "Trial opens"}},
		Log:      slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s.SetReady(true)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

func sourceOf(srcs []model.Source, id string) (model.Source, bool) {
	for _, s := range srcs {
		if s.ID == id {
			return s, true
		}
	}
	return model.Source{}, false
}

// TestScreenshots shoots every page of shotPages on every screen of
// shotScreens in both themes into $PRESSWATCH_SCREENSHOTS as
// PAGE-WIDTH-THEME.png (search-1280-light.png, sources-375-dark.png); it
// fails on a page that is not 200 or lacks its content (want).
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("PRESSWATCH_SCREENSHOTS")
	if dir == "" {
		t.Skip("SKIPPED: set PRESSWATCH_SCREENSHOTS to the folder to write the screenshots to (docs/screenshots)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	chrome := chromiumOrSkip(t)
	srv := newShotServer(t)
	for _, screen := range shotScreens {
		tab := browserAt(t, chrome, int(screen.width))
		if err := chromedp.Do(tab, chromedp.EmulateViewport(screen.width, screen.height)); err != nil {
			t.Fatal(err)
		}
		for _, theme := range []string{"light", "dark"} {
			if err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
					Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: theme}}})
				return err
			})); err != nil {
				t.Fatal(err)
			}
			for _, p := range shotPages {
				name := fmt.Sprintf("%s-%d-%s.png", p.name, screen.width, theme)
				res, err := chromedp.RunResponse(tab, chromedp.Navigate(srv.URL+p.path))
				if err != nil {
					t.Fatalf("%s: %v", p.path, err)
				}
				if res.Status != http.StatusOK {
					t.Errorf("%s: status %d", p.path, res.Status)
					continue
				}
				n, err := chromedp.Run(tab, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, p.want)))
				if err != nil || n == 0 {
					t.Errorf("%s: nothing matches %s (%v): an empty page", p.path, p.want, err)
					continue
				}
				shot, err := chromedp.Run(tab, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatalf("%s: %v", p.path, err)
				}
				shot, err = recompress(shot)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if err := os.WriteFile(filepath.Join(dir, name), shot, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("wrote %s (%d KB) of %s", name, len(shot)/1024, p.path)
			}
		}
	}
}

// recompress makes a screenshot small: its colours cut down to the 256
// most frequent (a page is mostly flat colours; the rest, edges of
// letters, take the nearest), encoded at Go's best compression.
func recompress(b []byte) ([]byte, error) {
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("the screenshot is not a PNG: %w", err)
	}
	var out bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, quantize(img)); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// quantize is img in at most 256 colours: the most frequent ones.
func quantize(img image.Image) *image.Paletted {
	r := img.Bounds()
	counts := map[color.RGBA]int{}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			counts[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	colours := make([]color.RGBA, 0, len(counts))
	for c := range counts {
		colours = append(colours, c)
	}
	sort.Slice(colours, func(i, j int) bool {
		if counts[colours[i]] != counts[colours[j]] {
			return counts[colours[i]] > counts[colours[j]]
		}
		return colorKey(colours[i]) < colorKey(colours[j])
	})
	pal := color.Palette{}
	for _, c := range colours[:min(256, len(colours))] {
		pal = append(pal, c)
	}
	index := make(map[color.RGBA]uint8, len(colours))
	for _, c := range colours {
		index[c] = uint8(pal.Index(c))
	}
	out := image.NewPaletted(r, pal)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			out.SetColorIndex(x, y, index[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)])
		}
	}
	return out
}

func colorKey(c color.RGBA) uint32 {
	return uint32(c.R)<<24 | uint32(c.G)<<16 | uint32(c.B)<<8 | uint32(c.A)
}
