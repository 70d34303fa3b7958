package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"presswatch/internal/model"
)

// ExportRow is what an export of a search adds to each hit of the index
// from the store: what the index does not keep.
type ExportRow struct {
	ID         int64
	Author     string
	SourceID   string
	SourceName string // the configured name; "" if the source is not in the sources table
	DateSource model.DateSource
	FirstSeen  time.Time
	// Cluster is the id of the story the article is a copy in, when the
	// story has other copies stored; 0 when the article stands alone.
	Cluster int64
	Topics  []string // ids of the topics it matches, in order
	// Provenance is how the article came (crawl, import, archive); for a
	// capture another tool or a web archive made, CapturedAt and Capture
	// say when and where (the fetch of the text it has now), and are zero
	// and "" for presswatch's own fetches.
	Provenance model.Provenance
	CapturedAt time.Time
	Capture    string
}

// ExportRows returns the export rows of these articles by id, read in a
// few queries whatever the number of ids (an export asks a page of hits
// at a time). Ids that are not stored (deleted since they were indexed)
// are left out.
func (s *Store) ExportRows(ctx context.Context, ids []int64) (map[int64]*ExportRow, error) {
	out := make(map[int64]*ExportRow, len(ids))
	err := inChunks(ids, func(args []any, marks string) error {
		if err := s.exportArticles(ctx, out, args, marks); err != nil {
			return err
		}
		return s.exportTopics(ctx, out, args, marks)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) exportArticles(ctx context.Context, out map[int64]*ExportRow, args []any, marks string) error {
	rows, err := s.db.QueryContext(ctx, `
SELECT a.id, a.author, a.source_id, COALESCE(s.name, ''), a.date_source, a.first_seen,
    CASE WHEN a.cluster_id != 0 AND EXISTS (SELECT 1 FROM articles c WHERE c.cluster_id = a.cluster_id AND c.id != a.id)
        THEN a.cluster_id ELSE 0 END,
    a.provenance, f.captured_at, COALESCE(f.capture, '')
FROM articles a LEFT JOIN sources s ON s.id = a.source_id LEFT JOIN fetches f ON f.id = a.fetch_id
WHERE a.id IN (`+marks+`)`, args...)
	if err != nil {
		return fmt.Errorf("store: export rows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			r        ExportRow
			first    int64
			captured sql.NullInt64
		)
		if err := rows.Scan(&r.ID, &r.Author, &r.SourceID, &r.SourceName, &r.DateSource, &first, &r.Cluster,
			&r.Provenance, &captured, &r.Capture); err != nil {
			return fmt.Errorf("store: export rows: %w", err)
		}
		r.FirstSeen = time.UnixMilli(first).UTC()
		if r.Capture != "" {
			r.CapturedAt = fromMS(captured)
		}
		out[r.ID] = &r
	}
	return rows.Err()
}

func (s *Store) exportTopics(ctx context.Context, out map[int64]*ExportRow, args []any, marks string) error {
	rows, err := s.db.QueryContext(ctx, "SELECT article_id, topic_id FROM matches WHERE article_id IN ("+
		marks+") ORDER BY article_id, topic_id", args...)
	if err != nil {
		return fmt.Errorf("store: topics of export rows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id    int64
			topic string
		)
		if err := rows.Scan(&id, &topic); err != nil {
			return fmt.Errorf("store: topics of export rows: %w", err)
		}
		if r := out[id]; r != nil {
			r.Topics = append(r.Topics, topic)
		}
	}
	return rows.Err()
}
