package web

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"presswatch/internal/auth"
	"presswatch/internal/store"
)

// The login of administrators: GET /login shows the form, POST /login
// checks the name and password and sets the session cookie, POST /logout
// ends the session. A wrong name and a wrong password get the same answer
// after the same work, and after loginFailures failures in loginWindow
// from one client address, or for one name, the next attempts are
// answered 429 until the window ends.

const (
	sessionCookie = "presswatch_session"
	sessionTTL    = 12 * time.Hour
	loginFailures = 5
	loginWindow   = 15 * time.Minute
)

// noAdminHash is checked when the name is unknown, so that answer takes as
// long as a wrong password. It is the hash of no password anyone types.
const noAdminHash = "$argon2id$v=19$m=65536,t=3,p=2$atUnL5ZjVAoxv8ZNxqO7gw$y5E0+NsSbOs5Hi7m6FE5fkU74ImRS8QlNLG9KoqC7Fk"

type loginData struct {
	Next   string
	Name   string
	Failed bool
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login.html", translate(uiLang(r), "login.title"),
		loginData{Next: localPath(r.URL.Query().Get("next"))})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	a := s.admins()
	if a == nil {
		s.errorPage(w, r, http.StatusNotFound, translate(uiLang(r), "error.admin"))
		return
	}
	name, password := r.PostFormValue("name"), r.PostFormValue("password")
	keys := []string{"addr " + clientAddr(r), "name " + name}
	now := s.opts.Now()
	if wait := s.logins.wait(now, keys...); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		s.errorPage(w, r, http.StatusTooManyRequests, translate(uiLang(r), "login.wait"))
		return
	}
	hash, err := a.AdminHash(r.Context(), name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.log.Error("web: login", "err", err)
		s.errorPage(w, r, http.StatusInternalServerError, translate(uiLang(r), "error.internal"))
		return
	}
	known := err == nil
	if !known {
		hash = noAdminHash
	}
	if err := auth.Verify(password, hash); err != nil || !known {
		if err != nil && !errors.Is(err, auth.ErrMismatch) {
			s.log.Error("web: login", "admin", name, "err", err)
		}
		s.logins.fail(now, keys...)
		d := loginData{Next: localPath(r.PostFormValue("next")), Name: name, Failed: true}
		s.render(w, r, http.StatusUnauthorized, "login.html", translate(uiLang(r), "login.title"), d)
		return
	}
	token, err := a.CreateSession(r.Context(), name, sessionTTL)
	if err != nil {
		s.log.Error("web: login", "admin", name, "err", err)
		s.errorPage(w, r, http.StatusInternalServerError, translate(uiLang(r), "error.internal"))
		return
	}
	s.log.Info("web: login", "admin", name, "addr", clientAddr(r))
	if _, err := a.DeleteExpired(r.Context()); err != nil { // a login is rare: the time to sweep
		s.log.Error("web: login", "err", err)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", MaxAge: int(sessionTTL / time.Second),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	next := localPath(r.PostFormValue("next"))
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && s.admins() != nil {
		if err := s.admins().DeleteSession(r.Context(), c.Value); err != nil {
			s.log.Error("web: logout", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// localPath returns p when it is a path on this server, else "", so a
// login never sends the browser to another site.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") {
		return ""
	}
	return p
}

// clientAddr is the address the request came from, without its port.
func clientAddr(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}

// loginLimiter counts failed logins per key in fixed windows. Its zero
// value is ready; it is safe for concurrent use.
type loginLimiter struct {
	mu   sync.Mutex
	seen map[string]loginCount
}

type loginCount struct {
	start    time.Time
	failures int
}

// wait returns how long until one of keys may try again; 0: now.
func (l *loginLimiter) wait(now time.Time, keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var longest time.Duration
	for _, k := range keys {
		c, ok := l.seen[k]
		if !ok || c.failures < loginFailures {
			continue
		}
		if left := c.start.Add(loginWindow).Sub(now); left > longest {
			longest = left
		}
	}
	return longest
}

// fail counts a failure for each of keys.
func (l *loginLimiter) fail(now time.Time, keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen == nil {
		l.seen = map[string]loginCount{}
	}
	if len(l.seen) > 10_000 { // forget the windows that ended
		for k, c := range l.seen {
			if now.Sub(c.start) >= loginWindow {
				delete(l.seen, k)
			}
		}
	}
	for _, k := range keys {
		c := l.seen[k]
		if now.Sub(c.start) >= loginWindow {
			c = loginCount{start: now}
		}
		c.failures++
		l.seen[k] = c
	}
}
