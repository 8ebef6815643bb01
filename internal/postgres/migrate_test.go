package postgres_test

import (
	"context"
	"errors"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/migrations"
)

// exec runs statements on the database at dbURL, outside the application (one statement
// when it is given arguments).
func exec(t *testing.T, dbURL, sql string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func tableExists(t *testing.T, dbURL, name string) bool {
	return postgrestest.Count(t, dbURL, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = $1`, name) == 1
}

func TestMigrationsAreAtomic(t *testing.T) {
	t.Parallel()
	t.Run("AFailedMigrationLeavesThePreviousVersionClean", func(t *testing.T) {
		u := postgrestest.NewDatabase(t)
		files := fstest.MapFS{
			"0001_a.up.sql":   {Data: []byte("CREATE TABLE a (x int);\n")},
			"0001_a.down.sql": {Data: []byte("DROP TABLE a;\n")},
			"0002_b.up.sql":   {Data: []byte("CREATE TABLE b (x int);\nINSERT INTO a VALUES (1);\nSELECT 1/0;\n")},
			"0002_b.down.sql": {Data: []byte("DROP TABLE b;\n")},
		}
		if err := postgres.MigrateUpFS(files, u); err == nil {
			t.Fatal("a migration dividing by zero succeeded")
		}
		v, dirty, err := postgres.MigrateVersion(u)
		if err != nil || v != 1 || dirty {
			t.Errorf("after migration 2 failed: version %d dirty=%v err=%v, want 1, clean", v, dirty, err)
		}
		if tableExists(t, u, "b") || postgrestest.Count(t, u, `SELECT count(*) FROM a`) != 0 {
			t.Error("part of the failed migration stayed")
		}
		// Fixed, it simply runs again: no force needed.
		files["0002_b.up.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE b (x int);\n")}
		if err := postgres.MigrateUpFS(files, u); err != nil {
			t.Fatalf("up after fixing the migration: %v", err)
		}
		if v, dirty, _ := postgres.MigrateVersion(u); v != 2 || dirty || !tableExists(t, u, "b") {
			t.Errorf("after the fixed migration: version %d dirty=%v", v, dirty)
		}
	})
	t.Run("AKillAfterTheMigrationCommittedLeavesItRecordedClean", func(t *testing.T) {
		u := postgrestest.NewDatabase(t)
		if err := postgres.MigrateUp(u); err != nil {
			t.Fatal(err)
		}
		latest := postgres.Migrations()[len(postgres.Migrations())-1]
		if err := postgres.RunLikeAKilledMigrate(u, int(latest)+1, "CREATE TABLE after_kill (x int);"); err != nil {
			t.Fatal(err)
		}
		v, dirty, err := postgres.MigrateVersion(u)
		if err != nil || v != latest+1 || dirty || !tableExists(t, u, "after_kill") {
			t.Errorf("killed after the commit: version %d dirty=%v err=%v, want %d clean", v, dirty, err, latest+1)
		}
	})
	t.Run("NoMigrationFileManagesItsOwnTransaction", func(t *testing.T) {
		// A file that commits by itself, or runs a statement PostgreSQL refuses inside a
		// transaction, would break the guarantee above.
		control := regexp.MustCompile(`(?im)^\s*(BEGIN|START\s+TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT)\s*;|\bCONCURRENTLY\b|^\s*VACUUM\b`)
		files, _ := fs.Glob(migrations.FS, "*.sql")
		for _, f := range files {
			b, _ := fs.ReadFile(migrations.FS, f)
			if m := control.Find(b); m != nil {
				t.Errorf("%s: %q: migrations must run in the one transaction the runner gives them", f, strings.TrimSpace(string(m)))
			}
		}
		if len(files) < 2 {
			t.Fatalf("found %d migration files", len(files))
		}
	})
}

func TestDirtyDatabase(t *testing.T) {
	t.Parallel()
	u := postgrestest.NewDatabase(t)
	if err := postgres.MigrateUp(u); err != nil {
		t.Fatal(err)
	}
	latest := postgres.Migrations()[len(postgres.Migrations())-1]
	exec(t, u, `UPDATE schema_migrations SET dirty = true`) // as an older whereas killed mid-migration left it

	err := postgres.MigrateUp(u)
	var d *postgres.DirtyError
	if !errors.As(err, &d) || d.Version != latest || d.File != postgres.MigrationFile(latest) || !strings.Contains(err.Error(), "whereas migrate force") {
		t.Fatalf("up on a dirty database: %v", err)
	}
	if err := postgres.MigrateForce(u, 999); err == nil {
		t.Error("forcing a version the binary does not know was accepted")
	}
	if err := postgres.MigrateForce(u, latest); err != nil {
		t.Fatal(err)
	}
	if v, dirty, err := postgres.MigrateVersion(u); v != latest || dirty || err != nil {
		t.Errorf("after force: version %d dirty=%v err=%v", v, dirty, err)
	}
	if err := postgres.MigrateUp(u); err != nil {
		t.Errorf("up after force: %v", err)
	}
}
