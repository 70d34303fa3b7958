package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"presswatch/internal/model"
)

// This file holds the queries the web pages need beyond single rows: the
// newest articles, the copies of a story and topic counts.

// Summary is an article as a list shows it: without its text, with the
// name and stance of its source.
type Summary struct {
	ID         int64
	URL        string
	SourceID   string
	SourceName string // "" if the source is not in the sources table
	Stance     model.Stance
	Title      string
	Lang       string
	Published  time.Time // in the publisher's offset; zero if unknown
	FirstSeen  time.Time
}

const summaryCols = `a.id, a.url, a.source_id, COALESCE(s.name, ''), COALESCE(s.stance, ''), a.title, a.lang,
 a.published, a.published_offset, a.first_seen`

func (s *Store) summaries(ctx context.Context, what, query string, args ...any) ([]Summary, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+summaryCols+
		" FROM articles a LEFT JOIN sources s ON s.id = a.source_id "+query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		a, err := scanSummary(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// scanSummary scans a row that starts with summaryCols, and the columns
// after them into extra.
func scanSummary(sc interface{ Scan(...any) error }, extra ...any) (Summary, error) {
	var (
		a           Summary
		pub, pubOff sql.NullInt64
		first       int64
	)
	dest := append([]any{&a.ID, &a.URL, &a.SourceID, &a.SourceName, &a.Stance, &a.Title, &a.Lang, &pub, &pubOff, &first}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return a, err
	}
	a.Published, a.FirstSeen = withOffset(fromMS(pub), pubOff), time.UnixMilli(first).UTC()
	return a, nil
}

// Newest returns up to limit articles, the most recently first seen first.
func (s *Store) Newest(ctx context.Context, limit int) ([]Summary, error) {
	return s.summaries(ctx, "newest articles", "ORDER BY a.first_seen DESC, a.id DESC LIMIT ?", limit)
}

// Copies returns the other articles of the story the article id belongs
// to (those with its cluster id: republished or near-identical texts),
// oldest first. An unknown id has no copies.
func (s *Store) Copies(ctx context.Context, id int64) ([]Summary, error) {
	return s.summaries(ctx, fmt.Sprintf("copies of %d", id), `
JOIN articles me ON me.id = ? AND me.cluster_id = a.cluster_id
WHERE a.id != me.id ORDER BY a.first_seen, a.id`, id)
}

// TopicCount is a topic and how many of its articles presswatch first saw
// today and in the last seven days.
type TopicCount struct {
	model.Topic
	Today int // first seen since 00:00 UTC of the day asked about
	Week  int // first seen in that day and the six before it
}

// TopicCounts counts each topic's articles by the day presswatch first saw
// them, for the UTC day of now and the seven days that end with it. Every
// topic is listed, those without articles with zeros, in id order.
func (s *Store) TopicCounts(ctx context.Context, now time.Time) ([]TopicCount, error) {
	topics, err := s.Topics(ctx)
	if err != nil {
		return nil, err
	}
	now = now.UTC()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	week := today.AddDate(0, 0, -6)
	end := today.AddDate(0, 0, 1)
	rows, err := s.db.QueryContext(ctx, `
SELECT m.topic_id, count(*), COALESCE(sum(a.first_seen >= ?), 0)
FROM matches m JOIN articles a ON a.id = m.article_id
WHERE a.first_seen >= ? AND a.first_seen < ?
GROUP BY m.topic_id`, today.UnixMilli(), week.UnixMilli(), end.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("store: topic counts: %w", err)
	}
	defer rows.Close()
	counts := map[string][2]int{}
	for rows.Next() {
		var (
			id          string
			week, today int
		)
		if err := rows.Scan(&id, &week, &today); err != nil {
			return nil, fmt.Errorf("store: topic counts: %w", err)
		}
		counts[id] = [2]int{today, week}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]TopicCount, len(topics))
	for i, t := range topics {
		c := counts[t.ID]
		out[i] = TopicCount{Topic: t, Today: c[0], Week: c[1]}
	}
	return out, nil
}
