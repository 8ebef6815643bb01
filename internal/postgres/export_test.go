package postgres

import (
	"context"

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
