package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestPgShFromPrivateCheckout starts the private cluster the way `make run` and `make test`
// do, from a checkout inside a 0700 folder (as root's home folder is) under a path with
// spaces: the cluster must start, answer, stop and start again. As root PostgreSQL runs as
// postgres, which cannot enter such a folder; the script used to check a relative path that
// passed from inside the checkout while initdb was given the absolute one.
func TestPgShFromPrivateCheckout(t *testing.T) {
	needPostgres(t)
	home := t.TempDir()
	if err := os.Chmod(home, 0o700); err != nil {
		t.Fatal(err)
	}
	checkout := filepath.Join(home, "private home", "whereas checkout")
	if err := os.MkdirAll(filepath.Join(checkout, "scripts"), 0o755); err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(pgScript())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(checkout, "scripts", "pg.sh"), script, 0o755); err != nil {
		t.Fatal(err)
	}
	pgsh := func(args ...string) (string, error) {
		cmd := exec.Command("scripts/pg.sh", args...)
		cmd.Dir = checkout
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Logf("scripts/pg.sh %s: %s", strings.Join(args, " "), stderr.String())
		}
		return strings.TrimSpace(string(out)), err
	}
	t.Cleanup(func() { _, _ = pgsh("destroy", ".data/pgtest") })
	addr := freeAddr(t)
	port := addr[strings.LastIndex(addr, ":")+1:]

	url, err := pgsh("start", ".data/pgtest", port, "whereas", "fast")
	if err != nil {
		t.Fatalf("scripts/pg.sh start from a checkout in a private folder: %v", err)
	}
	query := func() {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatalf("connect to %s: %v", url, err)
		}
		defer conn.Close(ctx)
		var db string
		if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&db); err != nil || db != "whereas" {
			t.Fatalf("current_database() = %q, %v; want whereas", db, err)
		}
	}
	query()

	// Running it again is safe and gives the same database; so is a stop and a new start.
	if again, err := pgsh("start", ".data/pgtest", port, "whereas", "fast"); err != nil || again != url {
		t.Fatalf("second start: %q, %v; want %q", again, err, url)
	}
	if _, err := pgsh("stop", ".data/pgtest"); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if _, err := pgsh("start", ".data/pgtest", port, "whereas", "fast"); err != nil {
		t.Fatalf("start after stop: %v", err)
	}
	query()
}
