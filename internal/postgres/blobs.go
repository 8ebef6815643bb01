package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/blob"
)

// blobChunk is how much of a blob one query reads, so serving a 25 MB file holds a
// megabyte at a time, not the whole file.
const blobChunk = 1 << 20

// Blobs is the PostgreSQL blob store (table attachment_blobs): the default, so a site
// needs nothing beside its database. It keeps no data_version trigger: a blob alone is
// nothing the public can see until an attachment row names it.
func (db *DB) Blobs() blob.Store { return pgBlobs{db} }

type pgBlobs struct{ db *DB }

// Put stores the blob; a key already held is left as it was (keys name the content).
func (s pgBlobs) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	data, err := io.ReadAll(io.LimitReader(r, size+1))
	if err != nil {
		return fmt.Errorf("read blob %s: %w", key, err)
	}
	if int64(len(data)) != size {
		return fmt.Errorf("put blob %s: got %d bytes, want %d", key, len(data), size)
	}
	_, err = s.db.pool.Exec(ctx, `INSERT INTO attachment_blobs (key, data) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, data)
	if err != nil {
		return fmt.Errorf("put blob %s: %w", key, err)
	}
	return nil
}

// Open reads the blob a chunk at a time.
func (s pgBlobs) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	var size int64
	err := s.db.pool.QueryRow(ctx, `SELECT octet_length(data) FROM attachment_blobs WHERE key = $1`, key).Scan(&size)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, blob.ErrNotFound
	} else if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", key, err)
	}
	return &pgBlobReader{ctx: ctx, db: s.db, key: key, size: size}, nil
}

// Delete removes the blob.
func (s pgBlobs) Delete(ctx context.Context, key string) error {
	if _, err := s.db.pool.Exec(ctx, `DELETE FROM attachment_blobs WHERE key = $1`, key); err != nil {
		return fmt.Errorf("delete blob %s: %w", key, err)
	}
	return nil
}

// pgBlobReader reads a blob in chunks of blobChunk bytes (substring on bytea counts bytes
// from 1).
type pgBlobReader struct {
	ctx       context.Context
	db        *DB
	key       string
	size, off int64
	buf       bytes.Reader
}

func (r *pgBlobReader) Read(p []byte) (int, error) {
	if r.buf.Len() == 0 {
		if r.off >= r.size {
			return 0, io.EOF
		}
		var chunk []byte
		err := r.db.pool.QueryRow(r.ctx, `SELECT substring(data FROM $2 FOR $3) FROM attachment_blobs WHERE key = $1`,
			r.key, r.off+1, blobChunk).Scan(&chunk)
		if errors.Is(err, pgx.ErrNoRows) {
			return 0, fmt.Errorf("read blob %s: removed while read", r.key)
		} else if err != nil {
			return 0, fmt.Errorf("read blob %s: %w", r.key, err)
		}
		if len(chunk) == 0 {
			return 0, io.ErrUnexpectedEOF
		}
		r.off += int64(len(chunk))
		r.buf.Reset(chunk)
	}
	return r.buf.Read(p)
}

// Seek moves where the next Read starts, so a download can answer a Range request.
func (r *pgBlobReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += r.off - int64(r.buf.Len())
	case io.SeekEnd:
		offset += r.size
	}
	if offset < 0 {
		return 0, fmt.Errorf("seek blob %s: before its start", r.key)
	}
	r.off = offset
	r.buf.Reset(nil)
	return offset, nil
}

func (r *pgBlobReader) Close() error { return nil }
