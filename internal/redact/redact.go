// Package redact hides the secrets a URL may carry (user:password@ and
// query parameters named like keys and tokens) wherever presswatch shows
// or logs a URL: the sources page and API, the CLI, the logs and fetch
// errors. It works on the text, not on a re-encoded URL, so everything
// else in the URL reads as it was written.
//
// What is redacted is what is shown, never what is fetched: the crawler
// requests the exact URL, and the WARC archive keeps the exact request,
// since it is the evidence of what was asked for.
package redact

import (
	"log/slog"
	"net/url"
	"regexp"
	"strings"
)

// Mark replaces each secret.
const Mark = "REDACTED"

// secretParams are query parameter names (lower-cased) whose values are
// hidden; names ending in _token, -token, _key, -key or _secret are too.
var secretParams = map[string]bool{
	"token": true, "key": true, "apikey": true, "api_key": true, "api-key": true,
	"secret": true, "password": true, "passwd": true, "pass": true, "pwd": true,
	"auth": true, "access_token": true, "sig": true, "signature": true,
	"client_secret": true, "session": true, "sessionid": true,
}

// IsSecretParam reports whether a query parameter named name carries a
// secret.
func IsSecretParam(name string) bool {
	n := strings.ToLower(name)
	if secretParams[n] {
		return true
	}
	for _, suffix := range []string{"_token", "-token", "_key", "-key", "_secret", "-secret"} {
		if strings.HasSuffix(n, suffix) {
			return true
		}
	}
	return false
}

// URL returns raw with its user information and the values of secret
// query (and fragment) parameters replaced by Mark:
// "https://u:p@x.example/feed?token=abc&lang=ru" becomes
// "https://REDACTED@x.example/feed?token=REDACTED&lang=ru". A string that
// is no URL is redacted as far as it looks like one.
func URL(raw string) string {
	rest, frag, hasFrag := strings.Cut(raw, "#")
	rest, query, hasQuery := strings.Cut(rest, "?")
	if i := strings.Index(rest, "//"); i >= 0 {
		authority := rest[i+2:]
		if end := strings.IndexByte(authority, '/'); end >= 0 {
			authority = authority[:end]
		}
		if at := strings.LastIndexByte(authority, '@'); at >= 0 {
			rest = rest[:i+2] + Mark + rest[i+2+at:]
		}
	}
	if hasQuery {
		rest += "?" + params(query)
	}
	if hasFrag {
		rest += "#" + params(frag)
	}
	return rest
}

// params redacts the secret values of a query string, keeping its order,
// separators and escaping.
func params(q string) string {
	parts := strings.Split(q, "&")
	for i, p := range parts {
		name, _, hasValue := strings.Cut(p, "=")
		if !hasValue {
			continue
		}
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if IsSecretParam(name) {
			parts[i] = p[:strings.IndexByte(p, '=')+1] + Mark
		}
	}
	return strings.Join(parts, "&")
}

// urlInText finds URLs of any scheme in free text (an error may name a
// feed:// or ftp:// address it refused), up to a space, a quote or a
// bracket that cannot end a URL in presswatch's own messages.
var urlInText = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://[^\s"'<>]+`)

// Text redacts every URL in s, such as an error message naming the URL
// that failed.
func Text(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return urlInText.ReplaceAllStringFunc(s, URL)
}

// Attr is a slog.HandlerOptions.ReplaceAttr that redacts the URLs in
// string and error attributes, so that no log line carries a source's
// credentials.
func Attr(_ []string, a slog.Attr) slog.Attr {
	switch a.Value.Kind() {
	case slog.KindString:
		if s := a.Value.String(); strings.Contains(s, "://") {
			a.Value = slog.StringValue(Text(s))
		}
	case slog.KindAny:
		if err, ok := a.Value.Any().(error); ok && strings.Contains(err.Error(), "://") {
			a.Value = slog.StringValue(Text(err.Error()))
		}
	}
	return a
}
