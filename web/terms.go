package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"presswatch/index"
)

// TermsSearcher finds the top terms of a search; index.Index satisfies it.
// The server asks its Searcher for it (a type assertion), so a Searcher
// without it still serves every other page, and /terms says it cannot.
type TermsSearcher interface {
	TopTerms(ctx context.Context, req index.Request, opts index.TermsOptions) (*index.TermsResult, error)
}

// termsParams are the parameters of /terms and /api/terms beside the
// search's: the sample size, the terms per list and the fewest sampled
// articles a distinctive term is in.
var termsParams = []string{"sample", "limit", "min"}

// termsOptions reads termsParams; a value that is not a whole number from
// 1 to its maximum is a *index.ParamError. (TopTerms takes 0 for the
// default; a parameter left out is that.)
func termsOptions(q url.Values) (index.TermsOptions, error) {
	var opts index.TermsOptions
	most := []int{index.MaxTermsSample, index.MaxTermsLimit, index.MaxTermsSample}
	for i, into := range []*int{&opts.Sample, &opts.Limit, &opts.MinCount} {
		s := q.Get(termsParams[i])
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > most[i] {
			return opts, &index.ParamError{Param: termsParams[i], Value: s, Reason: fmt.Sprintf("is not a whole number from 1 to %d", most[i])}
		}
		*into = n
	}
	return opts, nil
}

// topTerms runs the top terms of the search in q.
func (s *Server) topTerms(ctx context.Context, req index.Request, q url.Values) (*index.TermsResult, error) {
	ts, ok := s.opts.Search.(TermsSearcher) // s.search is wrapped (loadAware)
	if !ok {
		return nil, errNoTerms
	}
	opts, err := termsOptions(q)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()
	res, err := ts.TopTerms(ctx, req, opts)
	if err != nil {
		return nil, blameLoad(ctx, err)
	}
	return res, nil
}

var errNoTerms = errors.New("web: this server's searcher has no top terms")

// termsView is the data of terms.html.
type termsView struct {
	searchView
	Result        *index.TermsResult
	Langs         []termsLang
	CSV, CSVExcel string
	JSON          string
	TermsUnusable bool // the searcher has no top terms
	StoriesAsked  bool // collapse=story, which top terms do not apply
}

// termsLang is one language's section of the page: its two lists.
type termsLang struct {
	index.LangTerms
	Lists []termsList
}

// termsList is one list of terms (Kind frequent or distinctive), as a
// chart and as a table.
type termsList struct {
	Kind  string
	Chart *termsChart
	Rows  []termsRow
}

type termsRow struct {
	Term, Spellings   string
	Count, Collection string
	Score             string
}

// termsChart is a horizontal bar chart of a list of terms, drawn as SVG:
// the term, its bar, and its figures as text.
type termsChart struct {
	W, H int
	Bars []termsBar
}

type termsBar struct {
	Label                 string
	Y, TextY, Width, BarH int
	LabelX, BarX, VX      int
	Value                 string
}

// The geometry of a terms chart, in pixels; the labels are 12 px (CSS).
const (
	termsLabelW = 150
	termsBarW   = 220
	termsRowH   = 20
	termsChartW = termsLabelW + termsBarW + 110
	termsLabelN = 20 // characters of a term the label shows
)

// newTermsList makes a list of terms: bars as long as value(t), with
// text(t) beside each bar and in the table's last column.
func newTermsList(lang, kind string, terms []index.Term, value func(index.Term) float64, text func(index.Term) string) termsList {
	l := termsList{Kind: kind}
	if len(terms) == 0 {
		return l
	}
	peak := 0.0
	for _, t := range terms {
		peak = max(peak, value(t))
	}
	l.Chart = &termsChart{W: termsChartW, H: len(terms)*termsRowH + 4}
	for i, t := range terms {
		w := 1
		if peak > 0 {
			w = max(1, int(value(t)/peak*termsBarW+0.5))
		}
		y := i*termsRowH + 2
		label := t.Term
		if r := []rune(label); len(r) > termsLabelN {
			label = string(r[:termsLabelN-1]) + "…"
		}
		l.Chart.Bars = append(l.Chart.Bars, termsBar{Label: label, Y: y + 3, TextY: y + termsRowH/2 + 1, Width: w, BarH: termsRowH - 6,
			LabelX: termsLabelW - 6, BarX: termsLabelW, VX: termsLabelW + w + 4, Value: text(t)})
		l.Rows = append(l.Rows, termsRow{Term: t.Term, Spellings: strings.Join(t.Spellings, ", "), Count: numText(lang, int64(t.Count)),
			Collection: numText(lang, int64(t.Collection)), Score: text(t)})
	}
	return l
}

// termsPage answers GET /terms: for the search's query and filters, per
// language, the most frequent and the most distinctive terms as charts and
// tables, with the CSV and JSON of the same counts.
func (s *Server) termsPage(w http.ResponseWriter, r *http.Request) {
	lang := uiLang(r)
	if !s.ready.Load() {
		s.errorPage(w, r, http.StatusServiceUnavailable, translate(lang, "error.starting"))
		return
	}
	q := r.URL.Query()
	state := searchState(r)
	v := termsView{searchView: newSearchView(state)}
	// Terms are counted in articles: the total says articles too.
	v.StoriesAsked, v.Collapse = v.Collapse, false
	asked := cloneValues(state)
	for _, k := range termsParams {
		if val := q.Get(k); val != "" {
			asked.Set(k, val)
		}
	}
	v.JSON = link("/api/terms", asked)
	v.CSV = link("/api/terms", with(asked, "format", "csv"))
	v.CSVExcel = link("/api/terms", with(with(asked, "format", "csv"), "bom", "1"))
	req, err := parseState(state, "")
	if err == nil {
		v.Result, err = s.topTerms(r.Context(), req, q)
	}
	status := http.StatusOK
	switch {
	case errors.Is(err, errNoTerms):
		status, v.TermsUnusable = http.StatusNotImplemented, true
	case err != nil:
		if status = statusOf(err); status >= 500 {
			s.log.Error("terms page failed", "query", r.URL.RawQuery, "error", err)
		}
		v.Error = userMessage(lang, err)
	default:
		v.Total = v.Result.Total
		for _, lt := range v.Result.Langs {
			v.Langs = append(v.Langs, termsLang{LangTerms: lt, Lists: []termsList{
				newTermsList(lang, "frequent", lt.Frequent, func(t index.Term) float64 { return t.Share },
					func(t index.Term) string {
						return numText(lang, int64(t.Count)) + " · " + decimalText(lang, 100*t.Share, 0) + percentSep(lang) + "%"
					}),
				newTermsList(lang, "distinctive", lt.Distinctive, func(t index.Term) float64 { return t.Score },
					func(t index.Term) string {
						return "G² " + decimalText(lang, t.Score, 1) + " · ×" + decimalText(lang, t.Ratio, 1)
					}),
			}})
		}
	}
	s.render(w, r, status, "terms.html", translate(lang, "terms.title"), v)
}

// termsHeader names the columns of the CSV of /api/terms: a row is a term
// of one language's list (kind frequent or distinctive); "matches count"
// is the sampled matching articles of the language with the term and
// "collection count" all the language's articles with it; the last three
// give the language's sampled articles, matches and collection.
var termsHeader = []string{"lang", "term", "other spellings", "matches count", "collection count", "score", "kind",
	"lang sampled", "lang matches", "lang collection"}

// apiTerms answers GET /api/terms: the top terms of the search (the
// parameters of /api/search, and sample, limit and min) as JSON, or with
// format=csv as CSV (bom=1 for Excel).
func (s *Server) apiTerms(w http.ResponseWriter, r *http.Request) {
	if !s.ready.Load() {
		writeError(w, http.StatusServiceUnavailable, "starting: the index is catching up with the store")
		return
	}
	q := r.URL.Query()
	csvOut, bom, err := countsFormat(q)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	req, err := parseState(searchState(r), "")
	var res *index.TermsResult
	if err == nil {
		res, err = s.topTerms(r.Context(), req, q)
	}
	switch {
	case errors.Is(err, errNoTerms):
		writeError(w, http.StatusNotImplemented, "top terms are not available from this server's index")
		return
	case err != nil:
		status := statusOf(err)
		if status >= 500 {
			s.log.Error("terms failed", "query", r.URL.RawQuery, "error", err)
		}
		writeError(w, status, err.Error())
		return
	}
	if !csvOut {
		if res.Langs == nil {
			res.Langs = []index.LangTerms{}
		}
		writeJSON(w, http.StatusOK, res)
		return
	}
	rows := [][]string{termsHeader}
	for _, l := range res.Langs {
		for _, list := range []struct {
			kind  string
			terms []index.Term
		}{{"frequent", l.Frequent}, {"distinctive", l.Distinctive}} {
			for _, t := range list.terms {
				rows = append(rows, []string{l.Lang, t.Term, strings.Join(t.Spellings, "; "), strconv.Itoa(t.Count),
					strconv.FormatUint(t.Collection, 10), strconv.FormatFloat(t.Score, 'f', 4, 64), list.kind,
					strconv.Itoa(l.Sampled), strconv.FormatUint(l.Matches, 10), strconv.FormatUint(l.Collection, 10)})
			}
		}
	}
	writeCountsCSV(w, "presswatch-terms-"+s.opts.Now().UTC().Format("20060102-150405")+".csv", bom, rows)
}
