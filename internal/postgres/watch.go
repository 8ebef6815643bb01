package postgres

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// WatcherApplicationName names the watcher's connection in pg_stat_activity.
const WatcherApplicationName = "whereas version watcher"

// versionChannel is the channel migration 0034 notifies with each new public data version.
const versionChannel = "whereas_data_version"

// The watcher checks its connection when no notification has come for watchIdle (a
// connection cut without a word would otherwise go unnoticed), gives each of its queries
// watchQueryTimeout, and waits between attempts to reconnect from watchBackoffMin,
// doubling up to watchBackoffMax.
var (
	watchIdle         = time.Second
	watchQueryTimeout = 3 * time.Second
	watchBackoffMin   = 50 * time.Millisecond
	watchBackoffMax   = 2 * time.Second
)

// watchedVersion is what the watcher knows, published as one value.
type watchedVersion struct {
	version int64
	lsn     LSN
	ok      bool
}

// versionWatcher keeps the public data version up to date from LISTEN/NOTIFY on one
// connection of its own (not one of the pool's, which serve pages).
type versionWatcher struct {
	config *pgx.ConnConfig
	state  atomic.Pointer[watchedVersion]
	heard  atomic.Int64 // highest version announced on the current connection
	stop   context.CancelFunc
	done   chan struct{}
	log    func(msg string, err error)

	mu      sync.Mutex
	changed chan struct{} // closed and replaced whenever state changes, for WaitVersion
}

// WatchVersion starts watching the public data version on a dedicated connection, so that
// WatchedVersion can answer without a round trip. It returns at once; the version is
// trusted once the watcher has connected, listened and read it. logf, if not nil, is told
// of each lost connection. Close stops the watcher. Calling it twice is a no-op.
func (db *DB) WatchVersion(logf func(msg string, err error)) {
	if db.watcher != nil {
		return
	}
	cfg := db.pool.Config().ConnConfig.Copy()
	cfg.RuntimeParams["application_name"] = WatcherApplicationName
	ctx, cancel := context.WithCancel(context.Background())
	w := &versionWatcher{config: cfg, stop: cancel, done: make(chan struct{}), log: logf, changed: make(chan struct{})}
	w.state.Store(&watchedVersion{})
	cfg.OnNotification = func(_ *pgconn.PgConn, n *pgconn.Notification) {
		if v, err := strconv.ParseInt(n.Payload, 10, 64); err == nil && n.Channel == versionChannel {
			for {
				old := w.heard.Load()
				if v <= old || w.heard.CompareAndSwap(old, v) {
					break
				}
			}
		}
	}
	db.watcher = w
	go w.run(ctx)
}

// WatchedVersion returns the public data version (DataVersion) as the version watcher
// last learnt it, without a round trip, and the primary's WAL position read after it
// learnt it, at or past the commit of the write that made this version. A read replica that has replayed
// up to lsn (pg_last_wal_replay_lsn() >= lsn) therefore shows the data of this version
// or a later one.
//
// ok is false when the version cannot be trusted: no watcher was started (WatchVersion),
// it has not yet connected, listened and read the version, or its connection was lost
// (false at once, until it has reconnected, listened again and read the version again).
// Then ask the database (DataVersion) instead. While ok is true, the version is at most a
// moment behind the database: notifications arrive at commit, and a connection that falls
// silent is checked within about a second.
func (db *DB) WatchedVersion() (version int64, lsn LSN, ok bool) {
	if db.watcher == nil {
		return 0, 0, false
	}
	s := db.watcher.state.Load()
	return s.version, s.lsn, s.ok
}

// Watching says whether a version watcher was started (WatchVersion), trusted or not.
func (db *DB) Watching() bool { return db.watcher != nil }

// WaitVersion returns once WatchedVersion answers ok with a version of at least min, or
// when ctx is done, for tests and benchmarks that measure how soon a change is learnt.
func (db *DB) WaitVersion(ctx context.Context, min int64) (int64, error) {
	if db.watcher == nil {
		return 0, errors.New("no version watcher")
	}
	for {
		db.watcher.mu.Lock()
		ch := db.watcher.changed
		db.watcher.mu.Unlock()
		if s := db.watcher.state.Load(); s.ok && s.version >= min {
			return s.version, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

func (w *versionWatcher) publish(s watchedVersion) {
	w.state.Store(&s)
	w.mu.Lock()
	close(w.changed)
	w.changed = make(chan struct{})
	w.mu.Unlock()
}

// close stops the watcher and waits for it to let go of its connection.
func (w *versionWatcher) close() {
	w.stop()
	<-w.done
}

// run connects, listens and follows the version until ctx is done, starting over after a
// lost connection; the version is untrusted from the moment the connection fails until
// it has been read again on a new one.
func (w *versionWatcher) run(ctx context.Context) {
	defer close(w.done)
	backoff := watchBackoffMin
	for ctx.Err() == nil {
		err := w.follow(ctx)
		if s := w.state.Load(); s.ok {
			w.publish(watchedVersion{version: s.version, lsn: s.lsn})
			backoff = watchBackoffMin // the connection worked: try again soon
		}
		if ctx.Err() != nil {
			return
		}
		if w.log != nil {
			w.log("data version watcher lost its connection; pages ask the database until it is back", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, watchBackoffMax)
	}
}

// follow runs one connection: LISTEN, read the version, then wait for notifications,
// reading the version and WAL position again after each, or after watchIdle of silence.
// It returns the error that ended the connection.
func (w *versionWatcher) follow(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, watchQueryTimeout)
	conn, err := pgx.ConnectConfig(cctx, w.config)
	cancel()
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	w.heard.Store(0)
	qctx, cancel := context.WithTimeout(ctx, watchQueryTimeout)
	defer cancel()
	var hasTrigger bool
	if err := conn.QueryRow(qctx, `SELECT to_regproc('whereas_notify_data_version') IS NOT NULL`).Scan(&hasTrigger); err != nil {
		return err
	}
	if !hasTrigger {
		return errors.New("the database sends no data version notifications (migration 34 is not applied)")
	}
	if _, err := conn.Exec(qctx, "LISTEN "+versionChannel); err != nil {
		return err
	}
	if err := w.read(ctx, conn, true); err != nil {
		return err
	}
	for {
		wctx, cancel := context.WithTimeout(ctx, watchIdle)
		err := conn.PgConn().WaitForNotification(wctx)
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil && !pgconn.Timeout(err) {
			return err
		}
		// A notification, or a silence long enough to check that the connection lives.
		if err := w.read(ctx, conn, false); err != nil {
			return err
		}
	}
}

// read reads the version and the WAL position in one statement (the insert position, as
// WALPosition reads it, so that commits made with synchronous_commit off count; it is read
// after the snapshot is taken, so it is at or past the commit of the version read), and
// publishes them if the version is new or fresh is set. It reads again while
// notifications heard meanwhile announce a later version.
func (w *versionWatcher) read(ctx context.Context, conn *pgx.Conn, fresh bool) error {
	for range 3 { // a bound, should the database go back to an older version
		var v, lsn int64
		qctx, cancel := context.WithTimeout(ctx, watchQueryTimeout)
		err := conn.QueryRow(qctx, "SELECT (SELECT version FROM data_version), ("+walPositionSQL+")").Scan(&v, &lsn)
		cancel()
		if err != nil {
			return err
		}
		if s := w.state.Load(); fresh || !s.ok || v > s.version {
			w.publish(watchedVersion{version: v, lsn: LSN(lsn), ok: true})
		}
		fresh = false
		if w.heard.Load() <= v {
			return nil
		}
	}
	return nil
}
