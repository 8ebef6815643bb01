package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/whereas/whereas/internal/blob"
	"github.com/whereas/whereas/internal/blob/blobtest"
	"github.com/whereas/whereas/internal/postgres"
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

// TestS3Attachments: on a site that keeps files in S3, a PDF attached through the API is
// in the bucket (not in the database), downloads whole and by range, an internal photo
// stays 404 to the public, and a backup restored into a fresh database with the same
// store serves the PDF byte for byte.
func TestS3Attachments(t *testing.T) {
	t.Parallel()
	store := blobtest.S3(t)
	w := newStaffWorldWith(t, server.Options{Blobs: store, PageCacheBytes: 1 << 20})
	token, _ := recordTokens(t, w)
	ctx := context.Background()
	pdf := append([]byte("%PDF-1.4\n"), blobtest.RandomBytes(t, 3<<20)...)
	attach := func(name, visibility string, data []byte) apiFile {
		t.Helper()
		resp, body := upload(t, http.DefaultClient, w.a.URL+"/api/v1/cases/max-bokayev-case/attachments", token,
			[][2]string{{"title", name}, {"visibility", visibility}}, name, data)
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("attach %s: %d %s", name, resp.StatusCode, body)
		}
		var f apiFile
		if err := json.Unmarshal([]byte(body), &f); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = store.Delete(ctx, f.SHA256) })
		return f
	}
	pub, photo := attach("ruling.pdf", "public", pdf), attach("cell.png", "internal", testPNG(t))
	if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM attachment_blobs`); n != 0 {
		t.Errorf("%d files kept in the database of a site that keeps them in S3", n)
	}
	rc, err := store.Open(ctx, pub.SHA256)
	if err != nil {
		t.Fatalf("the PDF is not in the bucket: %v", err)
	}
	rc.Close()
	if resp, got := getFile(t, http.DefaultClient, w.b.URL+pub.URL); resp.StatusCode != http.StatusOK || got != string(pdf) {
		t.Errorf("download: %d, %d bytes, whole %v", resp.StatusCode, len(got), got == string(pdf))
	}
	if resp, got := getFile(t, http.DefaultClient, w.b.URL+pub.URL, "Range", "bytes=1000000-1000099"); resp.StatusCode != http.StatusPartialContent || got != string(pdf[1000000:1000100]) {
		t.Errorf("a range of the PDF: %d, %d bytes", resp.StatusCode, len(got))
	}
	if resp, _ := getFile(t, http.DefaultClient, w.b.URL+photo.URL); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the internal photo to the public: %d, want 404", resp.StatusCode)
	}

	restored := restoredCopy(t, w, func(*postgres.DB) blob.Store { return store })
	srv := httptest.NewServer(server.New(restored, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{Blobs: store}))
	t.Cleanup(srv.Close)
	if resp, got := getFile(t, http.DefaultClient, srv.URL+pub.URL); resp.StatusCode != http.StatusOK || got != string(pdf) {
		t.Errorf("the restored site's download: %d, whole %v", resp.StatusCode, got == string(pdf))
	}
}
