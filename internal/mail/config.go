package mail

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is how to reach the SMTP relay and whom to send to.
type Config struct {
	Host     string
	Port     int    // 0: 587 for STARTTLS, 465 for TLS, 25 for none
	Username string // "" : no authentication
	Password string
	From     string // an address, optionally with a name: "Zhanaozen digest <digest@example.org>"
	To       []string
	// Unsubscribe is a mailto: or https: URL put in List-Unsubscribe ("" : no header). An https URL also gets
	// List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058).
	Unsubscribe string
	// TLS is "starttls" (default, and mandatory: a server not offering STARTTLS is refused), "tls" (implicit TLS) or "none"
	// ("none" is refused unless Host is a loopback address: credentials and digests never cross a network in clear).
	TLS       string
	Timeout   time.Duration // per connection, from dialling to QUIT; 0: 30 s
	TLSConfig *tls.Config   // nil: the system roots and Host as server name (tests pass their own roots)
}

// The TLS modes of Config.TLS.
const (
	TLSStartTLS = "starttls"
	TLSImplicit = "tls"
	TLSNone     = "none"
)

// DefaultTimeout bounds one connection when Config.Timeout is 0.
const DefaultTimeout = 30 * time.Second

// maxUnsubscribe keeps List-Unsubscribe on one header line: go-mail does
// not fold it, and a line may hold 998 bytes (RFC 5322).
const maxUnsubscribe = 900

// Validate reports a config that cannot work, naming the field and the
// reason. Send calls it first, so calling it at start-up only moves the
// error earlier, where an operator sees it.
func (c Config) Validate() error {
	if err := c.check(); err != nil {
		return fmt.Errorf("mail: config: %w", err)
	}
	return nil
}

func (c Config) check() error {
	switch {
	case c.Host == "":
		return errors.New("host: empty")
	case strings.ContainsAny(c.Host, " \t\r\n/"):
		return fmt.Errorf("host %q: not a host name or address", c.Host)
	case c.Port < 0 || c.Port > 65535:
		return fmt.Errorf("port %d: not between 1 and 65535", c.Port)
	case c.Timeout < 0:
		return fmt.Errorf("timeout %s: negative", c.Timeout)
	case c.Username != "" && c.Password == "":
		return fmt.Errorf("password: empty while username %q is set", c.Username)
	case c.Username == "" && c.Password != "":
		return errors.New("username: empty while a password is set")
	case strings.ContainsAny(c.Username+c.Password, "\r\n"):
		return errors.New("username or password: holds a line break")
	}
	switch c.TLS {
	case "", TLSStartTLS, TLSImplicit:
	case TLSNone:
		if !isLoopback(c.Host) {
			return fmt.Errorf("tls %q: refused for host %q, which is not a loopback address: credentials and digests would cross a network in clear", c.TLS, c.Host)
		}
	default:
		return fmt.Errorf("tls %q: not %q, %q or %q", c.TLS, TLSStartTLS, TLSImplicit, TLSNone)
	}
	if c.From == "" {
		return errors.New("from: empty")
	}
	if err := checkAddress(c.From); err != nil {
		return fmt.Errorf("from %q: %w", c.From, err)
	}
	if len(c.To) == 0 {
		return errors.New("to: no address")
	}
	for i, to := range c.To {
		if err := checkAddress(to); err != nil {
			return fmt.Errorf("to[%d] %q: %w", i, to, err)
		}
	}
	if err := checkUnsubscribe(c.Unsubscribe); err != nil {
		return fmt.Errorf("unsubscribe %q: %w", c.Unsubscribe, err)
	}
	return nil
}

// checkAddress accepts one RFC 5322 address, with or without a name.
func checkAddress(s string) error {
	if _, err := netmail.ParseAddress(s); err != nil {
		return fmt.Errorf("not an address (%v)", err)
	}
	return nil
}

func checkUnsubscribe(s string) error {
	if s == "" {
		return nil
	}
	if len(s) > maxUnsubscribe {
		return fmt.Errorf("longer than %d bytes", maxUnsubscribe)
	}
	if strings.ContainsAny(s, " \t\r\n<>,") {
		return errors.New("holds a space, a comma or an angle bracket, which would break the header")
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("not a URL (%v)", err)
	}
	switch u.Scheme {
	case "https":
		if u.Host == "" {
			return errors.New("https URL without a host")
		}
	case "mailto":
		if _, err := netmail.ParseAddress(u.Opaque); err != nil {
			return fmt.Errorf("mailto: without an address (%v)", err)
		}
	default:
		return errors.New("neither a mailto: nor an https: URL")
	}
	return nil
}

// isLoopback reports whether host is "localhost" or a loopback address.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (c Config) mode() string {
	if c.TLS == "" {
		return TLSStartTLS
	}
	return c.TLS
}

func (c Config) port() int {
	switch {
	case c.Port != 0:
		return c.Port
	case c.mode() == TLSImplicit:
		return 465
	case c.mode() == TLSNone:
		return 25
	}
	return 587
}

func (c Config) addr() string {
	return net.JoinHostPort(c.Host, strconv.Itoa(c.port()))
}

func (c Config) timeout() time.Duration {
	if c.Timeout == 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

// tlsConfig is c.TLSConfig, or the system roots, with Host as the server
// name when none is given.
func (c Config) tlsConfig() *tls.Config {
	if c.TLSConfig == nil {
		return &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}
	}
	cfg := c.TLSConfig.Clone()
	if cfg.ServerName == "" {
		cfg.ServerName = c.Host
	}
	return cfg
}
