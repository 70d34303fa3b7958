package ingest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

const appeal = `Oil workers of Ozenmunaigas in the Mangystau region have been on strike since May over pay and conditions.
More than two thousand of them were dismissed after they refused to end the strike, and their union lawyer Natalia Sokolova was arrested in the summer and sentenced to six years in prison for inciting social discord.
On 16 December police opened fire on strikers and residents gathered on the central square of Zhanaozen, and the authorities admit that sixteen people died while witnesses speak of many more.
We call on the government of Kazakhstan to release the imprisoned workers and their lawyer, to allow an independent international inquiry into the shooting, and to let journalists travel to the town freely.
We call on trade unions around the world to send messages of solidarity and to raise the case with their own governments and with the companies that buy oil from the region.
The families of the dead and the wounded still wait for answers, and many of the dismissed workers have found no other work since the strike began.`

const otherStory = `The trial of thirty-seven residents of Zhanaozen accused of organising mass disorder opened in Aktau on Tuesday.
Defence lawyers said several of the accused had been beaten in custody and asked the court to hear their testimony about torture.
The prosecutor asked for sentences of up to ten years, and relatives of the accused gathered outside the court building in the cold.
Observers from the OSCE and several embassies attended the first day of the hearing, which was adjourned until the following week.
Natalia Sokolova, the lawyer of the oil workers, was not among the accused, but her case was mentioned by several of the witnesses.
The authorities say that sixteen people died on 16 December, while independent reports put the number higher.`

func putDoc(t *testing.T, in *Ingester, src model.Source, url, title, text string, published time.Time) *model.Article {
	t.Helper()
	_, a, err := in.Put(context.Background(), src, &model.Document{URL: url, Title: title, Text: text, Published: published,
		Provenance: model.ProvenanceCrawl})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestCopiesJoinOneStoryAndOtherStoriesStayApart(t *testing.T) {
	in, _, _, st := setup(t)
	day := time.Date(2011, 12, 20, 9, 0, 0, 0, time.UTC)
	src := func(id string) model.Source { s := all; s.ID = id; return s }
	orig := putDoc(t, in, all, "http://127.0.0.1/a/appeal", "Solidarity with the Zhanaozen oil workers", appeal, day)
	// A reprint with a new headline, an agency credit and a reader footer.
	reprint := putDoc(t, in, src("b"), "http://127.0.0.1/b/appeal-reprint", "Unions call for release of Kazakh workers",
		"LONDON (Labour Wire) — "+appeal+"\nShare this article. Comments are closed.", day.Add(26*time.Hour))
	// A shortened copy: the first two thirds.
	lines := strings.Split(appeal, "\n")
	short := putDoc(t, in, src("c"), "http://127.0.0.1/c/short", "Appeal for Zhanaozen", strings.Join(lines[:4], "\n"), day.Add(48*time.Hour))
	// Another story about the same events and people.
	other := putDoc(t, in, src("d"), "http://127.0.0.1/d/trial", "Zhanaozen trial opens", otherStory, day.Add(50*time.Hour))
	// The appeal again, but dated a year later: outside the window.
	late := putDoc(t, in, src("e"), "http://127.0.0.1/e/anniversary", "A year after Zhanaozen", appeal+"\nOne year on.", day.AddDate(1, 0, 0))

	cluster := func(a *model.Article) int64 {
		got, err := st.Article(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.ClusterID
	}
	if cluster(reprint) != orig.ID || cluster(short) != orig.ID {
		t.Errorf("copies: reprint in %d, short in %d, want both in %d", cluster(reprint), cluster(short), orig.ID)
	}
	if cluster(other) != other.ID {
		t.Errorf("another story about the same events joined cluster %d", cluster(other))
	}
	if cluster(late) != late.ID {
		t.Errorf("a copy a year later joined cluster %d; copies are looked for within %d days", cluster(late), copyWindow)
	}
	members, err := st.ClusterMembers(context.Background(), orig.ID)
	if err != nil || len(members) != 3 || members[0].ID != orig.ID {
		t.Errorf("cluster members = %+v, %v; want 3, the original first", members, err)
	}
}

func TestACopyOfTwoStoriesMergesThem(t *testing.T) {
	in, _, _, st := setup(t)
	day := time.Date(2011, 12, 20, 9, 0, 0, 0, time.UTC)
	lines := strings.Split(appeal, "\n")
	first := putDoc(t, in, all, "http://127.0.0.1/a/1", "Part one", strings.Join(lines[:3], "\n"), day)
	second := putDoc(t, in, all, "http://127.0.0.1/a/2", "Part two", strings.Join(lines[3:], "\n"), day)
	if first.ClusterID == second.ClusterID {
		t.Fatalf("two halves of a text with nothing in common share cluster %d", first.ClusterID)
	}
	b := all
	b.ID = "b"
	whole := putDoc(t, in, b, "http://127.0.0.1/b/whole", "The whole appeal", appeal, day)
	for _, a := range []*model.Article{first, second, whole} {
		got, _ := st.Article(context.Background(), a.ID)
		if got.ClusterID != first.ID {
			t.Errorf("article %d in cluster %d, want %d (merged)", a.ID, got.ClusterID, first.ID)
		}
	}
}

// TestTheSameArticleAtANewURLIsAMove: a source announcing its own stored
// article under a new URL (a changed permalink) makes no second article;
// the item leads to the stored one, which is revisited at the new URL. A
// shortened version on the same site stays a copy of its own.
func TestTheSameArticleAtANewURLIsAMove(t *testing.T) {
	in, _, _, st := setup(t)
	ctx := context.Background()
	day := time.Date(2011, 12, 20, 9, 0, 0, 0, time.UTC)
	put := func(url, title, text string) (model.Outcome, *model.Article) {
		t.Helper()
		o, a, err := in.Put(ctx, all, &model.Document{URL: url, ItemURL: url, Title: title, Text: text, Published: day,
			Provenance: model.ProvenanceCrawl, Fetch: &model.Fetch{URL: url}})
		if err != nil {
			t.Fatal(err)
		}
		return o, a
	}
	_, orig := put("http://127.0.0.1/news/appeal", "Solidarity with the Zhanaozen oil workers", appeal)
	o, a := put("http://127.0.0.1/2011/12/20/appeal", "Solidarity with the Zhanaozen oil workers", appeal+"\nShare this article.")
	if o != model.OutcomeUnchanged || a.ID != orig.ID {
		t.Fatalf("the article at its new URL: %s, article %d; want unchanged, article %d", o, a.ID, orig.ID)
	}
	rv, err := st.Revisit(ctx, orig.ID)
	if err != nil || rv.URL != "http://127.0.0.1/2011/12/20/appeal" {
		t.Errorf("revisited at %+v, %v; want the new URL", rv, err)
	}
	if evs, _ := st.Events(ctx, orig.ID); len(evs) != 1 || evs[0].Kind != model.EventMoved {
		t.Errorf("events = %+v, want one move", evs)
	}
	lines := strings.Split(appeal, "\n")
	o, short := put("http://127.0.0.1/news/appeal-short", "Solidarity with the Zhanaozen oil workers", strings.Join(lines[:3], "\n"))
	if o != model.OutcomeNew || short.ClusterID != orig.ID {
		t.Errorf("a shortened version on the same site: %s in cluster %d; want a new copy in cluster %d", o, short.ClusterID, orig.ID)
	}
}

// TestSketchMissingJoinsArticlesStoredBefore: articles stored before copies
// were detected get their sketches at start, and copies among them and
// with new articles join one story.
func TestSketchMissingJoinsArticlesStoredBefore(t *testing.T) {
	in, _, _, st := setup(t)
	ctx := context.Background()
	day := time.Date(2011, 12, 20, 9, 0, 0, 0, time.UTC)
	var ids []int64
	for i, text := range []string{appeal, "(Labour Wire) " + appeal, otherStory, "Too short to sketch."} {
		a := &model.Article{URL: fmt.Sprintf("http://127.0.0.1/old/%d", i), SourceID: fmt.Sprintf("s%d", i), Title: "t", Text: text,
			Published: day, FirstSeen: day, LastChecked: day, State: model.StateLive, Provenance: model.ProvenanceCrawl,
			ContentHash: ContentHash("t", text)}
		if err := st.CreateArticle(ctx, a, nil, ""); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	n, err := in.SketchMissing(ctx)
	if err != nil || n != 4 {
		t.Fatalf("sketched %d, %v; want 4", n, err)
	}
	cluster := func(id int64) int64 { a, _ := st.Article(ctx, id); return a.ClusterID }
	if cluster(ids[1]) != ids[0] || cluster(ids[2]) != ids[2] || cluster(ids[3]) != ids[3] {
		t.Errorf("clusters after sketching: %d %d %d %d", cluster(ids[0]), cluster(ids[1]), cluster(ids[2]), cluster(ids[3]))
	}
	if n, _ := in.SketchMissing(ctx); n != 0 {
		t.Errorf("a second pass sketched %d again", n)
	}
	b := all
	b.ID = "new"
	fresh := putDoc(t, in, b, "http://127.0.0.1/new/appeal", "Appeal", appeal+"\nShare this.", day.Add(time.Hour))
	if cluster(fresh.ID) != ids[0] {
		t.Errorf("a new copy of an old story is in cluster %d, want %d", cluster(fresh.ID), ids[0])
	}
}
