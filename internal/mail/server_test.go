package mail

import (
	"crypto/tls"
	"testing"
	"time"

	"presswatch/internal/mail/mailtest"
)

// The tests' SMTP server is mailtest's; these name its parts as the tests
// use them.
type (
	backend = mailtest.Backend
	hooks   = mailtest.Hooks
)

var errHangUp = mailtest.ErrHangUp

const (
	testUser     = mailtest.User
	testPassword = mailtest.Password
)

// startServer serves b on 127.0.0.1 until the test ends, speaking TLS as
// mode says ("starttls", "tls" or "none"; "plain" offers neither STARTTLS
// nor TLS but still AUTH), and returns a Config that reaches it with the
// right password and trusts its certificate.
func startServer(t *testing.T, b *backend, mode string) Config {
	t.Helper()
	a := mailtest.Start(t, b, mode)
	cfg := Config{
		Host:        a.Host,
		Port:        a.Port,
		Username:    testUser,
		Password:    testPassword,
		From:        "Zhanaozen digest <digest@example.org>",
		To:          []string{"editor@example.org", "Айгуль Серикова <aigul@example.kz>", "desk@example.net"},
		Unsubscribe: "https://presswatch.example.org/unsubscribe?t=zhanaozen",
		TLS:         mode,
		Timeout:     time.Minute,
		TLSConfig:   &tls.Config{RootCAs: a.Pool},
	}
	if mode == "plain" {
		cfg.TLS = TLSStartTLS
	}
	return cfg
}

func closedPort(t *testing.T) int { return mailtest.ClosedPort(t) }
