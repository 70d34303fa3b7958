package web

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"presswatch/internal/digest"
	"presswatch/internal/store"
)

// The edit form of a digest names each story it lists (story=ID, in the
// page's order) with its position (pos-ID), its note (note-ID) and, when
// it is left out, drop=ID; note is the note on top. The up and down
// buttons submit the same form with move=up-ID or move=down-ID, so a move
// keeps what was typed.

// saveDigest answers POST /digests/{topic}/{day}: it stores staff's edits
// of a digest not sent and goes back to its page.
func (s *Server) saveDigest(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxDigestForm)
	row, ext, ok := s.loadDigest(w, r)
	if !ok {
		return
	}
	lang := uiLang(r)
	if ext != "" {
		s.errorPage(w, r, http.StatusNotFound, translate(lang, "error.notfound"))
		return
	}
	if !editable(row) {
		s.digestRefused(w, r, row, http.StatusConflict, fmtT(lang, "digests.err.sent", stateOf(lang, row).Text))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, fmtT(lang, "digests.err.form", err))
		return
	}
	built, err := digest.Parse(row.Body)
	var old digest.Edits
	if err == nil {
		old, err = digest.ParseEdits(row.Edits)
	}
	if err != nil {
		s.internalError(w, r, "reading a stored digest failed", err)
		return
	}
	e, moved, status, msg := editsOf(lang, r, built, old)
	if msg != "" {
		s.digestRefused(w, r, row, status, msg)
		return
	}
	if err := e.Check(); err != nil {
		s.digestRefused(w, r, row, http.StatusBadRequest, err.Error())
		return
	}
	switch err := s.opts.Digests.Edit(r.Context(), row, e); {
	case errors.Is(err, store.ErrDigestSent):
		// Sent between reading it and storing the edits.
		if row, err = s.store.Digest(r.Context(), row.TopicID, row.Day); err != nil {
			s.internalError(w, r, "reading a digest failed", err)
			return
		}
		s.digestRefused(w, r, row, http.StatusConflict, fmtT(lang, "digests.err.sent", stateOf(lang, row).Text))
		return
	case err != nil:
		s.internalError(w, r, "storing a digest's edits failed", err)
		return
	}
	to := digestPath(row.TopicID, row.Day) + "?done=saved"
	if moved != 0 {
		to += "#story-" + strconv.FormatInt(moved, 10)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// editsOf reads the edit form of built into edits, keeping old's for the
// stories the form does not list. moved is the story an up or down button
// moved. A form that names a story the digest lacks, or a position that is
// not a number, gives a status and a message instead.
func editsOf(lang string, r *http.Request, built *digest.Digest, old digest.Edits) (e digest.Edits, moved int64, status int, msg string) {
	in := map[int64]bool{}
	for _, st := range built.Stories {
		in[st.ID] = true
	}
	type placed struct {
		id       int64
		pos, was int // the position asked for, and the one on the page
	}
	var order []placed
	listed := map[int64]bool{}
	for i, v := range r.PostForm["story"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return e, 0, http.StatusBadRequest, fmtT(lang, "digests.err.story", v)
		}
		if !in[id] {
			return e, 0, http.StatusConflict, fmtT(lang, "digests.err.gone", id)
		}
		if listed[id] {
			continue
		}
		listed[id] = true
		pos := i + 1
		if p := strings.TrimSpace(r.PostFormValue("pos-" + v)); p != "" {
			if pos, err = strconv.Atoi(p); err != nil {
				return e, 0, http.StatusBadRequest, fmtT(lang, "digests.err.pos", p, id)
			}
		}
		order = append(order, placed{id, pos, i + 1})
	}
	// A story given another position takes it: moved up, it goes before
	// the story holding that position, moved down after it; other ties
	// keep the page's order.
	slices.SortStableFunc(order, func(a, b placed) int {
		return cmp.Or(cmp.Compare(a.pos, b.pos), cmp.Compare(cmp.Compare(a.pos, a.was), cmp.Compare(b.pos, b.was)))
	})
	for _, p := range order {
		e.Order = append(e.Order, p.id)
	}
	if mv := r.PostFormValue("move"); mv != "" {
		dir, v, _ := strings.Cut(mv, "-")
		id, err := strconv.ParseInt(v, 10, 64)
		i := slices.Index(e.Order, id)
		if err != nil || i < 0 || (dir != "up" && dir != "down") {
			return e, 0, http.StatusBadRequest, fmtT(lang, "digests.err.move", mv)
		}
		if j := map[string]int{"up": i - 1, "down": i + 1}[dir]; j >= 0 && j < len(e.Order) {
			e.Order[i], e.Order[j] = e.Order[j], e.Order[i]
		}
		moved = id
	}
	for _, id := range old.Order {
		if !listed[id] && !slices.Contains(e.Order, id) {
			e.Order = append(e.Order, id)
		}
	}

	drop := map[int64]bool{}
	for _, v := range r.PostForm["drop"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || !listed[id] {
			return e, 0, http.StatusBadRequest, fmtT(lang, "digests.err.story", v)
		}
		drop[id] = true
	}
	for _, id := range old.Dropped {
		if !listed[id] {
			drop[id] = true
		}
	}
	for id := range drop {
		e.Dropped = append(e.Dropped, id)
	}
	slices.Sort(e.Dropped)

	e.Note = strings.TrimSpace(r.PostFormValue("note"))
	e.Notes = map[int64]string{}
	for id := range listed {
		if n := strings.TrimSpace(r.PostFormValue("note-" + strconv.FormatInt(id, 10))); n != "" {
			e.Notes[id] = n
		}
	}
	for id, n := range old.Notes {
		if !listed[id] {
			e.Notes[id] = n
		}
	}
	return e, moved, 0, ""
}

// sendDigest answers POST /digests/{topic}/{day}/send: it sends the
// digest as it will be sent, once. One whose earlier send is uncertain
// needs again=1. A send that fails is stored as failed, with its reason,
// and retried on its own when the failure may pass; the page says so.
func (s *Server) sendDigest(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxDigestForm)
	row, _, ok := s.loadDigest(w, r)
	if !ok {
		return
	}
	lang := uiLang(r)
	again := r.PostFormValue("again") == "1"
	// A send runs to its end even when the browser tab is closed: cut
	// off mid-dialog it would fail, or leave the digest uncertain.
	err := s.opts.Digests.Send(context.WithoutCancel(r.Context()), row, again)
	if err == nil {
		http.Redirect(w, r, digestPath(row.TopicID, row.Day)+"?done=sent", http.StatusSeeOther)
		return
	}
	// What the send left: sent by someone else, failed, uncertain.
	now, rerr := s.store.Digest(r.Context(), row.TopicID, row.Day)
	if rerr != nil {
		s.internalError(w, r, "reading a digest failed", errors.Join(err, rerr))
		return
	}
	switch {
	case errors.Is(err, digest.ErrNoMail):
		s.digestRefused(w, r, now, http.StatusServiceUnavailable, translate(lang, "digests.err.nomail"))
	case errors.Is(err, digest.ErrNotClaimed) && now.SendState == store.SendUncertain && !again:
		s.digestRefused(w, r, now, http.StatusConflict, translate(lang, "digests.err.again"))
	case errors.Is(err, digest.ErrNotClaimed):
		s.digestRefused(w, r, now, http.StatusConflict, fmtT(lang, "digests.err.notclaimed", stateOf(lang, now).Text))
	case errors.Is(err, digest.ErrDayNotOver):
		s.digestRefused(w, r, now, http.StatusConflict, err.Error())
	case now.SendState == store.SendFailed, now.SendState == store.SendUncertain:
		s.log.Warn("sending a digest from the web failed", "topic", row.TopicID, "day", row.Day, "state", now.SendState, "error", err)
		s.digestRefused(w, r, now, http.StatusBadGateway, fmtT(lang, "digests.err.send", err))
	default:
		s.internalError(w, r, "sending a digest failed", err)
	}
}

// digestRefused answers a change that did not happen with the digest's
// page as it stands and msg, the reason, on top.
func (s *Server) digestRefused(w http.ResponseWriter, r *http.Request, row *store.DigestRow, status int, msg string) {
	v, err := s.digestView(uiLang(r), row)
	if err != nil {
		s.internalError(w, r, "reading a stored digest failed", err)
		return
	}
	v.Error = msg
	s.render(w, r, status, "digest.html", v.TopicName+", "+v.Day, v)
}
