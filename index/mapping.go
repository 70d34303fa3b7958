package index

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/mapping"

	"presswatch/internal/model"
)

// The mapping: every article's title and text are indexed three times.
//
//   - In its language's field (title_ru, text_ru; title_de, text_de ...)
//     with Bleve's analyzer for that language (stemming, stop words), so
//     a word matches its inflections as the language forms them. Kazakh,
//     which Bleve lacks, gets lower case and NFC; languages without an
//     analyzer go to title_xx/text_xx with the standard one.
//   - In title and text, with the fold analyzer: one key for every
//     spelling and script of a name (internal/textfold). These two are
//     stored, with term vectors, so hits show the text with the words
//     that matched marked as the page spelt them.
//   - In words, lower case as written, without term vectors: only its
//     dictionary is read, for patterns (see fieldWords).
//
// A query searches the first two (see query.go), the language fields
// weighted higher, so an exact match ranks above a folded one.

// The field names. title, text, source, stance, lang, url, topic, state
// and published can be named in queries (field:value).
const (
	fieldTitle     = "title"
	fieldText      = "text"
	fieldSource    = "source"
	fieldStance    = "stance"
	fieldLang      = "lang"
	fieldURL       = "url"
	fieldTopics    = "topic"
	fieldState     = "state"   // live, edited or removed
	fieldCluster   = "cluster" // the story: the cluster id of the copies of one text
	fieldPublished = "published"
	// fieldPublishedLocal holds the publisher's wall-clock time as if it
	// were UTC, so date filters use the day the publisher printed: a
	// Kazakh article of 16 Dec 03:00 +06:00 belongs to 16 December.
	fieldPublishedLocal = "published_local"
	fieldPublishedAt    = "published_at" // stored: the published time with its offset
	fieldFirstSeen      = "first_seen"
	fieldDay            = "day" // the publisher's day, YYYY-MM-DD, for the timeline
	// fieldNum is the article id, zero-padded to sort as text: the sorts
	// end with it, so the order is total for cursor paging. Sorting by
	// Bleve's _id instead reads the id of every candidate from the stored
	// documents, which at 100k articles made one search touch 200 MB more
	// of the index files; a numeric field, with its several precisions in
	// the doc values, made it twice as slow.
	fieldNum     = "n"
	fieldSeenDay = "seen_day" // the first-seen day (UTC), for the timeline by first seen
	// fieldAuthor is the byline, folded like the title and text.
	fieldAuthor = "author"
	// fieldWords holds the words of title, text and byline as written,
	// lower case: its dictionary is what a pattern (Kazakhst*) is
	// matched against before each word found is looked up by its key in
	// the folded fields (compile.go).
	fieldWords = "words"
)

// langAnalyzers are the languages with a field of their own, and the
// analyzer of each. otherLang collects the rest.
var langAnalyzers = map[string]string{
	"en": "en", "ru": "ru", "de": "de", "fr": "fr", "es": "es", "it": "it", "pl": "pl", "pt": "pt",
	"kk": kkAnalyzer, otherLang: standard.Name,
}

const otherLang = "xx"

// langs lists langAnalyzers' keys in a fixed order, for query expansion.
var langs = []string{"en", "ru", "kk", "de", "fr", "es", "it", "pl", "pt", otherLang}

func langField(kind, lang string) string { return kind + "_" + lang }

// mappingVersion names this mapping; it changes whenever the mapping does.
// A new index records it (internal key "mapping_version"); Open reports an
// index made with another one as stale, to be rebuilt.
const mappingVersion = "10-queries-facet-key-fold-fixpoint"

// newMapping returns the index mapping.
func newMapping() (*mapping.IndexMappingImpl, error) {
	text := func(analyzer string, store bool) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = store
		f.IncludeTermVectors = true // phrases need positions, the highlighter offsets
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func(store, docValues bool) *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = docValues // facets and sorting read them
		return f
	}
	date := func(store bool) *mapping.FieldMapping {
		f := mapping.NewDateTimeFieldMapping()
		f.Store = store
		f.IncludeInAll = false
		return f
	}

	doc := mapping.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldTitle, text(foldAnalyzer, true))
	doc.AddFieldMappingsAt(fieldText, text(foldAnalyzer, true))
	for _, l := range langs {
		doc.AddFieldMappingsAt(langField(fieldTitle, l), text(langAnalyzers[l], false))
		doc.AddFieldMappingsAt(langField(fieldText, l), text(langAnalyzers[l], false))
	}
	doc.AddFieldMappingsAt(fieldAuthor, text(foldAnalyzer, false))
	words := text(wordsAnalyzer, false)
	words.IncludeTermVectors = false // only its dictionary is read
	doc.AddFieldMappingsAt(fieldWords, words)
	doc.AddFieldMappingsAt(fieldSource, kw(true, true))
	doc.AddFieldMappingsAt(fieldStance, kw(true, true))
	doc.AddFieldMappingsAt(fieldLang, kw(true, true))
	doc.AddFieldMappingsAt(fieldURL, kw(true, false))
	doc.AddFieldMappingsAt(fieldTopics, kw(false, false))
	doc.AddFieldMappingsAt(fieldState, kw(true, true))
	doc.AddFieldMappingsAt(fieldCluster, kw(true, true))
	// The facets and timelines count one field (facetkey.go); day and
	// seen_day are counted only in an index of an older mapping.
	doc.AddFieldMappingsAt(fieldFacetKey, kw(false, true))
	doc.AddFieldMappingsAt(fieldFacetKeySeen, kw(false, true))
	at := kw(true, false)
	at.Index = false
	doc.AddFieldMappingsAt(fieldPublishedAt, at)
	doc.AddFieldMappingsAt(fieldPublished, date(true))
	doc.AddFieldMappingsAt(fieldPublishedLocal, date(false))
	doc.AddFieldMappingsAt(fieldFirstSeen, date(true))
	doc.AddFieldMappingsAt(fieldNum, kw(false, true))

	m := mapping.NewIndexMapping()
	if err := addAnalyzers(m); err != nil {
		return nil, err
	}
	m.DefaultMapping = doc
	m.DefaultAnalyzer = foldAnalyzer
	m.DefaultField = fieldText
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m, nil
}

// docID is the Bleve document id of an article.
func docID(id int64) string { return strconv.FormatInt(id, 10) }

// document turns an article into what Bleve indexes. Unknown dates are
// left out rather than indexed as the zero time, so an article without a
// published date has no published field: date ranges do not find it and
// it sorts last both newest-first and oldest-first.
func document(a *model.Article, stance model.Stance) map[string]any {
	lang := strings.ToLower(a.Lang)
	if _, ok := langAnalyzers[lang]; !ok || lang == "" {
		lang = otherLang
	}
	d := map[string]any{
		fieldTitle:                  a.Title,
		fieldText:                   a.Text,
		langField(fieldTitle, lang): a.Title,
		langField(fieldText, lang):  a.Text,
		fieldSource:                 a.SourceID,
		fieldStance:                 string(stance),
		fieldLang:                   a.Lang,
		fieldURL:                    a.URL,
		fieldNum:                    fmt.Sprintf("%019d", a.ID),
		fieldState:                  string(model.StateLive),
		fieldCluster:                strconv.FormatInt(max(a.ClusterID, a.ID), 10),
		fieldWords:                  []string{a.Title, a.Text, a.Author},
	}
	if a.Author != "" {
		d[fieldAuthor] = a.Author
	}
	if a.State != "" {
		d[fieldState] = string(a.State)
	}
	if a.ClusterID != 0 {
		d[fieldCluster] = strconv.FormatInt(a.ClusterID, 10)
	}
	if len(a.Topics) > 0 {
		d[fieldTopics] = a.Topics
	}
	var pubDay, seenDay string
	if !a.Published.IsZero() {
		d[fieldPublished] = a.Published.UTC()
		d[fieldPublishedLocal] = WallClock(a.Published)
		d[fieldPublishedAt] = a.Published.Format(time.RFC3339)
		pubDay = a.Published.Format(time.DateOnly)
	}
	if !a.FirstSeen.IsZero() {
		d[fieldFirstSeen] = a.FirstSeen.UTC()
		seenDay = a.FirstSeen.UTC().Format(time.DateOnly)
	}
	state := d[fieldState].(string)
	d[fieldFacetKey] = facetKey(a.SourceID, a.Lang, state, pubDay)
	d[fieldFacetKeySeen] = facetKey(a.SourceID, a.Lang, state, seenDay)
	return d
}

// WallClock returns t's date and time of day as printed in its own zone,
// labelled UTC: the form the publisher's-day filters compare.
func WallClock(t time.Time) time.Time {
	y, mo, d := t.Date()
	return time.Date(y, mo, d, t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}
