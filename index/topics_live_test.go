package index

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/index/qparse"
	"presswatch/internal/model"
)

// liveTopicsIndex holds an article that names the town only as "Новый
// Узень", which "Zhanaozen" finds only through an alias group.
func liveTopicsIndex(t *testing.T) *Index {
	t.Helper()
	ix, err := OpenMem(WithSources(testSources), WithTopics([]string{"trials"}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	err = ix.Put(context.Background(), []*model.Article{
		{ID: 1, SourceID: "azattyq", Lang: "ru", URL: "https://example.org/1", FirstSeen: time.Date(2011, 12, 17, 0, 0, 0, 0, time.UTC),
			Title: "Забастовка в Новом Узене", Text: "Нефтяники Нового Узеня бастуют. Новый Узень."},
	})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestSetTopicsChangesTopicIDsAndAliasGroups(t *testing.T) {
	ix := liveTopicsIndex(t)
	ctx := context.Background()
	search := func(q string) (*Result, error) { return ix.Search(ctx, Request{Query: q}) }

	if res, err := search("Zhanaozen"); err != nil || res.Total != 0 {
		t.Fatalf("before: Zhanaozen found %v (%v), want nothing: no alias group yet", res, err)
	}
	var qe *qparse.Error
	if _, err := search("topic:zhanaozen"); !errors.As(err, &qe) || !strings.Contains(qe.Reason, `no topic "zhanaozen"`) {
		t.Fatalf("before: topic:zhanaozen gave %v, want there is no such topic", err)
	}

	ix.SetTopics([]string{"trials", "zhanaozen"}, [][]string{{"Zhanaozen", "Жанаозен", "Новый Узень"}})
	res, err := search("Zhanaozen")
	if err != nil || res.Total != 1 || !strings.Contains(res.ReadAs, `"Новый Узень"`) {
		t.Fatalf("after: Zhanaozen found %+v (%v), want article 1 through the alias group", res, err)
	}
	if _, err := search("topic:zhanaozen"); err != nil {
		t.Errorf("after: topic:zhanaozen refused: %v", err)
	}

	// Deleting the topic takes its id and its group away again.
	ix.SetTopics([]string{"trials"}, nil)
	if res, err := search("Zhanaozen"); err != nil || res.Total != 0 {
		t.Errorf("deleted: Zhanaozen found %d (%v), want nothing", res.Total, err)
	}
	if _, err := search("topic:zhanaozen"); err == nil {
		t.Error("deleted: topic:zhanaozen accepted")
	}
	if _, err := search("topic:trials"); err != nil {
		t.Errorf("deleted: topic:trials refused: %v", err)
	}
}

// SetTopics runs while searches read the topics; go test -race finds a
// look-up that is not guarded.
func TestSetTopicsWhileSearching(t *testing.T) {
	ix := liveTopicsIndex(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 3 {
		wg.Go(func() {
			for range 30 {
				if _, err := ix.Search(ctx, Request{Query: "Zhanaozen OR topic:trials", Limit: 1}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Go(func() {
		for i := range 30 {
			ix.SetTopics([]string{"trials", fmt.Sprint("t", i)}, [][]string{{"Zhanaozen", "Новый Узень"}})
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// The slices given to SetTopics are the caller's to change afterwards.
func TestSetTopicsKeepsNoReference(t *testing.T) {
	ix := liveTopicsIndex(t)
	ids, groups := []string{"zhanaozen"}, [][]string{{"Zhanaozen", "Новый Узень"}}
	ix.SetTopics(ids, groups)
	ids[0], groups[0][1] = "other", "Бишкек"
	res, err := ix.Search(context.Background(), Request{Query: "Zhanaozen AND topic:zhanaozen"})
	if err != nil || !strings.Contains(res.ReadAs, "Новый Узень") {
		t.Errorf("%+v %v: the index saw the caller's later change", res, err)
	}
}
