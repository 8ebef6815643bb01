package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
)

const backupHelp = `Usage: whereas backup -o FILE

Writes everything to one portable file (JSON lines): resolutions, clauses, people,
organisations, legal provisions, cases and their links, every status history, the audit
log, attached files with their bytes (from wherever they are kept), and accounts and API
tokens as hashes only (no plain-text secret exists to write).
It reads one consistent snapshot, so the server can keep running. The last line is a
trailer with the rows of each table and the SHA-256 of everything before it, so a copy cut
short or altered is known as such: "whereas restore --check FILE" checks a backup without
touching a database. "-o -" writes to standard output.

Environment:
  DATABASE_URL      PostgreSQL URL (required)
  WHEREAS_BLOB_URL  where attachments' bytes are kept, as for serve [the database]
`

const restoreHelp = `Usage: whereas restore [--check] FILE|-     (- reads the backup from standard input)

Loads a backup made by "whereas backup" into an empty database, in one transaction: all of
it or nothing. Records keep their ids, so every address stays the same.

Before it writes anything it reads the whole file and checks its trailer (the rows of each
table and the SHA-256 of everything before it): a file that was cut short, altered, or
made without a trailer is refused. It then refuses a database that holds data, before
applying any migration, and only then migrates the database and loads the rows (by COPY).
"-" reads standard input (kept in a temporary file, since the file is read twice).

  --check  only check that FILE is a whole backup and say what it holds; touches no
           database (exit 0 when whole, 1 when not)

Environment:
  DATABASE_URL      PostgreSQL URL (required, except with --check)
  WHEREAS_BLOB_URL  where attachments' bytes go, as for serve (each file is checked
                    against its SHA-256 as it is written) [the database]
`

func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", backupHelp, stdout)
	out := fs.String("o", "", "the file to write (- for standard output)")
	if done, err := parseFlags(fs, args); done {
		return err
	}
	if *out == "" {
		return usageError{"backup needs -o FILE"}
	}
	u, err := databaseURL(getenv)
	if err != nil {
		return err
	}
	version, _, err := postgres.MigrateVersion(u)
	if err != nil {
		return err
	}
	db, err := postgres.Open(ctx, u, postgres.Config{MaxConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	w, report := stdout, stderr
	var f *os.File
	if *out != "-" {
		// Write beside the target and rename, so a failed backup never leaves a partial file
		// under the name a restore would trust.
		if f, err = os.CreateTemp(dirOf(*out), ".whereas-backup-*"); err != nil {
			return err
		}
		defer os.Remove(f.Name())
		w, report = f, stdout
	}
	blobs, err := openBlobs(ctx, getenv, db)
	if err != nil {
		return err
	}
	rows, err := db.Backup(ctx, w, version, blobs)
	if err != nil {
		return err
	}
	if f != nil {
		if err := f.Sync(); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		if err := os.Rename(f.Name(), *out); err != nil {
			return err
		}
	}
	fmt.Fprintf(report, "backup: %d rows, schema version %d, written to %s\n", rows, version, *out)
	return nil
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[:i+1]
		}
	}
	return "."
}

func runRestore(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("restore", restoreHelp, stdout)
	check := fs.Bool("check", false, "only check that FILE is a whole backup; touch no database")
	files, done, err := parseFlagsAnywhere(fs, args)
	if done {
		return err
	}
	if len(files) != 1 {
		return usageError{"restore needs one FILE (- for standard input)"}
	}
	f, err := openBackup(files[0], stdin)
	if err != nil {
		return err
	}
	defer f.Close()
	refused := func(err error) error {
		if code := tracker.ErrorCode(err); code == tracker.EINVALID || code == tracker.ECONFLICT {
			return fmt.Errorf("restore: %s Nothing was restored.", tracker.ErrorMessage(err))
		}
		return err
	}
	// Prove the file whole before touching the database.
	h, counts, err := postgres.CheckBackup(f)
	if err != nil {
		return refused(err)
	}
	if *check {
		total, tables := 0, ""
		for _, t := range slices.Sorted(maps.Keys(counts)) {
			total += counts[t]
			tables += fmt.Sprintf("  %-24s %d\n", t, counts[t])
		}
		fmt.Fprintf(stdout, "%s: a whole backup (format %d, schema version %d, made %s), %d rows; its SHA-256 and row counts match its trailer\n%s",
			files[0], h.FormatVersion, h.SchemaVersion, h.CreatedAt.Format(time.RFC3339), total, tables)
		return nil
	}
	latest, err := postgres.LatestMigration()
	if err != nil {
		return err
	}
	if h.SchemaVersion != latest {
		return refused(tracker.Errorf(tracker.EINVALID, "The backup has schema version %d and this version of Whereas %d: restore it with the version of Whereas that made it.", h.SchemaVersion, latest))
	}
	u, err := databaseURL(getenv)
	if err != nil {
		return err
	}
	db, err := postgres.Open(ctx, u, postgres.Config{MaxConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	// Refuse a database that holds data before migrating it: a restore must leave such a
	// database exactly as it found it.
	if table, err := db.HoldsData(ctx); err != nil {
		return err
	} else if table != "" {
		return refused(tracker.Errorf(tracker.ECONFLICT, "The database is not empty (table %s has rows): restore only into an empty database.", table))
	}
	if err := postgres.MigrateUp(u); err != nil {
		return err
	}
	version, _, err := postgres.MigrateVersion(u)
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	fmt.Fprintf(stdout, "restore: %s is whole (%d rows, schema version %d); the database is empty and migrated; loading\n", files[0], total, h.SchemaVersion)
	start := time.Now()
	blobs, err := openBlobs(ctx, getenv, db)
	if err != nil {
		return err
	}
	rows, err := db.Restore(ctx, f, version, blobs)
	if err != nil {
		return refused(err)
	}
	took := time.Since(start)
	fmt.Fprintf(stdout, "restore: %d rows restored in %s (%.0f rows/s)\n", rows, took.Round(time.Millisecond), float64(rows)/took.Seconds())
	// The search index is derived data, not in the backup: built again from the records.
	start = time.Now()
	if err := db.EnsureSearchNames(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restore: search index rebuilt in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// openBackup opens the backup to restore. Standard input is kept in a temporary file
// first: the file is read once to prove it whole and again to load it.
func openBackup(name string, stdin io.Reader) (*os.File, error) {
	if name != "-" {
		return os.Open(name)
	}
	f, err := os.CreateTemp("", "whereas-restore-*")
	if err != nil {
		return nil, err
	}
	os.Remove(f.Name()) // gone when closed
	if _, err := io.Copy(f, stdin); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
