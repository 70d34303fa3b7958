package fetch

import "presswatch/internal/textenc"

// DecodeHTML converts an HTML body to UTF-8 and returns it with the name
// of the encoding used; see textenc.DecodeHTML. Call it on Response.Body
// with the response's Content-Type header before parsing a page.
func DecodeHTML(body []byte, contentType string) ([]byte, string, error) {
	return textenc.DecodeHTML(body, contentType)
}

// DecodeXML prepares a feed's bytes for its parser; see textenc.DecodeXML.
func DecodeXML(body []byte, contentType string) []byte { return textenc.DecodeXML(body, contentType) }
