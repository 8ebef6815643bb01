// Package postgres holds every SQL statement Whereas runs, the pgx types it uses, and the
// migration runner. Callers see tracker types and tracker errors only: no pgx type leaves
// this package, pgx.ErrNoRows becomes ENOTFOUND and a unique violation ECONFLICT.
package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-migrate/migrate/v4"
	"github.com/golang-migrate/migrate/v4/database"
	pgxmigrate "github.com/golang-migrate/migrate/v4/database/pgx/v5"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/migrations"
)

// Config tunes the connection pools.
type Config struct {
	MaxConns         int32         // pool size (each replica's too); 0 keeps pgx's default
	StatementTimeout time.Duration // server-side cap on each statement; 0 for none
	ReplicaURLs      []string      // read replicas of the primary (WHEREAS_REPLICA_URL); none by default
	ReplicaMaxLag    time.Duration // a replica further behind the primary is skipped; 0 means 5s
	ReplicaPoll      time.Duration // how often the monitor polls the replicas; 0 means 200ms
	TokenFlush       time.Duration // how often API tokens' last use is written; 0 means 15s
}

// DB is Whereas's storage: a pgx pool on the primary, pools on its read replicas, and the
// queries run on them.
type DB struct {
	pool     *pgxpool.Pool // the primary: every write, and every read not marked for a replica
	replicas []*replica
	maxLag   time.Duration
	turn     atomic.Uint32 // which usable replica takes the next request
	// versionSeen is the newest data version read and where the primary was then (see
	// DataVersionAt).
	versionSeen atomic.Pointer[versionAt]
	tokens      *tokenUses
	stop        context.CancelFunc // ends the replica monitor and the token flusher
	done        sync.WaitGroup
	watcher     *versionWatcher // nil until WatchVersion
}

// Open connects a pool to the database at databaseURL, and one to each replica. It does
// not wait for the servers: a pool dials on first use, so a server that starts before its
// database still starts.
func Open(ctx context.Context, databaseURL string, cfg Config) (*DB, error) {
	pool, err := openPool(ctx, databaseURL, cfg, "DATABASE_URL")
	if err != nil {
		return nil, err
	}
	db := &DB{pool: pool, maxLag: cfg.ReplicaMaxLag, tokens: newTokenUses()}
	if db.maxLag <= 0 {
		db.maxLag = 5 * time.Second
	}
	for _, u := range cfg.ReplicaURLs {
		rp, err := openPool(ctx, u, cfg, "WHEREAS_REPLICA_URL")
		if err != nil {
			db.Close()
			return nil, err
		}
		r := &replica{name: replicaName(u), pool: rp}
		r.state.Store(&replicaState{problem: "not polled yet"})
		db.replicas = append(db.replicas, r)
	}
	bg, stop := context.WithCancel(context.WithoutCancel(ctx))
	db.stop = stop
	if len(db.replicas) > 0 {
		poll := cfg.ReplicaPoll
		if poll <= 0 {
			poll = 200 * time.Millisecond
		}
		db.done.Go(func() { db.monitorReplicas(bg, poll) })
	}
	flush := cfg.TokenFlush
	if flush <= 0 {
		flush = 15 * time.Second
	}
	db.done.Go(func() { db.flushTokenUsesEvery(bg, flush) })
	return db, nil
}

// openPool connects a pool to one server with the settings every connection gets.
func openPool(ctx context.Context, databaseURL string, cfg Config, variable string) (*pgxpool.Pool, error) {
	pc, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", variable, err)
	}
	if cfg.MaxConns > 0 {
		pc.MaxConns = cfg.MaxConns
	}
	if cfg.StatementTimeout > 0 {
		pc.ConnConfig.RuntimeParams["statement_timeout"] = fmt.Sprint(cfg.StatementTimeout.Milliseconds())
	}
	// How close a name must be to count as a typo of the query (pg_trgm's % and <%).
	pc.ConnConfig.RuntimeParams["pg_trgm.similarity_threshold"] = "0.3"
	pc.ConnConfig.RuntimeParams["pg_trgm.word_similarity_threshold"] = "0.6"
	// JIT compiling pays off for long analytic queries, never for a page's: on a large
	// database it added hundreds of milliseconds to queries whose estimated cost crossed
	// its threshold.
	pc.ConnConfig.RuntimeParams["jit"] = "off"
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("open pool: %w", err)
	}
	return pool, nil
}

// Close stops the version watcher, if any, and the replica monitor, writes the API
// tokens' last uses still held, and releases every connection.
func (db *DB) Close() {
	if db.watcher != nil {
		db.watcher.close()
	}
	if db.stop != nil {
		db.stop()
		db.done.Wait()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	_ = db.FlushTokenUses(ctx)
	cancel()
	for _, r := range db.replicas {
		r.pool.Close()
	}
	db.pool.Close()
}

// Ping checks that the database answers, for /readyz.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return unavailable(err)
	}
	return nil
}

// ErrReadOnly is Ready's answer for a database that answers but takes no writes.
var ErrReadOnly = errors.New("the database is read-only")

// Ready checks that the database answers and takes writes, for /readyz: a pooled
// connection answers, and a new connection, opened as the pool would open one now, is not
// read-only (a standby, or default_transaction_read_only set for the server, the database
// or the role: such settings reach new connections only, so a pooled one cannot tell).
func (db *DB) Ready(ctx context.Context) error {
	if err := db.Ping(ctx); err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, db.pool.Config().ConnConfig.Copy())
	if err != nil {
		return unavailable(err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var readOnly bool
	if err := conn.QueryRow(ctx, `SELECT current_setting('transaction_read_only')::boolean`).Scan(&readOnly); err != nil {
		return translate(err, "readiness")
	}
	if readOnly {
		return &unavailableError{cause: ErrReadOnly, message: "The database is read-only."}
	}
	return nil
}

// PoolStat is one connection pool's statistics, for /metrics.
type PoolStat struct {
	Name                         string // "primary", or "replica HOST:PORT/DB"
	Idle, Acquired, Constructing int32
	Max                          int32
	Acquires, Waits, Cancels     int64
	WaitTime                     time.Duration
}

// PoolStats reports every pool the server reads or writes through: the primary's, then
// each replica's (named "replica HOST:PORT/DB").
func (db *DB) PoolStats() []PoolStat {
	out := []PoolStat{poolStat("primary", db.pool)}
	for _, r := range db.replicas {
		out = append(out, poolStat("replica "+r.name, r.pool))
	}
	return out
}

func poolStat(name string, p *pgxpool.Pool) PoolStat {
	st := p.Stat()
	return PoolStat{Name: name, Idle: st.IdleConns(), Acquired: st.AcquiredConns(), Constructing: st.ConstructingConns(),
		Max: st.MaxConns(), Acquires: st.AcquireCount(), Waits: st.EmptyAcquireCount(), Cancels: st.CanceledAcquireCount(),
		WaitTime: st.EmptyAcquireWaitTime()}
}

// Select1 runs the cheapest query there is, for the benchmark's ceiling.
func (db *DB) Select1(ctx context.Context) error {
	var one int
	return translate(db.pool.QueryRow(ctx, "SELECT 1").Scan(&one), "select 1")
}

// DataVersion returns the public data version: the counter that moves whenever the data
// changes in a way the public can observe, and only then (an edit of internal notes alone
// leaves it). Public pages, API answers and exports rendered at one version stay current
// until it changes; staff-only views must not be keyed by it. See migration 0017.
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.pool.QueryRow(ctx, "SELECT version FROM data_version").Scan(&v)
	return v, translate(err, "data version")
}

// DataVersionAt is DataVersion with a WAL position of the primary at which that version
// was already current: a page filed under the version must be rendered from a replica
// that has replayed at least that far (NeedReplayed), or from the primary. It is the
// position at which this server first read the version, not the position now, which
// moves with every write to any database of the primary's cluster (sessions included):
// the data of the version was there at the first position, and a replica passes that
// once, instead of chasing the primary. Without replicas the position is 0 and not asked
// for. While the version watcher is sure of the version (WatchedVersion), its version and
// position are the answer, with no round trip.
func (db *DB) DataVersionAt(ctx context.Context) (int64, LSN, error) {
	if v, pos, ok := db.WatchedVersion(); ok {
		return v, pos, nil
	}
	if len(db.replicas) == 0 {
		v, err := db.DataVersion(ctx)
		return v, 0, err
	}
	var v, pos int64
	err := db.pool.QueryRow(ctx, "SELECT (SELECT version FROM data_version), ("+walPositionSQL+")").Scan(&v, &pos)
	if err != nil {
		return 0, 0, translate(err, "data version")
	}
	for {
		seen := db.versionSeen.Load()
		switch {
		case seen != nil && seen.version == v:
			return v, seen.pos, nil
		case seen != nil && seen.version > v:
			return v, LSN(pos), nil // read before a newer one was seen: nothing to remember
		case db.versionSeen.CompareAndSwap(seen, &versionAt{version: v, pos: LSN(pos)}):
			return v, LSN(pos), nil
		}
	}
}

// versionAt is a public data version and a primary WAL position at which it was current.
type versionAt struct {
	version int64
	pos     LSN
}

// DataChangedAt is when the data last changed as the public sees it, for public dossiers
// and exports: it moves with DataVersion.
func (db *DB) DataChangedAt(ctx context.Context) (time.Time, error) {
	var t time.Time
	err := db.read(ctx).QueryRow(ctx, "SELECT changed_at FROM data_version").Scan(&t)
	return t, translate(err, "data version")
}

// StaffDataChangedAt is when the data last changed, staff-only fields included, for
// internal dossiers.
func (db *DB) StaffDataChangedAt(ctx context.Context) (time.Time, error) {
	var t time.Time
	err := db.read(ctx).QueryRow(ctx, "SELECT staff_changed_at FROM data_version").Scan(&t)
	return t, translate(err, "data version")
}

// PersonSlugs calls fn with every person's slug in order, a page at a time, so a bulk
// export holds one page of slugs in memory however many people there are.
func (db *DB) PersonSlugs(ctx context.Context, fn func(slug string) error) error {
	after := ""
	for {
		rows, _ := db.read(ctx).Query(ctx, `SELECT slug FROM people WHERE slug > $1 AND retired_at IS NULL ORDER BY slug LIMIT 200`, after)
		slugs, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return translate(err, "people")
		}
		for _, s := range slugs {
			if err := fn(s); err != nil {
				return err
			}
		}
		if len(slugs) < 200 {
			return nil
		}
		after = slugs[len(slugs)-1]
	}
}

// migrator builds a golang-migrate instance over the embedded migrations. golang-migrate's
// pgx/v5 driver registers the pgx5:// scheme, so postgres:// URLs are rewritten.
func migrator(databaseURL string) (*migrate.Migrate, error) {
	return migratorFS(migrations.FS, databaseURL)
}

// migratorFS is migrator over any set of NNNN_name.up.sql / .down.sql files, so tests can
// run migrations made to fail.
func migratorFS(fsys fs.FS, databaseURL string) (*migrate.Migrate, error) {
	u, err := url.Parse(databaseURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql" && u.Scheme != "pgx5") {
		return nil, tracker.Errorf(tracker.EINVALID, "DATABASE_URL must be a postgres:// URL")
	}
	u.Scheme = "pgx5"
	src, err := iofs.New(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read embedded migrations: %w", err)
	}
	drv, err := (&pgxmigrate.Postgres{}).Open(u.String())
	if err != nil {
		_ = src.Close()
		return nil, fmt.Errorf("connect for migrations: %w", err)
	}
	m, err := migrate.NewWithInstance("iofs", src, "pgx5", &atomicMigrations{Driver: drv})
	if err != nil {
		_ = src.Close()
		_ = drv.Close()
		return nil, fmt.Errorf("connect for migrations: %w", err)
	}
	return m, nil
}

// atomicMigrations commits each migration together with the version that records it.
//
// golang-migrate marks the version dirty, runs the migration, then marks it clean: three
// commits. The pgx5 driver sends a migration file as one simple-protocol query, which
// PostgreSQL runs as one implicit transaction, so the file itself is all or nothing; but
// a kill between its commit and the last mark left "version N dirty" although N had
// committed (golang-migrate issue #325). Here the dirty mark is not written; the version
// row is rewritten by statements appended to the migration's own query, in its
// transaction. A kill or a failure part-way leaves the previous version, clean, and
// nothing of the migration: `whereas migrate up` simply runs it again.
//
// This holds as long as no migration file manages transactions itself (BEGIN, COMMIT,
// CREATE INDEX CONCURRENTLY): TestMigrationFilesAreAtomic checks that.
type atomicMigrations struct {
	database.Driver
	target *int // the version announced for the migration about to run
}

// migrationsTable is golang-migrate's default version table, which migrator keeps.
const migrationsTable = `"schema_migrations"`

func (d *atomicMigrations) SetVersion(version int, dirty bool) error {
	if dirty {
		d.target = &version // written by Run, with the migration
		return nil
	}
	d.target = nil
	return d.Driver.SetVersion(version, false)
}

func (d *atomicMigrations) Run(migration io.Reader) error {
	body, err := io.ReadAll(migration)
	if err != nil {
		return err
	}
	if d.target != nil {
		body = append(body, "\n;\nTRUNCATE "+migrationsTable+";\n"...)
		if v := *d.target; v >= 0 {
			body = append(body, fmt.Sprintf("INSERT INTO %s (version, dirty) VALUES (%d, false);\n", migrationsTable, v)...)
		}
	}
	return d.Driver.Run(bytes.NewReader(body))
}

// DirtyError is a database whose migration version is marked dirty: a migration was
// interrupted or failed under an older whereas, which recorded versions apart from the
// migration. Whereas will not guess whether it applied; the operator checks and forces.
type DirtyError struct {
	Version  uint   // the migration marked dirty
	File     string // its file, e.g. 0007_current_status.up.sql
	Previous uint   // the migration before it (0: none), to force when it is not there
}

// NewDirtyError describes a database marked dirty at version.
func NewDirtyError(version uint) *DirtyError {
	e := &DirtyError{Version: version, File: MigrationFile(version)}
	for _, v := range Migrations() {
		if v < version {
			e.Previous = v
		}
	}
	return e
}

func (e *DirtyError) Error() string {
	return fmt.Sprintf(`the database is marked dirty at migration %[1]d (%[2]s): a run of it was interrupted or failed, and Whereas will not guess whether it was applied.
Each migration runs in one transaction, so it is either all there or not at all. Check whether what it creates exists
(the README's "Recovering from a dirty migration" names one thing per migration; "whereas migrate show %[1]d" prints its SQL):
  if it exists:         whereas migrate force %[1]d
  if it does not exist: whereas migrate force %[3]d && whereas migrate up`, e.Version, e.File, e.Previous)
}

// dirty turns golang-migrate's dirty error into a DirtyError naming the file.
func dirty(err error) error {
	var d migrate.ErrDirty
	if errors.As(err, &d) && d.Version >= 0 {
		return NewDirtyError(uint(d.Version))
	}
	return err
}

// Migrations lists the versions of the embedded migrations, in order.
func Migrations() []uint {
	var out []uint
	for _, e := range migrationEntries() {
		out = append(out, e.version)
	}
	return out
}

// MigrationFile names the embedded up file of a version ("" if there is none).
func MigrationFile(version uint) string {
	for _, e := range migrationEntries() {
		if e.version == version {
			return e.file
		}
	}
	return ""
}

// MigrationSQL returns the SQL of an embedded migration, up or down.
func MigrationSQL(version uint, up bool) (string, error) {
	file := MigrationFile(version)
	if file == "" {
		return "", tracker.Errorf(tracker.ENOTFOUND, "There is no migration %d.", version)
	}
	if !up {
		file = strings.TrimSuffix(file, ".up.sql") + ".down.sql"
	}
	b, err := fs.ReadFile(migrations.FS, file)
	return string(b), err
}

type migrationEntry struct {
	version uint
	file    string
}

func migrationEntries() []migrationEntry {
	files, _ := fs.Glob(migrations.FS, "*.up.sql")
	var out []migrationEntry
	for _, f := range files {
		n, _, ok := strings.Cut(f, "_")
		if v, err := strconv.ParseUint(n, 10, 32); ok && err == nil {
			out = append(out, migrationEntry{uint(v), f})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out
}

// MigrateUp applies every pending migration; it is a no-op on an up-to-date database. A
// dirty database is refused with a *DirtyError that says what to check and run.
func MigrateUp(databaseURL string) error {
	return migrateUpFS(migrations.FS, databaseURL)
}

func migrateUpFS(fsys fs.FS, databaseURL string) error {
	m, err := migratorFS(fsys, databaseURL)
	if err != nil {
		return err
	}
	defer m.Close()
	if err := m.Up(); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return fmt.Errorf("migrate up: %w", dirty(err))
	}
	return nil
}

// MigrateDown reverts n migrations, or all of them when n is 0.
func MigrateDown(databaseURL string, n int) error {
	m, err := migrator(databaseURL)
	if err != nil {
		return err
	}
	defer m.Close()
	if n == 0 {
		err = m.Down()
	} else {
		err = m.Steps(-n)
	}
	if err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return fmt.Errorf("migrate down: %w", dirty(err))
	}
	return nil
}

// MigrateForce records version as applied and clean without running anything (0: none
// applied), for an operator who has checked what a dirty migration left. Only versions
// this binary knows are accepted.
func MigrateForce(databaseURL string, version uint) error {
	if version != 0 && MigrationFile(version) == "" {
		known := Migrations()
		return tracker.Errorf(tracker.EINVALID, "There is no migration %d in this binary: give 0 (none applied) or a version from 1 to %d.", version, known[len(known)-1])
	}
	m, err := migrator(databaseURL)
	if err != nil {
		return err
	}
	defer m.Close()
	v := int(version)
	if version == 0 {
		v = database.NilVersion
	}
	if err := m.Force(v); err != nil {
		return fmt.Errorf("migrate force: %w", err)
	}
	return nil
}

// MigrateVersion reports the applied version (0 when none) and whether a failed
// migration left the schema dirty.
func MigrateVersion(databaseURL string) (version uint, dirty bool, err error) {
	m, err := migrator(databaseURL)
	if err != nil {
		return 0, false, err
	}
	defer m.Close()
	version, dirty, err = m.Version()
	if errors.Is(err, migrate.ErrNilVersion) {
		return 0, false, nil
	}
	return version, dirty, err
}

// translate turns pgx and PostgreSQL errors into tracker errors where they mean something
// to a user, and wraps the rest with what was being done. It is the one place that decides
// which database failures are the database being unavailable (503, try again) rather than
// a fault of this program (500).
func translate(err error, what string) error {
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, pgx.ErrNoRows):
		return tracker.Errorf(tracker.ENOTFOUND, "No %s was found at this address.", what)
	case errors.As(err, &pgErr) && pgErr.Code == "23505":
		return tracker.Errorf(tracker.ECONFLICT, "That %s already exists.", what)
	case errors.As(err, &pgErr) && pgErr.Code == "25006":
		return &unavailableError{cause: err, message: "Changes cannot be saved at the moment: the database is read-only, for maintenance. Please try again later."}
	case isUnavailable(err):
		return unavailable(err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// unavailable marks an error as the database being out of reach, so users get a 503 that
// says so, and the wrapped cause still reaches the log.
func unavailable(err error) error {
	return &unavailableError{cause: err}
}

type unavailableError struct {
	cause   error
	message string // for users; "" for the general one
}

func (e *unavailableError) Error() string { return "database unavailable: " + e.cause.Error() }
func (e *unavailableError) Unwrap() []error {
	msg := e.message
	if msg == "" {
		msg = "The database is not answering. Please try again in a moment."
	}
	return []error{e.cause, tracker.Errorf(tracker.EUNAVAILABLE, "%s", msg)}
}

// isUnavailable says whether err means the database cannot serve now, for a while,
// through no fault of the request: a statement cut by statement_timeout or a lock wait cut
// by lock_timeout, a read on a replica cancelled by what it replays, a read-only database,
// a full disk or exhausted memory or connections, a connection lost, refused or shut
// down, and a connection not had from the pool in time.
func isUnavailable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case strings.HasPrefix(pgErr.Code, "08"): // connection exception
			return true
		case strings.HasPrefix(pgErr.Code, "53"): // insufficient resources: disk full (53100), out of memory, too many connections
			return true
		}
		switch pgErr.Code {
		case "57014", // query_canceled: statement_timeout
			"55P03",                   // lock_not_available: lock_timeout
			"25006",                   // read_only_sql_transaction
			"57P01", "57P02", "57P03", // admin shutdown, crash shutdown, cannot connect now
			"58030", // io_error
			"40001": // serialization_failure: on a replica, a read cancelled by a conflict with recovery
			return true
		}
		return false
	}
	// A deadline met while waiting for a connection or an answer means the database is not
	// answering; the pool's and the network's errors mean it cannot be reached.
	var connErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connErr) || errors.As(err, &netErr) || pgconn.SafeToRetry(err) || pgconn.Timeout(err) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}
