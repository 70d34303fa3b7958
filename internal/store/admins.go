package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// This file holds the administrators who may change presswatch from the
// web and their login sessions. The store keeps a password only as the
// hash the auth package makes, and a session only as the SHA-256 of its
// token, so a copy of the database opens no session.

// Admin is an administrator, without the hash.
type Admin struct {
	Name    string
	Created time.Time
}

// SessionRow is a login session found by its token.
type SessionRow struct {
	Admin    string
	Created  time.Time
	Expires  time.Time
	LastSeen time.Time
}

// PutAdmin sets the password hash of the administrator name, adding it or
// replacing its hash. Replacing a hash ends the administrator's sessions.
func (s *Store) PutAdmin(ctx context.Context, name, hash string) error {
	if name == "" || hash == "" {
		return fmt.Errorf("store: put admin %q: name and hash must not be empty", name)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO admins (name, hash, created_at) VALUES (?, ?, ?)
ON CONFLICT (name) DO UPDATE SET hash = excluded.hash`, name, hash, s.now().UnixMilli()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE admin = ?", name)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: put admin %q: %w", name, err)
	}
	return nil
}

// AdminHash returns the password hash of the administrator name, or
// ErrNotFound.
func (s *Store) AdminHash(ctx context.Context, name string) (string, error) {
	var hash string
	err := s.db.QueryRowContext(ctx, "SELECT hash FROM admins WHERE name = ?", name).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: admin %q: %w", name, err)
	}
	return hash, nil
}

// Admins returns the administrators by name.
func (s *Store) Admins(ctx context.Context) ([]Admin, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT name, created_at FROM admins ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("store: admins: %w", err)
	}
	defer rows.Close()
	var out []Admin
	for rows.Next() {
		var a Admin
		var created int64
		if err := rows.Scan(&a.Name, &created); err != nil {
			return nil, fmt.Errorf("store: admins: %w", err)
		}
		a.Created = time.UnixMilli(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// HasAdmins reports whether any administrator exists.
func (s *Store) HasAdmins(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM admins)").Scan(&n); err != nil {
		return false, fmt.Errorf("store: admins: %w", err)
	}
	return n == 1, nil
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// CreateSession opens a session of the administrator name lasting ttl and
// returns its token: 32 random bytes in unpadded URL-safe base64, for the
// cookie. Only the token's SHA-256 is stored.
func (s *Store) CreateSession(ctx context.Context, name string, ttl time.Duration) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("store: session of %q: %w", name, err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.now()
	_, err := s.db.ExecContext(ctx, "INSERT INTO sessions (token_hash, admin, created_at, expires_at, last_seen) VALUES (?, ?, ?, ?, ?)",
		tokenHash(token), name, now.UnixMilli(), now.Add(ttl).UnixMilli(), now.UnixMilli())
	if err != nil {
		return "", fmt.Errorf("store: session of %q: %w", name, err)
	}
	return token, nil
}

// Session returns the session of token and marks it seen now. An unknown
// or expired session is ErrNotFound.
func (s *Store) Session(ctx context.Context, token string) (*SessionRow, error) {
	if token == "" {
		return nil, ErrNotFound
	}
	now := s.now().UnixMilli()
	var r SessionRow
	var created, expires int64
	err := s.db.QueryRowContext(ctx, `UPDATE sessions SET last_seen = ? WHERE token_hash = ? AND expires_at > ?
RETURNING admin, created_at, expires_at`, now, tokenHash(token), now).Scan(&r.Admin, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: session: %w", err)
	}
	r.Created, r.Expires, r.LastSeen = time.UnixMilli(created), time.UnixMilli(expires), time.UnixMilli(now)
	return &r, nil
}

// DeleteSession ends the session of token; an unknown token is no error.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", tokenHash(token)); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteExpired removes the sessions expired by now and returns how many.
func (s *Store) DeleteExpired(ctx context.Context) (int64, error) {
	res, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at <= ?", s.now().UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("store: delete expired sessions: %w", err)
	}
	return res.RowsAffected()
}
