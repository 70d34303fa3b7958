package parse

import (
	"strings"
	"time"
)

// monthNames lists, per month, its names in the languages presswatch
// follows: full, genitive ("января", "grudnia") and usual abbreviations,
// lower case. A name may appear in two languages ("mai"); it never means
// two different months.
var monthNames = [12]string{
	"january jan januar jänner janvier janv enero gennaio janeiro stycznia styczeń январь января янв січня қаңтар",
	"february feb februar février fevrier févr fevr febrero febbraio fevereiro lutego luty февраль февраля фев февр лютого ақпан",
	"march mar märz maerz mär mrz mars marzo março marco marca marzec март марта березня наурыз",
	"april apr avril avr abril aprile kwietnia kwiecień апрель апреля апр квітня сәуір",
	"may mai mayo maggio maio maja maj май мая травня мамыр",
	"june jun juni juin junio giugno junho czerwca czerwiec июнь июня июн червня маусым",
	"july jul juli juillet juil julio luglio julho lipca lipiec июль июля июл липня шілде",
	"august aug août aout agosto sierpnia sierpień август августа авг серпня тамыз",
	"september sep sept septembre septiembre setiembre settembre setembro września wrzesień сентябрь сентября сен сент вересня қыркүйек",
	"october oct oktober okt octobre octubre ottobre outubro października październik октябрь октября окт жовтня қазан",
	"november nov novembre noviembre novembro listopada listopad ноябрь ноября ноя нояб листопада қараша",
	"december dec dezember dez décembre decembre déc diciembre dicembre dezembro grudnia grudzień декабрь декабря дек грудня желтоқсан",
}

// months maps every name in monthNames to its month.
var months = func() map[string]time.Month {
	m := make(map[string]time.Month)
	for i, names := range monthNames {
		for _, name := range strings.Fields(names) {
			m[name] = time.Month(i + 1)
		}
	}
	return m
}()
