package postgres

import (
	"context"
	"sync"
	"time"
)

// API tokens' last use (api_tokens.last_used_at) is not written on every request: a
// request checked by token would then be a write, and every API read would need the
// primary and a commit. UserForToken reads the token on the primary and notes the use
// here; the uses are written to the primary in one statement every Config.TokenFlush
// (15 s by default) and when the server stops, so a token's last use shown on
// /staff/tokens is that precise on other servers (this server shows its own uses at once).

// tokenUses holds the latest use of each token, by token id, not yet written.
type tokenUses struct {
	mu   sync.Mutex
	last map[int64]time.Time
}

func newTokenUses() *tokenUses { return &tokenUses{last: map[int64]time.Time{}} }

// note records a use of token id at at.
func (u *tokenUses) note(id int64, at time.Time) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if at.After(u.last[id]) {
		u.last[id] = at
	}
}

// pending returns the latest use of token id not yet written, if any.
func (u *tokenUses) pending(id int64) (time.Time, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	at, ok := u.last[id]
	return at, ok
}

// take empties the uses held and returns them.
func (u *tokenUses) take() map[int64]time.Time {
	u.mu.Lock()
	defer u.mu.Unlock()
	taken := u.last
	u.last = map[int64]time.Time{}
	return taken
}

// FlushTokenUses writes the API tokens' last uses held in memory to the primary. A use is
// never written over a later one (another server's), nor after the token expired.
func (db *DB) FlushTokenUses(ctx context.Context) error {
	uses := db.tokens.take()
	if len(uses) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(uses))
	ats := make([]time.Time, 0, len(uses))
	for id, at := range uses {
		ids = append(ids, id)
		ats = append(ats, at)
	}
	_, err := db.pool.Exec(ctx, `UPDATE api_tokens t SET last_used_at = u.at
		FROM unnest($1::int8[], $2::timestamptz[]) AS u(id, at)
		WHERE t.id = u.id AND t.expires_at > u.at AND (t.last_used_at IS NULL OR t.last_used_at < u.at)`, ids, ats)
	if err != nil {
		// Put them back for the next try, unless newer uses came meanwhile.
		for id, at := range uses {
			db.tokens.note(id, at)
		}
	}
	db.noteReadOnly(err)
	return translate(err, "API token uses")
}

// flushTokenUsesEvery writes the tokens' uses every interval until ctx ends.
func (db *DB) flushTokenUsesEvery(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			// A failed write keeps the uses for the next one.
			fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			_ = db.FlushTokenUses(fctx)
			cancel()
		}
	}
}
