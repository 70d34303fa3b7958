package urlnorm

import (
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/idna"
)

// Canonical returns the canonical form of raw, an absolute http or https
// URL (see the package comment for every rule). Surrounding white space is
// ignored. Anything else (a relative reference, mailto:, a URL without a
// host, a malformed URL) is an error naming raw.
//
// Canonical is idempotent: Canonical of a canonical URL returns it as is.
func Canonical(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("urlnorm: %w", err)
	}
	s, err := format(u)
	if err != nil {
		return "", fmt.Errorf("urlnorm: %q: %w", raw, err)
	}
	return s, nil
}

// Resolve resolves ref, a link found on the page at base, against base
// (RFC 3986, section 5) and returns the result in canonical form. An empty
// ref gives base itself. It is an error when base is not an absolute http(s)
// URL or when the result is not one (ref is "mailto:...", "javascript:...").
func Resolve(base, ref string) (string, error) {
	b, err := url.Parse(strings.TrimSpace(base))
	if err != nil {
		return "", fmt.Errorf("urlnorm: base: %w", err)
	}
	if _, err := format(b); err != nil {
		return "", fmt.Errorf("urlnorm: base %q: %w", base, err)
	}
	r, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return "", fmt.Errorf("urlnorm: ref: %w", err)
	}
	s, err := format(b.ResolveReference(r))
	if err != nil {
		return "", fmt.Errorf("urlnorm: %q against %q: %w", ref, base, err)
	}
	return s, nil
}

var errNotHTTP = fmt.Errorf("not an absolute http(s) URL")

// format writes u in canonical form.
func format(u *url.URL) (string, error) {
	scheme := strings.ToLower(u.Scheme)
	if (scheme != "http" && scheme != "https") || u.Opaque != "" || u.Host == "" {
		return "", errNotHTTP
	}
	host, err := canonicalHost(u, scheme)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	if u.User != nil {
		b.WriteString(u.User.String())
		b.WriteByte('@')
	}
	b.WriteString(host)
	path := removeDotSegments(normEscapes(u.EscapedPath(), pathChars))
	if path == "" {
		path = "/"
	}
	b.WriteString(path)
	if q := cleanQuery(u.RawQuery); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	if f := u.EscapedFragment(); strings.HasPrefix(f, "!") {
		b.WriteByte('#')
		b.WriteString(normEscapes(f, queryChars))
	}
	return b.String(), nil
}

// canonicalHost lower-cases the host, converts an IDN to its Unicode form
// and drops a default or empty port.
func canonicalHost(u *url.URL, scheme string) (string, error) {
	name, port := u.Hostname(), u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(name, ":") { // an IPv6 literal
		name = "[" + strings.ToLower(name) + "]"
	} else {
		name = domainName(name)
		// Hosts the IDNA mapping does not leave stable (".xn--") or that
		// map onto URL delimiters are garbage, not addresses.
		if domainName(name) != name || strings.ContainsAny(name, "/?#@[]:% \\") {
			return "", fmt.Errorf("invalid host %q", u.Host)
		}
	}
	if name == "" {
		return "", errNotHTTP
	}
	if port != "" {
		return name + ":" + port, nil
	}
	return name, nil
}

// domainName maps a host name to its lower-case Unicode form without a
// trailing dot; names that are not valid IDNs are only lower-cased.
func domainName(name string) string {
	name = strings.TrimRight(name, ".")
	if uni, err := idna.Lookup.ToUnicode(name); err == nil {
		name = uni
	} else {
		name = strings.ToLower(name)
	}
	return strings.TrimRight(name, ".")
}

// cleanQuery drops empty and tracking parameters from a raw query,
// keeping the rest in order, and normalises their escapes.
func cleanQuery(raw string) string {
	if raw == "" {
		return ""
	}
	var kept []string
	for _, p := range strings.Split(raw, "&") {
		if p == "" {
			continue
		}
		key, _, _ := strings.Cut(p, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if IsTracking(key) {
			continue
		}
		kept = append(kept, normEscapes(p, queryChars))
	}
	return strings.Join(kept, "&")
}

// removeDotSegments removes "." and ".." segments from an absolute path,
// as RFC 3986, section 5.2.4 describes.
func removeDotSegments(p string) string {
	if !strings.HasPrefix(p, "/") || !strings.Contains(p, ".") {
		return p
	}
	in := strings.Split(p[1:], "/")
	out := make([]string, 0, len(in))
	for i, s := range in {
		last := i == len(in)-1
		switch s {
		case ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
			continue
		}
		if last {
			out = append(out, "")
		}
	}
	return "/" + strings.Join(out, "/")
}
