package mail

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

// This file holds a real SMTP server for the tests (go-smtp on loopback)
// with a certificate for 127.0.0.1 made here.

const (
	testUser     = "digest"
	testPassword = "correct horse battery staple"
)

// testCert is a self-signed certificate for 127.0.0.1 and the pool that
// trusts it, made once per test binary.
var testCert = sync.OnceValues(func() (tls.Certificate, *x509.CertPool) {
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

// envelope is one message the server took.
type envelope struct {
	From string
	To   []string
	Data []byte
}

// hooks are the test server's behaviour; they run in the server's
// goroutines, and nil hooks accept.
type hooks struct {
	auth func() error          // at AUTH, before the password is checked
	mail func() error          // at MAIL FROM
	rcpt func(to string) error // at RCPT TO
	data func() error          // after the whole message was read, before the reply to the final "."
}

// errHangUp, returned by a hook, makes the server close the connection
// instead of replying.
var errHangUp = errors.New("hang up")

// backend is the test server: its hooks and what it saw.
type backend struct {
	hooks

	mu       sync.Mutex
	sessions int        // sessions opened (one per EHLO)
	auths    int        // AUTH attempts
	mails    int        // MAIL FROM commands
	got      []envelope // messages accepted
}

func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	b.mu.Lock()
	b.sessions++
	b.mu.Unlock()
	return &session{b: b, conn: c}, nil
}

func (b *backend) received() (got []envelope, sessions, auths, mails int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]envelope(nil), b.got...), b.sessions, b.auths, b.mails
}

type session struct {
	b      *backend
	conn   *smtp.Conn
	authed bool
	env    envelope
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		s.b.mu.Lock()
		s.b.auths++
		s.b.mu.Unlock()
		if err := s.hook(s.b.auth); err != nil {
			return err
		}
		if username != testUser || password != testPassword {
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
	if err := s.hook(s.b.mail); err != nil {
		return err
	}
	s.env = envelope{From: from}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.b.rcpt != nil {
		if err := s.b.rcpt(to); err != nil {
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
	if err := s.hook(s.b.data); err != nil {
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
	if err == errHangUp {
		s.conn.Close()
	}
	return err
}

func (s *session) Reset()        { s.env = envelope{} }
func (s *session) Logout() error { return nil }

// startServer serves b on 127.0.0.1 until the test ends, speaking TLS as
// mode says ("starttls", "tls" or "none"; "plain" offers neither STARTTLS
// nor TLS but still AUTH), and returns a Config that reaches it with the
// right password and trusts its certificate.
func startServer(t *testing.T, b *backend, mode string) Config {
	t.Helper()
	cert, pool := testCert()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := smtp.NewServer(b)
	s.Domain = "127.0.0.1"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.ErrorLog = log.New(io.Discard, "", 0)
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{cert}}
	plain := mode == "plain"
	switch mode {
	case TLSStartTLS:
		s.TLSConfig = tlsConfig
	case TLSImplicit:
		l = tls.NewListener(l, tlsConfig)
	case TLSNone, "plain":
		s.AllowInsecureAuth = true
	default:
		t.Fatalf("server mode %q", mode)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(l) }()
	t.Cleanup(func() {
		s.Close()
		if err := <-done; err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			t.Errorf("smtp server: %v", err)
		}
	})
	addr := l.Addr().(*net.TCPAddr)
	cfg := Config{
		Host:        "127.0.0.1",
		Port:        addr.Port,
		Username:    testUser,
		Password:    testPassword,
		From:        "Zhanaozen digest <digest@example.org>",
		To:          []string{"editor@example.org", "Айгуль Серикова <aigul@example.kz>", "desk@example.net"},
		Unsubscribe: "https://presswatch.example.org/unsubscribe?t=zhanaozen",
		TLS:         mode,
		Timeout:     time.Minute,
		TLSConfig:   &tls.Config{RootCAs: pool},
	}
	if plain {
		cfg.TLS = TLSStartTLS
	}
	return cfg
}

// closedPort is a loopback port nothing listens on.
func closedPort(t *testing.T) int {
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
