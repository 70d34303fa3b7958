package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

// TestDigestAtomNamesSources holds that a digest's feed names its sources
// by name, the copies' and the failed sources', even when the digest was
// built while they had only their ids.
func TestDigestAtomNamesSources(t *testing.T) {
	f := newDigestsFixture(t, true)
	sources := func(named bool) []model.Source {
		var srcs []model.Source
		for _, s := range []struct {
			id, name string
			stance   model.Stance
		}{{"azattyq", "Azattyq", model.StanceIndependent}, {"kazpravda", "Kazakhstanskaya Pravda", model.StanceState}, {"blog", "Strike blog", model.StanceCampaign}} {
			if !named {
				s.name = ""
			}
			srcs = append(srcs, model.Source{ID: s.id, Name: s.name, Type: model.SourceFeed, URL: "https://" + s.id + ".example/feed",
				Stance: s.stance, Lang: "en", Every: time.Hour, Keep: model.KeepAll})
		}
		return srcs
	}
	for _, named := range []bool{false, true} {
		if err := f.st.SyncSources(context.Background(), sources(named)); err != nil {
			t.Fatal(err)
		}
		if !named {
			f.make(t) // built with the ids alone
		}
	}
	doc, _ := f.feed(t)
	if len(doc.Entries) != 1 {
		t.Fatalf("%d entries, want 1", len(doc.Entries))
	}
	body := doc.Entries[0].Content.Body
	for _, want := range []string{"Azattyq · independent", "Strike blog · campaign", "Also carried by 1 site: Kazakhstanskaya Pravda (en)",
		"Kazakhstanskaya Pravda could not be reached"} {
		if !strings.Contains(body, want) {
			t.Errorf("the feed's digest lacks %q", want)
		}
	}
	for _, id := range []string{">azattyq ·", ">blog ·", "kazpravda (en)", "kazpravda could not"} {
		if strings.Contains(body, id) {
			t.Errorf("the feed's digest names a source by its id: %q", id)
		}
	}
}
