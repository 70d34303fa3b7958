package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"presswatch/internal/digest"
	"presswatch/internal/store"
)

// Two clicks on Send, one after the other: one message, and the second
// is refused with the reason.
func TestDigestSendOnce(t *testing.T) {
	f := newDigestsFixture(t, true)
	f.make(t)
	res, body := f.post(t, digestPage+"/send", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != digestPage+"?done=sent" {
		t.Fatalf("send: %d %s %.500s", res.StatusCode, res.Header.Get("Location"), body)
	}
	res, body = f.post(t, digestPage+"/send", nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "was not sent again: it is sent at 2011-12-17 09:00:00 UTC to 2 addresses") {
		t.Errorf("second send: %d %.3000s", res.StatusCode, body)
	}
	msgs := f.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	if m := msgs[0]; m.MessageID != "digest.zh.2011-12-16@presswatch" || !strings.Contains(m.Subject, "Zhanaozen") ||
		!strings.Contains(m.HTML, "Police fire on oil workers") {
		t.Errorf("message %q %q", m.MessageID, m.Subject)
	}
	if row := f.row(t); row.SendState != store.Sent || row.Attempts != 1 {
		t.Errorf("state %q, %d attempts", row.SendState, row.Attempts)
	}
}

// Two clicks at once: while the first is sending, the second is refused
// (the digest is being sent) and one message leaves.
func TestDigestSendOnceWhileSending(t *testing.T) {
	f := newDigestsFixture(t, true)
	f.make(t)
	f.mu.Lock()
	f.hold, f.started = make(chan struct{}), make(chan struct{}, 1)
	f.mu.Unlock()
	first := make(chan int)
	go func() {
		res, _ := f.post(t, digestPage+"/send", nil)
		first <- res.StatusCode
	}()
	<-f.started
	res, body := f.post(t, digestPage+"/send", nil)
	close(f.hold)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "it is being sent") {
		t.Errorf("send while sending: %d %.3000s", res.StatusCode, body)
	}
	if status := <-first; status != http.StatusSeeOther {
		t.Errorf("the first send: %d", status)
	}
	if n := len(f.messages()); n != 1 {
		t.Errorf("%d messages, want 1", n)
	}
}

// A failed send leaves the digest stored, failed with its reason, and
// tried again later; the pages say so.
func TestDigestSendFailsAndIsRetried(t *testing.T) {
	f := newDigestsFixture(t, true)
	f.make(t)
	f.setFail(errors.New("smtp 127.0.0.1:587: data: 451 4.3.0 mailbox busy"))
	res, body := f.post(t, digestPage+"/send", nil)
	if res.StatusCode != http.StatusBadGateway {
		t.Fatalf("send: %d %.500s", res.StatusCode, body)
	}
	for _, want := range []string{"Sending failed: smtp 127.0.0.1:587: data: 451 4.3.0 mailbox busy",
		"sending failed: smtp 127.0.0.1:587: data: 451 4.3.0 mailbox busy (attempt 1). Next try at 2011-12-17 09:02:00 UTC.",
		`action="/digests/zh/2011-12-16/send"`, "Send again now"} {
		if !strings.Contains(body, want) {
			t.Errorf("the answer lacks %q", want)
		}
	}
	row := f.row(t)
	if row.SendState != store.SendFailed || !strings.Contains(row.SendError, "451 4.3.0") ||
		!row.NextAttempt.Equal(digestNow.Add(digest.Backoff(1))) || row.Sent != nil {
		t.Errorf("stored %q %q next %v sent %s", row.SendState, row.SendError, row.NextAttempt, row.Sent)
	}
	if _, list := f.get(t, "/digests"); !strings.Contains(list, `class="trouble"`) || !strings.Contains(list, "Next try at 2011-12-17 09:02:00 UTC") {
		t.Errorf("the list does not show the failure: %.3000s", list)
	}
	if d, _ := f.digest(t); len(d.Stories) != 3 || len(f.messages()) != 0 {
		t.Errorf("after the failure: %d stories stored, %d messages", len(d.Stories), len(f.messages()))
	}

	// The retry is the service's: once the server takes mail, it goes.
	f.setFail(nil)
	f.svc.Now = func() time.Time { return digestNow.Add(time.Hour) }
	if err := f.svc.Retry(context.Background()); err != nil {
		t.Fatal(err)
	}
	if row := f.row(t); row.SendState != store.Sent || row.Attempts != 2 || len(f.messages()) != 1 {
		t.Errorf("after the retry: %q, %d attempts, %d messages", row.SendState, row.Attempts, len(f.messages()))
	}
}

// Without SMTP the digest stays stored and unsent, and the page says why.
func TestDigestSendWithoutSMTP(t *testing.T) {
	f := newDigestsFixture(t, true)
	f.make(t)
	f.svc.Mail = nil
	res, body := f.post(t, digestPage+"/send", nil)
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "no SMTP server is configured") ||
		!strings.Contains(body, "Police fire on oil workers") {
		t.Errorf("send without smtp: %d %.500s", res.StatusCode, body)
	}
	if row := f.row(t); row.SendState != store.NotSent || row.Attempts != 0 {
		t.Errorf("state %q, %d attempts", row.SendState, row.Attempts)
	}
}

// A send cut off (presswatch stopped while sending) is uncertain: it
// goes again only with the explicit confirmation.
func TestDigestUncertainNeedsSendAgain(t *testing.T) {
	f := newDigestsFixture(t, true)
	f.make(t)
	ctx := context.Background()
	row := f.row(t)
	if ok, err := f.st.ClaimSend(ctx, row.ID, digest.SendKey(row), false); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if _, err := f.st.RecoverSends(ctx); err != nil {
		t.Fatal(err)
	}
	_, page := f.get(t, digestPage)
	for _, want := range []string{"uncertain: presswatch stopped while sending", `name="again" value="1" required`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, `action="`+digestPage+`" `) {
		t.Error("an uncertain digest offers the edit form")
	}
	res, body := f.post(t, digestPage+"/send", nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "tick the confirmation") || len(f.messages()) != 0 {
		t.Errorf("send without again: %d, %d messages %.300s", res.StatusCode, len(f.messages()), body)
	}
	res, _ = f.post(t, digestPage+"/send", url.Values{"again": {"1"}})
	if res.StatusCode != http.StatusSeeOther || len(f.messages()) != 1 || f.row(t).SendState != store.Sent {
		t.Errorf("send again: %d, %d messages, state %q", res.StatusCode, len(f.messages()), f.row(t).SendState)
	}
}

// A sent digest shows the version sent, read-only, with when and to
// whom; edits and rebuilds afterwards are refused and change nothing.
func TestDigestSentIsReadOnly(t *testing.T) {
	f := newDigestsFixture(t, true)
	f.make(t)
	built := f.rowDigest(t)
	id := built.Stories[0].ID
	f.post(t, digestPage, editForm(built, func(v url.Values, _ map[int64]int) { v.Set("note", "As sent.") }))
	if res, _ := f.post(t, digestPage+"/send", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %d", res.StatusCode)
	}
	_, sentJSON := f.digest(t)
	before := f.row(t)

	_, page := f.get(t, digestPage+"?done=sent")
	for _, want := range []string{"The digest is sent.", "sent at 2011-12-17 09:00:00 UTC to 2 addresses",
		"staff@pw.example, desk@pw.example", "digest.zh.2011-12-16@presswatch", "This is the version sent", "As sent."} {
		if !strings.Contains(page, want) {
			t.Errorf("the sent digest's page lacks %q", want)
		}
	}
	if strings.Contains(page, `method="post"`) || strings.Contains(page, `name="note"`) {
		t.Error("the sent digest's page offers a form")
	}

	res, body := f.post(t, digestPage, editForm(built, func(v url.Values, _ map[int64]int) {
		v.Set("note", "Changed after sending.")
		v.Add("drop", strconv.FormatInt(id, 10))
	}))
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "cannot be changed: it is sent at") {
		t.Errorf("edit after sending: %d %.500s", res.StatusCode, body)
	}
	f.put(t, "a5", "azattyq", "Zhanaozen: curfew declared", "A curfew was declared.", "20:00", "")
	if res, _ := f.post(t, "/digests", url.Values{"topic": {"zh"}, "day": {digestDay}}); res.Header.Get("Location") != digestPage+"?done=kept" {
		t.Errorf("rebuild after sending: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if _, now := f.digest(t); now != sentJSON {
		t.Errorf("the sent version changed:\n%s\nwas\n%s", now, sentJSON)
	}
	after := f.row(t)
	if string(after.Edits) != string(before.Edits) || string(after.Body) != string(before.Body) || string(after.Sent) != string(before.Sent) {
		t.Errorf("the stored digest changed after sending")
	}
	if n := len(f.messages()); n != 1 {
		t.Errorf("%d messages", n)
	}
}
