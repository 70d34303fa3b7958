package crawler

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

// TestRunBudgetLeavesTheRestForTheNextRun: a site whose first three
// articles answer at once and whose other seven stall until released. A
// run with a small budget stores the three, marks none failed and says how
// many it left; the next run, once the site answers, reads the seven.
func TestRunBudgetLeavesTheRestForTheNextRun(t *testing.T) {
	const fast, slow = 3, 7
	release := make(chan struct{})
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	var paths []string
	for i := range fast {
		paths = append(paths, fmt.Sprintf("/fast%d", i))
	}
	for i := range slow {
		paths = append(paths, fmt.Sprintf("/slow%d", i))
	}
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, rss(srv.URL, paths...)) })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/slow") {
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
		io.WriteString(w, "<html>article</html>")
	})

	c, st, sink := newTestCrawler(t)
	c.opts.ItemWorkers = 1 // items in listing order: the fast ones first
	src := model.Source{ID: "s", Type: model.SourceFeed, URL: srv.URL + "/feed", Every: time.Hour,
		RunBudget: 500 * time.Millisecond}
	rep := c.Run(context.Background(), src)
	if rep.Err != nil || rep.New != fast || rep.Failed != 0 || rep.Left != slow || rep.Budget != src.RunBudget {
		t.Fatalf("first run: %v (left %d, budget %s); want %d new, %d left", rep, rep.Left, rep.Budget, fast, slow)
	}
	if len(sink.docs) != fast || len(sink.failed) != 0 {
		t.Fatalf("after the first run: %d stored, failed %v; want %d stored, none failed", len(sink.docs), sink.failed, fast)
	}
	want := "run budget of 500ms used; 7 items left for the next run"
	if s := st.states["s"]; s.ErrorKind != "" || s.Error != want || s.LastSuccess.IsZero() || !strings.Contains(rep.String(), want) {
		t.Errorf("state %+v, report %q; want a healthy source noting %q", s, rep, want)
	}

	close(release)
	rep = c.Run(context.Background(), src)
	if rep.Err != nil || rep.New != slow || rep.Left != 0 || rep.Budget != 0 || len(sink.docs) != fast+slow {
		t.Fatalf("second run: %v (left %d); %d stored, want all %d", rep, rep.Left, len(sink.docs), fast+slow)
	}
	if s := st.states["s"]; s.Error != "" {
		t.Errorf("after a run within its budget the note stays: %q", s.Error)
	}
}
