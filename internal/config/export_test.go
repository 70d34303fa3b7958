package config

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

// What WriteSources writes reads back as the same sources, defaults and
// all, with the characters YAML would misread quoted.
func TestWriteSourcesRoundTrip(t *testing.T) {
	sources := []model.Source{
		{ID: "tengri", Name: "Tengrinews: «Новости»", Type: model.SourceFeed, URL: "https://tengrinews.kz/news.rss?a=1&b=#x",
			Stance: model.StanceState, Lang: "ru", Every: 90 * time.Minute, Keep: model.KeepTopic},
		{ID: "plain", Name: "plain", Type: model.SourceFeed, URL: "http://127.0.0.1/feed", Stance: model.StanceUnknown,
			Every: time.Hour, Keep: model.KeepAll},
		{ID: "list", Name: "yes", Type: model.SourcePage, URL: "http://127.0.0.1/list", Stance: model.StanceCampaign,
			Every: 2*time.Hour + 30*time.Minute, Keep: model.KeepAll,
			Selectors: &model.Selectors{Item: "li.item, div > p", Link: "a[href]", Date: "time", MaxPages: 3},
			Revisit:   []time.Duration{time.Hour, 24 * time.Hour}, RunBudget: 5 * time.Minute, AllowPrivate: true},
		{ID: "map", Name: "Map", Type: model.SourceSitemap, URL: "http://127.0.0.1/sitemap.xml", Stance: model.StanceIndependent,
			Every: 6 * time.Hour, Keep: model.KeepAll, RevisitOff: true},
	}
	var b bytes.Buffer
	if err := WriteSources(&b, sources); err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse([]byte("topics:\n  - {id: z, query: zhanaozen}\n"+b.String()), "export.yaml")
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if !reflect.DeepEqual(cfg.Sources, sources) {
		t.Errorf("read back:\n%+v\nwant\n%+v\nfrom\n%s", cfg.Sources, sources, b.String())
	}
	if strings.Contains(b.String(), "stance: unknown") || strings.Contains(b.String(), "every: 1h\n") {
		t.Errorf("defaults written out:\n%s", b.String())
	}
}
