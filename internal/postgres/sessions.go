package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// SessionStore keeps alexedwards/scs sessions in PostgreSQL, so every app server sees the
// same sessions. It implements scs.Store and scs.CtxStore; the context versions are what
// scs calls, so session reads obey the request's deadline.
type SessionStore struct{ db *DB }

// Sessions returns the session store on this database.
func (db *DB) Sessions() *SessionStore { return &SessionStore{db: db} }

// FindCtx returns the data of an unexpired session.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	err := s.db.pool.QueryRow(ctx, `SELECT data FROM sessions WHERE token = $1 AND expiry > now()`, token).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, translate(err, "session")
	}
	return b, true, nil
}

// CommitCtx stores a session's data until expiry.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	_, err := s.db.pool.Exec(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry`, token, b, expiry)
	s.db.noteReadOnly(err)
	return translate(err, "session")
}

// DeleteCtx ends a session, and sweeps expired ones while it is there.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	b := &pgx.Batch{}
	b.Queue(`DELETE FROM sessions WHERE token = $1`, token)
	b.Queue(`DELETE FROM sessions WHERE expiry < now()`)
	return translate(s.db.pool.SendBatch(ctx, b).Close(), "session")
}

// Find is FindCtx without a deadline.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit is CommitCtx without a deadline.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete is DeleteCtx without a deadline.
func (s *SessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }
