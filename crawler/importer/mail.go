package importer

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"

	"presswatch/internal/lang"
	"presswatch/internal/model"
)

// fromLine matches an mbox "From " separator: "From sender weekday month day time year".
var fromLine = regexp.MustCompile(`(?m)^From \S+ +[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d{1,2}:\d{2}(:\d{2})? \d{4}\s*$`)

// mboxStart returns where the first mbox message starts (its "From "
// line, followed by a header line), or -1. Text before it, such as a
// web archive's menu, is not part of any message.
func mboxStart(body []byte) int {
	for _, loc := range fromLine.FindAllIndex(body[:min(len(body), 64<<10)], 4) {
		rest := body[loc[1]:]
		rest = bytes.TrimLeft(rest, "\r\n")
		if looksLikeHeaders(rest) {
			return loc[0]
		}
	}
	return -1
}

var headerLine = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*: `)

// looksLikeHeaders reports whether body opens with RFC 5322 header lines
// including at least a Date, From or Subject.
func looksLikeHeaders(body []byte) bool {
	lines := strings.SplitN(string(body[:min(len(body), 4096)]), "\n", 12)
	known := 0
	for i, l := range lines {
		l = strings.TrimRight(l, "\r")
		if l == "" {
			return i > 0 && known > 0
		}
		if l[0] == ' ' || l[0] == '\t' {
			continue
		}
		if !headerLine.MatchString(l) {
			return false
		}
		switch strings.ToLower(l[:strings.IndexByte(l, ':')]) {
		case "date", "from", "subject", "message-id", "received", "return-path":
			known++
		}
	}
	return known > 0
}

// mbox splits an mbox archive (mboxo or mboxrd) into messages. A message
// that cannot be read is reported in the error, and the others are
// returned with it.
func mbox(body []byte, fallbackURL string) ([]*model.Document, error) {
	start := mboxStart(body)
	if start < 0 {
		return nil, model.Errorf(model.ErrParse, "not an mbox archive: no \"From \" line before headers")
	}
	body = body[start:]
	locs := fromLine.FindAllIndex(body, -1)
	var (
		docs []*model.Document
		bad  []error // messages that could not be read; the others still count
	)
	for i, loc := range locs {
		end := len(body)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		msg := body[loc[1]:end]
		msg = bytes.TrimLeft(msg, "\r\n")
		msg = unquoteFrom(msg)
		d, err := message(msg, fmt.Sprintf("%s#%d", fallbackURL, i+1))
		if err != nil {
			bad = append(bad, fmt.Errorf("message %d: %w", i+1, err))
			continue
		}
		docs = append(docs, d)
	}
	return docs, errors.Join(bad...)
}

var quotedFrom = regexp.MustCompile(`(?m)^>(>*From )`)

func unquoteFrom(b []byte) []byte { return quotedFrom.ReplaceAll(b, []byte("$1")) }

// author is the message's From, else its Sender (a list's archive keeps
// only the list as sender): the display name, else the address.
func author(h mail.Header) string {
	for _, key := range []string{"From", "Sender"} {
		if v := h.Get(key); v != "" {
			if addrs, err := mail.ParseAddressList(v); err == nil && len(addrs) > 0 {
				if addrs[0].Name != "" {
					return addrs[0].Name
				}
				return addrs[0].Address
			}
			if s, err := wordDecoder.DecodeHeader(v); err == nil {
				return strings.TrimSpace(s)
			}
		}
	}
	return ""
}

// obsoleteZones are the zone names RFC 5322 (section 4.3) still lets a Date
// header use. Go parses them as a zone of offset zero unless the machine's
// own zone has that name, which would move "21:06 EST" five hours.
var obsoleteZones = map[string]int{"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7}

func obsoleteZone(t time.Time) time.Time {
	name, off := t.Zone()
	if h, ok := obsoleteZones[name]; ok && off == 0 {
		y, mo, d := t.Date()
		return time.Date(y, mo, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone(name, h*3600))
	}
	return t
}

var wordDecoder = &mime.WordDecoder{CharsetReader: charset.NewReaderLabel}

// message turns one e-mail into a document: Subject is the title, From
// the author, Date the publication date, Message-ID the identity.
func message(raw []byte, fallbackURL string) (*model.Document, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, model.Errorf(model.ErrParse, "not an e-mail message: %v", err)
	}
	d := &model.Document{URL: fallbackURL}
	if s, err := wordDecoder.DecodeHeader(m.Header.Get("Subject")); err == nil {
		d.Title = strings.TrimSpace(s)
	}
	d.Author = author(m.Header)
	if t, err := m.Header.Date(); err == nil {
		d.Published, d.DateSource = obsoleteZone(t), model.DateFromHeader
	}
	if id := strings.Trim(strings.TrimSpace(m.Header.Get("Message-Id")), "<>"); id != "" && !strings.ContainsAny(id, " \t") {
		d.URL = "mid:" + id
	}
	text, err := mailText(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body)
	if err != nil {
		return nil, err
	}
	d.Text = text
	if lg := lang.Normalize(m.Header.Get("Content-Language")); lg != "" {
		d.Lang = lg
	} else {
		d.Lang = lang.Detect(d.Title + "\n" + text)
	}
	return d, nil
}

// mailText returns a body's text: text/plain as it is, text/html as its
// text, multipart by its best part (plain text before HTML).
func mailText(contentType, encoding string, body io.Reader) (string, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || contentType == "" {
		mt, params = "text/plain", map[string]string{}
	}
	body = decodeTransfer(encoding, body)
	if strings.HasPrefix(mt, "multipart/") {
		return multipartText(multipart.NewReader(body, params["boundary"]))
	}
	if !strings.HasPrefix(mt, "text/") {
		return "", nil
	}
	r, err := charset.NewReaderLabel(orDefault(params["charset"], "us-ascii"), body)
	if err != nil {
		return "", model.Errorf(model.ErrCharset, "unknown charset %q", params["charset"])
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxFileSize))
	if err != nil {
		return "", model.Errorf(model.ErrParse, "reading the body: %v", err)
	}
	if mt == "text/html" {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
		if err != nil {
			return "", model.Errorf(model.ErrParse, "html part: %v", err)
		}
		doc.Find("script, style").Remove()
		return doc.Text(), nil
	}
	return string(b), nil
}

func multipartText(mr *multipart.Reader) (string, error) {
	var html string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return html, nil
		}
		if err != nil {
			return "", model.Errorf(model.ErrParse, "multipart body: %v", err)
		}
		ct := p.Header.Get("Content-Type")
		text, err := mailText(ct, p.Header.Get("Content-Transfer-Encoding"), p)
		if err != nil {
			return "", err
		}
		if strings.HasPrefix(ct, "text/plain") || ct == "" || strings.HasPrefix(ct, "multipart/") {
			if strings.TrimSpace(text) != "" {
				return text, nil
			}
		} else if html == "" {
			html = text
		}
	}
}

func decodeTransfer(enc string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, r) // skips the line breaks
	}
	return r
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
