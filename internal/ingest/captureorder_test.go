package ingest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/store"
)

// capture is one capture of a page someone else made: when, and what it
// showed.
type capture struct {
	day  int // day of December 2011
	text string
}

func captureDoc(url string, c capture) *model.Document {
	at := time.Date(2011, 12, c.day, 12, 0, 0, 0, time.UTC)
	return &model.Document{URL: url, Title: "Report", Text: c.text, Provenance: model.ProvenanceArchive,
		Fetch: &model.Fetch{URL: url, Status: 200, SHA256: "00", CapturedAt: at, Capture: fmt.Sprintf("file:///c.warc#%d", c.day)}}
}

// collapse is texts with each run of one text kept once.
func collapse(texts []string) []string { return slices.Compact(slices.Clone(texts)) }

func permutations(n int) [][]int {
	if n == 1 {
		return [][]int{{0}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := slices.Insert(slices.Clone(p), i, n-1)
			out = append(out, q)
		}
	}
	return out
}

// Captures of one page read in any order (a WARC file holding the later
// capture first, a web archive's listing read after an import of newer
// captures) give the same article: the newest capture's text, and a
// history in capture order that has every change any capture showed.
func TestCapturesInAnyOrderKeepCaptureOrder(t *testing.T) {
	ctx := context.Background()
	in, _, _, st := setup(t)
	sets := map[string][]capture{
		"comes-back": {{1, "Strike in Zhanaozen"}, {2, "Strike in Zhanaozen ends"}, {3, "Strike in Zhanaozen"},
			{4, "Strike in Zhanaozen"}, {5, "Shooting in Zhanaozen"}},
		"long-runs": {{1, "Strike in Zhanaozen"}, {2, "Strike in Zhanaozen"}, {3, "Strike in Zhanaozen ends"},
			{4, "Strike in Zhanaozen"}, {5, "Strike in Zhanaozen"}},
		"all-new": {{1, "one"}, {2, "two"}, {3, "three"}, {4, "four"}},
	}
	if testing.Short() {
		// The race detector's run: the set that exercises every case.
		sets = map[string][]capture{"comes-back": sets["comes-back"]}
	}
	for name, caps := range sets {
		var want []string
		byTime := map[time.Time]string{}
		for _, c := range caps {
			want = append(want, c.text)
			byTime[captureDoc("", c).Fetch.CapturedAt] = c.text
		}
		want = collapse(want)
		newest := caps[len(caps)-1].text
		for n, order := range permutations(len(caps)) {
			url := fmt.Sprintf("http://127.0.0.1/%s/%d", name, n)
			for _, i := range order {
				if _, _, err := in.Put(ctx, all, captureDoc(url, caps[i])); err != nil {
					t.Fatalf("%s, order %v: %v", name, order, err)
				}
			}
			a, err := st.ArticleByURL(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			if a.Text != newest {
				t.Fatalf("%s, read in the order %v: the article says %q; want the newest capture's %q", name, order, a.Text, newest)
			}
			vs, err := st.Versions(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			var texts []string
			for _, v := range vs {
				texts = append(texts, v.Text)
				if byTime[v.Seen] != v.Text {
					t.Fatalf("%s, order %v: a version seen at %v says %q; the capture then said %q", name, order, v.Seen, v.Text, byTime[v.Seen])
				}
				f, err := st.Fetch(ctx, v.FetchID)
				if err != nil || !f.CapturedAt.Equal(v.Seen) {
					t.Fatalf("%s, order %v: the version seen at %v has fetch %+v, %v; want the capture made then", name, order, v.Seen, f, err)
				}
			}
			if !slices.Equal(texts, want) {
				t.Fatalf("%s, read in the order %v: the history says %q; the captures said %q, a version for each run of one text", name, order, texts, want)
			}
		}
	}
}

// The same capture read twice adds nothing, and a later capture of an
// unchanged page adds no version; an edit read after the captures around
// it splits their run where it was seen.
func TestRepeatedCapturesDoNotPileUp(t *testing.T) {
	ctx := context.Background()
	in, _, _, st := setup(t)
	url := "http://127.0.0.1/still"
	steps := []struct {
		c    capture
		want model.Outcome
	}{
		{capture{1, "Strike in Zhanaozen"}, model.OutcomeNew},
		{capture{1, "Strike in Zhanaozen"}, model.OutcomeUnchanged},
		{capture{2, "Strike in Zhanaozen"}, model.OutcomeUnchanged},
		{capture{3, "Strike in Zhanaozen"}, model.OutcomeUnchanged},
		{capture{9, "Strike in Zhanaozen"}, model.OutcomeUnchanged},
		{capture{4, "Strike in Zhanaozen"}, model.OutcomeUnchanged},
		{capture{5, "Strike in Zhanaozen ends"}, model.OutcomeUpdated},
	}
	for _, s := range steps {
		got, _, err := in.Put(ctx, all, captureDoc(url, s.c))
		if err != nil || got != s.want {
			t.Fatalf("capture of day %d: outcome %v, %v; want %v", s.c.day, got, err, s.want)
		}
	}
	days, text := seenDays(t, st, url)
	if !slices.Equal(days, []int{1, 5, 9}) || text != "Strike in Zhanaozen" {
		t.Errorf("versions seen on days %v, text %q; want 1, 5 (the edit) and 9 (the text again after it), and the day 9 text", days, text)
	}
}

// An older capture of a run's text moves the run's version back to it.
func TestEarlierCaptureMovesTheFirstSightBack(t *testing.T) {
	ctx := context.Background()
	in, _, _, st := setup(t)
	url := "http://127.0.0.1/back"
	for _, c := range []capture{{1, "Strike in Zhanaozen"}, {5, "Strike in Zhanaozen ends"}, {7, "Strike in Zhanaozen ends"}, {3, "Strike in Zhanaozen ends"}} {
		if _, _, err := in.Put(ctx, all, captureDoc(url, c)); err != nil {
			t.Fatal(err)
		}
	}
	if days, text := seenDays(t, st, url); !slices.Equal(days, []int{1, 3}) || text != "Strike in Zhanaozen ends" {
		t.Errorf("versions seen on days %v, text %q; want 1 and 3 (the edit's first sight)", days, text)
	}
}

// seenDays is the days of December 2011 the versions of the article at url
// were seen, oldest first, and the article's text.
func seenDays(t *testing.T, st *store.Store, url string) ([]int, string) {
	t.Helper()
	a, err := st.ArticleByURL(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	vs, err := st.Versions(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var days []int
	for _, v := range vs {
		days = append(days, v.Seen.Day())
	}
	return days, a.Text
}

// Material without a capture time (a plain file, an e-mail) is read as of
// now: a new text replaces the article's, as before.
func TestImportWithoutCaptureTimeReplaces(t *testing.T) {
	ctx := context.Background()
	in, _, _, st := setup(t)
	url := "http://127.0.0.1/plain"
	for _, text := range []string{"Strike in Zhanaozen", "Strike in Zhanaozen ends"} {
		d := &model.Document{URL: url, Title: "Report", Text: text, Provenance: model.ProvenanceImport,
			Fetch: &model.Fetch{URL: url, Status: 200, SHA256: "00"}}
		if _, _, err := in.Put(ctx, all, d); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := st.ArticleByURL(ctx, url)
	if vs, _ := st.Versions(ctx, a.ID); a.Text != "Strike in Zhanaozen ends" || len(vs) != 2 {
		t.Errorf("text %q, %d versions; want the second text and two versions", a.Text, len(vs))
	}
}
