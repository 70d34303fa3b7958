package web

import (
	"strings"
	"testing"

	"presswatch/internal/model"
)

// The search page offers the articles' state at the source as a facet,
// and state= filters, as index.ParseRequest reads it.
func TestSearchStateFacet(t *testing.T) {
	arts := spArticles()
	arts[1].State = model.StateRemoved
	arts[0].State = model.StateEdited
	srv := newSearchServer(t, arts, true)
	_, body := get(t, srv.URL+"/search?q=Жанаозене")
	for _, want := range []string{"At the source", "state=removed", ">removed</a>", "state=edited", ">edited</a>"} {
		if !strings.Contains(body, want) {
			t.Errorf("search page lacks %q", want)
		}
	}
	_, body = get(t, srv.URL+"/search?q=Жанаозене&state=removed")
	if !strings.Contains(body, "1 article") || !strings.Contains(body, "/articles/2") || strings.Contains(body, `href="/articles/1"`) {
		t.Errorf("state=removed does not keep only the removed article:\n%.2000s", body)
	}
}
