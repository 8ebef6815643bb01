package postgres_test

import (
	"testing"

	"github.com/whereas/whereas/internal/blob/blobtest"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
)

// TestBlobs: the database's blob store does all a blob store must (blobtest.Conformance):
// a file of several chunks back byte for byte, one copy of a key put twice, absent keys
// said plainly, and a cancelled request stopped.
func TestBlobs(t *testing.T) {
	t.Parallel()
	db, _ := postgrestest.Open(t)
	blobtest.Conformance(t, db.Blobs())
}
