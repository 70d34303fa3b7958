package mail

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"syscall"
)

// The stages of Error.Stage, in the order of the dialog.
const (
	StageConfig   = "config"    // before connecting: Validate refused the Config
	StageMessage  = "message"   // before connecting: the Message has no MessageID or no Text
	StageConnect  = "connect"   // dialling, the TLS handshake of "tls", the greeting, EHLO
	StageSTARTTLS = "starttls"  // STARTTLS offered and the handshake after it
	StageAuth     = "auth"      // AUTH PLAIN
	StageMailFrom = "mail from" // MAIL FROM
	StageRcptTo   = "rcpt to"   // RCPT TO, for every address of Config.To
	StageData     = "data"      // DATA, the message, the final "." and the reply to it
)

// Error is a failed send: Temporary says a later retry may succeed
// (connection refused or reset, timeout, 4xx replies, a cancelled ctx); a
// permanent one (5xx, authentication refused, bad address, a server without
// STARTTLS, a certificate that does not verify) needs someone to change the
// configuration. Every error Send returns is an *Error.
//
// MayHaveSent is true only when the failure came after the whole message
// and its final "." of DATA had been handed to the server and before the
// server replied (the connection broke, timed out or ctx was cancelled
// while waiting for that reply): the server may have accepted the message.
// In every other stage, and for any reply to the final "." (4xx or 5xx),
// the server has not taken the message. A retry after MayHaveSent uses the
// same Message.MessageID, so that receivers can drop a duplicate.
type Error struct {
	Server      string // host:port
	Stage       string // one of the Stage constants
	Code        int    // the server's reply code (421, 535, 554 ...); 0 when it did not reply
	Temporary   bool
	MayHaveSent bool
	Err         error // the server's reply, go-mail's *SendError, a network error, or context.Cause of ctx
}

// Error names the server, the stage and the server's reply or what failed.
func (e *Error) Error() string {
	return fmt.Sprintf("mail: send via %s: %s: %v", e.Server, e.Stage, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// errNoSTARTTLS refuses a server that does not offer STARTTLS when
// Config.TLS asks for it.
var errNoSTARTTLS = errors.New(`the server does not offer STARTTLS, which TLS "starttls" requires; nothing was sent`)

// replyCode is the code of the first server reply in err's chain, 0 for none.
func replyCode(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

// temporary tells whether a later retry may succeed after err, which did
// not end in a go-mail SendError: a 4xx reply, or a network that failed
// on its way (refused, reset, timed out, hung up). A 5xx reply, a TLS
// failure or a refused policy are permanent.
func temporary(err error) bool {
	if code := replyCode(err); code != 0 {
		return code/100 == 4
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.IsTimeout || dnsErr.IsTemporary
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return true
	}
	for _, e := range []error{
		context.Canceled, context.DeadlineExceeded, io.EOF, io.ErrUnexpectedEOF,
		syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE,
		syscall.ENETUNREACH, syscall.EHOSTUNREACH, syscall.ETIMEDOUT,
	} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
