package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Dates and numbers as each UI language writes them. Every page, badge
// and chart formats through these functions; English stays as presswatch
// has always shown it ("16 Dec 2011", 12345, 12.5%), Russian follows its
// own rules: «16 декабря 2011» (the month in the genitive after a day),
// «декабрь 2011» (the nominative alone), digits grouped by threes with a
// no-break space, a decimal comma and a no-break space before %.
//
// Times recorded to the second (utc, published) stay ISO 8601 in every
// language: researchers cite and compare them.

const nbsp = "\u00a0"

// ruMonthsGenitive are the month names after a day: «16 декабря».
var ruMonthsGenitive = [12]string{"января", "февраля", "марта", "апреля", "мая", "июня",
	"июля", "августа", "сентября", "октября", "ноября", "декабря"}

// ruMonths are the month names standing alone: «декабрь 2011».
var ruMonths = [12]string{"январь", "февраль", "март", "апрель", "май", "июнь",
	"июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"}

// ruMonthsShort are the abbreviated month names of chart labels after a
// day (CLDR's, genitive): «16 дек. 2011», «1 мая 2011».
var ruMonthsShort = [12]string{"янв.", "февр.", "мар.", "апр.", "мая", "июн.",
	"июл.", "авг.", "сент.", "окт.", "нояб.", "дек."}

// ruMonthsShortAlone are the abbreviated month names of chart labels
// standing alone (CLDR's, nominative): «дек. 2011», «май 2011».
var ruMonthsShortAlone = [12]string{"янв.", "февр.", "март", "апр.", "май", "июнь",
	"июль", "авг.", "сент.", "окт.", "нояб.", "дек."}

// dayText shows the day of t in lang: "16 Dec 2011", «16 декабря 2011»;
// "" for the zero time.
func dayText(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if lang == "ru" {
		return strconv.Itoa(t.Day()) + " " + ruMonthsGenitive[t.Month()-1] + " " + strconv.Itoa(t.Year())
	}
	return t.Format("2 Jan 2006")
}

// monthText shows the month of t in lang: "Dec 2011", «декабрь 2011».
func monthText(lang string, t time.Time) string {
	if lang == "ru" {
		return ruMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
	}
	return t.Format("Jan 2006")
}

// isoDayText shows an ISO day (2011-12-16) or month (2011-12) in lang,
// as dayText and monthText do; anything else comes back as it is. It is
// for dates presswatch holds as text: key dates, the compare page's days.
func isoDayText(lang, d string) string {
	if lang == "en" {
		return d
	}
	if t, err := time.Parse(time.DateOnly, d); err == nil {
		return dayText(lang, t)
	}
	if t, err := time.Parse("2006-01", d); err == nil {
		return monthText(lang, t)
	}
	return d
}

// chartDate is the label of the bucket starting on the ISO day d under a
// chart's axis. English shows the ISO day, month or year as it always
// has; Russian the day and month in words, short: «16 дек. 2011»,
// «дек. 2011», «2011».
func chartDate(lang, d, interval string) string {
	t, err := time.Parse(time.DateOnly, d)
	if lang == "en" || err != nil {
		switch interval {
		case "month":
			return d[:min(len(d), 7)]
		case "year":
			return d[:min(len(d), 4)]
		}
		return d
	}
	switch interval {
	case "month":
		return ruMonthsShortAlone[t.Month()-1] + " " + strconv.Itoa(t.Year())
	case "year":
		return strconv.Itoa(t.Year())
	}
	return strconv.Itoa(t.Day()) + " " + ruMonthsShort[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// periodText names the days from and to (ISO, inclusive) of a chart's
// table row in lang: the ISO day or range in English, as always; in
// Russian as a Russian writes it: «16 декабря 2011», «май 2011» (a whole
// month), «2011» (a whole year), «12–18 декабря 2011»,
// «28 ноября – 4 декабря 2011», «26 декабря 2011 – 1 января 2012».
func periodText(lang, from, to string) string {
	f, errF := time.Parse(time.DateOnly, from)
	t, errT := time.Parse(time.DateOnly, to)
	if lang == "en" || errF != nil || errT != nil {
		if from == to {
			return from
		}
		return from + " – " + to
	}
	wholeMonth := f.Day() == 1 && t.AddDate(0, 0, 1).Day() == 1
	switch {
	case from == to:
		return dayText(lang, f)
	case wholeMonth && f.Month() == 1 && t.Month() == 12 && f.Year() == t.Year():
		return strconv.Itoa(f.Year())
	case wholeMonth && f.Month() == t.Month() && f.Year() == t.Year():
		return monthText(lang, f)
	case f.Month() == t.Month() && f.Year() == t.Year():
		return strconv.Itoa(f.Day()) + "–" + dayText(lang, t)
	case f.Year() == t.Year():
		return strconv.Itoa(f.Day()) + " " + ruMonthsGenitive[f.Month()-1] + " – " + dayText(lang, t)
	}
	return dayText(lang, f) + " – " + dayText(lang, t)
}

// numText shows a count in lang: 12345 in English, «12 345» in Russian
// (a no-break space between the groups).
func numText(lang string, n int64) string {
	s := strconv.FormatInt(n, 10)
	if lang != "ru" {
		return s
	}
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	if len(s) <= 3 {
		return sign + s
	}
	var b strings.Builder
	b.WriteString(sign)
	head := len(s) % 3
	if head > 0 {
		b.WriteString(s[:head])
	}
	for i := head; i < len(s); i += 3 {
		if i > 0 {
			b.WriteString(nbsp)
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// decimalText shows v with prec decimals in lang: 12.5 in English,
// «12,5» in Russian, the whole part grouped as numText groups it.
func decimalText(lang string, v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if lang != "ru" {
		return s
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if n, err := strconv.ParseInt(whole, 10, 64); err == nil {
		neg := strings.HasPrefix(whole, "-")
		whole = numText(lang, n)
		if neg && n == 0 {
			whole = "-0"
		}
	}
	if !hasFrac {
		return whole
	}
	return whole + "," + frac
}

// percentText shows the share v (0.125 for 12.5%) with prec decimals in
// lang: 12.5% in English, «12,5 %» in Russian.
func percentText(lang string, v float64, prec int) string {
	s := decimalText(lang, v*100, prec)
	if lang == "ru" {
		return s + nbsp + "%"
	}
	return s + "%"
}

// localInt is an integer argument of a UI text: %d shows it as numText
// does in the text's language, every other verb as fmt would.
type localInt struct {
	lang string
	n    int64
}

func (i localInt) Format(f fmt.State, verb rune) {
	if verb == 'd' {
		s := numText(i.lang, i.n)
		if w, ok := f.Width(); ok && utf8.RuneCountInString(s) < w {
			pad := strings.Repeat(" ", w-utf8.RuneCountInString(s))
			if f.Flag('-') {
				s += pad
			} else {
				s = pad + s
			}
		}
		fmt.Fprint(f, s)
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), i.n)
}

// localArgs wraps the integer arguments of a UI text in lang so that %d
// groups their digits as the language does.
func localArgs(lang string, args []any) []any {
	if lang == "en" {
		return args
	}
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case int:
			out[i] = localInt{lang, int64(v)}
		case int64:
			out[i] = localInt{lang, v}
		case uint64:
			out[i] = localInt{lang, int64(v)}
		default:
			out[i] = a
		}
	}
	return out
}

// Day shows an ISO day or month of the chart (a key date's) in its
// language.
func (c *chart) Day(d string) string { return isoDayText(c.Lang, d) }

// Day shows an ISO day or month of the chart (a key date's) in its
// language.
func (c *lineChart) Day(d string) string { return isoDayText(c.Lang, d) }

// Day shows an ISO day or month of the chart (a key date's) in its
// language.
func (c *compareChart) Day(d string) string { return isoDayText(c.Lang, d) }

// percentSep goes between a number and "%" where a page spaces them: a
// no-break space in Russian, a space in English.
func percentSep(lang string) string {
	if lang == "ru" {
		return nbsp
	}
	return " "
}
