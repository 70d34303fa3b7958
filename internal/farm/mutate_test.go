package farm

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"

	"presswatch/crawler/extract"
	"presswatch/crawler/fetch"
	"presswatch/internal/wdiff"
)

func TestEditBody(t *testing.T) {
	tests := map[string]struct {
		in, want []string
	}{
		"a toll is corrected":           {[]string{"Police fired: 14 killed.", "Later 30 more."}, []string{"Police fired: 16 killed.", "Later 30 more."}},
		"the last digit wraps":          {[]string{"In 2019 the strike."}, []string{"In 2011 the strike."}},
		"the first number of the text":  {[]string{"No figures here.", "Then 7 and 9."}, []string{"No figures here.", "Then 9 and 9."}},
		"a number inside a word":        {[]string{"Желтоқсанның 16-сы күні"}, []string{"Желтоқсанның 18-сы күні"}},
		"no digit: a figure is added":   {[]string{"Strikers gathered.", "Police came."}, []string{"Strikers gathered. (16)", "Police came."}},
		"digits of other scripts stand": {[]string{"١٤ and 3"}, []string{"١٤ and 5"}},
		"a character reference is no number": {[]string{"we had a pastors&#8217; convention", "on day &#x2019;3"},
			[]string{"we had a pastors&#8217; convention", "on day &#x2019;5"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			in := slices.Clone(tt.in)
			if got := editBody(in); !slices.Equal(got, tt.want) {
				t.Errorf("editBody(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if !slices.Equal(in, tt.in) {
				t.Errorf("editBody changed its argument to %q", in)
			}
		})
	}
}

// extractText returns the title and text presswatch's extractor finds in
// page u.
func extractText(t *testing.T, u string, body []byte) string {
	t.Helper()
	page, _, _ := fetch.DecodeHTML(body, "text/html; charset=utf-8")
	res, err := extract.Page(page, u)
	if err != nil {
		t.Fatalf("%s: %v", u, err)
	}
	return res.Title + "\n" + res.Text
}

// changedWords is how many words of old and of new lie between their
// common start and their common end.
func changedWords(old, new string) (int, int) {
	a, b := strings.Fields(old), strings.Fields(new)
	pre := 0
	for pre < min(len(a), len(b)) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < min(len(a), len(b))-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	return len(a) - pre - suf, len(b) - pre - suf
}

// TestMutate checks what a revisit must find: exactly the items picked
// are edited (one word of the extracted text changed) or gone (404), and
// every other page is what it was, byte for byte.
func TestMutate(t *testing.T) {
	fm := start(t, Options{Hosts: 4, FeedsPerHost: 2, ItemsPerFeed: 25, Seed: 5})
	items := fm.Items()
	before := map[string][]byte{}
	for _, it := range items {
		_, before[it.URL] = get(t, it.URL)
	}
	m, err := fm.Mutate(0.05, 0.05, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Edited) != 10 || len(m.Removed) != 10 {
		t.Fatalf("Mutate(0.05, 0.05) of 200 items: %d edited, %d removed; want 10 and 10", len(m.Edited), len(m.Removed))
	}
	edited, gone := map[string]Item{}, map[string]bool{}
	for _, it := range m.Edited {
		edited[it.URL] = it
	}
	for _, it := range m.Removed {
		gone[it.URL] = true
		if _, ok := edited[it.URL]; ok {
			t.Errorf("%s both edited and removed", it.URL)
		}
	}
	fm.ResetStats()
	for _, it := range items {
		resp, body := get(t, it.URL)
		status := resp.StatusCode
		switch {
		case gone[it.URL]:
			if status != http.StatusNotFound {
				t.Errorf("removed %s: %d, want 404", it.URL, status)
			}
		case edited[it.URL].URL != "":
			text := extractText(t, it.URL, body)
			// One number changed, or, in a text without one, one added.
			out, in := changedWords(extractText(t, it.URL, before[it.URL]), text)
			if status != 200 || in != 1 || out > 1 {
				t.Errorf("edited %s: %d; the extracted text has %d words in place of %d; want one word changed or added",
					it.URL, status, in, out)
			}
			if got := edited[it.URL].Body; !strings.Contains(text, got[0][:min(len(got[0]), 40)]) || slices.Equal(got, it.Body) {
				t.Errorf("edited %s: the Item's body is not the served one", it.URL)
			}
		default:
			if status != 200 || !bytes.Equal(body, before[it.URL]) {
				t.Errorf("unchanged %s: %d, the page changed", it.URL, status)
			}
		}
	}
	if s := fm.Stats(); s.Edited != 10 || s.Gone != 10 || s.Pages != 190 {
		t.Errorf("stats: %d edited, %d gone, %d pages; want 10, 10, 190", s.Edited, s.Gone, s.Pages)
	}

	// The same seed picks the same items, another seed others.
	again, _ := fm.Mutate(0.05, 0.05, 1)
	if !slices.EqualFunc(again.Edited, m.Edited, sameURL) || !slices.EqualFunc(again.Removed, m.Removed, sameURL) {
		t.Error("Mutate with the same seed picked other items")
	}
	other, _ := fm.Mutate(0.05, 0.05, 2)
	if slices.EqualFunc(other.Edited, m.Edited, sameURL) {
		t.Error("Mutate with another seed picked the same items")
	}
	// Restored, every page is as it was.
	if _, err := fm.Mutate(0, 0, 0); err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if _, body := get(t, it.URL); !bytes.Equal(body, before[it.URL]) {
			t.Errorf("%s after Mutate(0, 0, 0): not the page of before", it.URL)
		}
	}
}

func sameURL(a, b Item) bool { return a.URL == b.URL }

func TestMutateRefuses(t *testing.T) {
	fm := start(t, Options{})
	for name, shares := range map[string][2]float64{"negative": {-0.1, 0}, "over one": {0.6, 0.5}} {
		if _, err := fm.Mutate(shares[0], shares[1], 1); err == nil {
			t.Errorf("%s shares: no error", name)
		}
	}
	real := start(t, Options{Pages: [][]byte{[]byte("<html><body><p>a page</p></body></html>")}})
	if _, err := real.Mutate(0.1, 0, 1); err == nil {
		t.Error("an edit of real pages: no error")
	}
	if m, err := real.Mutate(0, 0.2, 1); err != nil || len(m.Removed) != 6 {
		t.Errorf("removing real pages: %d removed, %v; want 6", len(m.Removed), err)
	}
}

// TestEditsAreEdits checks the edit of 2,000 generated articles against
// presswatch's own rule for an edit (wdiff.Substantive), which compares
// texts normalised: a changed digit in a character reference, which the
// normalised text no longer holds, made one edit of the revisit section's
// 100 invisible (item 3-7 of host 24, seed 4, among these).
func TestEditsAreEdits(t *testing.T) {
	fm := start(t, Options{Hosts: 25, FeedsPerHost: 10, ItemsPerFeed: 8, Seed: 4})
	for h := range 25 {
		for f := range 10 {
			for n := range 8 {
				body := fm.article(key{h, f, n}).body
				old, now := strings.Join(body, "\n\n"), strings.Join(editBody(body), "\n\n")
				if !wdiff.Substantive(old, now) {
					t.Errorf("the edit of item %d-%d of host %d is no edit once normalised", f, n, h)
				}
			}
		}
	}
}
