package config

import (
	"strings"
	"testing"

	"presswatch/internal/model"
)

// A source of the file whose id is a page of the web UI's (/sources/new,
// /sources/find, /sources/test, /sources/opml) is refused, naming the
// file, the line and the field, as the web UI refuses it.
func TestReservedSourceIDsRefused(t *testing.T) {
	for _, id := range model.ReservedSourceIDs {
		t.Run(id, func(t *testing.T) {
			yaml := "sources:\n  - url: http://x/\n    id: " + id + "\n"
			_, err := Parse([]byte(yaml), "bad.yaml")
			want := "config: bad.yaml:3: sources[0].id: \"" + id + "\" is reserved: /sources/" + id + " is a page of the web UI (reserved: new, find, test, opml)"
			if err == nil || err.Error() != want {
				t.Fatalf("error = %v\nwant      %s", err, want)
			}
			if !IsConfigError(err) {
				t.Errorf("%v is not a configuration error", err)
			}
		})
	}
	// Ids that only look like them are fine.
	for _, id := range []string{"news", "new-kz", "opml2", "testing"} {
		if _, err := Parse([]byte("sources:\n  - {id: "+id+", url: http://x/}\n"), "ok.yaml"); err != nil {
			t.Errorf("%s: %v", id, err)
		}
	}
	if pr := SourceProblems(model.Source{ID: "find", URL: "http://x/", Every: MinEvery, Keep: model.KeepAll}, false); len(pr) != 1 ||
		pr[0].Field != "id" || !strings.Contains(pr[0].Reason, "reserved") {
		t.Errorf("SourceProblems(find) = %v, want the id reserved", pr)
	}
}
