package quality

import "testing"

func TestMissKind(t *testing.T) {
	tests := map[string]struct {
		page, got, want string
	}{
		"nothing found": {`<p>Text</p>`, "", MissNone},
		"JSON-LD dateModified": {`<script type="application/ld+json">{"datePublished":"2019-10-18","dateModified":"2019-10-21T08:00:00+02:00"}</script>`,
			"2019-10-21", MissUpdated},
		"modified meta":        {`<meta property="article:modified_time" content="2019-10-21T08:00:00Z">`, "2019-10-21", MissUpdated},
		"dateModified element": {`<time itemprop="dateModified" datetime="2019-10-21">21.10.2019</time>`, "2019-10-21", MissUpdated},
		"labelled in the text": {`<div>Aktualisiert am 21.10.2019, 08:00 Uhr</div>`, "2019-10-21", MissUpdated},
		"Russian label":        {`<div>Обновлено: 21 октября 2019</div>`, "2019-10-21", MissUpdated},
		"another day":          {`<div>Aktualisiert am 22.10.2019</div><p>21.10.2019</p>`, "2019-10-21", MissWrong},
		"a date in a script":   {`<script>var updated = "x"; // Updated 21.10.2019</script>`, "2019-10-21", MissWrong},
		"published, not updated": {`<meta property="article:published_time" content="2019-10-21T08:00:00Z">`,
			"2019-10-21", MissWrong},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := missKind(tc.got, []byte("<html><head></head><body>"+tc.page+"</body></html>")); got != tc.want {
				t.Errorf("missKind = %q, want %q", got, tc.want)
			}
		})
	}
}
