package main

import (
	"fmt"
	"io"

	"presswatch/internal/store"
	"presswatch/web"
)

// nothingReadNote is what `presswatch sources` says after its table when
// no source could ever be read (web.NothingReadable): the words of the
// home page's notice.
const nothingReadNote = `
no source could be read: presswatch has tried every source and none answered,
so nothing has been collected. This computer may have no internet connection,
or reach the web only through a proxy, which presswatch does not use.
  - check the network: this computer must reach the sources' sites directly;
  - or import saved copies (WARC files, HTML pages, feeds, e-mail):
    presswatch import FILE..., or upload them on the import page (/import)
    of presswatch serve as an administrator;
  - or point the configuration at sources this computer can reach:
    presswatch serve --config FILE (or crawl --config FILE).
`

// noteNothingRead prints nothingReadNote when no source of srcs could
// ever be read.
func noteNothingRead(w io.Writer, srcs []*store.SourceInfo) {
	all := make([]web.SourceStatus, len(srcs))
	for i, s := range srcs {
		all[i] = web.SourceStatusOf(s)
	}
	if web.NothingReadable(all) {
		fmt.Fprint(w, nothingReadNote)
	}
}
