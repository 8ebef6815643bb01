package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// RetryTx lets the external tests drive retryTx.
func (db *DB) RetryTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return db.retryTx(ctx, fn)
}

// MaxAttempts is maxAttempts, for the tests.
const MaxAttempts = maxAttempts

// Translate is translate, for the tests.
var Translate = translate

// SetWatchBackoff makes the version watcher wait d before each reconnection, so a test can
// write while it is away; the returned function restores the default.
func SetWatchBackoff(d time.Duration) (restore func()) {
	lo, hi := watchBackoffMin, watchBackoffMax
	watchBackoffMin, watchBackoffMax = d, d
	return func() { watchBackoffMin, watchBackoffMax = lo, hi }
}
