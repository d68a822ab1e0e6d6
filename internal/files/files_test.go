package files_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"pingan/internal/files"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

func roundTrip(t *testing.T, s files.Storage) {
	t.Helper()
	ctx := context.Background()
	key := files.NewKey(".pdf")
	if !strings.HasSuffix(key, ".pdf") || strings.Count(key, "/") != 1 {
		t.Fatalf("key = %q", key)
	}
	if err := s.Put(ctx, key, []byte("%PDF-1.7 test")); err != nil {
		t.Fatal(err)
	}
	rc, err := s.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "%PDF-1.7 test" {
		t.Errorf("read back %q", b)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, key); err == nil {
		t.Error("deleted file still opens")
	}
	for _, bad := range []string{"../escape", "/etc/passwd", `a\b`, ""} {
		if err := s.Put(ctx, bad, []byte("x")); err == nil {
			t.Errorf("key %q accepted", bad)
		}
	}
}

func TestDiskStorage(t *testing.T) {
	roundTrip(t, files.Disk{Dir: t.TempDir()})
}

func TestDatabaseStorage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		roundTrip(t, files.Database{Store: db})
	})
}
