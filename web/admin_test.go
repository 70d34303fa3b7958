package web

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/internal/auth"
)

const adminPassword = "a long enough password"

var adminHash = sync.OnceValue(func() string {
	h, err := auth.Hash(adminPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// postRoutes reads Server.routes in server.go and returns the path of
// every POST route, its wildcards filled in.
func postRoutes(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "server.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	fill := strings.NewReplacer("{id}", "strike", "{topic}", "strike", "{day}", "2011-12-16", "{action}", "pause")
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if p, ok := strings.CutPrefix(strings.Trim(lit.Value, `"`), "POST "); ok {
				out = append(out, fill.Replace(p))
			}
		}
		return true
	})
	if len(out) < 8 {
		t.Fatalf("found %d POST routes in server.go: %v; want the topics', digests' and login's", len(out), out)
	}
	return out
}

// withAdmin adds the administrator ana and returns a session cookie of hers.
func withAdmin(t *testing.T, f *topicsFixture) string {
	t.Helper()
	ctx := context.Background()
	if err := f.st.PutAdmin(ctx, "ana", adminHash()); err != nil {
		t.Fatal(err)
	}
	token, err := f.st.CreateSession(ctx, "ana", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return sessionCookie + "=" + token
}

// refusedByGuard tells whether the admin guard answered: 403, or a
// redirect to /login.
func refusedByGuard(res *http.Response) bool {
	return res.StatusCode == http.StatusForbidden ||
		res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/login")
}

func TestEveryPostRouteNeedsASessionOnceAnAdminExists(t *testing.T) {
	f := newTopicsFixture(t, true) // loopback: allowed until an admin exists
	cookie := withAdmin(t, f)
	for _, p := range postRoutes(t) {
		login := p == "/login" || p == "/logout"
		if !login {
			if res, body := f.post(t, p, nil); !refusedByGuard(res) {
				t.Errorf("anonymous POST %s: %d, want refused\n%s", p, res.StatusCode, body)
			}
		}
		if res, body := f.post(t, p, nil, "Sec-Fetch-Site", "cross-site", "Cookie", cookie); res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST %s with a session: %d, want 403\n%s", p, res.StatusCode, body)
		}
		if login {
			continue
		}
		if res, body := f.post(t, p, nil, "Cookie", cookie); refusedByGuard(res) {
			t.Errorf("POST %s with a session: %d, refused\n%s", p, res.StatusCode, body)
		}
	}
}

func TestNoAdminYetLoopbackStillChanges(t *testing.T) {
	f := newTopicsFixture(t, true)
	if res, body := f.post(t, "/topics/strike/delete", nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") == "/login" {
		t.Fatalf("POST on loopback without admins: %d, want the change\n%s", res.StatusCode, body)
	}
}

func TestFormsRedirectToLogin(t *testing.T) {
	f := newTopicsFixture(t, true)
	withAdmin(t, f)
	res, _ := f.get(t, "/topics/new")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2Ftopics%2Fnew" {
		t.Errorf("GET /topics/new without a session: %d to %q, want /login?next=%%2Ftopics%%2Fnew", res.StatusCode, res.Header.Get("Location"))
	}
	if _, body := f.get(t, "/topics"); strings.Contains(body, `action="/topics/strike/delete"`) {
		t.Error("the topics page offers deleting to a visitor without a session")
	}
}

func (f *topicsFixture) get(t *testing.T, path string, header ...string) (*http.Response, string) {
	t.Helper()
	return f.do(t, "GET", path, nil, header...)
}

func (f *topicsFixture) do(t *testing.T, method, path string, form url.Values, header ...string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if a := req.Header.Get("X-Test-Addr"); a != "" {
		req.RemoteAddr = a
	}
	w := httptest.NewRecorder()
	f.srv.Config.Handler.ServeHTTP(w, req)
	return w.Result(), w.Body.String()
}

func login(t *testing.T, f *topicsFixture, addr, name, password string) *http.Response {
	t.Helper()
	res, _ := f.do(t, "POST", "/login", url.Values{"name": {name}, "password": {password}, "next": {"/topics"}}, "X-Test-Addr", addr)
	return res
}

func TestLogin(t *testing.T) {
	f := newTopicsFixture(t, false)
	withAdmin(t, f)
	if _, err := f.st.CreateSession(context.Background(), "ana", -time.Second); err != nil {
		t.Fatal(err)
	}
	res := login(t, f, "192.0.2.1:1000", "ana", adminPassword)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/topics" {
		t.Fatalf("login: %d to %q, want 303 to /topics", res.StatusCode, res.Header.Get("Location"))
	}
	cs := res.Cookies()
	if len(cs) != 1 {
		t.Fatalf("login set %d cookies, want 1", len(cs))
	}
	c := cs[0]
	if n, err := f.st.DeleteExpired(context.Background()); err != nil || n != 0 {
		t.Errorf("after a login %d expired sessions were left (%v), want them swept", n, err)
	}
	if c.Name != sessionCookie || len(c.Value) != 43 || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode ||
		c.Path != "/" || c.MaxAge != 12*3600 || c.Secure {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Strict, Path=/, 12 h, not Secure over plain HTTP", c)
	}
	if res, body := f.post(t, "/topics/strike/delete", nil, "Cookie", c.Name+"="+c.Value); res.StatusCode != http.StatusSeeOther {
		t.Errorf("POST with the new session: %d\n%s", res.StatusCode, body)
	}

	// Over TLS the cookie is Secure.
	req := httptest.NewRequest("POST", "https://pw.example/login", strings.NewReader(url.Values{"name": {"ana"}, "password": {adminPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	w := httptest.NewRecorder()
	f.srv.Config.Handler.ServeHTTP(w, req)
	if cs := w.Result().Cookies(); len(cs) != 1 || !cs[0].Secure {
		t.Errorf("login over TLS: cookies %+v, want one Secure", cs)
	}

	// Another site's page cannot log a visitor in.
	res, _ = f.do(t, "POST", "/login", url.Values{"name": {"ana"}, "password": {adminPassword}}, "Sec-Fetch-Site", "cross-site")
	if res.StatusCode != http.StatusForbidden || len(res.Cookies()) != 0 {
		t.Errorf("cross-site login: %d with %d cookies, want 403 and none", res.StatusCode, len(res.Cookies()))
	}
	// Only local paths are followed after a login.
	res, _ = f.do(t, "POST", "/login", url.Values{"name": {"ana"}, "password": {adminPassword}, "next": {"//evil.example/"}})
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Errorf("login with next=//evil.example/: to %q, want /", loc)
	}
}

func TestLoginFailuresLookAlike(t *testing.T) {
	f := newTopicsFixture(t, false)
	withAdmin(t, f)
	var bodies []string
	for _, c := range [][2]string{{"ana", "wrong password!"}, {"nobody", adminPassword}} {
		res, body := f.do(t, "POST", "/login", url.Values{"name": {c[0]}, "password": {c[1]}})
		if res.StatusCode != http.StatusUnauthorized || len(res.Cookies()) != 0 || !strings.Contains(body, "The name or the password is wrong.") {
			t.Errorf("login %s/%s: %d, %d cookies, want 401 with the generic error", c[0], c[1], res.StatusCode, len(res.Cookies()))
		}
		bodies = append(bodies, strings.Replace(body, `value="`+c[0]+`"`, "", 1))
	}
	if bodies[0] != bodies[1] {
		t.Error("a wrong name and a wrong password are answered differently")
	}
}

func TestLoginRateLimit(t *testing.T) {
	f := newTopicsFixture(t, false)
	withAdmin(t, f)
	for i := range loginFailures {
		if res := login(t, f, "192.0.2.1:1000", "ana", "wrong password!"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, res.StatusCode)
		}
	}
	cases := map[string]struct {
		addr, name string
		want       int
	}{
		"same address and name, right password": {"192.0.2.1:1000", "ana", http.StatusTooManyRequests},
		"same address, another name":            {"192.0.2.1:2000", "bo", http.StatusTooManyRequests},
		"another address, same name":            {"198.51.100.7:1000", "ana", http.StatusTooManyRequests},
		"another address and name":              {"198.51.100.7:1000", "bo", http.StatusUnauthorized},
	}
	for name, c := range cases {
		res := login(t, f, c.addr, c.name, adminPassword)
		if res.StatusCode != c.want {
			t.Errorf("%s: %d, want %d", name, res.StatusCode, c.want)
		}
		if c.want == http.StatusTooManyRequests {
			if ra, _ := strconv.Atoi(res.Header.Get("Retry-After")); ra != int(loginWindow/time.Second) || len(res.Cookies()) != 0 {
				t.Errorf("%s: Retry-After %q, %d cookies; want %d s and none", name, res.Header.Get("Retry-After"), len(res.Cookies()), int(loginWindow/time.Second))
			}
		}
	}
}

func TestLogoutAndExpiredSession(t *testing.T) {
	f := newTopicsFixture(t, false)
	cookie := withAdmin(t, f)
	res, _ := f.do(t, "POST", "/logout", nil, "Cookie", cookie)
	if res.StatusCode != http.StatusSeeOther || len(res.Cookies()) != 1 || res.Cookies()[0].MaxAge >= 0 {
		t.Errorf("logout: %d, cookies %+v; want 303 clearing the cookie", res.StatusCode, res.Cookies())
	}
	if res, _ := f.post(t, "/topics/strike/delete", nil, "Cookie", cookie); !refusedByGuard(res) {
		t.Errorf("POST after logout: %d, want refused", res.StatusCode)
	}
	token, err := f.st.CreateSession(context.Background(), "ana", -time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if res, _ := f.post(t, "/topics/strike/delete", nil, "Cookie", sessionCookie+"="+token); !refusedByGuard(res) {
		t.Errorf("POST with an expired session: %d, want refused", res.StatusCode)
	}
}

func TestPrivateServer(t *testing.T) {
	f := newTopicsFixture(t, false)
	cookie := withAdmin(t, f)
	s := f.srv.Config.Handler.(*Server)
	s.opts.Private = true
	for _, p := range []string{"/", "/search?q=Zhanaozen", "/topics", "/api/topics", "/articles/1"} {
		res, _ := f.get(t, p)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
			t.Errorf("private GET %s without a session: %d to %q, want a redirect to /login", p, res.StatusCode, res.Header.Get("Location"))
		}
		if res, _ := f.get(t, p, "Cookie", cookie); refusedByGuard(res) {
			t.Errorf("private GET %s with a session: %d, refused", p, res.StatusCode)
		}
	}
	for _, p := range []string{"/login", "/healthz", "/static/style.css"} {
		if res, _ := f.get(t, p); refusedByGuard(res) {
			t.Errorf("private GET %s without a session: %d, refused", p, res.StatusCode)
		}
	}
}

// TestLayoutNamesTheAdministrator: a logged-in administrator's pages say
// who is logged in, with a logout button that posts to /logout, in both
// languages; an anonymous page has neither.
func TestLayoutNamesTheAdministrator(t *testing.T) {
	f := newTopicsFixture(t, false)
	cookie := withAdmin(t, f)
	for lang, words := range map[string]string{"en": "Logged in as <strong>ana</strong>", "ru": "Вы вошли как <strong>ana</strong>"} {
		_, body := f.get(t, "/topics?ui="+lang, "Cookie", cookie)
		if !strings.Contains(body, words) || !strings.Contains(body, `<form class="logout" method="post" action="/logout">`) {
			t.Errorf("%s: a logged-in page lacks %q or the logout form", lang, words)
		}
	}
	if _, body := f.get(t, "/topics"); strings.Contains(body, "Logged in as") || strings.Contains(body, `action="/logout"`) {
		t.Error("an anonymous page names an administrator or offers a logout")
	}
}
