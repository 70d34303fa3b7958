package digest

import (
	"context"
	"testing"
	"time"
)

// BenchmarkDigestDay builds the digest of the syndicated day (the fixture
// site crawled and 2,000 generated articles from 200 sources ingested, in
// 700-odd stories; see syndicated_day_test.go), ingested once per process
// outside the timer. Build is the whole of it, as Service.Make calls it;
// queries is its baseline in the same run, the four store queries alone
// (the period's articles, their stories' copies, earlier digests, the
// sources' runs), so Build ÷ queries is what the digest adds to reading
// the store. render/<format> renders the built digest.
//
//	go test ./internal/digest -run '^$' -bench DigestDay -count 6
func BenchmarkDigestDay(b *testing.B) {
	day := syndicatedDay(b)
	ctx := context.Background()
	opts := Options{Base: "http://127.0.0.1:8080", Now: day.period.To}
	b.Run("Build", func(b *testing.B) {
		b.ReportAllocs()
		var d *Digest
		for b.Loop() {
			var err error
			if d, err = Build(ctx, day.st, day.topic, day.period, opts); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(d.Articles), "articles")
		b.ReportMetric(float64(len(d.Stories)), "stories")
	})
	b.Run("queries", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := storeQueries(ctx, day); err != nil {
				b.Fatal(err)
			}
		}
	})
	// Build and its baseline in turn, each op both, so that their ratio
	// compares runs made under the same load.
	b.Run("paired", func(b *testing.B) {
		var build, queries time.Duration
		for b.Loop() {
			t0 := time.Now()
			if err := storeQueries(ctx, day); err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			if _, err := Build(ctx, day.st, day.topic, day.period, opts); err != nil {
				b.Fatal(err)
			}
			build, queries = build+time.Since(t1), queries+t1.Sub(t0)
		}
		b.ReportMetric(float64(build)/float64(queries), "ratio")
		b.ReportMetric(float64(build)/1e6/float64(b.N), "build-ms/op")
	})
	d, err := Build(ctx, day.st, day.topic, day.period, opts)
	if err != nil {
		b.Fatal(err)
	}
	for _, format := range Formats {
		b.Run("render/"+format, func(b *testing.B) {
			b.ReportAllocs()
			size := 0
			for b.Loop() {
				out, err := Render(d, format, "en")
				if err != nil {
					b.Fatal(err)
				}
				size = len(out)
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}

// storeQueries reads what Build reads, as Build asks for it, and nothing
// more.
func storeQueries(ctx context.Context, day *ingestedDay) error {
	p := day.period
	arts, err := day.st.TopicArticles(ctx, day.topic.ID, p.From, p.To)
	if err != nil {
		return err
	}
	var clusters []int64
	seen := map[int64]bool{}
	for _, a := range arts {
		if !seen[a.ClusterID] {
			seen[a.ClusterID] = true
			clusters = append(clusters, a.ClusterID)
		}
	}
	if _, err := day.st.SourceRuns(ctx, p.From, p.To); err != nil {
		return err
	}
	if _, err := day.st.StoryCopies(ctx, clusters); err != nil {
		return err
	}
	_, err = day.st.EarlierDigests(ctx, day.topic.ID, p.Day, clusters)
	return err
}
