package digest

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"
)

// The formats a digest is rendered in.
const (
	FormatHTML     = "html"
	FormatText     = "text"
	FormatMarkdown = "md"
	FormatJSON     = "json"
)

// Formats lists them, for messages.
var Formats = []string{FormatHTML, FormatMarkdown, FormatText, FormatJSON}

// Render writes the digest in format, its words in lang ("en" or "ru";
// others fall back to English).
func Render(d *Digest, format, lang string) ([]byte, error) {
	r := renderer{d: d, lang: pickLang(lang), loc: d.Period.Location()}
	switch format {
	case FormatHTML:
		return r.html()
	case FormatText:
		return []byte(r.text(false)), nil
	case FormatMarkdown:
		return []byte(r.text(true)), nil
	case FormatJSON:
		b, err := json.MarshalIndent(d, "", "  ")
		return append(b, '\n'), err
	}
	return nil, fmt.Errorf("digest: unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// Subject is the digest's mail subject.
func Subject(d *Digest, lang string) string {
	r := renderer{d: d, lang: pickLang(lang), loc: d.Period.Location()}
	return fmt.Sprintf(r.t("subject"), d.Topic.Name, r.periodName(), r.n("stories", len(d.Stories)))
}

type renderer struct {
	d    *Digest
	lang string
	loc  *time.Location
}

func pickLang(lang string) string {
	if _, ok := labels[lang]; ok {
		return lang
	}
	return "en"
}

func (r renderer) t(key string) string {
	if s, ok := labels[r.lang][key]; ok {
		return s
	}
	return labels["en"][key]
}

// n is a counted noun: "1 story", "5 stories"; Russian has three forms.
func (r renderer) n(key string, n int) string {
	forms := strings.Split(r.t(key), "|")
	i := 1
	switch {
	case r.lang == "ru" && n%10 == 1 && n%100 != 11, r.lang != "ru" && n == 1:
		i = 0
	case r.lang == "ru" && n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
		i = 1
	case r.lang == "ru":
		i = 2
	}
	return fmt.Sprintf(forms[min(i, len(forms)-1)], n)
}

// date is "17 December 2011" ("17 декабря 2011").
func (r renderer) date(t time.Time) string {
	t = t.In(r.loc)
	return fmt.Sprintf("%d %s %d", t.Day(), months[r.lang][t.Month()-1], t.Year())
}

// when is a copy's date and time in the digest's zone, without the day
// when it is the period's own.
func (r renderer) when(t time.Time) string {
	lt := t.In(r.loc)
	if r.d.Period.Since == 0 && lt.Format(time.DateOnly) == r.d.Period.Day {
		return lt.Format("15:04")
	}
	return r.date(t) + " " + lt.Format("15:04")
}

func (r renderer) periodName() string {
	if p := r.d.Period; p.Since > 0 {
		return fmt.Sprintf(r.t("since"), p.Since.String(), r.when(p.To))
	}
	return r.date(r.d.Period.From)
}

// header is the digest's title line.
func (r renderer) header() string {
	return fmt.Sprintf(r.t("title"), r.d.Topic.Name, r.periodName())
}

// counts is "12 articles from 7 sources, in 5 stories".
func (r renderer) counts() string {
	if r.d.Articles == 0 {
		return r.t("nothing")
	}
	s := fmt.Sprintf(r.t("counts"), r.n("articles", r.d.Articles), r.n("sources", r.d.Sources), r.n("stories", len(r.d.Stories)))
	if r.d.Dropped > 0 {
		s += " " + fmt.Sprintf(r.t("dropped"), r.d.Dropped)
	}
	return s
}

// failure says what a failed source may have cost.
func (r renderer) failure(f Failure) string {
	reason := ""
	if f.Reason != "" {
		reason = " (" + f.Reason + ")"
	}
	if f.Down {
		return fmt.Sprintf(r.t("down"), f.Name, r.when(f.Since)) + reason
	}
	return fmt.Sprintf(r.t("failed"), f.Name, r.n("times", f.Count), r.when(f.Since), r.when(f.Until)) + reason
}

// meta is a copy's source, stance, language and date.
func (r renderer) meta(c Copy) string {
	parts := []string{c.Name()}
	if c.Stance != "" {
		parts = append(parts, r.t("stance."+string(c.Stance)))
	}
	if c.Lang != "" {
		parts = append(parts, c.Lang)
	}
	when := r.when(c.When())
	if c.Published == nil {
		when = fmt.Sprintf(r.t("seen"), when)
	}
	parts = append(parts, when)
	if !c.InPeriod {
		parts = append(parts, fmt.Sprintf(r.t("earlier"), r.date(c.FirstSeen)))
	}
	if c.State == "removed" {
		parts = append(parts, r.t("removed"))
	}
	return strings.Join(parts, " · ")
}

// others is "Also carried by 3 sites: A (ru), B (en), C (kk)".
func (r renderer) others(s Story) string {
	if len(s.Copies) < 2 {
		return ""
	}
	var names []string
	for _, c := range s.Copies[1:] {
		n := c.Name()
		if c.Lang != "" {
			n += " (" + c.Lang + ")"
		}
		names = append(names, n)
	}
	out := fmt.Sprintf(r.t("others"), r.n("copies", len(s.Copies)-1), strings.Join(names, ", "))
	return out
}

func (r renderer) update(s Story) string {
	day, err := time.ParseInLocation(time.DateOnly, s.UpdateOf, r.loc)
	if err != nil {
		return fmt.Sprintf(r.t("update"), s.UpdateOf)
	}
	return fmt.Sprintf(r.t("update"), r.date(day))
}

func (r renderer) title(c Copy) string {
	if strings.TrimSpace(c.Title) != "" {
		return c.Title
	}
	return c.URL
}

// webURL returns u when it is an absolute http(s) URL, else "": only
// those are links in a digest.
func webURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return p.String()
}

// text renders plain text, or Markdown with md.
func (r renderer) text(md bool) string {
	var b strings.Builder
	esc := func(s string) string { return s }
	if md {
		esc = mdEscape
	}
	d := r.d
	if md {
		fmt.Fprintf(&b, "# %s\n\n", esc(r.header()))
	} else {
		h := r.header()
		fmt.Fprintf(&b, "%s\n%s\n\n", h, strings.Repeat("=", min(len([]rune(h)), 72)))
	}
	fmt.Fprintf(&b, "%s\n", esc(r.counts()))
	if len(d.Failed) > 0 {
		fmt.Fprintf(&b, "\n%s\n", esc(r.t("missing")))
		for _, f := range d.Failed {
			fmt.Fprintf(&b, "- %s\n", esc(r.failure(f)))
		}
	}
	if d.Note != "" {
		if md {
			fmt.Fprintf(&b, "\n> %s\n", strings.ReplaceAll(esc(d.Note), "\n", "\n> "))
		} else {
			fmt.Fprintf(&b, "\n%s\n", d.Note)
		}
	}
	for i, s := range d.Stories {
		lead := s.Lead()
		b.WriteString("\n")
		if md {
			fmt.Fprintf(&b, "## %d. %s\n\n", i+1, esc(r.title(lead)))
		} else {
			fmt.Fprintf(&b, "%d. %s\n", i+1, r.title(lead))
		}
		ind := "   "
		if md {
			ind = ""
		}
		line := func(s string) {
			if md {
				fmt.Fprintf(&b, "%s\n\n", s)
			} else {
				fmt.Fprintf(&b, "%s%s\n", ind, s)
			}
		}
		if s.Update() {
			line(esc(r.update(s)))
		}
		line(esc(r.meta(lead)))
		if s.Note != "" {
			line(esc(r.t("note") + ": " + s.Note))
		}
		if lead.Extract != "" {
			line(esc(lead.Extract))
		}
		orig, page := webURL(lead.URL), webURL(lead.Page)
		if md {
			var links []string
			if orig != "" {
				links = append(links, fmt.Sprintf("[%s](<%s>)", r.t("original"), mdURL(orig)))
			}
			if page != "" {
				links = append(links, fmt.Sprintf("[%s](<%s>)", r.t("inpresswatch"), mdURL(page)))
			}
			if len(links) > 0 {
				line(strings.Join(links, " · "))
			}
		} else {
			if orig != "" {
				line(r.t("original") + ": " + orig)
			}
			if page != "" {
				line(r.t("inpresswatch") + ": " + page)
			}
		}
		if o := r.others(s); o != "" {
			line(esc(o))
		}
	}
	if md {
		fmt.Fprintf(&b, "\n---\n\n%s\n", esc(fmt.Sprintf(r.t("footer"), d.Topic.Query)))
	} else {
		fmt.Fprintf(&b, "\n-- \n%s\n", fmt.Sprintf(r.t("footer"), d.Topic.Query))
	}
	return b.String()
}

// mdEscape makes text literal in Markdown: its markup characters
// escaped, "<", ">" and "&" as entities so no raw HTML passes through a
// renderer, and a start that would read as a list item or heading
// escaped.
func mdEscape(s string) string {
	var b strings.Builder
	s = strings.Join(strings.Fields(s), " ")
	listDot := -1 // "1." would start a numbered list
	if i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }); i > 0 && s[i] == '.' {
		listDot = i
	} else if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		b.WriteByte('\\')
	}
	for i, c := range s {
		switch c {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '\\', '`', '*', '_', '{', '}', '[', ']', '#', '|', '~':
			b.WriteByte('\\')
			b.WriteRune(c)
		default:
			if i == listDot {
				b.WriteByte('\\')
			}
			b.WriteRune(c)
		}
	}
	return b.String()
}

// mdURL makes a URL safe inside <...> in Markdown.
func mdURL(u string) string {
	r := strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20", "\n", "")
	return r.Replace(u)
}

//go:embed mail.html
var mailFS embed.FS

var mailTemplate = template.Must(template.New("mail.html").ParseFS(mailFS, "mail.html"))

// htmlStory is a story as the mail template shows it.
type htmlStory struct {
	N        int
	Title    string
	URL      template.URL // "" when the original is not an http(s) URL
	Page     template.URL
	Update   string
	Meta     string
	Note     string
	Extract  string
	Others   string
	Removed  bool
	Stripe   bool
	Language string
}

func (r renderer) html() ([]byte, error) {
	d := r.d
	data := struct {
		Lang, Title, Counts, Missing, Note, Footer, Original, InPresswatch, Open string
		Failed                                                                   []string
		Stories                                                                  []htmlStory
		Topic                                                                    template.URL
	}{
		Lang: r.lang, Title: r.header(), Counts: r.counts(), Missing: r.t("missing"), Note: d.Note,
		Footer: fmt.Sprintf(r.t("footer"), d.Topic.Query), Original: r.t("original"), InPresswatch: r.t("inpresswatch"),
		Open: r.t("open"),
	}
	if d.Base != "" && webURL(d.Base) != "" {
		data.Topic = template.URL(d.Base + "/search?topic=" + url.QueryEscape(d.Topic.ID))
	}
	for _, f := range d.Failed {
		data.Failed = append(data.Failed, r.failure(f))
	}
	for i, s := range d.Stories {
		lead := s.Lead()
		hs := htmlStory{
			N: i + 1, Title: r.title(lead), URL: template.URL(webURL(lead.URL)), Meta: r.meta(lead),
			Note: s.Note, Extract: lead.Extract, Others: r.others(s), Stripe: i%2 == 1, Language: lead.Lang,
		}
		if webURL(lead.Page) != "" {
			hs.Page = template.URL(lead.Page)
		}
		if s.Update() {
			hs.Update = r.update(s)
		}
		data.Stories = append(data.Stories, hs)
	}
	var b bytes.Buffer
	if err := mailTemplate.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("digest: render html: %w", err)
	}
	return b.Bytes(), nil
}

var months = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"ru": {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
}

// labels are a digest's words in each language it is written in.
var labels = map[string]map[string]string{
	"en": {
		"title":                "%s: digest of %s",
		"subject":              "%s: digest of %s (%s)",
		"since":                "the %s to %s",
		"counts":               "%s from %s, in %s.",
		"nothing":              "Nothing new on this topic in this period.",
		"dropped":              "%d left out by the editors.",
		"articles":             "%d article|%d articles",
		"sources":              "%d source|%d sources",
		"stories":              "%d story|%d stories",
		"copies":               "%d site|%d sites",
		"times":                "%d time|%d times",
		"missing":              "This digest may be missing articles from:",
		"down":                 "%s could not be reached since %s",
		"failed":               "%s failed %s between %s and %s, then was read again",
		"seen":                 "first seen %s",
		"earlier":              "first seen %s, before this period",
		"removed":              "since removed by its publisher",
		"others":               "Also carried by %s: %s",
		"update":               "Update: continues a story of the digest of %s",
		"note":                 "Note",
		"original":             "Original",
		"inpresswatch":         "In presswatch",
		"open":                 "Open the topic in presswatch",
		"footer":               "presswatch digest of the topic %q.",
		"stance.state":         "state",
		"stance.independent":   "independent",
		"stance.campaign":      "campaign",
		"stance.international": "international",
		"stance.unknown":       "stance unknown",
	},
	"ru": {
		"title":                "%s: дайджест за %s",
		"subject":              "%s: дайджест за %s (%s)",
		"since":                "последние %s до %s",
		"counts":               "%s из %s, %s.",
		"nothing":              "За этот период по теме ничего нового.",
		"dropped":              "Редакторы исключили: %d.",
		"articles":             "%d статья|%d статьи|%d статей",
		"sources":              "%d источника|%d источников|%d источников",
		"stories":              "%d сюжет|%d сюжета|%d сюжетов",
		"copies":               "%d сайт|%d сайта|%d сайтов",
		"times":                "%d раз|%d раза|%d раз",
		"missing":              "В дайджесте могут отсутствовать статьи этих источников:",
		"down":                 "%s недоступен с %s",
		"failed":               "%s не отвечал %s между %s и %s, затем снова прочитан",
		"seen":                 "впервые замечено %s",
		"earlier":              "впервые замечено %s, до этого периода",
		"removed":              "позже удалено издателем",
		"others":               "Также опубликовали %s: %s",
		"update":               "Продолжение: сюжет из дайджеста за %s",
		"note":                 "Примечание",
		"original":             "Оригинал",
		"inpresswatch":         "В presswatch",
		"open":                 "Открыть тему в presswatch",
		"footer":               "Дайджест presswatch по теме %q.",
		"stance.state":         "государственный",
		"stance.independent":   "независимый",
		"stance.campaign":      "кампания",
		"stance.international": "международный",
		"stance.unknown":       "позиция неизвестна",
	},
}
