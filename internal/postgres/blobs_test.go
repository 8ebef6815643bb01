package postgres_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"testing"

	"github.com/whereas/whereas/internal/blob"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
)

// TestBlobs: the database's blob store gives back a file of several chunks byte for
// byte, keeps one copy of a key put twice, and says plainly when a key is absent.
func TestBlobs(t *testing.T) {
	t.Parallel()
	db, _ := postgrestest.Open(t)
	ctx := context.Background()
	store := db.Blobs()
	data := make([]byte, 2<<20+12345)
	if _, err := rand.Read(data); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := store.Put(ctx, "k1", bytes.NewReader(data), int64(len(data))); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.Put(ctx, "short", bytes.NewReader(data[:10]), 11); err == nil {
		t.Error("a blob shorter than its stated size was stored")
	}
	r, err := store.Open(ctx, "k1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes (err %v), want the %d put", len(got), err, len(data))
	}
	if err := store.Delete(ctx, "k1"); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(ctx, "k1"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("open after delete: %v, want blob.ErrNotFound", err)
	}
}
