package web

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"time"
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
		if prev != "" && e.Published > prev {
			t.Errorf("entry %s after a older one", e.ID)
		}
		prev = e.Published
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
