package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"os"
	"slices"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	gosmtp "github.com/wneessen/go-mail/smtp"
)

// Message is one digest as mail.
type Message struct {
	Subject   string    // any language: encoded per RFC 2047 by go-mail
	Text      string    // the text/plain part (first); required
	HTML      string    // the text/html part (second); "" : a text-only message
	MessageID string    // without angle brackets, e.g. "digest.zhanaozen.2011-12-17@presswatch"; the same for a retry, so receivers can drop a duplicate; required
	Date      time.Time // zero: the time of sending
}

// Send sends m to every address of c.To in one SMTP transaction, as
// multipart/alternative (text, then HTML), with Message-ID, Date,
// List-Unsubscribe when configured, and Auto-Submitted: auto-generated.
//
// It honours ctx: a cancel closes the connection, whatever the dialog is
// waiting for, and Send returns at once. c.Timeout bounds the whole
// connection the same way. Every error is an *Error; whether to retry is
// its Temporary, and whether the digest may have gone all the same is its
// MayHaveSent.
func Send(ctx context.Context, c Config, m Message) error {
	server := c.addr()
	if err := c.check(); err != nil {
		return &Error{Server: server, Stage: StageConfig, Err: err}
	}
	msg, err := compose(c, m)
	if err != nil {
		return &Error{Server: server, Stage: StageMessage, Err: err}
	}
	ctx, cancel := context.WithTimeoutCause(ctx, c.timeout(),
		fmt.Errorf("no end to the dialog within %s: %w", c.timeout(), context.DeadlineExceeded))
	defer cancel()

	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", server)
	if err != nil {
		return dialogError(ctx, server, StageConnect, err)
	}
	defer conn.Close()
	// go-mail's dialog does not watch ctx: closing the connection ends any read or write it waits on.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	client, rcpts, stage, err := open(ctx, conn, c)
	if err != nil {
		return dialogError(ctx, server, stage, err)
	}
	if err := deliver(client, c, msg); err != nil {
		return sendError(ctx, server, err, rcpts)
	}
	// The server has accepted the message: a failed QUIT changes nothing.
	_ = client.Quit()
	return nil
}

// compose builds the go-mail message of m.
func compose(c Config, m Message) (*gomail.Msg, error) {
	if m.MessageID == "" {
		return nil, errors.New("message id: empty (a retry needs the same one)")
	}
	if !isMessageID(m.MessageID) {
		return nil, fmt.Errorf("message id %q: not of the form left@right in printable ASCII, without brackets or spaces", m.MessageID)
	}
	if m.Text == "" {
		return nil, errors.New("text: empty (the text/plain part is required)")
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(c.From); err != nil {
		return nil, err
	}
	if err := msg.To(c.To...); err != nil {
		return nil, err
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	if !m.Date.IsZero() {
		msg.SetDateWithValue(m.Date)
	}
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	switch {
	case strings.HasPrefix(c.Unsubscribe, "https:"):
		if err := msg.SetListUnsubscribeOneClick(c.Unsubscribe); err != nil {
			return nil, err
		}
	case c.Unsubscribe != "":
		msg.SetListUnsubscribe(c.Unsubscribe)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// isMessageID accepts the dot-atom form of RFC 5322's msg-id, without its
// angle brackets: go-mail adds them, and would Q-encode anything else.
func isMessageID(id string) bool {
	left, right, ok := strings.Cut(id, "@")
	if !ok || left == "" || right == "" || strings.Contains(right, "@") {
		return false
	}
	for _, b := range []byte(id) {
		if b <= ' ' || b > '~' || strings.IndexByte(`"(),:;<>[\]`, b) >= 0 {
			return false
		}
	}
	return true
}

// open takes conn from the greeting to an authenticated session with go-mail's
// SMTP client, one stage after another, so that a failure names its stage
// (go-mail's own Client.DialWithContext reports the same failures as bare
// errors, some of them only as text). rcpts collects the replies to RCPT TO.
func open(ctx context.Context, conn net.Conn, c Config) (*gosmtp.Client, *rcptReplies, string, error) {
	if c.mode() == TLSImplicit {
		tc := tls.Client(conn, c.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, nil, StageConnect, fmt.Errorf("tls handshake: %w", err)
		}
		conn = tc // go-mail's client sees a *tls.Conn, so it knows the session is encrypted
	}
	client, err := gosmtp.NewClient(conn, c.Host)
	if err != nil {
		return nil, nil, StageConnect, err
	}
	rcpts := &rcptReplies{}
	client.ErrorHandlerRegistry = gosmtp.NewErrorHandlerRegistry()
	client.ErrorHandlerRegistry.SetDefaultHandler(rcpts)
	if err := client.Hello(heloName()); err != nil {
		return nil, nil, StageConnect, err
	}
	if c.mode() == TLSStartTLS {
		if ok, _ := client.Extension("STARTTLS"); !ok {
			return nil, nil, StageSTARTTLS, errNoSTARTTLS
		}
		if err := client.StartTLS(c.tlsConfig()); err != nil {
			return nil, nil, StageSTARTTLS, err
		}
	}
	if c.Username == "" {
		return client, rcpts, "", nil
	}
	ok, mechs := client.Extension("AUTH")
	if !ok || !slices.Contains(strings.Fields(strings.ToUpper(mechs)), "PLAIN") {
		return nil, nil, StageAuth, fmt.Errorf("the server does not offer AUTH PLAIN (it offers %q)", mechs)
	}
	// Validate allows no TLS only on loopback, so PLAIN in clear never leaves the machine.
	if err := client.Auth(gosmtp.PlainAuth("", c.Username, c.Password, c.Host, c.mode() == TLSNone)); err != nil {
		return nil, nil, StageAuth, err
	}
	return client, rcpts, "", nil
}

// deliver runs the transaction (MAIL FROM, RCPT TO, DATA) with go-mail's
// Client on the open session.
func deliver(client *gosmtp.Client, c Config, msg *gomail.Msg) error {
	// The dialog's context (c.Timeout) is what bounds it; go-mail's own
	// per-command deadline is set a second later, so that a timeout always
	// reads as the dialog's deadline and never as a bare i/o timeout that
	// won a race by microseconds.
	sender, err := gomail.NewClient(c.Host, gomail.WithPort(c.port()), gomail.WithTimeout(c.timeout()+time.Second),
		// The session is fresh: no NOOP to check it (go-mail reports a failed
		// NOOP as a permanent error and drops its cause), and no RSET after
		// the message (a failed RSET would turn a delivered message into an error).
		gomail.WithoutNoop(), gomail.WithoutRset())
	if err != nil {
		return err
	}
	return sender.SendWithSMTPClient(client, msg)
}

// heloName is the name go-mail itself would greet with: the host name.
func heloName() string {
	name, err := os.Hostname()
	if err != nil || name == "" || strings.ContainsAny(name, " \r\n") {
		return "localhost"
	}
	return name
}

// dialogError is the Error of a failure before the transaction.
func dialogError(ctx context.Context, server, stage string, err error) *Error {
	e := &Error{Server: server, Stage: stage, Code: replyCode(err), Temporary: temporary(err), Err: err}
	if ctx.Err() != nil {
		e.Code, e.Temporary, e.Err = 0, true, context.Cause(ctx)
	}
	return e
}

// sendError maps the error of go-mail's SendWithSMTPClient, a *SendError
// whose Reason tells the command that failed. Its ErrorCode is the code of
// the server's reply, 0 when the server did not reply; its IsTemp is only
// true for a 4xx reply (it reads the error text's first character), so a
// broken connection, which go-mail reports as not temporary, is made
// temporary here.
func sendError(ctx context.Context, server string, err error, rcpts *rcptReplies) *Error {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return dialogError(ctx, server, StageMailFrom, err)
	}
	e := &Error{Server: server, Code: se.ErrorCode(), Temporary: se.IsTemp(), Err: se}
	switch se.Reason {
	case gomail.ErrConnCheck, gomail.ErrSMTPMailFrom:
		e.Stage = StageMailFrom
	case gomail.ErrSMTPRcptTo:
		e.Stage = StageRcptTo
		// go-mail asks every recipient, but its SendError keeps the code of
		// the last one refused: one permanent refusal makes the whole permanent.
		if code := rcpts.permanent(); code != 0 {
			e.Code, e.Temporary = code, false
		}
	case gomail.ErrSMTPData, gomail.ErrWriteContent:
		e.Stage = StageData
	case gomail.ErrSMTPDataClose:
		e.Stage = StageData
		// The whole message and its final "." went out and no reply came back.
		e.MayHaveSent = e.Code == 0
	default: // ErrGetSender, ErrGetRcpts, ErrNoUnencoded: compose rules them out
		e.Stage = StageMessage
		return e
	}
	if e.Code == 0 {
		e.Temporary = true // no reply: the connection failed
	}
	if ctx.Err() != nil {
		e.Code, e.Temporary, e.Err = 0, true, context.Cause(ctx)
	}
	return e
}

// rcptReplies is the error handler go-mail's SMTP client calls with every
// failed reply; it keeps the codes of the refused RCPT TO.
type rcptReplies struct {
	codes []int
}

func (r *rcptReplies) HandleError(_, command string, _ *textproto.Conn, err error) error {
	if command == "rcpt" {
		r.codes = append(r.codes, replyCode(err))
	}
	return err
}

// permanent is the first 5xx code a recipient got, 0 for none.
func (r *rcptReplies) permanent() int {
	for _, code := range r.codes {
		if code/100 == 5 {
			return code
		}
	}
	return 0
}
