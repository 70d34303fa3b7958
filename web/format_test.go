package web

import (
	"fmt"
	"testing"
	"time"
)

func TestFormatDates(t *testing.T) {
	day := time.Date(2011, 12, 16, 23, 30, 0, 0, time.FixedZone("ALMT", 6*3600))
	may := time.Date(2012, 5, 1, 0, 0, 0, 0, time.UTC)
	for name, tc := range map[string]struct{ got, want string }{
		"en day":                     {dayText("en", day), "16 Dec 2011"},
		"ru day, month in genitive":  {dayText("ru", day), "16 декабря 2011"},
		"ru May in genitive":         {dayText("ru", may), "1 мая 2012"},
		"zero time is nothing":       {dayText("ru", time.Time{}), ""},
		"en month":                   {monthText("en", may), "May 2012"},
		"ru month alone, nominative": {monthText("ru", day), "декабрь 2011"},
		"en ISO day stays":           {isoDayText("en", "2011-12-16"), "2011-12-16"},
		"ru ISO day":                 {isoDayText("ru", "2011-12-16"), "16 декабря 2011"},
		"ru ISO month":               {isoDayText("ru", "2011-05"), "май 2011"},
		"ru not a date stays":        {isoDayText("ru", "around 2011"), "around 2011"},
		"en chart day stays ISO":     {chartDate("en", "2011-12-16", "day"), "2011-12-16"},
		"en chart month stays ISO":   {chartDate("en", "2011-12-01", "month"), "2011-12"},
		"en chart year":              {chartDate("en", "2011-01-01", "year"), "2011"},
		"ru chart week":              {chartDate("ru", "2011-12-12", "week"), "12 дек. 2011"},
		"ru chart month":             {chartDate("ru", "2011-09-01", "month"), "сент. 2011"},
		"ru chart year":              {chartDate("ru", "2011-01-01", "year"), "2011"},
		"en period":                  {periodText("en", "2011-12-12", "2011-12-18"), "2011-12-12 – 2011-12-18"},
		"ru period in a month":       {periodText("ru", "2011-12-12", "2011-12-18"), "12–18 декабря 2011"},
		"ru period in a year":        {periodText("ru", "2011-11-28", "2011-12-04"), "28 ноября – 4 декабря 2011"},
		"ru period across years":     {periodText("ru", "2011-12-26", "2012-01-01"), "26 декабря 2011 – 1 января 2012"},
		"ru whole month":             {periodText("ru", "2012-02-01", "2012-02-29"), "февраль 2012"},
		"ru whole year":              {periodText("ru", "2011-01-01", "2011-12-31"), "2011"},
		"ru part of a month":         {periodText("ru", "2011-05-01", "2011-05-30"), "1–30 мая 2011"},
		"ru chart May alone":         {chartDate("ru", "2011-05-01", "month"), "май 2011"},
		"ru chart May after a day":   {chartDate("ru", "2011-05-30", "week"), "30 мая 2011"},
		"ru one-day period":          {periodText("ru", "2011-12-16", "2011-12-16"), "16 декабря 2011"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %q, want %q", name, tc.got, tc.want)
		}
	}
}

func TestFormatNumbers(t *testing.T) {
	for name, tc := range map[string]struct{ got, want string }{
		"en count stays plain":       {numText("en", 1234567), "1234567"},
		"ru three digits":            {numText("ru", 999), "999"},
		"ru four digits grouped":     {numText("ru", 3990), "3\u00a0990"},
		"ru millions":                {numText("ru", 1234567), "1\u00a0234\u00a0567"},
		"ru negative":                {numText("ru", -12345), "-12\u00a0345"},
		"en decimal point":           {decimalText("en", 12.25, 1), "12.2"},
		"ru decimal comma":           {decimalText("ru", 0.4, 1), "0,4"},
		"ru grouped decimal":         {decimalText("ru", 12345.67, 2), "12\u00a0345,67"},
		"ru whole decimal":           {decimalText("ru", 2.0, 0), "2"},
		"en percent":                 {percentText("en", 0.125, 1), "12.5%"},
		"ru percent, spaced, comma":  {percentText("ru", 0.125, 1), "12,5\u00a0%"},
		"ru whole percent":           {percentText("ru", 1, 0), "100\u00a0%"},
		"en chart share":             {(&chart{Lang: "en", Share: true}).format(0.05), "5.0%"},
		"ru chart share":             {(&chart{Lang: "ru", Share: true}).format(0.05), "5,0\u00a0%"},
		"ru chart count":             {(&chart{Lang: "ru"}).format(12000), "12\u00a0000"},
		"ru breakdown share":         {percent("ru", 0.034), "3,4\u00a0%"},
		"en breakdown share":         {percent("en", 0.03), "3%"},
		"ru %d in a text is grouped": {page{Lang: "ru"}.Tf("search.total.many", 12345), "Статей: 12\u00a0345"},
		"en %d in a text stays":      {page{Lang: "en"}.Tf("search.total.many", 12345), "12345 articles"},
		"ru plural is grouped":       {plural("ru", "search.stories", 10001), "10\u00a0001 сюжет"},
		"ru indexed %[2]d grouped":   {page{Lang: "ru"}.Tf("sp.interval.coarser", "a", 2000, "b"), "Столбцов a за этот период было бы больше 2\u00a0000; подсчитано b."},
		"ru %v of an int stays":      {fmt.Sprintf("%v|%5d", localInt{"ru", 1234}, localInt{"ru", 7}), "1234|    7"},
		"ru page Num":                {page{Lang: "ru"}.Num(uint64(25000)), "25\u00a0000"},
		"ru page Date":               {page{Lang: "ru"}.Date(time.Date(2011, 12, 17, 0, 0, 0, 0, time.UTC)), "17 декабря 2011"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %q, want %q", name, tc.got, tc.want)
		}
	}
}
