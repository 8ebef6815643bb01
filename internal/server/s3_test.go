package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/whereas/whereas/internal/blob/blobtest"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
)

// TestS3LargeFile: a server built on the S3 store of `make test-s3` answers, and a file
// of the upload limit's default size (25 MB) goes into that store and comes back with
// the same SHA-256. (The attachment routes test an upload and download through the
// server with whichever store the test gives.)
func TestS3LargeFile(t *testing.T) {
	t.Parallel()
	store := blobtest.S3(t)
	db, _ := postgrestest.OpenSeeded(t)
	srv := httptest.NewServer(server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{Blobs: store}))
	t.Cleanup(srv.Close)
	if resp, body := get(t, srv, "/readyz"); resp.StatusCode != 200 {
		t.Fatalf("/readyz = %d %s", resp.StatusCode, body)
	}

	ctx := context.Background()
	data := blobtest.RandomBytes(t, 25<<20)
	sum := sha256.Sum256(data)
	key := hex.EncodeToString(sum[:]) // as attachments name their blobs
	if err := store.Put(ctx, key, bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Delete(ctx, key) })
	r, err := store.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(data)) || !bytes.Equal(h.Sum(nil), sum[:]) {
		t.Fatalf("read back %d bytes with SHA-256 %x, want %d with %x", n, h.Sum(nil), len(data), sum)
	}
}
