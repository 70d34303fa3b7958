package digest

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	pwmail "presswatch/internal/mail"
	"presswatch/internal/mail/mailtest"
	"presswatch/internal/store"
)

// mailFixture is the day-17 fixture with a service that sends to a real
// SMTP server on loopback, and a clock the test moves.
type mailFixture struct {
	*fixture
	svc     *Service
	backend *mailtest.Backend
	now     time.Time
}

func newMailFixture(t *testing.T, hooks mailtest.Hooks) *mailFixture {
	t.Helper()
	f := newFixture(t)
	f.day17(t)
	m := &mailFixture{fixture: f, backend: &mailtest.Backend{Hooks: hooks}, now: at("2011-12-18 08:00")}
	a := mailtest.Start(t, m.backend, "starttls")
	m.svc = &Service{
		Store: f.st, Lang: "en", Base: "http://127.0.0.1:8080", Zone: almaty, Now: func() time.Time { return m.now },
		Mail: &pwmail.Config{
			Host: a.Host, Port: a.Port, Username: mailtest.User, Password: mailtest.Password, TLS: "starttls",
			From: "Zhanaozen digest <digest@example.org>", To: []string{"staff@example.org", "desk@example.net"},
			Unsubscribe: "mailto:leave@example.org", Timeout: 20 * time.Second, TLSConfig: &tls.Config{RootCAs: a.Pool},
		},
	}
	return m
}

func (m *mailFixture) make(t *testing.T) *store.DigestRow {
	t.Helper()
	row, err := m.svc.Make(context.Background(), m.topic, m.day)
	if err != nil {
		t.Fatal(err)
	}
	return row
}

func (m *mailFixture) row(t *testing.T) *store.DigestRow {
	t.Helper()
	row, err := m.st.Digest(context.Background(), "zh", m.day.Day)
	if err != nil {
		t.Fatal(err)
	}
	return row
}

func (m *mailFixture) received(t *testing.T) []mailtest.Envelope {
	t.Helper()
	got, _, _, _ := m.backend.Received()
	return got
}

func TestSendThroughARealSMTPServer(t *testing.T) {
	m := newMailFixture(t, mailtest.Hooks{})
	ctx := context.Background()
	row := m.make(t)
	// Staff drop the hostile story and add a note before sending.
	d, _ := Edited(row)
	if err := m.svc.Edit(ctx, row, Edits{Note: "Good morning: 16 December, one year on.", Dropped: []int64{d.Stories[2].ID}}); err != nil {
		t.Fatal(err)
	}
	if err := m.svc.Send(ctx, m.row(t), false); err != nil {
		t.Fatal(err)
	}
	got := m.received(t)
	if len(got) != 1 {
		t.Fatalf("the server got %d messages, want 1", len(got))
	}
	env := got[0]
	if env.From != "digest@example.org" || strings.Join(env.To, ",") != "staff@example.org,desk@example.net" {
		t.Errorf("envelope from %q to %v", env.From, env.To)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(env.Data)))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil || subject != "Zhanaozen: digest of 17 December 2011 (2 stories)" {
		t.Errorf("subject = %q (%v), raw %q", subject, err, h.Get("Subject"))
	}
	if h.Get("Message-ID") != "<digest.zh.2011-12-17@presswatch>" || h.Get("List-Unsubscribe") != "<mailto:leave@example.org>" {
		t.Errorf("Message-ID %q, List-Unsubscribe %q", h.Get("Message-ID"), h.Get("List-Unsubscribe"))
	}
	if date, err := h.Date(); err != nil || !date.Equal(m.now.Truncate(time.Second)) {
		t.Errorf("Date = %v (%v), want %v", date, err, m.now)
	}
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type = %q", h.Get("Content-Type"))
	}
	parts := map[string]string{}
	var order []string
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		b, _ := io.ReadAll(p) // multipart decodes quoted-printable
		parts[ct] = string(b)
		order = append(order, ct)
	}
	if strings.Join(order, ",") != "text/plain,text/html" {
		t.Fatalf("parts = %v, want text/plain then text/html", order)
	}
	for ct, body := range parts {
		for _, want := range []string{
			"Good morning: 16 December, one year on.",
			"Police fire on striking oil workers in Zhanaozen",
			"Tengrinews could not be reached since 06:00",
			"RFE/RL failed 2 times between 03:00 and 04:00",
			"Update: continues a story of the digest of 16 December 2011",
			"1 left out by the editors.",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%s part lacks %q", ct, want)
			}
		}
		if strings.Contains(body, "alert(1)") {
			t.Errorf("%s part holds the dropped story", ct)
		}
	}
	// Sent once: a second send, and the day's rebuild, change nothing.
	if err := m.svc.Send(ctx, m.row(t), false); !errors.Is(err, ErrNotClaimed) {
		t.Errorf("second send: %v, want ErrNotClaimed", err)
	}
	if _, err := m.svc.Make(ctx, m.topic, m.day); !errors.Is(err, store.ErrDigestSent) {
		t.Errorf("rebuilding a sent digest: %v", err)
	}
	if err := m.svc.SendDue(ctx); err != nil {
		t.Errorf("the scheduled send after a manual one: %v", err)
	}
	if n := len(m.received(t)); n != 1 {
		t.Errorf("the server got %d messages, want 1", n)
	}
	// The version sent is kept as it was.
	sent := m.row(t)
	d, err = Edited(sent)
	if err != nil || sent.SendState != store.Sent || d.Note != "Good morning: 16 December, one year on." || len(d.Stories) != 2 {
		t.Errorf("sent version: %v %s %+v", err, sent.SendState, d)
	}
	if err := m.svc.Edit(ctx, sent, Edits{Note: "too late"}); !errors.Is(err, store.ErrDigestSent) {
		t.Errorf("editing a sent digest: %v", err)
	}
}

func TestFailedSendsAreKeptAndRetried(t *testing.T) {
	down := true
	m := newMailFixture(t, mailtest.Hooks{Rcpt: func(string) error {
		if down {
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "queue full, try later"}
		}
		return nil
	}})
	ctx := context.Background()
	row := m.make(t)
	err := m.svc.Send(ctx, row, false)
	var me *pwmail.Error
	if !errors.As(err, &me) || !me.Temporary {
		t.Fatalf("send to a refusing server: %v", err)
	}
	row = m.row(t)
	if row.SendState != store.SendFailed || !strings.Contains(row.SendError, "451") || row.Attempts != 1 ||
		!row.NextAttempt.Equal(m.now.Add(2*time.Minute).Truncate(time.Millisecond)) {
		t.Fatalf("after a failure: state %q error %q attempts %d next %v", row.SendState, row.SendError, row.Attempts, row.NextAttempt)
	}
	// Not due yet: nothing is tried.
	if err := m.svc.Retry(ctx); err != nil {
		t.Fatal(err)
	}
	if row := m.row(t); row.Attempts != 1 {
		t.Errorf("retried before it was due: %d attempts", row.Attempts)
	}
	// Due, and still refused: the wait doubles.
	m.now = m.now.Add(3 * time.Minute)
	if err := m.svc.Retry(ctx); err == nil {
		t.Fatal("a refused retry reported no error")
	}
	if row := m.row(t); row.Attempts != 2 || !row.NextAttempt.Equal(m.now.Add(4*time.Minute).Truncate(time.Millisecond)) {
		t.Errorf("second failure: attempts %d next %v", row.Attempts, row.NextAttempt)
	}
	// The server takes it again: sent once, and never again.
	down = false
	m.now = m.now.Add(5 * time.Minute)
	if err := m.svc.Retry(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.svc.Retry(ctx); err != nil {
		t.Fatal(err)
	}
	if row := m.row(t); row.SendState != store.Sent || row.SendError != "" || len(m.received(t)) != 1 {
		t.Errorf("after the server recovered: %s %q, %d messages", row.SendState, row.SendError, len(m.received(t)))
	}
}

func TestPermanentAndUncertainSendsAreNotRetried(t *testing.T) {
	hangUp := false
	m := newMailFixture(t, mailtest.Hooks{Data: func() error {
		if hangUp {
			return mailtest.ErrHangUp
		}
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "message refused as spam"}
	}})
	ctx := context.Background()
	row := m.make(t)
	if err := m.svc.Send(ctx, row, false); err == nil {
		t.Fatal("a refused message reported no error")
	}
	row = m.row(t)
	if row.SendState != store.SendFailed || !row.NextAttempt.IsZero() || !strings.Contains(row.SendError, "554") {
		t.Errorf("permanent failure: %s next %v error %q", row.SendState, row.NextAttempt, row.SendError)
	}
	// Staff send it again by hand; this time the server hangs up after
	// the message: it may have gone, so it is uncertain and not retried.
	hangUp = true
	if err := m.svc.Send(ctx, row, false); err == nil {
		t.Fatal("a hang-up after the message reported no error")
	}
	row = m.row(t)
	if row.SendState != store.SendUncertain {
		t.Fatalf("after a hang-up at the end of the data: %s (%q)", row.SendState, row.SendError)
	}
	m.now = m.now.Add(24 * time.Hour)
	if err := m.svc.Retry(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.svc.Send(ctx, row, false); !errors.Is(err, ErrNotClaimed) {
		t.Errorf("an uncertain digest sent without again: %v", err)
	}
	if row := m.row(t); row.SendState != store.SendUncertain || row.Attempts != 2 {
		t.Errorf("uncertain digest touched: %s, %d attempts", row.SendState, row.Attempts)
	}
	// again sends it.
	hangUp = false
	m.backend.Data = nil
	if err := m.svc.Send(ctx, m.row(t), true); err != nil {
		t.Fatal(err)
	}
	if row := m.row(t); row.SendState != store.Sent || len(m.received(t)) != 1 {
		t.Errorf("sent again: %s, %d messages", row.SendState, len(m.received(t)))
	}
}

func TestUnreachableServerLeavesTheDigestStored(t *testing.T) {
	m := newMailFixture(t, mailtest.Hooks{})
	m.svc.Mail.Port = mailtest.ClosedPort(t)
	ctx := context.Background()
	// The daily job builds and sends: the digest is stored, unsent, with
	// the reason.
	m.now = at("2011-12-18 08:00")
	if err := m.svc.Daily(ctx, true); err == nil {
		t.Fatal("the daily send to a closed port reported no error")
	}
	row := m.row(t)
	if row.SendState != store.SendFailed || row.NextAttempt.IsZero() || !strings.Contains(row.SendError, "connect") {
		t.Errorf("stored as %s, next %v, error %q", row.SendState, row.NextAttempt, row.SendError)
	}
	if d, err := Edited(row); err != nil || len(d.Stories) != 3 {
		t.Errorf("the digest was not kept: %v", err)
	}
}

func TestStopWhileSendingIsUncertain(t *testing.T) {
	// presswatch stopped between claiming a digest and recording the
	// outcome: the next start marks it uncertain, and nothing sends it on
	// its own.
	m := newMailFixture(t, mailtest.Hooks{})
	ctx := context.Background()
	row := m.make(t)
	if ok, err := m.st.ClaimSend(ctx, row.ID, SendKey(row), false); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	sched, err := NewSchedule(m.svc, Times{BuildAt: -1, SendAt: 8 * 60})
	if err != nil {
		t.Fatal(err)
	}
	if err := sched.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sched.Shutdown() })
	if row := m.row(t); row.SendState != store.SendUncertain || len(m.received(t)) != 0 {
		t.Errorf("after a restart: %s, %d messages", row.SendState, len(m.received(t)))
	}
	// The schedule's next send is at 08:00 in Almaty.
	next, ok := sched.NextSend()
	if !ok || next.In(almaty).Format("15:04") != "08:00" {
		t.Errorf("next send = %v, %v", next, ok)
	}
	if _, ok := sched.NextBuild(); ok {
		t.Error("a build is scheduled though build_at is off")
	}
}

func TestBackoff(t *testing.T) {
	for n, want := range map[int]time.Duration{1: 2 * time.Minute, 2: 4 * time.Minute, 3: 8 * time.Minute, 7: 2 * time.Hour, 30: 2 * time.Hour} {
		if got := Backoff(n); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestADayIsSentOnlyWhenItIsOver(t *testing.T) {
	m := newMailFixture(t, mailtest.Hooks{})
	m.now = at("2011-12-17 15:00")
	row := m.make(t)
	if err := m.svc.Send(context.Background(), row, false); !errors.Is(err, ErrDayNotOver) {
		t.Fatalf("sending the 17th at 15:00 on the 17th: %v", err)
	}
	if row := m.row(t); row.SendState != store.NotSent || len(m.received(t)) != 0 {
		t.Errorf("after a refused early send: %s, %d messages", row.SendState, len(m.received(t)))
	}
	m.now = at("2011-12-18 00:00")
	if err := m.svc.Send(context.Background(), m.row(t), false); err != nil {
		t.Errorf("sending the 17th at midnight: %v", err)
	}
}

func TestADroppedStoryIsNoUpdateLater(t *testing.T) {
	// The 16th's digest (built by the fixture) held c0; staff leave it
	// out, so the 17th's copy of it is a story of its own, not an update.
	m := newMailFixture(t, mailtest.Hooks{})
	ctx := context.Background()
	d16, err := m.st.Digest(ctx, "zh", "2011-12-16")
	if err != nil {
		t.Fatal(err)
	}
	built, _ := Edited(d16)
	if err := m.svc.Edit(ctx, d16, Edits{Dropped: []int64{built.Stories[0].ID}}); err != nil {
		t.Fatal(err)
	}
	d, err := Build(ctx, m.st, m.topic, m.day, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range d.Stories {
		if s.Update() {
			t.Errorf("story %d is an update of a story staff left out", s.ID)
		}
	}
	// Kept, it is one again.
	if err := m.svc.Edit(ctx, d16, Edits{}); err != nil {
		t.Fatal(err)
	}
	d, _ = Build(ctx, m.st, m.topic, m.day, Options{})
	if !d.Stories[1].Update() {
		t.Error("the continued story is no longer an update once restored")
	}
}
