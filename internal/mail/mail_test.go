package mail

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// digest is a message with what a digest holds: Cyrillic in the subject
// and both parts, lines long enough to be folded by quoted-printable, and a
// line holding only "." (which SMTP must stuff and unstuff).
func digest() Message {
	return Message{
		Subject: "Дайджест: Жанаозен, 17 декабря 2011",
		Text: "Жанаозен, 17 декабря 2011\n\n" +
			"1. В Жанаозене продолжается режим чрезвычайного положения; по данным генеральной прокуратуры, число погибших достигло четырнадцати.\n" +
			".\n" +
			"2. Kazakhstan: oil town unrest spreads to Shetpe station.\n",
		HTML: "<html><body><h1>Жанаозен, 17 декабря 2011</h1>\n" +
			"<ol><li>В Жанаозене продолжается режим чрезвычайного положения.</li>\n" +
			"<li>Kazakhstan: oil town unrest spreads to Shetpe station.</li></ol></body></html>\n",
		MessageID: "digest.zhanaozen.2011-12-17@presswatch",
		Date:      time.Date(2011, 12, 17, 8, 0, 0, 0, time.FixedZone("+0600", 6*60*60)),
	}
}

// part is one body part as a mail reader sees it.
type part struct {
	Type, Charset, Body string
}

// readMessage parses what the server received with net/mail and
// mime/multipart, decoding quoted-printable, with line ends as "\n".
func readMessage(t *testing.T, data []byte) (*netmail.Message, []part) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("received message does not parse: %v\n%s", err, data)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		body := io.Reader(msg.Body)
		if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body = quotedprintable.NewReader(body)
		}
		return msg, []part{readPart(t, mediaType, params, body)}
	}
	if mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type %s, want multipart/alternative", mediaType)
	}
	var parts []part
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart() // decodes quoted-printable
		if err == io.EOF {
			return msg, parts
		}
		if err != nil {
			t.Fatalf("part %d: %v", len(parts)+1, err)
		}
		mediaType, params, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("part %d: Content-Type %q: %v", len(parts)+1, p.Header.Get("Content-Type"), err)
		}
		parts = append(parts, readPart(t, mediaType, params, p))
	}
}

func readPart(t *testing.T, mediaType string, params map[string]string, r io.Reader) part {
	t.Helper()
	body, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s part: %v", mediaType, err)
	}
	return part{Type: mediaType, Charset: strings.ToLower(params["charset"]), Body: strings.ReplaceAll(string(body), "\r\n", "\n")}
}

func TestSend(t *testing.T) {
	m := digest()
	textPart := part{Type: "text/plain", Charset: "utf-8", Body: m.Text}
	htmlPart := part{Type: "text/html", Charset: "utf-8", Body: m.HTML}
	cases := map[string]struct {
		mode        string
		unsubscribe string // "-": none
		html        bool
		wantUnsub   string
		wantPost    string
		wantParts   []part
	}{
		"starttls, auth, text and html, https unsubscribe": {
			mode: TLSStartTLS, html: true,
			wantUnsub: "<https://presswatch.example.org/unsubscribe?t=zhanaozen>", wantPost: "List-Unsubscribe=One-Click",
			wantParts: []part{textPart, htmlPart},
		},
		"implicit tls, mailto unsubscribe": {
			mode: TLSImplicit, html: true, unsubscribe: "mailto:unsubscribe@example.org?subject=zhanaozen",
			wantUnsub: "<mailto:unsubscribe@example.org?subject=zhanaozen>",
			wantParts: []part{textPart, htmlPart},
		},
		"none on loopback, text only, no unsubscribe": {
			mode: TLSNone, unsubscribe: "-",
			wantParts: []part{textPart},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			b := &backend{}
			cfg := startServer(t, b, tc.mode)
			switch tc.unsubscribe {
			case "":
			case "-":
				cfg.Unsubscribe = ""
			default:
				cfg.Unsubscribe = tc.unsubscribe
			}
			m := digest()
			if !tc.html {
				m.HTML = ""
			}
			if err := Send(context.Background(), cfg, m); err != nil {
				t.Fatalf("Send: %v", err)
			}
			got, _, _, _ := b.Received()
			if len(got) != 1 {
				t.Fatalf("server received %d messages, want 1", len(got))
			}
			env := got[0]
			if env.From != "digest@example.org" {
				t.Errorf("MAIL FROM %q, want digest@example.org", env.From)
			}
			if want := []string{"editor@example.org", "aigul@example.kz", "desk@example.net"}; !slices.Equal(env.To, want) {
				t.Errorf("RCPT TO %q, want %q", env.To, want)
			}
			msg, parts := readMessage(t, env.Data)
			checkHeaders(t, msg, m)
			if got := msg.Header.Get("List-Unsubscribe"); got != tc.wantUnsub {
				t.Errorf("List-Unsubscribe %q, want %q", got, tc.wantUnsub)
			}
			if got := msg.Header.Get("List-Unsubscribe-Post"); got != tc.wantPost {
				t.Errorf("List-Unsubscribe-Post %q, want %q", got, tc.wantPost)
			}
			if !slices.Equal(parts, tc.wantParts) {
				t.Errorf("parts:\n%+v\nwant:\n%+v", parts, tc.wantParts)
			}
		})
	}
}

// checkHeaders asserts what every digest carries, whatever the TLS mode.
func checkHeaders(t *testing.T, msg *netmail.Message, m Message) {
	t.Helper()
	raw := msg.Header.Get("Subject")
	if !strings.Contains(raw, "=?UTF-8?") || strings.ContainsFunc(raw, func(r rune) bool { return r > '~' }) {
		t.Errorf("Subject %q is not RFC 2047 encoded ASCII", raw)
	}
	if subject, err := new(mime.WordDecoder).DecodeHeader(raw); err != nil || subject != m.Subject {
		t.Errorf("Subject decodes to %q (%v), want %q", subject, err, m.Subject)
	}
	if got, want := msg.Header.Get("Message-Id"), "<"+m.MessageID+">"; got != want {
		t.Errorf("Message-ID %q, want %q", got, want)
	}
	if date, err := msg.Header.Date(); err != nil || !date.Equal(m.Date) {
		t.Errorf("Date %q (%v), want %s", msg.Header.Get("Date"), err, m.Date)
	}
	if got := msg.Header.Get("Auto-Submitted"); got != "auto-generated" {
		t.Errorf("Auto-Submitted %q, want auto-generated", got)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || len(from) != 1 || *from[0] != (netmail.Address{Name: "Zhanaozen digest", Address: "digest@example.org"}) {
		t.Errorf("From %q (%v)", msg.Header.Get("From"), err)
	}
	to, err := msg.Header.AddressList("To")
	want := []netmail.Address{{Address: "editor@example.org"}, {Name: "Айгуль Серикова", Address: "aigul@example.kz"}, {Address: "desk@example.net"}}
	if err != nil || len(to) != len(want) {
		t.Fatalf("To %q (%v)", msg.Header.Get("To"), err)
	}
	for i := range want {
		if *to[i] != want[i] {
			t.Errorf("To[%d] %+v, want %+v", i, *to[i], want[i])
		}
	}
}

// A subject comes from a topic's name, which the web UI lets people write:
// a line break in it must not add a header.
func TestSendSubjectAddsNoHeader(t *testing.T) {
	b := &backend{}
	cfg := startServer(t, b, TLSStartTLS)
	m := digest()
	m.Subject = "Дайджест: Жанаозен\r\nBcc: someone@example.com\r\n\r\nforged body"
	if err := Send(context.Background(), cfg, m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got, _, _, _ := b.Received()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	msg, parts := readMessage(t, got[0].Data)
	if bcc, ok := msg.Header["Bcc"]; ok {
		t.Errorf("the subject added Bcc: %q", bcc)
	}
	if subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil || subject != m.Subject {
		t.Errorf("Subject decodes to %q (%v), want %q", subject, err, m.Subject)
	}
	if len(parts) != 2 || parts[0].Body != m.Text {
		t.Errorf("parts %+v, want the digest's two", parts)
	}
}

func TestSendErrors(t *testing.T) {
	refuse := func(code int, msg string) error {
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: msg}
	}
	cases := map[string]struct {
		mode        string
		hooks       hooks
		config      func(*Config)
		stage       string
		temporary   bool
		code        int
		mayHaveSent bool
		noAuth      bool // the server saw no AUTH attempt
		is          error
	}{
		"wrong password": {
			config: func(c *Config) { c.Password = "wrong" },
			stage:  StageAuth, code: 535,
		},
		"454 at AUTH": {
			hooks: hooks{Auth: func() error { return refuse(454, "temporary authentication failure") }},
			stage: StageAuth, temporary: true, code: 454,
		},
		"server hangs up at MAIL FROM": {
			hooks: hooks{Mail: func() error { return errHangUp }},
			stage: StageMailFrom, temporary: true,
		},
		"server hangs up after the final dot": {
			hooks: hooks{Data: func() error { return errHangUp }},
			stage: StageData, temporary: true, mayHaveSent: true,
		},
		"421 at MAIL FROM": {
			hooks: hooks{Mail: func() error { return refuse(421, "too busy, come back later") }},
			stage: StageMailFrom, temporary: true, code: 421,
		},
		"451 to a recipient": {
			hooks: hooks{Rcpt: func(to string) error {
				if to == "aigul@example.kz" {
					return refuse(451, "mailbox busy, try later")
				}
				return nil
			}},
			stage: StageRcptTo, temporary: true, code: 451,
		},
		"550 to one recipient and 451 to the last": {
			hooks: hooks{Rcpt: func(to string) error {
				switch to {
				case "editor@example.org":
					return refuse(550, "no such mailbox")
				case "desk@example.net":
					return refuse(451, "greylisted, try later")
				}
				return nil
			}},
			stage: StageRcptTo, code: 550,
		},
		"554 after the final dot": {
			hooks: hooks{Data: func() error { return refuse(554, "message refused as spam") }},
			stage: StageData, code: 554,
		},
		"451 after the final dot": {
			hooks: hooks{Data: func() error { return refuse(451, "queue full, try later") }},
			stage: StageData, temporary: true, code: 451,
		},
		"no STARTTLS offered": {
			mode:  "plain",
			stage: StageSTARTTLS, noAuth: true, is: errNoSTARTTLS,
		},
		"certificate not trusted": {
			config: func(c *Config) { c.TLSConfig = &tls.Config{RootCAs: x509.NewCertPool()} },
			stage:  StageSTARTTLS, noAuth: true,
		},
		"certificate for another name": {
			mode:   TLSImplicit,
			config: func(c *Config) { c.TLSConfig.ServerName = "smtp.example.org" },
			stage:  StageConnect, noAuth: true,
		},
		"nothing listening": {
			config: func(c *Config) { c.Port = closedPort(t) },
			stage:  StageConnect, temporary: true, noAuth: true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			b := &backend{Hooks: tc.hooks}
			cfg := startServer(t, b, cmp.Or(tc.mode, TLSStartTLS))
			if tc.config != nil {
				tc.config(&cfg)
			}
			err := Send(context.Background(), cfg, digest())
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Send: %v, want an *Error", err)
			}
			if e.Stage != tc.stage || e.Temporary != tc.temporary || e.Code != tc.code || e.MayHaveSent != tc.mayHaveSent {
				t.Errorf("Error{Stage %q, Temporary %t, Code %d, MayHaveSent %t}, want {%q, %t, %d, %t}: %v",
					e.Stage, e.Temporary, e.Code, e.MayHaveSent, tc.stage, tc.temporary, tc.code, tc.mayHaveSent, err)
			}
			server := "127.0.0.1:" + strconv.Itoa(cfg.Port)
			if e.Server != server || !strings.Contains(err.Error(), server+": "+tc.stage+": ") {
				t.Errorf("error %q (Server %q) does not name %s and the stage", err, e.Server, server)
			}
			if tc.code != 0 && !strings.Contains(err.Error(), strconv.Itoa(tc.code)) {
				t.Errorf("error %q does not give the server's reply %d", err, tc.code)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %q", err, tc.is)
			}
			got, _, auths, mails := b.Received()
			if len(got) != 0 {
				t.Errorf("server took %d messages, want none", len(got))
			}
			if tc.noAuth && (auths != 0 || mails != 0) {
				t.Errorf("server saw %d AUTH and %d MAIL FROM, want none", auths, mails)
			}
		})
	}
}

func TestSendCancel(t *testing.T) {
	cases := map[string]struct {
		stallAt     string // StageMailFrom or StageData
		timeout     time.Duration
		is          error
		mayHaveSent bool
	}{
		"cancelled while the server stalls at MAIL FROM": {stallAt: StageMailFrom, is: context.Canceled},
		"cancelled while the server stalls after the final dot": {
			stallAt: StageData, is: context.Canceled, mayHaveSent: true,
		},
		// The timeout may end the dialog before MAIL FROM on a loaded machine:
		// the stage is not asserted.
		"timeout while the server stalls at MAIL FROM": {
			stallAt: StageMailFrom, timeout: 300 * time.Millisecond, is: context.DeadlineExceeded,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			entered, release := make(chan struct{}, 1), make(chan struct{})
			stall := func() error {
				entered <- struct{}{}
				<-release
				return nil
			}
			b := &backend{}
			if tc.stallAt == StageMailFrom {
				b.Mail = stall
			} else {
				b.Data = stall
			}
			cfg := startServer(t, b, TLSStartTLS)
			t.Cleanup(func() { close(release) }) // before the server closes
			if tc.timeout != 0 {
				cfg.Timeout = tc.timeout
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- Send(ctx, cfg, digest()) }()
			if tc.timeout == 0 {
				<-entered
				cancel()
			}
			err := <-done
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, tc.is) {
				t.Fatalf("Send: %v, want an *Error that is %v", err, tc.is)
			}
			if (e.Stage != tc.stallAt && tc.timeout == 0) || !e.Temporary || e.MayHaveSent != tc.mayHaveSent {
				t.Errorf("Error{Stage %q, Temporary %t, MayHaveSent %t}, want {%q, true, %t}: %v",
					e.Stage, e.Temporary, e.MayHaveSent, tc.stallAt, tc.mayHaveSent, err)
			}
		})
	}
}

func TestSendRefusesBeforeConnecting(t *testing.T) {
	cases := map[string]struct {
		config  func(*Config)
		message func(*Message)
		stage   string
		want    string
	}{
		"unknown TLS mode":         {config: func(c *Config) { c.TLS = "ssl" }, stage: StageConfig, want: `tls "ssl"`},
		"bad recipient":            {config: func(c *Config) { c.To = append(c.To, "desk at example.net") }, stage: StageConfig, want: `to[1] "desk at example.net"`},
		"no message id":            {message: func(m *Message) { m.MessageID = "" }, stage: StageMessage, want: "message id: empty"},
		"message id with brackets": {message: func(m *Message) { m.MessageID = "<d@presswatch>" }, stage: StageMessage, want: `message id "<d@presswatch>"`},
		"message id without @":     {message: func(m *Message) { m.MessageID = "digest.zhanaozen" }, stage: StageMessage, want: `message id "digest.zhanaozen"`},
		"no text":                  {message: func(m *Message) { m.Text = "" }, stage: StageMessage, want: "text: empty"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			// A closed port: a Send that did not refuse fails at connect instead.
			cfg := Config{Host: "127.0.0.1", Port: closedPort(t), From: "digest@example.org", To: []string{"editor@example.org"}}
			m := digest()
			if tc.config != nil {
				tc.config(&cfg)
			}
			if tc.message != nil {
				tc.message(&m)
			}
			err := Send(context.Background(), cfg, m)
			var e *Error
			if !errors.As(err, &e) || e.Stage != tc.stage || e.Temporary || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Send: %v, want a permanent *Error at stage %s saying %q", err, tc.stage, tc.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	valid := Config{
		Host: "smtp.example.org", Username: "digest", Password: "secret",
		From: "Zhanaozen digest <digest@example.org>", To: []string{"editor@example.org", "Desk <desk@example.net>"},
		Unsubscribe: "https://presswatch.example.org/unsubscribe?t=zhanaozen",
	}
	cases := map[string]struct {
		config func(*Config)
		want   string // "": valid; else the start of the error after "mail: config: "
	}{
		"starttls by default":          {},
		"implicit tls":                 {config: func(c *Config) { c.TLS = TLSImplicit }},
		"none on 127.0.0.1":            {config: func(c *Config) { c.Host, c.TLS = "127.0.0.1", TLSNone }},
		"none on ::1":                  {config: func(c *Config) { c.Host, c.TLS = "::1", TLSNone }},
		"none on localhost":            {config: func(c *Config) { c.Host, c.TLS = "localhost", TLSNone }},
		"no authentication":            {config: func(c *Config) { c.Username, c.Password = "", "" }},
		"mailto unsubscribe":           {config: func(c *Config) { c.Unsubscribe = "mailto:unsubscribe@example.org?subject=stop" }},
		"no unsubscribe":               {config: func(c *Config) { c.Unsubscribe = "" }},
		"no host":                      {config: func(c *Config) { c.Host = "" }, want: "host: empty"},
		"host with a scheme":           {config: func(c *Config) { c.Host = "smtp://smtp.example.org" }, want: `host "smtp://smtp.example.org"`},
		"port out of range":            {config: func(c *Config) { c.Port = 70000 }, want: "port 70000"},
		"negative timeout":             {config: func(c *Config) { c.Timeout = -time.Second }, want: "timeout -1s"},
		"username without password":    {config: func(c *Config) { c.Password = "" }, want: `password: empty while username "digest"`},
		"password without username":    {config: func(c *Config) { c.Username = "" }, want: "username: empty"},
		"no from":                      {config: func(c *Config) { c.From = "" }, want: "from: empty"},
		"from not an address":          {config: func(c *Config) { c.From = "digest" }, want: `from "digest": not an address`},
		"no to":                        {config: func(c *Config) { c.To = nil }, want: "to: no address"},
		"second to not an address":     {config: func(c *Config) { c.To[1] = "Desk <desk@>" }, want: `to[1] "Desk <desk@>": not an address`},
		"unknown tls mode":             {config: func(c *Config) { c.TLS = "STARTTLS" }, want: `tls "STARTTLS": not "starttls", "tls" or "none"`},
		"none on a remote host":        {config: func(c *Config) { c.TLS = TLSNone }, want: `tls "none": refused for host "smtp.example.org"`},
		"none on a private address":    {config: func(c *Config) { c.Host, c.TLS = "192.168.1.10", TLSNone }, want: `tls "none": refused for host "192.168.1.10"`},
		"http unsubscribe":             {config: func(c *Config) { c.Unsubscribe = "http://example.org/u" }, want: `unsubscribe "http://example.org/u": neither a mailto: nor an https: URL`},
		"https unsubscribe, no host":   {config: func(c *Config) { c.Unsubscribe = "https:///u" }, want: `unsubscribe "https:///u": https URL without a host`},
		"mailto unsubscribe, no @":     {config: func(c *Config) { c.Unsubscribe = "mailto:unsubscribe" }, want: `unsubscribe "mailto:unsubscribe": mailto: without an address`},
		"unsubscribe with a comma":     {config: func(c *Config) { c.Unsubscribe = "https://example.org/u?a,b" }, want: `unsubscribe "https://example.org/u?a,b": holds a space, a comma`},
		"unsubscribe longer than 900":  {config: func(c *Config) { c.Unsubscribe = "https://example.org/" + strings.Repeat("u", 900) }, want: "unsubscribe \"https://example.org/uuu"},
		"unsubscribe with a line feed": {config: func(c *Config) { c.Unsubscribe = "https://example.org/u\nBcc: x@example.org" }, want: `unsubscribe "https://example.org/u\nBcc: x@example.org": holds a space`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := valid
			c.To = slices.Clone(valid.To)
			if tc.config != nil {
				tc.config(&c)
			}
			err := c.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate: %v, want nil", err)
			case tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), "mail: config: "+tc.want)):
				t.Errorf("Validate: %v, want %q", err, "mail: config: "+tc.want+"...")
			}
		})
	}
}

func TestDefaultPort(t *testing.T) {
	cases := map[string]struct {
		tls  string
		port int
		want string
	}{
		"starttls by default": {want: "smtp.example.org:587"},
		"starttls":            {tls: TLSStartTLS, want: "smtp.example.org:587"},
		"implicit tls":        {tls: TLSImplicit, want: "smtp.example.org:465"},
		"none":                {tls: TLSNone, want: "smtp.example.org:25"},
		"a port given":        {tls: TLSImplicit, port: 2465, want: "smtp.example.org:2465"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := (Config{Host: "smtp.example.org", TLS: tc.tls, Port: tc.port}).addr(); got != tc.want {
				t.Errorf("addr %q, want %q", got, tc.want)
			}
		})
	}
}
