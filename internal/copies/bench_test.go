package copies

import (
	"strings"
	"testing"
)

// benchText is about 5 KB of article text.
func benchText(b *testing.B) string {
	s := siteText(b, "articles/2011/10/04/stop-state-brutality.html") + "\n" + siteText(b, "articles/2011/12/05/negotiations-fail.html")
	for len(s) > 5000 {
		s = s[:strings.LastIndexByte(s[:5000], ' ')]
	}
	return s
}

func BenchmarkNewSketch(b *testing.B) {
	text := benchText(b)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		NewSketch(text)
	}
}

func BenchmarkVerify(b *testing.B) {
	text := benchText(b)
	x, y := NewSketch(text), NewSketch(firstWords(text, 0.6)+"\nShare this article")
	for b.Loop() {
		Verify(x, y)
	}
}

func BenchmarkUnmarshalSketch(b *testing.B) {
	blob, _ := NewSketch(benchText(b)).MarshalBinary()
	for b.Loop() {
		if _, err := UnmarshalSketch(blob); err != nil {
			b.Fatal(err)
		}
	}
}
