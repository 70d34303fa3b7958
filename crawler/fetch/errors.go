package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/redact"
)

// RetryAfter reports the delay a server asked for with Retry-After on a 429
// or 503 answer, as carried by an error from Get. The scheduler should not
// try the source again before it has passed. The delay is capped at
// MaxRetryAfter; ok is false when err carries no delay.
func RetryAfter(err error) (d time.Duration, ok bool) {
	var re *retryError
	if errors.As(err, &re) {
		return re.after, true
	}
	return 0, false
}

// retryError is the Err inside a model.ErrRateLimited *model.Error.
type retryError struct {
	msg   string
	after time.Duration
}

func (e *retryError) Error() string { return e.msg }

// fail builds the *model.Error every failure of Get returns:
// "fetch: GET <url>: <reason>". The URLs in it are redacted (see package
// redact): the message is logged, stored with the fetch and the source's
// health, and shown on the sources page.
func fail(kind model.ErrorKind, url, format string, args ...any) error {
	return model.Errorf(kind, "%s", redact.Text(fmt.Sprintf("fetch: GET %s: %s", url, fmt.Sprintf(format, args...))))
}

// failCause is fail keeping cause in the chain, so errors.Is still finds
// what failed underneath (a full disk: syscall.ENOSPC).
func failCause(kind model.ErrorKind, url string, cause error, format string, args ...any) error {
	msg := fail(kind, url, format, args...).Error()
	return &model.Error{Kind: kind, Err: &causeError{msg: msg, err: cause}}
}

// causeError is a message with the error under it.
type causeError struct {
	msg string
	err error
}

func (e *causeError) Error() string { return e.msg }
func (e *causeError) Unwrap() error { return e.err }

// parseRetryAfter reads a Retry-After value, delta-seconds or HTTP-date,
// relative to now. A date in the past means no wait; the result is capped
// at MaxRetryAfter.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter, true
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = max(t.Sub(now), 0)
	} else {
		return 0, false
	}
	return min(d, MaxRetryAfter), true
}

// statusError turns a final answer of 400 or more into an error, or
// returns nil. 429, and 503 with a Retry-After header, are rate limits;
// after is the parsed delay (ok false when absent or unreadable).
func statusError(url string, status int, after time.Duration, ok bool) error {
	text := statusText(status)
	switch {
	case status < 400:
		return nil
	case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable && ok:
		if !ok {
			return fail(model.ErrRateLimited, url, "server answered %s", text)
		}
		msg := fmt.Sprintf("fetch: GET %s: server answered %s, retry after %s", url, text, after)
		return &model.Error{Kind: model.ErrRateLimited, Err: &retryError{msg: msg, after: after}}
	default:
		return fail(model.ErrHTTPStatus, url, "server answered %s", text)
	}
}

// classify turns an error from the transport or the body read into a
// *model.Error. parent is the caller's context, hop the per-exchange one
// carrying Timeout.
func (f *Fetcher) classify(parent, hop context.Context, url string, err error) error {
	var (
		blocked *blockedError
		dnsErr  *net.DNSError
		opErr   *net.OpError
		netErr  net.Error
	)
	switch {
	case errors.As(err, &blocked):
		return fail(model.ErrBlockedAddress, url, "%s", blocked.Error())
	case parent.Err() != nil:
		return fail(model.ErrCanceled, url, "canceled: %v", context.Cause(parent))
	case hop.Err() != nil:
		return fail(model.ErrTimeout, url, "timed out after %s", f.opts.Timeout)
	case headersTooLarge(err):
		return fail(model.ErrTooLarge, url, "response headers larger than the %s cap", formatBytes(maxHeaderBytes))
	case errors.As(err, &dnsErr):
		return fail(model.ErrDNS, url, "host name %q not found: %v", dnsErr.Name, dnsErr.Err)
	case isTLS(err):
		return fail(model.ErrTLS, url, "TLS handshake failed: %v", unwrapURL(err))
	case errors.As(err, &opErr) && opErr.Op == "dial" && opErr.Timeout():
		return fail(model.ErrTimeout, url, "could not connect within %s", f.opts.ConnectTimeout)
	case errors.As(err, &netErr) && netErr.Timeout():
		return fail(model.ErrTimeout, url, "timed out: %v", unwrapURL(err))
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return fail(model.ErrConnect, url, "could not connect: %v", syscallCause(opErr.Err))
	default:
		return fail(model.ErrConnect, url, "connection failed: %v", unwrapURL(err))
	}
}

// headersTooLarge tells net/http's refusal of an answer whose headers
// pass MaxResponseHeaderBytes (HTTP/1) or the advertised header list size
// (HTTP/2): neither has a type, only these texts.
func headersTooLarge(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "server response headers exceeded") ||
		strings.Contains(msg, "response header list larger than advertised limit")
}

func isTLS(err error) bool {
	var (
		rh    tls.RecordHeaderError
		alert tls.AlertError
		cv    *tls.CertificateVerificationError
		ua    x509.UnknownAuthorityError
		he    x509.HostnameError
		ci    x509.CertificateInvalidError
	)
	return errors.As(err, &rh) || errors.As(err, &alert) || errors.As(err, &cv) ||
		errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci) ||
		strings.Contains(err.Error(), "tls: ")
}

// unwrapURL drops the "Get \"url\": " wrapping of *url.Error, since our
// own message already names the URL.
func unwrapURL(err error) error {
	var ue *neturl.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// syscallCause drops the "connect: " of an *os.SyscallError.
func syscallCause(err error) error {
	var se *os.SyscallError
	if errors.As(err, &se) {
		return se.Err
	}
	return err
}
