package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

// The search page with 20 highlighted results, facets and the timeline
// stays light: the bound is 100 KB without article text.
func TestSearchPageWeight(t *testing.T) {
	var arts []*model.Article
	srcs := []string{"khabar", "azattyq", "akorda", "dw"}
	for i := range 400 {
		day := time.Date(2011, 12, 1+i%28, 10, 0, 0, 0, almaty)
		arts = append(arts, &model.Article{ID: int64(i + 1), SourceID: srcs[i%len(srcs)], Lang: []string{"ru", "en", "de"}[i%3],
			URL: fmt.Sprintf("https://example.org/%d", i), Published: day, FirstSeen: day.Add(time.Hour),
			Title: fmt.Sprintf("Zhanaozen report number %d on the strike of the oil workers", i),
			Text:  strings.Repeat("The strike in Zhanaozen went on while the oil workers waited for an answer. ", 60)})
	}
	srv := newSearchServer(t, arts, true)
	res, body := get(t, srv.URL+"/search?q=Zhanaozen")
	if res.StatusCode != 200 || strings.Count(body, "<mark>") < 20 {
		t.Fatalf("status %d, %d marks", res.StatusCode, strings.Count(body, "<mark>"))
	}
	if n := len(body); n > 100<<10 {
		t.Errorf("the search page weighs %d KB, want under 100 KB", n>>10)
	} else {
		t.Logf("search page: %d KB for 20 results of %d", n>>10, len(arts))
	}
}
