package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestKeepLeads(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<div class="news-single"><div class="teaser-text"><p>The lead.</p></div>` +
		`<p>Body.</p><div class="Teaser"><a href="/other">Another story</a></div><div id="teaser"><p>x <a>no href</a></p></div></div>`))
	if err != nil {
		t.Fatal(err)
	}
	keepLeads(doc)
	var b strings.Builder
	if err := html.Render(&b, doc); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`class="lead-text"`, `class="Teaser"`, `id="lead"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("no %s in %s", want, b.String())
		}
	}
}

func TestDropLinkParagraphs(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<p>Text <a href="/a">Looted colonial art in museums</a>,
		<a href="/b">Germany's colonial crimes recognised at last</a>, <a href="/c">Ends a sentence here now.</a>
		<a href="/d">Zhanaozen</a> <a href="/e">Two words</a> <a>No address at all here</a></p>`))
	if err != nil {
		t.Fatal(err)
	}
	links := linkTexts(doc)
	if len(links) != 4 || !links["Looted colonial art in museums"] || links["Zhanaozen"] || links["No address at all here"] {
		t.Fatalf("linkTexts = %v", links)
	}
	text := strings.Join([]string{
		"Looted colonial art in museums",                            // a link alone: dropped
		"Read more: Germany's colonial crimes recognised at last",   // label and link: dropped
		"Ends a sentence here now.",                                 // a sentence: kept
		"Two words",                                                 // too short: kept
		"The museum in Berlin said: Looted colonial art in museums", // a label of five words: kept
		"No address at all here",                                    // not a link: kept
	}, "\n\n")
	want := strings.Join(strings.Split(text, "\n\n")[2:], "\n\n")
	if got := dropLinkParagraphs(text, links); got != want {
		t.Errorf("dropLinkParagraphs:\n got %q\nwant %q", got, want)
	}
}

func TestDropBoilerplate(t *testing.T) {
	body := []string{
		"Жаңаөзен, 16 желтоқсан. Первый абзац статьи о событиях в городе.",
		"Президент подписал указ о создании комиссии.",
		"Die Polizei registrierte 500 Fälle; der Blog in Berlin berichtete.",
	}
	furniture := []string{
		"© 2022 Степной вестник",
		"Подпишитесь на наш канал в Telegram",
		"Abonnieren Sie unseren Newsletter!",
		"You must log in to post a comment.",
		"Copyright: Gisele Wender",
	}
	long := "Subscribe " + strings.Repeat("and read this long paragraph ", 12)
	text := strings.Join(append(append(append([]string{}, body...), furniture...), long), "\n\n")
	want := strings.Join(append(append([]string{}, body...), long), "\n\n")
	if got := dropBoilerplate(text); got != want {
		t.Errorf("dropBoilerplate:\n got %q\nwant %q", got, want)
	}
	// The opening paragraphs are the article's own, unless they are
	// copyright lines or newsletters.
	opening := "Follow us, the strikers told the oil workers.\n\nSecond.\n\nThird.\n\nFourth."
	if got := dropBoilerplate(opening); got != opening {
		t.Errorf("dropBoilerplate dropped an opening paragraph: %q", got)
	}
	if got := dropBoilerplate("Photo © Reuters\n\n" + opening); got != opening {
		t.Errorf("dropBoilerplate kept an opening copyright line: %q", got)
	}
}
