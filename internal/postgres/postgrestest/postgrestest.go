// Package postgrestest gives each test its own fresh, migrated PostgreSQL database, dropped
// when the test ends, so storage and handler tests run in parallel on a real server.
package postgrestest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/data"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/seed"
)

// AdminURL returns the server URL tests create their databases on (DATABASE_URL, as `make
// test` sets it). Without it the test is skipped, except under CI=true, where a missing
// database is a failure.
func AdminURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("DATABASE_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("DATABASE_URL is not set; CI must run the tests against PostgreSQL (use make test)")
		}
		t.Skip("DATABASE_URL is not set: run `make test`, which starts a private PostgreSQL")
	}
	return u
}

// NewDatabase creates an empty database for this test and returns its URL; the database
// is dropped when the test ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	admin := AdminURL(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to test server: %v", err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "whereas_test_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			t.Logf("drop test database %s: %v", name, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("parse DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// NewMigrated creates a fresh database with every migration applied and returns its URL.
func NewMigrated(t testing.TB) string {
	t.Helper()
	u := NewDatabase(t)
	if err := postgres.MigrateUp(u); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return u
}

// Open returns a pool on a fresh, migrated database, closed when the test ends.
func Open(t testing.TB) (*postgres.DB, string) {
	t.Helper()
	u := NewMigrated(t)
	db, err := postgres.Open(context.Background(), u, postgres.Config{MaxConns: 4})
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(db.Close)
	return db, u
}

// OpenSeeded is Open with the built-in seed dataset loaded.
func OpenSeeded(t testing.TB) (*postgres.DB, string) {
	t.Helper()
	db, u := Open(t)
	ds, err := seed.Load(data.Seed, data.SeedFile)
	if err != nil {
		t.Fatalf("load seed: %v", err)
	}
	if _, err := db.ImportDataset(context.Background(), ds); err != nil {
		t.Fatalf("import seed: %v", err)
	}
	return db, u
}

// Count runs a count query straight on the database at dbURL, past the application, for
// checks of what was (or was not) written.
func Count(t testing.TB, dbURL, sql string, args ...any) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Exec runs a statement straight on the database at dbURL, past the application: for
// writing what a test needs that no route writes (an audit entry years old).
func Exec(t testing.TB, dbURL, sql string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		t.Fatal(err)
	}
}
