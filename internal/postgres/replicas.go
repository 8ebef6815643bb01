package postgres

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Read replicas (WHEREAS_REPLICA_URL). The primary takes every write, transaction, session
// and token check; a read goes to a replica only when its request's context says it may
// (ReplicaReads, which the server sets for anonymous GET and HEAD requests), and then only
// to a replica that is up, lags at most Config.ReplicaMaxLag, and has replayed the
// position the request needs (NeedReplayed: the client's own last write, the data version
// a cached page is filed under). Otherwise the primary answers. A monitor polls every
// replica; see pollReplicas for how lag is measured.

// LSN is a position in the primary's write-ahead log (a pg_lsn), as a byte offset. Zero is
// "no position": every replica has replayed it.
type LSN uint64

// String writes the position as PostgreSQL does: "16/B374D848".
func (l LSN) String() string { return fmt.Sprintf("%X/%X", uint64(l)>>32, uint32(l)) }

// ParseLSN reads a position written as PostgreSQL (and String) writes it.
func ParseLSN(s string) (LSN, error) {
	hi, lo, ok := strings.Cut(s, "/")
	h, err1 := strconv.ParseUint(hi, 16, 32)
	l, err2 := strconv.ParseUint(lo, 16, 32)
	if !ok || err1 != nil || err2 != nil {
		return 0, fmt.Errorf("not a WAL position: %q", s)
	}
	return LSN(h<<32 | l), nil
}

// walPositionSQL is the primary's position after everything written so far, commits made
// with synchronous_commit off included (the insert position, not the write position,
// which may still be short of a commit that has returned). A replica that has replayed
// this far holds every change committed before it was read. The insert position counts
// the header of a WAL page no record has reached yet, which a replica never "replays":
// on an idle primary after a page or segment boundary it would wait for it forever, so
// a position just past a page header is read as the boundary before it (no record ends
// inside a page header).
const walPositionSQL = `SELECT CASE WHEN p % 8192 = 24 OR p % pg_size_bytes(current_setting('wal_segment_size')) = 40 THEN p - p % 8192 ELSE p END
	FROM (SELECT (pg_current_wal_insert_lsn() - '0/0')::int8 AS p) AS x`

// replayedSQL asks a replica whether it is a standby and how far it has replayed.
const replayedSQL = `SELECT pg_is_in_recovery(), COALESCE((pg_last_wal_replay_lsn() - '0/0')::int8, 0)`

// WALPosition returns the primary's current WAL position: after a write commits, the
// position a replica must replay before it shows that write (read-your-writes).
func (db *DB) WALPosition(ctx context.Context) (LSN, error) {
	var p int64
	err := db.pool.QueryRow(ctx, walPositionSQL).Scan(&p)
	return LSN(p), translate(err, "WAL position")
}

// HasReplicas says whether reads may go to replicas at all.
func (db *DB) HasReplicas() bool { return len(db.replicas) > 0 }

// replica is one read replica and what the monitor last learnt of it.
type replica struct {
	name  string // host:port/database, for logs and metrics (no password)
	pool  *pgxpool.Pool
	state atomic.Pointer[replicaState]
}

// replicaState is the outcome of one poll of a replica.
type replicaState struct {
	up       bool          // answered, and is a standby
	replayed LSN           // how far it had replayed
	lag      time.Duration // how far behind the primary it was (see pollReplicas)
	behind   bool          // behind every primary position kept: lag is at least lag
	problem  string        // why it is not up: for the log, never shown to visitors
	checked  time.Time
}

// ReplicaStatus is what the monitor knows of one replica, for /metrics and tests.
type ReplicaStatus struct {
	Name     string        // host:port/database
	Up       bool          // answered the last poll and is a standby
	Lag      time.Duration // behind the primary at the last poll (0: had replayed all the primary had written)
	Usable   bool          // up and lagging at most the maximum: reads may go to it
	Replayed LSN           // how far it had replayed at the last poll
	Checked  time.Time     // when it was last polled (zero before the first poll)
}

// Replicas reports every replica's state as of the monitor's last poll, in the order of
// WHEREAS_REPLICA_URL.
func (db *DB) Replicas() []ReplicaStatus {
	out := make([]ReplicaStatus, 0, len(db.replicas))
	for _, r := range db.replicas {
		st := r.state.Load()
		out = append(out, ReplicaStatus{Name: r.name, Up: st.up, Lag: st.lag, Usable: db.usable(st, 0),
			Replayed: st.replayed, Checked: st.checked})
	}
	return out
}

// usable says whether a replica in state st may answer a read that needs position after.
func (db *DB) usable(st *replicaState, after LSN) bool {
	return st.up && !st.behind && st.lag <= db.maxLag && st.replayed >= after
}

// replicaName names a replica by its address and database, leaving out any password.
func replicaName(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil && u.Host != "" {
		return u.Host + u.Path
	}
	if c, err := pgconn.ParseConfig(rawURL); err == nil {
		return fmt.Sprintf("%s:%d/%s", c.Host, c.Port, c.Database)
	}
	return "replica"
}

// readKey marks a context whose reads a replica may answer.
type readKey struct{}

// replicaRead is a request's permission to read from a replica that has replayed at
// least after, and the choice made at its first read, kept for the rest of the request
// so that its reads never go back in time (a second replica may be behind the first).
type replicaRead struct {
	after LSN

	mu     sync.Mutex
	picked bool
	chosen *replica // nil: the primary
}

// choose makes the request's choice at its first read and returns it after.
func (m *replicaRead) choose(db *DB, ctx context.Context) *replica {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.picked {
		m.chosen, m.picked = db.pickReplica(ctx, m.after), true
	}
	return m.chosen
}

// ReplicaReads lets the reads made with ctx go to a replica that has replayed at least
// after (0 for any usable replica); a context that already allows them keeps the larger
// of the two positions. Writes, transactions, sessions and token checks ignore it.
func ReplicaReads(ctx context.Context, after LSN) context.Context {
	if m, ok := ctx.Value(readKey{}).(*replicaRead); ok {
		after = max(after, m.after)
	}
	return context.WithValue(ctx, readKey{}, &replicaRead{after: after})
}

// NeedReplayed raises the position a replica must have replayed to answer ctx's reads to
// at least pos: for a page filed under a data version learnt at pos. When a replica was
// already chosen and is not known to have replayed pos, the request's further reads go to
// the primary, which is ahead of every replica. It does nothing to a context whose reads
// go to the primary.
func NeedReplayed(ctx context.Context, pos LSN) {
	m, ok := ctx.Value(readKey{}).(*replicaRead)
	if !ok {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.after = max(m.after, pos)
	if m.picked && m.chosen != nil && m.chosen.state.Load().replayed < pos {
		m.chosen = nil
	}
}

// ReadFrom says which server answered ctx's reads: "primary", a replica's name, or ""
// when the request has read nothing yet.
func ReadFrom(ctx context.Context) string {
	m, ok := ctx.Value(readKey{}).(*replicaRead)
	if !ok {
		return "primary"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case !m.picked:
		return ""
	case m.chosen == nil:
		return "primary"
	}
	return m.chosen.name
}

// querier is what a read needs of a pool; the primary's and every replica's pools have it.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// read returns where a read made with ctx runs: a usable replica when ctx allows one and
// one has replayed what the request needs, the primary otherwise. Every read that public
// pages and API answers make goes through it; writes and anything about accounts,
// sessions or tokens use db.pool, the primary, directly.
func (db *DB) read(ctx context.Context) querier {
	m, ok := ctx.Value(readKey{}).(*replicaRead)
	if !ok || len(db.replicas) == 0 {
		return db.pool
	}
	if r := m.choose(db, ctx); r != nil {
		return r.pool
	}
	return db.pool
}

// pickReplica chooses a usable replica that has replayed after, taking turns among them;
// nil when there is none. A replica whose pool cannot give a connection now (stopped since
// the last poll) is marked down and the next is tried, so a stopped replica costs no error.
func (db *DB) pickReplica(ctx context.Context, after LSN) *replica {
	n := len(db.replicas)
	start := int(db.turn.Add(1))
	for i := range n {
		r := db.replicas[(start+i)%n]
		st := r.state.Load()
		if !db.usable(st, after) {
			continue
		}
		c, err := r.pool.Acquire(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			down := *st
			down.up, down.problem = false, err.Error()
			r.state.CompareAndSwap(st, &down)
			continue
		}
		c.Release()
		return r
	}
	return nil
}

// primarySample is the primary's WAL position at one poll.
type primarySample struct {
	at  time.Time
	pos LSN
}

// monitorReplicas polls every replica each interval until ctx ends.
func (db *DB) monitorReplicas(ctx context.Context, interval time.Duration) {
	var history []primarySample
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		history = db.pollReplicas(ctx, history, interval)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// pollReplicas reads the primary's WAL position, then each replica's replay position, and
// records each replica's state; it returns the primary's positions still needed.
//
// Lag is measured against the primary's positions, never against the time of the last
// transaction replayed (now() - pg_last_xact_replay_timestamp() grows without end while
// the primary is idle, though the replica lacks nothing). A replica that has replayed the
// position the primary had at this poll has lag 0; otherwise its lag is how long ago the
// primary was last seen at a position the replica has replayed: it holds every change
// committed until then, and may lack any made since. A replica behind every position
// kept (they go back a little more than the maximum lag) lags at least that long.
func (db *DB) pollReplicas(ctx context.Context, history []primarySample, interval time.Duration) []primarySample {
	timeout := max(interval*4, time.Second)
	pctx, cancel := context.WithTimeout(ctx, timeout)
	pos, perr := db.WALPosition(pctx)
	cancel()
	now := time.Now()
	if perr == nil {
		history = append(history, primarySample{at: now, pos: pos})
	}
	for len(history) > 1 && now.Sub(history[1].at) > db.maxLag+2*interval {
		history = history[1:]
	}
	var wg sync.WaitGroup
	for _, r := range db.replicas {
		wg.Go(func() {
			rctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			var standby bool
			var replayed int64
			err := r.pool.QueryRow(rctx, replayedSQL).Scan(&standby, &replayed)
			st := &replicaState{checked: time.Now(), replayed: LSN(replayed)}
			switch {
			case err != nil:
				st.problem = err.Error()
			case !standby:
				st.problem = "not a standby (promoted, or not a replica): its data may differ from the primary's"
			case perr != nil:
				st.problem = "the primary's position is unknown: " + perr.Error()
			default:
				st.up = true
				st.lag, st.behind = replicaLag(history, st.replayed, now)
			}
			if ctx.Err() == nil {
				r.state.Store(st)
			}
		})
	}
	wg.Wait()
	return history
}

// replicaLag is how far behind the primary a replica that has replayed up to replayed is,
// given the primary's positions (oldest first, the last one read at now). behind says the
// replica had not replayed even the oldest, so that it lags at least lag: more than the
// maximum once the monitor has run that long, and unknown until then.
func replicaLag(history []primarySample, replayed LSN, now time.Time) (lag time.Duration, behind bool) {
	for i := len(history) - 1; i >= 0; i-- {
		if history[i].pos <= replayed {
			if i == len(history)-1 {
				return 0, false
			}
			return now.Sub(history[i].at), false
		}
	}
	if len(history) == 0 {
		return 0, true
	}
	return now.Sub(history[0].at), true
}
