package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// The UI's text lives here and in the i18n_*.go files, in every language
// it ships. A key missing from a language falls back to English; a key
// missing from English shows as itself, which the tests catch
// (TestMessagesComplete).
var messages = map[string]map[string]string{
	"en": merged(baseEN, pagesEN, searchEN, historyEN, topicsEN, digestsEN, loginEN, sourcesEN, importEN, backfillEN),
	"ru": merged(baseRU, pagesRU, searchRU, historyRU, topicsRU, digestsRU, loginRU, sourcesRU, importRU, backfillRU),
}

// merged is the union of the tables; a key in two of them is a mistake
// TestMessagesUnique catches.
func merged(tables ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, t := range tables {
		for k, v := range t {
			out[k] = v
		}
	}
	return out
}

var baseEN = map[string]string{
	"brand":             "presswatch",
	"nav.home":          "Home",
	"nav.search":        "Search",
	"nav.timeline":      "Timeline",
	"nav.compare":       "Compare accounts",
	"nav.sources":       "Sources",
	"nav.help":          "Help",
	"lang.switch":       "Русский",
	"skip":              "Skip to content",
	"nav.label":         "Pages",
	"home.heading":      "Press monitoring",
	"chart.tablelink":   "Read this chart as a table",
	"search.label":      "Search the collected coverage",
	"search.button":     "Search",
	"search.hint":       `Words, "exact phrase", AND, OR, NOT, (groups), Kazakh*, title:, source:, lang:ru, stance:state, published:>=2011-12-16. Every spelling of a name is found.`,
	"search.total.one":  "1 article",
	"search.total.many": "%d articles",
	"search.stories":    "%d story|%d stories",
	"search.more":       "More results",
	"date.unknown":      "date unknown",
	"error.title":       "Something is wrong",
	"error.notfound":    "There is no page here.",
	"error.starting":    "presswatch is starting; try again in a moment.",
	"error.admin":       "Changing topics and digests from the web needs a presswatch that listens on loopback (127.0.0.1 or ::1) until a login exists; run serve with --addr 127.0.0.1:PORT, or change the configuration file.",
	"error.internal":    "presswatch could not answer; the error is logged.",
	"error.back":        "Back to the search",
}

var baseRU = map[string]string{
	"brand":             "presswatch",
	"nav.home":          "Главная",
	"nav.search":        "Поиск",
	"nav.timeline":      "Хронология",
	"nav.compare":       "Сравнить источники",
	"nav.sources":       "Источники",
	"nav.help":          "Справка",
	"lang.switch":       "English",
	"skip":              "Перейти к содержанию",
	"nav.label":         "Разделы",
	"home.heading":      "Мониторинг прессы",
	"chart.tablelink":   "Этот график в виде таблицы",
	"search.label":      "Поиск по собранным материалам",
	"search.button":     "Найти",
	"search.hint":       `Слова, "точная фраза", AND, OR, NOT, (скобки), Казах*, title:, source:, lang:ru, stance:state, published:>=2011-12-16. Имя находится в любом написании.`,
	"search.total.one":  "1 статья",
	"search.total.many": "Статей: %d",
	"search.stories":    "%d сюжет|%d сюжета|%d сюжетов",
	"search.more":       "Ещё результаты",
	"date.unknown":      "дата неизвестна",
	"error.title":       "Что-то не так",
	"error.notfound":    "Такой страницы нет.",
	"error.starting":    "presswatch запускается; попробуйте через минуту.",
	"error.admin":       "Менять темы и дайджесты через веб можно, только пока presswatch слушает локальный адрес (127.0.0.1 или ::1), — до появления входа по паролю; запустите serve с --addr 127.0.0.1:ПОРТ или измените файл настроек.",
	"error.internal":    "presswatch не смог ответить; ошибка записана в журнал.",
	"error.back":        "Назад к поиску",
}

// langs are the UI languages, the first the default.
var uiLangs = []string{"en", "ru"}

// uiParam is the URL parameter of the UI language. It is not "lang",
// which filters articles by their language on every page and in the API.
const uiParam = "ui"

// uiLang picks the UI language: ?ui=, else the ui cookie (set when the
// switch is used), else the best of Accept-Language, else English.
func uiLang(r *http.Request) string {
	if l := r.URL.Query().Get(uiParam); known(l) {
		return l
	}
	if c, err := r.Cookie(uiParam); err == nil && known(c.Value) {
		return c.Value
	}
	best, bestQ := uiLangs[0], 0.0
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if known(base) && q > bestQ {
			best, bestQ = base, q
		}
	}
	return best
}

func known(lang string) bool {
	for _, l := range uiLangs {
		if l == lang {
			return true
		}
	}
	return false
}

// plural returns the text of key in lang in the form that fits n, with n
// in it. A plural text holds its forms separated by "|": English has two
// (one, other), Russian three (1, 21 сюжет; 2-4, 22 сюжета; 5-20, 25
// сюжетов); a text with fewer forms uses its last for the rest. n is
// grouped as lang groups digits (numText).
func plural(lang, key string, n int) string {
	forms := strings.Split(translate(lang, key), "|")
	i := 1
	switch {
	case lang == "ru" && n%10 == 1 && n%100 != 11, lang != "ru" && n == 1:
		i = 0
	case lang == "ru" && n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
		i = 1
	case lang == "ru":
		i = 2
	}
	return fmt.Sprintf(forms[min(i, len(forms)-1)], localArgs(lang, []any{n})...)
}

// translate returns the text of key in lang.
func translate(lang, key string) string {
	if s, ok := messages[lang][key]; ok {
		return s
	}
	if s, ok := messages["en"][key]; ok {
		return s
	}
	return key
}
