package web

import (
	"cmp"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"presswatch/index/qparse"
)

// The index says in English why it refuses a parameter
// (index.ParamError.Reason) or a query (qparse.Error): its words are for
// the API and the logs. A page in another language shows them in its
// own words when the reason is one of these; a reason not listed stays
// English (and TestRussianPagesShowNoEnglish names it when a page shows
// it).
//
// A pattern is the English with # for a number and * for any text; its
// translation puts them back as {1}, {2}, ... in the order they matched.
var reasonsRU = compileReasons(map[string]string{
	// index.ParamError reasons: the Russian follows «value».
	`is not a date (want YYYY-MM-DD)`:                                       `— не дата (нужно ГГГГ-ММ-ДД)`,
	`is outside the years # to #`:                                           `— вне лет с {1} по {2}`,
	`is before "from"`:                                                      `— раньше, чем «from»`,
	`is not a number from 1 to #`:                                           `— не число от 1 до {1}`,
	`is not a whole number from 1 to #`:                                     `— не целое число от 1 до {1}`,
	`is not a sort order (want relevance, newest or oldest)`:                `— не порядок сортировки (нужно «relevance», «newest» или «oldest»)`,
	`is not an operator (want or or and)`:                                   `— не оператор (нужно «or» или «and»)`,
	`is not an interval (want auto, day, week, month or year)`:              `— не интервал (нужно «auto», «day», «week», «month» или «year»)`,
	`is not a state (want live, edited or removed)`:                         `— не состояние (нужно «live», «edited» или «removed»)`,
	`is not a stance (want one of *)`:                                       `— не позиция (нужно одно из: {1})`,
	`is not a way to collapse (want story)`:                                 `— не способ группировки (нужно «story»)`,
	`is not a date field (want published or first_seen)`:                    `— не поле даты (нужно «published» или «first_seen»)`,
	`are too many; at most #`:                                               `— слишком много; не больше {1}`,
	`is # bytes long; at most #`:                                            `— длиной {1} байт; не больше {2}`,
	`is not a cursor from a previous page`:                                  `— не курсор предыдущей страницы`,
	`is not a cursor from a previous page of stories`:                       `— не курсор предыдущей страницы сюжетов`,
	`is a cursor for sort *, not *`:                                         `— курсор для сортировки «{1}», а не «{2}»`,
	`is past the last page of this search`:                                  `— дальше последней страницы этого поиска`,
	`is not 0 or 1`:                                                         `— не 0 и не 1`,
	`is not 1 (start the CSV with a UTF-8 byte order mark, for Excel) or 0`: `— не 1 (начать CSV с метки порядка байтов UTF-8, для Excel) и не 0`,
	`is for /search.csv only: a program reading JSON Lines takes a byte order mark for a broken first line`:                                          `— только для /search.csv: программа, читающая JSON Lines, примет метку порядка байтов за испорченную первую строку`,
	`cannot be used with collapse=story: shares are of articles only`:                                                                                `— нельзя вместе с «collapse=story»: доли считаются только по статьям`,
	`cannot count the stories of # matching articles (at most #): narrow the search, by dates or sources`:                                            `— нельзя собрать в сюжеты {1} найденных статей (не больше {2}): сузьте поиск по датам или источникам`,
	`cannot be searched yet: the index is being rebuilt for this version of presswatch (states and stories come with it); try again when it is done`: `— пока нельзя искать: индекс перестраивается для этой версии presswatch (с ним появятся состояния и сюжеты); попробуйте, когда он будет готов`,

	// qparse reasons and suggestions.
	`the query is longer than # bytes`:                            `запрос длиннее {1} байт`,
	`the query is not valid UTF-8`:                                `запрос — не корректный UTF-8`,
	`the query holds a NUL character`:                             `в запросе есть символ NUL`,
	`unbalanced parenthesis: this ) has no (`:                     `непарная скобка: у этой ) нет (`,
	`unbalanced parenthesis: this ( is never closed`:              `непарная скобка: эта ( не закрыта`,
	`empty group: ( ) holds nothing to search for`:                `пустая группа: в ( ) нечего искать`,
	`unbalanced quote: this " is never closed`:                    `непарная кавычка: эта " не закрыта`,
	`empty phrase: "" holds nothing to search for`:                `пустая фраза: в "" нечего искать`,
	`* has nothing after it`:                                      `после {1} ничего нет`,
	`* is an operator with nothing before it`:                     `{1} — оператор, а перед ним ничего нет`,
	`to search for the word, write it in lower case or in quotes`: `чтобы искать это слово, напишите его строчными буквами или в кавычках`,
	`more than # groups inside each other`:                        `больше {1} групп одна в другой`,
	`more than # operators or groups inside each other`:           `больше {1} операторов или групп один в другом`,
	`unknown field *`:                                             `неизвестное поле {1}`,
	`field names are lower case: *`:                               `имена полей пишутся строчными буквами: {1}`,
	`did you mean *?`:                                             `может быть, {1}?`,
	`the fields are *`:                                            `поля: {1}`,
	`*: has no value`:                                             `у {1}: нет значения`,
	`write it against the colon: *`:                               `пишите значение сразу после двоеточия: {1}`,
	`* is not a date`:                                             `{1} — не дата`,
	`write YYYY-MM-DD, YYYY-MM or YYYY`:                           `пишите ГГГГ-ММ-ДД, ГГГГ-ММ или ГГГГ`,
	`write YYYY-MM-DD, YYYY-MM or YYYY, or * for an open end`:     `пишите ГГГГ-ММ-ДД, ГГГГ-ММ или ГГГГ, или * для открытого конца`,
	`a range needs two dates with TO between them`:                `диапазону нужны две даты и TO между ними`,
	`a range open at both ends bounds nothing`:                    `диапазон, открытый с обоих концов, ничего не ограничивает`,
	`more than # words and phrases`:                               `больше {1} слов и фраз`,
	`more than # patterns (words with * or ?)`:                    `больше {1} шаблонов (слов с * или ?)`,
	`narrow the query`:                                            `сузьте запрос`,
})

type reasonRule struct {
	re *regexp.Regexp
	to string
}

func compileReasons(m map[string]string) []reasonRule {
	var out []reasonRule
	for from, to := range m {
		var b strings.Builder
		b.WriteString("^")
		for _, r := range from {
			switch r {
			case '#':
				b.WriteString(`(\d+)`)
			case '*':
				b.WriteString(`(.+?)`)
			default:
				b.WriteString(regexp.QuoteMeta(string(r)))
			}
		}
		b.WriteString("$")
		out = append(out, reasonRule{regexp.MustCompile(b.String()), to})
	}
	// The longest patterns first: the most specific wins.
	slices.SortFunc(out, func(a, b reasonRule) int {
		return cmp.Or(len(b.re.String())-len(a.re.String()), strings.Compare(a.re.String(), b.re.String()))
	})
	return out
}

// reasonText is the index's English reason in lang, or as it is when
// lang is English or the reason is not listed.
func reasonText(lang, reason string) string {
	if lang != "ru" {
		return reason
	}
	for _, r := range reasonsRU {
		m := r.re.FindStringSubmatch(reason)
		if m == nil {
			continue
		}
		out := r.to
		for i, v := range m[1:] {
			out = strings.ReplaceAll(out, "{"+strconv.Itoa(i+1)+"}", v)
		}
		return out
	}
	return reason
}

// queryErrorText is why a query is refused, in lang: a qparse.Error's
// reason, where it is and what to write instead.
func queryErrorText(lang string, err error) string {
	var qe *qparse.Error
	if lang == "en" || !errors.As(err, &qe) {
		return err.Error()
	}
	s := reasonText(lang, qe.Reason)
	if qe.Pos > 0 {
		s += " " + translatef(lang, "sp.err.query.at", qe.Pos)
	}
	if qe.Suggest != "" {
		s += "; " + reasonText(lang, qe.Suggest)
	}
	return s
}

// reasonOfFailure is a digest's reason a source failed ("kind: the
// crawler's English text") in lang: in English as it is, in another
// language the kind's description in that language, the English detail
// left to the sources page and the logs. A reason of no known kind stays
// as it is.
func reasonOfFailure(lang, reason string) string {
	if lang == "en" {
		return reason
	}
	kind, _, _ := strings.Cut(reason, ":")
	if t, ok := messages[lang]["sources.kind."+kind]; ok {
		return t
	}
	return reason
}
