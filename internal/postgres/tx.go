package postgres

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Lock order: the one rule every writing transaction follows, so that no two transactions
// can each hold a lock the other waits for.
//
//  1. The data_version row comes first. writeTracked takes it (FOR NO KEY UPDATE) before
//     the transaction reads or locks anything else. Every statement that writes a table
//     the data version tracks updates that row through its trigger (migrations 0003, 0017)
//     and holds its lock until commit, so writers of the tracked data were serialised from
//     their first write anyway; taking it first moves the wait to the start, where the
//     waiting transaction holds nothing another one needs. Without it, a status entry
//     (case row, then, through the triggers, data_version, then the person's row) and a
//     person edit (person row, then data_version) deadlocked.
//  2. Then the record the change is about, read FOR UPDATE to check its version (the case,
//     person, demand, clause or import draft), then whatever the statements and triggers
//     touch after it (mentions, case subjects, current statuses, facet counts, search
//     names, the audit log), in the order the statements run.
//
// Transactions that write no tracked table (accounts, tokens, drafts under review, search
// names) use writeUntracked: they take no data_version lock and only ever lock their own
// rows, which no tracked writer locks. Single statements outside a transaction (sessions,
// sign-in failures) lock one row each.
//
// A deadlock or serialization failure the database still reports (a writer outside this
// package, an order this rule missed) is retried: see retryTx.

// lockDataVersion takes the lock that comes first (FOR NO KEY UPDATE is the lock the
// triggers' UPDATE takes, so the transaction never has to strengthen it).
const lockDataVersion = `SELECT FROM data_version FOR NO KEY UPDATE`

// maxAttempts bounds how many times a transaction is tried when the database aborts it
// for a deadlock or a serialization failure; the last failure is returned.
const maxAttempts = 4

// writeTracked runs fn in a transaction that may write the data the data version tracks
// (every table with a data_version trigger): it takes the data_version lock first, as the
// lock order above says, and is retried on deadlock or serialization failure. fn may run
// more than once, so it must start from scratch each time (reset what it accumulates) and
// write its audit entry inside tx, so the entry is retried with the change.
func (db *DB) writeTracked(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return db.retryTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockDataVersion); err != nil {
			return err
		}
		return fn(tx)
	})
}

// writeUntracked runs fn, which writes no table the data version tracks, in a transaction
// retried on deadlock or serialization failure, with the same contract for fn.
func (db *DB) writeUntracked(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return db.retryTx(ctx, fn)
}

// retryTx runs fn in a transaction, again (up to maxAttempts in all, after a short random
// pause) when PostgreSQL aborted it with a deadlock (40P01) or a serialization failure
// (40001): both leave nothing written, and a second try usually passes. Any other error,
// and the last of those, is returned as it is, for the caller to translate.
func (db *DB) retryTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := pgx.BeginFunc(ctx, db.pool, fn)
		db.noteReadOnly(err)
		if err == nil || attempt == maxAttempts || !retryable(err) {
			return err
		}
		pause := time.Duration(attempt) * (5*time.Millisecond + rand.N(10*time.Millisecond))
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
}

// retryable says whether PostgreSQL aborted a transaction only because of what ran beside it.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40P01" || pgErr.Code == "40001")
}

// noteReadOnly empties the pool when a write met a read-only database. A connection keeps
// the read-only default it was opened with, so without this the pool would hold read-only
// connections long after the database was made writable again; a new connection takes the
// database's setting as it is now.
func (db *DB) noteReadOnly(err error) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "25006" {
		db.pool.Reset()
	}
}
