package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"presswatch/index"
)

// TestUploadThroughServe uploads two files to a running serve's /import
// (loopback with no administrator yet, so changes are allowed) and finds
// them through its search at once; a binary file in the same upload is
// refused by name while the others are imported.
func TestUploadThroughServe(t *testing.T) {
	if testing.Short() {
		t.Skip("runs serve")
	}
	cfg := quietConfig(t)
	base, stop := startServe(t, cfg, t.TempDir())
	defer stop()

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("source", "uploads")
	for name, content := range map[string][]byte{
		"note.txt":  []byte("Zhanaozen witnesses\n\nThe quillwort statement of the oil workers in Zhanaozen was read aloud."),
		"page.html": []byte("<html><head><title>Appeal of the strikers</title></head><body><article><h1>Appeal of the strikers</h1><p>" + strings.Repeat("The marshwren appeal of the Zhanaozen strikers was signed by many. ", 8) + "</p></article></body></html>"),
		"photo.jpg": append([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, bytes.Repeat([]byte{0, 0x9c, 0xfe, 3}, 400)...),
	} {
		fw, err := mw.CreateFormFile("files", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(content)
	}
	mw.Close()
	res, err := http.Post(base+"/import", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(page), "photo.jpg") {
		t.Fatalf("upload: %s\n%s", res.Status, page)
	}
	for _, word := range []string{"quillwort", "marshwren"} {
		res, err := http.Get(base + "/api/search?q=" + url.QueryEscape(word))
		if err != nil {
			t.Fatal(err)
		}
		var r index.Result
		err = json.NewDecoder(res.Body).Decode(&r)
		res.Body.Close()
		if err != nil || r.Total != 1 || r.Hits[0].Source != "uploads" {
			t.Errorf("search %q after the upload: %d hits (%v) %+v", word, r.Total, err, r.Hits)
		}
	}
	// The JPEG was refused: the upload's source holds the two texts only.
	res, err = http.Get(base + "/api/search?source=uploads")
	if err != nil {
		t.Fatal(err)
	}
	var all index.Result
	err = json.NewDecoder(res.Body).Decode(&all)
	res.Body.Close()
	if err != nil || all.Total != 2 {
		t.Errorf("the upload's source holds %d articles (%v), want the 2 texts: %+v", all.Total, err, all.Hits)
	}
}
