package copies

import (
	"strings"
	"testing"
)

// longStories are the fixture site's stories long enough to be copied in
// part (minOriginalWords and more).
var longStories = []string{
	"articles/2011/10/04/stop-state-brutality.html",
	"articles/2011/11/11/support-the-campaign.html",
	"articles/2011/12/05/negotiations-fail.html",
	"articles/2011/12/21/berlin-cologne.html",
	"articles/2012/01/05/kazakh-crackdown-deepens.html",
	"articles/2012/01/09/curfew-extended.html",
	"articles/2012/01/12/interview-journalist-zhanaozen.html",
	"resources/model-motion.html",
	"ru/vestnik/2011/12/17/zhanaozen-poryadok.html",
}

// firstWords keeps the first share of s's words.
func firstWords(s string, share float64) string {
	w := strings.Fields(s)
	return strings.Join(w[:int(float64(len(w))*share)], " ")
}

func TestCopiesJoin(t *testing.T) {
	tests := map[string]func(string) string{
		"agency credit before the first line": func(s string) string { return "ALMATY, Dec 17 (Reuters) — " + s },
		"agency credit after the last line":   func(s string) string { return s + "\nИсточник: КазТАГ" },
		"new headline":                        func(s string) string { return "Kazakhstan: what happened in the oil town\n" + s },
		"reader footer": func(s string) string {
			return s + "\nShare this article\nFacebook Twitter E-mail\nComments are closed."
		},
		"only the first 40 %":            func(s string) string { return firstWords(s, 0.4) },
		"only the first 60 %, read more": func(s string) string { return firstWords(s, 0.6) + " … Read more" },
		"another site's template": func(s string) string {
			return "Kazakhstan Today\nHome | Politics | Economy | World\n17 December 2011, 10:45\n" + s +
				"\n© 2011 Kazakhstan Today. All rights reserved.\nTags: Kazakhstan, oil, strike"
		},
		"line breaks and spacing redone": func(s string) string { return strings.Join(strings.Fields(s), "  ") },
		"all of them": func(s string) string {
			return "Kazakhstan Today\nHome | Politics | World\nNew headline for an old story\n(Reuters) — " +
				firstWords(s, 0.5) + "\nShare this article\nComments are closed.\n© 2011 Kazakhstan Today."
		},
	}
	for name, transform := range tests {
		t.Run(name, func(t *testing.T) {
			for _, story := range longStories {
				text := siteText(t, story)
				a, b := NewSketch(text), NewSketch(transform(text))
				score, ok := Verify(a, b)
				if !ok {
					t.Errorf("%s: containment %.3f, want a copy (>= %.3f)", story, score, defaults.threshold)
				}
				if !shareBand(a, b) {
					t.Errorf("%s: no band key in common: the store would never compare them", story)
				}
			}
		})
	}
}

func shareBand(a, b Sketch) bool {
	ka, kb := a.BandKeys(), b.BandKeys()
	for i := range ka {
		if i < len(kb) && ka[i] == kb[i] {
			return true
		}
	}
	return false
}

// partialReuse is the one pair of fixture texts that Verify joins though
// they are not one article: the appeal opens with two of its three
// paragraphs taken word for word from the earlier campaign article, so a
// reader sees copied text, and Verify says so (containment 0.57).
var partialReuse = [2]string{"articles/2011/11/11/support-the-campaign.html", "appeal/en.html"}

func TestDifferentStoriesStayApart(t *testing.T) {
	for i, a := range siteArticles {
		for _, b := range siteArticles[i+1:] {
			if [2]string{a, b} == partialReuse {
				continue
			}
			if score, ok := Verify(NewSketch(siteText(t, a)), NewSketch(siteText(t, b))); ok {
				t.Errorf("%s and %s: containment %.3f, want different stories", a, b, score)
			}
		}
	}
	t.Run("one background box under two stories", func(t *testing.T) {
		for i, a := range longStories {
			for _, b := range longStories[i+1:] {
				sa, sb := NewSketch(siteText(t, a)+"\n"+background), NewSketch(siteText(t, b)+"\n"+background)
				if score, ok := Verify(sa, sb); ok {
					t.Errorf("%s and %s with one background box: containment %.3f, want apart", a, b, score)
				}
			}
		}
	})
	t.Run("partial reuse", func(t *testing.T) {
		score, ok := Verify(NewSketch(siteText(t, partialReuse[0])), NewSketch(siteText(t, partialReuse[1])))
		if !ok || score > 0.65 {
			t.Errorf("the appeal reusing two paragraphs: containment %.3f copy %v, want a copy just above the threshold", score, ok)
		}
	})
}

func TestSpellingAndScript(t *testing.T) {
	tests := map[string]struct {
		story    string
		respell  *strings.Replacer
		minShare float64
	}{
		"Russian text with the names in Latin letters": {
			story:   "ru/vestnik/2011/12/17/zhanaozen-poryadok.html",
			respell: strings.NewReplacer("Жанаозене", "Zhanaozene", "Жанаозен", "Janaozen", "ЖАНАОЗЕН", "ZHANAOZEN", "Мангистауской", "Mangistauskoi"),
		},
		"English text with the names in Cyrillic": {
			story:   "articles/2012/01/12/interview-journalist-zhanaozen.html",
			respell: strings.NewReplacer("Zhanaozen", "Жаңаөзен", "Kostyuchenko", "Костюченко", "Nazarbayev", "Назарбаев"),
		},
		"English text with German and Polish spellings": {
			story:   "articles/2011/11/11/support-the-campaign.html",
			respell: strings.NewReplacer("Nazarbayev", "Nasarbajew", "Sokolova", "Sokołowa", "Kazakhstan", "Kazachstan"),
		},
		"upper case and punctuation": {
			story:   "articles/2011/12/05/negotiations-fail.html",
			respell: strings.NewReplacer(".", " . . ", ",", " ;", "a", "A", "e", "E"),
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			text := siteText(t, tt.story)
			respelt := tt.respell.Replace(text)
			if respelt == text {
				t.Fatal("the replacements changed nothing")
			}
			a, b := NewSketch(text), NewSketch(respelt)
			if score, ok := Verify(a, b); !ok || score != 1 {
				t.Errorf("containment %.3f copy %v, want 1 and a copy", score, ok)
			}
			if !slicesEqual(a.BandKeys(), b.BandKeys()) {
				t.Error("band keys differ, want the same")
			}
		})
	}
}

func slicesEqual(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestShortTexts(t *testing.T) {
	lead := "On 16 December 2011 police opened fire on striking oil workers in Zhanaozen, killing at least 16 people, according to official figures."
	tests := map[string]struct {
		text  string
		empty bool
	}{
		"nothing":                         {"", true},
		"a headline":                      {"Zhanaozen: police fire on strikers", true},
		"a teaser of two sentences":       {lead + " The town remains under curfew.", true},
		"a teaser of three sentences":     {lead + " The town remains under curfew. Natalia Sokolova, the strikers' lawyer, is in custody.", true},
		"54 distinct words":               {numbered(54), false},
		"53 distinct words":               {numbered(53), true},
		"a long text that repeats a line": {strings.Repeat(lead+" ", 20), true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := NewSketch(tt.text)
			if s.Empty() != tt.empty {
				t.Fatalf("Empty() = %v, want %v (%d shingles)", s.Empty(), tt.empty, s.shingles)
			}
			if tt.empty {
				if len(s.BandKeys()) != 0 {
					t.Error("an Empty sketch has band keys")
				}
				if _, ok := Verify(s, s); ok {
					t.Error("an Empty sketch is a copy of itself")
				}
			}
		})
	}
	t.Run("teasers of two stories opening with one stock sentence", func(t *testing.T) {
		a := NewSketch(lead + " Relatives are still looking for the missing.")
		b := NewSketch(lead + " The president blamed hooligans for the violence.")
		if _, ok := Verify(a, b); ok {
			t.Error("joined, want apart")
		}
	})
}

// numbered is a text of n distinct words (n-4 five-word shingles).
func numbered(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = "word" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	return strings.Join(w, " ")
}

func TestVerifySymmetric(t *testing.T) {
	for i, a := range siteArticles {
		for _, b := range siteArticles[i:] {
			sa, sb := NewSketch(siteText(t, a)), NewSketch(siteText(t, b))
			x, okx := Verify(sa, sb)
			y, oky := Verify(sb, sa)
			if x != y || okx != oky {
				t.Errorf("%s, %s: %.4f %v one way, %.4f %v the other", a, b, x, okx, y, oky)
			}
		}
	}
}
