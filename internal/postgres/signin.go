package postgres

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// SignInLimit is one throttle a sign-in attempt counts against: a key (an account, a
// client address) and how many attempts it may hold within the window.
type SignInLimit struct {
	Key string
	Max int
}

// signInLockClass namespaces the advisory locks taken per throttle key, so they cannot
// meet another use of pg_advisory_xact_lock.
const signInLockClass = 0x5749 // "WI"

// ReserveSignIn records one attempt under every limit's key, atomically with counting the
// attempts already held, before any password is checked. Each key is locked (an advisory
// transaction lock, in one order) while it is counted and written, so however many
// requests arrive at once, on however many app servers sharing this database, no key ever
// holds more than its Max attempts within window. When a key is full nothing is recorded
// and the full limit is returned with ok false.
//
// A reserved attempt stays counted: a failure keeps it, a success gives it back with
// ReleaseSignIn (or ClearSignIn forgets the account's attempts altogether).
func (db *DB) ReserveSignIn(ctx context.Context, window time.Duration, limits ...SignInLimit) (full SignInLimit, ok bool, err error) {
	sorted := slices.Clone(limits)
	slices.SortFunc(sorted, func(a, b SignInLimit) int { return strings.Compare(a.Key, b.Key) })
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		for _, l := range sorted {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, signInLockClass, l.Key); err != nil {
				return err
			}
		}
		for _, l := range sorted {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM sign_in_failures WHERE key = $1 AND at > now() - make_interval(secs => $2)`,
				l.Key, window.Seconds()).Scan(&n); err != nil {
				return err
			}
			if n >= l.Max {
				full = l
				return nil
			}
		}
		b := &pgx.Batch{}
		for _, l := range sorted {
			b.Queue(`INSERT INTO sign_in_failures (key) VALUES ($1)`, l.Key)
		}
		// Old attempts count for nothing; forget them as we go.
		b.Queue(`DELETE FROM sign_in_failures WHERE at < now() - interval '1 day'`)
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		ok = true
		return nil
	})
	if err != nil {
		return SignInLimit{}, false, translate(err, "sign-in attempts")
	}
	return full, ok, nil
}

// ReleaseSignIn gives back one attempt reserved under each key: the attempt succeeded (or
// was never checked), so it must not count against the account or address.
func (db *DB) ReleaseSignIn(ctx context.Context, keys ...string) error {
	b := &pgx.Batch{}
	for _, k := range keys {
		b.Queue(`DELETE FROM sign_in_failures WHERE ctid = (SELECT ctid FROM sign_in_failures WHERE key = $1 ORDER BY at DESC LIMIT 1)`, k)
	}
	return translate(db.pool.SendBatch(ctx, b).Close(), "sign-in attempts")
}

// ClearSignIn forgets every attempt under the keys, after the account's owner has proved
// who they are: their earlier typos stop counting.
func (db *DB) ClearSignIn(ctx context.Context, keys ...string) error {
	_, err := db.pool.Exec(ctx, `DELETE FROM sign_in_failures WHERE key = ANY($1)`, keys)
	return translate(err, "sign-in attempts")
}
