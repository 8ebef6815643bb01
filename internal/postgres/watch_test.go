package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
)

// publicEdit changes a person's public notes straight in the database, as another server
// would, and returns the data version it made.
func publicEdit(t *testing.T, dbURL, notes string) int64 {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var v int64
	if err := conn.QueryRow(ctx, `WITH e AS (UPDATE people SET notes = $1 WHERE slug = 'max-bokayev' RETURNING 1)
		SELECT count(*) FROM e`, notes).Scan(&v); err != nil || v != 1 {
		t.Fatalf("edit: %v (%d rows)", err, v)
	}
	if err := conn.QueryRow(ctx, `SELECT version FROM data_version`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func waitFor(t *testing.T, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > 20*time.Second { // generous: the machine is shared
			t.Fatalf("%s: not after %s", what, time.Since(start))
		}
		time.Sleep(time.Millisecond)
	}
	return time.Since(start)
}

// TestVersionWatcher: the watcher learns each committed public change, with a WAL
// position at or past its commit, and nothing of internal edits or rolled-back ones.
func TestVersionWatcher(t *testing.T) {
	t.Parallel()
	db, dbURL := postgrestest.OpenSeeded(t)
	if _, _, ok := db.WatchedVersion(); ok {
		t.Fatal("a DB without a watcher claims to know the version")
	}
	db.WatchVersion(nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start, err := db.WaitVersion(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if read, _ := db.DataVersion(ctx); read != start {
		t.Fatalf("watcher says version %d, the database %d", start, read)
	}

	v := publicEdit(t, dbURL, "Released in 2021.")
	got, err := db.WaitVersion(ctx, v)
	if err != nil || got != v {
		t.Fatalf("after a public edit to version %d the watcher says %d (%v)", v, got, err)
	}
	_, lsn, _ := db.WatchedVersion()
	// The position must be at or past the commit of the write: compare with the position
	// now, after it, and with the one before it.
	if now := postgrestest.Count(t, dbURL, `SELECT (pg_current_wal_insert_lsn() - '0/0')::int8`); lsn == 0 || lsn > postgres.LSN(now) {
		t.Errorf("WAL position %d, now %d", lsn, now)
	}

	// An internal edit and a rolled-back public one leave the version.
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `UPDATE people SET internal_notes = 'staff only' WHERE slug = 'max-bokayev'`); err != nil {
		t.Fatal(err)
	}
	tx, _ := conn.Begin(ctx)
	if _, err := tx.Exec(ctx, `UPDATE people SET notes = 'never' WHERE slug = 'max-bokayev'`); err != nil {
		t.Fatal(err)
	}
	_ = tx.Rollback(ctx)
	after := publicEdit(t, dbURL, "Released in 2022.") // a later public edit, to know the others were heard
	if got, err := db.WaitVersion(ctx, after); err != nil || got != after || after != v+1 {
		t.Errorf("internal and rolled-back edits moved the version: %d, then %d (%v)", v, got, err)
	}
}

// TestVersionWatcherReconnects: with the watcher's connection cut, WatchedVersion is not
// trusted at once; a write made while it is away is not missed once it is back.
// Not parallel: it changes the watcher's backoff for the package.
func TestVersionWatcherReconnects(t *testing.T) {
	t.Cleanup(postgres.SetWatchBackoff(5 * time.Second)) // runs after the DB is closed
	db, dbURL := postgrestest.OpenSeeded(t)
	db.WatchVersion(nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.WaitVersion(ctx, 0); err != nil {
		t.Fatal(err)
	}
	cut := postgrestest.Count(t, dbURL, `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND application_name = $1) x`, postgres.WatcherApplicationName)
	if cut != 1 {
		t.Fatalf("cut %d watcher connections, want 1", cut)
	}
	lost := waitFor(t, "the watcher notices its lost connection", func() bool { _, _, ok := db.WatchedVersion(); return !ok })
	v := publicEdit(t, dbURL, "Released while nobody listened.")
	if _, _, ok := db.WatchedVersion(); ok {
		t.Fatal("the watcher was trusted again before it had time to reconnect (backoff 5 s)")
	}
	back := waitFor(t, "the watcher is back", func() bool { _, _, ok := db.WatchedVersion(); return ok })
	if got, _, _ := db.WatchedVersion(); got < v {
		t.Errorf("after reconnecting the watcher says version %d; the write made while it was away is %d", got, v)
	}
	t.Logf("lost noticed after %s, back %s later", lost, back)
}
