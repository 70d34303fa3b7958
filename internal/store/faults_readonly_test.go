package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestPendingMigrationOnAReadOnlyStoreIsRefusedClearly: a store opened
// read-only whose schema is behind is not migrated (nothing is written)
// and the error says why.
func TestPendingMigrationOnAReadOnlyStoreIsRefusedClearly(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	newest, _ := s.SchemaVersion(ctx)
	if _, err := s.db.ExecContext(ctx, "PRAGMA user_version = 3"); err != nil {
		t.Fatal(err)
	}
	s.readOnly = errors.New("presswatch.db: read-only file system") // as Open finds it
	err = s.migrate(ctx)
	if err == nil || !strings.Contains(err.Error(), "read-only, so the migration cannot run (presswatch.db: read-only file system)") ||
		!strings.Contains(err.Error(), "schema 3") {
		t.Errorf("migrating a read-only store behind by %d: %v", newest-3, err)
	}
	if v, _ := s.SchemaVersion(ctx); v != 3 {
		t.Errorf("the read-only store was migrated to %d", v)
	}
}
