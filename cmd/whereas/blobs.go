package main

import (
	"github.com/whereas/whereas/internal/blob"
	"github.com/whereas/whereas/internal/postgres"
)

// openBlobs chooses where attachments' bytes are kept, for serve, backup and restore
// alike: the one place the store is chosen. For now it is always the database's own
// (table attachment_blobs); WHEREAS_BLOB_URL (S3-compatible storage) is chosen here.
func openBlobs(db *postgres.DB) blob.Store {
	return db.Blobs()
}
