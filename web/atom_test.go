package web

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

// feedDoc reads an Atom feed independently of the structs that write it.
type feedDoc struct {
	XMLName xml.Name
	ID      string `xml:"id"`
	Title   string `xml:"title"`
	Updated string `xml:"updated"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Published string `xml:"published"`
		Updated   string `xml:"updated"`
		Author    string `xml:"author>name"`
		Summary   string `xml:"summary"`
		Links     []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

func readFeed(t *testing.T, url string) feedDoc {
	t.Helper()
	res, body := get(t, url)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Fatalf("status %d, type %s: %s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	var f feedDoc
	if err := xml.Unmarshal([]byte(body), &f); err != nil {
		t.Fatalf("not XML: %v\n%s", err, body)
	}
	if f.XMLName.Space != "http://www.w3.org/2005/Atom" || f.XMLName.Local != "feed" {
		t.Fatalf("root %v, want Atom feed", f.XMLName)
	}
	return f
}

func TestAtomFeed(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	f := readFeed(t, srv.URL+"/search.atom?q=Жанаозене&sort=oldest")
	if f.ID != readFeed(t, srv.URL+"/search.atom?q=Жанаозене").ID || !strings.HasPrefix(f.ID, "tag:presswatch,2024:search?") {
		t.Errorf("feed id %q is not stable", f.ID)
	}
	if len(f.Entries) < 2 || f.Title != "presswatch: Жанаозене" {
		t.Fatalf("title %q, %d entries", f.Title, len(f.Entries))
	}
	var prev string
	for _, e := range f.Entries {
		// Most recently first seen first (sort=oldest is not the feed's).
		if prev != "" && e.Updated > prev {
			t.Errorf("entry %s, first seen %s, after one first seen earlier", e.ID, e.Updated)
		}
		prev = e.Updated
		for _, ts := range []string{e.Published, e.Updated} {
			if _, err := time.Parse(time.RFC3339, ts); err != nil {
				t.Errorf("entry %s: %v", e.ID, err)
			}
		}
		if !strings.HasPrefix(e.ID, "tag:presswatch,2024:article-") || e.Author == "" || e.Title == "" || len(e.Links) != 2 {
			t.Errorf("entry %+v", e)
		}
	}
	e := f.Entries[len(f.Entries)-1] // the oldest: the state report of the 16th, 20:00 in Almaty
	for _, x := range f.Entries {
		if x.ID == "tag:presswatch,2024:article-1" {
			e = x
		}
	}
	if e.ID != "tag:presswatch,2024:article-1" || e.Links[0].Href != "https://khabar.kz/1" ||
		e.Links[1].Href != srv.URL+"/articles/1" || e.Author != "khabar" || strings.Contains(e.Summary, "<mark>") ||
		e.Published != "2011-12-16T20:00:00+06:00" {
		t.Errorf("first entry %+v", e)
	}
	if f.Updated != "2011-12-20T08:00:00Z" {
		t.Errorf("feed updated %s, want the newest first seen", f.Updated)
	}
	// A title with markup is text in the feed, not markup.
	f = readFeed(t, srv.URL+"/search.atom?source=azattyq")
	found := false
	for _, e := range f.Entries {
		found = found || e.Title == "Расстрел нефтяников в Жанаозене <script>alert(1)</script>"
	}
	if !found {
		t.Error("the title with <script> did not round-trip as text")
	}
}

func TestAtomFeedHolds50(t *testing.T) {
	srv := newSearchServer(t, manyArticles(60), true)
	f := readFeed(t, srv.URL+"/search.atom?q=report")
	if len(f.Entries) != atomEntries || f.Entries[0].ID != "tag:presswatch,2024:article-60" {
		t.Errorf("%d entries, first %s", len(f.Entries), f.Entries[0].ID)
	}
	if res, err := http.Get(srv.URL + "/search.atom?q=%22unclosed"); err != nil || res.StatusCode != 400 {
		t.Errorf("bad query: %v %v", res, err)
	}
}

// TestAtomFeedByFirstSeen: a feed holds the articles presswatch first saw
// most recently, so an article dated 2005 and found today is in it
// although 60 others were published later; a date=published filter still
// bounds the published date.
func TestAtomFeedByFirstSeen(t *testing.T) {
	arts := manyArticles(60)
	found := time.Date(2011, 12, 20, 9, 0, 0, 0, time.UTC) // after every other first seen
	arts = append(arts, &model.Article{ID: 61, SourceID: "azattyq", Lang: "en", URL: "https://example.org/old",
		Published: time.Date(2005, 3, 1, 10, 0, 0, 0, time.FixedZone("", 6*3600)), FirstSeen: found,
		Title: "An old report", Text: "A report from the oil fields, written in 2005."})
	srv := newSearchServer(t, arts, true)

	f := readFeed(t, srv.URL+"/search.atom?q=report")
	if len(f.Entries) != atomEntries {
		t.Fatalf("%d entries, want %d", len(f.Entries), atomEntries)
	}
	e := f.Entries[0]
	if e.ID != "tag:presswatch,2024:article-61" || e.Updated != "2011-12-20T09:00:00Z" || e.Published != "2005-03-01T10:00:00+06:00" {
		t.Errorf("first entry %s updated %s published %s, want the 2005 article first seen on 20 Dec", e.ID, e.Updated, e.Published)
	}
	if f.Entries[1].ID != "tag:presswatch,2024:article-60" || f.Entries[atomEntries-1].ID != "tag:presswatch,2024:article-12" {
		t.Errorf("entries %s ... %s, want 60 down to 12 after it", f.Entries[1].ID, f.Entries[atomEntries-1].ID)
	}
	if f.Updated != "2011-12-20T09:00:00Z" {
		t.Errorf("feed updated %s, want the latest first seen", f.Updated)
	}

	f = readFeed(t, srv.URL+"/search.atom?q=report&date=published&from=2011-12-01")
	for _, e := range f.Entries {
		if e.ID == "tag:presswatch,2024:article-61" {
			t.Error("a published filter from 2011 let the 2005 article in: the filter became one on first seen")
		}
	}
	if len(f.Entries) != atomEntries || f.Entries[0].ID != "tag:presswatch,2024:article-60" {
		t.Errorf("published filter: %d entries, first %s", len(f.Entries), f.Entries[0].ID)
	}
}
