package index

import (
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/mapping"

	"presswatch/internal/model"
)

// This file is the whole of the first mapping. A later one (per-language
// analyzers, transliteration folding) replaces it; the rest of the package
// only uses the field names below, newMapping and document.
//
// Every text field uses the "standard" analyzer (Unicode word breaks,
// lower case, English stop words) whatever the article's language: a
// per-language analyzer would need the same analyzer at query time, which
// the default _all field cannot give, and Bleve has no Kazakh analyzer.
// So words match as written: "Жанаозен" does not find "Жанаозене".

// The field names, also usable in queries as field:value.
const (
	fieldTitle     = "title"
	fieldText      = "text"
	fieldSource    = "source"
	fieldStance    = "stance"
	fieldLang      = "lang"
	fieldPublished = "published"
	// fieldPublishedLocal holds the publisher's wall-clock time as if it
	// were UTC, so date filters (and later day histograms) use the day the
	// publisher printed: a Kazakh article of 16 Dec 03:00 +06:00 belongs to
	// 16 December, though it is 15 December in UTC.
	fieldPublishedLocal = "published_local"
	// fieldPublishedAt stores the published time with its offset, for display.
	fieldPublishedAt = "published_at"
	fieldFirstSeen   = "first_seen"
	fieldURL         = "url"
)

// mappingVersion names this mapping; it changes whenever the mapping does.
// Open stores it in a new index (internal key "mapping_version") so a later
// mapping can tell that an index was built with this one and needs Rebuild.
const mappingVersion = "2-standard-localday"

// newMapping returns the index mapping. Only title and text go into the
// default (_all) field, so a bare word never matches a source id or URL.
func newMapping() *mapping.IndexMappingImpl {
	text := func(vectors bool) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = standard.Name
		f.IncludeTermVectors = vectors // needed by the highlighter
		f.DocValues = false
		return f
	}
	kw := func() *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		return f
	}
	date := func() *mapping.FieldMapping {
		f := mapping.NewDateTimeFieldMapping()
		f.IncludeInAll = false
		return f
	}

	doc := mapping.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldTitle, text(true))
	doc.AddFieldMappingsAt(fieldText, text(true))
	doc.AddFieldMappingsAt(fieldSource, kw())
	doc.AddFieldMappingsAt(fieldStance, kw())
	doc.AddFieldMappingsAt(fieldLang, kw())
	doc.AddFieldMappingsAt(fieldURL, kw())
	doc.AddFieldMappingsAt(fieldPublished, date())
	localDay := date()
	localDay.Store = false
	doc.AddFieldMappingsAt(fieldPublishedLocal, localDay)
	at := kw()
	at.Index = false
	doc.AddFieldMappingsAt(fieldPublishedAt, at)
	doc.AddFieldMappingsAt(fieldFirstSeen, date())

	m := mapping.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = standard.Name
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m
}

// docID is the Bleve document id of an article.
func docID(id int64) string { return strconv.FormatInt(id, 10) }

// document turns an article into what Bleve indexes. Unknown dates are
// left out rather than indexed as the zero time, so an article without a
// published date has no published field: date ranges do not find it and
// it sorts last both newest-first and oldest-first.
func document(a *model.Article, stance model.Stance) map[string]any {
	d := map[string]any{
		fieldTitle:  a.Title,
		fieldText:   a.Text,
		fieldSource: a.SourceID,
		fieldStance: string(stance),
		fieldLang:   a.Lang,
		fieldURL:    a.URL,
	}
	if !a.Published.IsZero() {
		d[fieldPublished] = a.Published.UTC()
		d[fieldPublishedLocal] = WallClock(a.Published)
		d[fieldPublishedAt] = a.Published.Format(time.RFC3339)
	}
	if !a.FirstSeen.IsZero() {
		d[fieldFirstSeen] = a.FirstSeen.UTC()
	}
	return d
}

// WallClock returns t's date and time of day as printed in its own zone,
// labelled UTC: the form the publisher's-day filters compare.
func WallClock(t time.Time) time.Time {
	y, mo, d := t.Date()
	return time.Date(y, mo, d, t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}
