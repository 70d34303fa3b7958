package wdiff

import (
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

func TestDiff(t *testing.T) {
	tests := map[string]struct {
		old, new string
		want     []Segment
	}{
		"casualty figure revised, Russian": {
			old: "В Жанаозене погибли 10 человек.",
			new: "В Жанаозене погибли 14 человек.",
			want: []Segment{
				{Equal, "В Жанаозене погибли "}, {Delete, "10"}, {Insert, "14"}, {Equal, " человек."},
			},
		},
		"word replaced, English": {
			old: "Police opened fire on striking oil workers.",
			new: "Police opened fire on protesters.",
			want: []Segment{
				{Equal, "Police opened fire on "}, {Delete, "striking oil workers"}, {Insert, "protesters"}, {Equal, "."},
			},
		},
		"mixed scripts, one word": {
			old: "Компания Ozenmunaigas (Озенмунайгаз) сообщила",
			new: "Компания KazMunayGas (Озенмунайгаз) сообщила",
			want: []Segment{
				{Equal, "Компания "}, {Delete, "Ozenmunaigas"}, {Insert, "KazMunayGas"}, {Equal, " (Озенмунайгаз) сообщила"},
			},
		},
		"paragraph inserted, breaks kept": {
			old: "Первый абзац.\n\nТретий абзац.",
			new: "Первый абзац.\n\nВторой абзац.\n\nТретий абзац.",
			want: []Segment{
				{Equal, "Первый абзац.\n\n"}, {Insert, "Второй абзац.\n\n"}, {Equal, "Третий абзац."},
			},
		},
		"words are not cut": {
			old: "погибли десять человек",
			new: "погибли шестнадцать человек",
			want: []Segment{
				{Equal, "погибли "}, {Delete, "десять"}, {Insert, "шестнадцать"}, {Equal, " человек"},
			},
		},
		"sentence rewritten reads as whole phrases": {
			old: "The police opened fire on the crowd.",
			new: "A group of protesters attacked the police.",
			want: []Segment{
				{Delete, "The police opened fire on"}, {Insert, "A group of protesters attacked"},
				{Equal, " the "}, {Delete, "crowd"}, {Insert, "police"}, {Equal, "."},
			},
		},
		"identical":  {old: "Жанаозен", new: "Жанаозен", want: []Segment{{Equal, "Жанаозен"}}},
		"from empty": {old: "", new: "Жанаозен", want: []Segment{{Insert, "Жанаозен"}}},
		"to empty":   {old: "Жанаозен", new: "", want: []Segment{{Delete, "Жанаозен"}}},
		"both empty": {old: "", new: "", want: nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := Diff(tc.old, tc.new)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Diff:\n got %q\nwant %q", got, tc.want)
			}
			checkSegments(t, tc.old, tc.new, got)
		})
	}
}

// checkSegments asserts what Diff promises of any result.
func checkSegments(t *testing.T, old, new string, segs []Segment) {
	t.Helper()
	var a, b strings.Builder
	for i, s := range segs {
		if s.Text == "" {
			t.Errorf("segment %d is empty", i)
		}
		if i > 0 && segs[i-1].Op == s.Op {
			t.Errorf("segments %d and %d share Op %v", i-1, i, s.Op)
		}
		if i > 0 && segs[i-1].Op == Insert && s.Op == Delete {
			t.Errorf("segment %d: an Insert before its Delete", i)
		}
		if s.Op != Insert {
			checkBoundary(t, old, a.Len())
			a.WriteString(s.Text)
		}
		if s.Op != Delete {
			checkBoundary(t, new, b.Len())
			b.WriteString(s.Text)
		}
	}
	if a.String() != old {
		t.Errorf("Equal+Delete do not give the old text:\n got %q\nwant %q", a.String(), old)
	}
	if b.String() != new {
		t.Errorf("Equal+Insert do not give the new text:\n got %q\nwant %q", b.String(), new)
	}
}

// checkBoundary asserts that offset i of s is not inside a word.
func checkBoundary(t *testing.T, s string, i int) {
	t.Helper()
	if i == 0 || i >= len(s) {
		return
	}
	before, after := []rune(s[:i]), []rune(s[i:])
	if isWordRune(before[len(before)-1]) && isWordRune(after[0]) {
		t.Errorf("a segment starts inside a word at %d: %q|%q", i, string(before[max(0, len(before)-10):]), string(after[:min(10, len(after))]))
	}
}

func TestCount(t *testing.T) {
	tests := map[string]struct {
		old, new       string
		removed, added int
	}{
		"one figure":        {"погибли 10 человек", "погибли 14 человек", 1, 1},
		"phrase for a word": {"fire on striking oil workers", "fire on protesters", 3, 1},
		"punctuation only":  {"Жанаозен, 16 декабря", "Жанаозен — 16 декабря", 0, 0},
		"sentence added":    {"Начато расследование.", "Начато расследование. Задержаны 30 человек.", 0, 3},
		"nothing":           {"Жанаозен", "Жанаозен", 0, 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			removed, added := Count(Diff(tc.old, tc.new))
			if removed != tc.removed || added != tc.added {
				t.Errorf("Count = %d removed, %d added; want %d, %d", removed, added, tc.removed, tc.added)
			}
		})
	}
}

func readFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// replace is strings.Replace that fails the test if old is not in s.
func replace(t testing.TB, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("fixture has no %q", old)
	}
	return strings.Replace(s, old, new, 1)
}

func TestDiffFixtures(t *testing.T) {
	ru := readFixture(t, "zhanaozen_ru.txt")
	ru2 := replace(t, ru, "погибли 10 человек, ещё 70", "погибли 16 человек, ещё 86")
	ru2 = replace(t, ru2, "группа хулиганов напала", "группа лиц напала")
	segs := Diff(ru, ru2)
	checkSegments(t, ru, ru2, segs)
	if removed, added := Count(segs); removed != 3 || added != 3 {
		t.Errorf("Count = %d, %d; want 3, 3 (10, 70, хулиганов -> 16, 86, лиц)", removed, added)
	}
	if got := strings.Count(ru, "\n\n"); got != 5 || strings.Count(string(HTML(segs)), "</p>\n<p>") != got {
		t.Errorf("paragraphs: %d in the fixture, want 5 and as many in HTML:\n%s", got, HTML(segs))
	}
}

// wordText returns n words drawn from a mixed Russian-English vocabulary,
// in sentences and paragraphs, the same for the same seed.
func wordText(seed uint64, n int) []string {
	vocab := strings.Fields("Жанаозен нефтяники забастовка полиция площадь акимат прокуратура расследование " +
		"погибли ранения человек города декабря года суд приговор oil workers strike police square " +
		"killed injured town Kazakhstan court verdict report witnesses said 10 14 16 70 2011")
	r := rand.New(rand.NewPCG(seed, 1))
	words := make([]string, n)
	for i := range words {
		words[i] = vocab[r.IntN(len(vocab))]
		switch {
		case i%97 == 96:
			words[i] += ".\n\n"
		case i%13 == 12:
			words[i] += ","
		}
	}
	return words
}

func join(words []string) string {
	var b strings.Builder
	for i, w := range words {
		b.WriteString(w)
		if i < len(words)-1 && !strings.HasSuffix(w, "\n") {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// changedPair returns a text of about size bytes and a copy with three
// words replaced by words found nowhere else.
func changedPair(size int) (string, string) {
	words := wordText(7, size/9)
	old := join(words)
	for i, w := range []string{"Шетпе", "Aktau", "семнадцать"} {
		words[(i+1)*len(words)/4] = w
	}
	return old, join(words)
}

func TestDiffLarge(t *testing.T) {
	old, new := changedPair(50_000)
	if len(old) < 50_000 {
		t.Fatalf("text is %d bytes, want at least 50 KB", len(old))
	}
	start := time.Now()
	segs := Diff(old, new)
	// The deadline is 1 s; allow for -race and a slow machine.
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Diff of two 50 KB texts took %v", d)
	}
	checkSegments(t, old, new, segs)
	if removed, added := Count(segs); removed != 3 || added != 3 {
		t.Errorf("Count = %d, %d; want 3, 3", removed, added)
	}
}

// TestDiffUnrelatedLarge diffs two unrelated 50 KB texts, the worst case
// for the search: the deadline must hold and the result stay correct.
func TestDiffUnrelatedLarge(t *testing.T) {
	old, new := join(wordText(1, 6000)), join(wordText(2, 6000))
	start := time.Now()
	segs := Diff(old, new)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Diff of two unrelated 50 KB texts took %v", d)
	}
	checkSegments(t, old, new, segs)
}

// TestCoarsen checks the pass that folds short equalities between
// changes, which only very fragmented diffs reach.
func TestCoarsen(t *testing.T) {
	old, new := join(wordText(1, 2000)), join(wordText(2, 2000))
	ra, rb, vocab, _ := encode(tokenize(old), tokenize(new))
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // the fragments of a full search, even under -race
	raw := dmp.DiffMainRunes(ra, rb, false)
	if len(raw) <= maxFragments {
		t.Fatalf("only %d fragments; the test needs more than %d", len(raw), maxFragments)
	}
	coarse := coarsen(raw)
	if len(coarse) > len(raw)/2 {
		t.Errorf("coarsen left %d of %d fragments", len(coarse), len(raw))
	}
	checkSegments(t, old, new, decode(coarse, vocab))
}

func FuzzDiff(f *testing.F) {
	f.Add("В Жанаозене погибли 10 человек.", "В Жанаозене погибли 16 человек.")
	f.Add("a\n\nb c", "a b\n\nc")
	f.Add("\xff\xfe ok", "ok \xed\xa0\x80")
	f.Fuzz(func(t *testing.T, old, new string) {
		if !utf8.ValidString(old) || !utf8.ValidString(new) {
			t.Skip("Diff takes text")
		}
		checkSegments(t, old, new, Diff(old, new))
	})
}

func TestTokenCodesSkipSurrogates(t *testing.T) {
	for _, i := range []int{0, 0xD7FF, 0xD800, 0xDFFF, maxTokens - 1} {
		r := codeRune(i)
		if r >= 0xD800 && r <= 0xDFFF || r > 0x10FFFF {
			t.Errorf("codeRune(%#x) = %#x, not a valid rune", i, r)
		}
		if got := []rune(string(r)); len(got) != 1 || runeCode(got[0]) != i {
			t.Errorf("code %#x does not survive a string round trip", i)
		}
	}
}

func BenchmarkDiff(b *testing.B) {
	for _, size := range []int{5_000, 50_000} {
		old, new := changedPair(size)
		b.Run(fmt.Sprintf("%dKB", size/1000), func(b *testing.B) {
			b.SetBytes(int64(len(old) + len(new)))
			for b.Loop() {
				Diff(old, new)
			}
		})
	}
}
