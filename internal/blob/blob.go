// Package blob keeps the bytes of attachments behind one small interface, so the rest of
// Whereas does not know whether they live in PostgreSQL (the default, so `make run` needs
// nothing more) or in S3-compatible object storage (WHEREAS_BLOB_URL=s3://…).
package blob

import (
	"context"
	"errors"
	"io"
)

// ErrNotFound is returned by Open for a key the store does not hold.
var ErrNotFound = errors.New("blob not found")

// Store keeps blobs by key. Keys are chosen by the caller (the content's SHA-256, so the
// same file attached twice is kept once); Put of a key already held leaves it as it was.
type Store interface {
	// Put stores size bytes read from r under key.
	Put(ctx context.Context, key string, r io.Reader, size int64) error
	// Open returns the blob's bytes; the caller closes it. ErrNotFound if absent.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the blob; deleting an absent key is no error.
	Delete(ctx context.Context, key string) error
}
