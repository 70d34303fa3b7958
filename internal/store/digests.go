package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"presswatch/internal/model"
)

// This file holds what digests need: the articles a topic gained in a
// period with their copies, the sources that failed in it, and the digests
// themselves with their edits and their sending. The store keeps a
// digest's body and edits as the digest package encodes them.

// DigestArticle is an article a digest may hold: its summary, its story
// and the start of its text.
type DigestArticle struct {
	Summary
	ClusterID int64
	State     model.ArticleState
	Text      string // the first DigestTextBytes bytes of its text
}

// DigestTextBytes is how much of an article's text a digest reads: enough
// for a two-sentence extract.
const DigestTextBytes = 2000

// TopicArticles returns the articles matching the topic first seen in
// [from, to), earliest first seen first.
func (s *Store) TopicArticles(ctx context.Context, topicID string, from, to time.Time) ([]DigestArticle, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+summaryCols+`, a.cluster_id, a.state, substr(a.text, 1, ?)
FROM articles a LEFT JOIN sources s ON s.id = a.source_id
WHERE a.first_seen >= ? AND a.first_seen < ?
  AND EXISTS (SELECT 1 FROM matches m WHERE m.topic_id = ? AND m.article_id = a.id)
ORDER BY a.first_seen, a.id`, DigestTextBytes, from.UnixMilli(), to.UnixMilli(), topicID)
	if err != nil {
		return nil, fmt.Errorf("store: articles of topic %s: %w", topicID, err)
	}
	defer rows.Close()
	var out []DigestArticle
	for rows.Next() {
		var (
			a       DigestArticle
			cluster sql.NullInt64
			err     error
		)
		if a.Summary, err = scanSummary(rows, &cluster, &a.State, &a.Text); err != nil {
			return nil, fmt.Errorf("store: articles of topic %s: %w", topicID, err)
		}
		a.ClusterID = cmp.Or(cluster.Int64, a.ID)
		out = append(out, a)
	}
	return out, rows.Err()
}

// StoryCopies returns every stored copy of these stories (by cluster id),
// whenever it was first seen, with the start of its text.
func (s *Store) StoryCopies(ctx context.Context, clusters []int64) (map[int64][]DigestArticle, error) {
	out := make(map[int64][]DigestArticle, len(clusters))
	err := inChunks(clusters, func(args []any, marks string) error {
		rows, err := s.db.QueryContext(ctx, "SELECT "+summaryCols+`, a.cluster_id, a.state, substr(a.text, 1, `+fmt.Sprint(DigestTextBytes)+`)
FROM articles a LEFT JOIN sources s ON s.id = a.source_id WHERE a.cluster_id IN (`+marks+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				a   DigestArticle
				err error
			)
			if a.Summary, err = scanSummary(rows, &a.ClusterID, &a.State, &a.Text); err != nil {
				return err
			}
			out[a.ClusterID] = append(out[a.ClusterID], a)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: copies of stories: %w", err)
	}
	return out, nil
}

// EarlierDigests tells, for each of these stories (by cluster id), the day
// of the latest digest of the topic before the one of day that held one of
// its copies. Stories no earlier digest held are absent.
func (s *Store) EarlierDigests(ctx context.Context, topicID, day string, clusters []int64) (map[int64]string, error) {
	out := map[int64]string{}
	err := inChunks(clusters, func(args []any, marks string) error {
		rows, err := s.db.QueryContext(ctx, `SELECT a.cluster_id, MAX(d.day)
FROM articles a JOIN digest_articles da ON da.article_id = a.id JOIN digests d ON d.id = da.digest_id
WHERE d.topic_id = ? AND d.day < ? AND a.cluster_id IN (`+marks+`) GROUP BY a.cluster_id`,
			append([]any{topicID, day}, args...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				c int64
				d string
			)
			if err := rows.Scan(&c, &d); err != nil {
				return err
			}
			out[c] = d
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: earlier digests of %s: %w", topicID, err)
	}
	return out, nil
}

// SourceRun is how one source's own URL (its feed, listing page or
// sitemap) fared in a period.
type SourceRun struct {
	SourceID, Name string
	Reads          int       // fetches of its URL in the period
	Failed         int       // of which failed
	LastFailed     bool      // the last one in the period failed
	FailingSince   time.Time // LastFailed: when the run of failures that ends the period began (may be before it)
	FirstFailure   time.Time // the first failure in the period
	LastFailure    time.Time
	LastError      string // the last failure's kind and text
}

// SourceRuns returns, for every active source, how reading its URL went
// in [from, to), in source order.
func (s *Store) SourceRuns(ctx context.Context, from, to time.Time) ([]SourceRun, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT s.id, s.name, f.at, f.status, f.error_kind, f.error
FROM sources s LEFT JOIN fetches f ON f.source_id = s.id AND f.url = s.url AND f.at >= ? AND f.at < ?
WHERE s.active = 1 ORDER BY s.id, f.at`, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("store: source runs: %w", err)
	}
	defer rows.Close()
	var out []SourceRun
	for rows.Next() {
		var (
			id, name   string
			at, status sql.NullInt64
			kind, text sql.NullString
		)
		if err := rows.Scan(&id, &name, &at, &status, &kind, &text); err != nil {
			return nil, fmt.Errorf("store: source runs: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].SourceID != id {
			out = append(out, SourceRun{SourceID: id, Name: name})
		}
		r := &out[len(out)-1]
		if !at.Valid {
			continue
		}
		t := time.UnixMilli(at.Int64).UTC()
		failed := kind.String != "" || status.Int64 >= 400
		r.Reads++
		if failed {
			r.Failed++
			if r.FirstFailure.IsZero() {
				r.FirstFailure = t
			}
			if !r.LastFailed {
				r.FailingSince = t
			}
			r.LastFailure = t
			switch {
			case text.String != "":
				r.LastError = kind.String + ": " + text.String
			case kind.String != "":
				r.LastError = kind.String
			default:
				r.LastError = fmt.Sprintf("HTTP %d", status.Int64)
			}
		}
		r.LastFailed = failed
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: source runs: %w", err)
	}
	rows.Close()
	// A run of failures that ends the period may have begun before it.
	for i := range out {
		r := &out[i]
		if !r.LastFailed || r.Failed < r.Reads {
			continue
		}
		var since sql.NullInt64
		err := s.db.QueryRowContext(ctx, `SELECT MIN(f.at) FROM fetches f JOIN sources s ON s.id = f.source_id AND s.url = f.url
WHERE f.source_id = ? AND f.at < ? AND f.at > COALESCE((SELECT MAX(g.at) FROM fetches g WHERE g.source_id = f.source_id
  AND g.url = s.url AND g.at < ? AND g.error_kind = '' AND g.status < 400), 0)`, r.SourceID, from.UnixMilli(), from.UnixMilli()).Scan(&since)
		if err != nil {
			return nil, fmt.Errorf("store: source runs: %w", err)
		}
		if since.Valid {
			r.FailingSince = time.UnixMilli(since.Int64).UTC()
		}
	}
	return out, nil
}

// DigestRow is a stored digest.
type DigestRow struct {
	ID       int64
	TopicID  string
	Day      string // the period's label, YYYY-MM-DD
	From, To time.Time
	BuiltAt  time.Time
	Body     []byte // the digest as built (JSON)
	Edits    []byte // staff's edits (JSON); nil for none
	EditedAt time.Time
	// Sending.
	SendKey     string
	SendState   SendState
	Attempts    int
	NextAttempt time.Time
	SendError   string
	SentAt      time.Time
	Sent        []byte // the version as sent (JSON)
}

// SendState is where a digest's sending stands.
type SendState string

// The states of a digest's sending.
const (
	NotSent       SendState = ""
	Sending       SendState = "sending"
	Sent          SendState = "sent"
	SendFailed    SendState = "failed"    // retried at NextAttempt
	SendUncertain SendState = "uncertain" // presswatch stopped while sending; never retried on its own
)

// ErrDigestSent is returned when a digest that was sent (or is being
// sent) would be changed.
var ErrDigestSent = errors.New("the digest was sent; the sent version is kept as it was")

const digestCols = `id, topic_id, day, period_start, period_end, built_at, body, edits, edited_at,
 COALESCE(send_key, ''), send_state, attempts, next_attempt, send_error, sent_at, sent`

func scanDigest(sc interface{ Scan(...any) error }) (*DigestRow, error) {
	var (
		d                     DigestRow
		from, to, built       int64
		edited, next, sent    sql.NullInt64
		body, edits, sentBody string
	)
	if err := sc.Scan(&d.ID, &d.TopicID, &d.Day, &from, &to, &built, &body, &edits, &edited,
		&d.SendKey, &d.SendState, &d.Attempts, &next, &d.SendError, &sent, &sentBody); err != nil {
		return nil, err
	}
	d.From, d.To, d.BuiltAt = time.UnixMilli(from).UTC(), time.UnixMilli(to).UTC(), time.UnixMilli(built).UTC()
	d.EditedAt, d.NextAttempt, d.SentAt = fromMS(edited), fromMS(next), fromMS(sent)
	d.Body = []byte(body)
	if edits != "" {
		d.Edits = []byte(edits)
	}
	if sentBody != "" {
		d.Sent = []byte(sentBody)
	}
	return &d, nil
}

// PutDigest stores a digest as built, with the ids of the articles it
// holds. A digest of the same topic and day that was not sent is rebuilt
// in place and keeps its edits; one that was sent (or is being sent) is
// left as it was and ErrDigestSent returned with it.
func (s *Store) PutDigest(ctx context.Context, d DigestRow, articles []int64) (*DigestRow, error) {
	var out *DigestRow
	err := s.tx(ctx, func(tx *sql.Tx) error {
		old, err := scanDigest(tx.QueryRowContext(ctx, "SELECT "+digestCols+" FROM digests WHERE topic_id = ? AND day = ?", d.TopicID, d.Day))
		switch {
		case err == nil && old.SendState != NotSent && old.SendState != SendFailed:
			out = old
			return ErrDigestSent
		case err == nil:
			_, err = tx.ExecContext(ctx, "UPDATE digests SET period_start = ?, period_end = ?, built_at = ?, body = ? WHERE id = ?",
				d.From.UnixMilli(), d.To.UnixMilli(), d.BuiltAt.UnixMilli(), string(d.Body), old.ID)
			d.ID = old.ID
		case errors.Is(err, sql.ErrNoRows):
			var res sql.Result
			res, err = tx.ExecContext(ctx, "INSERT INTO digests (topic_id, day, period_start, period_end, built_at, body) VALUES (?, ?, ?, ?, ?, ?)",
				d.TopicID, d.Day, d.From.UnixMilli(), d.To.UnixMilli(), d.BuiltAt.UnixMilli(), string(d.Body))
			if err == nil {
				d.ID, err = res.LastInsertId()
			}
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM digest_articles WHERE digest_id = ?", d.ID); err != nil {
			return err
		}
		for _, id := range articles {
			if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO digest_articles (article_id, digest_id) VALUES (?, ?)", id, d.ID); err != nil {
				return err
			}
		}
		out, err = scanDigest(tx.QueryRowContext(ctx, "SELECT "+digestCols+" FROM digests WHERE id = ?", d.ID))
		return err
	})
	if err != nil && !errors.Is(err, ErrDigestSent) {
		return nil, fmt.Errorf("store: put digest %s/%s: %w", d.TopicID, d.Day, err)
	}
	return out, err
}

// Digest returns the digest of a topic for a day, or ErrNotFound.
func (s *Store) Digest(ctx context.Context, topicID, day string) (*DigestRow, error) {
	d, err := scanDigest(s.db.QueryRowContext(ctx, "SELECT "+digestCols+" FROM digests WHERE topic_id = ? AND day = ?", topicID, day))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: digest %s/%s: %w", topicID, day, err)
	}
	return d, nil
}

// Digests returns up to limit digests, the latest day first; of one topic
// when topicID is not "".
func (s *Store) Digests(ctx context.Context, topicID string, limit int) ([]*DigestRow, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+digestCols+" FROM digests WHERE ? = '' OR topic_id = ? ORDER BY day DESC, topic_id LIMIT ?",
		topicID, topicID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: digests: %w", err)
	}
	defer rows.Close()
	var out []*DigestRow
	for rows.Next() {
		d, err := scanDigest(rows)
		if err != nil {
			return nil, fmt.Errorf("store: digests: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// LastDigest returns the latest digest of a topic, or ErrNotFound.
func (s *Store) LastDigest(ctx context.Context, topicID string) (*DigestRow, error) {
	ds, err := s.Digests(ctx, topicID, 1)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, ErrNotFound
	}
	return ds[0], nil
}

// SetDigestEdits stores staff's edits of a digest not yet sent.
func (s *Store) SetDigestEdits(ctx context.Context, id int64, edits []byte) error {
	res, err := s.db.ExecContext(ctx, "UPDATE digests SET edits = ?, edited_at = ? WHERE id = ? AND send_state IN ('', 'failed')",
		string(edits), s.now().UnixMilli(), id)
	if err != nil {
		return fmt.Errorf("store: edit digest %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.digestByID(ctx, id); err != nil {
			return err
		}
		return ErrDigestSent
	}
	return nil
}

func (s *Store) digestByID(ctx context.Context, id int64) (*DigestRow, error) {
	d, err := scanDigest(s.db.QueryRowContext(ctx, "SELECT "+digestCols+" FROM digests WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return d, err
}

// ClaimSend marks a digest as being sent under key, before the message
// leaves. It returns false when the digest was sent, is being sent, or is
// uncertain (unless again is set: staff asked to send an uncertain one
// again), so no two senders send one digest. The key is the digest's for
// good: a retry reuses it.
func (s *Store) ClaimSend(ctx context.Context, id int64, key string, again bool) (bool, error) {
	states := "('', 'failed')"
	if again {
		states = "('', 'failed', 'uncertain')"
	}
	res, err := s.db.ExecContext(ctx, `UPDATE digests SET send_state = 'sending', send_key = COALESCE(send_key, ?), attempts = attempts + 1
WHERE id = ? AND sent_at IS NULL AND send_state IN `+states, key, id)
	if err != nil {
		return false, fmt.Errorf("store: claim digest %d for sending: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// DigestSent records that a digest went out, with the version sent.
func (s *Store) DigestSent(ctx context.Context, id int64, sent []byte, at time.Time) error {
	_, err := s.db.ExecContext(ctx, "UPDATE digests SET send_state = 'sent', sent_at = ?, sent = ?, send_error = '', next_attempt = NULL WHERE id = ?",
		at.UnixMilli(), string(sent), id)
	if err != nil {
		return fmt.Errorf("store: digest %d sent: %w", id, err)
	}
	return nil
}

// DigestSendFailed records a failed send; next is when to try again (zero:
// not on its own).
func (s *Store) DigestSendFailed(ctx context.Context, id int64, reason string, next time.Time) error {
	_, err := s.db.ExecContext(ctx, "UPDATE digests SET send_state = 'failed', send_error = ?, next_attempt = ? WHERE id = ? AND send_state = 'sending'",
		reason, ms(next), id)
	if err != nil {
		return fmt.Errorf("store: digest %d failed: %w", id, err)
	}
	return nil
}

// DigestSendUncertain records a send that may have reached the server
// (the connection broke after the message was handed over): it is not
// sent again unless staff ask.
func (s *Store) DigestSendUncertain(ctx context.Context, id int64, reason string) error {
	_, err := s.db.ExecContext(ctx, "UPDATE digests SET send_state = 'uncertain', send_error = ?, next_attempt = NULL WHERE id = ? AND send_state = 'sending'",
		reason, id)
	if err != nil {
		return fmt.Errorf("store: digest %d uncertain: %w", id, err)
	}
	return nil
}

// DueSends returns the failed digests whose next attempt is due.
func (s *Store) DueSends(ctx context.Context, now time.Time) ([]*DigestRow, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+digestCols+" FROM digests WHERE send_state = 'failed' AND next_attempt <= ? ORDER BY next_attempt",
		now.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("store: due digests: %w", err)
	}
	defer rows.Close()
	var out []*DigestRow
	for rows.Next() {
		d, err := scanDigest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// RecoverSends marks the digests a stopped presswatch left 'sending' as
// uncertain: the message may have gone, so they are not sent again on
// their own. It returns how many there were.
func (s *Store) RecoverSends(ctx context.Context) (int, error) {
	res, err := s.db.ExecContext(ctx, "UPDATE digests SET send_state = 'uncertain', send_error = 'presswatch stopped while sending; the message may or may not have gone out' WHERE send_state = 'sending'")
	if err != nil {
		return 0, fmt.Errorf("store: recover digest sends: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// DigestStates counts the stored digests by send state.
func (s *Store) DigestStates(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT send_state, COUNT(*) FROM digests GROUP BY send_state")
	if err != nil {
		return nil, fmt.Errorf("store: digest states: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var (
			state string
			n     int
		)
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("store: digest states: %w", err)
		}
		out[state] = n
	}
	return out, rows.Err()
}

// SetDigestArticles replaces the articles a digest holds: those of its
// version with staff's edits, so a story they left out does not make a
// later one an update of it.
func (s *Store) SetDigestArticles(ctx context.Context, id int64, articles []int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM digest_articles WHERE digest_id = ?", id); err != nil {
			return fmt.Errorf("store: articles of digest %d: %w", id, err)
		}
		for _, a := range articles {
			if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO digest_articles (article_id, digest_id) VALUES (?, ?)", a, id); err != nil {
				return fmt.Errorf("store: articles of digest %d: %w", id, err)
			}
		}
		return nil
	})
}
