package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"presswatch/crawler/wayback"
)

// The fake archive's listing reads as presswatch's CDX parser reads a real
// one, paged to its end; its playback answers 404 for the lost captures
// and 429s in one burst from backfillBurstAt on.
func TestFakeWaybackListsPagesAndBursts(t *testing.T) {
	f := newFakeWayback()
	srv := httptest.NewServer(f)
	defer srv.Close()
	get := func(u string) (int, []byte) {
		t.Helper()
		res, err := http.Get(srv.URL + u)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, b
	}
	listed, key := 0, ""
	for pages := 0; ; pages++ {
		u := "/cdx/search/cdx?limit=500"
		if key != "" {
			u += "&resumeKey=" + key
		}
		_, b := get(u)
		p, err := wayback.ParseCDX(b)
		if err != nil {
			t.Fatalf("page %d: %v", pages+1, err)
		}
		listed += len(p.Captures)
		if key = p.ResumeKey; key == "" {
			if pages+1 != 4 {
				t.Errorf("%d listing pages, want 4", pages+1)
			}
			break
		}
	}
	if listed != backfillURLs*backfillPerURL {
		t.Errorf("%d captures listed, want %d", listed, backfillURLs*backfillPerURL)
	}
	ok, missing, rejected := 0, 0, 0
	for _, c := range f.caps[:backfillBurstAt+backfillBurstLen+10] {
		switch code, _ := get("/web/" + c.Timestamp + "id_/" + c.Original); code {
		case 200:
			ok++
		case 404:
			missing++
		case 429:
			rejected++
		}
	}
	if rejected != backfillBurstLen || missing == 0 || ok == 0 {
		t.Errorf("%d answered, %d missing, %d rejected; want some of each, %d rejected", ok, missing, rejected, backfillBurstLen)
	}
}

func TestFastest(t *testing.T) {
	f := &fakeWayback{}
	t0 := time.Now()
	for i := range 30 { // 10 a second, then 5 at once
		f.times = append(f.times, t0.Add(time.Duration(i)*100*time.Millisecond))
	}
	for range 5 {
		f.times = append(f.times, t0.Add(3*time.Second))
	}
	if r, gap := f.fastest(time.Second); r != 14 || gap != 0 {
		t.Errorf("1 s: %v a second, gap %s; want 14 (the 9 before and the 5 at once) and 0", r, gap)
	}
	if r, _ := f.fastest(10 * time.Second); r != 3.5 {
		t.Errorf("10 s: %v a second, want 3.5", r)
	}
}
