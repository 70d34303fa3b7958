package ingest

import (
	"context"
	"testing"
	"time"

	"presswatch/internal/model"
)

// A crawl's return to a text that captures saw more than once names the
// version shown for it, not a sighting folded into it.
func TestAReturnNamesAVersionShown(t *testing.T) {
	ctx := context.Background()
	in, _, _, st := setup(t)
	url := "http://127.0.0.1/ret"
	for _, c := range []capture{{1, "Strike in Zhanaozen"}, {2, "Strike in Zhanaozen"}} {
		if _, _, err := in.Put(ctx, all, captureDoc(url, c)); err != nil {
			t.Fatal(err)
		}
	}
	in.now = func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }
	if _, _, err := in.Put(ctx, all, doc(url, "Strike in Zhanaozen ends")); err != nil {
		t.Fatal(err)
	}
	in.now = func() time.Time { return time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC) }
	if _, _, err := in.Put(ctx, all, doc(url, "Strike in Zhanaozen")); err != nil {
		t.Fatal(err)
	}
	a, _ := st.ArticleByURL(ctx, url)
	vs, _ := st.Versions(ctx, a.ID)
	es, _ := st.Events(ctx, a.ID)
	shown := map[int64]bool{}
	for _, v := range vs {
		shown[v.ID] = true
	}
	last := es[len(es)-1]
	if !shown[last.VersionID] {
		t.Errorf("the return's event names version %d; the versions shown are %v", last.VersionID, shown)
	}
}

// presswatch's own read of the page, newer than a capture, keeps its text:
// its unchanged re-reads leave no version, but they count.
func TestAnOlderCaptureKeepsPresswatchsNewerRead(t *testing.T) {
	ctx := context.Background()
	in, _, _, st := setup(t)
	url := "http://127.0.0.1/own"
	in.now = func() time.Time { return time.Date(2011, 12, 1, 0, 0, 0, 0, time.UTC) }
	if _, _, err := in.Put(ctx, all, doc(url, "Strike in Zhanaozen")); err != nil {
		t.Fatal(err)
	}
	in.now = func() time.Time { return time.Date(2011, 12, 10, 0, 0, 0, 0, time.UTC) }
	if o, _, err := in.Put(ctx, all, doc(url, "Strike in Zhanaozen")); err != nil || o != model.OutcomeUnchanged {
		t.Fatal(o, err)
	}
	// A capture another tool made on 5 December showing another text.
	if _, _, err := in.Put(ctx, all, captureDoc(url, capture{5, "Strike in Zhanaozen ends"})); err != nil {
		t.Fatal(err)
	}
	a, _ := st.ArticleByURL(ctx, url)
	if a.Text != "Strike in Zhanaozen" {
		t.Errorf("article says %q after a 5 December capture; presswatch itself read %q on 10 December", a.Text, "Strike in Zhanaozen")
	}
}

// Two captures made in the same second (WARC-Date and Wayback times have
// second precision) give the same article in either order: their
// addresses order them.
func TestCapturesOfOneSecondInAnyOrder(t *testing.T) {
	ctx := context.Background()
	in, _, _, st := setup(t)
	got := map[string]bool{}
	for i, order := range [][]string{{"one", "two"}, {"two", "one"}} {
		url := "http://127.0.0.1/tie" + string(rune('a'+i))
		for j, text := range order {
			d := captureDoc(url, capture{1, text})
			d.Fetch.Capture = "file:///c.warc#" + text + string(rune('0'+j))
			if _, _, err := in.Put(ctx, all, d); err != nil {
				t.Fatal(err)
			}
		}
		a, _ := st.ArticleByURL(ctx, url)
		got[a.Text] = true
	}
	if len(got) != 1 {
		t.Errorf("the same two captures read in two orders give articles saying %v", got)
	}
}
