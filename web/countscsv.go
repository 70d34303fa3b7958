package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// countsBOM starts a CSV asked for with bom=1: Excel reads a file without
// it in the system's code page and garbles Cyrillic and Kazakh.
const countsBOM = "\uFEFF"

// countsFormat reads the format and bom parameters of an endpoint giving
// counts: format is json (the default) or csv, bom is 1 (a UTF-8 byte order
// mark before the CSV, for Excel) or 0. Anything else is an error naming
// the parameter, for a 400.
func countsFormat(q url.Values) (csvOut, bom bool, err error) {
	switch f := q.Get("format"); f {
	case "", "json":
	case "csv":
		csvOut = true
	default:
		return false, false, fmt.Errorf("web: parameter %q: %q is not a format (want json or csv)", "format", f)
	}
	switch b := q.Get("bom"); b {
	case "", "0":
	case "1":
		bom = true
	default:
		return false, false, fmt.Errorf("web: parameter %q: %q is not 0 or 1", "bom", b)
	}
	if bom && !csvOut {
		return false, false, fmt.Errorf("web: parameter %q: a byte order mark is for format=csv only", "bom")
	}
	return csvOut, bom, nil
}

// writeCountsCSV answers with rows (the first the header) as a UTF-8 CSV
// file called name, with a byte order mark first when bom is set. The
// rows are counts and names, built before the first byte is written, so
// an error is never half a file.
func writeCountsCSV(w http.ResponseWriter, name string, bom bool, rows [][]string) {
	var buf bytes.Buffer
	if bom {
		buf.WriteString(countsBOM)
	}
	cw := csv.NewWriter(&buf)
	for _, row := range rows {
		safe := make([]string, len(row))
		for i, c := range row {
			safe[i] = cell(c) // names are guarded against formulas as in /search.csv
		}
		cw.Write(safe)
	}
	cw.Flush()
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}
