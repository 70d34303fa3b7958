package copies

import (
	"math/rand/v2"
	"strings"
)

// The transformations a republishing site makes, as the evaluation and
// the tests apply them. Each takes the original text and a source of
// randomness (seeded per original, so the set is the same every run).

type transformation struct {
	name        string
	fixtureOnly bool // only on the Zhanaozen stories (the shared background box)
	apply       func(*rand.Rand, string) string
}

var transformations = []transformation{
	{name: "credit+headline", apply: func(r *rand.Rand, s string) string { return headline(r, credit(r, s)) }},
	{name: "footer", apply: func(r *rand.Rand, s string) string { return footer(r, s) }},
	{name: "trimmed", apply: func(r *rand.Rand, s string) string { return trim(r, s) }},
	{name: "template", apply: func(r *rand.Rand, s string) string { return template(r, s) }},
	{name: "trimmed+footer+credit", apply: func(r *rand.Rand, s string) string { return footer(r, credit(r, trim(r, s))) }},
	{name: "all", apply: func(r *rand.Rand, s string) string { return template(r, footer(r, headline(r, credit(r, trim(r, s))))) }},
	{name: "background", fixtureOnly: true, apply: func(r *rand.Rand, s string) string { return s + "\n" + background }},
}

// background is the box an agency sets under each of its reports on
// Zhanaozen: copies of different stories that carry it share it and must
// still stay apart.
const background = `Background: Oil workers of Ozenmunaigas and Karazhanbasmunai in the Mangystau region went on strike in May 2011 over pay and working conditions, and more than 2,000 of them were dismissed. On 16 December 2011, Independence Day, police opened fire on strikers and residents in the central square of Zhanaozen; the authorities say 16 people died. The union lawyer Natalia Sokolova was sentenced to six years in prison.`

// credits are agency credits, set before the first line (leads) or after
// the last (tails).
var (
	leads = []string{"(Reuters) — ", "ALMATY, Dec 17 (Reuters) - ", "(dpa) – ", "АСТАНА. КазТАГ – ", "(AFP) ", "Алматы, 17 декабря. Interfax-Kazakhstan – "}
	tails = []string{"Источник: КазТАГ", "Quelle: dpa", "Source : AFP", "Fuente: EFE", "Źródło: PAP", "Fonte: ANSA", "Дереккөз: Kazinform", "Copyright 2011 The Associated Press. All rights reserved."}
)

func credit(r *rand.Rand, s string) string {
	if r.IntN(2) == 0 {
		return leads[r.IntN(len(leads))] + s
	}
	return s + "\n" + tails[r.IntN(len(tails))]
}

// headline puts a new headline line first: some of the text's own words,
// as headlines are.
func headline(r *rand.Rand, s string) string {
	w := strings.Fields(s)
	n := 6 + r.IntN(5)
	start := r.IntN(max(1, len(w)-n))
	return strings.Join(w[start:min(len(w), start+n)], " ") + "\n" + s
}

var footers = []string{
	"Share this article", "Comments are closed.", "Поделиться:", "Teilen Sie diesen Artikel", "Facebook Twitter WhatsApp E-mail",
	"Subscribe to our newsletter", "Похожие новости", "Laisser un commentaire", "Condividi questo articolo", "Udostępnij",
	"Compartilhe esta notícia", "Comparte esta noticia", "Print this page", "Report a typo: select it and press Ctrl+Enter",
}

// footer adds two to four reader-footer lines.
func footer(r *rand.Rand, s string) string {
	var b strings.Builder
	b.WriteString(s)
	for range 2 + r.IntN(3) {
		b.WriteString("\n" + footers[r.IntN(len(footers))])
	}
	return b.String()
}

// trim keeps the first 40-60 % of the words, cut after a word, with the
// text's line breaks.
func trim(r *rand.Rand, s string) string {
	n := len(strings.Fields(s))
	keep := n * (40 + r.IntN(21)) / 100
	seen := 0
	for i, inWord := 0, false; i < len(s); i++ {
		space := s[i] == ' ' || s[i] == '\n' || s[i] == '\t'
		if !space && !inWord {
			if seen == keep {
				return strings.TrimSpace(s[:i]) + " …"
			}
			seen++
		}
		inWord = !space
	}
	return s
}

// templates are other sites' boilerplate an extractor lets through: a
// header and a footer block, 20-50 words.
var templates = []struct{ top, bottom string }{
	{"Kazakhstan Today\nHome | Politics | Economy | Society | World\n17 December 2011, 10:45 | Views: 1 254",
		"© 2011 Kazakhstan Today. All rights reserved. Reproduction is allowed only with a hyperlink to the source.\nTags: Kazakhstan, oil, strike"},
	{"Новости Казахстана\nГлавная | Политика | Экономика | Происшествия | В мире\n17.12.2011 10:45 Просмотров: 3 021",
		"При полном или частичном использовании материалов ссылка на сайт обязательна.\nЕсли вы заметили ошибку, выделите её и нажмите Ctrl+Enter"},
	{"Nachrichten aus aller Welt\nStartseite > Politik > Ausland\nVeröffentlicht am 17.12.2011 um 10:45 Uhr",
		"Alle Rechte vorbehalten. Vervielfältigung nur mit Genehmigung.\nMehr zum Thema: Kasachstan, Streik, Ölindustrie"},
	{"Le Journal International\nAccueil > Monde > Asie centrale\nPublié le 17/12/2011 à 10h45",
		"© Le Journal International. Tous droits réservés. Toute reproduction interdite sans autorisation.\nMots-clés : Kazakhstan, pétrole"},
	{"Gazeta Wiadomości\nStrona główna | Świat | Gospodarka\n17.12.2011, 10:45",
		"Wszelkie prawa zastrzeżone. Kopiowanie materiałów bez zgody redakcji zabronione.\nTagi: Kazachstan, strajk, ropa"},
	{"Diario Global\nInicio > Internacional > Asia\n17/12/2011 - 10:45h",
		"© Diario Global. Todos los derechos reservados. Prohibida su reproducción total o parcial.\nEtiquetas: Kazajistán, petróleo, huelga"},
}

func template(r *rand.Rand, s string) string {
	t := templates[r.IntN(len(templates))]
	return t.top + "\n" + s + "\n" + t.bottom
}
