package web

import (
	"net"
	"net/http"
	"strings"
)

// A presswatch listening on loopback lets the web UI change things
// (Options.Admin). A page on another site can still reach it through DNS
// rebinding: its own name re-pointed at 127.0.0.1, so Origin and Host agree
// and cross-origin protection sees a same-origin request. Such a request
// names the other site in Host. So on loopback a change is answered only
// for a loopback Host (localhost, 127.0.0.0/8, ::1) or one of
// Options.Hosts (the public name a proxy in front serves it under).

// allowedHost tells whether a change may be made for a request to host.
func (s *Server) allowedHost(host string) bool {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = strings.TrimSuffix(strings.Trim(h, "[]"), ".")
	if strings.EqualFold(h, "localhost") || strings.HasSuffix(strings.ToLower(h), ".localhost") {
		return true
	}
	if ip := net.ParseIP(h); ip != nil && ip.IsLoopback() {
		return true
	}
	for _, allowed := range s.opts.Hosts {
		if strings.EqualFold(h, allowed) {
			return true
		}
	}
	return false
}

// safeMethod is a request that changes nothing.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// refuseRebinding answers 403 to a change on a loopback presswatch asked
// for under another host name, and tells whether it did.
func (s *Server) refuseRebinding(w http.ResponseWriter, r *http.Request) bool {
	if !s.opts.Admin || safeMethod(r.Method) || s.allowedHost(r.Host) {
		return false
	}
	http.Error(w, "refused: this presswatch listens on loopback and takes changes only for localhost, 127.0.0.1 or ::1"+
		" (or digests.base_url's host), not for "+r.Host, http.StatusForbidden)
	return true
}
