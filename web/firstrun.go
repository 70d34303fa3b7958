package web

import "presswatch/internal/model"

// NothingReadable reports whether presswatch has so far read nothing from
// any source: there is at least one source it fetches (active, not
// paused, not the source imported files are filed under), and every such
// source has been tried, its last run failed, and no article was ever
// stored from it. That is the first run of a machine without network (or
// behind a proxy, which presswatch does not use): the home page and
// `presswatch sources` then say what to do instead of listing failures.
//
// A source not tried yet, one whose last run succeeded, and one that gave
// articles before each make it false: then the sources are in trouble
// one by one, and the usual list of failures says which.
func NothingReadable(srcs []SourceStatus) bool {
	tried := 0
	for _, s := range srcs {
		if !s.Active || s.Paused || s.Type == string(model.SourceImport) || s.Origin == string(model.SourceFromImport) {
			continue
		}
		if s.Failures == 0 || s.Articles > 0 { // a failed run is one that was tried

			return false
		}
		tried++
	}
	return tried > 0
}
