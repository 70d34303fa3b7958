package index

import (
	"context"
	"testing"
	"time"

	"presswatch/internal/model"
)

// testSources gives the fixture sources their stances; "blog-x" is left
// out on purpose and so is indexed as "unknown".
var testSources = []model.Source{
	{ID: "tengrinews", Stance: model.StanceState},
	{ID: "rferl", Stance: model.StanceInternational},
	{ID: "dw", Stance: model.StanceInternational},
	{ID: "bbc", Stance: model.StanceInternational},
	{ID: "eurasianet", Stance: model.StanceIndependent},
	{ID: "azattyq", Stance: model.StanceIndependent},
	{ID: "hrw", Stance: model.StanceCampaign},
}

func day(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// testArticles are eleven hand-written articles about Zhanaozen in ru, en
// and de. Article 10 has no published date; article 3 is published at
// exactly midnight, to test inclusive bounds.
func testArticles() []*model.Article {
	a := func(id int64, src, lang, pub, title, text string) *model.Article {
		art := &model.Article{ID: id, SourceID: src, Lang: lang, Title: title, Text: text,
			URL: "https://example.org/" + src + "/" + title[:4], FirstSeen: day("2012-07-01T12:00:00Z")}
		if pub != "" {
			art.Published = day(pub)
			art.FirstSeen = art.Published.Add(90 * time.Minute)
		}
		return art
	}
	return []*model.Article{
		a(1, "tengrinews", "ru", "2011-12-16T10:00:00Z", "Расстрел нефтяников в Жанаозене",
			"16 декабря 2011 года в Жанаозене полиция открыла огонь по бастующим нефтяникам. Погибли по меньшей мере 14 человек."),
		a(2, "rferl", "en", "2011-12-16T18:00:00Z", "Zhanaozen: police fire on striking oil workers",
			"Police in Zhanaozen opened fire on striking oil workers during the Independence Day celebrations on the central square."),
		a(3, "dw", "de", "2011-12-17T00:00:00Z", "Schüsse auf streikende Ölarbeiter in Schanaosen",
			"In der kasachischen Stadt Schanaosen hat die Polizei auf streikende Ölarbeiter geschossen. Es gab Tote und Verletzte."),
		a(4, "eurasianet", "en", "2011-12-18T09:00:00Z", "Kazakhstan declares state of emergency in Zhanaozen",
			"President Nazarbayev declared a state of emergency and a curfew in the town after two days of unrest."),
		a(5, "azattyq", "ru", "2012-03-27T08:00:00Z", "Суд над нефтяниками",
			"В Актау начался суд над 37 нефтяниками Жанаозена, обвиняемыми в организации массовых беспорядков."),
		a(6, "hrw", "en", "2012-01-20T12:00:00Z", "Kazakhstan: Investigate torture claims of Zhanaozen detainees",
			"Detainees held after the Zhanaozen violence describe torture in police custody. Human Rights Watch calls for an independent inquiry."),
		a(7, "dw", "de", "2012-06-04T15:00:00Z", "Urteile im Prozess gegen Ölarbeiter",
			"Das Gericht in Aktau verurteilte Roza Tuletajewa zu sieben Jahren Haft. Die Verteidigung spricht von Folter."),
		a(8, "tengrinews", "ru", "2011-12-22T07:00:00Z", "Ситуация в Жанаозене стабилизировалась",
			"Власти сообщают, что обстановка в городе спокойная, комендантский час продлён."),
		a(9, "bbc", "en", "2011-12-19T11:00:00Z", "Kazakh oil strike: Zhanaozen death toll rises",
			"The death toll from clashes between police and oil workers has risen to 16, officials say. Q&A: what happened in the west of the country?"),
		a(10, "rferl", "en", "", "Zhanaozen survivors recall the shooting",
			"Months later, survivors recall how the shooting began on the square."),
		a(11, "blog-x", "en", "2011-12-20T20:00:00Z", "Strike continues in Mangystau",
			"The strike at Ozenmunaigas continues; strikers demand the release of arrested colleagues."),
	}
}

// newTestIndex returns the fixture articles in an index of each kind the
// package makes: in memory (upsidedown) and on disk (scorch).
func newTestIndexes(t testing.TB) map[string]*Index {
	t.Helper()
	mem, err := OpenMem(WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	disk, err := Open(t.TempDir()+"/idx", WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*Index{"mem": mem, "disk": disk}
	for name, ix := range out {
		t.Cleanup(func() { _ = ix.Close() })
		if err := ix.Put(context.Background(), testArticles()); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return out
}
