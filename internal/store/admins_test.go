package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestAdminsAndSessions(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }

	if has, err := s.HasAdmins(ctx); err != nil || has {
		t.Fatalf("HasAdmins on a new store = %v, %v; want false", has, err)
	}
	if _, err := s.AdminHash(ctx, "ana"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("AdminHash(unknown) = %v, want ErrNotFound", err)
	}
	if err := s.PutAdmin(ctx, "ana", "$argon2id$one"); err != nil {
		t.Fatal(err)
	}
	token, err := s.CreateSession(ctx, "ana", 12*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(token) != 43 {
		t.Errorf("token %q: %d characters, want 43 (32 bytes)", token, len(token))
	}
	var stored []byte
	s.db.QueryRow("SELECT token_hash FROM sessions").Scan(&stored)
	if sum := sha256.Sum256([]byte(token)); !bytes.Equal(stored, sum[:]) {
		t.Errorf("stored %x, want the token's SHA-256", stored)
	}
	var n int
	s.db.QueryRow("SELECT count(*) FROM sessions WHERE token_hash = ?", token).Scan(&n)
	if n != 0 {
		t.Error("the token itself is stored")
	}

	now = now.Add(time.Hour)
	got, err := s.Session(ctx, token)
	if err != nil || got.Admin != "ana" || !got.LastSeen.Equal(now) || !got.Expires.Equal(now.Add(11*time.Hour)) {
		t.Fatalf("Session = %+v, %v; want ana seen now, expiring in 11h", got, err)
	}
	if _, err := s.Session(ctx, token+"x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Session(other token) = %v, want ErrNotFound", err)
	}

	now = now.Add(11 * time.Hour)
	if _, err := s.Session(ctx, token); !errors.Is(err, ErrNotFound) {
		t.Errorf("Session(expired) = %v, want ErrNotFound", err)
	}
	if n, err := s.DeleteExpired(ctx); err != nil || n != 1 {
		t.Errorf("DeleteExpired = %d, %v; want 1", n, err)
	}

	second, _ := s.CreateSession(ctx, "ana", time.Hour)
	if err := s.DeleteSession(ctx, second); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, second); !errors.Is(err, ErrNotFound) {
		t.Errorf("Session after DeleteSession = %v, want ErrNotFound", err)
	}

	third, _ := s.CreateSession(ctx, "ana", time.Hour)
	if err := s.PutAdmin(ctx, "ana", "$argon2id$two"); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.AdminHash(ctx, "ana"); h != "$argon2id$two" {
		t.Errorf("AdminHash after replacing = %q", h)
	}
	if _, err := s.Session(ctx, third); !errors.Is(err, ErrNotFound) {
		t.Errorf("session outlived a new password: %v", err)
	}
	s.PutAdmin(ctx, "bo", "$argon2id$three")
	list, err := s.Admins(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "ana" || list[1].Name != "bo" {
		t.Errorf("Admins = %+v, %v; want ana, bo", list, err)
	}
	if has, _ := s.HasAdmins(ctx); !has {
		t.Error("HasAdmins = false with two admins")
	}
}
