package web

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

// On serve's read-only data folder the upload page says why files cannot
// be imported, naming the folder, instead of that serve is not running.
func TestImportOnAReadOnlyFolderSaysWhy(t *testing.T) {
	f := newAttackFixture(t) // no Importer, as serve on a read-only folder
	if res, page := f.get(t, "/import"); res.StatusCode != http.StatusNotFound || !strings.Contains(page, "only when presswatch serve runs") {
		t.Errorf("no importer, a writable folder: %d\n%.300s", res.StatusCode, page)
	}
	const why = "data folder /srv/presswatch is read-only (presswatch.db: read-only file system)"
	f.src.fakeSources.readOnly = errors.New(why)
	res, page := f.get(t, "/import")
	if res.StatusCode != http.StatusForbidden || !strings.Contains(page, "Files cannot be imported here: "+why+".") || strings.Contains(page, "only when presswatch serve runs") {
		t.Errorf("a read-only folder: %d, want 403 naming the folder\n%.300s", res.StatusCode, page)
	}
}
