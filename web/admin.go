package web

import (
	"net/http"
)

// Changing presswatch from the web (topics, digests) is for its operators.
// Until there is a login, the server allows it only when it listens on
// loopback (Options.Admin, set by serve), where only people on the machine
// reach it. Every change is a POST, and net/http's CrossOriginProtection
// refuses one sent by another site's page (Sec-Fetch-Site, else Origin
// against Host), so a page on the web cannot make a visitor's browser
// change a presswatch on their own machine.

// admin guards a handler that changes something: it answers 403 with the
// reason unless the server allows changes, and refuses cross-origin
// requests.
func (s *Server) admin(h http.HandlerFunc) http.Handler {
	guarded := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.opts.Admin {
			s.errorPage(w, r, http.StatusForbidden, translate(uiLang(r), "error.admin"))
			return
		}
		h(w, r)
	})
	return s.csrf.Handler(guarded)
}

// CanChange tells the pages whether to offer changes (their forms).
func (s *Server) CanChange() bool { return s.opts.Admin }
