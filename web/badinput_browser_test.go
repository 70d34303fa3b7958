package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/store"
)

// Hostile but valid texts a page must lay out: 500 characters without a
// space, right-to-left Arabic and Hebrew, emoji (joined, flags, skin
// tones) and a pile of combining marks.
var (
	long500   = strings.Repeat("Жанаозен", 62) + "ен.." // 500 characters, no space
	arabic    = "إضراب عمال النفط في جاناوزين: الشرطة تطلق النار على المضربين في ساحة المدينة"
	hebrew    = "שביתת עובדי הנפט בז'נאוזן: המשטרה פתחה באש על השובתים בכיכר העיר"
	emoji     = "Strike 👩🏽‍🔧👨‍👩‍👧‍👦🇰🇿🛢️🔥 " + strings.Repeat("🛢️", 80)
	combining = "Z̸̡̛̤̟̼̖̣̩͓̠͇̈́̓̀̈́͐̅̕͝ḩ̵̢̛̪̙̭̤̘̮̦̓͌̈́̃̽̆̚a̷̧̛̮͎̖̯̫̾̇̈͗̀͝n̴̨̛̠̣̗̺̞̟͊̏̐̕͠a̶̢̰̬̩̤̫̗̗̐̈͗̑̂̚͝ͅo̷̢̙̻̤̰̭͓̔̉̌͐̿̑̚ẓ̶̨̛̗̙͍̪̣̀̈́̒̔̏͘ȩ̴̛̖̮̝̹̭̃̆̀̿̚͠ņ̷̛̟̠̯̲̜̀̔̐̃͘͝ " + strings.Repeat("a\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308", 60)
)

// hostileSources are sources named with the texts above.
func hostileSources() []model.Source {
	mk := func(id, name string, st model.Stance) model.Source {
		return model.Source{ID: id, Name: name, Type: model.SourceFeed, Stance: st, Lang: "ru", Every: time.Hour, Keep: model.KeepAll,
			URL: "https://" + id + ".example/" + strings.Repeat("segment/", 30) + "feed.xml"}
	}
	return []model.Source{
		mk("long-name", long500, model.StanceIndependent),
		mk("arabic", arabic, model.StanceInternational),
		mk("hebrew", hebrew, model.StanceState),
		mk("emoji", emoji, model.StanceCampaign),
		mk("combining", combining, model.StanceUnknown),
	}
}

func hostileArticles() []*model.Article {
	seen := time.Date(2011, 12, 17, 8, 0, 0, 0, time.UTC)
	titles := []string{long500, arabic, hebrew, emoji, combining}
	var arts []*model.Article
	for i, src := range hostileSources() {
		arts = append(arts, &model.Article{URL: fmt.Sprintf("https://%s.example/%s/%d", src.ID, strings.Repeat("x", 300), i), SourceID: src.ID,
			Lang: "ru", Title: titles[i], Published: seen.Add(-time.Duration(i) * time.Hour), FirstSeen: seen,
			Text: "Zhanaozen " + titles[(i+1)%len(titles)] + " " + titles[i] + "\n\n" + long500 + " Zhanaozen oil workers.", ContentHash: src.ID})
	}
	return arts
}

// hostileTopics are topics named with the texts above.
func hostileTopics(st *store.Store) {
	var topics []model.Topic
	for i, name := range []string{strings.Repeat("нефтяники", 55) + "нефтя", arabic, hebrew, emoji, combining} {
		topics = append(topics, model.Topic{ID: fmt.Sprintf("topic-%d", i), Name: name, Query: "Zhanaozen"})
	}
	if _, err := st.SyncTopics(context.Background(), topics); err != nil {
		panic(err)
	}
	sourcesRun(st)
}

// TestHostileTextsKeepTheLayout holds that names and titles of 500
// characters without a space, right-to-left text, emoji and combining
// marks leave the search, article, sources and topics pages no wider than
// the screen, at 1280 px and at 375 px, in Chromium.
func TestHostileTextsKeepTheLayout(t *testing.T) {
	if n := len([]rune(long500)); n != 500 {
		t.Fatalf("the long name has %d characters", n)
	}
	chrome := chromiumOrSkip(t)
	srv := newStoreServerAs(t, hostileSources(), hostileArticles(), true, hostileTopics)
	pages := []string{"/search?q=Zhanaozen", "/search?q=Zhanaozen&collapse=story", "/sources", "/topics"}
	for i := range hostileSources() {
		pages = append(pages, fmt.Sprintf("/articles/%d", i+1))
	}
	for _, width := range layoutWidths {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			tab := browserAt(t, chrome, width)
			for _, p := range pages {
				fits(t, tab, srv.URL, p, width)
			}
		})
	}
}
