// Package mailtest is a real SMTP server for tests: go-smtp on loopback,
// with STARTTLS or implicit TLS on a certificate for 127.0.0.1 made on the
// spot, AUTH PLAIN, hooks that refuse, stall or hang up at each stage, and
// the messages it accepted, to read back.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

const (
	User     = "digest"
	Password = "correct horse battery staple"
)

// Cert is a self-signed certificate for 127.0.0.1 and the pool that
// trusts it, made once per test binary.
var Cert = sync.OnceValues(func() (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "presswatch test relay"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}, pool
})

// Envelope is one message the server took.
type Envelope struct {
	From string
	To   []string
	Data []byte
}

// Hooks are the server's behaviour; they run in the server's goroutines,
// and nil hooks accept. A hook returning an *smtp.SMTPError refuses with
// its code; ErrHangUp closes the connection instead of replying.
type Hooks struct {
	Auth func() error          // at AUTH, before the password is checked
	Mail func() error          // at MAIL FROM
	Rcpt func(to string) error // at RCPT TO
	Data func() error          // after the whole message was read, before the reply to the final "."
}

// ErrHangUp, returned by a hook, makes the server close the connection
// instead of replying.
var ErrHangUp = errors.New("hang up")

// Backend is the server's behaviour and what it saw.
type Backend struct {
	Hooks

	mu       sync.Mutex
	sessions int        // sessions opened (one per EHLO)
	auths    int        // AUTH attempts
	mails    int        // MAIL FROM commands
	got      []Envelope // messages accepted
}

// NewSession is go-smtp's; it opens a session.
func (b *Backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	b.mu.Lock()
	b.sessions++
	b.mu.Unlock()
	return &session{b: b, conn: c}, nil
}

// Received returns the messages accepted and how many sessions, AUTH
// attempts and MAIL FROM commands there were.
func (b *Backend) Received() (got []Envelope, sessions, auths, mails int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Envelope(nil), b.got...), b.sessions, b.auths, b.mails
}

type session struct {
	b      *Backend
	conn   *smtp.Conn
	authed bool
	env    Envelope
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		s.b.mu.Lock()
		s.b.auths++
		s.b.mu.Unlock()
		if err := s.hook(s.b.Auth); err != nil {
			return err
		}
		if username != User || password != Password {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.b.mu.Lock()
	s.b.mails++
	s.b.mu.Unlock()
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	if err := s.hook(s.b.Mail); err != nil {
		return err
	}
	s.env = Envelope{From: from}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.b.Rcpt != nil {
		if err := s.b.Rcpt(to); err != nil {
			return err
		}
	}
	s.env.To = append(s.env.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if err := s.hook(s.b.Data); err != nil {
		return err
	}
	s.env.Data = data
	s.b.mu.Lock()
	s.b.got = append(s.b.got, s.env)
	s.b.mu.Unlock()
	return nil
}

// hook runs h, if any, and hangs up when it says so.
func (s *session) hook(h func() error) error {
	if h == nil {
		return nil
	}
	err := h()
	if err == ErrHangUp {
		s.conn.Close()
	}
	return err
}

func (s *session) Reset()        { s.env = Envelope{} }
func (s *session) Logout() error { return nil }

// Addr is where a started server listens and the pool that trusts its
// certificate.
type Addr struct {
	Host string
	Port int
	Pool *x509.CertPool
}

// Start serves b on 127.0.0.1 until the test ends, speaking TLS as mode
// says: "starttls", "tls" (implicit), "none" (AUTH without TLS), or
// "plain" (neither STARTTLS nor TLS offered, AUTH still allowed).
func Start(t testing.TB, b *Backend, mode string) Addr {
	t.Helper()
	cert, pool := Cert()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := smtp.NewServer(b)
	s.Domain = "127.0.0.1"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.ErrorLog = log.New(io.Discard, "", 0)
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{cert}}
	switch mode {
	case "starttls":
		s.TLSConfig = tlsConfig
	case "tls":
		l = tls.NewListener(l, tlsConfig)
	case "none", "plain":
		s.AllowInsecureAuth = true
	default:
		t.Fatalf("mailtest: server mode %q", mode)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(l) }()
	t.Cleanup(func() {
		// Close the listener too: a Serve that had not yet started when
		// the test ended is not one the server's Close knows of, and would
		// wait in Accept for good.
		s.Close()
		l.Close()
		if err := <-done; err != nil && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			t.Errorf("smtp server: %v", err)
		}
	})
	return Addr{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, Pool: pool}
}

// ClosedPort is a loopback port nothing listens on.
func ClosedPort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(l.Addr().String())
	l.Close()
	n, _ := strconv.Atoi(port)
	return n
}
