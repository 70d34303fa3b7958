package lang

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestDetectSentences checks five sentences per language, copied from the
// lingua test sentences in the corpus into testdata/<code>.txt.
func TestDetectSentences(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil || len(files) != 10 {
		t.Fatalf("want 10 testdata files, got %d (%v)", len(files), err)
	}
	for _, f := range files {
		want := strings.TrimSuffix(filepath.Base(f), ".txt")
		for i, s := range readLines(t, f) {
			if got := Detect(s); got != want {
				t.Errorf("%s line %d: Detect = %q, want %q: %s", f, i+1, got, want, s)
			}
		}
	}
}

func TestDetect(t *testing.T) {
	tests := map[string]struct{ text, want string }{
		"empty":            {"", ""},
		"too short":        {"Жанаозен", ""},
		"digits only":      {"16.12.2011 17:45 — 1 234 567", ""},
		"kyrgyz cyrillic":  {"Кыргызстандын өкмөтү жаңы мыйзам долбоорун талкуулап, аны парламентке жөнөттү.", "ky"},
		"uzbek cyrillic":   {"Ўзбекистон Республикаси Президенти янги қонун лойиҳасини имзолади ва у кучга кирди.", "uz"},
		"uzbek latin":      {"Oʻzbekiston Respublikasi Prezidenti yangi qonun loyihasini imzoladi, u toʻgʻridan-toʻgʻri kuchga kirdi.", "uz"},
		"uzbek ascii":      {"O'zbekiston hukumati yangi qaror qabul qildi va u to'g'ridan-to'g'ri kuchga kirdi.", "uz"},
		"irish names":      {"O'Brien and O'Neill met the oil workers in the square on Friday afternoon.", "en"},
		"mongolian unsure": {"Манай намын бодлого мэргэн, удирдлага нь ухаантай, бид өөрсдөө төгс төгөлдөр хүмүүс гэсэн нүдээр хардаг.", ""},
		"russian with kazakh names": {
			"Забастовка нефтяников в Жаңаөзене длилась семь месяцев. Президент Нұрсұлтан Назарбаев " +
				"объявил чрезвычайное положение, а позднее Қасым-Жомарт Тоқаев говорил о трагедии.", "ru"},
		"russian with kyrgyz name": {
			"Депутат Төлөгөн Үсөнов заявил в Бишкеке, что соседний Казахстан должен расследовать " +
				"события в Жанаозене, где шестнадцатого декабря погибли люди.", "ru"},
		"kazakh news": {
			"Жаңаөзен оқиғасына он жыл толды. Мұнайшылардың ереуілі 2011 жылы желтоқсанда қайғылы аяқталды.", "kk"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Detect(tc.text); got != tc.want {
				t.Errorf("Detect(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestDetectLongText(t *testing.T) {
	long := strings.Repeat("Нефтяники Мангистау требовали повышения заработной платы. ", 500)
	if got := Detect(long); got != "ru" {
		t.Errorf("Detect(long Russian) = %q, want ru", got)
	}
	if s := truncate(strings.Repeat("ж", 3000), sampleBytes); len(s) > sampleBytes || !strings.HasSuffix(s, "ж") {
		t.Errorf("truncate split a rune or overran: %d bytes", len(s))
	}
}

// TestDetectConcurrent calls Detect from several goroutines with texts of
// many distinct words, which make lingua fall back on decimal arithmetic
// (run it with -race: see detectMu).
func TestDetectConcurrent(t *testing.T) {
	texts := map[string]string{}
	for _, code := range []string{"de", "ru", "kk", "uk", "pl"} {
		texts[code] = strings.Join(readLines(t, filepath.Join("testdata", code+".txt")), " ")
	}
	var wg sync.WaitGroup
	for range 3 {
		for want, text := range texts {
			wg.Go(func() {
				if got := Detect(text); got != want {
					t.Errorf("Detect = %q, want %q", got, want)
				}
			})
		}
	}
	wg.Wait()
}

func BenchmarkDetect(b *testing.B) {
	text := strings.Repeat("Забастовка нефтяников в Жанаозене длилась семь месяцев. ", 40)
	Detect(text)
	for b.Loop() {
		Detect(text)
	}
}

func readLines(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			lines = append(lines, l)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// TestConfirms: whatlanggo confirms the language a text is written in and
// no other, and reads only the first 2,000 bytes, as Detect does: German
// ahead of 20 KB of English is confirmed German.
func TestConfirms(t *testing.T) {
	de := strings.Repeat("Die Ölarbeiter streikten sieben Monate lang, und am sechzehnten Dezember schoss die Polizei auf dem Platz der Stadt. ", 20)
	en := strings.Repeat("The oil workers were on strike for seven months, and on the sixteenth of December the police fired on the town square. ", 200)
	for _, tc := range []struct {
		code, text string
		want       bool
	}{
		{"en", en, true},
		{"de", en, false},
		{"de", de, true},
		{"fr", de, false},
		{"de", de + en, true},
		{"en", de + en, false},
		{"", "Ж ж", false}, // whatlanggo cannot tell, and answers ""
	} {
		if got := Confirms(tc.code, tc.text); got != tc.want {
			t.Errorf("Confirms(%q, %d bytes starting %.20q) = %v, want %v", tc.code, len(tc.text), tc.text, got, tc.want)
		}
	}
}
