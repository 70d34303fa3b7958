package parse

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"presswatch/internal/dates"
	"presswatch/internal/model"
)

// MaxSitemapBytes caps the inflated size of a gzipped sitemap: the sitemap
// protocol's own limit for one uncompressed file. A bigger body yields
// model.ErrTooLarge, so a small "gzip bomb" cannot exhaust memory.
const MaxSitemapBytes = 50 << 20

// Sitemap parses a sitemap fetched from baseURL: a <urlset>, with
// <lastmod> and Google News tags (<news:publication_date>, <news:title>,
// <news:language>), a <sitemapindex>, whose <sitemap><loc> entries become
// Children, or a plain-text sitemap of one absolute http(s) URL per line
// (other lines are ignored). Gzipped bodies
// (recognised by their magic bytes, whatever the Content-Type) are inflated
// up to MaxSitemapBytes.
//
// An item's Published date is its news:publication_date; its lastmod
// (the page's last change, not its publication) goes to Updated. When a
// sitemap lists more than MaxItems URLs the newest are kept; a sitemap
// index keeps its first MaxChildren children.
func Sitemap(body []byte, baseURL string) (*Listing, error) {
	if len(body) >= 2 && body[0] == 0x1f && body[1] == 0x8b {
		var err error
		if body, err = gunzip(body, MaxSitemapBytes); err != nil {
			if errors.Is(err, errTooLarge) {
				return nil, errorf(model.ErrTooLarge, "sitemap", baseURL, "gzip body inflates beyond %d bytes", MaxSitemapBytes)
			}
			return nil, errorf(model.ErrParse, "sitemap", baseURL, "gzip: %v", err)
		}
	}
	t := trimBOM(body)
	switch {
	case len(t) == 0:
		return nil, errorf(model.ErrNotFeed, "sitemap", baseURL, "not a sitemap: empty body")
	case t[0] != '<':
		return textSitemap(t, baseURL)
	}
	return xmlSitemap(t, baseURL)
}

var errTooLarge = errors.New("too large")

func gunzip(body []byte, limit int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(out)) > limit {
		return nil, errTooLarge
	}
	return out, nil
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
	News    struct {
		Publication struct {
			Name     string `xml:"name"`
			Language string `xml:"language"`
		} `xml:"publication"`
		PublicationDate string `xml:"publication_date"`
		Title           string `xml:"title"`
	} `xml:"news"`
}

type sitemapRef struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
}

func xmlSitemap(body []byte, baseURL string) (*Listing, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.CharsetReader = charsetReader
	c := newCollector(baseURL, 0)
	l := &Listing{}
	root := ""
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil && root == "" {
			return nil, notSitemap(body, baseURL, "")
		}
		if err != nil {
			return nil, errorf(model.ErrParse, "sitemap", baseURL, "%v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root == "" {
			root = se.Name.Local
			if root != "urlset" && root != "sitemapindex" {
				return nil, notSitemap(body, baseURL, root)
			}
			continue
		}
		switch {
		case root == "urlset" && se.Name.Local == "url":
			var u sitemapURL
			if err := d.DecodeElement(&u, &se); err != nil {
				return nil, errorf(model.ErrParse, "sitemap", baseURL, "%v", err)
			}
			if l.Title == "" {
				l.Title = oneLine(u.News.Publication.Name)
			}
			c.add(Item{
				Title:     plainLine(u.News.Title),
				Lang:      normLang(u.News.Publication.Language),
				Published: valueDate(u.News.PublicationDate),
				Updated:   valueDate(u.LastMod),
			}, u.Loc)
		case root == "sitemapindex" && se.Name.Local == "sitemap":
			var s sitemapRef
			if err := d.DecodeElement(&s, &se); err != nil {
				return nil, errorf(model.ErrParse, "sitemap", baseURL, "%v", err)
			}
			if abs := absURL(c.base, s.Loc); abs != "" && len(l.Children) < MaxChildren && !c.seen[abs] {
				c.seen[abs] = true
				l.Children = append(l.Children, abs)
				l.ChildDates = append(l.ChildDates, valueDate(s.LastMod))
			}
		}
	}
	if root == "" {
		return nil, notSitemap(body, baseURL, "")
	}
	l.Items = newest(c.items, MaxItems)
	return l, nil
}

// notSitemap says what an XML-looking body that is no sitemap is instead.
func notSitemap(body []byte, baseURL, root string) error {
	switch {
	case looksHTML(body) || strings.EqualFold(root, "html"):
		return errorf(model.ErrNotFeed, "sitemap", baseURL, "not a sitemap: looks like an HTML page")
	case root != "":
		return errorf(model.ErrNotFeed, "sitemap", baseURL, "not a sitemap: XML root element <%s> is not <urlset> or <sitemapindex>", root)
	default:
		return errorf(model.ErrNotFeed, "sitemap", baseURL, "not a sitemap: no XML root element")
	}
}

// textSitemap reads the protocol's plain-text form: one URL per line.
func textSitemap(body []byte, baseURL string) (*Listing, error) {
	c := newCollector(baseURL, 0)
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "http://") || strings.HasPrefix(line, "https://") {
			c.add(Item{}, line)
		}
	}
	if len(c.items) == 0 {
		return nil, errorf(model.ErrNotFeed, "sitemap", baseURL, "not a sitemap: neither XML nor a list of URLs")
	}
	return &Listing{Items: newest(c.items, MaxItems)}, nil
}

// valueDate reads the first of the given values that holds a date (see
// dates.Parse): a sitemap's W3C Datetime, a listing's datetime= or
// content=, in the offset it is written with; the zero time when none
// does.
func valueDate(values ...string) time.Time {
	for _, v := range values {
		if t, err := dates.Parse(v); err == nil {
			return t
		}
	}
	return time.Time{}
}

func charsetReader(label string, r io.Reader) (io.Reader, error) {
	return charset.NewReaderLabel(label, r)
}
