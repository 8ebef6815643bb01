package main

import (
	"context"

	"github.com/whereas/whereas/internal/blob"
	"github.com/whereas/whereas/internal/postgres"
)

// openBlobs opens the store of attachments' bytes: the database's own (attachment_blobs)
// unless WHEREAS_BLOB_URL names S3-compatible object storage, whose bucket must then be
// there and reachable. Every command that reads or writes attachments' bytes (serve,
// backup, restore) opens it here, so all agree on where the bytes are.
func openBlobs(ctx context.Context, getenv func(string) string, db *postgres.DB) (blob.Store, error) {
	raw := getenv("WHEREAS_BLOB_URL")
	if raw == "" {
		return db.Blobs(), nil
	}
	return blob.OpenURL(ctx, raw, getenv)
}
