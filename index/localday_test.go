package index

import (
	"context"
	"net/url"
	"testing"
	"time"

	"presswatch/internal/model"
)

// An article's day is the one its publisher printed: 03:00 in Almaty on 16
// December is still 15 December in UTC.
func TestDateFilterUsesThePublishersDay(t *testing.T) {
	ix, err := OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	almaty := time.FixedZone("", 6*3600)
	err = ix.Put(context.Background(), []*model.Article{
		{ID: 1, Title: "Ночью в Жанаозене", Text: "Ночью в Жанаозене", Published: time.Date(2011, 12, 16, 3, 0, 0, 0, almaty)},
		{ID: 2, Title: "Вечером в Жанаозене", Text: "Вечером в Жанаозене", Published: time.Date(2011, 12, 15, 23, 0, 0, 0, time.UTC)},
	})
	if err != nil {
		t.Fatal(err)
	}
	req, err := ParseRequest(url.Values{"from": {"2011-12-16"}, "to": {"2011-12-16"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].ID != 1 {
		t.Fatalf("16 December (publisher's day) found %+v, want article 1 only", res.Hits)
	}
	if got := res.Hits[0].Published.Format(time.RFC3339); got != "2011-12-16T03:00:00+06:00" {
		t.Errorf("published shown as %s, want the publisher's offset", got)
	}
}
