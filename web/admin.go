package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"presswatch/internal/store"
)

// Changing presswatch from the web (topics, digests) is for its
// administrators (`presswatch admin add NAME`). A change is allowed when
// the request carries a valid session cookie (login.go). Until the first
// administrator exists, a server listening on loopback (Options.Admin,
// set by serve) also allows it without one, where only people on the
// machine reach it; once one exists, loopback alone is not enough. Every
// change is a POST, and net/http's CrossOriginProtection refuses one sent
// by another site's page (Sec-Fetch-Site, else Origin against Host), so a
// page on the web cannot make a visitor's browser change anything.

// AdminStore keeps the administrators and their sessions; store.Store
// satisfies it. A Store that does not (a test's) has no login: changes
// then follow Options.Admin alone.
type AdminStore interface {
	AdminHash(ctx context.Context, name string) (string, error)
	HasAdmins(ctx context.Context) (bool, error)
	CreateSession(ctx context.Context, name string, ttl time.Duration) (string, error)
	Session(ctx context.Context, token string) (*store.SessionRow, error)
	DeleteSession(ctx context.Context, token string) error
	DeleteExpired(ctx context.Context) (int64, error)
}

func (s *Server) admins() AdminStore {
	a, _ := s.store.(AdminStore)
	return a
}

// admin guards a handler that changes something, or shows the form for
// it: a request the guard refuses is sent to /login when it is a GET and
// answered 403 with the reason otherwise. Cross-origin requests are
// refused.
func (s *Server) admin(h http.HandlerFunc) http.Handler {
	guarded := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.CanChangeFor(r) {
			s.refuseChange(w, r)
			return
		}
		h(w, r)
	})
	return s.csrf.Handler(guarded)
}

func (s *Server) refuseChange(w http.ResponseWriter, r *http.Request) {
	if s.loginOpen(r.Context()) {
		if r.Method == http.MethodGet {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		s.errorPage(w, r, http.StatusForbidden, translate(uiLang(r), "error.login"))
		return
	}
	s.errorPage(w, r, http.StatusForbidden, translate(uiLang(r), "error.admin"))
}

// loginOpen tells whether an administrator exists, so logging in is the
// way to change things.
func (s *Server) loginOpen(ctx context.Context) bool {
	a := s.admins()
	if a == nil {
		return false
	}
	has, err := a.HasAdmins(ctx)
	if err != nil {
		s.log.Error("web: admins", "err", err)
		return true // refuse, and point to the login
	}
	return has
}

// CanChangeFor tells whether r may change things: the pages ask it to
// decide whether to offer their forms, and admin to allow a change.
func (s *Server) CanChangeFor(r *http.Request) bool {
	if s.sessionOf(r) != nil {
		return true
	}
	return s.opts.Admin && !s.loginOpen(r.Context())
}

// sessionKey holds, in a request's context, the session ServeHTTP looked
// up for it (nil for none), so that the guards, the pages and the layout
// read the store once per request.
type sessionKey struct{}

// withSession returns r carrying its session, looked up once.
func (s *Server) withSession(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), sessionKey{}, s.lookupSession(r)))
}

// sessionOf returns r's valid session, or nil.
func (s *Server) sessionOf(r *http.Request) *store.SessionRow {
	if sess, ok := r.Context().Value(sessionKey{}).(*store.SessionRow); ok {
		return sess
	}
	return s.lookupSession(r)
}

// lookupSession reads r's session cookie's session from the store.
func (s *Server) lookupSession(r *http.Request) *store.SessionRow {
	a := s.admins()
	if a == nil {
		return nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	sess, err := a.Session(r.Context(), c.Value)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Error("web: session", "err", err)
		}
		return nil
	}
	return sess
}

// refusePrivate sends a request without a session to /login when
// Options.Private is set, except for the login itself, the static files
// and the health checks. It reports whether it answered.
func (s *Server) refusePrivate(w http.ResponseWriter, r *http.Request) bool {
	if !s.opts.Private || s.sessionOf(r) != nil {
		return false
	}
	switch p := r.URL.Path; {
	case p == "/login", p == "/healthz", p == "/readyz", len(p) >= 8 && p[:8] == "/static/":
		return false
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	} else {
		s.errorPage(w, r, http.StatusForbidden, translate(uiLang(r), "error.login"))
	}
	return true
}
