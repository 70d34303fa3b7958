package digest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"presswatch/internal/mail"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// ServiceStore is what the Service reads and writes; store.Store
// satisfies it.
type ServiceStore interface {
	Store
	Topics(ctx context.Context) ([]model.Topic, error)
	PutDigest(ctx context.Context, d store.DigestRow, articles []int64) (*store.DigestRow, error)
	Digest(ctx context.Context, topicID, day string) (*store.DigestRow, error)
	SetDigestEdits(ctx context.Context, id int64, edits []byte) error
	ClaimSend(ctx context.Context, id int64, key string, again bool) (bool, error)
	DigestSent(ctx context.Context, id int64, sent []byte, at time.Time) error
	DigestSendFailed(ctx context.Context, id int64, reason string, next time.Time) error
	DigestSendUncertain(ctx context.Context, id int64, reason string) error
	SetDigestArticles(ctx context.Context, id int64, articles []int64) error
	DueSends(ctx context.Context, now time.Time) ([]*store.DigestRow, error)
	RecoverSends(ctx context.Context) (int, error)
}

// Service builds, stores and sends digests: the one place the
// scheduler, the web UI and the command line go through.
type Service struct {
	Store ServiceStore
	// Mail is where digests are sent; nil when no SMTP is configured
	// (digests are built and stored, not sent).
	Mail *mail.Config
	Lang string         // the digests' language: "en" or "ru"
	Base string         // presswatch's address, for links
	Zone *time.Location // the deployment's time zone
	Log  *slog.Logger
	Now  func() time.Time
	// Deliver sends one message; default mail.Send.
	Deliver func(ctx context.Context, c mail.Config, m mail.Message) error
	// Retries bounds the automatic attempts after a failed send; default
	// 8 (about 6 hours with the backoff: 2 minutes, doubling, at most 2
	// hours between attempts).
	Retries int
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// Make builds the digest of topic for period and stores it. A digest of
// the day that was already sent stays as it was sent: it is returned with
// store.ErrDigestSent. One not sent is rebuilt and keeps its edits.
func (s *Service) Make(ctx context.Context, topic model.Topic, p Period) (*store.DigestRow, error) {
	d, err := Build(ctx, s.Store, topic, p, Options{Base: s.Base, Now: s.now()})
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	row, err := s.Store.PutDigest(ctx, store.DigestRow{TopicID: topic.ID, Day: p.Day, From: p.From, To: p.To, BuiltAt: d.Built, Body: body}, d.ArticleIDs())
	if err != nil || row.Edits == nil {
		return row, err
	}
	// Rebuilt with staff's edits kept: it holds what they kept.
	e, err := ParseEdits(row.Edits)
	if err != nil {
		return nil, err
	}
	return row, s.Store.SetDigestArticles(ctx, row.ID, d.Apply(e).ArticleIDs())
}

// Edited returns a stored digest with staff's edits applied: what would
// be sent. A sent digest is the version sent.
func Edited(row *store.DigestRow) (*Digest, error) {
	if row.Sent != nil {
		var sent Sent
		if err := json.Unmarshal(row.Sent, &sent); err != nil {
			return nil, fmt.Errorf("digest: stored sent version: %w", err)
		}
		return sent.Digest, nil
	}
	d, err := Parse(row.Body)
	if err != nil {
		return nil, err
	}
	e, err := ParseEdits(row.Edits)
	if err != nil {
		return nil, err
	}
	return d.Apply(e), nil
}

// Edit stores staff's edits of a digest not yet sent.
func (s *Service) Edit(ctx context.Context, row *store.DigestRow, e Edits) error {
	if err := e.Check(); err != nil {
		return err
	}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	d, err := Parse(row.Body)
	if err != nil {
		return err
	}
	if err := s.Store.SetDigestEdits(ctx, row.ID, b); err != nil {
		return err
	}
	return s.Store.SetDigestArticles(ctx, row.ID, d.Apply(e).ArticleIDs())
}

// Sent is a digest as it went out: the edited digest, and the message.
type Sent struct {
	Digest    *Digest   `json:"digest"`
	Subject   string    `json:"subject"`
	MessageID string    `json:"message_id"`
	To        []string  `json:"to"`
	At        time.Time `json:"at"`
}

// ErrNoMail says no SMTP server is configured.
var ErrNoMail = errors.New("no SMTP server is configured (smtp: in the configuration)")

// ErrNotClaimed says the digest was not sent because it was sent, is
// being sent, or may have gone out already (uncertain) and again was not
// asked.
var ErrNotClaimed = errors.New("the digest was sent, is being sent, or may have been sent already")

// ErrDayNotOver says a day's digest was to be sent before the day ended:
// what arrives later that day would be in no digest.
var ErrDayNotOver = errors.New("the day is not over yet: a digest sent now would leave out what arrives later that day, and no other digest would hold it")

// MessageID is the Message-ID of a digest's mail: the same for every
// attempt, so a receiver can drop a duplicate.
func MessageID(row *store.DigestRow) string {
	return fmt.Sprintf("digest.%s.%s@presswatch", row.TopicID, row.Day)
}

// SendKey is the idempotency key stored before a digest is sent.
func SendKey(row *store.DigestRow) string { return "digest/" + row.TopicID + "/" + row.Day }

// Send sends a stored digest with its edits, once: it claims the digest
// under its key before the message leaves, so neither a second click nor
// the scheduler sends it again. again sends one whose earlier send is
// uncertain (presswatch stopped while sending). A failure is stored with
// its reason and, when it may pass, retried later with backoff.
func (s *Service) Send(ctx context.Context, row *store.DigestRow, again bool) error {
	if s.Mail == nil {
		return ErrNoMail
	}
	if s.now().Before(row.To) {
		return fmt.Errorf("%w (it ends at %s)", ErrDayNotOver, row.To.In(s.zone()).Format("2006-01-02 15:04 MST"))
	}
	d, err := Edited(row)
	if err != nil {
		return err
	}
	ok, err := s.Store.ClaimSend(ctx, row.ID, SendKey(row), again)
	if err != nil {
		return err
	}
	if !ok {
		return ErrNotClaimed
	}
	attempt := row.Attempts + 1
	msg, err := s.message(d, row)
	if err == nil {
		deliver := s.Deliver
		if deliver == nil {
			deliver = mail.Send
		}
		err = deliver(ctx, *s.Mail, msg)
	}
	if err != nil {
		var me *mail.Error
		reason := err.Error()
		if errors.As(err, &me) && me.MayHaveSent {
			// The server may hold it: sending again could send it twice.
			if ferr := s.Store.DigestSendUncertain(context.WithoutCancel(ctx), row.ID, reason); ferr != nil {
				return errors.Join(err, ferr)
			}
			s.log().Error("a digest may or may not have been sent: the connection broke after the message was handed over; it is not sent again on its own",
				"topic", row.TopicID, "day", row.Day, "error", err)
			return err
		}
		next := time.Time{}
		if temporary := !errors.As(err, &me) || me.Temporary; temporary && attempt <= s.retries() {
			next = s.now().Add(Backoff(attempt))
		}
		if ferr := s.Store.DigestSendFailed(context.WithoutCancel(ctx), row.ID, reason, next); ferr != nil {
			return errors.Join(err, ferr)
		}
		s.log().Warn("sending a digest failed", "topic", row.TopicID, "day", row.Day, "attempt", attempt,
			"retry_at", next, "error", err)
		return err
	}
	sent := Sent{Digest: d, Subject: msg.Subject, MessageID: msg.MessageID, To: s.Mail.To, At: s.now().UTC()}
	b, err := json.Marshal(sent)
	if err != nil {
		return err
	}
	if err := s.Store.DigestSent(context.WithoutCancel(ctx), row.ID, b, sent.At); err != nil {
		return err
	}
	s.log().Info("digest sent", "topic", row.TopicID, "day", row.Day, "to", strings.Join(s.Mail.To, ", "),
		"stories", len(d.Stories), "message_id", msg.MessageID)
	return nil
}

func (s *Service) retries() int {
	if s.Retries > 0 {
		return s.Retries
	}
	return 8
}

// Backoff is the wait before attempt n+1 after n failed: 2 minutes,
// doubling, at most 2 hours.
func Backoff(n int) time.Duration {
	d := 2 * time.Minute
	for i := 1; i < n && d < 2*time.Hour; i++ {
		d *= 2
	}
	return min(d, 2*time.Hour)
}

func (s *Service) message(d *Digest, row *store.DigestRow) (mail.Message, error) {
	text, err := Render(d, FormatText, s.Lang)
	if err != nil {
		return mail.Message{}, err
	}
	html, err := Render(d, FormatHTML, s.Lang)
	if err != nil {
		return mail.Message{}, err
	}
	return mail.Message{
		Subject: Subject(d, s.Lang), Text: string(text), HTML: string(html),
		MessageID: MessageID(row), Date: s.now(),
	}, nil
}

// Daily makes yesterday's digest of every topic (in the deployment's
// zone) and, when send is set and mail is configured, sends each one not
// sent yet. It goes on past a topic that fails, and returns the errors
// together.
func (s *Service) Daily(ctx context.Context, send bool) error {
	return s.yesterdays(ctx, func(t model.Topic, p Period) error {
		row, err := s.Make(ctx, t, p)
		if errors.Is(err, store.ErrDigestSent) {
			return nil
		}
		if err != nil {
			return err
		}
		s.log().Info("digest built", "topic", t.ID, "day", p.Day)
		if !send {
			return nil
		}
		return s.sendNew(ctx, row)
	})
}

// SendDue sends yesterday's digests that were not sent, as built (and
// edited) or, where none was built, built now.
func (s *Service) SendDue(ctx context.Context) error {
	return s.yesterdays(ctx, func(t model.Topic, p Period) error {
		row, err := s.Store.Digest(ctx, t.ID, p.Day)
		if errors.Is(err, store.ErrNotFound) {
			row, err = s.Make(ctx, t, p)
		}
		if errors.Is(err, store.ErrDigestSent) {
			return nil
		}
		if err != nil {
			return err
		}
		return s.sendNew(ctx, row)
	})
}

// yesterdays calls fn for every topic with yesterday's period, going on
// past a topic that fails.
func (s *Service) yesterdays(ctx context.Context, fn func(model.Topic, Period) error) error {
	topics, err := s.Store.Topics(ctx)
	if err != nil {
		return err
	}
	p := Yesterday(s.now(), s.zone())
	var errs []error
	for _, t := range topics {
		if err := fn(t, p); err != nil {
			errs = append(errs, fmt.Errorf("topic %s, %s: %w", t.ID, p.Day, err))
		}
	}
	return errors.Join(errs...)
}

// sendNew sends a digest never tried: a failed one is the retries', an
// uncertain one staff's.
func (s *Service) sendNew(ctx context.Context, row *store.DigestRow) error {
	if s.Mail == nil || row.SendState != store.NotSent {
		return nil
	}
	if err := s.Send(ctx, row, false); err != nil && !errors.Is(err, ErrNotClaimed) {
		return err
	}
	return nil
}

// Retry sends again the failed digests whose next attempt is due.
func (s *Service) Retry(ctx context.Context) error {
	if s.Mail == nil {
		return nil
	}
	rows, err := s.Store.DueSends(ctx, s.now())
	if err != nil {
		return err
	}
	var errs []error
	for _, row := range rows {
		if err := s.Send(ctx, row, false); err != nil && !errors.Is(err, ErrNotClaimed) {
			errs = append(errs, fmt.Errorf("digest %s %s: %w", row.TopicID, row.Day, err))
		}
	}
	return errors.Join(errs...)
}

func (s *Service) zone() *time.Location {
	if s.Zone != nil {
		return s.Zone
	}
	return time.UTC
}
