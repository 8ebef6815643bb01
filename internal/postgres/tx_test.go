package postgres_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
)

// TestRetryTx makes two transactions lock two people in opposite orders, both holding their
// first lock before asking for the second: PostgreSQL aborts one with a deadlock, and
// retryTx runs it again, so both commit, in three attempts in all.
func TestRetryTx(t *testing.T) {
	t.Parallel()
	db, _ := postgrestest.OpenSeeded(t)
	ctx := context.Background()
	var attempts atomic.Int32
	var first sync.WaitGroup // both hold their first lock
	first.Add(2)
	var once [2]sync.Once
	lockBoth := func(i int, a, b string) error {
		return db.RetryTx(ctx, func(tx pgx.Tx) error {
			attempts.Add(1)
			if _, err := tx.Exec(ctx, `SELECT FROM people WHERE slug = $1 FOR UPDATE`, a); err != nil {
				return err
			}
			once[i].Do(func() { first.Done(); first.Wait() })
			_, err := tx.Exec(ctx, `UPDATE people SET notes = notes WHERE slug = $1`, b)
			return err
		})
	}
	errs := make(chan error, 2)
	go func() { errs <- lockBoth(0, "max-bokayev", "talgat-ayan") }()
	go func() { errs <- lockBoth(1, "talgat-ayan", "max-bokayev") }()
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("a transaction failed although it could be retried: %v", err)
		}
	}
	if n := attempts.Load(); n != 3 {
		t.Errorf("%d attempts, want 3: one deadlock, retried once", n)
	}

	t.Run("GivesUpAfterMaxAttempts", func(t *testing.T) {
		n := 0
		err := db.RetryTx(ctx, func(tx pgx.Tx) error {
			n++
			return &pgconn.PgError{Code: "40001", Message: "could not serialize access"}
		})
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || n != postgres.MaxAttempts {
			t.Errorf("after %d attempts: %v", n, err)
		}
	})
	t.Run("OtherErrorsAreNotRetried", func(t *testing.T) {
		n := 0
		_ = db.RetryTx(ctx, func(tx pgx.Tx) error {
			n++
			return &pgconn.PgError{Code: "23505"}
		})
		if n != 1 {
			t.Errorf("a unique violation was tried %d times", n)
		}
	})
}
