package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// TOTPSecret returns an account's TOTP secret, or ENOTFOUND when it has no two-factor
// sign-in (or is disabled).
func (db *DB) TOTPSecret(ctx context.Context, userID int64) (string, error) {
	var secret string
	err := db.pool.QueryRow(ctx, `SELECT totp_secret FROM users WHERE id = $1 AND disabled_at IS NULL AND totp_secret IS NOT NULL`, userID).Scan(&secret)
	return secret, translate(err, "account with two-factor sign-in")
}

// UseTOTPStep accepts a code of time step step for an account, once: it records the step
// only if it is later than the last accepted, in one statement, so the same code (or an
// older one) sent twice, even at once to two servers, is accepted at most once.
func (db *DB) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	tag, err := db.pool.Exec(ctx, `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_secret IS NOT NULL AND totp_last_step < $2`, userID, step)
	if err != nil {
		return false, translate(err, "account")
	}
	return tag.RowsAffected() == 1, nil
}

// UseRecoveryCode spends one of an account's recovery codes, by hash: it is removed in
// the same statement that finds it, so each works once. It returns how many are left.
func (db *DB) UseRecoveryCode(ctx context.Context, a Actor, userID int64, email, hash string) (left int, ok bool, err error) {
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE users SET recovery_codes = array_remove(recovery_codes, $2)
			WHERE id = $1 AND totp_secret IS NOT NULL AND $2 = ANY(recovery_codes) RETURNING cardinality(recovery_codes)`, userID, hash).Scan(&left)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		ok = true
		return audit(ctx, tx, a, "use 2FA recovery code", "user", email, nil, map[string]int{"recovery_codes_left": left})
	})
	return left, ok, translate(err, "account")
}

// RecoveryCodesLeft counts an account's unused recovery codes.
func (db *DB) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `SELECT cardinality(recovery_codes) FROM users WHERE id = $1`, userID).Scan(&n)
	return n, translate(err, "account")
}

// EnableTwoFactor turns on two-factor sign-in for an account that has none, with the
// secret its first code confirmed (step, so that code is not accepted again) and the
// hashes of its recovery codes. The account's other sessions end (a session stolen before
// now must not outlive the new protection); the new session epoch is returned for the
// session that enrolled.
func (db *DB) EnableTwoFactor(ctx context.Context, a Actor, userID int64, email, secret string, step int64, recoveryHashes []string) (epoch int, err error) {
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE users SET totp_secret = $2, totp_last_step = $3, totp_enabled_at = now(), recovery_codes = $4,
			session_epoch = session_epoch + 1 WHERE id = $1 AND totp_secret IS NULL AND disabled_at IS NULL RETURNING session_epoch`,
			userID, secret, step, recoveryHashes).Scan(&epoch)
		if errors.Is(err, pgx.ErrNoRows) {
			return tracker.Errorf(tracker.ECONFLICT, "Two-factor sign-in is already on for this account.")
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, a, "enable 2FA", "user", email, nil, nil)
	})
	if tracker.ErrorCode(err) == tracker.ECONFLICT {
		return 0, err
	}
	return epoch, translate(err, "account")
}

// NewRecoveryCodes replaces an account's recovery codes with a fresh set (by hash).
func (db *DB) NewRecoveryCodes(ctx context.Context, a Actor, userID int64, email string, recoveryHashes []string) error {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET recovery_codes = $2 WHERE id = $1 AND totp_secret IS NOT NULL`, userID, recoveryHashes)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return pgx.ErrNoRows
		}
		return audit(ctx, tx, a, "new 2FA recovery codes", "user", email, nil, nil)
	})
	return translate(err, "account with two-factor sign-in")
}

// DisableTwoFactor turns off an account's two-factor sign-in (by email): its secret and
// recovery codes are forgotten and its sessions end. action names it in the audit log:
// the user's own "disable 2FA", or an administrator's "reset 2FA" for a lost phone. The
// new session epoch is returned.
func (db *DB) DisableTwoFactor(ctx context.Context, a Actor, email, action string) (epoch int, err error) {
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, recovery_codes = '{}', session_epoch = session_epoch + 1
			WHERE email = $1 AND totp_secret IS NOT NULL RETURNING session_epoch`, email).Scan(&epoch); err != nil {
			return err
		}
		return audit(ctx, tx, a, action, "user", email, nil, nil)
	})
	return epoch, translate(err, "account with two-factor sign-in")
}
